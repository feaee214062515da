"""Rendering HTML pages: Jinja2 with autoescaping, the page frame and the headers every page
carries.

Scripts and styles come only from this site's /static/ (``assets.py``): the
Content-Security-Policy allows no inline script or style at all, and no other origin but
the media host. User content reaches templates already sanitised (``templating.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse

from godwit.web import csrf
from godwit.web.context import instance_essentials, services
from godwit.web.notices import notice_for
from godwit.web.session import current_viewer
from godwit.web.templating import ENVIRONMENT


def content_security_policy(media_origin: str = "", form_targets: Sequence[str] = ()) -> str:
    """Scripts and styles from this site only, images and media also from the media host,
    no framing, forms only to this site (and where the OAuth redirect leads: browsers apply
    form-action to the redirect that follows a form submission)."""
    media = f" {media_origin}" if media_origin else ""
    form_action = " ".join(("'self'", *form_targets))
    return (
        "default-src 'none'; "
        "script-src 'self'; "
        "style-src 'self'; "
        f"img-src 'self' data: blob:{media}; "
        f"media-src 'self' blob:{media}; "
        "connect-src 'self'; "
        "manifest-src 'self'; "
        f"form-action {form_action}; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def _media_origin(request: Request) -> str:
    base = services(request).settings.media_base_url
    parts = urlsplit(base)
    if not parts.scheme or not parts.netloc:
        return ""
    origin = f"{parts.scheme}://{parts.netloc}"
    return "" if origin == services(request).settings.base_url.rstrip("/") else origin


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    form_targets: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page without the member frame (the OAuth pages, which run before any session)."""
    token, new_cookie = csrf.form_token(request)
    html = ENVIRONMENT.get_template(template).render({"csrf_token": token, **context})
    response = HTMLResponse(html, status_code=status_code)
    _security_headers(request, response, form_targets, headers)
    csrf.set_cookie(request, response, new_cookie)
    return response


async def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page of the web app, in the frame: navigation, the signed-in member, notices."""
    return render_page(
        request,
        template,
        {**(await frame(request)), **(context or {})},
        status_code=status_code,
        headers=headers,
    )


async def frame(request: Request) -> dict[str, Any]:
    """What every page of the app shows around its content."""
    wired = services(request)
    essentials = await instance_essentials(request)
    viewer = await current_viewer(request)
    return {
        "lang": "en",
        "viewer": viewer,
        "instance_title": essentials["instance_title"],
        "instance": essentials,
        "path": request.url.path,
        "notice": notice_for(request.query_params.get("notice")),
        "base_url": wired.settings.base_url.rstrip("/"),
    }


def _security_headers(
    request: Request,
    response: HTMLResponse,
    form_targets: Sequence[str],
    headers: Mapping[str, str] | None,
) -> None:
    response.headers.update(
        {
            "Content-Security-Policy": content_security_policy(
                _media_origin(request), form_targets
            ),
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
            # Page URLs carry OAuth codes and states: never leak them onward.
            "Referrer-Policy": "no-referrer",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            **(headers or {}),
        }
    )
