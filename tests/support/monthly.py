"""A hand-made plant month (2026-11 in Shanghai, UTC+8) with known answers for the monthly report.

The month runs 2026-10-31 16:00 UTC .. 2026-11-30 16:00 UTC. Rows just outside it on both sides check
that the month is the plant's, not UTC's. The answers are in ``EXPECTED``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from connectors.database import Database
from models.audit import append_audit
from models.records import HotWorkGrade, PermitStatus, PermitType
from models.schema import (
    AlarmJournalEntry,
    Approval,
    ApprovalDecision,
    Command,
    CommandAckRow,
    CommandKind,
    Contractor,
    GasTest,
    NearMiss,
    Permit,
    PermitEventRow,
)
from tests.support.plant import build_small_plant

MONTH = "2026-11"
LEAD = "lead.wang"


def t(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


EXPECTED = {
    "permits": 6,  # P1..P5 and P3 at the first instant; P6 is October's, P7 December's
    "by_type": (
        ("hot_work", 2),
        ("confined_space", 1),
        ("lifting", 1),
        ("road_closure", 1),
        ("work_at_height", 1),
    ),
    "by_grade": (("none", 4), ("1", 1), ("special", 1)),
    "by_contractor": (("C1", 2), ("own_staff", 2), ("C2", 1), ("C3", 1)),
    "approved": 4,  # P1, P2, P3 and P6 (submitted in October, approved in November)
    "lead_median_s": 18000.0,  # leads 3600, 7200, 28800, 30660
    "lead_p90_s": 30660.0,
    "approved_late": 1,  # P2, approved an hour after its planned start
    "escalations": 3,
    "escalated_permits": 2,
    "rejected": 2,
    "sent_back": 2,
    "reasons": (("isolation", 1, 1), ("jsa", 0, 1), ("uncoded", 1, 0)),
    "green_channel": 1,
    "reviews_accepted": 1,
    "review_findings": 1,
    "gas_starts": 3,
    "gas_on_time": 1,
    "stops_auto": 1,
    "stops_manual": 2,
    "stops_not_executed": 1,
    "stop_exec_median_s": 60.0,  # 30 s and 90 s
    "stop_exec_p90_s": 90.0,
    "alarms": 3,
}


def _permit(pid: str, ptype: PermitType, created: datetime, valid_from: datetime, **kw: object) -> Permit:
    return Permit(
        id=pid,
        type=ptype,
        status=kw.pop("status", PermitStatus.APPROVED),
        site_id="S1",
        area_id=str(kw.pop("area", "A1")),
        valid_from=valid_from,
        valid_to=valid_from + timedelta(hours=8),
        applicant="W-1",
        supervisor="W-2",
        created_at=created,
        updated_at=created,
        **kw,
    )


def build_month(db: Database) -> None:
    """The small plant (its HW-1 in 2027, out of the way) and the month's permits, signatures, events,
    audit entries, gas tests, stop commands and alarms."""
    build_small_plant(db, t(1, 0, month=3).replace(year=2027))
    with db.session() as s:
        for code in ("C1", "C2", "C3"):
            s.add(Contractor(code=code, name=f"承包商{code}"))
        s.flush()
        hw1 = HotWorkGrade.GRADE_1
        s.add_all(
            [
                _permit("P1", PermitType.HOT_WORK, t(2, 0), t(2, 4), grade=hw1, contractor_code="C1"),
                _permit(
                    "P2",
                    PermitType.HOT_WORK,
                    t(3, 0),
                    t(3, 1),
                    grade=hw1,
                    effective_grade=HotWorkGrade.SPECIAL,
                    contractor_code="C1",
                ),
                _permit("P3", PermitType.CONFINED_SPACE, t(31, 16, month=10), t(1, 2)),
                _permit("P4", PermitType.LIFTING, t(10, 0), t(10, 6), contractor_code="C2"),
                _permit("P5", PermitType.WORK_AT_HEIGHT, t(11, 0), t(11, 6), contractor_code="C3"),
                _permit("P8", PermitType.ROAD_CLOSURE, t(30, 15, 59, 59), t(30, 20)),
                _permit(
                    "P6", PermitType.HOT_WORK, t(31, 15, 59, month=10), t(1, 12), grade=HotWorkGrade.GRADE_2
                ),
                _permit("P7", PermitType.LIFTING, t(30, 16), t(30, 20)),
            ]
        )
        s.flush()
        _events(s)
        _signatures(s)
        _commands(s)
        _alarms(s)
        _near_misses(s)
        s.commit()


def _events(s: Session) -> None:

    def event(pid: str, ts: datetime, kind: str, **detail: object) -> None:
        s.add(PermitEventRow(permit_id=pid, ts=ts, type=kind, by=LEAD, detail=dict(detail)))

    event("P1", t(2, 1), "approved")  # lead 3600 s
    event("P2", t(3, 2), "approved", green_channel=True)  # 7200 s, after valid_from 01:00: late
    event("P3", t(1, 0), "approved")  # 28800 s
    event("P6", t(1, 0, 30), "approved")  # 30660 s (submitted 10-31 15:59 UTC)
    event("P7", t(30, 16, 30), "approved")  # December in the plant
    event("P2", t(3, 1, 15), "escalated", step=0)
    event("P2", t(3, 1, 30), "escalated", step=1)
    event("P4", t(10, 6, 20), "escalated", step=0)
    event("P6", t(31, 15, 59, 30, month=10), "escalated", step=0)  # October
    # starts: P1 tested 20 min before (on time); P2 tested 90 min before; P3's test failed;
    # P4 is lifting (no gas test); P6 started in December
    event("P1", t(2, 4), "started")
    event("P2", t(3, 2, 30), "started")
    event("P3", t(1, 2), "started")
    event("P4", t(10, 7), "started")
    event("P6", t(30, 16, 1), "started")
    s.add(GasTest(permit_id="P1", taken_at=t(2, 3, 40), by="W-1", passed=True))
    s.add(GasTest(permit_id="P2", taken_at=t(3, 1), by="W-1", passed=True))
    s.add(GasTest(permit_id="P3", taken_at=t(1, 1, 50), by="W-1", passed=False))
    s.add(GasTest(permit_id="P6", taken_at=t(30, 15, 50), by="W-1", passed=True))


def _signatures(s: Session) -> None:

    def signed(pid: str, ts: datetime, decision: ApprovalDecision, reason: str) -> None:
        s.add(
            Approval(
                permit_id=pid,
                level="operating_unit",
                signer=LEAD,
                signed_at=ts,
                decision=decision,
                reason=reason,
                content_hash="0" * 64,
            )
        )

    signed("P4", t(10, 1), ApprovalDecision.SEND_BACK, "isolation: 盲板未加")
    signed("P4", t(10, 2), ApprovalDecision.SEND_BACK, "[jsa] JSA missing the crane's path")
    signed("P4", t(10, 3), ApprovalDecision.REJECT, "isolation(point=V-12): 隔离点未上锁")
    signed("P5", t(11, 1), ApprovalDecision.REJECT, "人员不足")
    signed("P7", t(30, 16, 10), ApprovalDecision.REJECT, "isolation: December")
    signed("P1", t(2, 1), ApprovalDecision.APPROVE, "")
    s.flush()
    append_audit(s, actor=LEAD, action="permit.approve_green_channel", subject="P2", details={}, ts=t(3, 2))
    append_audit(s, actor="mgr.sun", action="permit.approve", subject="P1", details={}, ts=t(2, 1))
    for pid, outcome, ts in (
        ("P2", "finding", t(4, 2)),
        ("P1", "accepted", t(4, 3)),
        ("P6", "finding", t(31, 15, month=10)),
    ):
        details = {"note": "looked", "outcome": outcome}
        append_audit(
            s,
            actor="mgr.sun",
            action="permit.green_channel_reviewed",
            subject=pid,
            details=details,
            ts=ts,
        )


def _commands(s: Session) -> None:

    def stop(cid: str, ts: datetime, *, auto: bool, kind: CommandKind = CommandKind.STOP) -> None:
        s.add(
            Command(
                command_id=cid,
                kind=kind,
                site_id="S1",
                area_id="A1",
                permits=[],
                issued_by="system" if auto else LEAD,
                auto=auto,
                issued_at=ts,
            )
        )

    def ack(cid: str, status: str, received: datetime) -> None:
        s.add(CommandAckRow(command_id=cid, ts=received, status=status, by="W-1", received_at=received))

    stop("c-auto", t(5, 10), auto=True)
    ack("c-auto", "received", t(5, 10, 0, 5))
    ack("c-auto", "executed", t(5, 10, 0, 30))
    stop("c-man", t(6, 10), auto=False)
    ack("c-man", "executed", t(6, 10, 1, 30))
    ack("c-man", "executed", t(6, 10, 3, 20))
    stop("c-never", t(7, 10), auto=False)
    ack("c-never", "received", t(7, 10, 0, 5))
    stop("c-resume", t(6, 12), auto=False, kind=CommandKind.RESUME)
    stop("c-oct", t(31, 15, month=10), auto=True)


def _alarms(s: Session) -> None:

    def alarm(aid: str, ts: datetime, frm: str, to: str) -> None:
        s.add(
            AlarmJournalEntry(
                alarm_id=aid,
                ts=ts,
                site_id="S1",
                area_id="A1",
                source="GD-1/LEL",
                condition="HI",
                priority=2,
                from_state=frm,
                to_state=to,
            )
        )

    alarm("a1", t(5, 9), "normal", "active_unack")
    alarm("a1", t(5, 9, 5), "active_unack", "active_ack")
    alarm("a1", t(5, 9, 30), "active_ack", "normal")
    alarm("a1", t(8, 9), "normal", "active_unack")
    alarm("a2", t(9, 9), "normal", "active_unack")
    alarm("a3", t(31, 15, month=10), "normal", "active_unack")  # October


def _near_misses(s: Session) -> None:
    """November (plant time): 2 dropped objects and 1 gas release; one in October; one at 00:30 on
    December 1st in Shanghai (16:30 UTC on November 30th): the next month's."""
    for n, (category, at) in enumerate(
        (
            ("dropped_object", t(5, 3)),
            ("gas_release", t(10, 3)),
            ("dropped_object", t(20, 3)),
            ("fall_from_height", t(20, 3, month=10)),
            ("gas_release", t(30, 16, 30)),
        ),
        start=1,
    ):
        s.add(
            NearMiss(
                occurred_at=at,
                recorded_at=at,
                site_id="S1",
                area_id="A1",
                category=category,
                source="operator",
                description="",
                recorded_by="op.li",
                message_id=f"NM-{n}",
            )
        )
