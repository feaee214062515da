"""Threat scores: how likely a text is a threat or a call for violence, and why.

A score never decides anything by itself: a community's policy (a preset or an explicit
threshold) turns it into "hold for review" or "label", and a moderator decides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ThreatPreset(enum.StrEnum):
    """Ready-made policies. Their thresholds come from the trained head (cross-validated on
    its training data, see docs/moderation.md): strict flags the most, lenient the least."""

    STRICT = "strict"
    STANDARD = "standard"
    LENIENT = "lenient"


@dataclass(frozen=True)
class SeedExample:
    """One example of the team's seed set that resembles the scored text."""

    text: str
    is_threat: bool
    category: str
    similarity: float  # cosine similarity of the sentence embeddings, -1..1


@dataclass(frozen=True)
class ThreatScore:
    score: float  # 0..1, higher is more likely a threat
    nearest: tuple[SeedExample, ...]  # the most similar seed examples, most similar first

    def exceeds(self, threshold: float) -> bool:
        return self.score >= threshold
