"""Writing a post in the browser: the compose form's context and its POST handler.

The form works without JavaScript: a plain multipart POST to /web/statuses. The script only
adds the live character counter and image previews.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.ids import parse_id
from godwit.domain.posting import MAX_SPOILER_CHARS
from godwit.services.statuses import PostRequest
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.session import Viewer, require_viewer

VISIBILITIES = (
    ("public", "Public", "Anyone can see it, in every timeline"),
    ("unlisted", "Quiet public", "Anyone can see it, kept out of public timelines"),
    ("private", "Followers only", "Only your followers can see it"),
    ("direct", "Mentioned people only", "Only the people you mention can see it"),
)


async def compose_context(
    request: Request, viewer: Viewer, *, reply_to: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the compose form needs: limits, the member's default visibility, the reply."""
    essentials = await services(request).instance.essentials()
    source = viewer.account.get("source") or {}
    default = source.get("privacy") if isinstance(source, dict) else None
    if reply_to is not None and reply_to.get("visibility") in ("private", "direct"):
        default = reply_to["visibility"]
    mentions = ""
    if reply_to is not None:
        names = [reply_to["account"]["acct"]] + [m["acct"] for m in reply_to.get("mentions", [])]
        own = viewer.account["acct"]
        mentions = " ".join(f"@{name}" for name in dict.fromkeys(names) if name != own)
    return {
        "compose": {
            "max_chars": essentials["max_status_chars"],
            "visibility": default or "public",
            "visibilities": VISIBILITIES,
            "reply_to": reply_to,
            "text": f"{mentions} " if mentions else "",
            "spoiler_max": MAX_SPOILER_CHARS,
        }
    }


async def create_status(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    reply_to = parse_id(forms.text(form, "in_reply_to_id")) if form.get("in_reply_to_id") else None
    visibility = forms.text(form, "visibility", max_length=16) or None
    await services(request).statuses.create(
        viewer.account_id,
        PostRequest(
            text=forms.text(form, "status"),
            spoiler_text=forms.text(form, "spoiler_text", max_length=MAX_SPOILER_CHARS * 2),
            sensitive=forms.checked(form, "sensitive") or None,
            visibility=visibility,
            in_reply_to_id=reply_to,
            idempotency_key=forms.text(form, "idempotency_key", max_length=64) or None,
        ),
        application_id=viewer.credentials.app_id,
    )
    return redirect(safe_return_path(forms.text(form, "return_to"), "/home"), "posted")


routes = [web_route("/web/statuses", create_status, ["POST"])]
