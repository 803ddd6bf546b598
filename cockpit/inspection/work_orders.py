"""Defect work orders: opened from a checklist result that found a defect, owned by the equipment's
owner (else the area's), due by severity, escalated when overdue, closed only with a verification.

* **Open:** the intake (``cockpit/inspection/intake.py``) calls :func:`open_order` in the transaction
  that stores the result, so a result and its order are written together or not at all; a repeated
  result (another console on the same PostgreSQL, a redelivery) finds the order there.
* **Due:** critical 4 h, major 24 h, minor 72 h after the defect was found (``WorkOrderRules``).
* **Escalation:** the approvals' mechanism (``cockpit.permits.escalation.escalation_for``): past its
  due time an order climbs the chain (shift lead, safety department, senior leader) one step per
  ``escalation_step``; each step is written once (the order's ``escalation_step`` and an event) and
  handed to the notifier as an ``Escalation`` whose ``subject`` is ``work_order``. Paperwork, never an
  alarm (docs/ALARMS.md). The permit timers run it, on the database worker, on the duty holder only.
* **Close:** the owner (or a shift lead, safety manager, administrator) reports the repair with a
  note; someone else (a shift lead, safety manager or administrator) verifies it on site and closes
  it with a note. An order not reported fixed cannot be closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.inspection.problems import InspectionError, InspectionProblem
from cockpit.permits.escalation import escalation_for
from cockpit.permits.records import DEFAULT_CHAIN, Escalation, PermitConfig
from cockpit.photo_fetch import PhotoFetcher
from cockpit.sessions import SessionKeys, VerifiedActor, verify_session
from connectors.database import Database
from models.audit import append_audit
from models.plant_clock import DEFAULT_ZONE, PlantClock
from models.records import DefectSeverity, PhotoRef, Role
from models.rules.photo_evidence import photos_of
from models.schema import AreaOwner, Equipment, InspectionResult, WorkOrder, WorkOrderEvent

OPEN, FIXED, CLOSED = "open", "fixed", "closed"
VERIFIERS = frozenset({Role.ADMIN, Role.SAFETY_MANAGER, Role.SHIFT_LEAD})
NOTE_MAX = 2000
WORK_ORDER = "work_order"  # the Escalation's subject


@dataclass(frozen=True)
class WorkOrderRules:
    due: dict[str, timedelta] = field(
        default_factory=lambda: {
            DefectSeverity.CRITICAL: timedelta(hours=4),
            DefectSeverity.MAJOR: timedelta(hours=24),
            DefectSeverity.MINOR: timedelta(hours=72),
        }
    )
    escalation_chain: tuple[str, ...] = DEFAULT_CHAIN
    escalation_step: timedelta = timedelta(hours=2)

    def due_after(self, severity: str) -> timedelta:
        return self.due.get(severity, self.due[DefectSeverity.MAJOR])


@dataclass(frozen=True)
class WorkOrderView:
    """One order as the queue shows it."""

    id: str
    site: str
    area: str
    equipment: str
    equipment_name: str
    severity: str
    description: str
    owner: str
    status: str
    created_at: datetime
    due_at: datetime
    escalation_step: int
    escalated_to: str
    fixed_by: str
    fixed_note: str
    verified_by: str
    verification: str
    closed_at: datetime | None
    found_by: str
    found_at: datetime | None  # when the field found the defect (the result's time)
    photos: tuple[PhotoRef, ...] = ()  # the result's photos, references into the file store

    def overdue(self, now: datetime) -> bool:
        return self.status != CLOSED and now > self.due_at


_Found = tuple[str, datetime | None, tuple[PhotoRef, ...]]  # who found it, when, its photos


def _owner(s: Session, result: InspectionResult) -> str:
    if result.equipment_code:
        equipment = s.get(Equipment, result.equipment_code)
        if equipment is not None and equipment.owner:
            return equipment.owner
    area = s.get(AreaOwner, (result.site_id, result.area_id))
    return area.owner if area is not None else ""


def _new_id(s: Session, now: datetime, zone: str) -> str:
    day = PlantClock(zone).local(now).strftime("%Y%m%d")
    prefix = f"WO-{day}-"
    ids = s.scalars(select(WorkOrder.id).where(WorkOrder.id.like(prefix + "%"))).all()
    numbers = [int(i[len(prefix) :]) for i in ids if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def open_order(
    s: Session, result: InspectionResult, now: datetime, rules: WorkOrderRules, zone: str = DEFAULT_ZONE
) -> WorkOrder:
    """The work order of a defect result, in the caller's transaction (``result`` is flushed)."""
    severity = result.severity or DefectSeverity.MAJOR
    description = result.note or "; ".join(
        str(a.get("item", "")) for a in result.answers if isinstance(a, dict) and a.get("ok") is False
    )
    order = WorkOrder(
        id=_new_id(s, now, zone),
        result_id=result.result_id,
        site_id=result.site_id,
        area_id=result.area_id,
        equipment_code=result.equipment_code,
        severity=severity,
        description=description[:NOTE_MAX],
        owner=_owner(s, result),
        status=OPEN,
        created_at=now,
        due_at=result.ts + rules.due_after(severity),
    )
    s.add(order)
    s.flush()
    detail = {"result": result.result_id, "owner": order.owner, "due": order.due_at.isoformat()}
    s.add(WorkOrderEvent(order_id=order.id, ts=now, type="created", by=result.worker, detail=detail))
    append_audit(s, actor="cockpit", action="workorder.create", subject=order.id, details=detail, ts=now)
    return order


def escalate_orders(s: Session, rules: WorkOrderRules, now: datetime) -> list[Escalation]:
    """Every order past its due time at the step it has reached, written once; the new steps back."""
    config = PermitConfig(escalation_chain=rules.escalation_chain, escalation_step=rules.escalation_step)
    new: list[Escalation] = []
    late = s.scalars(select(WorkOrder).where(WorkOrder.status != CLOSED, WorkOrder.due_at < now))
    for order in late:
        found = escalation_for(config, order, order.due_at, now)
        if found is None or found.step <= order.escalation_step:
            continue
        minutes = int(found.overdue.total_seconds() // 60)
        message = (
            f"work order {order.id} is {minutes} min past its due time: "
            f"escalated to {found.escalated_to.replace('_', ' ')}"
        )
        found = replace(found, subject=WORK_ORDER, message=message)
        order.escalation_step, order.escalated_to = found.step, found.escalated_to
        detail = {"to": found.escalated_to, "step": found.step, "due": order.due_at.isoformat()}
        s.add(WorkOrderEvent(order_id=order.id, ts=now, type="escalated", by="", detail=detail))
        append_audit(
            s, actor="cockpit", action="workorder.escalate", subject=order.id, details=detail, ts=now
        )
        new.append(found)
    return new


def _view(o: WorkOrder, names: dict[str, str], found: _Found) -> WorkOrderView:
    return WorkOrderView(
        o.id,
        o.site_id,
        o.area_id,
        o.equipment_code or "",
        names.get(o.equipment_code or "", ""),
        o.severity,
        o.description,
        o.owner,
        o.status,
        o.created_at,
        o.due_at,
        o.escalation_step,
        o.escalated_to,
        o.fixed_by or "",
        o.fixed_note,
        o.verified_by or "",
        o.verification,
        o.closed_at,
        *found,
    )


class WorkOrderService:
    """The queue, the repair report and the verified close (by session), the escalation (by the core)."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        *,
        clock: Callable[[], datetime] | None = None,
        rules: WorkOrderRules | None = None,
        photos: PhotoFetcher | None = None,  # the defects' photos, fetched and checked for the screen
    ) -> None:
        self.photos = photos
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self.rules = rules or WorkOrderRules()

    def queue(self, *, closed: bool = False) -> list[WorkOrderView]:
        """Open and fixed orders, the most urgent first (or the closed ones, newest first)."""
        with self._db.session() as s:
            q = select(WorkOrder)
            if closed:
                q = q.where(WorkOrder.status == CLOSED).order_by(WorkOrder.closed_at.desc()).limit(500)
            else:
                q = q.where(WorkOrder.status != CLOSED).order_by(WorkOrder.due_at, WorkOrder.id)
            rows = list(s.scalars(q))
            names = {code: name for code, name in s.execute(select(Equipment.code, Equipment.name))}
            found: dict[str, _Found] = {
                r.result_id: (r.worker, r.ts, tuple(photos_of({"photos": r.photos})))
                for r in s.execute(
                    select(
                        InspectionResult.result_id,
                        InspectionResult.worker,
                        InspectionResult.ts,
                        InspectionResult.photos,
                    ).where(InspectionResult.result_id.in_([o.result_id for o in rows]))
                )
            }
            return [_view(o, names, found.get(o.result_id, ("", None, ()))) for o in rows]

    def report_fixed(self, session: object, order_id: str, note: str) -> None:
        text = self._note(note, "repaired")
        actor = verify_session(self._db, self._keys, session)
        now = self._clock()
        with self._db.session() as s:
            order = self._order(s, order_id)
            if actor.username != order.owner and actor.role not in VERIFIERS:
                raise InspectionError(
                    InspectionProblem.NOT_ALLOWED, actor=actor.username, act="report the repair"
                )
            order.status, order.fixed_by, order.fixed_at, order.fixed_note = FIXED, actor.username, now, text
            self._event(s, order, actor, "fixed", {"note": text}, now)

    def verify_close(self, session: object, order_id: str, note: str) -> None:
        text = self._note(note, "verified")
        actor = verify_session(self._db, self._keys, session)
        if actor.role not in VERIFIERS:
            raise InspectionError(InspectionProblem.NOT_ALLOWED, actor=actor.username, act="verify a repair")
        now = self._clock()
        with self._db.session() as s:
            order = self._order(s, order_id)
            if order.status != FIXED:
                raise InspectionError(InspectionProblem.NOT_FIXED, order=order.id)
            if order.fixed_by == actor.username:
                raise InspectionError(InspectionProblem.SAME_PERSON, actor=actor.username, order=order.id)
            order.status, order.closed_at, order.verified_by, order.verification = (
                CLOSED,
                now,
                actor.username,
                text,
            )
            self._event(s, order, actor, "closed", {"verification": text}, now)

    def escalate(self, now: datetime) -> list[Escalation]:
        with self._db.session() as s:
            return escalate_orders(s, self.rules, now)

    # --- helpers -----------------------------------------------------------------------------------

    @staticmethod
    def _note(note: str, act: str) -> str:
        text = " ".join(note.split())
        if not text:
            raise InspectionError(InspectionProblem.NOTE_NEEDED, act=act)
        return text[:NOTE_MAX]

    @staticmethod
    def _order(s: Session, order_id: str) -> WorkOrder:
        order = s.get(WorkOrder, order_id)
        if order is None:
            raise InspectionError(InspectionProblem.UNKNOWN_ORDER, order=order_id[:80])
        if order.status == CLOSED:
            raise InspectionError(InspectionProblem.ORDER_CLOSED, order=order.id)
        return order

    @staticmethod
    def _event(
        s: Session, order: WorkOrder, actor: VerifiedActor, kind: str, detail: dict[str, Any], now: datetime
    ) -> None:
        s.add(WorkOrderEvent(order_id=order.id, ts=now, type=kind, by=actor.username, detail=detail))
        append_audit(
            s, actor=actor.username, action=f"workorder.{kind}", subject=order.id, details=detail, ts=now
        )
