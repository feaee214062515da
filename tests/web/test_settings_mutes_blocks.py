"""Settings → Muted accounts and Blocked accounts: the lists and their undo buttons."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from godwit.app import Components
from godwit.storage.schema import accounts
from tests.factories import Member, make_member
from tests.web.pages import sign_in, submit


async def _relationship(web: httpx.AsyncClient, viewer: Member, other: Member) -> dict[str, bool]:
    response = await web.get(
        "/api/v1/accounts/relationships", params={"id[]": other.account_id}, headers=viewer.headers
    )
    assert response.status_code == 200
    body: dict[str, bool] = response.json()[0]
    return body


async def test_muted_accounts_are_listed_and_can_be_unmuted(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    bob = await make_member(web_components, "bob")
    carol = await make_member(web_components, "carol")
    graph = web_components.services.graph
    await graph.mute(alice.account_id, bob.account_id)
    await graph.block(alice.account_id, carol.account_id)
    await sign_in(web, web_components, alice)

    mutes = await web.get("/settings/mutes")
    assert mutes.status_code == 200
    assert "@bob" in mutes.text
    assert "@carol" not in mutes.text  # blocked, not muted
    assert f'action="/settings/mutes/{bob.account_id}/delete"' in mutes.text
    assert 'href="/settings/mutes" aria-current="page"' in mutes.text

    unmuted = await submit(web, f"/settings/mutes/{bob.account_id}/delete", page="/settings/mutes")
    assert unmuted.status_code == 303
    assert unmuted.headers["location"] == "/settings/mutes?notice=unmuted"
    assert (await _relationship(web, alice, bob))["muting"] is False
    after = await web.get("/settings/mutes?notice=unmuted")
    assert "The account is no longer muted." in after.text
    assert "You have not muted anyone." in after.text
    assert (await _relationship(web, alice, carol))["blocking"] is True


async def test_blocked_accounts_are_listed_and_can_be_unblocked(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    carol = await make_member(web_components, "carol")
    await web_components.services.graph.block(alice.account_id, carol.account_id)
    await sign_in(web, web_components, alice)

    blocks = await web.get("/settings/blocks")
    assert "@carol" in blocks.text
    forged = await web.post(f"/settings/blocks/{carol.account_id}/delete")
    assert forged.status_code == 403
    assert (await _relationship(web, alice, carol))["blocking"] is True

    unblocked = await submit(
        web, f"/settings/blocks/{carol.account_id}/delete", page="/settings/blocks"
    )
    assert unblocked.headers["location"] == "/settings/blocks?notice=unblocked"
    assert (await _relationship(web, alice, carol))["blocking"] is False
    assert "You have not blocked anyone." in (await web.get("/settings/blocks")).text


async def test_names_are_escaped_and_long_lists_are_paged(
    web: httpx.AsyncClient, web_components: Components
) -> None:
    alice = await make_member(web_components, "alice")
    graph = web_components.services.graph
    muted = [await make_member(web_components, f"user{index}") for index in range(42)]
    for member in muted:
        await graph.mute(alice.account_id, member.account_id)
    async with web_components.database.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == muted[-1].account_id)
            .values(display_name='<img src=x onerror="alert(1)">')
        )
    await sign_in(web, web_components, alice)
    first = await web.get("/settings/mutes")
    assert "<img src=x" not in first.text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in first.text
    assert first.text.count('class="settings-account"') == 40
    assert 'rel="next"' in first.text
    next_url = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = await web.get(next_url.replace("&amp;", "&"))
    assert second.text.count('class="settings-account"') == 2
    assert 'rel="next"' not in second.text


async def test_visitors_are_sent_to_sign_in(web: httpx.AsyncClient) -> None:
    for path in ("/settings/mutes", "/settings/blocks"):
        response = await web.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/auth/sign_in?next=")
