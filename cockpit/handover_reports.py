"""The shift handover screen's work: render a preview, sign and store, and the pages to show.

Rendering reads the database (the shift's permits, alarms, commands, gas), writes a PDF and turns its
pages into images: a second or more, so the screen calls these on its worker thread. Each call opens
its own session and returns plain records.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.register_live import limits_in_force
from cockpit.report.data import HandoverData, collect_handover
from cockpit.report.handover_service import StoredHandover, previous_handover, sign_and_store, supersedes_text
from cockpit.report.layout import Lang, Paper, Progress
from cockpit.sessions import SessionKeys
from models.limits import LimitResolver

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cockpit.config import AlarmConfig, Config
    from connectors.database import Database

__all__ = [
    "PREVIEW_DPI",
    "HandoverReports",
    "HandoverRequest",
    "Lang",
    "Paper",
    "RenderedHandover",
    "SignedHandover",
    "StoredHandover",
    "page_images",
]

# Sharp enough to read an A4 page fitted to a 1920 px screen's width (1240 px wide at 150 dpi).
PREVIEW_DPI = 150


@dataclass(frozen=True, slots=True)
class HandoverRequest:
    """The shift window and the report's options, as the screen's inputs give them."""

    start: datetime
    end: datetime
    site: str | None
    lang: Lang
    paper: Paper
    notes: str


@dataclass(frozen=True, slots=True)
class RenderedHandover:
    """A preview: the PDF, its page images (empty without pdftoppm) and the data it shows."""

    pdf: Path
    pages: tuple[Path, ...]
    data: HandoverData


@dataclass(frozen=True, slots=True)
class SignedHandover:
    """A signed and stored report, its PDF and page images."""

    stored: StoredHandover
    pdf: Path
    pages: tuple[Path, ...]


def page_images(pdf: Path, dpi: int = PREVIEW_DPI) -> tuple[Path, ...]:
    """The PDF's pages as PNG files beside it (pdftoppm); none when pdftoppm is not installed."""
    if shutil.which("pdftoppm") is None:
        return ()
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, capture_output=True
    )
    return tuple(sorted(pdf.parent.glob(prefix.name + "-*.png")))


class HandoverReports:
    """Preview and sign shift handovers for one plant (the name printed on the report)."""

    def __init__(
        self,
        db: Database,
        *,
        plant: str = "",
        limits: LimitResolver | None = None,
        alarms: AlarmConfig | None = None,
        keys: SessionKeys | None = None,  # the runtime's; without them no login signs (a fresh secret)
    ) -> None:
        self._db = db
        self._plant = plant
        self._limits = limits  # the gas limits drawn on the charts (the profile's without)
        self._alarms = alarms  # else the limits in force when the report is made: with the register's
        self._keys = keys or SessionKeys()

    @classmethod
    def for_config(cls, db: Database, config: Config, keys: SessionKeys | None = None) -> HandoverReports:
        """The plant's name as configured; the gas limits in force (configured, and the register's)."""
        return cls(db, plant=config.plant_title, alarms=config.alarms, keys=keys)

    def _limits_in(self, session: Session) -> LimitResolver | None:
        if self._alarms is None:
            return self._limits
        return limits_in_force(session, self._alarms.profile, self._alarms.limits)

    def render(
        self, req: HandoverRequest, folder: Path, *, now: datetime, progress: Progress | None = None
    ) -> RenderedHandover:
        """Collect the shift, render the PDF into ``folder`` (a new folder) and its page images."""
        from cockpit.report.handover_pdf import render_handover_pdf  # reportlab: only when rendering

        folder.mkdir(parents=True)
        with self._db.session() as session:
            data = collect_handover(
                session,
                start=req.start,
                end=req.end,
                site=req.site,
                plant=self._plant,
                now=now,
                limits=self._limits_in(session),
            )
            earlier = previous_handover(session, req.start, req.end, req.site)
            supersedes = supersedes_text(earlier) if earlier else None
        pdf = render_handover_pdf(
            data,
            folder / "handover.pdf",
            lang=req.lang,
            paper=req.paper,
            notes=req.notes,
            supersedes=supersedes,
            progress=progress,
        )
        return RenderedHandover(pdf, page_images(pdf), data)

    def sign(
        self,
        login: object,
        req: HandoverRequest,
        outgoing: tuple[str, str],
        incoming: tuple[str, str],
        folder: Path,
        *,
        now: datetime,
        progress: Progress | None = None,
    ) -> SignedHandover:
        """Check the console's ``login`` (its session) and both leads' passwords, render the signed report
        into ``folder`` and store it."""
        folder.mkdir(parents=True)
        pdf = folder / "handover-signed.pdf"
        with self._db.session() as session:
            limits = self._limits_in(session)
        stored = sign_and_store(
            self._db,
            keys=self._keys,
            login=login,
            start=req.start,
            end=req.end,
            site=req.site,
            outgoing=outgoing,
            incoming=incoming,
            notes=req.notes,
            lang=req.lang,
            paper=req.paper,
            plant=self._plant,
            limits=limits,
            out=pdf,
            now=now,
            progress=progress,
        )
        return SignedHandover(stored, pdf, page_images(pdf))
