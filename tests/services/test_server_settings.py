"""ServerSettingsService: admins change the server's name, description, contact,
registration mode, character limit and rules; the instance, sign-up and posting follow."""

from __future__ import annotations

import pytest

from godwit.app import Components
from godwit.domain.errors import Forbidden, Invalid, NotFound
from godwit.domain.server_settings import SettingsChange
from godwit.services.reports import ReportRequest
from godwit.services.statuses import PostRequest
from tests.services.moderation_support import audit_entries, make_staff


async def test_admins_change_the_settings_the_server_uses(components: Components) -> None:
    staff = await make_staff(components)
    service = components.services.server_settings
    before = await service.current(staff.as_admin)
    assert before.title == components.settings.instance_title
    assert before.max_status_chars == components.settings.max_status_chars

    after = await service.update(
        staff.as_admin,
        SettingsChange(
            title="Birders",
            description="A place for birdwatchers.",
            contact_email="mods@birders.example",
            registration_mode="approval",
            max_status_chars=20,
        ),
        reason="launch",
    )
    assert (after.title, after.registration_mode, after.max_status_chars) == (
        "Birders",
        "approval",
        20,
    )
    info = await components.services.instance.info()
    assert (info.title, info.description, info.contact_email) == (
        "Birders",
        "A place for birdwatchers.",
        "mods@birders.example",
    )
    assert info.approval_required
    assert info.max_status_chars == 20
    with pytest.raises(Invalid, match="character limit of 20"):
        await components.services.statuses.create(
            staff.member.account_id, PostRequest(text="x" * 21)
        )
    await components.services.statuses.create(staff.member.account_id, PostRequest(text="x" * 20))

    (entry,) = await audit_entries(components)
    assert entry.action == "settings.update"
    assert entry.reason == "launch"
    assert entry.details["max_status_chars"] == {"from": 500, "to": 20}
    assert entry.details["instance_title"] == {
        "from": components.settings.instance_title,
        "to": "Birders",
    }

    # Saving the same values again changes nothing and logs nothing.
    await service.update(staff.as_admin, SettingsChange(title="Birders", max_status_chars=20))
    assert len(await audit_entries(components)) == 1


async def test_only_admins_and_only_valid_values(components: Components) -> None:
    staff = await make_staff(components)
    service = components.services.server_settings
    with pytest.raises(Forbidden):
        await service.update(staff.as_moderator, SettingsChange(title="Mine now"))
    with pytest.raises(Forbidden):
        await service.current(staff.as_member)
    for change in (
        SettingsChange(title=" "),
        SettingsChange(title="x" * 101),
        SettingsChange(registration_mode="invite"),
        SettingsChange(max_status_chars=0),
        SettingsChange(max_status_chars=100_001),
        SettingsChange(contact_email="not an address"),
    ):
        with pytest.raises(Invalid):
            await service.update(staff.as_admin, change)
    assert (await service.current(staff.as_admin)).title == components.settings.instance_title
    assert await audit_entries(components) == []


async def test_rules_are_created_edited_and_deleted(components: Components) -> None:
    staff = await make_staff(components)
    service = components.services.server_settings
    kind = await service.add_rule(staff.as_admin, "Be kind", "No harassment.")
    spam = await service.add_rule(staff.as_admin, "No spam")
    assert [rule.text for rule in await components.services.instance.rules()] == [
        "Be kind",
        "No spam",
    ]
    edited = await service.update_rule(staff.as_admin, spam.id, "No spam or scams", "Ads too.")
    assert edited.text == "No spam or scams"

    filed = await components.services.reports.file(
        staff.reporter.account_id,
        ReportRequest(account_id=staff.member.account_id, rule_ids=(kind.id,)),
    )
    await service.delete_rule(staff.as_admin, kind.id, reason="merged")
    assert [rule.id for rule in await components.services.instance.rules()] == [spam.id]
    # The report still names the rule it cited, as it was.
    entry = await components.services.moderation_queue.get(staff.as_moderator, filed.report.id)
    assert [rule.text for rule in entry.rules] == ["Be kind"]
    with pytest.raises(NotFound):
        await service.delete_rule(staff.as_admin, kind.id)
    with pytest.raises(NotFound):
        await service.update_rule(staff.as_admin, kind.id, "back")
    with pytest.raises(Invalid):  # a deleted rule cannot be cited any more
        await components.services.reports.file(
            staff.reporter.account_id,
            ReportRequest(account_id=staff.member.account_id, rule_ids=(kind.id,)),
        )
    with pytest.raises(Invalid):
        await service.add_rule(staff.as_admin, "   ")
    with pytest.raises(Forbidden):
        await service.add_rule(staff.as_moderator, "Mods rule")
    assert [e.action for e in await audit_entries(components)] == [
        "rule.delete",
        "rule.update",
        "rule.create",
        "rule.create",
    ]
