"""The people registers on real SQLite and PostgreSQL: who edits, the grade rule, bad input, the audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

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
from cockpit.people_reads import PeopleReads
from cockpit.people_register import PeopleRegister
from cockpit.sessions import USER_INACTIVE, SessionRefused
from cockpit.users import UserAdmin, create_first_admin
from connectors.database import Database, open_database
from models.audit import verify_chain
from models.records import Role
from models.schema import AuditEntry
from tests.support.fresh_db import open_fresh
from tests.support.plant_db import PW, register_db
from tests.support.sessions import TEST_KEYS, as_user

NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'people.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    with register_db(url) as database:
        yield database


def refused(code: PeopleProblem, fn, *args, **kwargs) -> PeopleError:  # type: ignore[no-untyped-def]
    with pytest.raises(PeopleError) as info:
        fn(*args, **kwargs)
    assert info.value.code is code, info.value
    return info.value


def registers(db: Database) -> tuple[PeopleRegister, PeopleReads]:
    return PeopleRegister(db, TEST_KEYS, clock=lambda: NOW), PeopleReads(db, clock=lambda: NOW)


def plant(reg: PeopleRegister, db: Database) -> None:
    reg.save_contractor(as_user(db, "safety"), ContractorInput("C1", "华建石化安装"))
    reg.save_qualification(
        as_user(db, "safety"),
        QualificationInput("C1", "石油化工工程施工总承包", "D1234", "二级", "2024-01-01", "2028-12-31"),
    )
    reg.save_worker(as_user(db, "boss"), WorkerInput("W1", "张三", "C1", "焊工", "138 0000 0001"))


def test_editors_build_a_contractor_and_a_worker_and_the_card_reads_back(db: Database) -> None:
    reg, reads = registers(db)
    plant(reg, db)
    reg.save_certificate(
        as_user(db, "safety"),
        CertificateInput(
            "W1", "T-001", "焊接与热切割", "2024/1/1", "2029年1月1日", "应急管理局", "2027-01-01"
        ),
    )
    reg.save_certificate(
        as_user(db, "safety"), CertificateInput("W1", "T-002", "电工", "2023-01-01", "2026-12-20")
    )
    reg.add_training(as_user(db, "boss"), TrainingInput("W1", "入厂三级教育", "2026-11-30", "动火作业"))
    reg.record_exam(as_user(db, "boss"), ExamInput("W1", True, "2026-12-01", "92.5"))
    worker = reads.worker_detail("W1")
    assert worker is not None and worker.contractor_name == "华建石化安装" and worker.phone == "138 0000 0001"
    assert (worker.exam_passed, worker.exam_score, worker.exam_on) == (True, 92.5, date(2026, 12, 1))
    assert [(c.number, c.state) for c in worker.certificates] == [
        ("T-001", "valid"),
        ("T-002", "expiring_30"),
    ]
    assert [t.name for t in worker.trainings] == ["入厂三级教育"]
    card = reads.contractor_detail("C1")
    assert card is not None and card.grade == "A" and card.decision.derived == "A"
    assert [q.scope for q in card.qualifications] == ["二级"] and [w.worker_id for w in card.workers] == [
        "W1"
    ]
    assert [r.code for r in reads.contractors("华建")] == ["C1"]
    assert [w.worker_id for w in reads.workers("T-00")] == ["W1"]  # by certificate number
    assert [w.worker_id for w in reads.workers("张")] == ["W1"]


@pytest.mark.parametrize("user", ["op", "lead", "ic"])  # made-up ones: tests/cockpit/test_service_sessions.py
def test_other_roles_are_refused(db: Database, user: str) -> None:
    actor = as_user(db, user)  # a real login's session: the role, not the session, is what refuses
    reg, reads = registers(db)
    plant(reg, db)
    no = PeopleProblem.NOT_EDITOR
    refused(no, reg.save_contractor, actor, ContractorInput("C2", "另一家"))
    refused(no, reg.set_contractor_active, actor, "C1", False)
    refused(no, reg.set_blacklist, actor, "C1", True, "事故")
    refused(no, reg.override_grade, actor, "C1", "A", "表现好")
    refused(no, reg.save_qualification, actor, QualificationInput("C1", "安全生产许可证"))
    refused(no, reg.save_worker, actor, WorkerInput("W2", "李四", "C1"))
    refused(no, reg.set_worker_active, actor, "W1", False)
    refused(
        no, reg.save_certificate, actor, CertificateInput("W1", "T-9", "电工", "2025-01-01", "2028-01-01")
    )
    refused(no, reg.add_training, actor, TrainingInput("W1", "培训", "2026-01-01"))
    refused(no, reg.record_exam, actor, ExamInput("W1", False, "2026-01-01", 40))
    refused(no, reg.record_violation, actor, ViolationInput("未戴安全帽", 3, worker_id="W1"))
    card = reads.contractor_detail("C1")
    assert card is not None and card.active and not card.blacklisted and card.violations == []
    assert [r.code for r in reads.contractors()] == ["C1"] and [w.worker_id for w in reads.workers()] == [
        "W1"
    ]


def test_a_disabled_administrator_is_refused(db: Database) -> None:
    reg, _ = registers(db)
    UserAdmin(db, TEST_KEYS).create(
        as_user(db, "boss"), "boss2", display_name="", role=Role.ADMIN, password=PW
    )
    session = as_user(db, "boss2")  # logged in, then disabled
    UserAdmin(db, TEST_KEYS).disable(as_user(db, "boss"), "boss2")
    with pytest.raises(SessionRefused) as info:
        reg.save_contractor(session, ContractorInput("C2", "x"))
    assert info.value.code == USER_INACTIVE


def test_violations_lower_the_grade_and_end_a_better_override(db: Database) -> None:
    reg, reads = registers(db)
    plant(reg, db)
    reg.record_violation(
        as_user(db, "safety"), ViolationInput("动火未监护", 4, worker_id="W1", at="2026-11-01 09:30")
    )
    card = reads.contractor_detail("C1")
    assert card is not None and card.grade == "B" and card.decision.points == 4
    assert card.violations[0].worker_name == "张三" and card.violations[0].recorded_by == "safety"
    refused(PeopleProblem.REASON_NEEDED, reg.override_grade, as_user(db, "safety"), "C1", "A", "  ")
    reg.override_grade(as_user(db, "safety"), "C1", "A", "年度评审优秀")
    card = reads.contractor_detail("C1")
    assert card is not None and card.grade == "A" and card.override == "A" and card.decision.derived == "B"
    # 4 + 3 = 7 points: the rule falls to C, below the override, which ends.
    reg.record_violation(as_user(db, "boss"), ViolationInput("未系安全带", 3, contractor_code="C1"))
    card = reads.contractor_detail("C1")
    assert card is not None and card.grade == "C" and card.override is None
    reg.record_violation(
        as_user(db, "boss"), ViolationInput("受限空间未检测", 5, worker_id="W1", at=date(2026, 12, 5))
    )
    card = reads.contractor_detail("C1")
    assert card is not None and card.grade == "D" and card.decision.points == 12
    # A year-old violation no longer counts; a blacklist is D whatever the points.
    reg.save_contractor(as_user(db, "boss"), ContractorInput("C2", "新承包商"))
    reg.record_violation(
        as_user(db, "boss"), ViolationInput("旧违章", 20, contractor_code="C2", at="2025-11-30")
    )
    card = reads.contractor_detail("C2")
    assert card is not None and card.decision.points == 0 and card.grade == "C"  # no qualification: C
    assert card.decision.reasons == ("no_qualification",)
    reg.set_blacklist(as_user(db, "safety"), "C2", True, "重大事故")
    card = reads.contractor_detail("C2")
    assert card is not None and card.grade == "D" and card.blacklist_reason == "重大事故"
    with db.session() as s:
        grades = s.query(AuditEntry).filter(AuditEntry.action == "register.contractor_grade").count()
        assert grades >= 5
        report = verify_chain(s)
        assert report.ok, report


def test_bad_input_is_refused_with_its_code_and_nothing_written(db: Database) -> None:
    reg, reads = registers(db)
    boss = as_user(db, "boss")
    plant(reg, db)
    refused(PeopleProblem.BAD_CODE, reg.save_contractor, boss, ContractorInput("bad code", "x"))
    refused(PeopleProblem.EMPTY, reg.save_contractor, boss, ContractorInput("C9", "  "))
    big = "x" * 1_000_000
    refused(PeopleProblem.TEXT_LONG, reg.save_contractor, boss, ContractorInput("C9", big))
    refused(PeopleProblem.TEXT_LONG, reg.record_violation, boss, ViolationInput(big, 1, worker_id="W1"))
    err = refused(
        PeopleProblem.BAD_DATE,
        reg.save_certificate,
        boss,
        CertificateInput("W1", "T-5", "电工", "2025-13-01", "2028-01-01"),
    )
    assert err.params["field"] == "valid_from"
    refused(
        PeopleProblem.DATES_REVERSED,
        reg.save_qualification,
        boss,
        QualificationInput("C1", "许可证", valid_from="2027-01-01", valid_to="2026-01-01"),
    )
    refused(PeopleProblem.UNKNOWN_CONTRACTOR, reg.save_worker, boss, WorkerInput("W2", "李四", "NOPE"))
    refused(PeopleProblem.UNKNOWN_WORKER, reg.add_training, boss, TrainingInput("W9", "培训", "2026-01-01"))
    refused(PeopleProblem.BAD_PHONE, reg.save_worker, boss, WorkerInput("W2", "李四", phone="call me"))
    reg.save_worker(boss, WorkerInput("W2", "李四"))
    reg.save_certificate(boss, CertificateInput("W1", "T-1", "电工", "2025-01-01", "2028-01-01"))
    refused(
        PeopleProblem.DUPLICATE_CERTIFICATE,
        reg.save_certificate,
        boss,
        CertificateInput("W2", "T-1", "电工", "2025-01-01", "2028-01-01"),
    )
    refused(PeopleProblem.BAD_POINTS, reg.record_violation, boss, ViolationInput("x", "-2", worker_id="W1"))
    refused(PeopleProblem.NO_SUBJECT, reg.record_violation, boss, ViolationInput("x", 1))
    refused(
        PeopleProblem.WRONG_CONTRACTOR,
        reg.record_violation,
        boss,
        ViolationInput("x", 1, worker_id="W2", contractor_code="C1"),
    )
    refused(
        PeopleProblem.FUTURE,
        reg.record_violation,
        boss,
        ViolationInput("x", 1, worker_id="W1", at=NOW + timedelta(days=1)),
    )
    refused(PeopleProblem.BAD_SCORE, reg.record_exam, boss, ExamInput("W1", True, "2026-01-01", "101"))
    refused(PeopleProblem.BAD_GRADE, reg.override_grade, boss, "C1", "E", "why")
    assert [r.code for r in reads.contractors()] == ["C1"]
    worker = reads.worker_detail("W2")
    assert worker is not None and worker.certificates == [] and worker.violations == []
    with db.session() as s:
        assert verify_chain(s).ok


def test_disabling_keeps_the_records_and_the_audit_verifies(db: Database) -> None:
    reg, reads = registers(db)
    plant(reg, db)
    reg.set_worker_active(as_user(db, "boss"), "W1", False)
    reg.set_contractor_active(as_user(db, "safety"), "C1", False)
    worker, card = reads.worker_detail("W1"), reads.contractor_detail("C1")
    assert worker is not None and not worker.active and card is not None and not card.active
    assert reads.contractor_choices() == []
    with db.session() as s:
        assert verify_chain(s).ok


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_database_at_0003_keeps_its_contractors_workers_and_violations(
    request: pytest.FixtureRequest, tmp_path: Path, dialect: str
) -> None:
    from alembic import command
    from sqlalchemy import text

    from connectors.database import _alembic_config

    url = (
        f"sqlite:///{tmp_path / 'old.db'}"
        if dialect == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    old = open_database(url, upgrade=False)
    try:
        with old.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0003")
            conn.execute(
                text(
                    "INSERT INTO contractors (code, name, grade, blacklisted, blacklist_reason) "
                    "VALUES ('C1', '老承包商', 'B', false, '')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO workers (id, name, contractor_code, trade, phone) "
                    "VALUES ('W1', '老王', 'C1', '', '')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO contractor_violations (contractor_code, at, description, points) "
                    "VALUES ('C1', '2026-11-01 00:00:00', '旧记录', 2)"
                )
            )
    finally:
        old.dispose()
    db = open_fresh(url)
    try:
        create_first_admin(db, "boss", PW + "!")
        reg, reads = registers(db)
        card, worker = reads.contractor_detail("C1"), reads.worker_detail("W1")
        assert card is not None and card.active and card.grade == "B" and card.override is None
        assert [v.points for v in card.violations] == [2]
        assert worker is not None and worker.active and worker.exam_on is None
        reg.record_violation(as_user(db, "boss"), ViolationInput("自有员工违章", 1, worker_id="W1"))
        reg.save_worker(as_user(db, "boss"), WorkerInput("W2", "本厂员工"))
        reg.record_violation(
            as_user(db, "boss"), ViolationInput("未戴安全帽", 1, worker_id="W2")
        )  # no contractor
        own = reads.worker_detail("W2")
        assert own is not None and [v.contractor_code for v in own.violations] == [None]
    finally:
        db.dispose()
