"""Helpers for page tests that need posts and names: made through the real services, so the
pages are tested against the same rows the app itself writes."""

from __future__ import annotations

from godwit.app import Components
from godwit.services.profiles import ProfileUpdate
from godwit.services.statuses import PostRequest
from tests.factories import Member

XSS_NAME = "<img src=x onerror=alert(1)>"  # fits the 30-character limit
XSS_TEXT = "<script>alert('owned')</script> look #inert"


async def post(
    components: Components, author: Member, text: str, *, visibility: str = "public"
) -> str:
    """Publish a post as ``author`` and let its jobs (mentions, hashtags) run; its id."""
    view = await components.services.statuses.create(
        author.account_id, PostRequest(text=text, visibility=visibility)
    )
    await settle(components)
    return str(view.status.id)


async def settle(components: Components) -> None:
    """Run every queued job now (notifications of mentions, fan-out)."""
    await components.job_runner.run_until_idle()


async def rename(components: Components, member: Member, display_name: str) -> None:
    await components.services.accounts.update_credentials(
        member.account_id, ProfileUpdate(display_name=display_name)
    )
