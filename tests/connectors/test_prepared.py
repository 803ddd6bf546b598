"""A read prepared once per pooled connection on PostgreSQL (``connectors/prepared.py``), the statement
itself on SQLite: the same rows either way, across rolled-back transactions, a replaced connection
and a server session reset behind the pool's back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import DBAPIError

from connectors.database import Database
from connectors.prepared import PreparedRead
from models.schema import Site
from tests.support.fresh_db import open_fresh

_SITE = select(Site.id, Site.name, Site.timezone, Site.night_start).where(
    Site.id == bindparam("site"), Site.name.not_like("%100% off%")
)
READ = PreparedRead("test_site_row", _SITE, ("site",))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    sqlite = f"sqlite:///{tmp_path / 'p.db'}"
    url = sqlite if request.param == "sqlite" else request.getfixturevalue("pg_schema_url")
    database = open_fresh(url)
    with database.session() as s:
        s.execute(insert(Site).values(id="S1", name="Site 1", timezone="Asia/Shanghai"))
        s.execute(insert(Site).values(id="S2", name="Site 2", timezone="UTC"))
    try:
        yield database
    finally:
        database.dispose()


def _sent(db: Database) -> list[str]:
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement.split(maxsplit=1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    return sent


def _read(db: Database, site: str) -> Any:
    with db.session() as s:
        return READ.execute(s.connection(), {"site": site}).one()


def test_the_same_rows_prepared_once_per_connection(db: Database) -> None:
    with db.session() as s:
        want = {site: s.execute(_SITE, {"site": site}).one() for site in ("S1", "S2")}
    sent = _sent(db)
    for site in ("S1", "S2", "S1"):
        got = _read(db, site)
        assert tuple(got) == tuple(want[site]) and got.timezone == want[site].timezone
    reads = [st for st in sent if st != "SELECT" or db.dialect == "sqlite"]  # the pool's pre-ping
    if db.dialect == "postgresql":
        assert reads == ["PREPARE", "EXECUTE", "EXECUTE", "EXECUTE"]
    else:
        assert reads == ["SELECT", "SELECT", "SELECT"]
    db.dispose()  # new connections: a new server session prepares again
    sent.clear()
    assert _read(db, "S2").name == "Site 2"
    assert sent[-2:] == ["PREPARE", "EXECUTE"] if db.dialect == "postgresql" else sent == ["SELECT"]


def test_a_statement_prepared_in_a_rolled_back_transaction_stays(db: Database) -> None:
    with db.session() as s:
        assert READ.execute(s.connection(), {"site": "S1"}).one().name == "Site 1"
        s.rollback()
    sent = _sent(db)
    assert _read(db, "S2").name == "Site 2"
    assert "PREPARE" not in sent


@pytest.mark.parametrize("reset", ["DEALLOCATE ALL", "DISCARD ALL"])
def test_a_session_reset_behind_the_pool_fails_one_read_then_recovers(db: Database, reset: str) -> None:
    if db.dialect != "postgresql":
        pytest.skip("nothing is prepared on SQLite")
    assert _read(db, "S1").name == "Site 1"
    with db.engine.connect() as conn:  # the same pooled connection: what a pooler's reset does
        conn.commit()
        conn.connection.dbapi_connection.autocommit = True  # type: ignore[union-attr]
        conn.exec_driver_sql(reset)
        conn.connection.dbapi_connection.autocommit = False  # type: ignore[union-attr]
    with pytest.raises(DBAPIError) as failed:
        _read(db, "S1")
    assert failed.value.orig.pgcode == "26000"  # type: ignore[union-attr]
    assert _read(db, "S1").name == "Site 1"
    assert _read(db, "S2").name == "Site 2"
