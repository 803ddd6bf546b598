"""The monthly report's service for the screen: the figures of a month, and the PDF and xlsx saved.

Reading a month is a report of what the database holds, as the alarm-system figures are
(``AlarmFigures``): no session is asked for it. The files are written whole or not at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cockpit.report.layout import Lang, Progress
from cockpit.report.monthly_data import MonthlyReport, collect_monthly
from connectors.database import Database


def recent_months(now: datetime, zone: str, count: int = 13) -> list[str]:
    """``YYYY-MM`` of the plant's current month and the ``count - 1`` before it, newest first."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(zone))
    year, month = local.year, local.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


class MonthlyReports:
    def __init__(self, db: Database, *, plant: str = "") -> None:
        self._db = db
        self._plant = plant

    def collect(
        self, month: str, *, progress: Progress | None = None, now: datetime | None = None
    ) -> MonthlyReport:
        """The month (``YYYY-MM``, the plant's) and the three before it; a bad month is a UserError."""
        return collect_monthly(
            self._db, month, plant=self._plant, progress=progress, now=now or datetime.now(UTC)
        )

    def save_pdf(self, report: MonthlyReport, out: Path, lang: Lang) -> Path:
        from cockpit.report.monthly_pdf import render_monthly_pdf

        return render_monthly_pdf(report, out, lang=lang)

    def save_xlsx(self, report: MonthlyReport, out: Path, lang: Lang) -> Path:
        from cockpit.report.monthly_xlsx import render_monthly_xlsx

        return render_monthly_xlsx(report, out, lang=lang)
