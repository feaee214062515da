"""/report: the form, validation shown beside the fields, and the report landing in the
moderators' queue through the reports service."""

from __future__ import annotations

import httpx

from godwit.app import Components
from godwit.domain.mod_queue import QueueQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR
from godwit.services.mod_queue import QueueEntry
from tests.factories import Member, make_member
from tests.web.pages import csrf_token, sign_in, submit
from tests.web.profile_helpers import SCRIPT, assert_inert, post


async def _queue(components: Components) -> list[QueueEntry]:
    return await components.services.moderation_queue.listing(
        OPERATOR, QueueQuery(), PageRequest(limit=20)
    )


def _form_path(target: Member, status_id: str | None = None) -> str:
    path = f"/report?account_id={target.account_id}"
    return path + (f"&status_id={status_id}" if status_id else "")


async def test_a_member_reports_a_post_citing_rules_and_it_reaches_the_queue(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    troll = await make_member(web_components, "troll")
    rule = await web_components.services.server_settings.add_rule(OPERATOR, "Be kind")
    await web_components.services.server_settings.add_rule(OPERATOR, "No spam")
    older = await post(web_components, troll, "An older rude post")
    rude = await post(web_components, troll, "A rude post")
    await sign_in(web, web_components, alice)

    form = await web.get(_form_path(troll, rude))

    assert form.status_code == 200
    html = form.text
    assert "Report @troll" in html
    assert f'id="post-{rude}" name="status_ids" value="{rude}" checked' in html
    assert f'id="post-{older}" name="status_ids" value="{older}" aria' in html  # unticked
    assert f'name="rule_ids" value="{rule.id}"' in html
    assert '<label for="comment">' in html

    sent = await submit(
        web,
        "/report",
        {
            "account_id": str(troll.account_id),
            "status_id": rude,
            "status_ids": [rude, older],
            "category": "violation",
            "rule_ids": [str(rule.id)],
            "comment": "Keeps being rude",
            "return_to": f"/@troll/{rude}",
        },
        page=_form_path(troll, rude),
    )

    assert sent.status_code == 303
    assert sent.headers["location"] == f"/@troll/{rude}?notice=reported"
    (entry,) = await _queue(web_components)
    assert entry.target.id == troll.account_id
    assert entry.reporter is not None
    assert entry.reporter.id == alice.account_id
    assert entry.report is not None
    assert set(entry.report.status_ids) == {int(rude), int(older)}
    assert entry.report.rule_ids == (rule.id,)
    assert entry.report.category == "violation"
    assert entry.report.comment == "Keeps being rude"
    notice = await web.get(sent.headers["location"])
    assert "Your report was sent to the moderators." in notice.text


async def test_rules_ticked_under_another_category_are_not_sent(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    spammer = await make_member(web_components, "spammer")
    rule = await web_components.services.server_settings.add_rule(OPERATOR, "No spam")
    await sign_in(web, web_components, alice)

    sent = await submit(
        web,
        "/report",
        {"account_id": str(spammer.account_id), "category": "spam", "rule_ids": [str(rule.id)]},
        page=_form_path(spammer),
    )

    assert sent.status_code == 303
    assert sent.headers["location"] == "/@spammer?notice=reported"
    (entry,) = await _queue(web_components)
    assert entry.report is not None
    assert entry.report.category == "spam"
    assert entry.report.rule_ids == ()


async def test_mistakes_show_the_form_again_with_reasons_tied_to_fields(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    troll = await make_member(web_components, "troll")
    await web_components.services.server_settings.add_rule(OPERATOR, "Be kind")
    await sign_in(web, web_components, alice)
    page = _form_path(troll)

    no_category = await submit(
        web, "/report", {"account_id": str(troll.account_id), "comment": "Hmm"}, page=page
    )
    no_rule = await submit(
        web, "/report", {"account_id": str(troll.account_id), "category": "violation"}, page=page
    )
    too_long = await submit(
        web,
        "/report",
        {"account_id": str(troll.account_id), "category": "other", "comment": "x" * 1001},
        page=page,
    )

    assert no_category.status_code == no_rule.status_code == too_long.status_code == 422
    assert 'id="category-error"' in no_category.text
    assert 'aria-describedby="category-error"' in no_category.text
    assert ">Hmm</textarea>" in no_category.text  # what was written is kept
    assert 'id="rule_ids-error"' in no_rule.text
    assert 'value="violation" checked' in no_rule.text
    assert 'id="comment-error"' in too_long.text
    assert 'aria-describedby="comment-error comment-hint" aria-invalid="true"' in too_long.text
    assert await _queue(web_components) == []


async def test_posts_of_someone_else_cannot_be_attached(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    troll = await make_member(web_components, "troll")
    bystander = await make_member(web_components, "bystander")
    innocent = await post(web_components, bystander, "Nothing wrong here")
    await sign_in(web, web_components, alice)

    sent = await submit(
        web,
        "/report",
        {"account_id": str(troll.account_id), "category": "other", "status_ids": [innocent]},
        page=_form_path(troll),
    )

    assert sent.status_code == 422
    assert "must be posts of the reported account" in sent.text
    assert await _queue(web_components) == []
    # Nor can a link show another account's post as the one reported.
    assert (await web.get(_form_path(troll, innocent))).status_code == 404


async def test_posts_hidden_from_the_reporter_are_a_404(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    troll = await make_member(web_components, "troll")
    hidden = await post(web_components, troll, "For followers", visibility="private")
    await sign_in(web, web_components, alice)

    response = await web.get(_form_path(troll, hidden))

    assert response.status_code == 404
    assert "For followers" not in response.text


async def test_visitors_sign_in_first_and_posts_without_csrf_are_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    troll = await make_member(web_components, "troll")

    visitor = await web.get(_form_path(troll))
    assert visitor.status_code == 303
    assert visitor.headers["location"].startswith("/auth/sign_in?next=%2Freport")

    await sign_in(web, web_components, alice)
    await csrf_token(web, _form_path(troll))  # a real form was loaded: the cookie exists
    forged = await web.post(
        "/report", data={"account_id": str(troll.account_id), "category": "spam"}
    )
    assert forged.status_code == 403
    assert await _queue(web_components) == []


async def test_bad_links_are_404_and_reporting_oneself_is_refused(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    await sign_in(web, web_components, alice)

    for path in (
        "/report",
        "/report?account_id=abc",
        "/report?account_id=123456",
        f"/report?account_id={alice.account_id}&status_id=x",
    ):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]

    own = await web.get(_form_path(alice))
    assert own.status_code == 422
    assert "You cannot report your own account." in own.text


async def test_reported_content_is_shown_inert(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    mallory = await make_member(web_components, "mallory")
    status_id = await post(web_components, mallory, f"{SCRIPT} hello", spoiler_text=SCRIPT)
    await sign_in(web, web_components, alice)

    page = await web.get(_form_path(mallory, status_id))

    assert page.status_code == 200
    assert_inert(page.text)
