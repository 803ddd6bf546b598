"""A hand-made plant with known answers for the contractor performance report and the heat map.

One site (Asia/Shanghai), areas A1 and A2; the period 2026-09-01 to 2026-11-30 in plant time.

- C1 (active): P1 in A1 worked 2026-09-10 20:00 to 09-11 02:00 (across midnight: 4 h and 2 h);
  P2 in A2 started 10-05 06:00, stopped 10-06 06:00, resumed 10-07 06:00, runs to its validity's end
  10-14 00:00 (24 h + 162 h). Violations 3 + 2 points in the period, 1 point before it. Two stop
  commands name its permits in the period (one names P1 and P2: counted once). One worker's certificate
  lapses 10-31 (the other 12-31, after the period).
- C2 (active): P3 worked only in August; P4 approved, never started; P5 in A1 started 11-30 22:00,
  nothing after it, valid to 12-01 04:00 (2 h in the period). 6 points at 11-30 23:30 (inside), more
  at 12-01 00:30 (outside). Its qualification lapsed 10-15. A stop at 12-01 01:00 is outside.
  A worker's certificates end 08-31 (outside) and 09-01 (inside).
- C3 (active): nothing. C4 (inactive): one violation of 1 point. C5 (inactive): nothing, not listed.
- Near misses: C1 two in the period (09-12, P1's; 11-29 23:59) and one before (08-20); C2 one after
  (12-01 00:10); one without a contractor (10-08).
- P6 in A2, no contractor: 10-08 10:00-13:00.
- Alarms in A1: raised 09-10 21:00 (acknowledged 21:05), raised 09-09 23:59 (the day before).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from connectors.database import Database
from models.records import PermitStatus, PermitType, RiskLevel
from models.schema import (
    AlarmJournalEntry,
    Area,
    Certificate,
    Command,
    CommandKind,
    Contractor,
    ContractorGrade,
    ContractorQualification,
    ContractorViolation,
    NearMiss,
    Permit,
    PermitEventRow,
    Site,
    Worker,
)

SH = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2026, 9, 1), date(2026, 11, 30)
NOW = datetime(2026, 12, 6, 4, 0, tzinfo=SH)


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def _permit(
    pid: str, area: str, contractor: str | None, valid: tuple[datetime, datetime], status: PermitStatus
) -> Permit:
    return Permit(
        id=pid,
        type=PermitType.HOT_WORK,
        status=status,
        site_id="S1",
        area_id=area,
        valid_from=valid[0],
        valid_to=valid[1],
        applicant="W-1",
        supervisor="W-2",
        contractor_code=contractor,
        created_at=valid[0] - timedelta(hours=1),
        updated_at=valid[0],
    )


def build_performance_plant(db: Database) -> None:
    with db.session() as s:
        _registers(s)
        _permits(s)
        _records(s)


def _registers(s: Session) -> None:
    s.add(Site(id="S1", name="一号厂区", plan_width_m=200, plan_height_m=100))
    s.flush()
    s.add(
        Area(
            site_id="S1",
            id="A1",
            name="加氢装置",
            polygon=[[0, 0], [50, 0], [50, 40], [0, 40]],
            risk_level=RiskLevel.MAJOR,
        )
    )
    s.add(
        Area(
            site_id="S1",
            id="A2",
            name="罐区",
            polygon=[[60, 0], [120, 0], [120, 40], [60, 40]],
            risk_level=RiskLevel.HIGH,
        )
    )
    s.add(Area(site_id="S1", id="A3", name="空地", polygon=[[130, 0], [190, 0], [190, 40], [130, 40]]))
    for code, name, active, grade in (
        ("C1", "华东检修工程有限公司", True, ContractorGrade.C),
        ("C2", "鑫达防腐安装公司", True, ContractorGrade.C),
        ("C3", "安达脚手架公司", True, ContractorGrade.A),
        ("C4", "旧约清洗公司", False, ContractorGrade.B),
        ("C5", "停用公司", False, ContractorGrade.A),
    ):
        s.add(Contractor(code=code, name=name, active=active, grade=grade))
    s.flush()
    s.add(ContractorQualification(contractor_code="C1", name="安全生产许可证", valid_to=date(2027, 6, 30)))
    s.add(ContractorQualification(contractor_code="C2", name="安全生产许可证", valid_to=date(2026, 10, 15)))
    s.add(ContractorQualification(contractor_code="C3", name="安全生产许可证", valid_to=date(2028, 1, 1)))
    for wid, code in (("W-1", "C1"), ("W-2", "C2"), ("W-3", "C1")):
        s.add(Worker(id=wid, name=f"工人{wid}", contractor_code=code))
    s.flush()
    for n, (wid, end) in enumerate(
        (
            ("W-1", date(2026, 10, 31)),
            ("W-3", date(2026, 12, 31)),
            ("W-2", date(2026, 8, 31)),
            ("W-2", date(2026, 9, 1)),
        )
    ):
        s.add(
            Certificate(
                worker_id=wid, number=f"T{n}", trade="焊接", valid_from=date(2023, 1, 1), valid_to=end
            )
        )


def _permits(s: Session) -> None:
    s.add(_permit("P1", "A1", "C1", (at(9, 10, 8), at(9, 11, 8)), PermitStatus.CLOSED))
    s.add(_permit("P2", "A2", "C1", (at(10, 5), at(10, 14)), PermitStatus.EXPIRED))
    s.add(_permit("P3", "A1", "C2", (at(8, 20), at(8, 26)), PermitStatus.CLOSED))
    s.add(_permit("P4", "A1", "C2", (at(11, 2), at(11, 3)), PermitStatus.APPROVED))
    s.add(_permit("P5", "A1", "C2", (at(11, 30, 21), at(12, 1, 4)), PermitStatus.ACTIVE))
    s.add(_permit("P6", "A2", None, (at(10, 8, 8), at(10, 8, 18)), PermitStatus.CLOSED))
    s.flush()
    for pid, ts, kind in (
        ("P1", at(9, 10, 20), "started"),
        ("P1", at(9, 10, 21), "gas_test"),
        ("P1", at(9, 11, 2), "completed"),
        ("P1", at(9, 11, 3), "closed"),
        ("P2", at(10, 5, 6), "started"),
        ("P2", at(10, 6, 6), "suspended"),
        ("P2", at(10, 7, 6), "resumed"),
        ("P3", at(8, 20, 9), "started"),
        ("P3", at(8, 25, 9), "closed"),
        ("P4", at(11, 2, 1), "approved"),
        ("P5", at(11, 30, 22), "started"),
        ("P6", at(10, 8, 10), "started"),
        ("P6", at(10, 8, 13), "completed"),
    ):
        s.add(PermitEventRow(permit_id=pid, ts=ts, type=kind, by="W-2"))


def _near_misses(s: Session) -> None:
    for n, (contractor, ts, permit) in enumerate(
        (
            ("C1", at(9, 12, 9), "P1"),
            ("C1", at(11, 29, 23, 59), None),
            ("C1", at(8, 20, 9), None),
            ("C2", at(12, 1, 0, 10), None),
            (None, at(10, 8, 11), "P6"),
        ),
        start=1,
    ):
        s.add(
            NearMiss(
                occurred_at=ts,
                recorded_at=ts,
                site_id="S1",
                area_id="A1",
                permit_id=permit,
                contractor_id=contractor,
                category="dropped_object",
                source="operator",
                description="扳手坠落",
                recorded_by="op.li",
                message_id=f"NM-{n}",
            )
        )


def _records(s: Session) -> None:
    _near_misses(s)
    for code, ts, pts in (
        ("C1", at(9, 15, 10), 3),
        ("C1", at(10, 20, 10), 2),
        ("C1", at(8, 15, 10), 1),
        ("C2", at(11, 30, 23, 30), 6),
        ("C2", at(12, 1, 0, 30), 4),
        ("C4", at(9, 2, 10), 1),
    ):
        s.add(ContractorViolation(contractor_code=code, at=ts, description="未按规定佩戴防护", points=pts))
    for cid, kind, ts, permits in (
        ("c-1", CommandKind.STOP, at(10, 6, 6), ["P2"]),
        ("c-2", CommandKind.RESUME, at(10, 7, 6), ["P2"]),
        ("c-3", CommandKind.STOP, at(9, 10, 23), ["P1", "P2"]),
        ("c-4", CommandKind.STOP, at(12, 1, 1), ["P5"]),
        ("c-5", CommandKind.STOP, at(10, 8, 12), ["P6"]),
    ):
        s.add(
            Command(
                command_id=cid,
                kind=kind,
                site_id="S1",
                area_id="A1",
                permits=permits,
                issued_by="op",
                issued_at=ts,
            )
        )
    for n, (ts, before, after) in enumerate(
        (
            (at(9, 10, 21), "normal", "active_unack"),
            (at(9, 10, 21, 5), "active_unack", "active_ack"),
            (at(9, 9, 23, 59), "normal", "active_unack"),
        )
    ):
        s.add(
            AlarmJournalEntry(
                alarm_id=f"al-{n}",
                ts=ts,
                site_id="S1",
                area_id="A1",
                source="GD-1/LEL",
                condition="HI",
                priority=2,
                from_state=before,
                to_state=after,
            )
        )
