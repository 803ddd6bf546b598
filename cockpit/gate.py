"""The field gate (issue 17): may this worker enter this work area, and who is inside.

A gate or handheld asks on ``{root}/{site}/{area}/gate/{gate}/request``; the answer goes out on
``…/reply`` (docs/mqtt-cockpit-topics.md): allowed, or refused with every reason at once, each a code
with parameters and a plain English sentence.

Where each part runs:

* core thread (``on_request``): what only the core knows, copied: the area's active permits from the
  permit cache and whether the area is stopped. Then the request goes to the database worker; the core
  thread never waits on the database for a gate.
* database worker (``_answer``): the worker, his certificates, trainings and contractor, and which of
  the area's active permits name him, read in one short session; ``judge`` (pure) gives the reasons;
  the answer is published at once, then journaled through the outbox (an audit entry, kept while the
  database is away), then handed back to the core thread.
* core thread (``_settle``, ``on_movement``): a refusal raises a priority-3 alarm; an allow puts the
  worker inside; an ``entry`` without an allow in the last ``ALLOW_VALID`` is a priority-2 alarm
  (unauthorised entry), and he is counted inside all the same (his name read after, off this
  thread); an ``exit`` takes him out and spends his allow. ``headcount`` is what the published state
  carries (the map, the incident commander's headcount: cockpit/headcount.py), by name, since when.
* kept across a restart and shared (cockpit/gate_presence.py): entries and exits go on record beside
  the allows; ``load`` rebuilds who is inside at start, ``tick`` lets an instance without the duties
  follow the holder's count from the record, and a new holder read it once on taking over.

Decisions: the badge and the safety code both carry the worker id (the register has no other key);
a contractor's worker needs the admission exam (a training whose name says 入厂/入场/三级安全教育,
admission or induction), the plant's own staff do not; a special-trade certificate is needed when the
permit's type calls for a trade and the worker does that trade (his register trade, a certificate of
it, or no trade recorded: the safe side), as ``models.rules.workers.check_worker`` judges it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm import Session

from cockpit.core_state import InsideEntry, PermitInfo
from cockpit.db_records import AUDIT, audit_record
from cockpit.gate_codes import code_reasons, paper_reasons, permit_state
from cockpit.gate_presence import ALLOWED, ENTRY, EXIT, FOLLOW_S, Presence, movement_actor, read_presence
from cockpit.permit_monitor import AlarmDesk
from cockpit.permits.facts import special_trade
from cockpit.safety_codes import CodeKeys, keys_from_keyring
from cockpit.stopwork import WorkState
from connectors.contract_replies import encode_gate_reply
from connectors.database import Database
from connectors.topics import Topics
from models.plant_clock import DEFAULT_ZONE, PlantClock
from models.records import GateRequest, PermitStatus, PermitType, Priority, WorkerEvent, WorkerEventType
from models.rules.alarm_texts import alarm_message, gate_message
from models.rules.workers import CertificateInfo, check_worker, trade_for, trade_label
from models.schema import Certificate, Contractor, Permit, PermitWorker, Site, Worker, WorkerTraining

if TYPE_CHECKING:
    from cockpit.core import CockpitCore

log = logging.getLogger(__name__)

GATE_REFUSED = "GATE_REFUSED"
UNAUTHORISED_ENTRY = "UNAUTHORISED_ENTRY"
ALLOW_VALID = timedelta(minutes=10)  # an entry this long after the allow still counts as allowed
ADMISSION_WORDS = ("入厂", "入场", "三级安全教育", "admission", "induction")
_PRESENT = (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)  # their people may be inside
_CERT_CODES = {
    "worker.no_certificate": "certificate_missing",
    "worker.certificate_expired": "certificate_expired",
    "worker.review_overdue": "certificate_review_overdue",
}

#: One reason of a refusal: its code, its parameters, a plain English sentence.
Reason = tuple[str, dict[str, Any], str]


@dataclass(frozen=True)
class GatePermit:
    """An active permit of the area, as the core's cache has it when the request came."""

    id: str
    type: PermitType
    active: bool = True  # else suspended (a stop-work suspends the area's permits)


@dataclass(frozen=True)
class GateFacts:
    """What the database says about the worker at the gate (``name`` None: not on the register)."""

    worker: str
    name: str | None
    trade: str = ""
    contractor: str | None = None
    certificates: tuple[CertificateInfo, ...] = ()
    admission_passed: bool = False
    on_permits: frozenset[str] = frozenset()  # which of the area's active permits name him
    blacklisted: tuple[str, ...] = ()  # his contractor, or a permit's he is on, if blacklisted


def _needs_certificate(needed: str, facts: GateFacts) -> bool:
    holds = any(c.trade == needed for c in facts.certificates)
    return not facts.trade.strip() or special_trade(facts.trade) == needed or holds


def _permit_reasons(
    req: GateRequest, facts: GateFacts, present: Sequence[GatePermit], stopped: bool
) -> tuple[GatePermit | None, list[Reason]]:
    """The permit he works under, or why there is none. A permit suspended by the area's stop is his
    still: the stop is the reason then, said once."""
    where = f"{req.site}/{req.area}"
    params: dict[str, Any] = {"permit": req.permit, "area": where}
    if req.permit is None:  # any permit of this area that names him, an active one first
        mine = sorted((p for p in present if p.id in facts.on_permits), key=lambda p: not p.active)
        if not mine:
            return None, [
                ("not_on_active_permit", params, f"worker {req.worker} is on no active permit in {where}")
            ]
        chosen = mine[0]
    else:
        found = next((p for p in present if p.id == req.permit), None)
        if found is None:
            return None, [
                ("not_on_active_permit", params, f"permit {req.permit} is not active in area {where}")
            ]
        if found.id not in facts.on_permits:
            return None, [
                ("not_on_active_permit", params, f"worker {req.worker} is not on permit {req.permit}")
            ]
        chosen = found
    if not chosen.active and not stopped:
        return chosen, [
            ("not_on_active_permit", {**params, "permit": chosen.id}, f"permit {chosen.id} is suspended")
        ]
    return chosen, []


def judge(
    req: GateRequest, facts: GateFacts, active: Sequence[GatePermit], stopped: bool, today: date
) -> list[Reason]:
    """Every reason to refuse ``req`` (none: allowed). Pure: the facts were read before."""
    reasons: list[Reason] = []
    where = f"{req.site}/{req.area}"
    if facts.name is None:
        reasons.append(
            ("worker_unknown", {"worker": req.worker}, f"worker {req.worker} is not on the register")
        )
    else:
        chosen, found = _permit_reasons(req, facts, active, stopped)
        reasons += found
        needed = trade_for(chosen.type) if chosen is not None else None
        if needed is not None and _needs_certificate(needed, facts):
            for f in check_worker(req.worker, needed, facts.certificates, today):
                if f.blocks:
                    code = _CERT_CODES.get(f.code, "certificate_invalid")
                    reasons.append((code, {"trade": needed, "trade_label": trade_label(needed)}, f.message))
        if facts.contractor is not None and not facts.admission_passed:
            reasons.append(
                (
                    "admission_exam_missing",
                    {"worker": req.worker},
                    f"worker {req.worker} has not passed the admission exam",
                )
            )
        for code in facts.blacklisted:
            reasons.append(
                ("contractor_blacklisted", {"contractor": code}, f"contractor {code} is blacklisted")
            )
    if stopped:
        reasons.append(("area_stopped", {"area": where}, f"work in area {where} is stopped"))
    return reasons


def read_facts(s: Session, worker_id: str, permit_ids: Sequence[str], today: date) -> GateFacts:
    """The worker's facts, by primary key and indexed columns only (a gate answers within a second)."""
    worker = s.get(Worker, worker_id)
    if worker is None:
        return GateFacts(worker_id, None)
    certs = tuple(
        CertificateInfo(c.number, special_trade(c.trade) or c.trade, c.valid_to, c.review_due)
        for c in s.scalars(select(Certificate).where(Certificate.worker_id == worker_id))
    )
    names = s.scalars(
        select(WorkerTraining.name).where(
            WorkerTraining.worker_id == worker_id, WorkerTraining.trained_on <= today
        )
    )
    admitted = any(word in name.lower() for name in names for word in ADMISSION_WORDS)
    on: frozenset[str] = frozenset()
    contractors = {worker.contractor_code} - {None}
    if permit_ids:  # on a permit: among its workers, or its supervisor (监护人), who goes in too
        ids = list(permit_ids)
        rows = s.execute(
            select(Permit.id, Permit.contractor_code, Permit.supervisor).where(Permit.id.in_(ids))
        ).all()
        named = set(
            s.scalars(
                select(PermitWorker.permit_id).where(
                    PermitWorker.worker_id == worker_id, PermitWorker.permit_id.in_(ids)
                )
            )
        )
        on = frozenset(pid for pid, _, supervisor in rows if pid in named or supervisor == worker_id)
        contractors |= {code for pid, code, _ in rows if pid in on and code}
    blacklisted = (
        tuple(
            sorted(
                s.scalars(
                    select(Contractor.code).where(Contractor.code.in_(contractors), Contractor.blacklisted)
                )
            )
        )
        if contractors
        else ()
    )
    return GateFacts(
        worker_id, worker.name, worker.trade or "", worker.contractor_code, certs, admitted, on, blacklisted
    )


def failure_reason(exc: BaseException) -> Reason:
    """What the gate is told when the cockpit itself failed: a code and a sentence, no internals."""
    if isinstance(exc, DBAPIError | SQLAlchemyTimeoutError):
        return ("database_unavailable", {}, "the cockpit's database is unavailable: call the control room")
    return ("internal", {}, "the cockpit could not check this entry: call the control room")


@dataclass
class FieldGate:
    """The gate's answers and the headcount. ``inside`` and the allows belong to the core thread."""

    db: Database
    topics: Topics
    desk: AlarmDesk
    permits: Callable[[str, str], list[PermitInfo]]  # core thread: an area's live permits, from the cache
    work_states: Callable[[], dict[tuple[str, str], WorkState]]
    record: Callable[[str, dict[str, Any]], object]  # the outbox: written, or kept until the database is back
    clock: Callable[[], datetime]
    acting: Callable[[], bool] = lambda: True  # holds the plant's duties (cockpit/duty_lease.py)
    codes: CodeKeys | None = None  # the plant's badge key: scanned codes are checked (cockpit/gate_codes.py)
    # the keyring's read of that key, begun at start on a thread of its own (``badge_key_reading``): the
    # database worker waits for it once, at the first request, and then keeps it in ``codes``
    codes_reading: Future[CodeKeys | None] | None = None
    # area -> worker -> (name, since): kept on record and read back (cockpit/gate_presence.py)
    inside: dict[tuple[str, str], dict[str, tuple[str, datetime]]] = field(default_factory=dict)
    follow_s: float = FOLLOW_S  # a test that follows a holder sets it shorter instead of waiting 5 s
    _allows: dict[tuple[str, str, str], datetime] = field(default_factory=dict)
    _zones: dict[str, str] = field(default_factory=dict)
    _moves: int = 0  # movements seen on the core thread: a re-read begun before one is stale
    _reading: bool = False
    _read_at: float = -math.inf
    _record: Presence | None = None  # the last read of the record: the next read starts after it
    _was_acting: bool = False

    # ---- start, and following the holder ------------------------------------------------------------
    def load(self, now: datetime) -> None:
        """At start, before the core thread runs (the outbox drained): who is inside by the record."""
        try:
            with self.db.session() as s:
                presence = read_presence(s, now)
        except Exception:
            log.exception("who is inside could not be read: the headcount starts empty")
            return
        self._record = presence.copy()
        self.inside, self._allows = presence.inside, presence.allows
        self._read_at = time.monotonic()

    def tick(self, now: datetime) -> None:
        """Core thread, every tick: an instance without the duties reads the headcount again every
        ``follow_s`` (the holder's allows reach it through the database only); the new holder once,
        on taking the duties over, so it counts what the old holder counted."""
        acting = self.acting()
        took_over, self._was_acting = acting and not self._was_acting, acting
        if self._reading or not (
            took_over or (not acting and time.monotonic() - self._read_at >= self.follow_s)
        ):
            return
        self._reading = True
        self.desk.run_later(self._reread, self._moves, now, self._record)

    def _reread(self, moves: int, now: datetime, since: Presence | None) -> None:
        """Database worker: after every record handed to it before (one worker, in order); only
        what was written after ``since``."""
        presence: Presence | None = None
        try:
            with self.db.session() as s:
                presence = read_presence(s, now, since)
        except Exception:
            log.warning("who is inside could not be read again; keeping the count in memory", exc_info=True)
        self.desk.call(lambda: self._adopt(moves, presence))

    def _adopt(self, moves: int, presence: Presence | None) -> None:
        self._reading = False
        self._read_at = time.monotonic()
        if presence is None:
            return
        self._record = presence
        if moves != self._moves:
            return  # a movement came meanwhile: the next tick reads again
        presence = presence.copy()  # the record stays as read; the copy is the core thread's to change
        self.inside = presence.inside
        self._allows = {**presence.allows, **self._allows}

    # ---- core thread ----------------------------------------------------------------------------
    def on_request(self, req: GateRequest) -> None:
        active = tuple(
            GatePermit(p.id, p.type, p.status is PermitStatus.ACTIVE)
            for p in self.permits(req.site, req.area)
            if p.status in _PRESENT
        )
        state = self.work_states().get((req.site, req.area))
        stopped = state is not None and state.state == "stopped"
        self.desk.run_later(self._answer, req, active, stopped)

    def on_movement(self, ev: WorkerEvent, now: datetime) -> None:
        """An ``entry`` or ``exit`` from a gate: the headcount, and an entry nobody allowed (other
        worker events pass by)."""
        if ev.type is not WorkerEventType.ENTRY and ev.type is not WorkerEventType.EXIT:
            return
        area = (ev.site, ev.area)
        people = self.inside.setdefault(area, {})
        self._moves += 1
        self._note_movement(ev)
        if ev.type is WorkerEventType.EXIT:
            people.pop(ev.worker, None)
            self._allows.pop((ev.site, ev.area, ev.worker), None)
            return
        allowed_at = self._allows.get((ev.site, ev.area, ev.worker))
        if allowed_at is None or now - allowed_at > ALLOW_VALID:
            where = dict(worker=ev.worker, site=ev.site, area=ev.area)
            message = (
                alarm_message("gate.no_allow_permit", **where, permit_id=ev.permit)
                if ev.permit
                else alarm_message("gate.no_allow", **where)
            )
            self.desk.raise_event(
                source=f"worker:{ev.worker}",
                condition=UNAUTHORISED_ENTRY,
                priority=Priority.HIGH,
                site=ev.site,
                area=ev.area,
                ts=ev.ts,
                message=message,
                permit=ev.permit,
            )
        if ev.worker not in people:
            people[ev.worker] = (ev.worker, ev.ts)
            self.desk.run_later(self._name_later, area, ev.worker)  # his name, off the core thread

    def _note_movement(self, ev: WorkerEvent) -> None:
        """On record through the outbox, by every instance that hears it: the field's time and the
        area as actor make one entry of it (the outbox's replay key), and the headcount survives."""
        self.record(
            AUDIT,
            audit_record(
                actor=movement_actor(ev.site, ev.area),
                action=ENTRY if ev.type is WorkerEventType.ENTRY else EXIT,
                subject=ev.worker,
                details={"site": ev.site, "area": ev.area, "permit": ev.permit},
                ts=ev.ts,
                once=True,
            ),
        )

    def headcount(self) -> dict[tuple[str, str], tuple[InsideEntry, ...]]:
        """Core thread: who is inside each area, by name, with since when, for the published state."""
        return {
            area: tuple(
                sorted(
                    (InsideEntry(worker, name, since) for worker, (name, since) in people.items()),
                    key=lambda e: (e.name, e.worker),
                )
            )
            for area, people in self.inside.items()
            if people
        }

    def _settle(self, req: GateRequest, name: str | None, reasons: list[Reason], at: datetime) -> None:
        if not reasons:
            self._allows[(req.site, req.area, req.worker)] = at
            people = self.inside.setdefault((req.site, req.area), {})
            since = people[req.worker][1] if req.worker in people else at
            people[req.worker] = (name or req.worker, since)
            self._moves += 1
            return
        self.desk.raise_event(
            source=f"worker:{req.worker}",
            condition=GATE_REFUSED,
            priority=Priority.MEDIUM,
            site=req.site,
            area=req.area,
            ts=req.ts,
            message=gate_message(req.gate, req.worker, [(code, m) for code, _, m in reasons]),
            permit=req.permit,
        )

    def _named(self, area: tuple[str, str], worker: str, name: str) -> None:
        people = self.inside.get(area, {})
        if worker in people and people[worker][0] == worker:
            people[worker] = (name, people[worker][1])

    # ---- database worker ------------------------------------------------------------------------
    def _name_later(self, area: tuple[str, str], worker: str) -> None:
        """The register's name of one who went in without an allow (the map lists names)."""
        try:
            with self.db.session() as s:
                name = s.scalar(select(Worker.name).where(Worker.id == worker))
        except Exception:
            log.warning("the name of worker %s could not be read; listed by his id", worker, exc_info=True)
            return
        if name:
            self.desk.call(lambda: self._named(area, worker, name))

    def _keys(self) -> CodeKeys | None:
        """Database worker: the badge key, once the keyring's read at start has ended."""
        reading, self.codes_reading = self.codes_reading, None
        if reading is not None:
            try:
                self.codes = reading.result()
            except Exception:
                log.exception("the badge key could not be read: scanned codes are refused")
        return self.codes

    def _answer(self, req: GateRequest, active: tuple[GatePermit, ...], stopped: bool) -> None:
        """Database worker. The scanned codes' refusals first (then nothing of the worker is read)."""
        refused = code_reasons(req, self._keys())
        now = self.clock()
        name: str | None = None
        paper: dict[str, Any] | None = None
        reasons = list(refused)
        try:
            with self.db.session() as s:
                if req.permit_code and not refused:
                    paper = permit_state(s, req.permit, now)
                if not req.worker:  # a paper permit checked alone
                    reasons += paper_reasons(paper)
                elif not refused:
                    today = PlantClock(default=self._zone(s, req.site)).local(now).date()
                    facts = read_facts(s, req.worker, [p.id for p in active], today)
                    name = facts.name
                    reasons = judge(req, facts, active, stopped, today)
        except Exception as exc:
            log.exception("gate request %s at %s could not be judged", req.request_id, req.gate)
            reasons = [failure_reason(exc)]
        reply = encode_gate_reply(req.request_id, req.worker or None, not reasons, reasons, now, paper)
        self.desk.publish(self.topics.gate_reply(req.site, req.area, req.gate), reply, 1, False)
        details: dict[str, Any] = {
            "site": req.site,
            "area": req.area,
            "gate": req.gate,
            "request_id": req.request_id,
            "via": req.via,
            "permit": req.permit,
            "reasons": [{"code": c, "params": p} for c, p, _ in reasons],
        }
        action = "gate.refused" if reasons else ALLOWED
        if not req.worker:
            action, details["permit_state"] = "gate.permit_checked", paper
        self.record(
            AUDIT,
            audit_record(
                actor=f"gate:{req.gate}",
                action=action,
                subject=req.worker or str(req.permit),
                details=details,
                ts=now,
            ),
        )
        if req.worker:  # a paper checked alone lets nobody in
            self.desk.call(lambda: self._settle(req, name, reasons, now))

    def _zone(self, s: Session, site: str) -> str:
        """The site's zone (the day a certificate is judged on is the plant's), cached: it does not move."""
        zone = self._zones.get(site)
        if zone is None:
            zone = s.scalar(select(Site.timezone).where(Site.id == site)) or DEFAULT_ZONE
            self._zones[site] = zone
        return zone


def field_gate(core: CockpitCore, desk: AlarmDesk) -> FieldGate:
    """The gate as the core wires it: the permit cache and the work states it reads on the core thread."""
    return FieldGate(
        core.db,
        core.topics,
        desk,
        permits=core.permit_monitor.in_area,
        work_states=lambda: core.stopwork.work_states,
        record=core.record,
        clock=core.clock,
        acting=core.duties.acting,
        codes_reading=badge_key_reading(),  # read once, never on the core thread
    )


def badge_key_reading() -> Future[CodeKeys | None]:
    """The keyring's badge key, read on a thread of its own: importing keyring and finding its backend
    took 0.13-0.24 s, which the core's start no longer waits for before its first health."""
    reading: Future[CodeKeys | None] = Future()

    def read() -> None:
        try:
            reading.set_result(keys_from_keyring())
        except BaseException as exc:  # handed to the gate's first request, which logs it
            reading.set_exception(exc)

    threading.Thread(target=read, name="badge-key", daemon=True).start()
    return reading
