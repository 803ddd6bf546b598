"""One row inserted on the calling thread, answered within a deadline whatever the database does, on a
connection of its own kept for the next one (in autocommit: one statement, one round trip).

The stop-work claim (``cockpit/db_records.StopClaims``) runs on the core's cycle, which must never wait
long; a thread of its own for the insert cost two hand-overs of the interpreter per stop (issue 20).

* SQLite: the file is on this machine; only a writer elsewhere can hold the insert, and this
  connection waits for it at most ``wait_s`` (its own busy timeout; detached from the pool, whose
  connections keep the database's).
* PostgreSQL: a server that hangs (stopped, its disk stalled, a frozen link) answers never, and its
  kernel still acknowledges what is sent, so no socket timeout fires (a psycopg2 query waited more
  than 40 s, DEVELOPERS.md). This connection is psycopg2's asynchronous one: connecting and the
  statement are pumped with ``poll()`` and waited for on its socket until the deadline. A statement
  still unanswered then stays in flight; ``hanging()`` says so until its answer comes, or until
  ``abandon_s`` has passed: then the connection is closed and the next insert opens another (a link
  that was cut without a reset would otherwise keep it for the kernel's quarter of an hour of
  retransmissions). A host name is resolved before any of this, without a bound (use an address, or
  a resolver that answers).
"""

from __future__ import annotations

import logging
import selectors
import time
from typing import Any

from sqlalchemy import Connection, insert, inspect
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from connectors.database import Database

log = logging.getLogger(__name__)


class Taken(Exception):
    """The row's key exists already."""


class Lost(Exception):
    """The insert failed (the database unreachable, the connection ended); ``kept``: on a connection
    kept from an earlier insert, so a new one may succeed."""

    def __init__(self, reason: str, kept: bool) -> None:
        super().__init__(reason)
        self.reason, self.kept = reason, kept


class SqliteInsert:
    def __init__(self, db: Database, model: type[Any], wait_s: float) -> None:
        self.db, self.wait_s = db, wait_s
        self._statement = insert(model)
        self._conn: Connection | None = None

    def hanging(self) -> bool:
        return False  # the busy timeout ends every wait

    def insert(self, values: dict[str, Any], deadline: float) -> bool:
        """True when written; raises ``Taken`` or ``Lost`` (a writer held the file past the bound too)."""
        kept = self._conn is not None
        try:
            self._connection().execute(self._statement, values)
            return True
        except IntegrityError:
            raise Taken from None
        except SQLAlchemyError as exc:
            invalidated = isinstance(exc, DBAPIError) and exc.connection_invalidated
            raise Lost(str(exc), kept and invalidated) from None

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self.db.sqlite_path is not None:  # an in-memory database is one shared connection
                conn.detach()
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {round(self.wait_s * 1000)}")
            self._conn = conn
        return self._conn

    def drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except SQLAlchemyError:
                log.debug("the insert's connection could not be closed", exc_info=True)


class PostgresInsert:
    abandon_s = 30.0  # a connection or statement unanswered this long is given up

    def __init__(self, db: Database, model: type[Any]) -> None:
        import psycopg2  # here: a plant on SQLite does not load the driver (serve's start, issue 20)
        import psycopg2.extensions

        self._pg, self._ext = psycopg2, psycopg2.extensions
        self._dialect = db.engine.dialect
        self._args = self._dialect.create_connect_args(db.engine.url)
        self._model = model
        self._sql = ""  # SQLAlchemy's statement for psycopg2, compiled for the first row's columns
        self._processors: dict[str, Any] = {}  # each column type's value to the driver's (enum, JSON)
        self._conn: Any = None
        self._cursor: Any = None  # kept: psycopg2 drops an asynchronous statement whose cursor is freed
        self._in_flight = False  # connecting, or a statement sent and its answer not read yet
        self._since = 0.0  # when it was sent (monotonic)

    def hanging(self) -> bool:
        """A connection or statement left unanswered at an earlier deadline still is (looked at without
        waiting); once it answered, the connection serves the next insert."""
        if not self._in_flight:
            return False
        try:
            if self._conn.poll() != self._ext.POLL_OK:
                if time.monotonic() - self._since < self.abandon_s:
                    return True
                log.error(
                    "the database has not answered for %.0f s; its connection is closed", self.abandon_s
                )
                self.drop()
                return False
        except self._pg.Error:
            self.drop()  # it failed meanwhile: the next insert starts afresh
            return False
        self._in_flight = False
        return False

    def insert(self, values: dict[str, Any], deadline: float) -> bool:
        """True when written, False when no answer came by ``deadline`` (``hanging()`` is then True);
        raises ``Taken`` or ``Lost``."""
        kept = self._conn is not None
        if not self._sql:
            self._compile(list(values))
        try:
            if self._conn is None:
                cargs, cparams = self._args
                self._conn = self._pg.connect(*cargs, **cparams, async_=True)
                self._in_flight, self._since = True, time.monotonic()
                if not self._wait(deadline):
                    return False
            processors = self._processors
            params = {k: (processors[k](v) if k in processors else v) for k, v in values.items()}
            self._cursor = self._conn.cursor()
            self._cursor.execute(self._sql, params)
            self._in_flight, self._since = True, time.monotonic()
            return self._wait(deadline)
        except self._pg.IntegrityError:
            self._in_flight = False
            raise Taken from None
        except self._pg.Error as exc:
            raise Lost(str(exc).strip() or type(exc).__name__, kept) from None

    def _compile(self, columns: list[str]) -> None:
        dialect = self._dialect
        self._sql = insert(self._model).compile(dialect=dialect, column_keys=columns).string
        table = inspect(self._model).columns
        self._processors = {
            key: proc
            for key in columns
            if (proc := table[key].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }

    def _wait(self, deadline: float) -> bool:
        conn, ext = self._conn, self._ext
        while True:
            state = conn.poll()  # raises what the server answered: a duplicate key, a lost connection
            if state == ext.POLL_OK:
                self._in_flight = False
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            # A selector, not select(): that fails for a descriptor above 1023 (DEVELOPERS.md); epoll here,
            # select on Windows, where poll() is missing.
            with selectors.DefaultSelector() as waiter:
                event = selectors.EVENT_READ if state == ext.POLL_READ else selectors.EVENT_WRITE
                waiter.register(conn.fileno(), event)
                waiter.select(left)

    def drop(self) -> None:
        conn, self._conn = self._conn, None
        self._cursor, self._in_flight = None, False
        if conn is not None:
            try:
                conn.close()
            except self._pg.Error:
                log.debug("the insert's connection could not be closed", exc_info=True)


def bounded_insert(db: Database, model: type[Any], wait_s: float) -> SqliteInsert | PostgresInsert:
    """Rows of ``model`` (a mapped class) inserted within a bound, by the database's kind."""
    return SqliteInsert(db, model, wait_s) if db.dialect == "sqlite" else PostgresInsert(db, model)
