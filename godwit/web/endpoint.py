"""How a web page handler is wrapped: the errors of the core become pages, not JSON.

``web_route`` makes a Starlette route whose handler may raise any domain error: a missing
thing is a 404 page, a refusal a 403 page, a rate limit a 429 page with Retry-After, an
invalid form a 422 page with the reason, a clash with the current state (someone else did
it first) a 409 page, a server too busy to answer (every database connection in use) a 503
page with Retry-After; a page that needs a member sends the browser to sign in and back.
Nothing a handler raises becomes a 500 unless it is a real bug.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from godwit.domain.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)
from godwit.web.context import services
from godwit.web.forms import FormRejected
from godwit.web.pages import render, render_page
from godwit.web.session import SignInRequired

Handler = Callable[[Request], Awaitable[Response]]


def page(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except (SignInRequired, Unauthorized):
            return sign_in_redirect(request)
        except FormRejected as error:
            return await error_page(request, error.status, error.title, error.message)
        except NotFound:
            return await error_page(
                request, 404, "Not found", "This page does not exist, or you may not see it."
            )
        except Forbidden as error:
            return await error_page(request, 403, "Not allowed", error.message)
        except RateLimited as error:
            return await error_page(
                request,
                429,
                "Slow down",
                error.message,
                headers={"Retry-After": str(error.retry_after)},
            )
        except Invalid as error:
            return await error_page(request, 422, "That did not work", error.message)
        except Conflict as error:
            return await error_page(request, 409, "Already done", error.message)
        except Unavailable as error:
            return busy_page(request, error)

    return wrapped


def web_route(path: str, handler: Handler, methods: Sequence[str] = ("GET",)) -> Route:
    methods = list(methods)
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return Route(path, page(handler), methods=methods)


async def error_page(
    request: Request,
    status: int,
    title: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
) -> Response:
    return await render(
        request,
        "error.html",
        {"title": title, "message": message, "status": status},
        status_code=status,
        headers=headers,
    )


def busy_page(request: Request, error: Unavailable) -> Response:
    """The 503 page, without the member frame: the frame reads the database, which is what
    is busy."""
    context = {
        "title": "Busy",
        "message": error.message,
        "status": 503,
        "path": request.url.path,
        "instance_title": services(request).settings.domain,
    }
    headers = {"Retry-After": str(error.retry_after)}
    return render_page(request, "error.html", context, status_code=503, headers=headers)


def safe_return_path(value: str | None, default: str = "/home") -> str:
    """A path on this site to go back to; anything else (another host, a scheme,
    backslashes, control characters) falls back to ``default``: no open redirect."""
    if (
        not value
        or len(value) > 2000
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(char) < 32 for char in value)
    ):
        return default
    return value


def redirect(path: str, notice: str | None = None, *, fragment: str = "") -> RedirectResponse:
    """303 to a path on this site (after a POST, so a reload does not send it again)."""
    target = safe_return_path(path)
    if notice:
        target += ("&" if "?" in target else "?") + urlencode({"notice": notice})
    if fragment:
        target += "#" + quote(fragment)
    return RedirectResponse(target, status_code=303)


def sign_in_redirect(request: Request) -> RedirectResponse:
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        back = "/home"  # the form is lost; start again from the home page
    return RedirectResponse("/auth/sign_in?" + urlencode({"next": back}), status_code=303)
