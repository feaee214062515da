"""Write a generated community into the instance through the seeding service.

The seeding service is the fast path: it makes the same rows that signing up, posting,
following, reblogging and favouriting through the other services would (rendered HTML,
mentions, tags, counters, notifications, home feeds), but in bulk, at the generated times,
so the community looks lived-in over recent weeks. See godwit/services/seeding.py.
"""

from __future__ import annotations

from godwit.demo.generator import Community
from godwit.domain.seeding import (
    SeedCommunity,
    SeedFollow,
    SeedMember,
    SeedPost,
    SeedReaction,
)
from godwit.services.container import Services
from godwit.services.seeding import Progress, SeedResult

EMAIL_DOMAIN = "demo.invalid"  # reserved (RFC 2606): no mail ever leaves for it


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


def seed_community(community: Community) -> SeedCommunity:
    return SeedCommunity(
        members=tuple(
            SeedMember(
                username=member.username,
                email=f"{member.username}@{EMAIL_DOMAIN}",
                display_name=member.display_name,
                bio=member.bio,
                joined=member.joined,
            )
            for member in community.members
        ),
        follows=tuple(SeedFollow(f.follower, f.followed, f.at) for f in community.follows),
        posts=tuple(SeedPost(p.author, p.text, p.at, p.reply_to) for p in community.posts),
        reactions=tuple(SeedReaction(r.member, r.post, r.kind, r.at) for r in community.reactions),
    )


async def write_community(
    services: Services, community: Community, password: str, progress: Progress = _quiet
) -> SeedResult:
    """Raises godwit.domain.errors.Invalid (and writes nothing) when members exist already."""
    return await services.seeding.seed(seed_community(community), password, progress)
