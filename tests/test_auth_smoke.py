import httpx

from godwit.app import Components
from tests.factories import make_member


async def test_a_valid_token_authenticates_and_a_bad_one_is_refused(
    client: httpx.AsyncClient,
) -> None:
    components: Components = client.app.state.components  # type: ignore[attr-defined]
    member = await make_member(components, "alice")
    credentials = await components.services.oauth.authenticate(member.token)
    assert credentials is not None
    assert credentials.account_id == member.account_id
    assert await components.services.oauth.authenticate("nope") is None
