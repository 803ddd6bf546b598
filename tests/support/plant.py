"""A small plant written straight into the database, so a test says exactly what it holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.orm import Session

from connectors.database import Database
from models.passwords import hash_password
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType, RiskLevel, Role
from models.schema import (
    Area,
    Detector,
    DetectorChannel,
    EmergencyContact,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
)

USERS = {
    "op.li": (Role.OPERATOR, None),
    "lead.wang": (Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT),
    "ic.zhao": (Role.INCIDENT_COMMANDER, None),
    "mgr.sun": (Role.SAFETY_MANAGER, None),
}
PASSWORD = "test-pass"


@cache
def password_hash() -> str:
    """PASSWORD hashed once per run: scrypt costs 40-50 ms a hash, four users each time were most of
    a small plant's build (0.2 of 0.24 s), in hundreds of tests. The demo seed shares one hash too."""
    return hash_password(PASSWORD)


def build_small_plant(
    db: Database,
    now: datetime,
    *,
    permit_type: PermitType = PermitType.HOT_WORK,
    checked_in: timedelta | None = timedelta(minutes=5),
) -> None:
    """Site S1 with areas A1 (detector GD-1: LEL, O2, H2S) and A2 (no permits); HW-1 active in A1.

    HW-1's supervisor W-2 checked in ``checked_in`` ago, as on a plant at work (None: never, so the
    check-in is overdue 30 min after the start)."""
    with db.session() as s:
        s.add(Site(id="S1", name="一号厂区", plan_width_m=200, plan_height_m=100))
        s.flush()
        s.add(
            Area(
                site_id="S1",
                id="A1",
                name="加氢装置",
                polygon=[[0, 0], [50, 0], [50, 40], [0, 40]],
                risk_level=RiskLevel.MAJOR,
                is_hazard_area=True,
                guidance="撤离至东门集合点",
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
        s.flush()
        s.add(EmergencyContact(site_id="S1", area_id="A1", name="张安全", role="安全员", phone="13800000001"))
        s.add(Detector(id="GD-1", site_id="S1", area_id="A1", x=10, y=10))
        s.flush()
        for ch, unit in (("LEL", "%LEL"), ("O2", "%VOL"), ("H2S", "ppm")):
            s.add(DetectorChannel(detector_id="GD-1", ch=ch, unit=unit))
        s.add(Worker(id="W-1", name="李焊工", trade="焊接与热切割"))
        s.add(Worker(id="W-2", name="王监护", trade="监护"))
        for name, (role, level) in USERS.items():
            s.add(
                User(
                    username=name,
                    display_name=name,
                    role=role,
                    approval_level=level,
                    password_hash=password_hash(),
                )
            )
        s.flush()
        s.add(
            Permit(
                id="HW-1",
                type=permit_type,
                grade=HotWorkGrade.GRADE_1 if permit_type is PermitType.HOT_WORK else None,
                status=PermitStatus.ACTIVE,
                site_id="S1",
                area_id="A1",
                valid_from=now - timedelta(hours=1),
                valid_to=now + timedelta(hours=5),
                applicant="W-1",
                supervisor="W-2",
                description="更换法兰垫片",
                prerequisites={"jsa": True, "isolation": True, "gas_test": True},
                created_at=now - timedelta(hours=2),
                updated_at=now - timedelta(hours=1),
            )
        )
        s.flush()
        s.add(PermitWorker(permit_id="HW-1", worker_id="W-1"))
        _hw1_started(s, now, checked_in)


def _hw1_started(s: Session, now: datetime, checked_in: timedelta | None) -> None:
    """Active hot work as the rules want it: a passing gas test, then the start (GB 30871 §5.3), then
    the supervisor's check-in (when given)."""
    s.add(
        GasTest(
            permit_id="HW-1",
            taken_at=now - timedelta(minutes=40),
            by="W-2",
            passed=True,
            readings=[{"ch": "LEL", "v": 0.0, "u": "%LEL"}, {"ch": "O2", "v": 20.9, "u": "%VOL"}],
        )
    )
    s.add(PermitEventRow(permit_id="HW-1", ts=now - timedelta(minutes=30), type="started", by="W-2"))
    if checked_in is not None:
        s.add(PermitEventRow(permit_id="HW-1", ts=now - checked_in, type="checkin", by="W-2", detail={}))
