"""The active-permit board: approved, active and suspended permits with their timers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cockpit.permits import facts
from cockpit.permits.hashing import content_hash
from cockpit.permits.records import ActivePermit, PermitConfig, SessionSource
from models.records import PermitStatus
from models.rules.findings import Finding
from models.rules.gas_tests import gas_test_findings, needs_gas_test, next_gas_test_due
from models.schema import Approval, ApprovalDecision, GasTest, Permit, PermitEventRow, PermitWorker

#: The live link's last supervisor check-in of a permit (not in the database).
LastCheckin = Callable[[str], datetime | None]

_LIVE = (PermitStatus.APPROVED, PermitStatus.ACTIVE, PermitStatus.SUSPENDED)


@dataclass
class _BoardFacts:
    """What the board needs of every permit, read in a few grouped queries (not a few per permit)."""

    events: dict[str, dict[str, tuple[datetime, datetime]]] = field(default_factory=lambda: defaultdict(dict))
    last_test: dict[str, datetime] = field(default_factory=dict)
    workers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hashes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


class ActiveBoard:
    def __init__(
        self, db: SessionSource, config: PermitConfig, last_checkin: LastCheckin = lambda permit: None
    ) -> None:
        self._db = db
        self._config = config
        self._last_checkin = last_checkin

    def active_permits(self, now: datetime) -> list[ActivePermit]:
        """Approved, active and suspended permits with their timers; soonest to expire first."""
        with self._db.session() as s:
            permits = s.scalars(select(Permit).where(Permit.status.in_(_LIVE))).all()
            names = facts.area_names(s)
            zones = facts.zones(s)
            board = _read_facts(s, [p.id for p in permits])
            out = [
                self._row(p, names.get((p.site_id, p.area_id), p.area_id), board, zones, now) for p in permits
            ]
        out.sort(key=lambda a: (a.valid_to, a.permit_id))
        return out

    def _row(
        self, permit: Permit, area_name: str, board: _BoardFacts, zones: dict[str, str], now: datetime
    ) -> ActivePermit:
        ev = board.events.get(permit.id, {})
        started = ev["started"][0] if "started" in ev else None
        paused = ev["paused"][1] if "paused" in ev else None
        resumed = ev["resumed"][1] if "resumed" in ev else None
        grade = permit.effective_grade or permit.grade
        gas_due: datetime | None = None
        gas_finding: Finding | None = None
        if needs_gas_test(permit.type):
            kwargs: dict[str, Any] = {
                "last_test_at": board.last_test.get(permit.id),
                "work_started_at": started,
                "paused_at": paused,
                "resumed_at": resumed,
                "now": now,
                "periodic_min": self._config.periodic_gas_retest_min.get(permit.site_id, 0),
            }
            gas_due = next_gas_test_due(permit.type, grade, **kwargs)
            found = gas_test_findings(permit.type, grade, **kwargs)
            gas_finding = found[0] if found else None
        checkin_due = None
        if permit.status is PermitStatus.ACTIVE:
            seen = [t for t in (ev.get("checkin", (None, None))[1], self._last_checkin(permit.id)) if t]
            since = max(seen) if seen else started  # never checked in: from the start, as the core's alarm
            interval = self._config.checkin_intervals.get(permit.type.value, self._config.checkin_interval)
            if since is not None:
                checkin_due = since + interval
        current = content_hash(permit, board.workers.get(permit.id, []))
        signed = board.hashes.get(permit.id, [])
        return ActivePermit(
            permit_id=permit.id,
            site=permit.site_id,
            area=permit.area_id,
            area_name=area_name,
            type=permit.type,
            effective_grade=grade,
            status=permit.status,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            supervisor=permit.supervisor,
            workers=len(board.workers.get(permit.id, [])),
            started_at=started,
            last_gas_test_at=board.last_test.get(permit.id),
            gas_test_due=gas_due,
            gas_test_finding=gas_finding,
            checkin_due=checkin_due,
            green_channel_review=permit.green_channel_review,
            signature_valid=bool(signed) and all(h == current for h in signed),
            timezone=zones.get(permit.site_id, "Asia/Shanghai"),
        )


def _read_facts(s: Session, ids: Sequence[str]) -> _BoardFacts:
    board = _BoardFacts()
    for chunk in facts.chunks(ids, 500):
        for pid, etype, first, last in s.execute(
            select(
                PermitEventRow.permit_id,
                PermitEventRow.type,
                func.min(PermitEventRow.ts),
                func.max(PermitEventRow.ts),
            )
            .where(
                PermitEventRow.permit_id.in_(chunk),
                PermitEventRow.type.in_(("started", "paused", "resumed", "checkin")),
            )
            .group_by(PermitEventRow.permit_id, PermitEventRow.type)
        ):
            board.events[pid][etype] = (first, last)
        for pid, taken in s.execute(
            select(GasTest.permit_id, func.max(GasTest.taken_at))
            .where(GasTest.permit_id.in_(chunk), GasTest.passed.is_(True))
            .group_by(GasTest.permit_id)
        ):
            board.last_test[pid] = taken
        for pid, wid in s.execute(
            select(PermitWorker.permit_id, PermitWorker.worker_id).where(PermitWorker.permit_id.in_(chunk))
        ):
            board.workers[pid].append(wid)
        for pid, h in s.execute(
            select(Approval.permit_id, Approval.content_hash).where(
                Approval.permit_id.in_(chunk), Approval.decision == ApprovalDecision.APPROVE
            )
        ):
            board.hashes[pid].append(h)
    return board
