"""The set of services the adapters call. Built once, in the composition root (app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from godwit.config import Settings
from godwit.services.oauth import OAuthService


@dataclass(slots=True)
class Services:
    settings: Settings
    oauth: OAuthService
