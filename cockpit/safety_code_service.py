"""Badges and printed permits out, scanned codes in (issue 23 parts 5 and 7).

* ``scan`` takes what a scanner typed: a worker's code opens the worker's card (trainings, certificates,
  the admission exam, and the permits the worker may work under now); a permit's code gives the permit's
  state as the database has it NOW, so a paper permit whose permit was suspended or closed since it was
  printed is caught where it is shown. A code not ours, or whose check fails, is refused
  (``CodeRefused``); the lookup never falls back to a plain ID.
* ``print_badges`` (administrators and safety managers) and ``print_permit`` (any user) write PDFs and an
  audit entry naming the user the session vouches for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cockpit.people_reads import PeopleReads, WorkerDetail
from cockpit.plant_register import EDITORS
from cockpit.safety_codes import PERMIT, UNKNOWN, WORKER, CodeKeys, CodeRefused, require_keys
from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.records import PermitStatus, PermitType
from models.schema import Area, Contractor, Permit, PermitEventRow, PermitWorker, User, Worker

# The permits a worker may work under: approved (about to start), active, and suspended (shown, so the
# gate sees why the work stopped).
WORKING = (PermitStatus.APPROVED, PermitStatus.ACTIVE, PermitStatus.SUSPENDED)


@dataclass(frozen=True, slots=True)
class WorkerPermit:
    permit_id: str
    type: PermitType
    status: str
    area: str
    valid_from: datetime
    valid_to: datetime
    role: str  # "worker" or "supervisor"


@dataclass(frozen=True, slots=True)
class WorkerCard:
    detail: WorkerDetail
    permits: list[WorkerPermit]


@dataclass(frozen=True, slots=True)
class PermitLive:
    permit_id: str
    type: PermitType
    status: str  # as stored; "expired" also for an active permit past its end
    area: str
    valid_from: datetime
    valid_to: datetime
    supervisor: str  # "name (ID)"
    workers: list[str]
    last_event: str  # the newest transition (suspended, closed …), "" without one
    last_at: datetime | None
    last_by: str
    reason: str
    checked_at: datetime


class SafetyCodes:
    def __init__(
        self,
        db: Database,
        sessions: SessionKeys,
        codes: CodeKeys | None,
        reads: PeopleReads,
        *,
        clock: Callable[[], datetime] | None = None,
        plant: str = "",
        codes_from: Callable[[], CodeKeys | None] | None = None,
    ) -> None:
        """``codes``: this console's badge key; or, without one, ``codes_from`` reads it at the first
        scan or print (the keyring: on the worker that scans or prints, never on the GUI thread, where a
        locked keyring's prompt would hold the window; 0.07-0.09 s even with no keyring at all)."""
        self._db, self._sessions, self._codes, self._reads = db, sessions, codes, reads
        self._codes_from = codes_from if codes is None else None
        self._codes_lock = threading.Lock()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.plant = plant

    @property
    def has_key(self) -> bool:
        """Whether this console holds a badge key (reads it if not read yet: not on the GUI thread)."""
        return self._keys() is not None

    def _keys(self) -> CodeKeys | None:
        with self._codes_lock:
            if self._codes_from is not None:  # read once; again next time should the read fail
                self._codes = self._codes_from()
                self._codes_from = None
            return self._codes

    # ------------------------------------------------------------ scans

    def scan(self, session: object, text: str) -> WorkerCard | PermitLive:
        """What a scanned code names, as of now (``CodeRefused`` for a code not ours or forged)."""
        scanned = require_keys(self._keys()).read(text)
        with self._db.session() as s:
            session_user(s, self._sessions, session)
        if scanned.kind == PERMIT:
            return self.permit_live(scanned.ident)
        return self.worker_card(scanned.ident)

    def worker_card(self, worker_id: str) -> WorkerCard:
        detail = self._reads.worker_detail(worker_id)
        if detail is None:
            raise CodeRefused(UNKNOWN, kind=WORKER, ident=worker_id)
        now = self._clock()
        with self._db.session() as s:
            rows = s.execute(
                select(Permit, Area.name)
                .join(Area, (Area.site_id == Permit.site_id) & (Area.id == Permit.area_id), isouter=True)
                .outerjoin(PermitWorker, PermitWorker.permit_id == Permit.id)
                .where(
                    or_(PermitWorker.worker_id == worker_id, Permit.supervisor == worker_id),
                    Permit.status.in_(WORKING),
                    Permit.valid_to > now,
                )
                .order_by(Permit.valid_from)
            ).all()
            permits: dict[str, WorkerPermit] = {}
            for permit, area_name in rows:
                permits[permit.id] = WorkerPermit(
                    permit.id, permit.type, str(permit.status), f"{area_name or permit.area_id}",
                    permit.valid_from, permit.valid_to,
                    "supervisor" if permit.supervisor == worker_id else "worker",
                )  # fmt: skip
        return WorkerCard(detail, list(permits.values()))

    def permit_live(self, permit_id: str) -> PermitLive:
        now = self._clock()
        with self._db.session() as s:
            permit = s.get(Permit, permit_id)
            if permit is None:
                raise CodeRefused(UNKNOWN, kind=PERMIT, ident=permit_id)
            area = s.get(Area, (permit.site_id, permit.area_id))
            last = s.scalars(
                select(PermitEventRow)
                .where(PermitEventRow.permit_id == permit_id, PermitEventRow.type != "checkin")
                .order_by(PermitEventRow.ts.desc(), PermitEventRow.id.desc())
                .limit(1)
            ).first()
            ids = [permit.supervisor, *(w.worker_id for w in permit.workers)]
            names = {i: n for i, n in s.execute(select(Worker.id, Worker.name).where(Worker.id.in_(ids)))}
            named = {i: f"{names[i]} ({i})" if names.get(i) else i for i in ids}
            status = str(permit.status)
            if permit.status in (PermitStatus.ACTIVE, PermitStatus.APPROVED) and permit.valid_to <= now:
                status = str(PermitStatus.EXPIRED)
            return PermitLive(
                permit.id, permit.type, status, area.name if area else permit.area_id,
                permit.valid_from, permit.valid_to, named[permit.supervisor],
                [named[w.worker_id] for w in permit.workers],
                last.type if last else "", last.ts if last else None, last.by if last else "",
                str((last.detail or {}).get("reason", "")) if last else "", now,
            )  # fmt: skip

    # ------------------------------------------------------------ printing

    def print_badges(self, session: object, worker_ids: Sequence[str], out: Path, *, lang: str) -> int:
        """Badge sheets of ``worker_ids`` (administrators and safety managers); returns the pages.

        Read, render, then journal, each in its own short transaction: none is held open over the
        rendering (8 s for 500 badges)."""
        from cockpit.report.badge_pdf import Badge, render_badges_pdf

        codes = require_keys(self._keys())
        with self._db.session() as s:
            self._editor(s, session)
            rows = s.execute(
                select(Worker.id, Worker.name, Worker.trade, Contractor.name)
                .join(Contractor, Contractor.code == Worker.contractor_code, isouter=True)
                .where(Worker.id.in_(list(worker_ids)), Worker.active.is_(True))
                .order_by(Worker.id)
            ).all()
        own = "本单位" if lang == "zh_CN" else "own staff"
        badges = [
            Badge(i, name, employer or own, trade, codes.worker_code(i)) for i, name, trade, employer in rows
        ]
        pages = render_badges_pdf(badges, out, plant=self.plant, lang=lang)
        with self._db.session() as s:
            user = self._editor(s, session)
            append_audit(
                s, actor=user.username, action="badge.printed", subject=f"{len(badges)} workers",
                details={"workers": [b.worker_id for b in badges]}, ts=self._clock(),
            )  # fmt: skip
        return pages

    def _editor(self, s: Session, session: object) -> User:
        user = session_user(s, self._sessions, session)
        if user.role not in EDITORS:
            raise UserError(f"{user.username} may not print badges: administrators and safety managers do")
        return user

    def print_permit(self, session: object, permit_id: str, out: Path, *, lang: str) -> Path:
        """The permit in its type's form, with the QR of its code (any user may print it); read, render
        and journal apart, as the badges."""
        from cockpit.report.permit_pdf import render_permit_pdf
        from cockpit.report.permit_print import collect_permit_print

        codes = require_keys(self._keys())
        with self._db.session() as s:
            session_user(s, self._sessions, session)
            data = collect_permit_print(
                s, permit_id, code=codes.permit_code(permit_id), now=self._clock(), plant=self.plant
            )
        render_permit_pdf(data, out, lang=lang)
        with self._db.session() as s:
            user = session_user(s, self._sessions, session)
            append_audit(
                s, actor=user.username, action="permit.printed", subject=permit_id,
                details={"status": data.status, "file": Path(out).name}, ts=self._clock(),
            )  # fmt: skip
        return Path(out)
