"""Lists: the member's named sets of followed accounts, each with its own timeline.

/lists shows them with a form to make one; /lists/{id} shows the list's timeline beside
its settings, its members (with remove buttons) and a search of the accounts the member
follows, to add them. Another member's list, or one that does not exist, is a 404: the
service answers NotFound for both, so a list id reveals nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.lists import MAX_TITLE_LENGTH, RepliesPolicy, parse_replies_policy
from godwit.entities.accounts import render_accounts
from godwit.entities.lists import render_list, render_lists
from godwit.services.search import SearchRequest
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.feeds import page_request, statuses_context
from godwit.web.pages import render
from godwit.web.search_pages import clean_query
from godwit.web.session import Viewer, require_viewer

MAX_QUERY_LENGTH = 200
CANDIDATES = 10  # accounts offered for one search of the "add people" box
REPLIES_POLICIES = (
    (RepliesPolicy.LIST.value, "Replies to members of the list"),
    (RepliesPolicy.FOLLOWED.value, "Replies to anyone you follow"),
    (RepliesPolicy.NONE.value, "No replies to others"),
)


def _list_id(request: Request) -> int:
    value = parse_id(request.path_params.get("id"))
    if value is None:
        raise NotFound()
    return value


def _problems(error: Invalid) -> tuple[dict[str, str], str | None]:
    """Field errors to show beside their inputs, and the rest as one line for the form."""
    fields = {name: problems[0][1] for name, problems in error.details.items() if name != "base"}
    general = None if fields else error.message.removeprefix("Validation failed: ")
    return fields, general


def _settings_form(form: Any) -> tuple[str, RepliesPolicy, bool]:
    title = forms.text(form, "title", max_length=MAX_TITLE_LENGTH * 4)
    policy = parse_replies_policy(
        forms.text(form, "replies_policy", max_length=16) or None, RepliesPolicy.LIST
    )
    return title, policy, forms.checked(form, "exclusive")


def _draft(form: Any) -> dict[str, Any]:
    """The settings as typed, to show again beside the errors of a refused form."""
    return {
        "title": forms.text(form, "title", max_length=MAX_TITLE_LENGTH * 4),
        "replies_policy": forms.text(form, "replies_policy", max_length=16),
        "exclusive": forms.checked(form, "exclusive"),
    }


# --- /lists ------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    viewer = await require_viewer(request)
    return await _index(request, viewer)


async def _index(
    request: Request,
    viewer: Viewer,
    *,
    draft: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    form_error: str | None = None,
    status_code: int = 200,
) -> Response:
    owned = await services(request).lists.owned(viewer.account_id)
    return await render(
        request,
        "lists.html",
        {
            "lists": sorted(render_lists(owned), key=lambda item: item["title"].casefold()),
            "policies": REPLIES_POLICIES,
            "policy_labels": dict(REPLIES_POLICIES),
            "draft": draft or {"title": "", "replies_policy": "list", "exclusive": False},
            "problems": problems or {},
            "form_error": form_error,
            "max_title": MAX_TITLE_LENGTH,
        },
        status_code=status_code,
    )


async def create(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    draft = _draft(form)
    try:
        title, policy, exclusive = _settings_form(form)
        created = await services(request).lists.create(viewer.account_id, title, policy, exclusive)
    except Invalid as error:
        problems, general = _problems(error)
        return await _index(
            request, viewer, draft=draft, problems=problems, form_error=general, status_code=422
        )
    return redirect(f"/lists/{created.id}", "list_created")


# --- /lists/{id} -------------------------------------------------------------------------


async def show(request: Request) -> Response:
    viewer = await require_viewer(request)
    return await _show(request, viewer, _list_id(request))


async def _show(
    request: Request,
    viewer: Viewer,
    list_id: int,
    *,
    draft: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    form_error: str | None = None,
    status_code: int = 200,
) -> Response:
    wired = services(request)
    found = render_list(await wired.lists.get(viewer.account_id, list_id))
    views = await wired.lists.timeline(viewer.account_id, list_id, page_request(request))
    members = await wired.lists.members(viewer.account_id, list_id, None)
    member_ids = {str(item.account.id) for item in members}
    query = clean_query(request.query_params.get("q", "")[:MAX_QUERY_LENGTH])
    candidates: list[dict[str, Any]] = []
    if query:
        found_accounts = await wired.search.search(
            SearchRequest(query=query, type="accounts", limit=CANDIDATES, following=True),
            viewer.account_id,
        )
        candidates = render_accounts(found_accounts.accounts, wired.settings)
    return await render(
        request,
        "list.html",
        {
            **statuses_context(request, views),
            "list": found,
            "live": f"list:{list_id}",
            "members": render_accounts([item.account for item in members], wired.settings),
            "member_ids": member_ids,
            "q": query,
            "candidates": candidates,
            "policies": REPLIES_POLICIES,
            "policy_labels": dict(REPLIES_POLICIES),
            "draft": draft,
            "problems": problems or {},
            "form_error": form_error,
            "max_title": MAX_TITLE_LENGTH,
            "list_path": f"/lists/{list_id}",
            # Just changed: show the members open, so the change can be seen.
            "members_open": request.query_params.get("notice")
            in ("list_member_added", "list_member_removed"),
        },
        status_code=status_code,
    )


async def update(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    list_id = _list_id(request)
    draft = _draft(form)
    try:
        title, policy, exclusive = _settings_form(form)
        await services(request).lists.update(
            viewer.account_id, list_id, title=title, replies_policy=policy, exclusive=exclusive
        )
    except Invalid as error:
        problems, general = _problems(error)
        return await _show(
            request,
            viewer,
            list_id,
            draft=draft,
            problems=problems,
            form_error=general,
            status_code=422,
        )
    return redirect(f"/lists/{list_id}", "saved")


async def delete(request: Request) -> Response:
    viewer = await require_viewer(request)
    await forms.read_form(request)
    await services(request).lists.delete(viewer.account_id, _list_id(request))
    return redirect("/lists", "list_deleted")


async def _change_members(request: Request, *, add: bool) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    list_id = _list_id(request)
    account_id = parse_id(forms.text(form, "account_id", max_length=20))
    if account_id is None:
        raise NotFound()
    lists = services(request).lists
    if add:
        await lists.add_members(viewer.account_id, list_id, [account_id])
    else:
        await lists.remove_members(viewer.account_id, list_id, [account_id])
    back = safe_return_path(forms.text(form, "return_to"), f"/lists/{list_id}")
    return redirect(back, "list_member_added" if add else "list_member_removed")


async def add_member(request: Request) -> Response:
    return await _change_members(request, add=True)


async def remove_member(request: Request) -> Response:
    return await _change_members(request, add=False)


routes = [
    web_route("/lists", index),
    web_route("/web/lists", create, ["POST"]),
    web_route("/lists/{id}", show),
    web_route("/web/lists/{id}", update, ["POST"]),
    web_route("/web/lists/{id}/delete", delete, ["POST"]),
    web_route("/web/lists/{id}/accounts", add_member, ["POST"]),
    web_route("/web/lists/{id}/accounts/remove", remove_member, ["POST"]),
]
