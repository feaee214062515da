"""POST /api/v1/reports: categories, rules, attached posts and what is refused."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from godwit.storage.schema import reports
from tests.api.tier3_helpers import components_of, post
from tests.factories import make_member


async def _report_rows(client: httpx.AsyncClient) -> int:
    async with components_of(client).database.read() as conn:
        return int(await conn.scalar(select(func.count()).select_from(reports)) or 0)


async def test_a_report_with_posts_and_a_cited_rule_is_filed(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    async with components.store.write() as tx:
        rule = await tx.instance.add_rule("No spam")
    status_id = await post(client, bob, "buy now")

    response = await client.post(
        "/api/v1/reports",
        json={
            "account_id": str(bob.account_id),
            "status_ids": [status_id],
            "rule_ids": [str(rule.id)],
            "comment": "spam again",
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["category"] == "violation"  # citing rules implies it
    assert report["status_ids"] == [status_id]
    assert report["rule_ids"] == [str(rule.id)]
    assert report["comment"] == "spam again"
    assert report["action_taken"] is False
    assert report["forwarded"] is False
    assert report["target_account"]["id"] == str(bob.account_id)
    assert await _report_rows(client) == 1


async def test_plain_report_defaults_to_other(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    response = await client.post(
        "/api/v1/reports", data={"account_id": str(bob.account_id)}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["category"] == "other"
    assert response.json()["status_ids"] is None


async def test_bad_reports_are_refused_without_a_row(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    async with components.store.write() as tx:
        rule = await tx.instance.add_rule("Be kind")
    carols_post = await post(client, carol, "hello")
    bobs_private = await post(client, bob, "secret", visibility="private")
    target = str(bob.account_id)
    refused = [
        {"account_id": target, "status_ids": [carols_post]},  # not the target's post
        {"account_id": target, "status_ids": [bobs_private]},  # not visible to alice
        {"account_id": target, "rule_ids": ["12345"]},  # no such rule
        {"account_id": target, "rule_ids": [str(rule.id)], "category": "spam"},
        {"account_id": target, "category": "rude"},
        {"account_id": target, "comment": "x" * 1001},
        {"account_id": str(alice.account_id)},  # oneself
        {},
    ]
    for body in refused:
        response = await client.post("/api/v1/reports", json=body, headers=alice.headers)
        assert response.status_code == 422, (body, response.text)
    unknown = await client.post(
        "/api/v1/reports", json={"account_id": "123456789"}, headers=alice.headers
    )
    assert unknown.status_code == 404
    assert await _report_rows(client) == 0


async def test_reports_need_the_write_reports_scope(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice", scopes="read")
    bob = await make_member(components, "bob")
    response = await client.post(
        "/api/v1/reports", json={"account_id": str(bob.account_id)}, headers=alice.headers
    )
    assert response.status_code == 403
    anonymous = await client.post("/api/v1/reports", json={"account_id": str(bob.account_id)})
    assert anonymous.status_code == 401
