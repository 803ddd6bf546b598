"""The permit detail read as plain rows (``cockpit/permits/permit_reads.py``) says what the ORM read
said (``tests/support/permit_reads_reference.py``), on the demo plant's permits in every state, on
SQLite and on PostgreSQL; and where the ORM read left an order to the database, the new one decides."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from cockpit.demo_seed import seed_demo
from cockpit.permits.detail import PermitReader
from cockpit.permits.queue import ApprovalQueue
from cockpit.permits.records import PermitConfig, PermitDetail
from connectors.database import Database
from models.records import ApprovalLevel, PermitStatus, PermitType, Role
from models.schema import Approval, ApprovalDecision, GasTest, Permit, PermitWorker, User, Worker
from tests.support.fresh_db import open_fresh
from tests.support.permit_reads_reference import ReferenceApprovalQueue, ReferencePermitReader

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai, a Monday


def _wind(site: str, area: str) -> float | None:
    """Some areas windy (hot work graded up), some calm, some without a reading."""
    return (None, 3.0, 11.5)[sum(map(ord, area)) % 3]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def plant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "sqlite":
        db = open_fresh(f"sqlite:///{tmp_path_factory.mktemp('reads') / 'demo.db'}")
    else:
        db = open_fresh(_pg_schema(request))
    try:
        seed_demo(db, seed=7, now=NOW)
        yield db
    finally:
        db.dispose()


def _pg_schema(request: pytest.FixtureRequest) -> str:
    """A schema of the module's own on the test server, dropped with the module (``pg_schema_url`` is
    per test; the demo plant is seeded once)."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    pg_url = request.getfixturevalue("pg_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    request.addfinalizer(drop)
    return make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


def _normal(d: PermitDetail) -> PermitDetail:
    """The workers in the order the new read defines (by id): the ORM's followed the table's (on
    PostgreSQL the order they were written in), and the rules' findings follow the workers'."""

    def by_worker(findings: list[Any]) -> list[Any]:
        return sorted(findings, key=repr) if any(f.code.startswith("worker") for f in findings) else findings

    return dataclasses.replace(
        d,
        workers=sorted(d.workers, key=lambda w: w.worker_id),
        findings=by_worker(d.findings),
        conflicts=by_worker(d.conflicts),
        prerequisites=[
            dataclasses.replace(p, findings=tuple(by_worker(list(p.findings)))) for p in d.prerequisites
        ],
    )


def _permit_ids(db: Database, per_state: int = 25) -> list[str]:
    """Up to ``per_state`` permits of every state the demo has, spread over its ids (all of them
    took 40 s of the suite for no more kinds of permit)."""
    with db.session() as s:
        rows = s.execute(select(Permit.id, Permit.status).order_by(Permit.id)).all()
    by_state: dict[str, list[str]] = {}
    for pid, status in rows:
        by_state.setdefault(status, []).append(pid)
    return [pid for ids in by_state.values() for pid in ids[:: max(1, len(ids) // per_state)][:per_state]]


def test_the_detail_is_the_orm_reads_detail_for_every_kind_of_permit(plant: Database) -> None:
    config = PermitConfig()
    new, old = PermitReader(plant, config, _wind), ReferencePermitReader(plant, config, _wind)
    ids = _permit_ids(plant)
    with plant.session() as s:
        statuses = set(s.scalars(select(Permit.status).where(Permit.id.in_(ids))))
    assert {
        PermitStatus.SUBMITTED,
        PermitStatus.APPROVED,
        PermitStatus.ACTIVE,
        PermitStatus.CLOSED,
    } <= statuses
    with_findings = with_gas = with_contractor = with_signatures = 0
    for pid in ids:
        for now in (NOW, NOW + timedelta(hours=3)):
            got, want = new.permit_detail(pid, now), old.permit_detail(pid, now)
            assert [w.worker_id for w in got.workers] == sorted(w.worker_id for w in got.workers)
            assert _normal(got) == _normal(want), pid
        with_findings += bool(got.findings)
        with_gas += got.gas_test is not None
        with_contractor += got.contractor is not None
        with_signatures += bool(got.signatures)
    # the sample did exercise what it compares
    assert min(with_findings, with_gas, with_contractor, with_signatures) > 10


def test_the_queue_is_the_five_statement_queue(plant: Database) -> None:
    """One statement now; the same rows in the same order (no ties on the demo's decisions)."""
    config = PermitConfig()
    for now in (NOW, NOW + timedelta(hours=5)):
        got = ApprovalQueue(plant, config).approval_queue(now)
        assert len(got) > 10
        assert got == ReferenceApprovalQueue(plant, config).approval_queue(now)


def test_the_detail_takes_five_statements(plant: Database) -> None:
    reader = PermitReader(plant, PermitConfig(), _wind)
    with plant.session() as s:
        pid = s.scalars(select(Permit.id).where(Permit.contractor_code.is_not(None)).limit(1)).one()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(plant.engine, "before_cursor_execute", count)
    try:
        reader.permit_detail(pid, NOW)
    finally:
        event.remove(plant.engine, "before_cursor_execute", count)
    # on PostgreSQL the permit's row is a prepared statement (connectors/prepared.py): EXECUTE, and
    # PREPARE once per pooled connection
    words = [st.split()[0].upper() for st in statements]
    assert len([w for w in words if w in ("SELECT", "EXECUTE")]) == 5
    assert words.count("PREPARE") <= 1


def test_an_unknown_permit_is_refused_as_before(plant: Database) -> None:
    from models.errors import UserError

    with pytest.raises(UserError) as new:
        PermitReader(plant, PermitConfig(), _wind).permit_detail("no-such-permit", NOW)
    with pytest.raises(UserError) as old:
        ReferencePermitReader(plant, PermitConfig(), _wind).permit_detail("no-such-permit", NOW)
    assert str(new.value) == str(old.value)


def test_ties_are_ordered_by_id_the_later_written_counts_as_later(plant: Database) -> None:
    """Two decisions (and two gas tests) at the same instant: the higher id wins, in the detail's
    signature list, its latest gas test, and the queue's "sent back"."""
    with plant.session() as s:
        pid, wid = s.execute(
            select(Permit.id, PermitWorker.worker_id)
            .join(PermitWorker, PermitWorker.permit_id == Permit.id)
            .where(Permit.status == PermitStatus.SUBMITTED, Permit.type == PermitType.HOT_WORK)
            .order_by(Permit.id)
            .limit(1)
        ).one()
        at = NOW - timedelta(minutes=1)
        first, second = s.scalars(select(User.username).order_by(User.username.desc()).limit(2))
        # written in this order: the id decides, not the signer's name nor the decision
        for signer, decision in ((first, ApprovalDecision.APPROVE), (second, ApprovalDecision.SEND_BACK)):
            s.execute(
                insert(Approval).values(
                    permit_id=pid,
                    signer=signer,
                    level=ApprovalLevel.OPERATING_UNIT,
                    role=str(Role.SHIFT_LEAD),
                    decision=decision,
                    reason=f"tie {decision}",
                    content_hash="x",
                    signed_at=at,
                )
            )
        for passed in (True, False):
            s.execute(insert(GasTest).values(permit_id=pid, taken_at=at, by=wid, passed=passed, readings=[]))
        s.commit()
    detail = PermitReader(plant, PermitConfig(), _wind).permit_detail(pid, NOW)
    ties = [sig.signer for sig in detail.signatures if sig.signed_at == at]
    assert ties == [first, second]
    assert detail.gas_test is not None and detail.gas_test.passed is False
    item = next(i for i in ApprovalQueue(plant, PermitConfig()).approval_queue(NOW) if i.permit_id == pid)
    assert item.sent_back and item.sent_back_reason == "tie send_back"


def test_a_supervisor_also_on_the_crew_and_an_unregistered_worker(plant: Database) -> None:
    with plant.session() as s:
        pid, sup = s.execute(
            select(Permit.id, Permit.supervisor).where(Permit.status == PermitStatus.SUBMITTED).limit(1)
        ).one()
        s.execute(insert(PermitWorker).values(permit_id=pid, worker_id=sup))
        s.commit()
    config = PermitConfig()
    got = PermitReader(plant, config, _wind).permit_detail(pid, NOW)
    assert got == _normal(ReferencePermitReader(plant, config, _wind).permit_detail(pid, NOW))
    assert sup in [w.worker_id for w in got.workers]
    with plant.session() as s:
        assert s.get(Worker, sup) is not None


def test_the_signing_transaction_sees_its_own_unflushed_change(plant: Database) -> None:
    """``detail(s, permit, now)`` reads through the session's connection: the session is flushed."""
    reader = PermitReader(plant, PermitConfig(), _wind)
    with plant.session() as s:
        permit = s.scalars(select(Permit).where(Permit.status == PermitStatus.SUBMITTED).limit(1)).one()
        permit.description = "changed in this transaction"
        assert reader.detail(s, permit, NOW).description == "changed in this transaction"
        s.rollback()
