"""Seed data for the schemathesis conformance run, so path parameters can hit real records.

Everything is made through the API (the factories only make members and their tokens), by the
member whose all-scopes token the run uses, plus two others who follow, mention, favourite
and write to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from godwit.app import Components
from tests.factories import Member, make_member
from tests.media.images import jpeg_with_gps
from tests.support.conformance_cases import KnownIds

TAG = "conformance"


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"seeding: {response.request.url} {response.text}"
    return response.json()


async def seed(client: httpx.AsyncClient, components: Components) -> KnownIds:
    me = await make_member(components, "fuzzer", locked=True)
    friend = await make_member(components, "friend")
    fan = await make_member(components, "fan")
    known = KnownIds(token=me.token)
    known.add("account", me.account_id, friend.account_id, fan.account_id)
    known.add("tag", TAG)
    known.add("acct", me.username, friend.username, f"{fan.username}@godwit.test")
    known.add("query", "hello", f"#{TAG}", friend.username)

    async def call(member: Member, method: str, path: str, **kwargs: Any) -> Any:
        return await _ok(await client.request(method, path, headers=member.headers, **kwargs))

    # The graph: I follow my friend; the fan asks to follow me (I am locked).
    await call(me, "POST", f"/api/v1/accounts/{friend.account_id}/follow")
    await call(fan, "POST", f"/api/v1/accounts/{me.account_id}/follow")

    media = await call(
        me, "POST", "/api/v2/media", files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")}
    )
    attached = await call(
        me, "POST", "/api/v2/media", files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")}
    )
    known.add("media", media["id"], attached["id"])

    mine = await call(me, "POST", "/api/v1/statuses", json={"status": f"Hello #{TAG}"})
    with_media = await call(
        me, "POST", "/api/v1/statuses", json={"status": "a photo", "media_ids": [attached["id"]]}
    )
    polled = await call(
        me,
        "POST",
        "/api/v1/statuses",
        json={"status": "which?", "poll": {"options": ["this", "that"], "expires_in": 86400}},
    )
    theirs = await call(
        friend, "POST", "/api/v1/statuses", json={"status": f"hi @{me.username} #{TAG}"}
    )
    reply = await call(
        me, "POST", "/api/v1/statuses", json={"status": "hi back", "in_reply_to_id": theirs["id"]}
    )
    direct = await call(
        friend,
        "POST",
        "/api/v1/statuses",
        json={"status": f"@{me.username} psst", "visibility": "direct"},
    )
    known.add(
        "status",
        mine["id"],
        with_media["id"],
        polled["id"],
        theirs["id"],
        reply["id"],
        direct["id"],
    )
    known.add("poll", polled["poll"]["id"])
    await call(friend, "POST", f"/api/v1/statuses/{mine['id']}/favourite")
    await call(me, "POST", f"/api/v1/statuses/{theirs['id']}/bookmark")

    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    scheduled = await call(
        me, "POST", "/api/v1/statuses", json={"status": "later", "scheduled_at": later}
    )
    known.add("scheduled_status", scheduled["id"])

    found = await call(me, "POST", "/api/v1/lists", json={"title": "Friends"})
    await call(
        me,
        "POST",
        f"/api/v1/lists/{found['id']}/accounts",
        json={"account_ids": [str(friend.account_id)]},
    )
    known.add("list", found["id"])

    v2 = await call(
        me,
        "POST",
        "/api/v2/filters",
        json={
            "title": "Spoilers",
            "context": ["home", "public"],
            "filter_action": "warn",
            "keywords_attributes": [{"keyword": "spoiler", "whole_word": True}],
        },
    )
    status_filter = await call(
        me, "POST", f"/api/v2/filters/{v2['id']}/statuses", json={"status_id": theirs["id"]}
    )
    v1 = await call(me, "POST", "/api/v1/filters", json={"phrase": "boring", "context": ["home"]})
    known.add("filter", v2["id"])
    known.add("filter_keyword", *(keyword["id"] for keyword in v2["keywords"]))
    known.add("filter_status", status_filter["id"])
    known.add("v1_filter", v1["id"])

    featured = await call(me, "POST", "/api/v1/featured_tags", json={"name": TAG})
    known.add("featured_tag", featured["id"])

    notifications = await call(me, "GET", "/api/v1/notifications")
    known.add("notification", *(item["id"] for item in notifications))
    conversations = await call(me, "GET", "/api/v1/conversations")
    known.add("conversation", *(item["id"] for item in conversations))
    return known
