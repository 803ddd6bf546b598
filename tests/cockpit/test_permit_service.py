"""The permit service on the seeded demo plant (a real SQLite file) and on a real PostgreSQL.

Each blocking reason is made by changing ONE fact of an otherwise approvable hot-work permit, so the
test shows that this fact (and nothing else) stops the approval.
"""

from __future__ import annotations

import atexit
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from cockpit.demo_seed import DEMO_PASSWORD, seed_demo
from cockpit.permit_service import (
    ApprovalBlocked,
    PermissionRefused,
    PermitConfig,
    PermitService,
    PermitStateChange,
)
from cockpit.sessions import SessionRefused
from connectors.database import Database
from models.audit import verify_chain
from models.errors import UserError
from models.records import HotWorkGrade, PermitRequest, PermitStatus, PermitType
from models.rules.permit_state import LIVE_STATUSES
from models.schema import (
    Approval,
    Area,
    AuditEntry,
    Certificate,
    Contractor,
    ContractorQualification,
    GasTest,
    Permit,
    PermitEventRow,
    Site,
    Worker,
)
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user, permit_login

# Monday 23 November 2026, 10:00 in Shanghai: a working day, daytime.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
WINDOW = (NOW + timedelta(hours=1), NOW + timedelta(hours=5))  # 11:00-15:00 local


def seed_template(folder: Path) -> Path:
    """Seed the demo plant once into a file that each test copies (seeding hashes passwords: slow)."""
    path = folder / "template.db"
    db = open_fresh(f"sqlite:///{path}")
    seed_demo(db, seed=1, now=NOW)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


_SHARED: dict[str, Path | str] = {}


def shared_template(factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file per test run, copied by every test that needs the demo plant."""
    if "sqlite" not in _SHARED:
        _SHARED["sqlite"] = seed_template(factory.mktemp("seeded"))
    path = _SHARED["sqlite"]
    assert isinstance(path, Path)
    return path


def shared_pg_url(pg_url: str) -> str:
    """One seeded PostgreSQL schema per test run (seeding is the slow part), dropped at exit."""
    if "pg" not in _SHARED:
        schema = f"t6_{uuid.uuid4().hex[:10]}"
        admin = create_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop() -> None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()

        atexit.register(drop)
        url = (
            make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
        database = open_fresh(url)
        seed_demo(database, seed=1, now=NOW)
        database.dispose()
        _SHARED["pg"] = url
    url = _SHARED["pg"]
    assert isinstance(url, str)
    return url


def copy_of(template: Path, folder: Path) -> Database:
    target = folder / f"plant-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return open_fresh(f"sqlite:///{target}")


@dataclass(frozen=True)
class Crew:
    """People and a place for a clean permit: nothing about them blocks."""

    site: str
    area: str
    welder: str
    helper: str
    supervisor: str
    contractor: str


def pick_crew(db: Database, window: tuple[datetime, datetime] = WINDOW) -> Crew:
    """A welder and a helper of a sound contractor, a supervisor, and an area free in ``window``."""
    today = NOW.date()
    with db.session() as s:
        busy = {
            (p.site_id, p.area_id)
            for p in s.scalars(
                select(Permit).where(
                    Permit.status.in_(list(LIVE_STATUSES)),
                    Permit.valid_from < window[1],
                    Permit.valid_to > window[0],
                )
            )
        }
        area = next(
            a
            for a in s.scalars(select(Area).order_by(Area.site_id, Area.id))
            if (a.site_id, a.id) not in busy
        )
        for contractor in s.scalars(
            select(Contractor).where(Contractor.blacklisted.is_(False)).order_by(Contractor.code)
        ):
            ends = s.scalars(
                select(ContractorQualification.valid_to).where(
                    ContractorQualification.contractor_code == contractor.code
                )
            ).all()
            if not ends or min(e for e in ends if e) < today + timedelta(days=60):
                continue
            staff = s.scalars(
                select(Worker).where(Worker.contractor_code == contractor.code).order_by(Worker.id)
            ).all()
            welders = [
                w
                for w in staff
                if w.trade == "焊工"
                and any(c.valid_to > today + timedelta(days=90) and "焊" in c.trade for c in w.certificates)
                and all(
                    c.review_due is None or c.review_due > today + timedelta(days=90) for c in w.certificates
                )
            ]
            helpers = [w for w in staff if w.trade in ("保温工", "管工", "普工") and not w.certificates]
            if welders and helpers:
                break
        else:  # pragma: no cover - the demo plant always has one
            raise AssertionError("no sound contractor with a welder in the demo plant")
        supervisor = s.scalars(select(Worker).where(Worker.trade == "监护人").order_by(Worker.id)).first()
        assert supervisor is not None
        return Crew(area.site_id, area.id, welders[0].id, helpers[0].id, supervisor.id, contractor.code)


def hot_work_request(
    crew: Crew,
    permit_id: str,
    *,
    grade: HotWorkGrade = HotWorkGrade.GRADE_2,
    urgent: bool = False,
    window: tuple[datetime, datetime] = WINDOW,
    area: str | None = None,
) -> PermitRequest:
    return PermitRequest(
        site=crew.site,
        area=area or crew.area,
        permit=permit_id,
        ts=NOW,
        type=PermitType.HOT_WORK,
        applicant=crew.welder,
        workers=(crew.welder, crew.helper),
        supervisor=crew.supervisor,
        valid_from=window[0],
        valid_to=window[1],
        grade=grade,
        urgent=urgent,
        contractor=crew.contractor,
        description="更换P-301出口法兰垫片",
        prerequisites={"jsa": True, "isolation": True},
    )


def add_gas_test(db: Database, permit_id: str, taken_at: datetime, *, passed: bool = True) -> None:
    with db.session() as s:
        s.add(
            GasTest(
                permit_id=permit_id,
                taken_at=taken_at,
                by="tester",
                passed=passed,
                readings=[{"ch": "LEL", "v": 0.0, "u": "%LEL"}, {"ch": "O2", "v": 20.9, "u": "%VOL"}],
            )
        )


def file_permit(svc: PermitService, db: Database, crew: Crew, permit_id: str, **kwargs: object) -> None:
    """A submitted permit that nothing blocks: accepted application plus a fresh passing gas test."""
    findings = svc.create_from_request(hot_work_request(crew, permit_id, **kwargs), NOW)  # type: ignore[arg-type]
    assert not [f for f in findings if f.blocks], findings
    add_gas_test(db, permit_id, NOW - timedelta(minutes=10))


@pytest.fixture
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_template(tmp_path_factory)


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    database = copy_of(template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def changes() -> list[PermitStateChange]:
    return []


@pytest.fixture
def svc(db: Database, changes: list[PermitStateChange]) -> PermitService:
    return PermitService(
        db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig(), on_permit_changed=changes.append
    )


@pytest.fixture
def crew(db: Database) -> Crew:
    return pick_crew(db)


def status_of(db: Database, permit_id: str) -> PermitStatus:
    with db.session() as s:
        return s.get(Permit, permit_id).status  # type: ignore[union-attr]


def audit_actions(db: Database, subject: str) -> list[str]:
    with db.session() as s:
        return list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.subject == subject).order_by(AuditEntry.seq))
        )


# ---------------------------------------------------------------- the clean case


def test_clean_permit_is_approved_signed_audited_and_published(
    svc: PermitService, db: Database, crew: Crew, changes: list[PermitStateChange]
) -> None:
    file_permit(svc, db, crew, "HW-T-1")
    detail = svc.permit_detail("HW-T-1", NOW)
    assert detail.blocking == [], detail.blocking
    assert [str(x) for x in detail.required_levels] == ["operating_unit"]
    welder = next(w for w in detail.workers if w.worker_id == crew.welder)
    assert welder.state == "valid" and welder.certificate
    helper = next(w for w in detail.workers if w.worker_id == crew.helper)
    assert helper.state == "not_required"  # a helper of another trade needs no welding certificate
    assert detail.gas_test is not None and detail.gas_test.passed
    assert {p.key: p.passed for p in detail.prerequisites} == {"jsa": True, "gas_test": True}

    after = svc.approve("HW-T-1", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)

    assert after.status is PermitStatus.APPROVED
    assert svc.signature_valid("HW-T-1")
    assert audit_actions(db, "HW-T-1") == ["permit.apply", "permit.approve"]
    assert [(c.permit, c.status, c.by) for c in changes][-1] == ("HW-T-1", PermitStatus.APPROVED, "lead.wang")
    with db.session() as s:
        assert verify_chain(s).ok
        approval = s.scalars(select(Approval).where(Approval.permit_id == "HW-T-1")).one()
        assert approval.content_hash == after.content_hash and len(approval.content_hash) == 64


# ---------------------------------------------------------------- each blocking reason


def _blocked_codes(svc: PermitService, permit_id: str, user: str = "lead.wang") -> list[str]:
    with pytest.raises(ApprovalBlocked) as caught:
        svc.approve(permit_id, permit_login(svc, user), DEMO_PASSWORD, now=NOW)
    return [f.code for f in caught.value.findings]


def _assert_still_submitted(db: Database, permit_id: str) -> None:
    assert status_of(db, permit_id) is PermitStatus.SUBMITTED
    with db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Approval).where(Approval.permit_id == permit_id)) == 0
        )


def test_missing_jsa_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-2")
    with db.session() as s:
        s.get(Permit, "HW-T-2").prerequisites = {"jsa": False, "isolation": True}  # type: ignore[union-attr]
    assert "prerequisite.jsa" in _blocked_codes(svc, "HW-T-2")
    jsa = next(p for p in svc.permit_detail("HW-T-2", NOW).prerequisites if p.key == "jsa")
    assert not jsa.passed and "job safety analysis" in jsa.reason
    _assert_still_submitted(db, "HW-T-2")


def test_expired_certificate_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-3")
    with db.session() as s:
        for cert in s.scalars(select(Certificate).where(Certificate.worker_id == crew.welder)):
            cert.valid_to = NOW.date() - timedelta(days=1)
    assert "worker.certificate_expired" in _blocked_codes(svc, "HW-T-3")
    welder = next(w for w in svc.permit_detail("HW-T-3", NOW).workers if w.worker_id == crew.welder)
    assert welder.state == "expired" and welder.blocks
    _assert_still_submitted(db, "HW-T-3")


def test_blacklisted_contractor_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-4")
    with db.session() as s:
        contractor = s.get(Contractor, crew.contractor)
        contractor.blacklisted = True  # type: ignore[union-attr]
        contractor.blacklist_reason = "2026-10 动火未监护"  # type: ignore[union-attr]
    assert "contractor.blacklisted" in _blocked_codes(svc, "HW-T-4")
    assert svc.permit_detail("HW-T-4", NOW).contractor.blacklisted  # type: ignore[union-attr]
    _assert_still_submitted(db, "HW-T-4")


def test_conflict_with_another_permit_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-5")
    # a second job in the same area at the same time, and nobody named to coordinate the two
    second = hot_work_request(crew, "HW-T-5B", window=(WINDOW[0] + timedelta(hours=1), WINDOW[1]))
    findings = svc.create_from_request(second, NOW)
    assert "conflict.no_coordinator" in [f.code for f in findings]  # refused at submission already
    with db.session() as s:
        s.add(
            Permit(
                id="BL-T-5",
                type=PermitType.BLINDING,
                status=PermitStatus.APPROVED,
                site_id=crew.site,
                area_id=crew.area,
                valid_from=WINDOW[0],
                valid_to=WINDOW[1],
                applicant=crew.helper,
                supervisor=crew.supervisor,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    codes = _blocked_codes(svc, "HW-T-5")
    assert "conflict.no_coordinator" in codes
    assert [f.code for f in svc.permit_detail("HW-T-5", NOW).conflicts if f.blocks] == [
        "conflict.no_coordinator"
    ]
    _assert_still_submitted(db, "HW-T-5")


def test_stale_or_failed_gas_test_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    svc.create_from_request(hot_work_request(crew, "HW-T-6"), NOW)
    assert "gas_test.missing" in _blocked_codes(svc, "HW-T-6")
    add_gas_test(db, "HW-T-6", NOW - timedelta(minutes=45))
    assert "gas_test.stale" in _blocked_codes(svc, "HW-T-6")
    detail = svc.permit_detail("HW-T-6", NOW)
    assert detail.gas_test is not None and detail.gas_test.age == timedelta(minutes=45)
    add_gas_test(db, "HW-T-6", NOW - timedelta(minutes=5), passed=False)
    assert "gas_test.failed" in _blocked_codes(svc, "HW-T-6")
    _assert_still_submitted(db, "HW-T-6")


def test_validity_over_the_gb_maximum_blocks(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-7")
    with db.session() as s:
        s.get(Permit, "HW-T-7").valid_to = WINDOW[0] + timedelta(hours=73)  # type: ignore[union-attr]
    # 73 h runs through the night: grade 2 is raised to grade 1 (8 h at most, the safety department signs)
    assert "validity.too_long" in _blocked_codes(svc, "HW-T-7", user="safety.chen")
    detail = svc.permit_detail("HW-T-7", NOW)
    assert detail.effective_grade is HotWorkGrade.GRADE_1 and any("night" in r for r in detail.grade_reasons)
    assert detail.max_validity == timedelta(hours=8) and detail.validity > detail.max_validity
    _assert_still_submitted(db, "HW-T-7")


# ---------------------------------------------------------------- who may sign


def test_wrong_role_and_level_are_refused(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-8", grade=HotWorkGrade.GRADE_1)
    for user in ("op.li", "admin", "ic.zhao"):
        with pytest.raises(PermissionRefused, match="does not sign"):
            svc.approve("HW-T-8", as_user(db, user), DEMO_PASSWORD, now=NOW)
    # grade 1 needs the safety department: the shift lead's operating-unit level is not enough
    with pytest.raises(PermissionRefused, match="safety department"):
        svc.approve("HW-T-8", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)
    with pytest.raises(SessionRefused, match="does not exist"):  # a login's session for no stored user
        svc.approve("HW-T-8", as_user(db, "nobody"), DEMO_PASSWORD, now=NOW)
    _assert_still_submitted(db, "HW-T-8")
    assert (
        svc.approve("HW-T-8", as_user(db, "safety.chen"), DEMO_PASSWORD, now=NOW).status
        is PermitStatus.APPROVED
    )


def test_wrong_password_is_refused(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-9")
    with pytest.raises(PermissionRefused, match="wrong password"):
        svc.approve("HW-T-9", as_user(db, "lead.wang"), "not-the-password", now=NOW)
    _assert_still_submitted(db, "HW-T-9")
    assert audit_actions(db, "HW-T-9") == ["permit.apply"]


def test_refusal_shown_to_the_screen_matches_the_service(
    svc: PermitService, db: Database, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-T-10", grade=HotWorkGrade.GRADE_1)
    detail = svc.permit_detail("HW-T-10", NOW)
    assert "safety department" in str(
        svc.approve_refusal(detail, svc.user_info(permit_login(svc, "lead.wang"))) or ""
    )
    assert svc.approve_refusal(detail, svc.user_info(permit_login(svc, "safety.chen"))) is None
    assert "does not sign" in str(
        svc.approve_refusal(detail, svc.user_info(permit_login(svc, "op.li"))) or ""
    )


# ---------------------------------------------------------------- the signature


def test_signature_is_invalidated_by_a_later_change(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-11")
    svc.approve("HW-T-11", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)
    assert svc.signature_valid("HW-T-11")
    with db.session() as s:
        s.get(Permit, "HW-T-11").description = "改为切割整段管线"  # type: ignore[union-attr]
    assert not svc.signature_valid("HW-T-11")
    assert not svc.permit_detail("HW-T-11", NOW).signature_valid
    active = {a.permit_id: a for a in svc.active_permits(NOW)}
    assert active["HW-T-11"].signature_valid is False
    with db.session() as s:
        s.get(Permit, "HW-T-11").description = "更换P-301出口法兰垫片"  # type: ignore[union-attr]
    assert svc.signature_valid("HW-T-11")  # the same content again: the signature holds
    with db.session() as s:
        s.get(Permit, "HW-T-11").valid_to = WINDOW[1] + timedelta(hours=1)  # type: ignore[union-attr]
    assert not svc.signature_valid("HW-T-11")


def test_a_changed_permit_needs_a_new_signature(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-12")
    svc.approve("HW-T-12", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)
    assert svc.permit_detail("HW-T-12", NOW).missing_levels == []
    with db.session() as s:
        s.get(Permit, "HW-T-12").grade = HotWorkGrade.GRADE_1  # type: ignore[union-attr]
    detail = svc.permit_detail("HW-T-12", NOW)
    assert not detail.signature_valid and [s.valid for s in detail.signatures] == [False]
    # the old signature no longer counts: grade 1 now needs the safety department's
    assert [str(x) for x in detail.missing_levels] == ["safety_department"]


# ---------------------------------------------------------------- green channel


def test_green_channel_lets_the_shift_lead_approve_alone_and_flags_review(
    svc: PermitService, db: Database, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-T-13", grade=HotWorkGrade.GRADE_1, urgent=True)
    with pytest.raises(UserError, match="needs a reason"):
        svc.approve("HW-T-13", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="  ", now=NOW)
    after = svc.approve(
        "HW-T-13", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="泄漏抢修，不能等", now=NOW
    )
    assert after.status is PermitStatus.APPROVED and after.green_channel_review
    assert svc.green_channel_pending().count("HW-T-13") == 1
    assert audit_actions(db, "HW-T-13")[-1] == "permit.approve_green_channel"
    with db.session() as s:
        approval = s.scalars(select(Approval).where(Approval.permit_id == "HW-T-13")).one()
        assert "泄漏抢修" in approval.reason
    with pytest.raises(PermissionRefused):
        svc.review_green_channel("HW-T-13", as_user(db, "lead.wang"), "ok")
    svc.review_green_channel("HW-T-13", as_user(db, "safety.chen"), "复核：抢修理由成立")
    assert "HW-T-13" not in svc.green_channel_pending()


def test_the_review_queue_shows_what_the_green_channel_skipped_and_takes_a_finding(
    svc: PermitService, db: Database, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-T-14", grade=HotWorkGrade.GRADE_1, urgent=True)
    svc.approve(
        "HW-T-14", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="泄漏抢修，不能等", now=NOW
    )
    with pytest.raises(PermissionRefused):
        svc.green_channel_queue(as_user(db, "op.li"), NOW)  # operators neither see nor do the review
    [item] = [i for i in svc.green_channel_queue(as_user(db, "safety.chen"), NOW) if i.permit_id == "HW-T-14"]
    assert (item.approver, item.reason, item.approved_at) == ("lead.wang", "泄漏抢修，不能等", NOW)
    assert item.skipped == ("safety_department",)  # grade 1 needs it; the green channel stood for it
    assert item.review_due == date(2026, 11, 24) and not item.overdue  # approved on 23 Nov, plant time
    later = NOW + timedelta(days=2)  # 25 November in the plant: the review is overdue
    assert next(
        i for i in svc.green_channel_queue(as_user(db, "safety.chen"), later) if i.permit_id == "HW-T-14"
    ).overdue
    with pytest.raises(UserError, match="review note"):
        svc.review_green_channel("HW-T-14", as_user(db, "safety.chen"), " ", finding=True)
    svc.review_green_channel(
        "HW-T-14", as_user(db, "safety.chen"), "理由不足：未附泄漏照片", finding=True, now=later
    )
    assert all(i.permit_id != "HW-T-14" for i in svc.green_channel_queue(as_user(db, "safety.chen"), later))
    with db.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.subject == "HW-T-14").order_by(AuditEntry.seq.desc())
        ).first()
        assert entry is not None and entry.action == "permit.green_channel_reviewed"
        assert json.loads(entry.details) == {"note": "理由不足：未附泄漏照片", "outcome": "finding"}
    with pytest.raises(UserError, match="no green-channel approval"):
        svc.review_green_channel("HW-T-14", as_user(db, "safety.chen"), "again")


def test_an_approval_without_its_audit_entry_shows_what_the_green_channel_stood_for(
    svc: PermitService, db: Database, crew: Crew
) -> None:
    """An older or imported green-channel approval (no audit entry saying what it skipped): the
    required levels above the signature's level, not an empty "nothing skipped"."""
    from models.records import ApprovalLevel
    from models.schema import ApprovalDecision

    file_permit(svc, db, crew, "HW-T-19", grade=HotWorkGrade.GRADE_1, urgent=True)
    with db.session() as s:
        permit = s.get(Permit, "HW-T-19")
        assert permit is not None
        permit.status, permit.green_channel_review = PermitStatus.APPROVED, True
        s.add(
            Approval(
                permit_id="HW-T-19",
                level=ApprovalLevel.OPERATING_UNIT,
                signer="lead.wang",
                signed_at=NOW,
                decision=ApprovalDecision.APPROVE,
                reason="green channel: 抢修",
                content_hash="0" * 64,
            )
        )
    [item] = [i for i in svc.green_channel_queue(as_user(db, "safety.chen"), NOW) if i.permit_id == "HW-T-19"]
    assert (item.approver, item.reason) == ("lead.wang", "抢修")
    assert item.skipped == ("safety_department",)


def test_green_channel_never_skips_the_gas_test(svc: PermitService, db: Database, crew: Crew) -> None:
    svc.create_from_request(hot_work_request(crew, "HW-T-14", grade=HotWorkGrade.GRADE_1, urgent=True), NOW)
    with pytest.raises(ApprovalBlocked) as caught:
        svc.approve("HW-T-14", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="抢修", now=NOW)
    assert "gas_test.missing" in [f.code for f in caught.value.findings]


def test_green_channel_refused_for_special_grade_without_the_senior_leader(
    svc: PermitService, db: Database, crew: Crew
) -> None:
    file_permit(svc, db, crew, "HW-T-15", grade=HotWorkGrade.SPECIAL, urgent=True)
    with pytest.raises(PermissionRefused, match="senior leader"):
        svc.approve("HW-T-15", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="抢修", now=NOW)
    with pytest.raises(PermissionRefused, match="senior leader"):
        svc.approve("HW-T-15", as_user(db, "safety.chen"), DEMO_PASSWORD, now=NOW)
    _assert_still_submitted(db, "HW-T-15")
    assert (
        svc.approve("HW-T-15", as_user(db, "leader.zhou"), DEMO_PASSWORD, now=NOW).status
        is PermitStatus.APPROVED
    )


def test_green_channel_only_for_urgent_permits(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-16", grade=HotWorkGrade.GRADE_1)
    with pytest.raises(PermissionRefused, match="urgent"):
        svc.approve("HW-T-16", as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="抢修", now=NOW)


# ---------------------------------------------------------------- queue and escalation


def test_queue_ranks_urgent_first_then_start_time(svc: PermitService, db: Database, crew: Crew) -> None:
    queue = svc.approval_queue(NOW)
    assert queue, "the demo plant has permits waiting"
    urgent = [i.urgent for i in queue if not i.sent_back]
    assert urgent == sorted(urgent, reverse=True)
    normal = [i.valid_from for i in queue if not i.urgent and not i.sent_back]
    assert normal == sorted(normal)
    assert all(i.deadline is not None for i in queue)


def test_escalation_after_the_deadline_climbs_the_chain(svc: PermitService, db: Database, crew: Crew) -> None:
    file_permit(svc, db, crew, "HW-T-17")
    item = next(i for i in svc.approval_queue(NOW) if i.permit_id == "HW-T-17")
    assert item.deadline == WINDOW[0] - timedelta(minutes=30)
    assert item.escalation is None and item.remaining(NOW) == timedelta(minutes=30)
    assert "HW-T-17" not in [e.permit_id for e in svc.escalations(NOW)]
    steps = {}
    for minutes in (1, 16, 31, 120):
        later = item.deadline + timedelta(minutes=minutes)
        esc = next(e for e in svc.escalations(later) if e.permit_id == "HW-T-17")
        steps[minutes] = esc.escalated_to
        assert esc.priority == 3 and "HW-T-17" in esc.message
    assert steps == {1: "shift_lead", 16: "safety_department", 31: "senior_leader", 120: "senior_leader"}
    queued = next(
        i for i in svc.approval_queue(item.deadline + timedelta(minutes=1)) if i.permit_id == "HW-T-17"
    )
    assert queued.escalation is not None  # visible in the queue too


def test_urgent_deadline_counts_from_submission(db: Database, crew: Crew) -> None:
    svc = PermitService(
        db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig(urgent_deadline=timedelta(minutes=10))
    )
    file_permit(svc, db, crew, "HW-T-18", urgent=True, grade=HotWorkGrade.GRADE_1)
    item = next(i for i in svc.approval_queue(NOW) if i.permit_id == "HW-T-18")
    assert item.deadline == NOW + timedelta(minutes=10)
    assert item is svc.approval_queue(NOW)[0] or svc.approval_queue(NOW)[0].urgent


def test_send_back_and_reject_need_a_reason(
    svc: PermitService, db: Database, crew: Crew, changes: list[PermitStateChange]
) -> None:
    file_permit(svc, db, crew, "HW-T-19")
    with pytest.raises(UserError, match="reason"):
        svc.send_back("HW-T-19", as_user(db, "lead.wang"), " ")
    with pytest.raises(PermissionRefused):
        svc.send_back("HW-T-19", as_user(db, "op.li"), "补充JSA")
    svc.send_back("HW-T-19", as_user(db, "lead.wang"), "补充JSA签字", now=NOW)
    item = next(i for i in svc.approval_queue(NOW + timedelta(hours=3)) if i.permit_id == "HW-T-19")
    assert item.sent_back and item.sent_back_reason == "补充JSA签字" and item.escalation is None
    # the applicant resubmits: back in the queue, waiting again
    svc.create_from_request(hot_work_request(crew, "HW-T-19"), NOW + timedelta(minutes=5))
    item = next(i for i in svc.approval_queue(NOW + timedelta(minutes=6)) if i.permit_id == "HW-T-19")
    assert not item.sent_back
    with pytest.raises(UserError, match="reason"):
        svc.reject("HW-T-19", as_user(db, "lead.wang"), "")
    svc.reject("HW-T-19", as_user(db, "lead.wang"), "作业方案不可行", now=NOW)
    assert status_of(db, "HW-T-19") is PermitStatus.REJECTED
    assert changes[-1].status is PermitStatus.REJECTED
    assert audit_actions(db, "HW-T-19")[-1] == "permit.reject"


# ---------------------------------------------------------------- active permits


def test_active_permits_timers_suspend_and_close(db: Database, changes: list[PermitStateChange]) -> None:
    periodic = {"CHEM1": 30, "TANKFARM": 30, "SITE-C": 30}  # sites re-testing every 30 min
    checkins: dict[str, datetime] = {}
    svc = PermitService(
        db,
        keys=TEST_KEYS,
        clock=lambda: NOW,
        config=PermitConfig(periodic_gas_retest_min=periodic),
        on_permit_changed=changes.append,
        last_checkin=checkins.get,
    )
    active = svc.active_permits(NOW)
    assert active and all(
        a.status in (PermitStatus.APPROVED, PermitStatus.ACTIVE, PermitStatus.SUSPENDED) for a in active
    )
    running = [a for a in active if a.status is PermitStatus.ACTIVE and a.type is PermitType.HOT_WORK]
    assert running and all(a.gas_test_due is not None for a in running)
    # Due 30 min after the supervisor's last check-in on record, or after the start when there is none
    # (a supervisor who never checks in is late too); the demo's supervisors check in every 25 min.
    with db.session() as s:
        rows = s.execute(
            select(PermitEventRow.permit_id, func.max(PermitEventRow.ts))
            .where(PermitEventRow.type == "checkin")
            .group_by(PermitEventRow.permit_id)
        ).all()
    recorded = {pid: ts if ts.tzinfo else ts.replace(tzinfo=UTC) for pid, ts in rows}
    assert any(a.started_at for a in running)
    for a in running:
        if a.started_at:
            assert a.checkin_due == max(a.started_at, recorded.get(a.permit_id, a.started_at)) + timedelta(
                minutes=30
            )
    # a check-in the live link saw (not yet on record) counts as well
    checkins[running[0].permit_id] = NOW + timedelta(minutes=5)
    again = {a.permit_id: a for a in svc.active_permits(NOW)}
    assert again[running[0].permit_id].checkin_due == NOW + timedelta(minutes=35)
    # expired flagged: the same list one day later
    later = NOW + timedelta(days=1)
    assert any(a.expired(later) for a in svc.active_permits(later))
    target = running[0].permit_id
    with pytest.raises(PermissionRefused):
        svc.suspend(target, as_user(db, "safety.chen"), "复测")  # not in the team's table of who suspends
    with pytest.raises(UserError, match="reason"):
        svc.suspend(target, as_user(db, "op.li"), "")
    svc.suspend(target, as_user(db, "op.li"), "LEL 上升，暂停作业", now=NOW)
    assert status_of(db, target) is PermitStatus.SUSPENDED and changes[-1].status is PermitStatus.SUSPENDED
    with pytest.raises(PermissionRefused):
        svc.close(target, as_user(db, "op.li"))
    svc.close(target, as_user(db, "lead.wang"), now=NOW)
    assert status_of(db, target) is PermitStatus.CLOSED
    assert audit_actions(db, target)[-2:] == ["permit.suspended", "permit.closed"]
    with db.session() as s:
        types = s.scalars(select(PermitEventRow.type).where(PermitEventRow.permit_id == target)).all()
        assert "suspended" in types and "closed" in types


def test_close_of_a_closed_permit_is_refused(svc: PermitService, db: Database) -> None:
    with db.session() as s:
        closed = s.scalars(select(Permit.id).where(Permit.status == PermitStatus.CLOSED).limit(1)).one()
    with pytest.raises(UserError, match="final"):
        svc.close(closed, as_user(db, "lead.wang"))


# ---------------------------------------------------------------- applications (contract §5)


def test_refused_application_is_not_filed_but_audited(svc: PermitService, db: Database, crew: Crew) -> None:
    request = hot_work_request(crew, "HW-T-20", window=(WINDOW[0], WINDOW[0] + timedelta(hours=80)))
    findings = svc.create_from_request(request, NOW)
    assert "validity.too_long" in [f.code for f in findings if f.blocks]
    with db.session() as s:
        assert s.get(Permit, "HW-T-20") is None
    assert audit_actions(db, "HW-T-20") == ["permit.apply_refused"]


def test_application_for_an_unknown_area_is_refused(svc: PermitService, crew: Crew) -> None:
    findings = svc.create_from_request(hot_work_request(crew, "HW-T-21", area="NOPE"), NOW)
    assert "area.unknown" in [f.code for f in findings if f.blocks]


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_fresh(shared_pg_url(pg_url))
    yield database
    database.dispose()


def test_queue_detail_and_approval_on_postgresql(pg_db: Database) -> None:
    changes: list[PermitStateChange] = []
    svc = PermitService(pg_db, keys=TEST_KEYS, clock=lambda: NOW, on_permit_changed=changes.append)
    queue = svc.approval_queue(NOW)
    with pg_db.session() as s:
        waiting = s.scalar(
            select(func.count()).select_from(Permit).where(Permit.status == PermitStatus.SUBMITTED)
        )
    assert len(queue) == waiting and queue[0].urgent
    crew = pick_crew(pg_db)
    file_permit(svc, pg_db, crew, "HW-PG-1")
    detail = svc.permit_detail("HW-PG-1", NOW)
    assert detail.blocking == []
    with pg_db.session() as s:
        site = s.get(Site, crew.site)
        assert site is not None and detail.site_name == site.name != crew.site  # the name, for the screens
    svc.approve("HW-PG-1", as_user(pg_db, "lead.wang"), DEMO_PASSWORD, now=NOW)
    assert svc.signature_valid("HW-PG-1") and changes[-1].status is PermitStatus.APPROVED
    esc = svc.escalations(WINDOW[0])
    assert all(e.priority == 3 for e in esc) and esc


# ---------------------------------------------------------------- grade from the site's calendar and the wind


def test_site_holiday_from_the_config_raises_the_grade(db: Database, crew: Crew) -> None:
    from cockpit.config import Config, SiteConfig

    config = Config(sites={crew.site: SiteConfig(holidays=[NOW.date().isoformat()])})
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig.from_config(config))
    file_permit(svc, db, crew, "HW-T-22")
    detail = svc.permit_detail("HW-T-22", NOW)
    assert detail.effective_grade is HotWorkGrade.GRADE_1
    assert any("holiday" in r for r in detail.grade_reasons)
    assert [str(x) for x in detail.required_levels] == ["safety_department"]  # so lead.wang may not sign
    with pytest.raises(PermissionRefused, match="safety department"):
        svc.approve("HW-T-22", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)


def test_wind_reading_raises_the_grade(db: Database, crew: Crew) -> None:
    windy = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, wind=lambda site, area: 9.5)
    file_permit(windy, db, crew, "HW-T-23")
    detail = windy.permit_detail("HW-T-23", NOW)
    assert detail.effective_grade is HotWorkGrade.GRADE_1 and any("wind" in r for r in detail.grade_reasons)
    calm = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, wind=lambda site, area: 3.0)
    assert calm.permit_detail("HW-T-23", NOW).effective_grade is HotWorkGrade.GRADE_2


def test_blocked_approval_says_what_to_fix_in_one_line(svc: PermitService, db: Database, crew: Crew) -> None:
    svc.create_from_request(hot_work_request(crew, "HW-T-24"), NOW)
    with pytest.raises(ApprovalBlocked) as caught:
        svc.approve("HW-T-24", as_user(db, "lead.wang"), DEMO_PASSWORD, now=NOW)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("cannot approve: ") and "gas test" in message
    assert isinstance(caught.value, UserError)
