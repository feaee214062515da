"""Shared helpers for the moderation tests: a staff of three, posts, reports, audit rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from godwit.app import Components
from godwit.domain.audit import AuditEntry, AuditQuery
from godwit.domain.pagination import PageRequest
from godwit.domain.roles import OPERATOR, Actor
from godwit.services.reports import ReportRequest
from godwit.services.statuses import PostRequest
from godwit.storage.schema import audit_log
from tests.factories import Member, make_member


@dataclass(frozen=True)
class Staff:
    admin: Member
    moderator: Member
    member: Member  # the one who misbehaves
    reporter: Member

    @property
    def as_admin(self) -> Actor:
        return Actor(self.admin.account_id)

    @property
    def as_moderator(self) -> Actor:
        return Actor(self.moderator.account_id)

    @property
    def as_member(self) -> Actor:
        return Actor(self.reporter.account_id)


async def make_staff(components: Components) -> Staff:
    return Staff(
        admin=await make_member(components, "ada", role="admin"),
        moderator=await make_member(components, "mona", role="moderator"),
        member=await make_member(components, "troll"),
        reporter=await make_member(components, "rita"),
    )


async def post(components: Components, member: Member, text: str, **extra: object) -> int:
    view = await components.services.statuses.create(
        member.account_id,
        PostRequest(text=text, **extra),  # type: ignore[arg-type]
    )
    return view.status.id


async def report(
    components: Components, reporter: Member, target: Member, status_ids: tuple[int, ...] = ()
) -> int:
    filed = await components.services.reports.file(
        reporter.account_id,
        ReportRequest(account_id=target.account_id, status_ids=status_ids, comment="rude"),
    )
    return filed.report.id


async def audit_entries(components: Components, **query: object) -> list[AuditEntry]:
    return await components.services.audit.listing(
        OPERATOR,
        AuditQuery(**query),  # type: ignore[arg-type]
        PageRequest(limit=100),
    )


async def audit_count(components: Components) -> int:
    async with components.database.read() as conn:
        return int(await conn.scalar(select(func.count()).select_from(audit_log)) or 0)
