"""Every row the services would write for a ``SeedCommunity``, computed in memory.

Signing up, editing a profile, following, posting, reblogging and favouriting one by one
through the services costs a transaction (and, for posts, two jobs) each. This computes the
same outcome in one pass, with the same rules the services apply:

- text: ``godwit.domain.text`` renders bios and posts; mentions resolve to community
  members (the demo's texts mention nobody else), tags are stored by ``tag_key`` with the
  first spelling kept;
- addresses: ``local_account_urls`` for accounts, ``{account uri}/statuses/{id}`` for
  statuses (``…/activity`` for reblogs), as ``StatusService`` makes them;
- counters: statuses (reblogs included, direct never), followers, following, replies,
  reblogs, favourites, ``last_status_at``;
- notifications: follow, mention, reblog and favourite, never to oneself, never twice;
  "status" ones need a bell, and seeded follows ring none;
- home feeds: the fan-out rules of ``godwit.domain.timelines`` (the author, followers whose
  home accepts the post, mentioned accounts when followers are merged at read time; one
  entry per reblogged post), each feed cut to its newest ``feed_max_length`` entries.

Every id is made at its event's own time, so ids sort as the community's history does.
Seeded follows all precede the first post, so feeds need no backfill step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from godwit.domain.accounts import local_account_urls, normalise_email, username_key
from godwit.domain.errors import Invalid
from godwit.domain.ids import new_id
from godwit.domain.notifications import Notification
from godwit.domain.posting import NewStatus
from godwit.domain.posts import Visibility
from godwit.domain.seeding import (
    FAVOURITE,
    REBLOG,
    SeedAccount,
    SeedCommunity,
    SeedEdge,
    SeedPlan,
    SeedStatus,
    SeedTag,
)
from godwit.domain.text import (
    URL_PLACEHOLDER,
    MentionTarget,
    ParsedText,
    countable_length,
    parse,
    render,
    tag_key,
)
from godwit.domain.timelines import (
    FeedEntry,
    FeedPost,
    ReaderFacts,
    delivers_to_mentions,
    fans_out_to_followers,
    home_accepts,
)

Report = Callable[[int], None]  # how many posts and reactions are planned so far
REPORT_EVERY = 250


@dataclass(frozen=True, slots=True)
class PlanSettings:
    base_url: str
    domain: str
    max_status_chars: int
    feed_max_length: int
    fanout_read_threshold: int


def _too_long(text: str, parsed: ParsedText, limit: int) -> bool:
    """``countable_length(text) > limit``, without counting graphemes when the text is
    clearly short: it never counts more than its code points, plus the fixed length of
    each link in place of a shorter one."""
    if len(text) + len(URL_PLACEHOLDER) * len(parsed.urls) <= limit:
        return False
    return countable_length(text) > limit


class _Ids:
    """Time-sortable ids at the events' own times, never one twice (two events in one
    millisecond could otherwise draw the same random low bits)."""

    def __init__(self) -> None:
        self._used: set[int] = set()

    def at(self, when: dt.datetime) -> int:
        ms = int(when.timestamp() * 1000)
        while (made := new_id(ms)) in self._used:
            pass
        self._used.add(made)
        return made


class _Community:
    """The running state of the plan: counters, feeds and rows, in event order."""

    def __init__(self, community: SeedCommunity, settings: PlanSettings) -> None:
        self.settings = settings
        self.ids = _Ids()
        members = community.members
        self.account_ids = [self.ids.at(member.joined) for member in members]
        self.usernames = [member.username for member in members]
        self.urls = [local_account_urls(settings.base_url, m.username) for m in members]
        self.by_key = {username_key(m.username): i for i, m in enumerate(members)}
        count = len(members)
        self.followers: list[list[int]] = [[] for _ in range(count)]  # in follow order
        self.following: list[set[int]] = [set() for _ in range(count)]
        self.statuses_count = [0] * count
        self.last_status_at: list[dt.datetime | None] = [None] * count
        self.statuses: list[NewStatus] = []
        self.post_author: dict[int, int] = {}  # status id -> member index
        self.replies: dict[int, int] = {}
        self.reblogs: dict[int, int] = {}
        self.favourites: dict[int, int] = {}
        self.reblogged: set[tuple[int, int]] = set()  # (member, original status id)
        self.favourited: set[tuple[int, int]] = set()
        self.tags: dict[str, SeedTag] = {}
        self.status_tags: list[tuple[int, int]] = []
        self.favourite_rows: list[SeedEdge] = []
        self.follow_rows: list[SeedEdge] = []
        self.notifications: list[Notification] = []
        self.notified: set[tuple[str, int, int, int | None]] = set()
        self.feeds: list[dict[int, FeedEntry]] = [{} for _ in range(count)]  # by entry key

    # -- notifications and feeds ------------------------------------------------------

    def notify(
        self, recipient: int, sender: int, kind: str, status_id: int | None, at: dt.datetime
    ) -> None:
        key = (kind, recipient, sender, status_id)
        if recipient == sender or key in self.notified:
            return
        self.notified.add(key)
        self.notifications.append(
            Notification(
                id=self.ids.at(at),
                recipient_id=self.account_ids[recipient],
                from_account_id=self.account_ids[sender],
                type=kind,
                status_id=status_id,
                created_at=at,
            )
        )

    def deliver(self, status: NewStatus, author: int, mentioned: list[int]) -> None:
        """What the status.fanout job would write for this status."""
        ids = self.account_ids
        reply_to = self.post_author.get(status.in_reply_to_id) if status.in_reply_to_id else None
        post = FeedPost(
            status_id=status.id,
            author_id=ids[author],
            visibility=status.visibility,
            reblog_of_id=status.reblog_of_id,
            original_author_id=ids[self.post_author[status.reblog_of_id]]
            if status.reblog_of_id is not None
            else None,
            in_reply_to_account_id=status.in_reply_to_account_id,
        )
        readers = [author]
        followers = len(self.followers[author])
        threshold = self.settings.fanout_read_threshold
        if delivers_to_mentions(post, followers, threshold):
            readers += [member for member in mentioned if member != author]
        if fans_out_to_followers(post, followers, threshold):
            follows_replied = frozenset({ids[reply_to]}) if reply_to is not None else frozenset()
            for follower in self.followers[author]:
                follows = (
                    follows_replied
                    if reply_to is not None and reply_to in self.following[follower]
                    else frozenset()
                )
                if follower != author and home_accepts(
                    post, ReaderFacts(ids[follower], follows=follows)
                ):
                    readers.append(follower)
        for reader in readers:
            # One entry per post: the first arrival (original or reblog) wins.
            self.feeds[reader].setdefault(
                post.entry_key, FeedEntry(ids[reader], status.id, post.entry_key, ids[author])
            )

    def add_status(self, status: NewStatus, author: int) -> None:
        self.statuses.append(status)
        self.post_author[status.id] = author
        if status.visibility is not Visibility.DIRECT:
            self.statuses_count[author] += 1
        self.last_status_at[author] = status.created_at

    # -- events -------------------------------------------------------------------------

    def follow(self, follower: int, followed: int, at: dt.datetime) -> None:
        if follower == followed or followed in self.following[follower]:
            return
        self.following[follower].add(followed)
        self.followers[followed].append(follower)
        ids = self.account_ids
        self.follow_rows.append(SeedEdge(self.ids.at(at), ids[follower], ids[followed], at))
        self.notify(followed, follower, "follow", None, at)

    def post(self, author: int, text: str, at: dt.datetime, parent_id: int | None) -> int:
        text = text.strip()
        parsed = parse(text)
        if not text or _too_long(text, parsed, self.settings.max_status_chars):
            raise Invalid(f"A post is blank or too long: {text[:40]!r}")
        targets, mentioned = self.mentions_in(parsed)
        status_id = self.ids.at(at)
        urls = self.urls[author]
        parent_author = self.post_author[parent_id] if parent_id is not None else None
        parsed_tags = parsed.tags
        status = NewStatus(
            id=status_id,
            account_id=self.account_ids[author],
            uri=f"{urls['uri']}/statuses/{status_id}",
            url=f"{urls['url']}/{status_id}",
            text=text,
            content=render(text, mentions=targets, base_url=self.settings.base_url),
            spoiler_text="",
            sensitive=False,
            visibility=Visibility.PUBLIC,
            language=None,
            created_at=at,
            in_reply_to_id=parent_id,
            in_reply_to_account_id=self.account_ids[parent_author]
            if parent_author is not None
            else None,
            mentioned_account_ids=tuple(sorted(self.account_ids[m] for m in mentioned)),
            tags=parsed_tags,
        )
        self.add_status(status, author)
        if parent_id is not None:
            self.replies[parent_id] = self.replies.get(parent_id, 0) + 1
        by_key = {tag_key(name): name for name in reversed(parsed_tags)}
        for key in sorted(by_key):
            if key not in self.tags:
                self.tags[key] = SeedTag(self.ids.at(at), key, by_key[key], at)
            self.status_tags.append((status_id, self.tags[key].id))
        for member in mentioned:
            self.notify(member, author, "mention", status_id, at)
        self.deliver(status, author, mentioned)
        return status_id

    def mentions_in(self, parsed: ParsedText) -> tuple[dict[str, MentionTarget], list[int]]:
        """Mentions of community members, as StatusService resolves local mentions."""
        own_domain = self.settings.domain.casefold()
        targets: dict[str, MentionTarget] = {}
        mentioned: set[int] = set()
        for acct in parsed.mentions:
            username, _, domain = acct.partition("@")
            member = self.by_key.get(username_key(username))
            if member is None or (domain and domain.casefold() != own_domain):
                continue
            url = self.urls[member]["url"]
            targets[acct.casefold()] = MentionTarget(acct=self.usernames[member], url=url)
            mentioned.add(member)
        return targets, sorted(mentioned)

    def reblog(self, member: int, original_id: int, at: dt.datetime) -> None:
        if (member, original_id) in self.reblogged:
            return  # reblogging again returns the existing reblog
        self.reblogged.add((member, original_id))
        reblog_id = self.ids.at(at)
        urls = self.urls[member]
        status = NewStatus(
            id=reblog_id,
            account_id=self.account_ids[member],
            uri=f"{urls['uri']}/statuses/{reblog_id}/activity",
            url=f"{urls['url']}/{reblog_id}",
            text="",
            content="",
            spoiler_text="",
            sensitive=False,
            visibility=Visibility.PUBLIC,
            language=None,
            created_at=at,
            reblog_of_id=original_id,
        )
        self.add_status(status, member)
        self.reblogs[original_id] = self.reblogs.get(original_id, 0) + 1
        self.notify(self.post_author[original_id], member, "reblog", original_id, at)
        self.deliver(status, member, [])

    def favourite(self, member: int, status_id: int, at: dt.datetime) -> None:
        if (member, status_id) in self.favourited:
            return
        self.favourited.add((member, status_id))
        row = SeedEdge(self.ids.at(at), self.account_ids[member], status_id, at)
        self.favourite_rows.append(row)
        self.favourites[status_id] = self.favourites.get(status_id, 0) + 1
        self.notify(self.post_author[status_id], member, "favourite", status_id, at)

    def home_feed(self) -> list[FeedEntry]:
        keep = max(0, self.settings.feed_max_length)
        entries: list[FeedEntry] = []
        for feed in self.feeds:
            newest = sorted(feed.values(), key=lambda entry: entry.status_id, reverse=True)
            entries += newest[:keep]
        return entries


def plan_community(
    community: SeedCommunity, settings: PlanSettings, report: Report | None = None
) -> SeedPlan:
    state = _Community(community, settings)
    for follow in sorted(community.follows, key=lambda f: f.at):
        state.follow(follow.follower, follow.followed, follow.at)

    # Posts and reactions in time order; a reaction always comes after its post.
    events = [(post.at, 0, index) for index, post in enumerate(community.posts)]
    events += [(reaction.at, 1, index) for index, reaction in enumerate(community.reactions)]
    events.sort()
    post_ids: dict[int, int] = {}
    for done, (at, kind, index) in enumerate(events, start=1):
        if kind == 0:
            post = community.posts[index]
            parent = post_ids[post.reply_to] if post.reply_to is not None else None
            post_ids[index] = state.post(post.author, post.text, at, parent)
        else:
            reaction = community.reactions[index]
            target = post_ids[reaction.post]
            if reaction.kind == REBLOG:
                state.reblog(reaction.member, target, at)
            elif reaction.kind == FAVOURITE:
                state.favourite(reaction.member, target, at)
        if report is not None and (done % REPORT_EVERY == 0 or done == len(events)):
            report(done)

    accounts = tuple(
        SeedAccount(
            id=state.account_ids[i],
            user_id=state.ids.at(member.joined),
            username=member.username,
            email=normalise_email(member.email),
            display_name=member.display_name.strip(),
            note=render(
                member.bio,
                mentions=state.mentions_in(parse(member.bio))[0],
                base_url=settings.base_url,
            ),
            note_source=member.bio,
            base_url=settings.base_url,
            created_at=member.joined,
            statuses_count=state.statuses_count[i],
            followers_count=len(state.followers[i]),
            following_count=len(state.following[i]),
            last_status_at=state.last_status_at[i],
        )
        for i, member in enumerate(community.members)
    )
    statuses = tuple(
        SeedStatus(
            new=status,
            replies_count=state.replies.get(status.id, 0),
            reblogs_count=state.reblogs.get(status.id, 0),
            favourites_count=state.favourites.get(status.id, 0),
        )
        for status in state.statuses
    )
    return SeedPlan(
        accounts=accounts,
        follows=tuple(state.follow_rows),
        tags=tuple(state.tags.values()),
        statuses=statuses,
        status_tags=tuple(state.status_tags),
        favourites=tuple(state.favourite_rows),
        home_feed=tuple(state.home_feed()),
        notifications=tuple(state.notifications),
        post_ids=tuple(post_ids[i] for i in range(len(community.posts))),
    )
