"""Why an area may not resume, as codes, and what a resume is decided on.

A resume runs in three steps so that the core thread never waits on the database (a hung database
would hold every automatic stop behind it): on the core thread what the core knows (the area is
stopped, no critical alarm stands, no records of the stop wait); on the database worker the permits'
gas tests read and the resume written (after the stop's own records, which went to the same worker
first); on the core thread again the command published, unless another stop came meanwhile.

Every reason reads ``code(name=value, ...): English sentence`` (``views/permit_reasons.py`` words the
code in the screen's language; the sentence is for logs).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cockpit.db_records import write_resume
from cockpit.sessions import VerifiedActor, acting
from cockpit.stopwork import CommandView, ResumeRefused, StopWorkService, WorkState
from cockpit.wire import permit_state_message
from models.records import PermitStatus, PermitType
from models.rules.gas_tests import needs_gas_test
from models.schema import GasTest, Permit

log = logging.getLogger(__name__)

RESUME_GAS_TEST_MAX_AGE = timedelta(minutes=30)  # GB 30871: sampled no more than 30 min before (re)start

REASON_MISSING = "resume.reason_missing"
NOT_STOPPED = "resume.not_stopped"
ALARM_STANDING = "resume.alarm_standing"
RECORDS_WAITING = "resume.records_waiting"
DATABASE_UNREACHABLE = "resume.database_unreachable"
STOPPED_AGAIN = "resume.stopped_again"
PERMIT_EXPIRED = "resume.permit_expired"
GAS_TEST_MISSING = "resume.gas_test_missing"
GAS_TEST_FAILED = "resume.gas_test_failed"
GAS_TEST_OLD = "resume.gas_test_old"


def reason(code: str, sentence: str, **params: str) -> str:
    """A coded reason: ``code(name=value, ...): sentence``."""
    inner = ",".join(f"{k}={v}" for k, v in params.items())
    return f"{code}({inner}): {sentence}"


@dataclass(frozen=True)
class ResumePlan:
    """What the core thread decided on: the stop being ended and who resumes, why, when."""

    site: str
    area: str
    stop_id: str
    stopped_at: datetime
    alarm_id: str | None
    by: str
    reason: str
    now: datetime


def resume_problems(s: Session, permits: list[Permit], stopped_at: datetime, now: datetime) -> list[str]:
    """A fresh passing gas test, taken after the stop, for every permit whose type needs one."""
    problems: list[str] = []
    for p in permits:
        if p.valid_to <= now:
            problems.append(reason(PERMIT_EXPIRED, f"permit {p.id} has expired", permit=p.id))
        if not needs_gas_test(PermitType(p.type)):
            continue
        last: Any = s.scalars(
            select(GasTest).where(GasTest.permit_id == p.id).order_by(GasTest.taken_at.desc()).limit(1)
        ).first()
        if last is None or last.taken_at < stopped_at:
            problems.append(
                reason(GAS_TEST_MISSING, f"permit {p.id} needs a gas test taken after the stop", permit=p.id)
            )
        elif not last.passed:
            problems.append(reason(GAS_TEST_FAILED, f"permit {p.id}: the last gas test failed", permit=p.id))
        elif now - last.taken_at > RESUME_GAS_TEST_MAX_AGE:
            problems.append(
                reason(GAS_TEST_OLD, f"permit {p.id}: the last gas test is older than 30 min", permit=p.id)
            )
    return problems


def _records_waiting() -> ResumeRefused:
    return ResumeRefused(
        [
            reason(
                RECORDS_WAITING,
                "records of the stop still wait for the database: resume once they are written",
            )
        ]
    )


class Resumer:
    """The three steps of a resume over the stop-work service's state (module docstring)."""

    def __init__(self, stopwork: StopWorkService) -> None:
        self.stopwork = stopwork

    def begin(self, site: str, area: str, *, actor: VerifiedActor, why: str, now: datetime) -> ResumePlan:
        """Core thread, from memory only: the area is stopped and none of its stop's records wait."""
        acting(actor, "resume_work")
        sw = self.stopwork
        if not why.strip():
            raise ResumeRefused([reason(REASON_MISSING, "a reason is required to resume work")])
        current = sw.work_states.get((site, area))
        if current is None or current.state != "stopped":
            raise ResumeRefused(
                [reason(NOT_STOPPED, f"work in {site}/{area} is not stopped", site=site, area=area)]
            )
        if sw.db_down():
            raise _records_waiting()
        stop = sw.commands.get(current.command_id)
        return ResumePlan(
            site,
            area,
            current.command_id,
            stop.issued_at if stop else current.ts,
            stop.alarm_id if stop else None,
            actor.username,
            why,
            now,
        )

    def record(self, plan: ResumePlan) -> tuple[CommandView, list[tuple[str, bytes]]]:
        """Database worker: the suspended permits' gas tests judged, then the resume on record (the
        permits active again, every step audited) in one transaction; returns the command and the
        permits' states for the field, told afterwards (``finish``)."""
        sw = self.stopwork
        if sw.db_down():  # the stop's own records, ahead on this worker, went to the outbox
            raise _records_waiting()
        try:
            with sw.db.session() as session:
                return self._record(session, plan)
        except SQLAlchemyError as exc:
            log.error("resume of %s/%s: the database failed (%s)", plan.site, plan.area, exc)
            raise ResumeRefused(
                [reason(DATABASE_UNREACHABLE, "the database cannot be reached: resume once it is back")]
            ) from None

    def _record(self, session: Session, plan: ResumePlan) -> tuple[CommandView, list[tuple[str, bytes]]]:
        sw = self.stopwork
        suspended = list(
            session.scalars(
                select(Permit).where(
                    Permit.site_id == plan.site,
                    Permit.area_id == plan.area,
                    Permit.status == PermitStatus.SUSPENDED,
                )
            )
        )
        problems = resume_problems(session, suspended, plan.stopped_at, plan.now)
        if problems:
            raise ResumeRefused(problems)
        view = CommandView(
            str(uuid.uuid4()),
            "resume",
            plan.site,
            plan.area,
            [p.id for p in suspended],
            plan.reason,
            plan.alarm_id,
            plan.by,
            False,
            plan.now,
            ends=plan.stop_id,
            deadline=plan.now + sw.ack_timeout,
        )
        states = [
            permit_state_message(sw.topics, p, status="active", by=view.issued_by, ts=view.issued_at)
            for p in suspended
        ]
        write_resume(
            session,
            command_id=view.command_id,
            site=view.site,
            area=view.area,
            permits=view.permits,
            reason=view.reason,
            alarm_id=view.alarm_id,
            issued_by=view.issued_by,
            ts=view.issued_at,
            ends=view.ends,
            console=sw.console,
        )
        return view, states

    def finish(self, plan: ResumePlan, view: CommandView, states: list[tuple[str, bytes]]) -> CommandView:
        """Core thread: the field told, unless another stop came while the resume was being recorded
        (then that stop stands, and its records suspend the permits again after the resume's)."""
        sw = self.stopwork
        current = sw.work_states.get((plan.site, plan.area))
        if current is None or current.command_id != plan.stop_id:
            raise ResumeRefused(
                [reason(STOPPED_AGAIN, "a new stop-work came while the resume was being recorded: it stands")]
            )
        sw.publish_command(view, lambda: states)
        sw.commands[view.command_id] = view
        sw.work_states[(plan.site, plan.area)] = WorkState("normal", view.command_id, plan.reason, plan.now)
        sw.on_changed(view)
        return view
