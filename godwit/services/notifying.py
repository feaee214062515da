"""Creating and withdrawing notifications inside the caller's transaction.

Other services (favourites, reblogs, follows, the status.notify job) call these within their
own write transaction, so the action and its notification commit or fail together.
"""

from __future__ import annotations

from godwit.domain.notification_policy import PolicyAction
from godwit.domain.streaming import NOTIFICATION, StreamEvent, user_channel
from godwit.ports.store import Transaction
from godwit.services.notification_policy import hold_back, screen
from godwit.services.push_delivery import enqueue_pushes


async def notify(
    tx: Transaction,
    *,
    recipient_id: int,
    from_account_id: int,
    type: str,
    status_id: int | None = None,
) -> None:
    """Notify ``recipient_id`` unless it is themself, remote, blocks or is blocked by the
    sender, mutes the sender with notifications hidden, muted the status's thread, or has a
    notification policy that drops it (or stores it filtered). Never stores a duplicate."""
    if recipient_id == from_account_id:
        return
    if await tx.graph.blocked_either_way(recipient_id, [from_account_id]):
        return
    if await tx.graph.muting_notifications(recipient_id, [from_account_id]):
        return
    if status_id is not None and await tx.marks.conversation_muted(recipient_id, status_id):
        return  # the recipient muted this thread
    action = await screen(
        tx,
        recipient_id=recipient_id,
        from_account_id=from_account_id,
        type=type,
        status_id=status_id,
    )
    if action is PolicyAction.DROP:
        return  # the recipient's notification policy drops it
    # The repository refuses remote recipients and duplicates itself (one query).
    notification_id = await tx.notifications.add(
        recipient_id=recipient_id,
        from_account_id=from_account_id,
        type=type,
        status_id=status_id,
        filtered=action is PolicyAction.FILTER,
    )
    if notification_id is not None and action is PolicyAction.FILTER:
        # Held back as a notification request: neither streamed nor pushed.
        await hold_back(
            tx, recipient_id=recipient_id, from_account_id=from_account_id, status_id=status_id
        )
        return
    if notification_id is not None:
        # Published once the caller's transaction commits (see Transaction.events).
        tx.events.emit(StreamEvent(user_channel(recipient_id), NOTIFICATION, notification_id))
        # Web Push deliveries are jobs queued in this same transaction.
        await enqueue_pushes(
            tx,
            notification_id=notification_id,
            recipient_id=recipient_id,
            from_account_id=from_account_id,
            type=type,
        )


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
