"""How a held post's review shows on the moderators' pages: the verdict, the score, and
each reason (the community rule, the posting limit, or the threat score with the seed
examples nearest to the post) in plain words."""

from __future__ import annotations

import re
from typing import Any

from godwit.domain.content_review import Reason, StatusReview, Verdict

VERDICT_LABELS = {
    Verdict.PUBLISH: "Publish",
    Verdict.LABEL: "Publish with a content warning",
    Verdict.HOLD: "Hold for review",
    Verdict.REJECT: "Reject",
}
SOURCE_LABELS = {
    "rule": "Community rule",
    "limit": "Posting limit",
    "scorer": "Threat score",
}
DECISION_LABELS = {"approved": "Approved", "rejected": "Rejected"}

# The scorer's detail reads "threat score 0.91 ≥ 0.60; nearest examples: threat (category,
# similarity 0.83): 'text'; not a threat (…)": split into the headline and one line per
# example. An example's own text may contain "; ", so a split needs the next label after it.
_NEAREST = "; nearest examples: "
_EXAMPLE_SPLIT = re.compile(r"; (?=(?:threat|not a threat) \([^)]*similarity -?[\d.]+\): )")
_EXAMPLE = re.compile(
    r"^(?P<kind>threat|not a threat) \((?P<category>.*?), similarity (?P<similarity>-?[\d.]+)\): "
    r"(?P<text>.*)$",
    re.S,
)


def _unquote(text: str) -> str:
    """The example's text without the quotes ``repr`` put around it."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].replace("\\'", "'").replace('\\"', '"').replace("\\\\", "\\")
    return text


def _examples(raw: str) -> list[dict[str, Any]]:
    examples = []
    for part in _EXAMPLE_SPLIT.split(raw):
        found = _EXAMPLE.match(part)
        if found is None:
            examples.append({"threat": None, "category": "", "similarity": "", "text": part})
            continue
        examples.append(
            {
                "threat": found["kind"] == "threat",
                "category": found["category"],
                "similarity": found["similarity"],
                "text": _unquote(found["text"]),
            }
        )
    return examples


def show_reason(reason: Reason) -> dict[str, Any]:
    detail, nearest = reason.detail, []
    if reason.source == "scorer" and _NEAREST in detail:
        detail, raw = detail.split(_NEAREST, 1)
        nearest = _examples(raw)
    return {
        "source": SOURCE_LABELS.get(reason.source, reason.source),
        "verdict": VERDICT_LABELS[reason.verdict],
        "detail": detail,
        "rule_id": str(reason.rule_id) if reason.rule_id is not None else None,
        "nearest": nearest,
    }


def show_review(review: StatusReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "verdict": VERDICT_LABELS[review.verdict],
        "score": f"{review.score:.2f}" if review.score is not None else None,
        "reasons": [show_reason(reason) for reason in review.reasons],
        "decision": DECISION_LABELS.get(review.decision or "", ""),
        "decision_note": review.decision_note,
        "decided_at": review.decided_at,
        "summary": _summary(review),
    }


def _summary(review: StatusReview) -> str:
    """One line for the queue's table: the score, or what held the post."""
    if review.score is not None and any(r.source == "scorer" for r in review.reasons):
        return f"Threat score {review.score:.2f}"
    first = review.reasons[0] if review.reasons else None
    return SOURCE_LABELS.get(first.source, first.source) if first else "Held"
