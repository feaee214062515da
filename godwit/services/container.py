"""The set of services the adapters call. Built once, in the composition root (app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from godwit.config import Settings
from godwit.services.accounts import AccountService
from godwit.services.graph import GraphService
from godwit.services.instance import InstanceService
from godwit.services.member_settings import MemberSettingsService
from godwit.services.notifications import NotificationService
from godwit.services.oauth import OAuthService
from godwit.services.seeding import SeedingService
from godwit.services.statuses import StatusService
from godwit.services.timelines import TimelineService


@dataclass(slots=True)
class Services:
    settings: Settings
    oauth: OAuthService
    accounts: AccountService
    statuses: StatusService
    graph: GraphService
    instance: InstanceService
    member_settings: MemberSettingsService
    notifications: NotificationService
    timelines: TimelineService
    seeding: SeedingService
