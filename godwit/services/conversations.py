"""Conversations: each participant's list of direct-message threads.

A job ("conversation.update", enqueued with every direct status) records the status in the
conversation of each local participant: unread for everyone but its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from godwit.domain.accounts import Account
from godwit.domain.errors import NotFound
from godwit.domain.ids import parse_id
from godwit.domain.pagination import PageRequest
from godwit.domain.posts import StatusView, Visibility
from godwit.domain.scheduling import Conversation
from godwit.domain.streaming import CONVERSATION, StreamEvent, direct_channel
from godwit.ports.store import Store, Transaction
from godwit.services.presenting import present_statuses

CONVERSATION_JOB = "conversation.update"


@dataclass(frozen=True, slots=True)
class ConversationView:
    conversation: Conversation
    accounts: list[Account]  # the other participants
    last_status: StatusView | None  # None when it was deleted or is hidden


class ConversationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def handle_update(self, payload: dict[str, Any]) -> None:
        """Idempotent: recording the same status twice changes nothing."""
        status_id = parse_id(payload.get("status_id"))
        if status_id is None:
            return
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is None or status.visibility is not Visibility.DIRECT:
                return
            key = await tx.conversations.thread_key(status_id)
            if key is None:
                return
            mentioned = (await tx.statuses.mentioned_ids([status_id])).get(status_id, set())
            participants = {status.account_id, *mentioned}
            members = await tx.accounts.get_many(sorted(participants))
            for account_id, account in members.items():
                if not account.local:
                    continue
                conversation_id = await tx.conversations.record(
                    account_id,
                    key,
                    sorted(participants - {account_id}),
                    status_id,
                    unread=account_id != status.account_id,
                )
                # Each participant's direct streams get the conversation (after commit).
                tx.events.emit(
                    StreamEvent(direct_channel(account_id), CONVERSATION, conversation_id)
                )

    async def _views(
        self, tx: Transaction, account_id: int, found: list[Conversation]
    ) -> list[ConversationView]:
        people = await tx.accounts.get_many(
            sorted({other for c in found for other in c.participant_ids})
        )
        shown = await present_statuses(tx, [c.last_status_id for c in found], account_id)
        by_id = {view.status.id: view for view in shown}
        return [
            ConversationView(
                conversation=c,
                accounts=[people[i] for i in c.participant_ids if i in people],
                last_status=by_id.get(c.last_status_id),
            )
            for c in found
        ]

    async def view(self, account_id: int, conversation_id: int) -> ConversationView | None:
        """One of the account's conversations (for the direct stream), None when gone."""
        async with self.store.read() as tx:
            found = await tx.conversations.get(conversation_id, account_id)
            return (await self._views(tx, account_id, [found]))[0] if found else None

    async def list(self, account_id: int, page: PageRequest) -> list[ConversationView]:
        async with self.store.read() as tx:
            return await self._views(tx, account_id, await tx.conversations.page(account_id, page))

    async def mark_read(self, conversation_id: int, account_id: int) -> ConversationView:
        async with self.store.write() as tx:
            if await tx.conversations.get(conversation_id, account_id) is None:
                raise NotFound()
            await tx.conversations.mark_read(conversation_id, account_id)
            found = await tx.conversations.get(conversation_id, account_id)
            assert found is not None
            return (await self._views(tx, account_id, [found]))[0]

    async def delete(self, conversation_id: int, account_id: int) -> None:
        async with self.store.write() as tx:
            if not await tx.conversations.delete(conversation_id, account_id):
                raise NotFound()
