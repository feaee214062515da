"""Server settings (admins only): the form, its validation, the rules, and the audit log
entries every change writes."""

from __future__ import annotations

import httpx

from godwit.app import Components
from tests.services.moderation_support import audit_entries
from tests.web.admin_support import make_staff, page_text, post_form, signed_in

SETTINGS = {
    "title": "Marsh Birds",
    "description": "A server for people who watch waders.",
    "contact_email": "team@marsh.example",
    "registration_mode": "approval",
    "max_status_chars": "1000",
    "reason": "Relaunch.",
}


async def test_an_admin_changes_the_settings_and_the_change_is_audited(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    page = await web.get("/admin/settings")
    assert page.status_code == 200
    assert 'aria-current="page">Server settings' in page.text
    assert 'for="setting-title"' in page.text

    saved = await post_form(web, token, "/admin/settings", SETTINGS)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/settings?notice=saved"
    essentials = await web_components.services.instance.essentials()
    assert essentials["instance_title"] == "Marsh Birds"
    assert essentials["registration_mode"] == "approval"
    assert essentials["max_status_chars"] == 1000
    assert essentials["contact_email"] == "team@marsh.example"
    shown = await web.get("/admin/settings")
    assert 'value="Marsh Birds"' in shown.text
    assert 'id="mode-approval" name="registration_mode" value="approval" checked' in shown.text

    (entry,) = await audit_entries(web_components, action="settings.update")
    assert entry.actor_name == "@ada"
    assert entry.reason == "Relaunch."
    assert entry.details["max_status_chars"] == {"from": 500, "to": 1000}
    log = page_text((await web.get("/admin/audit-log")).text)
    assert "Changed server settings" in log
    assert "Character limit 500 → 1000" in log

    # Sending the same values again changes nothing and writes nothing.
    await post_form(web, token, "/admin/settings", SETTINGS)
    assert len(await audit_entries(web_components, action="settings.update")) == 1


async def test_refused_settings_are_shown_again_with_the_problem_tied_to_the_field(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    blank = await post_form(web, token, "/admin/settings", {**SETTINGS, "title": "  "})
    assert blank.status_code == 422
    assert "The settings were not saved" in blank.text
    assert 'aria-invalid="true" aria-describedby="setting-title-error"' in blank.text
    assert "Server name can&#39;t be blank." in blank.text
    assert 'value="team@marsh.example"' in blank.text  # what was typed is kept

    not_a_number = await post_form(
        web, token, "/admin/settings", {**SETTINGS, "max_status_chars": "lots"}
    )
    assert not_a_number.status_code == 422
    assert 'id="setting-max_status_chars-error"' in not_a_number.text
    bad_mode = await post_form(
        web, token, "/admin/settings", {**SETTINGS, "registration_mode": "everyone"}
    )
    assert bad_mode.status_code == 422
    assert 'id="setting-registration_mode-error"' in bad_mode.text
    assert (await web_components.services.instance.essentials())["instance_title"] != "Marsh Birds"
    assert await audit_entries(web_components) == []


async def test_rules_are_added_edited_and_deleted(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.admin)
    added = await post_form(
        web,
        token,
        "/admin/settings/rules",
        {"text": "Be kind.", "hint": "No harassment.", "reason": ""},
    )
    assert added.headers["location"] == "/admin/settings?notice=rule_added#rules"
    (rule,) = await web_components.services.instance.rules()
    assert (rule.text, rule.hint) == ("Be kind.", "No harassment.")

    empty = await post_form(web, token, f"/admin/settings/rules/{rule.id}", {"text": " "})
    assert empty.status_code == 422
    assert f'aria-describedby="rule-{rule.id}-text-error"' in empty.text
    assert "<details open>" in empty.text

    edited = await post_form(
        web,
        token,
        f"/admin/settings/rules/{rule.id}",
        {"text": "Be kind to everyone.", "hint": "", "reason": "Clearer."},
    )
    assert edited.status_code == 303
    (rule,) = await web_components.services.instance.rules()
    assert rule.text == "Be kind to everyone."
    assert "Be kind to everyone." in (await web.get("/about")).text

    deleted = await post_form(web, token, f"/admin/settings/rules/{rule.id}/delete")
    assert deleted.status_code == 303
    assert await web_components.services.instance.rules() == []
    actions = [e.action for e in await audit_entries(web_components)]
    assert actions == ["rule.delete", "rule.update", "rule.create"]
    missing = await post_form(web, token, f"/admin/settings/rules/{rule.id}/delete")
    assert missing.status_code == 404


async def test_moderators_may_not_change_settings_and_members_do_not_see_them(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    token = await signed_in(web, web_components, staff.moderator)
    assert 'href="/admin/settings"' not in (await web.get("/admin/reports")).text
    page = await web.get("/admin/settings")
    assert page.status_code == 403
    assert "administrator" in page.text
    for path, data in (
        ("/admin/settings", SETTINGS),
        ("/admin/settings/rules", {"text": "Moderators rule."}),
    ):
        assert (await post_form(web, token, path, data)).status_code == 403
    assert await web_components.services.instance.rules() == []
    assert (await web_components.services.instance.essentials())["instance_title"] != "Marsh Birds"

    member_token = await signed_in(web, web_components, staff.reporter)
    assert (await web.get("/admin/settings")).status_code == 404
    assert (await post_form(web, member_token, "/admin/settings", SETTINGS)).status_code == 404
    assert await audit_entries(web_components) == []


async def test_a_settings_form_without_its_csrf_token_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    staff = await make_staff(web_components)
    await signed_in(web, web_components, staff.admin)
    assert (await web.post("/admin/settings", data=SETTINGS)).status_code == 403
    assert (await web.post("/admin/settings/rules", data={"text": "x"})).status_code == 403
    assert await audit_entries(web_components) == []
