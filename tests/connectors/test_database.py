"""Opening, migrating and checking databases; every mistake a user can make is one readable line."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from connectors import database
from connectors.database import (
    check_database,
    default_sqlite_url,
    head_revision,
    open_database,
    upgrade_database,
)
from models.errors import UserError
from models.migrations import MIGRATIONS_DIR
from models.schema import Site


@pytest.fixture
def pg_schema(pg_url: str) -> Iterator[tuple[str, str]]:
    """A fresh schema on the test server: (schema name, URL whose search path is that schema)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = (
            make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
        )
        yield schema, url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _user_error(url: str, **kwargs) -> UserError:
    with pytest.raises(UserError) as info:
        open_database(url, **kwargs)
    exc = info.value
    message = str(exc)
    assert message and "\n" not in message, message
    assert "Traceback" not in message and "sqlalche.me" not in message
    # printed alone: no chained exception whose traceback would follow it
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)
    return exc


# ---------------------------------------------------------------- SQLite


def test_default_url_creates_the_folder_and_a_wal_database(tmp_path: Path) -> None:
    url = default_sqlite_url(tmp_path / "data" / "cockpit")
    db = open_database(url)
    try:
        assert (tmp_path / "data" / "cockpit" / "cockpit.db").is_file()
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        db.dispose()


def test_session_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        with db.session() as session:
            session.add(Site(id="S1", name="一号化工厂区"))
        with pytest.raises(RuntimeError), db.session() as session:
            session.add(Site(id="S2", name="罐区"))
            session.flush()
            raise RuntimeError("user action failed half way")
        with db.session() as session:
            assert [s.id for s in session.query(Site).all()] == ["S1"]
    finally:
        db.dispose()


def test_in_memory_database_keeps_its_data_between_sessions() -> None:
    db = open_database("sqlite://")
    try:
        with db.session() as session:
            session.add(Site(id="S1", name="x"))
        with db.session() as session:
            assert session.get(Site, "S1") is not None
    finally:
        db.dispose()


def test_malformed_url() -> None:
    assert "not a valid URL" in str(_user_error("cockpit.db"))


@pytest.mark.parametrize("url", ["mysql://u@h/db", "oracle://u@h/db", "nosuch://x"])
def test_unknown_database_kind(url: str) -> None:
    assert "not supported" in str(_user_error(url))


def test_uninstalled_or_async_driver() -> None:
    assert "not installed" in str(_user_error("postgresql+pg8000://u@127.0.0.1/db"))
    assert "asynchronous" in str(_user_error("postgresql+asyncpg://u@127.0.0.1/db"))


def test_sqlite_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    exc = _user_error(f"sqlite:///{blocker / 'sub' / 'cockpit.db'}")
    assert "cannot create the folder" in str(exc) and "writable" in str(exc)


def test_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    assert "is a folder" in str(_user_error(f"sqlite:///{tmp_path}"))


def test_sqlite_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 200)
    assert "junk.db" in str(_user_error(f"sqlite:///{junk}"))


def test_check_reports_revision_tables_and_audit_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    lines = check_database(url)  # never migrated: says so, creates nothing
    assert any("schema revision: none" in line for line in lines)
    assert upgrade_database(url) == head_revision()
    lines = check_database(url)
    assert lines[0].startswith("reachable:")
    assert any(f"schema revision: {head_revision()} (up to date)" in line for line in lines)
    assert "table sites: 0 rows" in lines
    assert any(line.startswith("audit chain: intact") for line in lines)


def test_database_of_a_newer_program_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    assert "does not know" in str(_user_error(f"sqlite:///{path}"))


# ---------------------------------------------------------------- upgrading an older file

_SECOND = '''"""add a note to sites"""
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    {extra}


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("note")
'''


def _migrations_with_second_revision(tmp_path: Path, extra: str = "pass") -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    text = _SECOND.replace("{extra}", extra).replace("{head}", database.head_revision())
    (folder / "versions" / "9999_note.py").write_text(text)
    return folder


def _database_at_first_revision(path: Path) -> None:
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        session.add(Site(id="CHEM1", name="一号化工厂区"))
    db.dispose()


def test_upgrade_keeps_a_copy_of_the_older_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cockpit.db"
    _database_at_first_revision(path)
    head = database.head_revision()
    monkeypatch.setattr(database, "MIGRATIONS_DIR", _migrations_with_second_revision(tmp_path))

    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "9999"
            assert conn.exec_driver_sql("SELECT id, note FROM sites").all() == [("CHEM1", "")]
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()
    backup = tmp_path / f"cockpit.db.bak-{head}"
    assert backup.is_file()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        assert conn.execute("SELECT id FROM sites").fetchall() == [("CHEM1",)]


def test_failed_migration_is_a_user_error_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cockpit.db"
    _database_at_first_revision(path)
    head = database.head_revision()
    folder = _migrations_with_second_revision(tmp_path, extra='op.execute("SELECT * FROM no_such_table")')
    monkeypatch.setattr(database, "MIGRATIONS_DIR", folder)

    exc = _user_error(f"sqlite:///{path}")
    assert "cannot upgrade" in str(exc) and "9999" in str(exc) and f"bak-{head}" in str(exc)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sites)")]
    assert "note" not in columns  # the half-done migration was rolled back


# ---------------------------------------------------------------- PostgreSQL


def test_postgres_schema_of_its_own(pg_schema: tuple[str, str]) -> None:
    schema, url = pg_schema
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names(schema=schema))
            assert conn.exec_driver_sql("SELECT current_schema()").scalar() == schema
        assert {"permits", "audit_log", "alembic_version"} <= tables
        with db.session() as session:
            session.add(Site(id="CHEM1", name="一号化工厂区"))
        lines = check_database(url)
        assert "table sites: 1 rows" in lines
    finally:
        db.dispose()


def test_postgres_search_path_through_connect_args(pg_url: str, pg_schema: tuple[str, str]) -> None:
    schema, _ = pg_schema
    db = open_database(pg_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        with db.engine.connect() as conn:
            assert "permits" in inspect(conn).get_table_names(schema=schema)
    finally:
        db.dispose()


def test_password_from_the_keyring_is_used_and_masked(pg_schema: tuple[str, str]) -> None:
    _, url = pg_schema
    db = open_database(url, password="s3cret", upgrade=False)
    try:
        assert db.engine.url.password == "s3cret"
        assert "s3cret" not in db.url and "***" in db.url
    finally:
        db.dispose()


def test_unreachable_server() -> None:
    exc = _user_error("postgresql://postgres@127.0.0.1:1/x")
    assert "cannot reach PostgreSQL at 127.0.0.1:1" in str(exc)


def test_missing_postgres_database(pg_url: str) -> None:
    url = make_url(pg_url).set(database="no_such_db_here").render_as_string(False)
    assert "does not exist" in str(_user_error(url))


def test_wrong_password_message() -> None:
    """The test server trusts every local login, so the driver's refusal is built here."""
    refusal = psycopg2.OperationalError(
        'connection to server at "db.plant", port 5432 failed: FATAL:  password authentication failed '
        'for user "cockpit"\n'
    )
    parsed = make_url("postgresql+psycopg2://cockpit:bad@db.plant/cockpit")
    message = str(database._connection_problem(parsed, refusal))
    assert "wrong or missing password" in message and "db.plant:5432" in message
    assert "\n" not in message and "bad" not in message


def test_reopening_a_current_database_makes_no_copy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for _ in range(2):
        open_database(url).dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name) == []


def test_the_migration_files_name_the_head_alembic_finds() -> None:
    from connectors.database import head_from_files, head_revision

    assert head_from_files() == head_revision()


def test_opening_a_current_database_does_not_load_alembic(tmp_path: Path) -> None:
    """The check that a database is current reads its stamp with plain SQL: alembic (about 0.2 s of
    imports) loads only when there is something to migrate."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'plant.db'}"
    open_database(url).dispose()  # migrated here: now current
    probe = (
        "import sys; from connectors.database import open_database; "
        f"open_database({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    probe = probe.replace(url, empty)
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"  # an empty one is migrated, with alembic
