"""The unit of work: a transaction that hands out one repository per aggregate.

Services own transactions: ``async with self.store.write() as tx:`` commits when the block
ends and rolls back on any exception, so a request either writes everything or nothing.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from godwit.domain.streaming import EventOutbox
from godwit.ports.account_moderation import AccountModerationRepository
from godwit.ports.accounts import AccountRepository
from godwit.ports.audit import AuditLogRepository
from godwit.ports.content_review import ContentReviewRepository
from godwit.ports.discovery import DiscoveryRepository
from godwit.ports.domain_blocks import DomainBlockRepository
from godwit.ports.feeds import FeedRepository
from godwit.ports.filters import FilterRepository
from godwit.ports.graph import GraphRepository
from godwit.ports.instance import InstanceRepository
from godwit.ports.jobs import JobRepository
from godwit.ports.links import PreviewCardRepository
from godwit.ports.lists import ListRepository
from godwit.ports.marks import MarkRepository
from godwit.ports.media import MediaRepository
from godwit.ports.mod_queue import ModerationQueueRepository
from godwit.ports.notification_policy import NotificationPolicyRepository
from godwit.ports.notifications import NotificationGroupRepository, NotificationRepository
from godwit.ports.oauth import OAuthRepository
from godwit.ports.polls import PollRepository
from godwit.ports.push import PushRepository
from godwit.ports.reports import ReportRepository
from godwit.ports.scheduling import ConversationRepository, ScheduledStatusRepository
from godwit.ports.search import SearchRepository
from godwit.ports.status_edits import StatusEditRepository
from godwit.ports.statuses import StatusRepository
from godwit.ports.tags import TagRepository


class Transaction(Protocol):
    @property
    def events(self) -> EventOutbox:
        """Streaming events to publish once this transaction commits (never before)."""
        ...

    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def oauth(self) -> OAuthRepository: ...
    @property
    def statuses(self) -> StatusRepository: ...
    @property
    def graph(self) -> GraphRepository: ...
    @property
    def search(self) -> SearchRepository: ...
    @property
    def marks(self) -> MarkRepository: ...
    @property
    def status_edits(self) -> StatusEditRepository: ...
    @property
    def feeds(self) -> FeedRepository: ...
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def notification_groups(self) -> NotificationGroupRepository: ...
    @property
    def notification_policies(self) -> NotificationPolicyRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def media(self) -> MediaRepository: ...
    @property
    def instance(self) -> InstanceRepository: ...
    @property
    def reports(self) -> ReportRepository: ...
    @property
    def domain_blocks(self) -> DomainBlockRepository: ...
    @property
    def tags(self) -> TagRepository: ...
    @property
    def discovery(self) -> DiscoveryRepository: ...
    @property
    def lists(self) -> ListRepository: ...
    @property
    def polls(self) -> PollRepository: ...
    @property
    def scheduled_statuses(self) -> ScheduledStatusRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def filters(self) -> FilterRepository: ...
    @property
    def push(self) -> PushRepository: ...
    @property
    def preview_cards(self) -> PreviewCardRepository: ...
    @property
    def audit_log(self) -> AuditLogRepository: ...
    @property
    def account_moderation(self) -> AccountModerationRepository: ...
    @property
    def moderation_queue(self) -> ModerationQueueRepository: ...
    @property
    def content_review(self) -> ContentReviewRepository: ...


class Store(Protocol):
    def read(self) -> AbstractAsyncContextManager[Transaction]: ...
    def write(self) -> AbstractAsyncContextManager[Transaction]: ...
