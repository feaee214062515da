"""The "status.notify" job: mentions and new-post bells, idempotently."""

from __future__ import annotations

from sqlalchemy import delete

from godwit.app import Components
from godwit.domain.notifications import Notification, NotificationFilter
from godwit.domain.pagination import PageRequest
from godwit.storage.schema import statuses
from tests.factories import make_member
from tests.notifications_support import block, follow, make_remote_account, make_status, mute


async def _all(components: Components, recipient_id: int) -> list[Notification]:
    async with components.store.read() as tx:
        return await tx.notifications.page(
            recipient_id, PageRequest(limit=100), NotificationFilter()
        )


async def _run(components: Components, status_id: int) -> None:
    await components.services.notifications.handle_status_notify({"status_id": str(status_id)})


async def test_mentioned_local_accounts_are_notified_once(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    remote = await make_remote_account(components, "carol", "elsewhere.test")
    status_id = await make_status(
        components, alice.account_id, mentioned=(bob.account_id, remote, alice.account_id)
    )
    await _run(components, status_id)
    await _run(components, status_id)  # a job may run twice after a crash
    [mention] = await _all(components, bob.account_id)
    assert (mention.type, mention.from_account_id, mention.status_id) == (
        "mention",
        alice.account_id,
        status_id,
    )
    assert await _all(components, alice.account_id) == []
    assert await _all(components, remote) == []


async def test_blocked_and_muting_mentioned_accounts_are_skipped(components: Components) -> None:
    alice = await make_member(components, "alice")
    blocker = await make_member(components, "blocker")
    muter = await make_member(components, "muter")
    plain = await make_member(components, "plain")
    await block(components, blocker.account_id, alice.account_id)
    await mute(components, muter.account_id, alice.account_id)
    # Followed, so the default policy (private mentions from strangers are filtered) lets
    # this direct mention through.
    await follow(components, plain.account_id, alice.account_id)
    status_id = await make_status(
        components,
        alice.account_id,
        visibility="direct",
        mentioned=(blocker.account_id, muter.account_id, plain.account_id),
    )
    await _run(components, status_id)
    assert await _all(components, blocker.account_id) == []
    assert await _all(components, muter.account_id) == []
    assert [n.type for n in await _all(components, plain.account_id)] == ["mention"]


async def test_followers_who_rang_the_bell_get_status_notifications(
    components: Components,
) -> None:
    alice = await make_member(components, "alice")
    belled = await make_member(components, "belled")
    quiet = await make_member(components, "quiet")
    mentioned = await make_member(components, "mentioned")
    await follow(components, belled.account_id, alice.account_id, notify=True)
    await follow(components, quiet.account_id, alice.account_id, notify=False)
    await follow(components, mentioned.account_id, alice.account_id, notify=True)
    status_id = await make_status(
        components, alice.account_id, visibility="private", mentioned=(mentioned.account_id,)
    )
    await _run(components, status_id)
    await _run(components, status_id)
    assert [(n.type, n.status_id) for n in await _all(components, belled.account_id)] == [
        ("status", status_id)
    ]
    assert await _all(components, quiet.account_id) == []
    # Mentioned followers get the mention, not a second "status" notification.
    assert [n.type for n in await _all(components, mentioned.account_id)] == ["mention"]


async def test_no_bell_for_direct_posts_or_replies_to_others(components: Components) -> None:
    alice = await make_member(components, "alice")
    belled = await make_member(components, "belled")
    other = await make_member(components, "other")
    await follow(components, belled.account_id, alice.account_id, notify=True)
    direct_id = await make_status(components, alice.account_id, visibility="direct")
    reply_id = await make_status(
        components, alice.account_id, in_reply_to_account_id=other.account_id
    )
    thread_id = await make_status(
        components, alice.account_id, in_reply_to_account_id=alice.account_id
    )
    for status_id in (direct_id, reply_id, thread_id):
        await _run(components, status_id)
    assert [n.status_id for n in await _all(components, belled.account_id)] == [thread_id]


async def test_a_deleted_status_or_bad_payload_is_a_no_op(components: Components) -> None:
    alice = await make_member(components, "alice")
    bob = await make_member(components, "bob")
    status_id = await make_status(components, alice.account_id, mentioned=(bob.account_id,))
    async with components.database.write() as conn:
        await conn.execute(delete(statuses).where(statuses.c.id == status_id))
    await _run(components, status_id)
    await components.services.notifications.handle_status_notify({"status_id": "x"})
    await components.services.notifications.handle_status_notify({})
    assert await _all(components, bob.account_id) == []
