"""Small helpers shared by the Mastodon.py end-to-end tests of the client API areas."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Person
from tests.support.waiting import eventually


def ids(items: Any) -> list[str]:
    return [str(item["id"]) for item in items]


def raw(person: Person, method: str, path: str, params: dict[str, Any] | None = None) -> Any:
    """A request through Mastodon.py's own machinery (auth, errors, entity parsing) for an
    endpoint or parameter it has no method for."""
    return person.api._Mastodon__api_request(method, path, params or {})  # type: ignore[attr-defined]


def notification(
    person: Person, kind: str, status_id: str | None = None, sender: Person | None = None
) -> Any:
    """Wait for a notification of ``kind`` (about ``status_id``, from ``sender``)."""

    def probe() -> list[Any]:
        return [
            n
            for n in person.api.notifications(types=[kind])
            if n["type"] == kind
            and (sender is None or str(n["account"]["id"]) == sender.account_id)
            and (status_id is None or (n.get("status") and str(n["status"]["id"]) == status_id))
        ]

    return eventually(probe, what=f"{kind} notification for {person.username}")[0]


def notified(person: Person, kind: str, status_id: str) -> bool:
    return any(
        n.get("status") and str(n["status"]["id"]) == status_id
        for n in person.api.notifications(types=[kind])
    )
