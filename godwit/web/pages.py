"""Rendering HTML pages: Jinja2 with autoescaping, and the headers every page carries.

Pages run no script at all. The stylesheet is inlined and allowed by its hash, so the
Content-Security-Policy needs neither 'unsafe-inline' nor a static file route.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.responses import HTMLResponse

_HERE = Path(__file__).parent
_ENV = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_CSS = (_HERE / "static" / "oauth.css").read_text(encoding="utf-8")
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode("utf-8")).digest()).decode("ascii")


def content_security_policy(form_targets: Sequence[str] = ()) -> str:
    """No scripts, no framing, forms only to this site (and where its redirect leads:
    browsers apply form-action to the redirect that follows a form submission)."""
    form_action = " ".join(("'self'", *form_targets))
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{_CSS_HASH}'; "
        "img-src 'self' data:; "
        f"form-action {form_action}; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def render_page(
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    form_targets: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    html = _ENV.get_template(template).render(
        {**context, "stylesheet": Markup(_CSS)}  # noqa: S704 (our own file, not input)
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers.update(
        {
            "Content-Security-Policy": content_security_policy(form_targets),
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
            # The page URL and the redirect carry codes and state: never leak them onward.
            "Referrer-Policy": "no-referrer",
            **(headers or {}),
        }
    )
    return response
