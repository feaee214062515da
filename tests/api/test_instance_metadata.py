"""Instance v1/v2, rules, peers, activity, custom emojis and NodeInfo."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import insert

from godwit import __version__
from godwit.app import Components
from godwit.domain.ids import new_id
from godwit.storage.schema import custom_emojis
from tests.factories import make_member
from tests.notifications_support import make_remote_account, make_status
from tests.support.push_endpoint import unb64url


def _components(client: httpx.AsyncClient) -> Components:
    return client.app.state.components  # type: ignore[attr-defined,no-any-return]


async def test_v2_instance_describes_the_server_from_settings(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/instance")
    assert response.status_code == 200
    body = response.json()
    assert body["domain"] == "godwit.test"
    assert body["title"] == "Godwit"
    assert body["version"] == f"4.3.0 (compatible; Godwit {__version__})"
    assert body["api_versions"] == {"mastodon": 2}
    configuration = body["configuration"]
    assert configuration["urls"]["streaming"] == "wss://godwit.test"
    assert configuration["statuses"] == {
        "max_characters": 500,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    assert configuration["translation"] == {"enabled": False}
    # The instance's VAPID key for Web Push: an uncompressed P-256 point, base64url.
    assert len(unb64url(configuration["vapid"]["public_key"])) == 65
    assert body["registrations"]["enabled"] is True
    assert body["registrations"]["approval_required"] is False
    assert body["contact"] == {"email": "", "account": None}
    assert body["rules"] == []
    assert body["usage"] == {"users": {"active_month": 0}}
    assert body["thumbnail"]["url"] == "https://godwit.test/static/instance-thumbnail.png"


async def test_the_thumbnail_is_served_as_a_png(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/instance-thumbnail.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


async def test_v1_instance_has_its_own_shape(client: httpx.AsyncClient) -> None:
    await make_member(_components(client), "alice")
    await make_member(_components(client), "bob")
    response = await client.get("/api/v1/instance")
    assert response.status_code == 200
    body = response.json()
    assert body["uri"] == "godwit.test"
    assert body["urls"] == {"streaming_api": "wss://godwit.test"}
    assert body["stats"] == {"user_count": 2, "status_count": 0, "domain_count": 0}
    assert body["thumbnail"] == "https://godwit.test/static/instance-thumbnail.png"
    assert body["registrations"] is True
    assert body["approval_required"] is False
    assert body["configuration"]["statuses"]["max_characters"] == 500
    assert body["contact_account"] is None


async def test_server_settings_override_the_environment(client: httpx.AsyncClient) -> None:
    components = _components(client)
    async with components.store.write() as tx:
        await tx.instance.set_setting("instance_title", "Shorebirds")
        await tx.instance.set_setting("registration_mode", "approval")
        await tx.instance.set_setting("contact_email", "ops@godwit.test")
        await tx.instance.set_setting("instance_description", 42)  # malformed: ignored
    v2 = (await client.get("/api/v2/instance")).json()
    assert v2["title"] == "Shorebirds"
    assert v2["registrations"] == {
        "enabled": True,
        "approval_required": True,
        "reason_required": True,
        "message": None,
        "min_age": None,
        "url": None,
    }
    assert v2["contact"]["email"] == "ops@godwit.test"
    assert v2["description"] == components.settings.instance_description
    v1 = (await client.get("/api/v1/instance")).json()
    assert v1["title"] == "Shorebirds"
    assert v1["approval_required"] is True
    assert v1["email"] == "ops@godwit.test"

    async with components.store.write() as tx:
        await tx.instance.set_setting("registration_mode", "closed")
    v2 = (await client.get("/api/v2/instance")).json()
    assert v2["registrations"]["enabled"] is False
    assert (await client.get("/api/v1/instance")).json()["registrations"] is False


async def test_get_and_set_setting_round_trip(components: Components) -> None:
    async with components.store.write() as tx:
        assert await tx.instance.get_setting("registration_mode") is None
        await tx.instance.set_setting("registration_mode", "closed")
        await tx.instance.set_setting("registration_mode", "approval")
        await tx.instance.set_setting("limits", {"a": [1, 2]})
    async with components.store.read() as tx:
        assert await tx.instance.get_setting("registration_mode") == "approval"
        assert await tx.instance.get_setting("limits") == {"a": [1, 2]}
        assert await tx.instance.settings() == {
            "registration_mode": "approval",
            "limits": {"a": [1, 2]},
        }


async def test_the_first_admin_is_the_contact_account(client: httpx.AsyncClient) -> None:
    components = _components(client)
    await make_member(components, "alice")
    admin = await make_member(components, "root_admin", role="admin")
    await make_member(components, "later_admin", role="admin")
    v2 = (await client.get("/api/v2/instance")).json()
    assert v2["contact"]["account"]["id"] == str(admin.account_id)
    assert v2["contact"]["account"]["username"] == "root_admin"
    v1 = (await client.get("/api/v1/instance")).json()
    assert v1["contact_account"]["id"] == str(admin.account_id)


async def test_rules_are_listed_in_order(client: httpx.AsyncClient) -> None:
    components = _components(client)
    async with components.store.write() as tx:
        first = await tx.instance.add_rule("Be kind", "Assume good faith.")
        second = await tx.instance.add_rule("No spam")
    expected = [
        {"id": str(first.id), "text": "Be kind", "hint": "Assume good faith."},
        {"id": str(second.id), "text": "No spam", "hint": ""},
    ]
    response = await client.get("/api/v1/instance/rules")
    assert response.status_code == 200
    assert response.json() == expected
    assert (await client.get("/api/v2/instance")).json()["rules"] == expected
    assert (await client.get("/api/v1/instance")).json()["rules"] == expected


async def test_peers_are_empty_before_federation(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/instance/peers")
    assert response.status_code == 200
    assert response.json() == []


async def test_activity_counts_this_weeks_sign_ups(client: httpx.AsyncClient) -> None:
    await make_member(_components(client), "alice")
    response = await client.get("/api/v1/instance/activity")
    assert response.status_code == 200
    weeks = response.json()
    assert len(weeks) == 12
    assert weeks[0]["registrations"] == "1"
    assert all(week["registrations"] == "0" for week in weeks[1:])
    assert all(week["statuses"] == "0" and week["logins"] == "0" for week in weeks)
    starts = [int(week["week"]) for week in weeks]
    assert starts == sorted(starts, reverse=True)
    assert starts[0] - starts[1] == 7 * 24 * 3600
    monday = dt.datetime.fromtimestamp(starts[0], dt.UTC)
    assert monday.weekday() == 0
    assert (monday.hour, monday.minute) == (0, 0)


async def test_custom_emojis_empty_then_rendered(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/custom_emojis")).json() == []
    async with _components(client).database.write() as conn:
        await conn.execute(
            insert(custom_emojis).values(
                id=new_id(),
                shortcode="godwit",
                domain="",
                image_path="media/emojis/godwit.png",
                visible_in_picker=True,
                category="Birds",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        await conn.execute(
            insert(custom_emojis).values(
                id=new_id(),
                shortcode="remote_one",
                domain="elsewhere.test",
                image_path="https://elsewhere.test/e.png",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    response = await client.get("/api/v1/custom_emojis")
    assert response.status_code == 200
    assert response.json() == [
        {
            "shortcode": "godwit",
            "url": "https://godwit.test/media/emojis/godwit.png",
            "static_url": "https://godwit.test/media/emojis/godwit.png",
            "visible_in_picker": True,
            "category": "Birds",
        }
    ]


async def test_nodeinfo_discovery_and_documents(client: httpx.AsyncClient) -> None:
    await make_member(_components(client), "alice")
    links = (await client.get("/.well-known/nodeinfo")).json()["links"]
    assert links == [
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
            "href": "https://godwit.test/nodeinfo/2.0",
        },
        {
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": "https://godwit.test/nodeinfo/2.1",
        },
    ]
    response = await client.get("/nodeinfo/2.1")
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
    )
    document = response.json()
    assert document["version"] == "2.1"
    assert document["software"]["name"] == "godwit"
    assert document["software"]["version"] == __version__
    assert "repository" in document["software"]
    assert document["protocols"] == ["activitypub"]
    assert document["services"] == {"inbound": [], "outbound": []}
    assert document["openRegistrations"] is True
    assert document["usage"] == {
        "users": {"total": 1, "activeMonth": 0, "activeHalfyear": 0},
        "localPosts": 0,
    }
    assert document["metadata"]["nodeName"] == "Godwit"

    old = await client.get("/nodeinfo/2.0")
    assert old.headers["content-type"].endswith('schema/2.0#"')
    assert old.json()["version"] == "2.0"
    assert "repository" not in old.json()["software"]
    assert (await client.get("/nodeinfo/3.0")).status_code == 404


async def test_usage_counts_posts_and_active_members(client: httpx.AsyncClient) -> None:
    components = _components(client)
    alice = await make_member(components, "alice")
    await make_member(components, "idle")
    await make_status(components, alice.account_id)
    await make_status(components, alice.account_id)
    await make_remote_account(components, "far", "elsewhere.test")
    v2 = (await client.get("/api/v2/instance")).json()
    assert v2["usage"] == {"users": {"active_month": 1}}
    v1 = (await client.get("/api/v1/instance")).json()
    assert v1["stats"] == {"user_count": 2, "status_count": 2, "domain_count": 1}
    nodeinfo = (await client.get("/nodeinfo/2.0")).json()
    assert nodeinfo["usage"] == {
        "users": {"total": 2, "activeMonth": 1, "activeHalfyear": 1},
        "localPosts": 2,
    }
    weeks = (await client.get("/api/v1/instance/activity")).json()
    assert weeks[0]["statuses"] == "2"
