"""Applications that came while nobody held the duties, answered by the instance that takes them over.

Contract §5: the cockpit answers every application. Only the duty holder answers (cockpit/duty_lease.py),
so the field gets one answer, not one per console. When the holder dies, the lease is taken over within
about 5 s; an application that arrives in those seconds reaches every instance, and none of them held the
duties. So an instance that does not act keeps each application it leaves to the holder (bounded, for
``HOLD_S``); when it takes the duties over, it answers those that no one answered. "Answered" is read
from the audit trail: the holder audits every application it accepts or refuses, in the same transaction
as the permit, before the reply goes out.

An application the old holder refused with "database unavailable" was not audited: it is answered again,
which the field reads as the later, real answer (the first one asked it to send again later).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from connectors.database import Database
from models.records import PermitRequest
from models.schema import AuditEntry

log = logging.getLogger(__name__)

HOLD_S = 120.0  # an application older than this at the take-over is not answered any more
LIMIT = 1000  # at most this many kept; the oldest go first (counted in `dropped`)
CLOCK_SLACK = timedelta(seconds=10)  # the holder's audit time against this machine's clock
ANSWERED = ("permit.apply", "permit.apply_refused")  # cockpit/permits/intake.py audits one of these


class HeldApplications:
    """Kept on the database worker (``keep``, ``answer_due``); looked at on the core thread (``tick``)."""

    def __init__(
        self,
        db: Database,
        duty: Callable[[], bool],
        run_later: Callable[..., object],
        answer: Callable[[PermitRequest], None],
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.duty = duty
        self.run_later = run_later  # onto the database worker
        self.answer = answer  # the holder's own handling of an application (PermitMonitor.on_request)
        self.clock = clock
        self.monotonic = monotonic
        self._kept: deque[tuple[float, datetime, PermitRequest]] = deque(maxlen=LIMIT)
        self._was_acting = True  # an instance that starts without the duties has nothing kept yet
        self.dropped = 0  # pushed out by LIMIT
        self.answered_late = 0  # answered on a take-over

    def keep(self, req: PermitRequest) -> None:
        """Database worker: an application left to the holder."""
        if len(self._kept) == LIMIT:
            self.dropped += 1
        self._kept.append((self.monotonic(), self.clock(), req))

    def tick(self) -> None:
        """Core thread, every tick: on taking the duties over, the kept applications are looked at."""
        acting = self.duty()
        took_over, self._was_acting = acting and not self._was_acting, acting
        if took_over and self._kept:
            self.run_later(self.answer_due)

    def answer_due(self) -> None:
        """Database worker: answer each kept application that no one answered, in their order."""
        now = self.monotonic()
        due = [(at, req) for mono, at, req in self._kept if now - mono <= HOLD_S]
        self._kept.clear()
        for at, req in due:
            try:
                if self._answered(req, at):
                    continue
            except SQLAlchemyError as exc:  # then the holder's own handling answers "unavailable"
                log.warning("application %s: could not look for an answer (%s)", req.permit, exc)
            log.info("application %s came while nobody held the duties: answered now", req.permit)
            self.answered_late += 1
            self.answer(req)

    def _answered(self, req: PermitRequest, arrived: datetime) -> bool:
        with self.db.session() as s:
            found = s.execute(
                select(AuditEntry.seq)
                .where(
                    AuditEntry.subject == req.permit,
                    AuditEntry.action.in_(ANSWERED),
                    AuditEntry.ts >= arrived - CLOCK_SLACK,
                )
                .limit(1)
            ).first()
        return found is not None
