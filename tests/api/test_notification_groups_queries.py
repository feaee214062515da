"""A page of grouped notifications costs the same number of queries however many groups,
senders and statuses it holds (no query per group, per account or per status)."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from godwit.config import Settings
from tests.api.notification_groups_helpers import (
    components_of,
    counting_queries,
    groups_of,
    members,
    notify,
)
from tests.factories import Member
from tests.notifications_support import make_status


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No in-process job runner here: its polling would be counted with the request's queries."""
    return dataclasses.replace(settings, run_jobs_in_process=False)


async def _queries(client: httpx.AsyncClient, member: Member, url: str) -> list[str]:
    with counting_queries() as statements:
        response = await client.get(url, headers=member.headers)
    assert response.status_code == 200, response.text
    return [" ".join(statement.split())[:120] for statement in statements]


async def test_grouped_page_queries_do_not_grow_with_its_content(
    client: httpx.AsyncClient,
) -> None:
    components = components_of(client)
    few, many = await members(client, "few", "many")
    fans = await members(client, *(f"fan{n}" for n in range(12)))
    # "few": one like and one mention (someone else's post: its author's relationships are
    # looked up too).
    lone = await make_status(components, few.account_id)
    await notify(client, few, fans[0], "favourite", lone)
    mentioning = await make_status(components, fans[0].account_id, mentioned=(few.account_id,))
    await notify(client, few, fans[0], "mention", mentioning)
    # "many": twelve posts liked by everyone, twelve follows, and mentions.
    for index in range(12):
        post = await make_status(components, many.account_id)
        for fan in fans:
            await notify(client, many, fan, "favourite", post)
        mention = await make_status(
            components, fans[index].account_id, mentioned=(many.account_id,)
        )
        await notify(client, many, fans[index], "mention", mention)
        await notify(client, many, fans[index], "follow")

    url = "/api/v2/notifications?limit=40"
    await _queries(client, few, url)  # warm up: first-use work is not per group
    few_queries = await _queries(client, few, url)
    many_queries = await _queries(client, many, url)
    body = (await client.get(url, headers=many.headers)).json()
    assert len(body["notification_groups"]) == 25  # 12 likes, 12 mentions, 1 follow
    assert ("favourite", 12) in groups_of(body)
    assert len(body["accounts"]) == 12
    assert few_queries
    assert len(many_queries) == len(few_queries), "\n".join(
        ["FEW", *few_queries, "MANY", *many_queries]
    )
    partial = await _queries(client, many, f"{url}&expand_accounts=partial_avatars")
    assert len(partial) == len(few_queries)
