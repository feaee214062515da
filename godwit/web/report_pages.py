"""Reporting an account (and some of its posts) to the moderators: /report.

The form shows the reported post and the account's recent posts to attach, the server's
rules to cite and a comment box. ``services.reports.file`` checks everything again (only
posts the member can see and the account wrote, only this server's rules) and puts the
report in the moderators' queue; a mistake shows the form again with the reason beside
the field.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest
from godwit.domain.reports import (
    CATEGORIES,
    MAX_CITED_RULES,
    MAX_COMMENT_CHARS,
    MAX_REPORTED_STATUSES,
)
from godwit.entities.accounts import render_account
from godwit.entities.instance import render_rule
from godwit.entities.statuses import render_status, render_statuses
from godwit.services.reports import ReportRequest
from godwit.services.statuses import AccountStatusesFilter
from godwit.web import forms
from godwit.web.context import services
from godwit.web.endpoint import redirect, safe_return_path, web_route
from godwit.web.pages import render
from godwit.web.session import Viewer, require_viewer
from godwit.web.templating import profile_path, status_path

RECENT_POSTS = 10
# (value, label, hint) in the order the form offers them
CATEGORY_CHOICES = (
    ("spam", "It's spam", "Malicious links, fake engagement, or the same replies again and again"),
    ("violation", "It breaks this server's rules", "You know which rules it breaks"),
    ("legal", "It's illegal", "You believe it breaks the law of your country or the server's"),
    ("other", "Something else", "The problem does not fit the other choices"),
)
# The service's validation errors that belong beside a field; others go at the top.
_FIELDS = frozenset({"status_ids", "rule_ids", "category", "comment"})


@dataclass(slots=True)
class Draft:
    """The form as the member left it (empty on the first visit)."""

    category: str = ""
    rule_ids: set[str] = field(default_factory=set)
    status_ids: set[str] = field(default_factory=set)
    comment: str = ""


def _ids(values: Collection[str]) -> list[int]:
    """Well-formed ids only: a mangled checkbox value names no post or rule."""
    return [parsed for parsed in (parse_id(value) for value in values) if parsed is not None]


def _optional_id(value: str | None) -> int | None:
    """None when absent; a 404 when present but malformed (a link nobody made)."""
    if not value:
        return None
    parsed = parse_id(value)
    if parsed is None:
        raise NotFound()
    return parsed


async def _page(
    request: Request,
    viewer: Viewer,
    account_id: int,
    status_id: int | None,
    draft: Draft,
    *,
    return_to: str | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    wired = services(request)
    settings = wired.settings
    account = await wired.accounts.get(account_id)
    if account.id == viewer.account_id:
        raise Invalid("You cannot report your own account.")
    reported = None
    if status_id is not None:
        view = await wired.statuses.get(status_id, viewer.account_id)
        if view.status.account_id != account.id or view.status.reblog_of_id is not None:
            raise NotFound()
        reported = render_status(view, settings)
    try:
        recent_views = await wired.statuses.account_statuses(
            account.id,
            viewer.account_id,
            AccountStatusesFilter(exclude_reblogs=True),
            PageRequest(limit=RECENT_POSTS),
        )
    except NotFound:  # a suspended account: its posts are gone from view
        recent_views = []
    recent = [s for s in render_statuses(recent_views, settings) if s["id"] != str(status_id)]
    entity = render_account(account, settings)
    rules = [render_rule(rule) for rule in await wired.instance.rules()]
    fallback = status_path(reported) if reported else profile_path(entity)
    return await render(
        request,
        "report.html",
        {
            "account": entity,
            "reported": reported,
            "recent": recent,
            "rules": rules,
            "categories": [c for c in CATEGORY_CHOICES if rules or c[0] != "violation"],
            "draft": draft,
            "problems": problems or {},
            "max_comment": MAX_COMMENT_CHARS,
            "return_to": safe_return_path(return_to, fallback),
        },
        status_code=422 if problems else 200,
    )


async def report_form(request: Request) -> Response:
    viewer = await require_viewer(request)
    account_id = _optional_id(request.query_params.get("account_id"))
    if account_id is None:
        raise NotFound()
    status_id = _optional_id(request.query_params.get("status_id"))
    draft = Draft(status_ids={str(status_id)} if status_id else set())
    return await _page(request, viewer, account_id, status_id, draft)


def _problems(draft: Draft, rules_exist: bool) -> dict[str, str]:
    """What the member must fix before the report can go (the service checks again)."""
    problems: dict[str, str] = {}
    if draft.category not in CATEGORIES:
        problems["category"] = "Choose what is wrong."
    elif draft.category == "violation" and rules_exist and not draft.rule_ids:
        problems["rule_ids"] = "Choose at least one rule that is broken."
    if len(draft.comment) > MAX_COMMENT_CHARS:
        problems["comment"] = f"The comment is too long: at most {MAX_COMMENT_CHARS:,} characters."
    return problems


def _service_problems(error: Invalid) -> dict[str, str]:
    problems = {
        name if name in _FIELDS else "form": _sentence(name, reasons[0][1])
        for name, reasons in error.details.items()
        if reasons
    }
    return problems or {"form": error.message}


def _sentence(name: str, reason: str) -> str:
    subject = {"status_ids": "The posts", "rule_ids": "The rules"}.get(name, name.capitalize())
    return f"{subject.replace('_', ' ')} {reason}."


async def file_report(request: Request) -> Response:
    viewer = await require_viewer(request)
    form = await forms.read_form(request)
    account_id = _optional_id(forms.text(form, "account_id", max_length=32))
    if account_id is None:
        raise NotFound()
    status_id = _optional_id(forms.text(form, "status_id", max_length=32))
    draft = Draft(
        category=forms.text(form, "category", max_length=32),
        rule_ids=set(forms.texts(form, "rule_ids", max_items=MAX_CITED_RULES, max_length=32)),
        status_ids=set(
            forms.texts(form, "status_ids", max_items=MAX_REPORTED_STATUSES, max_length=32)
        ),
        # Longer comments are refused with a clear message, not cut here.
        comment=forms.text(form, "comment", max_length=MAX_COMMENT_CHARS * 10),
    )
    return_to = forms.text(form, "return_to")
    wired = services(request)
    problems = _problems(draft, bool(await wired.instance.rules()))
    if not problems:
        try:
            filed = await wired.reports.file(
                viewer.account_id,
                ReportRequest(
                    account_id=account_id,
                    status_ids=_ids(draft.status_ids),
                    # Rules only count for "breaks the rules"; boxes left ticked after
                    # switching to another category are not a contradiction to refuse.
                    rule_ids=_ids(draft.rule_ids) if draft.category == "violation" else (),
                    category=draft.category,
                    comment=draft.comment,
                ),
            )
        except Invalid as error:
            problems = _service_problems(error)
        else:
            back = safe_return_path(return_to, profile_path({"acct": filed.target.acct}))
            return redirect(back, "reported")
    return await _page(
        request, viewer, account_id, status_id, draft, return_to=return_to, problems=problems
    )


routes = [
    web_route("/report", report_form),
    web_route("/report", file_report, ["POST"]),
]
