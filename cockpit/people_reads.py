"""What the people register screens read: the lists (with search) and the cards, as plain records.

Each call opens its own session and returns records built inside it (no ORM object escapes), so the
screens run them off the GUI thread. A contractors search is a prefix match on the code (a b-tree range)
or a substring of the code or name; a workers search goes through an in-memory index of the IDs, names,
employers and certificate numbers (``cockpit/people_search.py``: SQL's substring scan was too slow at
100,000 workers); both with a limit. The grade is read twice: the grade in force as
stored, and the rule applied now (``grade_decision``), so the card shows what the rule says today
(violations leave the 12-month window without anyone touching the record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from cockpit.contractor_search import CertState, certificate_state
from cockpit.people_register import grade_decision
from cockpit.people_search import WorkerSearch
from connectors.database import Database
from models.plant_clock import DEFAULT_ZONE, PlantClock
from models.rules.contractor_grade import GradeDecision, window_start
from models.schema import (
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    Worker,
    WorkerTraining,
)

_HIGH = "\uffff"


@dataclass(frozen=True)
class ContractorRow:
    code: str
    name: str
    grade: str
    active: bool
    blacklisted: bool


@dataclass(frozen=True)
class QualificationItem:
    record_id: int
    name: str
    number: str
    scope: str
    valid_from: date | None
    valid_to: date | None
    state: CertState | None  # None: no end date
    days_left: int | None


@dataclass(frozen=True)
class ViolationItem:
    record_id: int
    at: datetime
    points: int
    description: str
    worker_id: str | None
    worker_name: str
    contractor_code: str | None
    recorded_by: str
    counts: bool  # inside the grade's window


@dataclass(frozen=True)
class PersonRow:
    worker_id: str
    name: str
    trade: str
    active: bool


@dataclass(frozen=True)
class ContractorDetail:
    code: str
    name: str
    active: bool
    grade: str  # in force, as stored
    decision: GradeDecision  # the rule now
    override: str | None
    override_reason: str
    override_by: str | None
    override_at: datetime | None
    blacklisted: bool
    blacklist_reason: str
    qualifications: list[QualificationItem]
    workers: list[PersonRow]
    violations: list[ViolationItem]


@dataclass(frozen=True)
class WorkerRow:
    worker_id: str
    name: str
    contractor_code: str | None
    contractor_name: str
    trade: str
    active: bool


@dataclass(frozen=True)
class CertificateItem:
    record_id: int
    number: str
    trade: str
    issuer: str
    valid_from: date
    valid_to: date
    review_due: date | None
    state: CertState
    days_left: int
    review_state: CertState | None  # None: no review date
    review_days: int | None


@dataclass(frozen=True)
class TrainingItem:
    record_id: int
    name: str
    trained_on: date
    scope: str


@dataclass(frozen=True)
class WorkerDetail:
    worker_id: str
    name: str
    contractor_code: str | None
    contractor_name: str
    trade: str
    phone: str
    active: bool
    exam_passed: bool | None
    exam_score: float | None
    exam_on: date | None
    certificates: list[CertificateItem]
    trainings: list[TrainingItem]
    violations: list[ViolationItem]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(
    key: InstrumentedAttribute[str], name: InstrumentedAttribute[str], text: str
) -> ColumnElement[bool]:
    pattern = f"%{_escape(text)}%"
    return or_(
        (key >= text) & (key < text + _HIGH),
        name.ilike(pattern, escape="\\"),
        key.ilike(pattern, escape="\\"),
    )


class PeopleReads:
    """The register screens' reads; ``zone`` is the plant's (its date decides expiry)."""

    def __init__(
        self, db: Database, *, clock: Callable[[], datetime] | None = None, zone: str = DEFAULT_ZONE
    ) -> None:
        self._db = db
        self._clock = clock or (lambda: datetime.now(UTC))
        self._zone = zone
        self._search = WorkerSearch(db)

    @property
    def zone(self) -> str:
        return self._zone

    @property
    def worker_search(self) -> WorkerSearch:
        """The workers' words in memory, shared with the contractor panel's search."""
        return self._search

    def today(self) -> date:
        return PlantClock(self._zone).local(self._clock()).date()

    def contractors(self, text: str = "", limit: int = 500) -> list[ContractorRow]:
        query = select(
            Contractor.code, Contractor.name, Contractor.grade, Contractor.active, Contractor.blacklisted
        )
        text = text.strip()
        if text:
            query = query.where(_matches(Contractor.code, Contractor.name, text))
        with self._db.session() as s:
            rows = s.execute(query.order_by(Contractor.code).limit(limit)).all()
            return [ContractorRow(c, n, str(g), bool(a), bool(b)) for c, n, g, a, b in rows]

    def contractor_choices(self) -> list[tuple[str, str]]:
        """(code, name) of the active contractors, for a worker's employer."""
        with self._db.session() as s:
            rows = s.execute(
                select(Contractor.code, Contractor.name).where(Contractor.active).order_by(Contractor.code)
            ).all()
            return [(c, n) for c, n in rows]

    def workers(self, text: str = "", limit: int = 500) -> list[WorkerRow]:
        employer = aliased(Contractor)
        query = select(
            Worker.id, Worker.name, Worker.contractor_code, employer.name, Worker.trade, Worker.active
        ).join(employer, employer.code == Worker.contractor_code, isouter=True)
        text = text.strip()
        if text:  # the in-memory index: a substring scan in SQL read every worker (people_search.py)
            query = query.where(Worker.id.in_(self._search.ids(text, limit)))
        with self._db.session() as s:
            rows = s.execute(query.order_by(Worker.id).limit(limit)).all()
            return [WorkerRow(w, n, c, cn or "", t, bool(a)) for w, n, c, cn, t, a in rows]

    def contractor_detail(self, code: str) -> ContractorDetail | None:
        now, today = self._clock(), self.today()
        with self._db.session() as s:
            row = s.get(Contractor, code)
            if row is None:
                return None
            decision = grade_decision(s, row, now, self._zone)
            qualifications = [
                _qualification(q, today)
                for q in s.scalars(
                    select(ContractorQualification)
                    .where(ContractorQualification.contractor_code == code)
                    .order_by(ContractorQualification.name, ContractorQualification.id)
                )
            ]
            workers = [
                PersonRow(w.id, w.name, w.trade, w.active)
                for w in s.scalars(
                    select(Worker).where(Worker.contractor_code == code).order_by(Worker.id).limit(500)
                )
            ]
            violations = _violations(s, ContractorViolation.contractor_code == code, now)
            return ContractorDetail(
                code=row.code,
                name=row.name,
                active=row.active,
                grade=str(row.grade),
                decision=decision,
                override=row.grade_override.value if row.grade_override else None,
                override_reason=row.grade_override_reason or "",
                override_by=row.grade_override_by,
                override_at=row.grade_override_at,
                blacklisted=row.blacklisted,
                blacklist_reason=row.blacklist_reason or "",
                qualifications=qualifications,
                workers=workers,
                violations=violations,
            )

    def worker_detail(self, worker_id: str) -> WorkerDetail | None:
        now, today = self._clock(), self.today()
        with self._db.session() as s:
            row = s.get(Worker, worker_id)
            if row is None:
                return None
            employer = s.get(Contractor, row.contractor_code) if row.contractor_code else None
            certificates = [
                _certificate(c, today)
                for c in s.scalars(
                    select(Certificate)
                    .where(Certificate.worker_id == worker_id)
                    .order_by(Certificate.valid_to.desc(), Certificate.id)
                )
            ]
            trainings = [
                TrainingItem(t.id, t.name, t.trained_on, t.scope)
                for t in s.scalars(
                    select(WorkerTraining)
                    .where(WorkerTraining.worker_id == worker_id)
                    .order_by(WorkerTraining.trained_on.desc(), WorkerTraining.id)
                )
            ]
            return WorkerDetail(
                worker_id=row.id,
                name=row.name,
                contractor_code=row.contractor_code,
                contractor_name=employer.name if employer else "",
                trade=row.trade,
                phone=row.phone,
                active=row.active,
                exam_passed=row.exam_passed,
                exam_score=row.exam_score,
                exam_on=row.exam_on,
                certificates=certificates,
                trainings=trainings,
                violations=_violations(s, ContractorViolation.worker_id == worker_id, now),
            )


def _qualification(q: ContractorQualification, today: date) -> QualificationItem:
    state, days = certificate_state(q.valid_to, today) if q.valid_to else (None, None)
    return QualificationItem(q.id, q.name, q.number, q.scope, q.valid_from, q.valid_to, state, days)


def _certificate(c: Certificate, today: date) -> CertificateItem:
    state, days = certificate_state(c.valid_to, today)
    review, review_days = certificate_state(c.review_due, today) if c.review_due else (None, None)
    return CertificateItem(
        c.id,
        c.number,
        c.trade,
        c.issuer,
        c.valid_from,
        c.valid_to,
        c.review_due,
        state,
        days,
        review,
        review_days,
    )


def _violations(
    s: Session, where: ColumnElement[bool], now: datetime, limit: int = 200
) -> list[ViolationItem]:
    person = aliased(Worker)
    rows = s.execute(
        select(ContractorViolation, person.name)
        .join(person, person.id == ContractorViolation.worker_id, isouter=True)
        .where(where)
        .order_by(ContractorViolation.at.desc(), ContractorViolation.id.desc())
        .limit(limit)
    ).all()
    start = window_start(now)
    return [
        ViolationItem(
            v.id,
            v.at,
            v.points,
            v.description,
            v.worker_id,
            name or "",
            v.contractor_code,
            v.recorded_by,
            v.at >= start,
        )
        for v, name in rows
    ]
