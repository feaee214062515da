"""The set of services the adapters call. Built once, in the composition root (app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from godwit.config import Settings
from godwit.services.account_moderation import AccountModerationService
from godwit.services.accounts import AccountService
from godwit.services.audit import AuditService
from godwit.services.authorised_apps import AuthorisedAppService
from godwit.services.content_review import ContentReviewService
from godwit.services.content_rules import ContentRuleService
from godwit.services.conversations import ConversationService
from godwit.services.discovery import DiscoveryService
from godwit.services.domain_blocks import DomainBlockService
from godwit.services.filters import FilterService
from godwit.services.graph import GraphService
from godwit.services.health import HealthService
from godwit.services.instance import InstanceService
from godwit.services.links import LinkService
from godwit.services.lists import ListService
from godwit.services.media import MediaService
from godwit.services.member_settings import MemberSettingsService
from godwit.services.mod_queue import ModerationQueueService
from godwit.services.notification_groups import NotificationGroupService
from godwit.services.notification_policy import NotificationPolicyService
from godwit.services.notifications import NotificationService
from godwit.services.oauth import OAuthService
from godwit.services.polls import PollService
from godwit.services.push import PushService
from godwit.services.reports import ReportService
from godwit.services.scheduled import ScheduledStatusService
from godwit.services.search import SearchService
from godwit.services.seeding import SeedingService
from godwit.services.server_settings import ServerSettingsService
from godwit.services.status_edits import StatusEditService
from godwit.services.status_marks import StatusMarkService
from godwit.services.status_moderation import StatusModerationService
from godwit.services.statuses import StatusService
from godwit.services.streaming import StreamingService
from godwit.services.tags import TagService
from godwit.services.timelines import TimelineService
from godwit.services.web_sessions import WebSessionService


@dataclass(slots=True)
class Services:
    settings: Settings
    oauth: OAuthService
    accounts: AccountService
    statuses: StatusService
    # The moderation pipeline (issue 6): screening, held posts, community rules.
    content_review: ContentReviewService
    content_rules: ContentRuleService  # admins' rules and review policy
    status_marks: StatusMarkService
    status_edits: StatusEditService
    search: SearchService
    graph: GraphService
    instance: InstanceService
    member_settings: MemberSettingsService
    notifications: NotificationService
    notification_groups: NotificationGroupService
    notification_policy: NotificationPolicyService
    timelines: TimelineService
    media: MediaService
    streaming: StreamingService
    lists: ListService
    seeding: SeedingService
    reports: ReportService
    domain_blocks: DomainBlockService
    tags: TagService
    discovery: DiscoveryService
    filters: FilterService
    polls: PollService
    scheduled_statuses: ScheduledStatusService
    conversations: ConversationService
    push: PushService
    links: LinkService
    health: HealthService
    # Moderation (issue 4): staff actions, the queue, the audit log, server settings.
    account_moderation: AccountModerationService
    status_moderation: StatusModerationService
    moderation_queue: ModerationQueueService
    audit: AuditService
    server_settings: ServerSettingsService
    # Godwit's own web app (issue 4): browser sessions.
    web_sessions: WebSessionService
    # The member's authorised apps and browser sessions (settings pages).
    authorised_apps: AuthorisedAppService
