"""The mapping and its first migration, on a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from connectors.database import Database, head_revision, open_database
from models.records import PermitStatus, PermitType, RiskLevel
from models.schema import Area, Base, Contractor, Permit, Site, StopPolicy


def schema_url(pg_url: str, schema: str) -> str:
    """The test server's URL with a search path of one schema: how the tests isolate themselves."""
    return make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(pg_url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cockpit.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


def _site(session) -> None:
    session.add(Site(id="S1", name="一号化工厂区"))
    session.add(Area(site_id="S1", id="A1", name="常减压装置", risk_level=RiskLevel.MAJOR))
    session.flush()


def _permit(**overrides) -> Permit:
    start = datetime(2026, 11, 23, 14, tzinfo=UTC)
    values = dict(
        id="HW-20261123-001",
        type=PermitType.HOT_WORK,
        status=PermitStatus.SUBMITTED,
        site_id="S1",
        area_id="A1",
        valid_from=start,
        valid_to=start + timedelta(hours=8),
        applicant="W-1",
        supervisor="W-2",
        created_at=start,
        updated_at=start,
        prerequisites={"jsa": True, "isolation": False, "gas_test": False},
    )
    values.update(overrides)
    return Permit(**values)


def test_empty_database_migrates_to_head_with_every_table(db: Database) -> None:
    with db.engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    assert revision == head_revision()
    assert set(Base.metadata.tables) <= tables


def test_migrated_database_matches_the_mapping(db: Database) -> None:
    """The hand-checked migration and the mapping must not drift apart (autogenerate finds nothing)."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    # PostgreSQL's trigram indexes (migration 0002) exist only where pg_trgm could be created: not mapped.
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name.endswith("_trgm"))]
    assert diff == []


def test_times_come_back_aware_utc_and_equal(db: Database) -> None:
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2026, 11, 23, 22, 30, 15, 123456, tzinfo=shanghai)
    with db.session() as session:
        _site(session)
        session.add(_permit(valid_from=local, valid_to=local + timedelta(hours=4)))
    with db.session() as session:
        permit = session.get(Permit, "HW-20261123-001")
        assert permit is not None
        assert permit.valid_from.tzinfo is not None
        assert permit.valid_from.utcoffset() == timedelta(0)
        assert permit.valid_from == local
        assert permit.valid_from.hour == 14
        # comparisons in SQL see the same instant whatever zone the bound value has
        found = session.scalars(select(Permit.id).where(Permit.valid_from <= local.astimezone(UTC))).all()
        assert found == ["HW-20261123-001"]


def test_naive_datetime_is_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), db.session() as session:
        _site(session)
        session.add(_permit(valid_from=datetime(2026, 11, 23, 14)))
        session.flush()


def test_enums_are_stored_as_their_wire_values(db: Database) -> None:
    with db.session() as session:
        _site(session)
        session.add(_permit(status=PermitStatus.ACTIVE))
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT type, status FROM permits")).one()
        site = conn.execute(text("SELECT stop_policy, timezone FROM sites")).one()
    assert tuple(row) == ("hot_work", "active")
    assert tuple(site) == ("auto", "Asia/Shanghai")
    with db.session() as session:
        assert session.get(Site, "S1").stop_policy is StopPolicy.AUTO  # type: ignore[union-attr]


def test_json_columns_round_trip(db: Database) -> None:
    polygon = [[0.0, 0.0], [120.5, 0.0], [120.5, 80.0], [0.0, 80.0]]
    with db.session() as session:
        _site(session)
        session.get(Area, ("S1", "A1")).polygon = polygon  # type: ignore[union-attr]
        session.add(_permit(grade_reasons=["night work"]))
    with db.session() as session:
        assert session.get(Area, ("S1", "A1")).polygon == polygon  # type: ignore[union-attr]
        permit = session.get(Permit, "HW-20261123-001")
        assert permit.prerequisites == {"jsa": True, "isolation": False, "gas_test": False}  # type: ignore[union-attr]
        assert permit.grade_reasons == ["night work"]  # type: ignore[union-attr]


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Site(id="S1", name="x"))
        session.flush()
        session.add(_permit(area_id="NOPE"))
        session.flush()


def test_concurrent_edit_of_a_permit_is_detected(db: Database) -> None:
    """Optimistic locking: the second console's stale update fails instead of overwriting the first."""
    with db.session() as session:
        _site(session)
        session.add(_permit())
    with db.session() as first:
        mine = first.get(Permit, "HW-20261123-001")
        assert mine is not None and mine.version == 1
        with db.session() as second:
            theirs = second.get(Permit, "HW-20261123-001")
            theirs.status = PermitStatus.APPROVED  # type: ignore[union-attr]
        mine.status = PermitStatus.REJECTED
        with pytest.raises(StaleDataError):
            first.flush()
        first.rollback()
    with db.session() as session:
        permit = session.get(Permit, "HW-20261123-001")
        assert permit.status is PermitStatus.APPROVED  # type: ignore[union-attr]
        assert permit.version == 2  # type: ignore[union-attr]


def test_contractor_defaults(db: Database) -> None:
    with db.session() as session:
        session.add(Contractor(code="C-0001", name="江苏华建石化安装工程有限公司"))
    with db.session() as session:
        contractor = session.get(Contractor, "C-0001")
        assert contractor is not None
        assert (contractor.blacklisted, contractor.blacklist_reason) == (False, "")


def test_postgres_session_time_zone_does_not_leak_into_values(pg_url: str, pg_schema_url: str) -> None:
    """A server or session set to local time must not shift what the cockpit reads back."""
    schema = make_url(pg_schema_url).query["options"].split("=", 1)[1]
    local_url = (
        make_url(pg_url)
        .update_query_dict({"options": f"-csearch_path={schema} -ctimezone=Asia/Shanghai"})
        .render_as_string(False)
    )
    instant = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    db = open_database(local_url)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW timezone").scalar() == "Asia/Shanghai"
        with db.session() as session:
            _site(session)
            session.add(_permit(valid_from=instant, valid_to=instant + timedelta(hours=8)))
        with db.session() as session:
            permit = session.get(Permit, "HW-20261123-001")
            assert permit is not None
            assert permit.valid_from == instant and permit.valid_from.utcoffset() == timedelta(0)
    finally:
        db.dispose()
