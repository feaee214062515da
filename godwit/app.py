"""The composition root: build_app(settings) wires adapters to services to an ASGI app.

This is the only module that knows which adapter implements which port.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from godwit.api.errors import EXCEPTION_HANDLERS
from godwit.api.middleware import ApiCorsMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from godwit.api.ratelimit import RateLimitMiddleware
from godwit.api.routes import ROUTES
from godwit.cache.memory import MemoryRateLimiter
from godwit.config import Settings, load_secret_key
from godwit.domain.cards import CARD_JOB, PRUNE_CARDS_JOB
from godwit.domain.links import parse_ports
from godwit.domain.push import PUSH_JOB
from godwit.heap import freeze_startup_heap
from godwit.jobs.runner import JobRunner
from godwit.links.fetcher import HttpLinkFetcher
from godwit.media.ffmpeg import FfmpegProcessor
from godwit.media.filesystem import FileMediaStore
from godwit.media.images import PillowImageProcessor
from godwit.ports.media import MediaStore
from godwit.ports.pubsub import PubSub
from godwit.ports.ratelimit import RateLimiter
from godwit.ports.threats import ThreatScorer
from godwit.pubsub.memory import MemoryPubSub
from godwit.push.sealing import AesGcmTokenSealer
from godwit.push.sender import WebPushSender
from godwit.security.keys import RsaKeyPairGenerator
from godwit.security.passwords import Argon2PasswordHasher
from godwit.security.pool import BoundedPool
from godwit.services.account_moderation import AccountModerationService
from godwit.services.accounts import AccountService
from godwit.services.audit import AuditService
from godwit.services.authorised_apps import AuthorisedAppService
from godwit.services.container import Services
from godwit.services.content_review import REVIEW_JOB, ContentReviewService
from godwit.services.content_rules import ContentRuleService
from godwit.services.conversations import CONVERSATION_JOB, ConversationService
from godwit.services.discovery import DiscoveryService
from godwit.services.domain_blocks import DomainBlockService
from godwit.services.filters import FilterService
from godwit.services.graph import GraphService
from godwit.services.health import HealthService
from godwit.services.instance import InstanceService
from godwit.services.jobs import JobService, JobWakeups
from godwit.services.links import LinkService
from godwit.services.lists import ListService
from godwit.services.media import DELETE_PROFILE_IMAGES_JOB, MediaService
from godwit.services.media_motion import PROCESS_JOB
from godwit.services.member_settings import MemberSettingsService
from godwit.services.mod_queue import ModerationQueueService
from godwit.services.notification_groups import NotificationGroupService
from godwit.services.notification_policy import NotificationPolicyService
from godwit.services.notifications import NotificationService
from godwit.services.oauth import OAuthService
from godwit.services.polls import POLL_EXPIRY_JOB, PollService
from godwit.services.preview_cards import PreviewCardService
from godwit.services.push import PushService
from godwit.services.push_delivery import PushDeliveryService
from godwit.services.reports import ReportService
from godwit.services.scheduled import PUBLISH_JOB, ScheduledStatusService
from godwit.services.search import SearchService
from godwit.services.seeding import SeedingService
from godwit.services.server_settings import ServerSettingsService
from godwit.services.status_edits import StatusEditService
from godwit.services.status_marks import StatusMarkService
from godwit.services.status_moderation import StatusModerationService
from godwit.services.statuses import StatusService
from godwit.services.streaming import StreamingService, StreamPublisher
from godwit.services.tags import TAG_FANOUT_JOB, TagService
from godwit.services.timelines import EDIT_FANOUT_JOB, TimelineService
from godwit.services.web_sessions import WebSessionService
from godwit.storage.bulk import SqlSeedStore
from godwit.storage.database import Database
from godwit.storage.store import SqlStore
from godwit.web.media_files import media_files_route
from godwit.web.routes import WEB_ROUTES

log = logging.getLogger("godwit")


class Components:
    """Everything built for one process, so the CLI, the worker and tests can share it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = Database(settings.database_url)
        # Streaming: committed transactions publish their events through the pub/sub port.
        self.pubsub = build_pubsub(settings)
        # A commit that queued jobs wakes the job runners (of every process, with Redis).
        self.job_wakeups = JobWakeups(self.pubsub)
        self.store = SqlStore(self.database, StreamPublisher(self.pubsub), self.job_wakeups)
        self.rate_limiter = build_rate_limiter(settings)
        self.media_store = build_media_store(settings)
        self.image_processor = PillowImageProcessor(
            max_bytes=settings.media_max_image_bytes,
            max_pixels=settings.media_max_image_pixels,
            workers=settings.media_processing_workers,
        )
        # Video, GIF animation and audio: off (refused, not advertised) without ffmpeg.
        self.motion_processor = FfmpegProcessor(
            ffmpeg=settings.media_ffmpeg_path,
            ffprobe=settings.media_ffprobe_path,
            workers=settings.media_video_workers,
            timeout_seconds=settings.media_ffmpeg_timeout_seconds,
        )
        media = MediaService(
            self.store, self.media_store, self.image_processor, self.motion_processor, settings
        )
        # CPU-heavy security work runs on bounded thread pools, off the event loop.
        self.password_pool = BoundedPool(settings.password_hash_workers, name="password-hash")
        self.key_pool = BoundedPool(settings.password_hash_workers, name="key-generation")
        # Web Push: the adapter owns the HTTP client; tokens kept for payloads are sealed.
        self.push_sender = WebPushSender(allow_loopback=settings.push_allow_loopback)
        token_sealer = AesGcmTokenSealer(load_secret_key(settings))
        # Preview cards: the adapter owns the HTTP client; public addresses only.
        self.link_fetcher = HttpLinkFetcher(
            allowed_ports=parse_ports(settings.preview_cards_allowed_ports),
            allow_loopback=settings.preview_cards_allow_loopback,
            max_image_bytes=settings.media_max_image_bytes,
            contact_url=settings.base_url,
        )
        preview_cards = PreviewCardService(
            self.store, self.link_fetcher, self.image_processor, self.media_store, settings
        )
        push = PushService(self.store, settings, self.push_sender, token_sealer)
        accounts = AccountService(
            self.store,
            settings,
            Argon2PasswordHasher(self.password_pool),
            RsaKeyPairGenerator(self.key_pool),
        )
        oauth = OAuthService(self.store, settings)
        self.threat_scorer = build_threat_scorer(settings)
        content_review = ContentReviewService(self.store, settings, self.threat_scorer)
        web_sessions = WebSessionService(self.store, settings, oauth, accounts)
        self.services = Services(
            settings=settings,
            oauth=oauth,
            accounts=accounts,
            web_sessions=web_sessions,
            authorised_apps=AuthorisedAppService(self.store, web_sessions),
            search=SearchService(self.store, accounts),  # reuses the account search
            statuses=StatusService(self.store, settings, content_review),
            content_review=content_review,
            content_rules=ContentRuleService(self.store, settings, self.threat_scorer),
            status_marks=StatusMarkService(self.store),
            status_edits=StatusEditService(self.store, settings, content_review),
            graph=GraphService(self.store),
            instance=InstanceService(self.store, settings, media_limits=media.limits),
            member_settings=MemberSettingsService(self.store),
            notifications=NotificationService(self.store),
            notification_groups=NotificationGroupService(self.store),
            notification_policy=NotificationPolicyService(self.store),
            timelines=TimelineService(self.store, settings),
            media=media,
            streaming=StreamingService(
                self.store,
                self.pubsub,
                NotificationService(self.store),
                ConversationService(self.store),
                settings,
            ),
            lists=ListService(self.store),
            filters=FilterService(self.store),
            polls=PollService(self.store),
            # Publishes through its own (stateless) StatusService: the normal posting path.
            scheduled_statuses=ScheduledStatusService(
                self.store, settings, StatusService(self.store, settings)
            ),
            conversations=ConversationService(self.store),
            push=push,
            links=LinkService(self.store, settings),
            health=HealthService(self.store),
            reports=ReportService(self.store),
            domain_blocks=DomainBlockService(self.store, settings),
            tags=TagService(self.store, settings),
            discovery=DiscoveryService(self.store),
            # `godwit demo`'s bulk path; the same bounded pools as sign-up.
            seeding=SeedingService(
                self.store,
                SqlSeedStore(self.database),
                settings,
                Argon2PasswordHasher(self.password_pool),
                RsaKeyPairGenerator(self.key_pool),
            ),
            account_moderation=AccountModerationService(self.store),
            status_moderation=StatusModerationService(self.store),
            moderation_queue=ModerationQueueService(self.store),
            audit=AuditService(self.store),
            server_settings=ServerSettingsService(self.store, settings),
        )
        self.job_runner = JobRunner(
            JobService(self.store),
            {
                "status.fanout": self.services.timelines.handle_status_fanout,
                REVIEW_JOB: content_review.handle_review,
                "media.expire": self.services.media.handle_expire,
                "media.delete_files": self.services.media.handle_delete_files,
                PROCESS_JOB: self.services.media.handle_process,
                DELETE_PROFILE_IMAGES_JOB: self.services.media.handle_delete_profile_images,
                "feed.backfill": self.services.timelines.handle_feed_backfill,
                "status.notify": self.services.notifications.handle_status_notify,
                TAG_FANOUT_JOB: self.services.tags.handle_status_fanout_tags,
                POLL_EXPIRY_JOB: self.services.polls.handle_expiry,
                PUBLISH_JOB: self.services.scheduled_statuses.handle_publish,
                CONVERSATION_JOB: self.services.conversations.handle_update,
                "status.update_notify": self.services.status_edits.handle_update_notify,
                EDIT_FANOUT_JOB: self.services.timelines.handle_edit_fanout,
                CARD_JOB: preview_cards.handle_fetch,
                PRUNE_CARDS_JOB: preview_cards.handle_prune,
                PUSH_JOB: PushDeliveryService(
                    self.store, settings, self.push_sender, token_sealer, push
                ).handle_deliver,
            },
            concurrency=settings.job_concurrency,
            lease_seconds=settings.job_lease_seconds,
            wakeups=self.job_wakeups,
        )

    async def start(self) -> None:
        if self.settings.run_jobs_in_process:
            await self.job_runner.start()

    async def stop(self) -> None:
        await self.job_runner.stop()  # before the database goes: jobs finish or are released
        await self.rate_limiter.close()
        await self.pubsub.close()
        await self.push_sender.close()
        await self.link_fetcher.close()
        if self.threat_scorer is not None:
            await self.threat_scorer.close()
        self.password_pool.shutdown()
        self.key_pool.shutdown()
        self.image_processor.shutdown()
        await self.database.dispose()


def build_threat_scorer(settings: Settings) -> ThreatScorer | None:
    """The offline threat scorer, when the ``moderation`` extra (numpy, tokenizers and the
    model package) is installed, whatever the configured policy: admins may turn the policy
    on in the web app. The model loads on the first score, once per process."""
    from godwit.moderation.scorer import LocalThreatScorer, installed

    if not installed():
        log.warning(
            "the threat scorer is not installed (pip install 'godwit[moderation]'): posts "
            "are screened by the community's rules only"
        )
        return None
    return LocalThreatScorer(workers=settings.moderation_scorer_workers)


def build_pubsub(settings: Settings) -> PubSub:
    """Redis pub/sub when configured (events shared by every process), else in-process."""
    if not settings.redis_url:
        return MemoryPubSub()
    from godwit.pubsub.redis import RedisPubSub  # redis-py only where Redis is configured

    return RedisPubSub(settings.redis_url, namespace=f"godwit:{_database_key(settings)}")


def _database_key(settings: Settings) -> str:
    return hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]


def build_media_store(settings: Settings) -> MediaStore:
    """Local files under media_dir (default), or an S3-compatible bucket."""
    if settings.media_backend == "s3":
        from godwit.media.s3 import S3MediaStore  # boto3 (9 MB) only where S3 is configured

        return S3MediaStore(
            endpoint=settings.s3_endpoint,
            bucket=settings.s3_bucket,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            region=settings.s3_region,
            public_url=settings.media_base_url,
        )
    return FileMediaStore(settings.media_dir, settings.media_base_url)


def media_routes(settings: Settings) -> list[BaseRoute]:
    """With local files, the app serves them itself at /media/ (S3 serves its own)."""
    return [media_files_route(settings.media_dir)] if settings.media_backend != "s3" else []


def build_rate_limiter(settings: Settings) -> RateLimiter:
    """Redis when configured (limits shared by every process), else in-process memory."""
    if not settings.redis_url:
        return MemoryRateLimiter()
    # Keys are namespaced by database, so instances sharing one Redis keep separate counts.
    database_key = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    from godwit.cache.redis import RedisRateLimiter

    return RedisRateLimiter(settings.redis_url, namespace=f"godwit:{database_key}")


def build_app(settings: Settings, *, on_started: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app; ``on_started`` runs once its components have started (``godwit serve``
    freezes the start-up heap there)."""
    components = Components(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await components.start()
        if on_started is not None:
            on_started()
        try:
            yield
        finally:
            await components.stop()

    # Outermost first: every response gets a request id and security headers; CORS
    # preflights are answered before rate limits and authentication.
    middleware: list[Middleware] = [
        Middleware(RequestIdMiddleware),
        Middleware(SecurityHeadersMiddleware),
        Middleware(ApiCorsMiddleware),
        Middleware(RateLimitMiddleware, settings=settings, limiter=components.rate_limiter),
    ]
    app = Starlette(
        routes=[*ROUTES, *WEB_ROUTES, *media_routes(settings)],
        middleware=middleware,
        exception_handlers=dict[Any, Any](EXCEPTION_HANDLERS),
        lifespan=lifespan,
    )
    app.state.services = components.services
    app.state.components = components
    return app


def build_app_from_env() -> Starlette:
    """The app factory each `godwit serve` worker process calls (GODWIT_WEB_CONCURRENCY > 1)."""
    return build_app(Settings.from_env(), on_started=freeze_startup_heap)
