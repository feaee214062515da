"""The SQL unit of work: one connection, one transaction, repositories bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncConnection

from godwit.domain.streaming import EventOutbox
from godwit.ports.jobs import JobSignal
from godwit.ports.streaming import EventSink
from godwit.storage.account_moderation import SqlAccountModeration
from godwit.storage.accounts import SqlAccounts
from godwit.storage.audit import SqlAuditLog
from godwit.storage.content_review import SqlContentReview
from godwit.storage.database import Database
from godwit.storage.discovery import SqlDiscovery
from godwit.storage.domain_blocks import SqlDomainBlocks
from godwit.storage.feeds import SqlFeeds
from godwit.storage.filters import SqlFilters
from godwit.storage.graph import SqlGraph
from godwit.storage.instance import SqlInstance
from godwit.storage.jobs import SqlJobs
from godwit.storage.lists import SqlLists
from godwit.storage.marks import SqlMarks
from godwit.storage.media import SqlMedia
from godwit.storage.mod_queue import SqlModerationQueue
from godwit.storage.notification_groups import SqlNotificationGroups
from godwit.storage.notification_policy import SqlNotificationPolicies
from godwit.storage.notifications import SqlNotifications
from godwit.storage.oauth import SqlOAuth
from godwit.storage.polls import SqlPolls
from godwit.storage.preview_cards import SqlPreviewCards
from godwit.storage.push import SqlPush
from godwit.storage.reports import SqlReports
from godwit.storage.scheduling import SqlConversations, SqlScheduledStatuses
from godwit.storage.search import SqlSearch
from godwit.storage.status_edits import SqlStatusEdits
from godwit.storage.statuses import SqlStatuses
from godwit.storage.tags import SqlTags


class SqlTransaction:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.events = EventOutbox()

    @cached_property
    def accounts(self) -> SqlAccounts:
        return SqlAccounts(self.conn)

    @cached_property
    def oauth(self) -> SqlOAuth:
        return SqlOAuth(self.conn)

    @cached_property
    def statuses(self) -> SqlStatuses:
        return SqlStatuses(self.conn)

    @cached_property
    def graph(self) -> SqlGraph:
        return SqlGraph(self.conn)

    @cached_property
    def search(self) -> SqlSearch:
        return SqlSearch(self.conn)

    @cached_property
    def marks(self) -> SqlMarks:
        return SqlMarks(self.conn)

    @cached_property
    def status_edits(self) -> SqlStatusEdits:
        return SqlStatusEdits(self.conn)

    @cached_property
    def feeds(self) -> SqlFeeds:
        return SqlFeeds(self.conn)

    @cached_property
    def notifications(self) -> SqlNotifications:
        return SqlNotifications(self.conn)

    @cached_property
    def notification_groups(self) -> SqlNotificationGroups:
        return SqlNotificationGroups(self.conn)

    @cached_property
    def notification_policies(self) -> SqlNotificationPolicies:
        return SqlNotificationPolicies(self.conn)

    @cached_property
    def jobs(self) -> SqlJobs:
        return SqlJobs(self.conn)

    @cached_property
    def media(self) -> SqlMedia:
        return SqlMedia(self.conn)

    @cached_property
    def instance(self) -> SqlInstance:
        return SqlInstance(self.conn)

    @cached_property
    def reports(self) -> SqlReports:
        return SqlReports(self.conn)

    @cached_property
    def domain_blocks(self) -> SqlDomainBlocks:
        return SqlDomainBlocks(self.conn)

    @cached_property
    def tags(self) -> SqlTags:
        return SqlTags(self.conn)

    @cached_property
    def discovery(self) -> SqlDiscovery:
        return SqlDiscovery(self.conn)

    @cached_property
    def lists(self) -> SqlLists:
        return SqlLists(self.conn)

    @cached_property
    def polls(self) -> SqlPolls:
        return SqlPolls(self.conn)

    @cached_property
    def scheduled_statuses(self) -> SqlScheduledStatuses:
        return SqlScheduledStatuses(self.conn)

    @cached_property
    def conversations(self) -> SqlConversations:
        return SqlConversations(self.conn)

    @cached_property
    def filters(self) -> SqlFilters:
        return SqlFilters(self.conn)

    @cached_property
    def push(self) -> SqlPush:
        return SqlPush(self.conn)

    @cached_property
    def preview_cards(self) -> SqlPreviewCards:
        return SqlPreviewCards(self.conn)

    @cached_property
    def audit_log(self) -> SqlAuditLog:
        return SqlAuditLog(self.conn)

    @cached_property
    def account_moderation(self) -> SqlAccountModeration:
        return SqlAccountModeration(self.conn)

    @cached_property
    def moderation_queue(self) -> SqlModerationQueue:
        return SqlModerationQueue(self.conn)

    @cached_property
    def content_review(self) -> SqlContentReview:
        return SqlContentReview(self.conn)


class SqlStore:
    def __init__(
        self, database: Database, events: EventSink | None = None, jobs: JobSignal | None = None
    ) -> None:
        self.database = database
        self.events_sink = events
        self.job_signal = jobs

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqlTransaction]:
        async with self.database.read() as conn:
            yield SqlTransaction(conn)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SqlTransaction]:
        async with self.database.write() as conn:
            tx = SqlTransaction(conn)
            yield tx
        # Reached only once the transaction committed: a rollback publishes nothing.
        events = tx.events.drain()
        if events and self.events_sink is not None:
            await self.events_sink.publish_events(events)
        # Jobs it queued start now rather than at the runners' next poll.
        queued: SqlJobs | None = vars(tx).get("jobs")  # its job repository, if it used one
        if self.job_signal is not None and queued is not None and queued.due_enqueued:
            await self.job_signal.jobs_enqueued()
