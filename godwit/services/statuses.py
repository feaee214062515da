"""Posting and reading statuses: create, get, delete, context, account listings.

Favourites and reblogs live in ``status_reactions`` (the base class) to keep files short."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from godwit.config import Settings
from godwit.domain.accounts import Account, posting_defaults
from godwit.domain.content_review import Verdict
from godwit.domain.errors import Conflict, Invalid, NotFound
from godwit.domain.ids import new_id
from godwit.domain.pagination import PageRequest
from godwit.domain.polls import PollRequest, validate_poll
from godwit.domain.posting import (
    IDEMPOTENCY_SECONDS,
    MAX_ANCESTORS,
    MAX_DESCENDANT_DEPTH,
    MAX_DESCENDANTS,
    AccountStatusesQuery,
    NewStatus,
    counts_towards_statuses,
    normalise_language,
    thread_order,
)
from godwit.domain.posts import Status, StatusView, Visibility
from godwit.domain.text import MentionTarget, countable_length, parse, render, tag_key
from godwit.ports.store import Store, Transaction
from godwit.services.content_review import ContentReviewService
from godwit.services.instance import max_status_chars
from godwit.services.media import attach_media
from godwit.services.polls import attach_poll
from godwit.services.presenting import present_status, present_statuses
from godwit.services.publication import publish_status
from godwit.services.quotes import quotable
from godwit.services.status_reactions import (
    StatusReactions,
    current_time,
    delete_status,
    invalid_field,
    load_author,
    parse_visibility,
)

MAX_REMOTE_MENTIONS = 20  # remote accts are looked up one by one; bound the work per post


@dataclass(frozen=True, slots=True)
class PostRequest:
    """A new status as a client asked for it (already type-checked by the API)."""

    text: str
    spoiler_text: str = ""
    sensitive: bool | None = None
    visibility: str | None = None
    in_reply_to_id: int | None = None
    language: str | None = None
    idempotency_key: str | None = None
    poll: PollRequest | None = None
    quoted_status_id: int | None = None
    media_ids: tuple[int, ...] = ()  # own uploads not yet attached, at most four


@dataclass(frozen=True, slots=True)
class AccountStatusesFilter:
    pinned: bool = False
    exclude_replies: bool = False
    exclude_reblogs: bool = False
    only_media: bool = False
    tagged: str | None = None


@dataclass(frozen=True, slots=True)
class Thread:
    ancestors: list[StatusView]
    descendants: list[StatusView]


def _too_long(limit: int) -> Invalid:
    return Invalid(
        f"Validation failed: Text character limit of {limit} exceeded",
        {"text": [("ERR_TOO_LONG", f"character limit of {limit} exceeded")]},
    )


def _idempotency_key(raw: str) -> str:
    """Keys fit the column whatever their length (long ones are hashed)."""
    return raw if len(raw) <= 200 else "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


class StatusService(StatusReactions):
    def __init__(
        self, store: Store, settings: Settings, review: ContentReviewService | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        # The moderation pipeline (None: posts are published at once, as before issue 6).
        self.review = review

    # -- posting ---------------------------------------------------------------------

    async def create(
        self, account_id: int, request: PostRequest, *, application_id: int | None = None
    ) -> StatusView:
        text = request.text.strip()
        spoiler_text = request.spoiler_text.strip()
        if not text and not request.media_ids:  # a post may be only media, as in Mastodon
            raise Invalid(
                "Validation failed: Text can't be blank",
                {"text": [("ERR_BLANK", "can't be blank")]},
            )
        poll = validate_poll(request.poll) if request.poll is not None else None
        language = None
        if request.language:
            language = normalise_language(request.language)
            if language is None:
                raise invalid_field("language", "is not a valid language code")
        visibility = parse_visibility(request.visibility) if request.visibility else None
        key = _idempotency_key(request.idempotency_key) if request.idempotency_key else None
        async with self.store.write() as tx:
            if key is not None:
                replay = await self._replay(tx, account_id, key)
                if replay is not None:
                    return replay
            # The limit admins set (server settings), else the configuration's.
            limit = await max_status_chars(tx, self.settings)
            if countable_length(text, spoiler_text) > limit:
                raise _too_long(limit)
            author = await load_author(tx, account_id)
            user = await tx.accounts.get_user_by_account(account_id)
            default_visibility, default_sensitive, default_language = (
                posting_defaults(user) if user is not None else ("public", False, None)
            )
            parent = await self._parent(tx, request.in_reply_to_id, account_id)
            quoted = (
                await quotable(tx, request.quoted_status_id, account_id)
                if request.quoted_status_id is not None
                else None
            )
            targets, mentioned_ids = await self.resolve_mentions(tx, text)
            screening = (
                await self.review.screen(tx, author=author, text=text, spoiler_text=spoiler_text)
                if self.review is not None
                else None
            )
            if screening is not None and screening.decision.verdict is Verdict.LABEL:
                spoiler_text = spoiler_text or screening.decision.label
            now = current_time()
            status_id = new_id()
            new = NewStatus(
                id=status_id,
                account_id=account_id,
                uri=f"{author.uri}/statuses/{status_id}",
                url=f"{author.url}/{status_id}",
                text=text,
                content=render(text, mentions=targets, base_url=self.settings.base_url),
                spoiler_text=spoiler_text,
                sensitive=bool(spoiler_text)
                or (default_sensitive if request.sensitive is None else request.sensitive),
                visibility=visibility or Visibility.parse(default_visibility) or Visibility.PUBLIC,
                language=language or default_language,
                created_at=now,
                in_reply_to_id=parent.id if parent else None,
                in_reply_to_account_id=parent.account_id if parent else None,
                application_id=application_id,
                mentioned_account_ids=tuple(mentioned_ids),
                tags=parse(text).tags,
                quote_of_id=quoted.id if quoted is not None else None,
                review_state=screening.review_state if screening is not None else None,
            )
            status = await tx.statuses.create(new)
            await attach_media(tx, account_id, request.media_ids, status_id)
            await tx.accounts.adjust_counts(
                account_id, statuses=1 if counts_towards_statuses(status) else 0, last_status_at=now
            )
            if key is not None and not await tx.statuses.remember_idempotency_key(
                account_id, key, status_id, now
            ):
                # A concurrent request with the same key won: roll this one back.
                raise Conflict("A request with this Idempotency-Key is already being processed")
            if poll is not None:
                await attach_poll(
                    tx, status_id=status_id, account_id=account_id, request=poll, now=now
                )
            if status.published:
                await publish_status(tx, self.settings, status, author_local=author.local)
            if screening is not None and self.review is not None:
                await self.review.record_screening(tx, status, screening)
            return await present_status(tx, status_id, account_id)

    async def _replay(self, tx: Transaction, account_id: int, key: str) -> StatusView | None:
        not_before = current_time() - dt.timedelta(seconds=IDEMPOTENCY_SECONDS)
        previous = await tx.statuses.idempotent_status(account_id, key, not_before)
        if previous is None:
            return None
        shown = await present_statuses(tx, [previous], account_id)
        return shown[0] if shown else None

    async def _parent(
        self, tx: Transaction, in_reply_to_id: int | None, viewer_id: int
    ) -> Status | None:
        if in_reply_to_id is None:
            return None
        parent = await present_status(tx, in_reply_to_id, viewer_id)
        if parent.status.reblog_of_id is not None:
            raise NotFound()  # a reblog cannot be replied to, as in Mastodon
        return parent.status

    async def resolve_mentions(
        self, tx: Transaction, text: str
    ) -> tuple[dict[str, MentionTarget], list[int]]:
        """Mentions of known accounts (local ones, and remote ones already known); the
        rest stay plain text."""
        own_domain = self.settings.domain.casefold()
        local: dict[str, str] = {}  # acct as written (casefolded) -> username
        remote: list[str] = []
        for acct in parse(text).mentions:
            username, _, domain = acct.partition("@")
            if not domain or domain.casefold() == own_domain:
                local[acct.casefold()] = username
            else:
                remote.append(acct)
        found = await tx.accounts.find_local_many(sorted(set(local.values())))
        resolved: dict[str, Account] = {}
        for written, username in local.items():
            account = found.get(username.casefold())
            if account is not None:
                resolved[written] = account
        for acct in remote[:MAX_REMOTE_MENTIONS]:
            account = await tx.accounts.find_by_acct(acct)
            if account is not None:
                resolved[acct.casefold()] = account
        targets = {
            written: MentionTarget(acct=account.acct, url=account.url)
            for written, account in resolved.items()
        }
        return targets, sorted({account.id for account in resolved.values()})

    # -- reading ---------------------------------------------------------------------

    async def get(self, status_id: int, viewer_id: int | None) -> StatusView:
        async with self.store.read() as tx:
            return await present_status(tx, status_id, viewer_id, context="thread")

    async def context(self, status_id: int, viewer_id: int | None) -> Thread:
        async with self.store.read() as tx:
            view = await present_status(tx, status_id, viewer_id, context="thread")
            status = view.status
            ancestors = await tx.statuses.ancestors(status, MAX_ANCESTORS)
            replies = await tx.statuses.descendants(
                status.id, MAX_DESCENDANTS, MAX_DESCENDANT_DEPTH
            )
            ordered = thread_order(status.id, replies)
            shown_ancestors = await present_statuses(
                tx, [s.id for s in ancestors], viewer_id, context="thread", hide_muted=True
            )
            shown_descendants = await present_statuses(
                tx, [s.id for s in ordered], viewer_id, context="thread", hide_muted=True
            )
            return Thread(ancestors=shown_ancestors, descendants=shown_descendants)

    async def account_statuses(
        self,
        account_id: int,
        viewer_id: int | None,
        wanted: AccountStatusesFilter,
        page: PageRequest,
    ) -> list[StatusView]:
        async with self.store.read() as tx:
            account = await tx.accounts.get(account_id)
            if account is None or account.suspended:
                raise NotFound()
            if viewer_id == account_id:
                visibilities = tuple(Visibility)
            elif viewer_id is not None and await tx.graph.following_ids(viewer_id, [account_id]):
                visibilities = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE)
            else:
                visibilities = (Visibility.PUBLIC, Visibility.UNLISTED)
            query = AccountStatusesQuery(
                account_id=account_id,
                visibilities=visibilities,
                mentioned_viewer_id=viewer_id if viewer_id != account_id else None,
                pinned=wanted.pinned,
                exclude_replies=wanted.exclude_replies,
                exclude_reblogs=wanted.exclude_reblogs,
                tag=tag_key(wanted.tagged) if wanted.tagged else None,
                only_media=wanted.only_media,
            )
            ids = await tx.statuses.account_statuses(query, page)
            return await present_statuses(tx, ids, viewer_id, context="account")

    # -- deleting ----------------------------------------------------------------------

    async def delete(self, status_id: int, account_id: int) -> StatusView:
        """Delete one's own status for real; the view returned still carries the source."""
        async with self.store.write() as tx:
            status = await tx.statuses.get(status_id)
            if status is None or status.account_id != account_id:
                raise NotFound()
            views = await tx.statuses.load_views([status_id], account_id)
            if status_id not in views:
                raise NotFound()
            await delete_status(tx, status_id)
            return views[status_id]
