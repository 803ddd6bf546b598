"""The people registers: contractors (qualifications, blacklist, grade) and workers (certificates,
trainings, the admission exam), and the violations recorded against them.

Administrators and safety managers edit; who acts is the login's session, its user read from the
database in each action's own transaction (``cockpit.sessions.session_user``), never a name or role taken
from the caller (as ``plant_register``). Every
change writes its audit entry in the same transaction; input is checked (``cockpit/people_inputs``)
before a session opens. Nothing is deleted that a permit or the audit may name: contractors and
workers are disabled. The contractor's grade in force is recomputed by the readable rule
(``models/rules/contractor_grade.py``) on every change that can move it, a violation above all, and
a change of grade is an audit entry of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cockpit import people_inputs as check
from cockpit.people_inputs import (
    CertificateInput,
    ContractorInput,
    ExamInput,
    PeopleError,
    PeopleProblem,
    QualificationInput,
    TrainingInput,
    ViolationInput,
    WorkerInput,
)
from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.plant_clock import DEFAULT_ZONE, PlantClock
from models.records import Role
from models.rules import contractor_grade as rule
from models.schema import (
    Certificate,
    Contractor,
    ContractorGrade,
    ContractorQualification,
    ContractorViolation,
    User,
    Worker,
    WorkerTraining,
)

EDITORS = frozenset({Role.ADMIN, Role.SAFETY_MANAGER})


def grade_decision(s: Session, contractor: Contractor, now: datetime, zone: str) -> rule.GradeDecision:
    """The rule applied to what the database holds now (the register screen shows the same)."""
    points = s.scalar(
        select(func.coalesce(func.sum(ContractorViolation.points), 0)).where(
            ContractorViolation.contractor_code == contractor.code,
            ContractorViolation.at >= rule.window_start(now),
        )
    )
    qualifications = s.execute(
        select(ContractorQualification.name, ContractorQualification.valid_to).where(
            ContractorQualification.contractor_code == contractor.code
        )
    ).all()
    today = PlantClock(zone).local(now).date()
    override = contractor.grade_override.value if contractor.grade_override else None
    return rule.derive(
        int(points or 0),
        blacklisted=contractor.blacklisted,
        qualified=bool(qualifications),
        lapsed_names=rule.lapsed([(n, v) for n, v in qualifications], today),
        override=override,
    )


class PeopleRegister:
    """Edits of contractors, workers and violations; ``acting`` is the login's session."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        *,
        clock: Callable[[], datetime] | None = None,
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self._zone = zone

    # ------------------------------------------------------------ contractors

    def save_contractor(self, acting: object, data: ContractorInput) -> None:
        code = check.code(data.code, "contractor code")
        name = check.text(data.name, "name", required=True)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = s.get(Contractor, code)
            action = "register.contractor_update" if row is not None else "register.contractor_create"
            if row is None:
                # A new contractor holds no qualification yet: the rule gives C (no grade entry for it).
                row = Contractor(code=code, name=name, grade=ContractorGrade.C, active=True)
                s.add(row)
            row.name = name
            s.flush()
            self._audit(s, editor, action, f"contractor/{code}", {"name": name})
            self._regrade(s, editor, row, "saved")

    def set_contractor_active(self, acting: object, code: str, active: bool) -> None:
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._contractor(s, code)
            row.active = active
            action = "register.contractor_enable" if active else "register.contractor_disable"
            self._audit(s, editor, action, f"contractor/{row.code}", {})

    def set_blacklist(self, acting: object, code: str, blacklisted: bool, reason: str) -> None:
        """Blacklist (grade D, no permit) or lift it; either way with a reason."""
        why = check.text(reason, "reason", check.TEXT_MAX)
        if not why:
            act = "blacklist" if blacklisted else "lift the blacklist"
            raise PeopleError(PeopleProblem.REASON_NEEDED, act=act)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._contractor(s, code)
            row.blacklisted = blacklisted
            row.blacklist_reason = why if blacklisted else ""
            action = "register.blacklist" if blacklisted else "register.blacklist_lift"
            self._audit(s, editor, action, f"contractor/{row.code}", {"reason": why})
            self._regrade(s, editor, row, action.removeprefix("register."))

    def override_grade(self, acting: object, code: str, grade: str | None, reason: str) -> None:
        """Set the grade in force against the rule (a reason is required), or clear it (``None``)."""
        why = check.text(reason, "reason", check.TEXT_MAX)
        chosen: ContractorGrade | None = None
        if grade is not None and str(grade).strip():
            letter = str(grade).strip().upper()
            if letter not in rule.GRADES:
                raise PeopleError(PeopleProblem.BAD_GRADE, value=str(grade)[:10])
            chosen = ContractorGrade(letter)
            if not why:
                raise PeopleError(PeopleProblem.REASON_NEEDED, act="override the grade")
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._contractor(s, code)
            row.grade_override = chosen
            row.grade_override_reason = why if chosen else ""
            row.grade_override_by = editor.username if chosen else None
            row.grade_override_at = self._clock() if chosen else None
            action = "register.grade_override" if chosen else "register.grade_override_clear"
            details = {"grade": chosen.value if chosen else None, "reason": why}
            self._audit(s, editor, action, f"contractor/{row.code}", details)
            self._regrade(s, editor, row, action.removeprefix("register."))

    def save_qualification(self, acting: object, data: QualificationInput) -> int:
        name = check.text(data.name, "qualification", required=True)
        number = check.text(data.number, "number", check.SHORT_MAX)
        scope = check.text(data.scope, "scope")
        start = check.parse_date(data.valid_from, "valid_from")
        end = check.parse_date(data.valid_to, "valid_to")
        check.date_range(start, end)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            contractor = self._contractor(s, data.contractor_code)
            if data.record_id is None:
                row = ContractorQualification(contractor_code=contractor.code, name=name)
                s.add(row)
            else:
                row = self._record(s, ContractorQualification, data.record_id, "qualification", required=True)
                if row.contractor_code != contractor.code:
                    raise PeopleError(PeopleProblem.UNKNOWN_RECORD, kind="qualification", id=data.record_id)
            row.name, row.number, row.scope, row.valid_from, row.valid_to = name, number, scope, start, end
            s.flush()
            details: dict[str, Any] = {"id": row.id, "name": name, "number": number, "scope": scope}
            details |= {"valid_from": start, "valid_to": end}
            self._audit(s, editor, "register.qualification", f"contractor/{contractor.code}", details)
            self._regrade(s, editor, contractor, "qualification")
            return row.id

    def remove_qualification(self, acting: object, record_id: int) -> None:
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._record(s, ContractorQualification, record_id, "qualification", required=True)
            assert row is not None
            contractor = self._contractor(s, row.contractor_code)
            details = {"id": row.id, "name": row.name, "number": row.number}
            s.delete(row)
            s.flush()
            self._audit(s, editor, "register.qualification_remove", f"contractor/{contractor.code}", details)
            self._regrade(s, editor, contractor, "qualification")

    # ------------------------------------------------------------ workers

    def save_worker(self, acting: object, data: WorkerInput) -> None:
        wid = check.code(data.worker_id, "worker ID")
        name = check.text(data.name, "name", check.SHORT_MAX, required=True)
        trade = check.text(data.trade, "trade", check.SHORT_MAX)
        phone = check.phone(data.phone)
        employer = (data.contractor_code or "").strip() or None
        with self._db.session() as s:
            editor = self._editor(s, acting)
            if employer is not None:
                employer = self._contractor(s, employer).code
            row = s.get(Worker, wid)
            action = "register.worker_update" if row is not None else "register.worker_create"
            if row is None:
                row = Worker(id=wid, name=name, active=True)
                s.add(row)
            row.name, row.contractor_code, row.trade, row.phone = name, employer, trade, phone
            s.flush()
            details = {"name": name, "contractor": employer, "trade": trade, "phone": phone}
            self._audit(s, editor, action, f"worker/{wid}", details)

    def set_worker_active(self, acting: object, worker_id: str, active: bool) -> None:
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._worker(s, worker_id)
            row.active = active
            action = "register.worker_enable" if active else "register.worker_disable"
            self._audit(s, editor, action, f"worker/{row.id}", {})

    def save_certificate(self, acting: object, data: CertificateInput) -> int:
        """Add a certificate, or change the one with this number (the same worker's only)."""
        number = check.text(data.number, "certificate number", 64, required=True)
        trade = check.text(data.trade, "trade", check.SHORT_MAX, required=True)
        issuer = check.text(data.issuer, "issuer")
        start = check.parse_date(data.valid_from, "valid_from", required=True)
        end = check.parse_date(data.valid_to, "valid_to", required=True)
        review = check.parse_date(data.review_due, "review_due")
        assert start is not None and end is not None
        check.date_range(start, end)
        check.date_range(start, review, "review_due")
        with self._db.session() as s:
            editor = self._editor(s, acting)
            worker = self._worker(s, data.worker_id)
            found = s.scalars(select(Certificate).where(Certificate.number == number)).all()
            other = next((c for c in found if c.worker_id != worker.id), None)
            if other is not None:
                raise PeopleError(PeopleProblem.DUPLICATE_CERTIFICATE, number=number, other=other.worker_id)
            row = found[0] if found else None
            if row is None:
                row = Certificate(worker_id=worker.id, number=number)
                s.add(row)
            row.trade, row.issuer, row.valid_from, row.valid_to = trade, issuer, start, end
            row.review_due = review
            s.flush()
            details: dict[str, Any] = {"number": number, "trade": trade, "issuer": issuer}
            details |= {"valid_from": start, "valid_to": end, "review_due": review}
            self._audit(s, editor, "register.certificate", f"worker/{worker.id}", details)
            return row.id

    def remove_certificate(self, acting: object, record_id: int) -> None:
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._record(s, Certificate, record_id, "certificate", required=True)
            assert row is not None
            details = {"number": row.number, "trade": row.trade, "valid_to": row.valid_to}
            subject = f"worker/{row.worker_id}"
            s.delete(row)
            self._audit(s, editor, "register.certificate_remove", subject, details)

    def add_training(self, acting: object, data: TrainingInput) -> int:
        name = check.text(data.name, "training", required=True)
        scope = check.text(data.scope, "scope")
        on = check.parse_date(data.trained_on, "trained_on", required=True)
        assert on is not None
        self._not_future(on, "trained_on")
        with self._db.session() as s:
            editor = self._editor(s, acting)
            worker = self._worker(s, data.worker_id)
            row = WorkerTraining(worker_id=worker.id, name=name, trained_on=on, scope=scope)
            s.add(row)
            s.flush()
            details = {"id": row.id, "name": name, "trained_on": on, "scope": scope}
            self._audit(s, editor, "register.training", f"worker/{worker.id}", details)
            return row.id

    def remove_training(self, acting: object, record_id: int) -> None:
        with self._db.session() as s:
            editor = self._editor(s, acting)
            row = self._record(s, WorkerTraining, record_id, "training", required=True)
            assert row is not None
            details = {"id": row.id, "name": row.name, "trained_on": row.trained_on}
            subject = f"worker/{row.worker_id}"
            s.delete(row)
            self._audit(s, editor, "register.training_remove", subject, details)

    def record_exam(self, acting: object, data: ExamInput) -> None:
        on = check.parse_date(data.taken_on, "exam_on", required=True)
        assert on is not None
        self._not_future(on, "exam_on")
        mark = check.score(data.score)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            worker = self._worker(s, data.worker_id)
            worker.exam_passed, worker.exam_score, worker.exam_on = bool(data.passed), mark, on
            details = {"passed": bool(data.passed), "score": mark, "on": on}
            self._audit(s, editor, "register.exam", f"worker/{worker.id}", details)

    # ------------------------------------------------------------ violations

    def record_violation(self, acting: object, data: ViolationInput) -> int:
        """A violation against a worker (counted to his contractor) or a contractor; regrades it."""
        description = check.text(data.description, "description", check.TEXT_MAX, required=True)
        score = check.points(data.points)
        now = self._clock()
        at = check.moment(data.at, self._zone, now)
        wid = (data.worker_id or "").strip() or None
        given = (data.contractor_code or "").strip() or None
        if wid is None and given is None:
            raise PeopleError(PeopleProblem.NO_SUBJECT)
        with self._db.session() as s:
            editor = self._editor(s, acting)
            worker = self._worker(s, wid) if wid is not None else None
            contractor = self._contractor(s, given) if given is not None else None
            if worker is not None and contractor is not None and worker.contractor_code != contractor.code:
                actual = worker.contractor_code or "the plant"
                raise PeopleError(
                    PeopleProblem.WRONG_CONTRACTOR, worker=worker.id, actual=actual, given=contractor.code
                )
            if worker is not None and contractor is None and worker.contractor_code:
                contractor = self._contractor(s, worker.contractor_code)
            before = grade_decision(s, contractor, now, self._zone).derived if contractor else None
            row = ContractorViolation(
                contractor_code=contractor.code if contractor else None,
                worker_id=worker.id if worker else None,
                at=at,
                description=description,
                points=score,
                recorded_by=editor.username,
            )
            s.add(row)
            s.flush()
            details: dict[str, Any] = {"id": row.id, "at": at, "points": score, "description": description}
            details |= {"worker": row.worker_id, "contractor": row.contractor_code}
            subject = f"contractor/{contractor.code}" if contractor else f"worker/{row.worker_id}"
            self._audit(s, editor, "register.violation", subject, details)
            if contractor is not None:
                self._regrade(s, editor, contractor, "violation", derived_before=before)
            return row.id

    def regrade(self, s: Session, editor: User, codes: Iterable[str], cause: str) -> None:
        """Inside the caller's transaction (an import's): the grade in force of ``codes`` by the rule."""
        for code in sorted(set(codes)):
            row = s.get(Contractor, code)
            if row is not None:
                self._regrade(s, editor, row, cause)

    # ------------------------------------------------------------ helpers

    def _regrade(
        self, s: Session, editor: User, row: Contractor, cause: str, *, derived_before: str | None = None
    ) -> None:
        """Store the grade in force; a violation that takes the rule below an override ends it."""
        s.flush()
        now = self._clock()
        decision = grade_decision(s, row, now, self._zone)
        ended = None
        override = row.grade_override
        if (
            derived_before is not None
            and override is not None
            and not rule.override_survives(override.value, decision.derived, derived_before)
        ):
            ended = override.value
            row.grade_override, row.grade_override_reason = None, ""
            row.grade_override_by, row.grade_override_at = None, None
            decision = grade_decision(s, row, now, self._zone)
        old = row.grade.value if row.grade is not None else None
        if old == decision.effective and ended is None:
            return
        row.grade = ContractorGrade(decision.effective)
        details: dict[str, Any] = {"from": old, "to": decision.effective, "derived": decision.derived}
        details |= {"points": decision.points, "reasons": list(decision.reasons), "cause": cause}
        if ended is not None:
            details["override_ended"] = ended
        self._audit(s, editor, "register.contractor_grade", f"contractor/{row.code}", details)

    def _not_future(self, day: date, field: str) -> None:
        today = PlantClock(self._zone).local(self._clock()).date()
        if day > today:
            raise PeopleError(PeopleProblem.FUTURE, field=field, value=day.isoformat())

    def _editor(self, s: Session, acting: object) -> User:
        user = session_user(s, self._keys, acting)
        if user.role not in EDITORS:
            raise PeopleError(PeopleProblem.NOT_EDITOR, actor=user.username)
        return user

    @staticmethod
    def _contractor(s: Session, code: str) -> Contractor:
        row = s.get(Contractor, (code or "").strip())
        if row is None:
            raise PeopleError(PeopleProblem.UNKNOWN_CONTRACTOR, code=(code or "")[:80])
        return row

    @staticmethod
    def _worker(s: Session, worker_id: str) -> Worker:
        row = s.get(Worker, (worker_id or "").strip())
        if row is None:
            raise PeopleError(PeopleProblem.UNKNOWN_WORKER, worker=(worker_id or "")[:80])
        return row

    @staticmethod
    def _record(
        s: Session, kind: type[Any], record_id: int | None, name: str, *, required: bool = False
    ) -> Any:
        if record_id is None and not required:
            return None
        row = s.get(kind, record_id) if record_id is not None else None
        if row is None:
            raise PeopleError(PeopleProblem.UNKNOWN_RECORD, kind=name, id=record_id)
        return row

    def _audit(self, s: Session, editor: User, action: str, subject: str, details: dict[str, Any]) -> None:
        append_audit(
            s, actor=editor.username, action=action, subject=subject, details=details, ts=self._clock()
        )
