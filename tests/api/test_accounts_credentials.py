"""verify_credentials and update_credentials."""

from __future__ import annotations

import httpx
import pytest

from tests.api.accounts_support import app_token, check_contract, components_of
from tests.factories import make_member


async def test_verify_credentials_has_source_and_role(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice", locked=True, role="admin")
    response = await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert response.status_code == 200
    check_contract(response)
    body = response.json()
    assert body["id"] == str(alice.account_id)
    assert body["locked"] is True
    assert body["source"]["privacy"] == "public"
    assert body["source"]["follow_requests_count"] == 0
    assert body["role"]["name"] == "Admin"
    assert body["avatar"] == "https://godwit.test/static/avatar-missing.png"
    assert body["created_at"].endswith("T00:00:00.000Z")


async def test_verify_credentials_scopes(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    profile_only = await make_member(components, "prof", scopes="profile")
    assert (
        await client.get("/api/v1/accounts/verify_credentials", headers=profile_only.headers)
    ).status_code == 200
    writer = await make_member(components, "writer", scopes="write")
    assert (
        await client.get("/api/v1/accounts/verify_credentials", headers=writer.headers)
    ).status_code == 403
    assert (await client.get("/api/v1/accounts/verify_credentials")).status_code == 401
    app_only = await app_token(components)
    assert (
        await client.get("/api/v1/accounts/verify_credentials", headers=app_only)
    ).status_code == 422


async def test_default_images_are_served(client: httpx.AsyncClient) -> None:
    for path in ("/static/avatar-missing.png", "/static/header-missing.png"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_update_profile_renders_note_and_fields(client: httpx.AsyncClient) -> None:
    components = components_of(client)
    alice = await make_member(components, "alice")
    await make_member(components, "bob")
    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        data={
            "display_name": "Alice <Birder>",
            "note": "Waders & gulls.\n\nFriend of @bob, see https://birds.example/a",
            "locked": "true",
            "bot": "false",
            "discoverable": "false",
            "fields_attributes[0][name]": "Site",
            "fields_attributes[0][value]": "https://alice.example",
            "fields_attributes[1][name]": "Likes",
            "fields_attributes[1][value]": "<script>x</script>",
            "source[privacy]": "private",
            "source[sensitive]": "true",
            "source[language]": "en",
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    check_contract(response)
    body = response.json()
    assert body["display_name"] == "Alice <Birder>"
    assert body["note"].startswith("<p>Waders &amp; gulls.</p><p>Friend of ")
    assert 'href="https://godwit.test/@bob"' in body["note"]
    assert 'href="https://birds.example/a"' in body["note"]
    assert body["source"]["note"].startswith("Waders & gulls.")
    assert (body["locked"], body["bot"], body["discoverable"]) == (True, False, False)
    assert [f["name"] for f in body["fields"]] == ["Site", "Likes"]
    assert body["fields"][0]["value"].startswith('<a href="https://alice.example"')
    assert body["fields"][1]["value"] == "&lt;script&gt;x&lt;/script&gt;"
    assert body["source"]["fields"][1]["value"] == "<script>x</script>"
    assert (body["source"]["privacy"], body["source"]["sensitive"]) == ("private", True)
    assert body["source"]["language"] == "en"

    again = await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)
    assert again.json()["fields"] == body["fields"]
    # a partial update leaves the rest alone
    partial = await client.patch(
        "/api/v1/accounts/update_credentials", json={"bot": True}, headers=alice.headers
    )
    assert partial.json()["display_name"] == "Alice <Birder>"
    assert partial.json()["bot"] is True
    assert len(partial.json()["fields"]) == 2


async def test_fields_as_a_json_array_and_clearing(client: httpx.AsyncClient) -> None:
    alice = await make_member(components_of(client), "alice")
    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        json={"fields_attributes": [{"name": "A", "value": "1"}, {"name": "", "value": ""}]},
        headers=alice.headers,
    )
    assert response.status_code == 200
    assert [(f["name"], f["value"]) for f in response.json()["fields"]] == [("A", "1")]
    cleared = await client.patch(
        "/api/v1/accounts/update_credentials",
        files={"fields_attributes": (None, "")},
        headers=alice.headers,
    )
    assert cleared.status_code == 200
    assert cleared.json()["fields"] == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"display_name": "x" * 31}, "display_name"),
        ({"note": "x" * 501}, "note"),
        ({"fields_attributes": [{"name": str(n), "value": "v"} for n in range(5)]}, "fields"),
        ({"fields_attributes": [{"name": "n", "value": "v" * 256}]}, "fields"),
        ({"fields_attributes": "nope"}, "fields_attributes"),
        ({"fields_attributes": [{"name": 1, "value": "v"}]}, "fields_attributes"),
        ({"locked": "perhaps"}, "locked"),
        ({"display_name": {"a": 1}}, "display_name"),
        ({"source": "public"}, "source"),
        ({"source": {"privacy": "everyone"}}, "source.privacy"),
        ({"source": {"language": "english"}}, "source.language"),
    ],
)
async def test_bad_updates_are_422_and_change_nothing(
    client: httpx.AsyncClient, payload: dict[str, object], field: str
) -> None:
    alice = await make_member(components_of(client), "alice")
    before = (await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)).json()
    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        json={"display_name": "Changed", "locked": True, **payload},
        headers=alice.headers,
    )
    assert response.status_code == 422, response.text
    check_contract(response)
    assert field in response.json()["details"]
    after = (await client.get("/api/v1/accounts/verify_credentials", headers=alice.headers)).json()
    assert after == before


async def test_update_needs_write_accounts(client: httpx.AsyncClient) -> None:
    reader = await make_member(components_of(client), "reader", scopes="read")
    response = await client.patch(
        "/api/v1/accounts/update_credentials", json={"bot": True}, headers=reader.headers
    )
    assert response.status_code == 403
