"""Quote posts: which statuses may be quoted, and the quoted author's notification."""

from __future__ import annotations

from godwit.domain.errors import Invalid, NotFound
from godwit.domain.posts import Status, Visibility
from godwit.ports.store import Transaction
from godwit.services.notifying import notify
from godwit.services.presenting import present_status


def _refused(description: str) -> Invalid:
    return Invalid(
        f"Validation failed: Quoted status {description}",
        {"quoted_status_id": [("ERR_INVALID", description)]},
    )


async def quotable(tx: Transaction, quoted_id: int, author_id: int) -> Status:
    """The status to quote: one the author may see, public or unlisted, not a reblog."""
    try:
        view = await present_status(tx, quoted_id, author_id)
    except NotFound:
        raise _refused("does not exist or is not visible") from None
    status = view.status
    if status.reblog_of_id is not None:
        raise _refused("is a reblog")
    if status.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
        raise _refused("is not public")
    return status


async def notify_quoted(tx: Transaction, quoted: Status, quoting_id: int, author_id: int) -> None:
    await notify(
        tx,
        recipient_id=quoted.account_id,
        from_account_id=author_id,
        type="quote",
        status_id=quoting_id,
    )
