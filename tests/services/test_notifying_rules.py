"""notify() and withdraw(): who gets a notification and who never does."""

from __future__ import annotations

import datetime as dt

from godwit.app import Components
from godwit.domain.notifications import Notification, NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.services.notifying import withdraw
from tests.factories import make_member
from tests.notifications_support import (
    block,
    make_remote_account,
    make_status,
    mute,
    notify_now,
)


async def _all(components: Components, recipient_id: int) -> list[Notification]:
    async with components.store.read() as tx:
        return await tx.notifications.page(
            recipient_id, PageRequest(limit=100), NotificationFilter()
        )


async def test_a_follow_notifies_the_followed(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
    )
    [only] = await _all(components, alice.account_id)
    assert (only.type, only.from_account_id, only.status_id) == ("follow", bob.account_id, None)
    assert await _all(components, bob.account_id) == []


async def test_nobody_is_notified_of_their_own_action(components: Components) -> None:
    alice = await make_member(components, "alice")
    status_id = await make_status(components, alice.account_id)
    await notify_now(
        components,
        recipient_id=alice.account_id,
        from_account_id=alice.account_id,
        type="favourite",
        status_id=status_id,
    )
    assert await _all(components, alice.account_id) == []


async def test_remote_recipients_are_not_notified(components: Components) -> None:
    bob = await make_member(components, "bob")
    remote = await make_remote_account(components, "carol", "elsewhere.test")
    await notify_now(components, recipient_id=remote, from_account_id=bob.account_id, type="follow")
    assert await _all(components, remote) == []


async def test_blocks_in_either_direction_stop_notifications(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    await block(components, alice.account_id, bob.account_id)  # alice blocks bob
    await block(components, carol.account_id, alice.account_id)  # carol blocks alice
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
    )
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=carol.account_id, type="follow"
    )
    assert await _all(components, alice.account_id) == []


async def test_mutes_hide_notifications_only_when_asked(components: Components) -> None:
    alice = await make_member(components, "alice")
    quiet = await make_member(components, "quiet")
    loud = await make_member(components, "loud")
    past = await make_member(components, "past")
    await mute(components, alice.account_id, quiet.account_id, hide_notifications=True)
    await mute(components, alice.account_id, loud.account_id, hide_notifications=False)
    expired = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await mute(components, alice.account_id, past.account_id, expires_at=expired)
    for sender in (quiet, loud, past):
        await notify_now(
            components,
            recipient_id=alice.account_id,
            from_account_id=sender.account_id,
            type="follow",
        )
    senders = {n.from_account_id for n in await _all(components, alice.account_id)}
    assert senders == {loud.account_id, past.account_id}


async def test_the_same_notification_is_never_stored_twice(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status_id = await make_status(components, alice.account_id)
    other_id = await make_status(components, alice.account_id)
    for _ in range(3):
        await notify_now(
            components,
            recipient_id=alice.account_id,
            from_account_id=bob.account_id,
            type="favourite",
            status_id=status_id,
        )
        await notify_now(
            components, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
        )
    await notify_now(
        components,
        recipient_id=alice.account_id,
        from_account_id=bob.account_id,
        type="favourite",
        status_id=other_id,
    )
    await notify_now(
        components,
        recipient_id=alice.account_id,
        from_account_id=bob.account_id,
        type="reblog",
        status_id=status_id,
    )
    found = sorted((n.type, n.status_id or 0) for n in await _all(components, alice.account_id))
    assert found == sorted(
        [("favourite", status_id), ("favourite", other_id), ("follow", 0), ("reblog", status_id)]
    )


async def test_withdraw_removes_only_the_matching_notification(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status_id = await make_status(components, alice.account_id)
    other_id = await make_status(components, alice.account_id)
    for target in (status_id, other_id):
        await notify_now(
            components,
            recipient_id=alice.account_id,
            from_account_id=bob.account_id,
            type="favourite",
            status_id=target,
        )
    await notify_now(
        components, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
    )
    async with components.store.write() as tx:
        await withdraw(
            tx,
            recipient_id=alice.account_id,
            from_account_id=bob.account_id,
            type="favourite",
            status_id=status_id,
        )
        await withdraw(
            tx, recipient_id=alice.account_id, from_account_id=bob.account_id, type="follow"
        )
    [left] = await _all(components, alice.account_id)
    assert (left.type, left.status_id) == ("favourite", other_id)


async def test_remove_between_clears_both_directions(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    carol = await make_member(components, "carol")
    for recipient, sender in ((alice, bob), (bob, alice), (alice, carol)):
        await notify_now(
            components,
            recipient_id=recipient.account_id,
            from_account_id=sender.account_id,
            type="follow",
        )
    async with components.store.write() as tx:
        await tx.notifications.remove_between(alice.account_id, bob.account_id)
    assert [n.from_account_id for n in await _all(components, alice.account_id)] == [
        carol.account_id
    ]
    assert await _all(components, bob.account_id) == []
