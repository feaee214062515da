"""The List entity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from godwit.domain.lists import AccountList


def render_list(found: AccountList) -> dict[str, Any]:
    return {
        "id": str(found.id),
        "title": found.title,
        "replies_policy": found.replies_policy.value,
        "exclusive": found.exclusive,
    }


def render_lists(found: Sequence[AccountList]) -> list[dict[str, Any]]:
    return [render_list(item) for item in found]
