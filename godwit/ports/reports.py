"""Repository port for reports filed by members."""

from __future__ import annotations

from typing import Protocol

from godwit.domain.reports import Report


class ReportRepository(Protocol):
    async def add(self, report: Report) -> None: ...

    async def get(self, report_id: int) -> Report | None: ...
