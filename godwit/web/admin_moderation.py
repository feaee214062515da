"""The moderation pipeline's settings (admins only): ``/admin/moderation`` — the threat
policy, the posting limits, and the community's rules (keywords and regular expressions,
each with an action).

Everything goes through ``services.content_rules``, which checks the admin role in the
transaction and writes the audit entry with each change; the pipeline applies a change
from the next post on. Moderators are told the page is for administrators (403); members
are not told it exists (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from godwit.domain.audit import MAX_REASON, check_reason
from godwit.domain.content_review import MAX_RULE_PATTERN, MAX_RULE_REASON, CommunityRule
from godwit.domain.content_rules import (
    LIMIT_KEYS,
    MAX_CONTENT_RULES,
    MAX_LIMIT,
    MAX_NEW_ACCOUNT_DAYS,
    PolicyChange,
    RuleChange,
)
from godwit.domain.errors import Forbidden, Invalid
from godwit.domain.roles import NOT_ADMIN
from godwit.web import forms
from godwit.web.admin_common import (
    StaffContext,
    field_problems,
    path_id,
    refusal_summary,
    render_admin,
    require_staff,
)
from godwit.web.context import services
from godwit.web.endpoint import redirect, web_route

PAGE = "/admin/moderation"
# The presets in plain words: what each lets through and what it costs moderators.
MODES = (
    ("off", "Off", "The threat scorer does not run. Only the rules and limits below apply."),
    (
        "strict",
        "Strict",
        "Flags the most posts: catches more threats, and moderators see more ordinary heated "
        "posts (idioms, news, games) in the queue.",
    ),
    (
        "standard",
        "Standard",
        "The balance: holds likely threats for review and puts a content warning on posts "
        "a strict community would hold.",
    ),
    (
        "lenient",
        "Lenient",
        "Flags the fewest posts: only the clearest threats wait for a moderator, and a few "
        "more threats reach timelines before anyone looks.",
    ),
    (
        "custom",
        "Custom thresholds",
        "You choose the scores below (0 to 1; higher means more likely a threat).",
    ),
)
KINDS = (
    ("keyword", "Keyword or phrase", "Whole words, ignoring case and letter width."),
    ("regex", "Regular expression", "Case-insensitive; a pattern that runs too long is skipped."),
)
ACTIONS = (
    ("hold", "Hold for review", "Only the author sees the post until a moderator decides."),
    ("label", "Add a content warning", "The reason becomes the post's content warning."),
    ("reject", "Reject", "The post is refused and the author is shown the reason."),
)
# The limit fields: (form name, server setting, label, hint, maximum).
LIMITS = (
    ("max_mentions", LIMIT_KEYS[0], "Most mentions in a post", "0: no limit.", MAX_LIMIT),
    ("max_links", LIMIT_KEYS[1], "Most links in a post", "0: no limit.", MAX_LIMIT),
    (
        "new_account_days",
        LIMIT_KEYS[2],
        "New accounts: days",
        "Accounts younger than this get the limits below and the rules marked for new accounts.",
        MAX_NEW_ACCOUNT_DAYS,
    ),
    (
        "new_account_max_mentions",
        LIMIT_KEYS[3],
        "New accounts: most mentions in a post",
        "0: no limit.",
        MAX_LIMIT,
    ),
    (
        "new_account_max_links",
        LIMIT_KEYS[4],
        "New accounts: most links in a post",
        "0: no limit.",
        MAX_LIMIT,
    ),
)
MAXIMA = {
    "pattern": MAX_RULE_PATTERN,
    "rule_reason": MAX_RULE_REASON,
    "rules": MAX_CONTENT_RULES,
    "note": MAX_REASON,
}


async def _require_admin(request: Request) -> StaffContext:
    staff = await require_staff(request)
    if not staff.viewer.is_admin:
        raise Forbidden(NOT_ADMIN)  # the service would refuse too; say so before any form
    return staff


async def moderation_page(request: Request) -> Response:
    staff = await _require_admin(request)
    return await _page(request, staff)


def _show_rule(rule: CommunityRule) -> dict[str, Any]:
    return {
        "id": str(rule.id),
        "kind": rule.kind.value,
        "pattern": rule.pattern,
        "action": rule.action.word,
        "reason": rule.reason,
        "new_accounts_only": rule.new_accounts_only,
    }


async def _page(
    request: Request,
    staff: StaffContext,
    *,
    form_key: str = "",
    problems: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; after a refused form, ``form_key`` names it ("policy", "rule-new",
    "rule-<id>") and ``problems`` (by field) and ``values`` show it again as sent."""
    current = await services(request).content_rules.current(staff.actor)
    stored = {key: str(value) for key, value in current.values.items()}
    return await render_admin(
        request,
        staff,
        "admin/moderation.html",
        "moderation",
        {
            "policy": {
                "threat_policy": stored["moderation_threat_policy"],
                "hold_threshold": stored["moderation_hold_threshold"],
                "label_threshold": stored["moderation_label_threshold"],
                **{name: stored[key] for name, key, *_rest in LIMITS},
            },
            "new_account_days": current.policy.limits.new_account_days,
            "scorer_available": current.scorer_available,
            "presets": {name: f"{score:.2f}" for name, score in current.preset_thresholds.items()},
            "rules": [_show_rule(rule) for rule in current.rules],
            "modes": MODES,
            "kinds": KINDS,
            "actions": ACTIONS,
            "action_labels": {value: label for value, label, _hint in ACTIONS},
            "limit_fields": LIMITS,
            "maxima": MAXIMA,
            "form_key": form_key,
            "summary": (
                refusal_summary(
                    ("The policy was" if form_key == "policy" else "The rule was"), problems or {}
                )
                if form_key
                else []
            ),
            "problems": problems or {},
            "values": values or {},
        },
        status_code=status_code,
    )


def _whole(sent: Mapping[str, str], name: str) -> int:
    """A limit field: blank is 0 (no limit); anything but digits is refused."""
    raw = sent[name].strip() or "0"
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise Invalid(
            f"Validation failed: {name} must be a whole number",
            {name: [("ERR_INVALID", "must be a whole number")]},
        )
    return int(raw)


async def save_policy(request: Request) -> Response:
    """POST /admin/moderation: the whole policy; the service stores what changed."""
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    names = ("threat_policy", "hold_threshold", "label_threshold", "reason")
    sent = {name: forms.text(form, name, max_length=MAX_REASON + 1) for name in names}
    sent |= {name: forms.text(form, name, max_length=20) for name, *_rest in LIMITS}
    try:
        change = PolicyChange(
            threat_policy=sent["threat_policy"],
            hold_threshold=sent["hold_threshold"][:20],
            label_threshold=sent["label_threshold"][:20],
            max_mentions=_whole(sent, "max_mentions"),
            max_links=_whole(sent, "max_links"),
            new_account_days=_whole(sent, "new_account_days"),
            new_account_max_mentions=_whole(sent, "new_account_max_mentions"),
            new_account_max_links=_whole(sent, "new_account_max_links"),
        )
        await services(request).content_rules.update_policy(staff.actor, change, _note(sent))
    except Invalid as error:
        return await _page(
            request, staff, form_key="policy", problems=field_problems(error), values=sent,
            status_code=422,
        )  # fmt: skip
    return redirect(PAGE, "moderation_saved")


def _rule_fields(form: FormData) -> tuple[RuleChange, dict[str, str]]:
    sent = {
        "kind": forms.text(form, "kind", max_length=20),
        "pattern": forms.text(form, "pattern", max_length=MAX_RULE_PATTERN + 1),
        "action": forms.text(form, "action", max_length=20),
        "rule_reason": forms.text(form, "rule_reason", max_length=MAX_RULE_REASON + 1),
        "new_accounts_only": "1" if forms.checked(form, "new_accounts_only") else "",
        "reason": forms.text(form, "reason", max_length=MAX_REASON + 1),
    }
    change = RuleChange(
        kind=sent["kind"],
        pattern=sent["pattern"],
        action=sent["action"],
        reason=sent["rule_reason"],
        new_accounts_only=bool(sent["new_accounts_only"]),
    )
    return change, sent


def _rule_problems(error: Invalid) -> dict[str, str]:
    """The service calls the rule's reason ``reason``; the form calls it ``rule_reason``, as
    ``reason`` is the note for the audit log there, as on every admin form."""
    found = field_problems(error)
    if "reason" in found:
        found["rule_reason"] = found.pop("reason")
    return found


def _note(sent: Mapping[str, str]) -> str:
    """The note for the audit log, checked here so its problem is not taken for the rule's."""
    try:
        return check_reason(sent["reason"])
    except Invalid as error:
        raise Invalid(error.message, {"note": error.details["reason"]}) from None


async def add_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    change, sent = _rule_fields(form)
    try:
        await services(request).content_rules.add_rule(staff.actor, change, _note(sent))
    except Invalid as error:
        return await _page(
            request, staff, form_key="rule-new", problems=_rule_problems(error), values=sent,
            status_code=422,
        )  # fmt: skip
    return redirect(PAGE, "content_rule_added", fragment="content-rules")


async def update_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    rule_id = path_id(request)
    change, sent = _rule_fields(form)
    try:
        await services(request).content_rules.update_rule(staff.actor, rule_id, change, _note(sent))
    except Invalid as error:
        return await _page(
            request, staff, form_key=f"rule-{rule_id}", problems=_rule_problems(error),
            values=sent, status_code=422,
        )  # fmt: skip
    return redirect(PAGE, "content_rule_saved", fragment=f"content-rule-{rule_id}")


async def delete_rule(request: Request) -> Response:
    staff = await _require_admin(request)
    form = await forms.read_form(request)
    reason = forms.text(form, "reason", max_length=MAX_REASON + 1)
    await services(request).content_rules.delete_rule(staff.actor, path_id(request), reason)
    return redirect(PAGE, "content_rule_deleted", fragment="content-rules")


routes = [
    web_route(PAGE, moderation_page),
    web_route(PAGE, save_policy, ["POST"]),
    web_route(f"{PAGE}/rules", add_rule, ["POST"]),
    web_route(f"{PAGE}/rules/{{id}}", update_rule, ["POST"]),
    web_route(f"{PAGE}/rules/{{id}}/delete", delete_rule, ["POST"]),
]
