"""The demo plant: reproducible, believable, and consistent with the GB 30871 rules it demonstrates."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text

from cockpit.demo_seed import DEMO_PASSWORD, SeedSummary, seed_demo
from connectors.database import Database
from models.audit import canonical_json, verify_chain
from models.errors import UserError
from models.passwords import verify_password
from models.queries import area_detail, areas_with_detectors, plant_detectors, registered_channel_keys
from models.records import ApprovalLevel, PermitStatus, PermitType, Role
from models.rules.approval import may_sign, missing_approvals, required_approvals
from models.rules.validity import gb_max_validity
from models.schema import (
    Approval,
    Area,
    AuditEntry,
    Base,
    Certificate,
    Contractor,
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
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, permit_login

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai: the night shift starts
LIVE = (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in primary-key order, values in one comparable form."""

    def norm(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, dict | list):
            return canonical_json(value)
        return value

    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(norm(v) for v in row) for row in rows]
    return out


def _seeded(path: Path, seed: int = 1) -> tuple[Database, SeedSummary]:
    db = open_fresh(f"sqlite:///{path}")
    return db, seed_demo(db, seed=seed, now=NOW)


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, SeedSummary]]:
    db, summary = _seeded(tmp_path_factory.mktemp("plant") / "demo.db")
    yield db, summary
    db.dispose()


@pytest.fixture(scope="module")
def plant_dump(plant: tuple[Database, SeedSummary]) -> dict[str, list[tuple[Any, ...]]]:
    return dump(plant[0])


# ---------------------------------------------------------------- reproducible


def test_same_seed_and_time_give_identical_databases(tmp_path: Path, plant_dump) -> None:
    db, _ = _seeded(tmp_path / "again.db")
    try:
        assert dump(db) == plant_dump
    finally:
        db.dispose()


def test_another_seed_gives_another_plant(tmp_path: Path, plant_dump) -> None:
    db, summary = _seeded(tmp_path / "other.db", seed=2)
    try:
        other = dump(db)
    finally:
        db.dispose()
    assert summary.permits == 300 + summary.history["permits"]  # the live month and the three months behind
    assert other["workers"] != plant_dump["workers"]
    assert other["permits"] != plant_dump["permits"]


def test_postgres_gets_the_same_plant_as_sqlite(pg_url: str, plant_dump) -> None:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = (
            make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
        db = open_fresh(url)
        try:
            seed_demo(db, seed=1, now=NOW)
            assert dump(db) == plant_dump
        finally:
            db.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_seeding_a_database_with_sites_is_refused(plant: tuple[Database, SeedSummary], plant_dump) -> None:
    db, _ = plant
    with pytest.raises(UserError, match="already holds 3 site"):
        seed_demo(db, seed=1, now=NOW)
    assert dump(db) == plant_dump  # nothing was added


def test_default_time_is_the_current_hour(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'now.db'}")
    try:
        before = datetime.now(UTC)
        summary = seed_demo(db, seed=3)
    finally:
        db.dispose()
    assert summary.now.tzinfo is not None
    assert (summary.now.minute, summary.now.second, summary.now.microsecond) == (0, 0, 0)
    assert timedelta(0) <= before - summary.now < timedelta(hours=1)


# ---------------------------------------------------------------- the plant


def test_counts(plant: tuple[Database, SeedSummary]) -> None:
    db, summary = plant
    with db.session() as s:
        counted = {
            model.__tablename__: s.query(model).count() for model in (Site, Area, Contractor, Worker, Permit)
        }
        types = {p.type for p in s.scalars(select(Permit))}
        statuses = {p.status for p in s.scalars(select(Permit))}
    permits = 300 + summary.history["permits"]  # the live month and the three months behind it
    assert counted == {
        "sites": 3,
        "areas": summary.areas,
        "contractors": 60,
        "workers": 800,
        "permits": permits,
    }
    assert 35 <= summary.areas <= 45
    assert types == set(PermitType)
    assert statuses == set(PermitStatus)
    assert sum(summary.permits_by_status.values()) == permits


def test_areas_lie_on_the_plan_without_overlapping(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        sites = {site.id: site for site in s.scalars(select(Site))}
        boxes: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
        for area in s.scalars(select(Area)):
            xs = [p[0] for p in area.polygon]
            ys = [p[1] for p in area.polygon]
            site = sites[area.site_id]
            assert len(area.polygon) >= 3
            assert 0 <= min(xs) < max(xs) <= site.plan_width_m
            assert 0 <= min(ys) < max(ys) <= site.plan_height_m
            assert re.search(r"[\u4e00-\u9fff]", area.name) and "\n" in area.guidance
            boxes[area.site_id].append((min(xs), min(ys), max(xs), max(ys)))
    for site_boxes in boxes.values():
        for i, a in enumerate(site_boxes):
            for b in site_boxes[i + 1 :]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert {site.timezone for site in sites.values()} == {"Asia/Shanghai"}


def test_every_area_has_one_to_three_reachable_contacts(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        per_area = Counter((c.site_id, c.area_id) for c in s.scalars(select(EmergencyContact)))
        phones = [c.phone for c in s.scalars(select(EmergencyContact))]
        areas = s.query(Area).count()
    assert len(per_area) == areas
    assert set(per_area.values()) <= {1, 2, 3}
    assert all(re.fullmatch(r"1[3-9]\d{9}|\d{4}", phone) for phone in phones)


def test_detectors_cover_most_areas_with_one_wind_mast_per_site(plant: tuple[Database, SeedSummary]) -> None:
    db, summary = plant
    with db.session() as s:
        detectors = plant_detectors(s)
        keys = registered_channel_keys(s)
        areas = {(a.site_id, a.id): a for a in s.scalars(select(Area))}
        units = {(c.ch, c.unit) for c in s.scalars(select(DetectorChannel))}
    gas_areas = {(d.site_id, d.area_id) for d in detectors if d.device_id.startswith("GD-")}
    assert len(gas_areas) >= 0.7 * summary.areas
    wind = [k for k in keys if k.ch == "WIND"]
    assert sorted(k.site for k in wind) == ["CHEM1", "SITE-C", "TANKFARM"]
    assert {"LEL", "O2", "H2S", "CO", "CH4", "NH3", "CL2"} <= {ch for ch, _ in units}
    assert ("LEL", "%LEL") in units and ("O2", "%VOL") in units and ("H2S", "ppm") in units
    for d in detectors:
        polygon = areas[(d.site_id, d.area_id)].polygon
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        assert d.x is not None and d.y is not None
        assert min(xs) <= d.x <= max(xs) and min(ys) <= d.y <= max(ys)
        if d.device_id.startswith("GD-"):
            assert d.device_id.startswith(f"GD-{d.area_id}-")


def test_contractors_and_workers_look_real(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        contractors = list(s.scalars(select(Contractor)))
        workers = list(s.scalars(select(Worker)))
        violations = sum(len(c.violations) for c in contractors)
    assert {c.grade.value for c in contractors} == {"A", "B", "C"}
    assert 1 <= sum(c.blacklisted for c in contractors) <= 6
    assert all(c.blacklist_reason for c in contractors if c.blacklisted)
    assert all(c.name.endswith("有限公司") for c in contractors)
    assert len({c.name for c in contractors}) == 60
    assert violations >= 10
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", w.name) for w in workers)
    assert len({w.name[0] for w in workers}) >= 40  # many surnames
    assert "焊工" in {w.trade for w in workers} and "电工" in {w.trade for w in workers}


def test_certificates_expiring_and_expired(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    today = NOW.date()
    with db.session() as s:
        certs = list(s.scalars(select(Certificate)))
    left = [(c.valid_to - today).days for c in certs]
    assert sum(d < 0 for d in left) >= 3
    assert sum(0 <= d <= 30 for d in left) >= 5
    assert sum(30 < d <= 60 for d in left) >= 5
    assert all(c.valid_from < c.valid_to for c in certs)


def test_nobody_with_an_expired_certificate_is_on_a_live_permit(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        expired = set(s.scalars(select(Certificate.worker_id).where(Certificate.valid_to < NOW.date())))
        on_live = set(
            s.scalars(
                select(PermitWorker.worker_id)
                .join(Permit)
                .where(Permit.status.in_([*LIVE, PermitStatus.APPROVED, PermitStatus.SUBMITTED]))
            )
        )
    assert expired and not (expired & on_live)


def test_active_hot_work_and_confined_space_where_gas_is_measured(
    plant: tuple[Database, SeedSummary],
) -> None:
    db, _ = plant
    with db.session() as s:
        monitored = areas_with_detectors(s)
        combustible = {
            (d.site_id, d.area_id) for d in plant_detectors(s) if {"LEL", "CH4"} & {c.ch for c in d.channels}
        }
        active = list(s.scalars(select(Permit).where(Permit.status == PermitStatus.ACTIVE)))
    hot = [p for p in active if p.type is PermitType.HOT_WORK]
    confined = [p for p in active if p.type is PermitType.CONFINED_SPACE]
    assert len(hot) >= 5 and len(confined) >= 3
    assert all((p.site_id, p.area_id) in combustible for p in hot)
    assert all((p.site_id, p.area_id) in monitored for p in confined)
    assert all(p.valid_from <= NOW < p.valid_to for p in active)


def test_urgent_permits_wait_for_approval(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        urgent = list(
            s.scalars(select(Permit).where(Permit.urgent.is_(True), Permit.status == PermitStatus.SUBMITTED))
        )
        signed = set(s.scalars(select(Approval.permit_id)))
    assert len(urgent) >= 5
    assert all(p.id not in signed for p in urgent)
    assert all(NOW < p.valid_from <= NOW + timedelta(hours=4) for p in urgent)
    assert all(p.created_at <= NOW for p in urgent)


def test_validity_never_exceeds_the_gb_maximum(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        permits = list(s.scalars(select(Permit)))
    for p in permits:
        assert p.valid_from < p.valid_to
        limit = gb_max_validity(p.type, p.effective_grade or p.grade)
        if limit is not None:
            assert p.valid_to - p.valid_from <= limit, p.id
        if p.type is PermitType.HOT_WORK:
            assert p.grade is not None and p.effective_grade is not None
            assert (p.grade != p.effective_grade) <= bool(p.grade_reasons)
        assert re.fullmatch(r"[A-Z]{2}-\d{8}-\d{3}", p.id)


def test_approvals_match_the_rules(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        permits = list(s.scalars(select(Permit)))
        approvals: dict[str, list[Approval]] = defaultdict(list)
        for a in s.scalars(select(Approval)):
            approvals[a.permit_id].append(a)
    signed_statuses = (PermitStatus.APPROVED, *LIVE, PermitStatus.CLOSED, PermitStatus.EXPIRED)
    for p in permits:
        mine = approvals.get(p.id, [])
        for a in mine:
            signer = users[a.signer]
            assert signer.approval_level is not None and may_sign(signer.role, signer.approval_level, a.level)
            assert p.created_at <= a.signed_at <= NOW and len(a.content_hash) == 64
        if p.status in signed_statuses:
            required = required_approvals(p.type, p.effective_grade)
            assert missing_approvals(required, [a.level for a in mine if a.decision.value == "approve"]) == []
        elif p.status is PermitStatus.SUBMITTED:
            assert mine == []
        elif p.status is PermitStatus.REJECTED:
            assert [a.decision.value for a in mine] == ["reject"] and mine[0].reason


def test_gas_tested_within_30_minutes_before_work_started(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        started = {
            e.permit_id: e.ts
            for e in s.scalars(select(PermitEventRow).where(PermitEventRow.type == "started"))
        }
        tests: dict[str, list[GasTest]] = defaultdict(list)
        for t in s.scalars(select(GasTest)):
            tests[t.permit_id].append(t)
        needing = list(
            s.scalars(
                select(Permit).where(
                    Permit.type.in_([PermitType.HOT_WORK, PermitType.CONFINED_SPACE]), Permit.status.in_(LIVE)
                )
            )
        )
    assert needing
    for p in needing:
        begin = started[p.id]
        before = [t for t in tests[p.id] if t.taken_at <= begin]
        assert before, p.id
        last = max(before, key=lambda t: t.taken_at)
        assert last.passed and begin - last.taken_at <= timedelta(minutes=30)
        assert {r["ch"] for r in last.readings} >= {"O2"}


def test_users_for_every_role_sign_in_with_the_demo_password(plant: tuple[Database, SeedSummary]) -> None:
    db, summary = plant
    with db.session() as s:
        users = {u.username: u for u in s.scalars(select(User))}
    assert {u.role for u in users.values()} == set(Role)
    assert {u.approval_level for u in users.values()} >= set(ApprovalLevel)
    assert users["op.li"].display_name == "李操作" and users["op.li"].role is Role.OPERATOR
    assert users["lead.wang"].role is Role.SHIFT_LEAD and users["ic.zhao"].role is Role.INCIDENT_COMMANDER
    assert users["safety.chen"].role is Role.SAFETY_MANAGER and users["admin"].role is Role.ADMIN
    hashes = {user.password_hash for user in users.values()}
    assert all(verify_password(DEMO_PASSWORD, h) for h in hashes)
    assert not any(verify_password("wrong", h) for h in hashes)
    assert set(summary.users) == set(users)


def test_seed_is_in_the_audit_trail(plant: tuple[Database, SeedSummary]) -> None:
    db, summary = plant
    with db.session() as s:
        report = verify_chain(s)
        entries = list(s.scalars(select(AuditEntry)))
    assert report.ok and report.head_hash == summary.audit_head
    # the history's green-channel approvals and reviews, in time order, then the seed itself
    assert [(e.action, e.ts) for e in entries][-1] == ("seed-demo", NOW)
    history = [e for e in entries[:-1]]
    assert history and {e.action for e in history} == {
        "permit.approve_green_channel",
        "permit.green_channel_reviewed",
    }
    assert [e.ts for e in history] == sorted(e.ts for e in history) and history[-1].ts < NOW


def test_incident_commander_sees_who_is_in_an_area(plant: tuple[Database, SeedSummary]) -> None:
    db, _ = plant
    with db.session() as s:
        hot = s.scalars(
            select(Permit).where(Permit.status == PermitStatus.ACTIVE, Permit.type == PermitType.HOT_WORK)
        ).first()
        assert hot is not None
        detail = area_detail(s, hot.site_id, hot.area_id)
        assert area_detail(s, hot.site_id, "NO-SUCH-AREA") is None
    assert detail is not None
    assert 1 <= len(detail.contacts) <= 3
    assert detail.detectors and detail.guidance
    permit = next(p for p in detail.permits if p.permit_id == hot.id)
    assert permit.workers and all(w.name for w in permit.workers)
    assert permit.supervisor not in {w.worker_id for w in permit.workers}


def test_the_demo_starts_quiet_no_gas_retest_is_overdue_when_the_window_opens(
    plant: tuple[Database, SeedSummary],
) -> None:
    """docs/ALARMS.md: the first screen a visitor sees has no alarm the seed made by itself."""
    from models.records import HotWorkGrade
    from models.rules.gas_tests import gas_test_due
    from models.schema import GasTest, Permit, PermitEventRow

    db, _ = plant
    overdue = []
    with db.session() as s:
        for permit in s.scalars(select(Permit).where(Permit.status == PermitStatus.ACTIVE)):
            passed = select(GasTest.taken_at).where(GasTest.permit_id == permit.id, GasTest.passed.is_(True))
            tests = list(s.scalars(passed))
            started = select(PermitEventRow.ts).where(
                PermitEventRow.permit_id == permit.id, PermitEventRow.type == "started"
            )
            starts = list(s.scalars(started))
            finding = gas_test_due(
                permit.type,
                HotWorkGrade(permit.grade) if permit.grade else None,
                last_test_at=max(tests, default=None),
                work_started_at=max(starts, default=None),
                now=NOW,
            )
            if finding is not None:
                overdue.append((permit.id, finding.message))
    assert overdue == []


def test_the_demo_starts_quiet_no_supervisor_check_in_is_overdue_when_the_window_opens(
    plant: tuple[Database, SeedSummary],
) -> None:
    """docs/ALARMS.md, and the live check-in rule (issue 17): every active permit's supervisor checked
    in within its interval, so the first screen has no overdue check-in."""
    from cockpit.config import Config
    from cockpit.permits.live_checks import checkin_verdict
    from models.schema import Permit, PermitEventRow

    db, _ = plant
    config = Config()
    late = []
    with db.session() as s:
        for permit in s.scalars(select(Permit).where(Permit.status == PermitStatus.ACTIVE)):

            def last(kind: str, pid: str = permit.id) -> datetime | None:
                rows = select(PermitEventRow.ts).where(
                    PermitEventRow.permit_id == pid, PermitEventRow.type == kind
                )
                return max(s.scalars(rows), default=None)

            verdict = checkin_verdict(
                last("checkin"),
                last("started"),
                permit.valid_from,
                interval=config.checkin_interval(permit.type.value),
                grace=timedelta(minutes=config.permits.checkin_stop_grace_min),
                now=NOW,
            )
            if verdict is not None and verdict.overdue:
                late.append(permit.id)
    assert late == []


def test_the_shift_lead_can_approve_some_urgent_permits_and_sees_why_not_the_others(
    plant: tuple[Database, SeedSummary],
) -> None:
    from cockpit.config import Config
    from cockpit.permit_service import PermitConfig, PermitService
    from cockpit.permits.blockers import Mark

    db, _ = plant
    service = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig.from_config(Config()))
    urgent = [item.permit_id for item in service.approval_queue(NOW) if item.urgent]
    marks = service.queue_marks(permit_login(service, "lead.wang"), urgent, NOW)
    mine = [pid for pid, mark in marks.items() if mark in (Mark.MAY, Mark.MAY_GREEN)]
    assert len(mine) >= 3
    user = service.user_info(permit_login(service, "lead.wang"))
    for pid in mine:
        assert service.approval_blockers(service.permit_detail(pid, NOW), user) == []
    others = [pid for pid in urgent if pid not in mine]
    assert others  # and each says why, with what would clear it
    for pid in others:
        found = service.approval_blockers(service.permit_detail(pid, NOW), user)
        assert found and all(b.clears for b in found)
