"""The field's inspection messages into the database, on the core's database worker.

The core hands every ``TagScan`` and ``ChecklistResult`` it decoded here (one ``submit`` each, as the
permit events): one transaction stores it, and a result that found a defect opens its work order in
the same transaction (``cockpit/inspection/work_orders.py``). Every console on a shared PostgreSQL
receives the same message: the scan's and result's ids are unique, so the second writer's insert fails
and is taken as "already recorded", never as a second order. A tag the register does not know is
stored with no equipment (the rounds screen shows it) and counted.

The permit timers (every 10 s, the duty holder only) call :meth:`timers`: the work orders past their
due time climb their escalation chain, and the new steps go to the notifier, as approvals do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from cockpit.inspection.work_orders import WorkOrderRules, escalate_orders, open_order
from cockpit.permits.records import Escalation
from connectors.database import Database
from models.plant_clock import DEFAULT_ZONE
from models.records import ChecklistResult, TagScan
from models.schema import Equipment, InspectionResult, InspectionScan

if TYPE_CHECKING:
    from cockpit.core import CockpitCore

log = logging.getLogger(__name__)

INSPECTION_RECORDS = (TagScan, ChecklistResult)
ATTEMPTS = 3  # a work-order number taken by another console at the same moment: try again


class InspectionIntake:
    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime],
        rules: WorkOrderRules | None = None,
        zone: str = DEFAULT_ZONE,
        on_escalations: Callable[[Sequence[Escalation]], None] = lambda new: None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.rules = rules or WorkOrderRules()
        self.zone = zone
        self.on_escalations = on_escalations
        self.counts = {"scans": 0, "results": 0, "orders": 0, "repeated": 0, "unknown_tag": 0, "failed": 0}

    def routes(self) -> dict[type, Callable[[Any], None]]:
        """What the core hands the intake on its database worker, by record type."""
        return dict.fromkeys(INSPECTION_RECORDS, self.on_record)

    def on_record(self, msg: TagScan | ChecklistResult) -> None:
        """Database worker: store one scan or result (and a defect's order); never raises.

        A unique key already taken is either the same message stored by another console (counted as
        repeated) or another console's order that took the same number at the same moment (tried
        again, so neither result is lost)."""
        for _attempt in range(ATTEMPTS):
            try:
                self._store(msg)
                return
            except IntegrityError:
                if self._known(msg):
                    self.counts["repeated"] += 1  # another console (or a redelivery) recorded it first
                    return
            except SQLAlchemyError:
                break
        self.counts["failed"] += 1
        log.error("inspection message %s could not be stored", type(msg).__name__)

    def _store(self, msg: TagScan | ChecklistResult) -> None:
        now = self.clock()
        ordered = False
        with self.db.session() as s:
            code = s.scalar(select(Equipment.code).where(Equipment.tag == msg.tag))
            if isinstance(msg, TagScan):
                s.add(self._scan(msg, code))
            else:
                row = self._result(msg, code)
                s.add(row)
                s.flush()
                if msg.defect:
                    open_order(s, row, now, self.rules, self.zone)
                    ordered = True
        # committed: counted once, whatever was tried before
        self.counts["scans" if isinstance(msg, TagScan) else "results"] += 1
        self.counts["orders"] += int(ordered)
        self.counts["unknown_tag"] += int(code is None)

    def _known(self, msg: TagScan | ChecklistResult) -> bool:
        with self.db.session() as s:
            if isinstance(msg, TagScan):
                return (
                    s.scalar(select(InspectionScan.id).where(InspectionScan.scan_id == msg.scan_id))
                    is not None
                )
            found = select(InspectionResult.id).where(InspectionResult.result_id == msg.result_id)
            return s.scalar(found) is not None

    def timers(self, now: datetime) -> None:
        """Database worker, the duty holder: escalate overdue work orders, tell the notifier."""
        with self.db.session() as s:
            new = escalate_orders(s, self.rules, now)
        if new:  # committed: each step is told once
            self.on_escalations(new)

    @staticmethod
    def _scan(msg: TagScan, code: str | None) -> InspectionScan:
        return InspectionScan(
            scan_id=msg.scan_id,
            site_id=msg.site,
            area_id=msg.area,
            tag=msg.tag,
            equipment_code=code,
            worker=msg.worker,
            ts=msg.ts,
        )

    @staticmethod
    def _result(msg: ChecklistResult, code: str | None) -> InspectionResult:
        return InspectionResult(
            result_id=msg.result_id,
            scan_id=msg.scan_id,
            site_id=msg.site,
            area_id=msg.area,
            equipment_code=code,
            tag=msg.tag,
            worker=msg.worker,
            ts=msg.ts,
            answers=[{"item": a.item, "ok": a.ok, "value": a.value} for a in msg.answers],
            defect=msg.defect,
            severity=msg.severity.value if msg.severity is not None else None,
            note=msg.note,
            photos=[{"url": p.url, "sha256": p.sha256, "step": p.step} for p in msg.photos],
        )


def inspection_intake(core: CockpitCore) -> InspectionIntake:
    """The intake as the core wires it: work-order escalations go to the core's notifier."""
    return InspectionIntake(core.db, clock=core.clock, on_escalations=core.notifier.escalated)
