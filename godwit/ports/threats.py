"""Port of the threat scorer: text in, a score and the seed examples behind it out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from godwit.domain.threats import ThreatPreset, ThreatScore


class ThreatScorer(Protocol):
    @property
    def thresholds(self) -> Mapping[ThreatPreset, float]:
        """The score at or above which each preset flags a text."""
        ...

    async def score(self, text: str) -> ThreatScore:
        """Score one plain-text post (HTML already stripped). Runs off the event loop."""
        ...

    async def score_many(self, texts: Sequence[str]) -> list[ThreatScore]:
        """Score several posts in one batch (cheaper per post); results in input order."""
        ...

    async def close(self) -> None:
        """Release the worker threads (the model stays loaded for the process)."""
        ...
