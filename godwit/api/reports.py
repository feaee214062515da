"""POST /api/v1/reports: a member reports an account (and some of its posts) to moderators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.auth import require_user
from godwit.api.context import params, services
from godwit.api.http import json_response
from godwit.domain.errors import Invalid
from godwit.domain.reports import MAX_COMMENT_CHARS
from godwit.entities.discovery import render_report
from godwit.services.reports import ReportRequest


async def file_report(request: Request) -> Response:
    creds = await require_user(request, "write:reports")
    assert creds.account_id is not None
    p = await params(request)
    account_id = p.id("account_id")
    if account_id is None:
        raise Invalid(
            "Validation failed: account_id can't be blank",
            {"account_id": [("ERR_BLANK", "can't be blank")]},
        )
    filed = await services(request).reports.file(
        creds.account_id,
        ReportRequest(
            account_id=account_id,
            status_ids=p.id_list("status_ids"),
            rule_ids=p.id_list("rule_ids"),
            category=p.str("category", max_length=32),
            # Longer comments are refused by the rule with a clear message, not cut here.
            comment=p.str("comment", "", max_length=MAX_COMMENT_CHARS * 10) or "",
            forward=bool(p.bool("forward", False)),
        ),
    )
    return json_response(render_report(filed, services(request).settings))


routes: list[BaseRoute] = [Route("/api/v1/reports", file_report, methods=["POST"])]
