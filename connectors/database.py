"""Database engines and sessions: a local SQLite file by default, a shared PostgreSQL for several consoles.

``open_database`` is the one way in. It turns every problem a user can cause (a malformed URL, an
unknown driver, a server that is down, a wrong password, a folder that cannot be created, a migration
that cannot apply) into one ``UserError`` line, and brings the schema to the newest revision, keeping a
copy of a local SQLite file before changing it.

SQLite runs in WAL mode (readers never block the writer), with foreign keys on and a busy timeout.
Sessions keep pysqlite's transaction handling: reads see the newest committed data and the transaction
(and SQLite's single write lock) starts at the first write, which behaves like PostgreSQL's READ
COMMITTED, so a stale update shows as the same ``StaleDataError`` on both databases. (Beginning every
transaction at the first read instead would make a read-then-write action fail with "database is
locked" whenever another console wrote in between.) Migrations run on a separate connection in one
real transaction, foreign keys off as SQLite's table rebuilds need, and checked before they commit.

PostgreSQL options: anything libpq accepts can go in the URL query, e.g. a schema of one's own with
``postgresql://user@host/db?options=-csearch_path%3Dmyschema`` (the tests isolate themselves this way),
or be passed as ``connect_args={"options": "-csearch_path=myschema"}``.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, func, inspect, make_url, select, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from models.audit import HEAD_KEY, verify_chain
from models.errors import UserError
from models.migrations import MIGRATIONS_DIR
from models.schema import Base

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SUPPORTED = ("sqlite", "postgresql")
EXAMPLES = "e.g. sqlite:///C:/cockpit/cockpit.db or postgresql://user@host:5432/cockpit"
BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 5
# Arbitrary key of the advisory lock that keeps two consoles from migrating one PostgreSQL at once.
_PG_MIGRATION_LOCK = 0x4D49_4752  # "MIGR"


class Database:
    """An open database: the engine, a session factory, and the URL with its password masked."""

    def __init__(self, engine: Engine, *, sqlite_path: Path | None = None) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self.sqlite_path = sqlite_path  # the local file, None for PostgreSQL or in-memory SQLite
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        # Told (seq, hash) after every commit that appended audit entries: the head kept outside the
        # database (cockpit/audit_head.py), so that a cut tail shows (`audit verify --head`).
        self.audit_listeners: list[Callable[[int, str], None]] = []
        event.listen(self._sessions, "after_commit", self._after_commit)
        event.listen(self._sessions, "after_rollback", self._after_rollback)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction for one user action: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def _after_commit(self, session: Session) -> None:
        head = session.info.pop(HEAD_KEY, None)
        if head is None:
            return
        for listener in list(self.audit_listeners):
            try:
                listener(*head)
            except Exception:  # the head's keeper must never undo or hide a committed action
                log.exception("the audit head could not be kept")

    @staticmethod
    def _after_rollback(session: Session) -> None:
        session.info.pop(HEAD_KEY, None)

    def dispose(self) -> None:
        """Close every pooled connection (at exit, or before a SQLite file is copied or removed)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url})"


def default_sqlite_url(data_dir: Path) -> str:
    """The URL of the local database file in the program's data folder."""
    return URL.create(
        "sqlite", database=str(Path(data_dir).expanduser().resolve() / "cockpit.db")
    ).render_as_string()


def _one_line(exc: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's background links."""
    orig = getattr(exc, "orig", None)
    raw = str(orig if orig is not None else exc).strip()
    first = raw.splitlines()[0].strip() if raw else type(exc).__name__
    return first.rstrip(".")


def _parse(url: str, password: str | None) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"the database URL {url!r} is not a valid URL; write it as {EXAMPLES}") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise UserError(
            f"the database kind {backend!r} in {parsed.render_as_string(hide_password=True)} "
            f"is not supported; use sqlite or postgresql ({EXAMPLES})"
        )
    if parsed.drivername == "postgresql":
        # SQLAlchemy 2.1 defaults to psycopg 3; the program ships psycopg2, so say which one to use.
        driver = "psycopg" if importlib.util.find_spec("psycopg") else "psycopg2"
        parsed = parsed.set(drivername=f"postgresql+{driver}")
    if parsed.drivername.endswith(("+asyncpg", "+aiosqlite", "+pysqlite_async")):
        raise UserError(
            f"the database driver {parsed.drivername!r} is asynchronous and cannot be used here; "
            "write postgresql:// or sqlite:/// without a driver"
        )
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise UserError(
            f"the database driver {parsed.drivername!r} is unknown; "
            f"use sqlite:/// or postgresql:// ({EXAMPLES})"
        ) from None
    if backend == "postgresql" and parsed.password is None and password is not None:
        parsed = parsed.set(password=password)
    return parsed


def _sqlite_file(parsed: URL) -> Path | None:
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _prepare_sqlite_folder(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"cannot create the folder {folder} for the database file ({exc.strerror or exc}); "
            "choose a writable location for the database"
        ) from None
    if path.exists() and path.is_dir():
        raise UserError(
            f"the database path {path} is a folder; give a file name such as {path / 'cockpit.db'}"
        )


def _install_sqlite_pragmas(engine: Engine, *, wal: bool, for_migration: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if for_migration:
            dbapi_connection.isolation_level = None  # BEGIN is ours: DDL inside one transaction
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys={'OFF' if for_migration else 'ON'}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    if for_migration:

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _create_engine(
    parsed: URL, connect_args: dict[str, Any] | None, echo: bool
) -> tuple[Engine, Path | None]:
    args: dict[str, Any] = dict(connect_args or {})
    backend = parsed.get_backend_name()
    sqlite_path: Path | None = None
    try:
        if backend == "sqlite":
            sqlite_path = _sqlite_file(parsed)
            args.setdefault("check_same_thread", False)  # sessions are opened in worker threads
            if sqlite_path is None:
                # One shared connection, or every new connection would see a fresh empty database.
                engine = create_engine(parsed, connect_args=args, poolclass=StaticPool, echo=echo)
            else:
                _prepare_sqlite_folder(sqlite_path)
                engine = create_engine(parsed, connect_args=args, echo=echo)
            _install_sqlite_pragmas(engine, wal=sqlite_path is not None)
        else:
            if "connect_timeout" not in parsed.query:
                args.setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
            engine = create_engine(parsed, connect_args=args, pool_pre_ping=True, echo=echo)
    except (ImportError, NoSuchModuleError) as exc:
        raise UserError(
            f"the database driver for {parsed.drivername!r} is not installed ({exc}); "
            "use postgresql:// (psycopg2)"
        ) from None
    except ArgumentError as exc:
        raise UserError(f"the database URL is not usable: {_one_line(exc)}; write it as {EXAMPLES}") from None
    return engine, sqlite_path


class PasswordRefused(UserError):
    """The server wants a password it was not given, or refused the one given.

    The one place that reads the driver's words for it: libpq reports a failed login with no SQLSTATE
    (``pgcode`` is None before a session exists), so its message is all there is. Callers decide by this
    type (``cockpit/runtime.py``, ``cockpit/user_cli.py``: name the missing keyring only then)."""


def _connection_problem(parsed: URL, exc: BaseException) -> UserError:
    shown = parsed.render_as_string(hide_password=True)
    detail = _one_line(exc)
    low = detail.lower()
    if parsed.get_backend_name() == "sqlite":
        return UserError(
            f"cannot open the database file {parsed.database} ({detail}); "
            "check that the folder is writable and the file is a cockpit database"
        )
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if "password authentication failed" in low or "no password supplied" in low:
        return PasswordRefused(
            f"PostgreSQL at {where} refused user {parsed.username!r}: wrong or missing password; "
            f"store the right one with `python main.py secret set db {parsed.username}` and try again"
        )
    if "role" in low and "does not exist" in low:
        return UserError(
            f"PostgreSQL at {where} has no user {parsed.username!r}; fix the user name in the URL {shown}"
        )
    if "does not exist" in low and "database" in low:
        return UserError(
            f"the database {parsed.database!r} does not exist on {where}; "
            f"create it (createdb) or fix the URL {shown}"
        )
    if any(
        word in low
        for word in ("could not connect", "connection refused", "timeout expired", "could not translate")
    ):
        return UserError(
            f"cannot reach PostgreSQL at {where} ({detail}); "
            "check that the server runs and the host and port are right"
        )
    return UserError(f"cannot connect to the database {shown} ({detail}); check the URL and the server")


# alembic is imported where it is used: the field link's process opens the database without migrating,
# and its start-up is on the way to the first live values (about 0.17 s of imports).
def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this program knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([\w-]*)['\"]?", re.M)


def head_from_files() -> str | None:
    """The head revision read from the migration files' ``revision``/``down_revision`` lines, without
    importing alembic (about 0.2 s of every start, when the database is already current); None when
    the chain is not one plain line (then ``head_revision`` asks alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped_revision(connection: Connection) -> str | None:
    """The revision in ``alembic_version`` with plain SQL, or None where the table is missing or odd."""
    try:  # a fresh connection of its own: a failed statement leaves nothing behind
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except (DBAPIError, SQLAlchemyError):
        return None
    return rows[0] if len(rows) == 1 else None


def _already_current(db: Database) -> bool:
    """True when the database is stamped with the head the files name: no alembic import then, on
    the way to the first live values."""
    head = head_from_files()
    if head is None:
        return False
    with db.engine.connect() as conn:
        return _stamped_revision(conn) == head


def current_revision(connection: Connection) -> str | None:
    """The schema revision stamped in the database, None for an empty (never migrated) database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the file through SQLite's backup API (it includes what still sits in the WAL)."""
    target = path.with_name(f"{path.name}.bak-{revision}")
    if target.exists():
        target = path.with_name(f"{path.name}.bak-{revision}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    source = sqlite3.connect(str(path))
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def _migration_engine(db: Database) -> Engine:
    """For a SQLite file, a connection of its own with transactional DDL; otherwise the program's engine."""
    if db.sqlite_path is None:
        return db.engine
    engine = create_engine(db.engine.url, poolclass=NullPool)
    _install_sqlite_pragmas(engine, wal=True, for_migration=True)
    return engine


def _migrate(db: Database) -> str:
    """Bring the schema to head; returns the head revision."""
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision()
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    backup: Path | None = None
    try:
        with db.engine.connect() as conn:
            current = current_revision(conn)
        if current == head:
            return head
        if current is not None:
            try:
                script.get_revision(current)
            except Exception:
                raise UserError(
                    f"the database {db.url} is at schema revision {current}, which this version of the "
                    "program does not know; use the newer program version or another database"
                ) from None
            if db.sqlite_path is not None and db.sqlite_path.exists():
                backup = _backup_sqlite(db.sqlite_path, current)
                log.info("copied %s to %s before upgrading it", db.sqlite_path, backup)
        engine = _migration_engine(db)
        try:
            with engine.begin() as conn:
                if db.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
                command.upgrade(_alembic_config(conn), "head")
                if db.dialect == "sqlite":
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} broken references")
        finally:
            if engine is not db.engine:
                engine.dispose()
    except UserError:
        raise
    except Exception as exc:
        saved = f"; the copy made before is {backup}" if backup is not None else ""
        raise UserError(
            f"cannot upgrade the database {db.url} to schema revision {head} ({_one_line(exc)}){saved}; "
            "check that it is a cockpit database and that its user may create tables"
        ) from None
    return head


def open_database(
    url: str,
    *,
    upgrade: bool = True,
    password: str | None = None,
    connect_args: dict[str, Any] | None = None,
    echo: bool = False,
) -> Database:
    """Open (and by default migrate) the database at ``url``, or raise one ``UserError`` line.

    ``password`` is used for a PostgreSQL URL that carries none (from ``connectors.secrets``).
    ``connect_args`` go to the driver, e.g. ``{"options": "-csearch_path=myschema"}`` for PostgreSQL.
    """
    parsed = _parse(url, password)
    engine, sqlite_path = _create_engine(parsed, connect_args, echo)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise _connection_problem(parsed, exc) from None
    db = Database(engine, sqlite_path=sqlite_path)
    if upgrade:
        try:
            if not _already_current(db):
                _migrate(db)
        except UserError:
            db.dispose()
            raise
    return db


def upgrade_database(
    url: str, *, password: str | None = None, connect_args: dict[str, Any] | None = None
) -> str:
    """Bring the database at ``url`` to the newest schema (``db upgrade``); returns the revision."""
    db = open_database(url, upgrade=False, password=password, connect_args=connect_args)
    try:
        return _migrate(db)
    finally:
        db.dispose()


def check_database(
    url: str, *, password: str | None = None, connect_args: dict[str, Any] | None = None
) -> list[str]:
    """Lines for ``db check``: reachable, schema revision against head, rows per table, audit chain."""
    db = open_database(url, upgrade=False, password=password, connect_args=connect_args)
    try:
        lines = [f"reachable: {db.url} ({db.dialect})"]
        if db.sqlite_path is not None:
            with db.engine.connect() as conn:
                mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            lines.append(f"sqlite file: {db.sqlite_path} (journal mode {mode})")
        head = head_revision()
        with db.engine.connect() as conn:
            current = current_revision(conn)
            tables = set(inspect(conn).get_table_names())
        if current == head:
            lines.append(f"schema revision: {current} (up to date)")
        else:
            lines.append(f"schema revision: {current or 'none'}, newest is {head}: run the database upgrade")
        with db.session() as session:
            for table in Base.metadata.sorted_tables:
                if table.name in tables:
                    count = session.execute(select(func.count()).select_from(table)).scalar_one()
                    lines.append(f"table {table.name}: {count} rows")
                else:
                    lines.append(f"table {table.name}: missing")
            if current == head:
                report = verify_chain(session)
                state = (
                    "intact" if report.ok else f"BROKEN at entry {report.first_broken_seq}: {report.reason}"
                )
                lines.append(
                    f"audit chain: {state} ({report.entries} entries, head {report.head_hash[:16]}…)"
                )
        return lines
    finally:
        db.dispose()
