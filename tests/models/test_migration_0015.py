"""Migration 0015 (issue 20): the search's and the heat map's indexes, applied to a database holding
rows, on SQLite and PostgreSQL, and the plans that use them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select

from connectors.database import Database, _alembic_config, head_revision, open_database
from models.records import PermitStatus, PermitType, RiskLevel
from models.schema import Area, Contractor, Permit, Site, Worker
from tests.models.test_schema import pg_schema_url  # noqa: F401  (a fixture)

NEW = {
    "workers": ("ix_workers_search", ["name", "id", "trade", "contractor_code"]),
    "contractors": ("ix_contractors_name_code", ["name", "code"]),
    "permits": ("ix_permits_site_valid_to", ["site_id", "valid_to"]),
}
START = datetime(2026, 11, 23, 2, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_schema_url")
    database = open_database(url)
    with database.session() as s:
        s.add(Site(id="S1", name="一号化工厂区"))
        s.add(Area(site_id="S1", id="A1", name="常减压装置", risk_level=RiskLevel.MAJOR))
        s.add(Contractor(code="C-1", name="江苏盛达建设工程有限公司"))
        s.flush()
        s.add(Worker(id="W-1", name="王伟", contractor_code="C-1", trade="焊工"))
        for i in range(3):
            s.add(
                Permit(
                    id=f"HW-{i}",
                    type=PermitType.HOT_WORK,
                    status=PermitStatus.CLOSED,
                    site_id="S1",
                    area_id="A1",
                    valid_from=START + timedelta(days=i),
                    valid_to=START + timedelta(days=i, hours=8),
                    applicant="W-1",
                    supervisor="W-1",
                    created_at=START,
                    updated_at=START,
                )
            )
    try:
        yield database
    finally:
        database.dispose()


def _indexes(db: Database, table: str) -> dict[str, list[str]]:
    with db.engine.connect() as conn:
        return {ix["name"]: list(ix["column_names"]) for ix in inspect(conn).get_indexes(table)}


def test_0015_applies_to_a_database_with_rows_and_goes_back(db: Database) -> None:
    with db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0014")
    assert _indexes(db, "workers").get("ix_workers_name") == ["name"]
    assert all(name not in _indexes(db, table) for table, (name, _) in NEW.items())
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    for table, (name, columns) in NEW.items():
        assert _indexes(db, table).get(name) == columns, table
    assert "ix_workers_name" not in _indexes(db, "workers")  # (name, id) serves every use of it
    with db.session() as s:
        assert s.scalars(select(Permit.id).order_by(Permit.id)).all() == ["HW-0", "HW-1", "HW-2"]
        assert s.scalars(select(Worker.name)).all() == ["王伟"]


def test_the_heat_maps_day_and_the_name_steps_read_their_indexes_on_sqlite(tmp_path: Path) -> None:
    """SQLite's plans (what the 1M-permit bench measured): the day's permits of a site from
    (site_id, valid_to); the workers of a surname in (name, id) order from the index alone, no sort."""
    db = open_database(f"sqlite:///{tmp_path / 'plan.db'}")
    try:
        with db.engine.connect() as conn:
            day = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM permits WHERE site_id = 'S1' "
                "AND valid_to > '2026-11-23' AND valid_from < '2026-11-24'"
            ).all()
            names = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id, name, trade, contractor_code FROM workers "
                "WHERE name >= '王' AND name < '王\uffff' ORDER BY name, id LIMIT 50"
            ).all()
            contractors = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT code, name FROM contractors WHERE name >= '江苏' "
                "AND name < '江苏\uffff' ORDER BY name, code LIMIT 50"
            ).all()
    finally:
        db.dispose()
    assert any("ix_permits_site_valid_to" in row[-1] for row in day), day
    assert any("COVERING INDEX ix_workers_search" in row[-1] for row in names), names
    assert not any("TEMP B-TREE" in row[-1] for row in names), names
    assert any("ix_contractors_name_code" in row[-1] for row in contractors), contractors
    assert not any("TEMP B-TREE" in row[-1] for row in contractors), contractors
