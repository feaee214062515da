"""Creating and withdrawing notifications inside the caller's transaction.

Other services (favourites, reblogs, follows, the status.notify job) call these within their
own write transaction, so the action and its notification commit or fail together.
"""

from __future__ import annotations

from godwit.domain.streaming import NOTIFICATION, StreamEvent, user_channel
from godwit.ports.store import Transaction


async def notify(
    tx: Transaction,
    *,
    recipient_id: int,
    from_account_id: int,
    type: str,
    status_id: int | None = None,
) -> None:
    """Notify ``recipient_id`` unless it is themself, remote, blocks or is blocked by the
    sender, mutes the sender with notifications hidden, or muted the status's thread.
    Never stores a duplicate."""
    if recipient_id == from_account_id:
        return
    if await tx.graph.blocked_either_way(recipient_id, [from_account_id]):
        return
    if await tx.graph.muting_notifications(recipient_id, [from_account_id]):
        return
    if status_id is not None and await tx.marks.conversation_muted(recipient_id, status_id):
        return  # the recipient muted this thread
    # The repository refuses remote recipients and duplicates itself (one query).
    notification_id = await tx.notifications.add(
        recipient_id=recipient_id,
        from_account_id=from_account_id,
        type=type,
        status_id=status_id,
    )
    if notification_id is not None:
        # Published once the caller's transaction commits (see Transaction.events).
        tx.events.emit(StreamEvent(user_channel(recipient_id), NOTIFICATION, notification_id))


async def withdraw(
    tx: Transaction,
    *,
    recipient_id: int,
    from_account_id: int,
    type: str,
    status_id: int | None = None,
) -> None:
    """Remove the notification an undone action caused (unfavourite, unfollow…)."""
    await tx.notifications.remove(
        recipient_id=recipient_id,
        from_account_id=from_account_id,
        type=type,
        status_id=status_id,
    )
