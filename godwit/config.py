"""One frozen, typed Settings object read from ``GODWIT_*`` environment variables.

Every setting is declared once here, with its type, default and a one-line help text;
``docs/configuration.md`` is generated from this table (``godwit config-docs``) and a test
keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from godwit.domain.links import parse_ports

RegistrationMode = Literal["open", "approval", "closed"]


def _setting(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = _setting(
        "sqlite:///data/godwit.sqlite3",
        "Database URL: sqlite:///PATH (default) or postgresql://USER@HOST:PORT/DB.",
    )
    redis_url: str = _setting(
        "", "Redis URL (redis://HOST:PORT/N). Empty: in-process rate limits and caches."
    )
    media_dir: str = _setting("data/media", "Directory for uploaded media files.")
    media_backend: str = _setting(
        "filesystem",
        "Where media files live: filesystem (under GODWIT_MEDIA_DIR, served at /media/) or s3.",
    )
    s3_endpoint: str = _setting(
        "", "S3-compatible endpoint URL (https://s3.REGION.amazonaws.com, MinIO, Garage…)."
    )
    s3_bucket: str = _setting("", "S3 bucket holding media files.")
    s3_region: str = _setting("us-east-1", "S3 region name.")
    s3_access_key_id: str = _setting("", "S3 access key id.")
    s3_secret_access_key: str = _setting("", "S3 secret access key.")
    s3_public_url: str = _setting(
        "",
        "Public base URL of the bucket's files (a CDN or the bucket's website URL); objects "
        "must be publicly readable there (a bucket policy allowing s3:GetObject). "
        "Empty: ENDPOINT/BUCKET.",
    )
    media_max_image_bytes: int = _setting(
        16 * 1024 * 1024, "Largest image upload accepted, in bytes (Mastodon's is 16 MB)."
    )
    media_max_image_pixels: int = _setting(
        3840 * 2160,
        "Largest image accepted, in pixels (checked before decoding); larger images that "
        "pass are resized down to this.",
    )
    media_processing_workers: int = _setting(
        2, "Threads decoding and re-encoding images; bounded so uploads never stall requests."
    )
    media_ffmpeg_path: str = _setting(
        "ffmpeg",
        "ffmpeg program for video, GIF animation and audio uploads (Debian package ffmpeg). "
        "Missing or empty: such uploads are refused and not advertised.",
    )
    media_ffprobe_path: str = _setting("ffprobe", "ffprobe program (comes with ffmpeg).")
    media_max_video_bytes: int = _setting(
        99 * 1024 * 1024,
        "Largest video, GIF animation or audio upload accepted, in bytes (Mastodon's is 99 MB).",
    )
    media_max_video_pixels: int = _setting(
        1920 * 1200,
        "Largest video frame advertised, in pixels; up to 4x is accepted (checked before "
        "decoding) and scaled down to this.",
    )
    media_max_video_frame_rate: int = _setting(
        120, "Highest video frame rate accepted; output is capped at 60 frames per second."
    )
    media_max_video_seconds: int = _setting(
        600, "Longest video or audio upload accepted, in seconds."
    )
    media_video_workers: int = _setting(
        1, "ffmpeg transcodes run at once per process (each uses several cores)."
    )
    media_ffmpeg_timeout_seconds: int = _setting(
        300, "An ffmpeg run taking longer is stopped and the upload refused."
    )
    domain: str = _setting("127.0.0.1:8000", "Public host name (and port) of this server.")
    scheme: str = _setting("http", "Public URL scheme: https in production, http for local use.")
    secret_key: str = _setting(
        "",
        "Secret for signing sessions and CSRF tokens and sealing the access tokens Web Push "
        "payloads carry. Empty: generated and kept in data/ (set it when running several "
        "processes on different machines).",
    )
    host: str = _setting("127.0.0.1", "Address `godwit serve` listens on.")
    port: int = _setting(8000, "Port `godwit serve` listens on.")
    web_concurrency: int = _setting(
        1,
        "Server processes `godwit serve` runs (uvicorn workers), e.g. one per core. Above 1 "
        "needs GODWIT_REDIS_URL, since streaming events, job wake-ups and rate limits must "
        "reach every process: `godwit serve` refuses to start without it. With SQLite the "
        "processes share the database file (WAL, one writer at a time); jobs run in each "
        "process, and each claims a job exclusively.",
    )
    access_log: bool = _setting(
        False,
        "Log one INFO line per request (uvicorn's access log). Off by default, as on most "
        "production servers where the reverse proxy logs requests: at thousands of requests "
        "a second the lines cost CPU. Errors and warnings are logged either way.",
    )
    instance_title: str = _setting("Godwit", "Server name shown to members and apps.")
    instance_description: str = _setting(
        "A Godwit community.", "Short description shown on the about page and in the API."
    )
    source_url: str = _setting(
        "",
        "Where members get this server's source code (the AGPL asks operators to offer it); "
        "shown to apps and in NodeInfo. Empty: this server's own address.",
    )
    contact_email: str = _setting("", "Contact address for the server's operators.")
    registration_mode: RegistrationMode = _setting(
        "open", "Sign-ups: open, approval (a moderator approves each one) or closed."
    )
    max_status_chars: int = _setting(500, "Maximum characters in a post.")
    streaming_heartbeat_seconds: int = _setting(
        30, "Seconds between `:thump` heartbeats on streaming (SSE) connections."
    )
    streaming_public_requires_token: bool = _setting(
        False, "Public and hashtag streams need an access token (read:statuses) when true."
    )
    max_body_bytes: int = _setting(
        1_048_576, "Largest request body accepted on non-media endpoints, in bytes."
    )
    enable_password_grant: bool = _setting(
        False, "Allow the OAuth password grant (Mastodon removed it; useful for scripts/tests)."
    )
    rate_limit_requests: int = _setting(300, "Requests per window, per token and per IP.")
    rate_limit_window: int = _setting(300, "Rate-limit window in seconds.")
    signup_limit: int = _setting(5, "Sign-ups per IP per sign-up window.")
    signup_window: int = _setting(1800, "Sign-up rate-limit window in seconds.")
    rate_limits_enabled: bool = _setting(True, "Turn rate limiting on or off.")
    feed_max_length: int = _setting(800, "Entries kept in each member's home feed.")
    # About the largest audience one fan-out reaches within a second on SQLite on two cores
    # (about 0.25 ms per follower; docs/performance.md, "Scale behaviour").
    fanout_read_threshold: int = _setting(
        3_000,
        "Followers above which an author's posts are merged into home timelines at read time.",
    )
    fanout_batch_size: int = _setting(
        500, "Followers written per fan-out transaction; each batch is its own durable job."
    )
    run_jobs_in_process: bool = _setting(
        True, "Run background jobs inside `godwit serve` (turn off when running `godwit worker`)."
    )
    job_lease_seconds: int = _setting(
        15,
        "How long a claimed job is held before another runner may take it over; renewed "
        "while the job runs, so it bounds how long a crashed process delays its jobs.",
    )
    job_concurrency: int = _setting(4, "Jobs run at once per process.")
    lazy_account_keys: bool = _setting(
        False,
        "Make a local account's RSA key pair (federation signs with it) when it is first "
        "needed instead of at sign-up, sparing each sign-up one key generation (tens of "
        "milliseconds of CPU). `godwit bench prepare --direct` always seeds lazily.",
    )
    password_hash_workers: int = _setting(
        2, "Threads hashing passwords; bounded so hashing never stalls other requests."
    )
    trusted_proxy_count: int = _setting(
        0, "Reverse proxies in front of Godwit whose X-Forwarded-For can be trusted."
    )
    push_allow_loopback: bool = _setting(
        False,
        "Let Web Push endpoints be on loopback addresses (and plain http there). For tests "
        "and local development only: otherwise pushes go to public https endpoints only.",
    )
    preview_cards: bool = _setting(
        True,
        "Fetch a preview card (title, description, image) for the first link of each local "
        "post, in a background job, and let links trend.",
    )
    preview_cards_allowed_ports: str = _setting(
        "80,443", "Ports preview cards may be fetched from, comma-separated."
    )
    preview_cards_allow_loopback: bool = _setting(
        False,
        "Let preview cards be fetched from loopback addresses (127.0.0.0/8, ::1). For tests "
        "and local development only; private, link-local and other non-public addresses are "
        "always refused.",
    )

    moderation_threat_policy: str = _setting(
        "standard",
        "How the offline threat scorer's score is used on new and edited posts: off, strict, "
        "standard, lenient (presets fixed by cross-validation, docs/moderation.md) or custom "
        "(the two thresholds below). A score at most holds a post for review or labels it. "
        "Admins can change it in the web app.",
    )
    moderation_hold_threshold: str = _setting(
        "", "With the custom policy: the score (0 to 1) at or above which a post is held."
    )
    moderation_label_threshold: str = _setting(
        "",
        "With the custom policy: the score (0 to 1) at or above which a post gets a content "
        "warning. Empty: never.",
    )
    moderation_max_mentions: int = _setting(
        0, "Posts mentioning more accounts than this are held for review (0: no limit)."
    )
    moderation_max_links: int = _setting(
        0, "Posts with more links than this are held for review (0: no limit)."
    )
    moderation_new_account_days: int = _setting(
        7, "Accounts younger than this many days get the stricter limits below."
    )
    moderation_new_account_max_mentions: int = _setting(
        5, "New accounts' posts mentioning more accounts than this are held (0: no limit)."
    )
    moderation_new_account_max_links: int = _setting(
        3, "New accounts' posts with more links than this are held (0: no limit)."
    )
    moderation_scorer_workers: int = _setting(
        2,
        "Threads scoring posts in each process that runs jobs (the model is loaded once); "
        "concurrent posts are micro-batched. 2 uses two cores (docs/performance.md).",
    )

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @property
    def media_base_url(self) -> str:
        """Where media files are served from: keys are appended to it."""
        if self.media_backend == "s3":
            if self.s3_public_url:
                return self.s3_public_url.rstrip("/")
            return f"{self.s3_endpoint.rstrip('/')}/{self.s3_bucket}"
        return f"{self.base_url}/media"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"GODWIT_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _parse(f.name, raw, f.default)
        settings = cls(**values)
        _validate(settings)
        return settings


def _parse(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"GODWIT_{name.upper()} must be a boolean, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"GODWIT_{name.upper()} must be an integer, got {raw!r}") from None
    return raw


def _is_fraction(raw: str) -> bool:
    try:
        value = float(raw)
    except ValueError:
        return False
    return 0.0 <= value <= 1.0


def _validate(settings: Settings) -> None:
    if settings.moderation_threat_policy not in ("off", "strict", "standard", "lenient", "custom"):
        raise ValueError(
            "GODWIT_MODERATION_THREAT_POLICY must be off, strict, standard, lenient or custom"
        )
    for name in ("moderation_hold_threshold", "moderation_label_threshold"):
        raw = getattr(settings, name)
        if raw and not _is_fraction(raw):
            raise ValueError(f"GODWIT_{name.upper()} must be a number from 0 to 1, got {raw!r}")
    if settings.moderation_threat_policy == "custom" and not settings.moderation_hold_threshold:
        raise ValueError(
            "GODWIT_MODERATION_THREAT_POLICY=custom needs GODWIT_MODERATION_HOLD_THRESHOLD"
        )
    if settings.moderation_scorer_workers < 1:
        raise ValueError("GODWIT_MODERATION_SCORER_WORKERS must be at least 1")
    if settings.registration_mode not in ("open", "approval", "closed"):
        raise ValueError("GODWIT_REGISTRATION_MODE must be open, approval or closed")
    if settings.scheme not in ("http", "https"):
        raise ValueError("GODWIT_SCHEME must be http or https")
    if settings.media_backend not in ("filesystem", "s3"):
        raise ValueError("GODWIT_MEDIA_BACKEND must be filesystem or s3")
    if settings.media_backend == "s3" and not (settings.s3_endpoint and settings.s3_bucket):
        raise ValueError("GODWIT_MEDIA_BACKEND=s3 needs GODWIT_S3_ENDPOINT and GODWIT_S3_BUCKET")
    if settings.web_concurrency < 1:
        raise ValueError("GODWIT_WEB_CONCURRENCY must be at least 1")
    if settings.max_status_chars < 1:
        raise ValueError("GODWIT_MAX_STATUS_CHARS must be positive")
    try:
        parse_ports(settings.preview_cards_allowed_ports)
    except ValueError as error:
        raise ValueError(f"GODWIT_PREVIEW_CARDS_ALLOWED_PORTS: {error}") from None


def load_secret_key(settings: Settings) -> str:
    """The configured secret, or one generated once and kept beside the media directory."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.media_dir).parent / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def settings_reference() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting: the source of docs/configuration.md."""
    rows = []
    for f in dataclasses.fields(Settings):
        rows.append((f"GODWIT_{f.name.upper()}", repr(f.default), str(f.metadata["help"])))
    return rows
