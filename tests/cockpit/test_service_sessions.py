"""Every act of every service takes a login's session, never a name (issue 19 part 2, "a made-up actor
refused in each service").

Each act below is tried with five sessions that must not act: one signed with another secret (a forged
MAC), a plain ``Actor`` (not a login's session at all), a signed one of a user the database lacks, and
real sessions of a user disabled, or given another role, after the login. Each is refused with its
code, and the database is exactly as before: no row changed, no audit entry. Then a real login (the
password checked) acts in each service and the audit entry names that user. SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, func, make_url, select, text

from cockpit.detector_register import DetectorRegister
from cockpit.inspection.register import EquipmentInput, InspectionRegister, RouteInput
from cockpit.inspection.work_orders import WorkOrderService
from cockpit.people_inputs import (
    CertificateInput,
    ContractorInput,
    ExamInput,
    QualificationInput,
    TrainingInput,
    ViolationInput,
    WorkerInput,
)
from cockpit.people_register import PeopleRegister
from cockpit.permit_service import PermitService
from cockpit.plant_register import ContactInput, PlantRegister
from cockpit.register_io.service import RegisterIO, write_template
from cockpit.report.handover_service import sign_and_store
from cockpit.roles import Actor
from cockpit.sessions import (
    ROLE_CHANGED,
    SESSION_FORGED,
    SESSION_MISSING,
    USER_INACTIVE,
    USER_UNKNOWN,
    SessionKeys,
    SessionRefused,
)
from cockpit.site_plans import SitePlans
from cockpit.users import UserAdmin
from connectors.database import Database
from models.records import ApprovalLevel, RiskLevel, Role
from models.schema import AuditEntry, Base, User
from tests.support.fresh_db import open_fresh
from tests.support.plant import PASSWORD, build_small_plant, password_hash
from tests.support.plant_db import png_bytes
from tests.support.sessions import TEST_KEYS, as_user, login

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai


@dataclass
class Services:
    """Every service a person acts through, built as ``views/factories.py`` builds them."""

    db: Database
    folder: Path
    permits: PermitService
    plant: PlantRegister
    plans: SitePlans
    detectors: DetectorRegister
    people: PeopleRegister
    users: UserAdmin
    files: RegisterIO
    inspection: InspectionRegister
    orders: WorkOrderService


def _services(db: Database, folder: Path) -> Services:
    clock = lambda: NOW  # noqa: E731
    return Services(
        db,
        folder,
        PermitService(db, keys=TEST_KEYS, clock=clock),
        PlantRegister(db, TEST_KEYS, clock=clock),
        SitePlans(db, TEST_KEYS, clock=clock),
        DetectorRegister(db, TEST_KEYS, clock=clock),
        PeopleRegister(db, TEST_KEYS, clock=clock),
        UserAdmin(db, TEST_KEYS, clock=clock),
        RegisterIO(db, TEST_KEYS, clock=clock),
        InspectionRegister(db, TEST_KEYS, clock=clock),
        WorkOrderService(db, TEST_KEYS, clock=clock),
    )


def _plant(db: Database, folder: Path) -> Services:
    build_small_plant(db, NOW)
    with db.session() as s:
        s.add(User(username="boss", display_name="boss", role=Role.ADMIN, password_hash=password_hash()))
        s.commit()
    (folder / "plan.png").write_bytes(png_bytes(400, 200))
    write_template("contractors", folder / "contractors.xlsx", lang="en")
    book = Workbook()  # the inspection register's file: an item in the small plant's area
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Equipment code",
            "Site code",
            "Area code",
            "Equipment name",
            "Tag code",
            "Checklist (separated by ;)",
        ]
    )
    sheet.append(["EQ-8", "S1", "A1", "泵", "P-8", "泄漏；压力"])
    book.save(folder / "equipment.xlsx")
    return _services(db, folder)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def plant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One plant per database for the refusals (a refused act changes nothing, which each test checks)."""
    folder = tmp_path_factory.mktemp("sessions")
    if request.param == "sqlite":
        db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
        yield _plant(db, folder)
        db.dispose()
        return
    pg_url: str = request.getfixturevalue("pg_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = open_fresh(
        make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    )
    try:
        yield _plant(db, folder)
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


Act = Callable[[Services, Any], object]

# (name, a user whose role may do it, the act with valid input). Input is valid so that only the
# session can be what refuses it.
ACTS: list[tuple[str, str, Act]] = [
    ("permit.approve", "lead.wang", lambda v, s: v.permits.approve("HW-1", s, PASSWORD)),
    ("permit.reject", "lead.wang", lambda v, s: v.permits.reject("HW-1", s, "made up")),
    ("permit.send_back", "lead.wang", lambda v, s: v.permits.send_back("HW-1", s, "made up")),
    ("permit.suspend", "lead.wang", lambda v, s: v.permits.suspend("HW-1", s, "made up")),
    ("permit.close", "lead.wang", lambda v, s: v.permits.close("HW-1", s)),
    ("permit.review", "mgr.sun", lambda v, s: v.permits.review_green_channel("HW-1", s, "looked")),
    ("permit.review_queue", "mgr.sun", lambda v, s: v.permits.green_channel_queue(s)),
    ("permit.user_info", "lead.wang", lambda v, s: v.permits.user_info(s)),
    ("permit.queue_marks", "lead.wang", lambda v, s: v.permits.queue_marks(s, ["HW-1"])),
    ("plant.save_site", "boss", lambda v, s: v.plant.save_site(s, "S9", "九号厂区")),
    (
        "plant.save_area",
        "boss",
        lambda v, s: v.plant.save_area(s, "S1", "A9", "新装置", risk_level=RiskLevel.LOW),
    ),
    (
        "plant.set_contacts",
        "boss",
        lambda v, s: v.plant.set_contacts(s, "S1", "A1", [ContactInput("王班长", "13800000002")]),
    ),
    ("plan.load", "boss", lambda v, s: v.plans.load(s, "S1", png_bytes(400, 200), m_per_px=0.5)),
    ("plan.load_file", "boss", lambda v, s: v.plans.load_file(s, "S1", v.folder / "plan.png")),
    ("plan.set_scale", "boss", lambda v, s: v.plans.set_scale(s, "S1", 0.5)),
    ("plan.save_polygon", "boss", lambda v, s: v.plans.save_polygon(s, "S1", "A1", [(0, 0), (9, 0), (9, 9)])),
    ("plan.delete_polygon", "boss", lambda v, s: v.plans.delete_polygon(s, "S1", "A1")),
    ("detector.save_detector", "boss", lambda v, s: v.detectors.save_detector(s, "S1", "A1", "GD-9")),
    ("detector.save_channel", "boss", lambda v, s: v.detectors.save_channel(s, "GD-1", "CO", unit="ppm")),
    ("detector.delete_channel", "boss", lambda v, s: v.detectors.delete_channel(s, "GD-1", "H2S")),
    ("detector.save_wind_mast", "boss", lambda v, s: v.detectors.save_wind_mast(s, "S1", "A1", "WM-9")),
    ("people.save_contractor", "boss", lambda v, s: v.people.save_contractor(s, ContractorInput("C9", "新"))),
    ("people.set_contractor_active", "boss", lambda v, s: v.people.set_contractor_active(s, "C9", False)),
    ("people.set_blacklist", "boss", lambda v, s: v.people.set_blacklist(s, "C9", True, "made up")),
    ("people.override_grade", "boss", lambda v, s: v.people.override_grade(s, "C9", "A", "made up")),
    (
        "people.save_qualification",
        "boss",
        lambda v, s: v.people.save_qualification(
            s, QualificationInput("C9", "安全生产许可证", "AQ-9", "", "2024-01-01", "2029-01-01")
        ),
    ),
    ("people.remove_qualification", "boss", lambda v, s: v.people.remove_qualification(s, 1)),
    ("people.save_worker", "boss", lambda v, s: v.people.save_worker(s, WorkerInput("W-9", "新工人"))),
    ("people.set_worker_active", "boss", lambda v, s: v.people.set_worker_active(s, "W-1", False)),
    (
        "people.save_certificate",
        "boss",
        lambda v, s: v.people.save_certificate(
            s, CertificateInput("W-1", "T-9", "焊接与热切割", "2024-01-01", "2029-01-01")
        ),
    ),
    ("people.remove_certificate", "boss", lambda v, s: v.people.remove_certificate(s, 1)),
    (
        "people.add_training",
        "boss",
        lambda v, s: v.people.add_training(s, TrainingInput("W-1", "入场培训", "2026-01-05")),
    ),
    ("people.remove_training", "boss", lambda v, s: v.people.remove_training(s, 1)),
    (
        "people.record_exam",
        "boss",
        lambda v, s: v.people.record_exam(s, ExamInput("W-1", True, "2026-01-05")),
    ),
    (
        "people.record_violation",
        "boss",
        lambda v, s: v.people.record_violation(s, ViolationInput("未戴安全帽", 1, worker_id="W-1")),
    ),
    ("users.list", "boss", lambda v, s: v.users.users(s)),
    (
        "users.create",
        "boss",
        lambda v, s: v.users.create(s, "eve", display_name="", role=Role.ADMIN, password="a long password 9"),
    ),
    (
        "users.set_role",
        "boss",
        lambda v, s: v.users.set_role(s, "op.li", Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT),
    ),
    ("users.reset_password", "boss", lambda v, s: v.users.reset_password(s, "op.li", "a long password 9")),
    ("users.disable", "boss", lambda v, s: v.users.disable(s, "op.li")),
    ("users.enable", "boss", lambda v, s: v.users.enable(s, "op.li")),
    ("users.bind_worker", "boss", lambda v, s: v.users.bind_worker(s, "op.li", "W-1")),
    (
        "files.import",
        "boss",
        lambda v, s: v.files.import_file(s, "contractors", v.folder / "contractors.xlsx"),
    ),
    ("files.export", "boss", lambda v, s: v.files.export(s, "contractors", v.folder / "out.xlsx")),
    (
        "files.import_equipment",
        "boss",
        lambda v, s: v.files.import_file(s, "equipment", v.folder / "equipment.xlsx"),
    ),
    ("files.export_routes", "boss", lambda v, s: v.files.export(s, "routes", v.folder / "out.xlsx")),
    (
        "inspection.save_equipment",
        "boss",
        lambda v, s: v.inspection.save_equipment(
            s, EquipmentInput("EQ-9", "S1", "A1", "泵", "P-9", ["泄漏"])
        ),
    ),
    (
        "inspection.save_route",
        "boss",
        lambda v, s: v.inspection.save_route(s, RouteInput("R-9", "S1", "A1", "巡检", ["EQ-9"])),
    ),
    ("inspection.set_area_owner", "boss", lambda v, s: v.inspection.set_area_owner(s, "S1", "A1", "op.li")),
    ("inspection.draw_spot_checks", "boss", lambda v, s: v.inspection.draw_spot_checks(s, "2026-12", 1, 1)),
    (
        "handover.sign",
        "lead.wang",
        lambda v, s: sign_and_store(
            v.db,
            keys=TEST_KEYS,
            login=s,
            start=NOW - timedelta(hours=12),
            end=NOW,
            site="S1",
            outgoing=("lead.wang", PASSWORD),
            incoming=("boss", PASSWORD),
            now=NOW,
        ),
    ),
    ("workorder.report_fixed", "boss", lambda v, s: v.orders.report_fixed(s, "WO-9", "repaired")),
    ("workorder.verify_close", "boss", lambda v, s: v.orders.verify_close(s, "WO-9", "checked")),
]


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every row of every table: what "nothing changed" is checked against."""
    with db.session() as s:
        return {
            t.name: sorted(repr(tuple(r)) for r in s.execute(select(t))) for t in Base.metadata.sorted_tables
        }


def _set(db: Database, username: str, **values: object) -> None:
    with db.session() as s:
        user = s.get(User, username)
        assert user is not None
        for name, value in values.items():
            setattr(user, name, value)
        s.commit()


def _stored(db: Database, username: str) -> tuple[bool, Role, ApprovalLevel | None]:
    with db.session() as s:
        user = s.get(User, username)
        assert user is not None
        return user.active, Role(user.role), user.approval_level


@pytest.mark.parametrize(("name", "user", "act"), ACTS, ids=[a[0] for a in ACTS])
def test_a_made_up_actor_is_refused_and_nothing_changes(
    plant: Services, name: str, user: str, act: Act
) -> None:
    db = plant.db
    active, role, level = _stored(db, user)
    other = Role.OPERATOR if role is not Role.OPERATOR else Role.SHIFT_LEAD
    tries: list[tuple[str, Callable[[], object], Callable[[], None]]] = [
        (SESSION_FORGED, lambda: as_user(db, user, SessionKeys()), lambda: None),  # another secret's MAC
        (SESSION_MISSING, lambda: Actor(user, Role.ADMIN, user), lambda: None),  # a role the caller states
        (USER_UNKNOWN, lambda: as_user(db, "ghost"), lambda: None),  # signed, but no such user (removed)
        (USER_INACTIVE, lambda: as_user(db, user), lambda: _set(db, user, active=False)),
        (ROLE_CHANGED, lambda: as_user(db, user), lambda: _set(db, user, role=other, approval_level=None)),
    ]
    for code, session_of, after_login in tries:
        session = session_of()
        after_login()
        before = snapshot(db)
        try:
            with pytest.raises(SessionRefused) as refused:
                act(plant, session)
            assert refused.value.code == code, (name, refused.value)
            assert snapshot(db) == before, f"{name} changed the database for a refused session ({code})"
        finally:
            _set(db, user, active=active, role=role, approval_level=level)
    assert not (plant.folder / "out.xlsx").exists()  # a refused export wrote no file either


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    db = open_fresh(url)
    try:
        yield _plant(db, tmp_path)
    finally:
        db.dispose()


def _audit_since(db: Database, seq: int) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq))
        return [(r.actor, r.action) for r in rows]


def _head(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.max(AuditEntry.seq))) or 0)


def test_a_real_login_acts_in_every_service_and_the_audit_names_the_user(fresh: Services) -> None:
    db = fresh.db
    boss, lead = login(db, "boss"), login(db, "lead.wang")  # the password checked against the database
    steps: list[tuple[str, Callable[[], object], str]] = [
        ("lead.wang", lambda: fresh.permits.suspend("HW-1", lead, "LEL rising"), "permit.suspended"),
        ("boss", lambda: fresh.plant.save_site(boss, "S9", "九号厂区"), "register.site_create"),
        (
            "boss",
            lambda: fresh.plans.load(boss, "S1", png_bytes(400, 200), m_per_px=0.5),
            "register.plan_load",
        ),
        ("boss", lambda: fresh.detectors.save_detector(boss, "S1", "A1", "GD-9"), "register.detector"),
        (
            "boss",
            lambda: fresh.people.save_contractor(boss, ContractorInput("C9", "新承包商")),
            "register.contractor_create",
        ),
        (
            "boss",
            lambda: fresh.users.create(
                boss, "eve", display_name="", role=Role.OPERATOR, password="a long password 9"
            ),
            "user.create",
        ),
        (
            "boss",
            lambda: fresh.inspection.save_equipment(
                boss, EquipmentInput("EQ-9", "S1", "A1", "泵", "P-9", ["泄漏"])
            ),
            "inspection.equipment_create",
        ),
        (
            "boss",
            lambda: fresh.files.import_file(boss, "equipment", fresh.folder / "equipment.xlsx"),
            "inspection.equipment_create",  # a file's rows audited as the screen's saves are
        ),
        (
            "lead.wang",
            lambda: sign_and_store(
                db,
                keys=TEST_KEYS,
                login=lead,
                start=NOW - timedelta(hours=12),
                end=NOW,
                site="S1",
                outgoing=("lead.wang", PASSWORD),
                incoming=("boss", PASSWORD),
                now=NOW,
            ),
            "handover.signed",
        ),
    ]
    for who, step, action in steps:
        seq = _head(db)
        step()
        written = _audit_since(db, seq)
        assert action in {a for _, a in written}, (action, written)
        assert {w for w, _ in written} == {who}, written  # the verified user, and only them
