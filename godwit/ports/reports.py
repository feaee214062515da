"""Repository port for reports filed by members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from godwit.domain.reports import Report


class ReportRepository(Protocol):
    async def add(self, report: Report) -> None: ...

    async def get(self, report_id: int) -> Report | None: ...

    async def get_many(self, report_ids: Sequence[int]) -> dict[int, Report]:
        """One query, whatever the number of ids."""
        ...
