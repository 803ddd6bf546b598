"""A read the PostgreSQL server plans once per connection, not once per call (issue 20).

psycopg2 prepares nothing: every call of a statement sends its text, and the server parses and plans
it again. For the permit detail's row (ten correlated subqueries) planning was 0.8 ms of its 1.2 ms
at 1M permits; for the approval queue 0.5 ms. :class:`PreparedRead` sends ``PREPARE name AS …`` the
first time a pooled connection runs it, and ``EXECUTE name(…)`` from then on; after five calls the
server keeps a generic plan and plans nothing. On SQLite (and any other database) it runs the
statement itself, unchanged.

What the server does with a prepared statement, and why this is safe with the pool:

- it lives as long as the server session (the DBAPI connection), across transactions: a ``PREPARE``
  in a transaction that is then rolled back stays (PostgreSQL's PREPARE is not transactional), and
  SQLAlchemy's reset at check-in is a rollback, never ``DISCARD ALL``;
- the mark "prepared here" is kept in the pooled connection's ``info``, which SQLAlchemy clears
  when that connection is invalidated and replaced: a new server session prepares again;
- a session reset behind the pool's back (a pooler's ``DISCARD ALL``: "prepared statement does not
  exist", 26000) or a column's type changed by another console's migration ("cached plan must not
  change result type", 0A000) fails that one read; the next read on the connection deallocates
  everything this module prepared there and prepares again.

The statement's values other than the named parameters are written into the prepared text
(``literal_binds``); the rows are typed by the statement's own columns, so they come out as the
statement's rows would (the same result processors: enums, JSON, UTC times).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, column, literal_column, text
from sqlalchemy.engine import Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

_INFO_KEY = "cockpit_prepared"  # in a pooled connection's ``info``: the names prepared on it
_RESET_KEY = "cockpit_prepared_reset"  # set when the server no longer has what the mark says
_STALE = frozenset({"26000", "0A000"})  # statement does not exist; cached plan changed result type


class PreparedRead:
    """``stmt`` run as a server-side prepared statement named ``name`` on PostgreSQL.

    ``params`` names the statement's bound parameters given at each call, in the order the prepared
    statement takes them (``$1``, ``$2``…); every other value in ``stmt`` is fixed."""

    def __init__(self, name: str, stmt: Select[*tuple[Any, ...]], params: tuple[str, ...] = ()) -> None:
        self.name = name
        self.stmt = stmt
        self.params = params
        self._prepare_sql: str | None = None
        args = ", ".join(f":{p}" for p in params)
        call = f"EXECUTE {name}({args})" if params else f"EXECUTE {name}"
        self._execute = text(call).columns(*(column(k, c.type) for k, c in stmt.selected_columns.items()))

    def execute(self, conn: Connection, values: dict[str, Any] | None = None) -> Result[*tuple[Any, ...]]:
        """The statement's rows, through the prepared statement on PostgreSQL."""
        if conn.dialect.name != "postgresql":
            return conn.execute(self.stmt, values or {})
        info = conn.connection.info
        prepared: set[str] = info.setdefault(_INFO_KEY, set())
        if info.pop(_RESET_KEY, False):
            conn.exec_driver_sql("DEALLOCATE ALL")
            prepared.clear()
        if self.name not in prepared:
            conn.exec_driver_sql(self.prepare_sql(conn))
            prepared.add(self.name)
        try:
            return conn.execute(self._execute, values or {})
        except DBAPIError as exc:
            if getattr(exc.orig, "pgcode", None) in _STALE:
                info[_RESET_KEY] = True
            raise

    def prepare_sql(self, conn: Connection) -> str:
        """``PREPARE name AS <stmt>``: the named parameters as ``$n``, the other values written in."""
        if self._prepare_sql is None:
            numbers = {p: f"${i}" for i, p in enumerate(self.params, 1)}

            def replace(element: Any, **_: Any) -> Any:
                if isinstance(element, BindParameter) and element.key in numbers:
                    return literal_column(numbers[element.key], element.type)
                return None

            stmt: Any = visitors.replacement_traverse(self.stmt, {}, replace)
            # a literal % comes out doubled for psycopg2's format, as exec_driver_sql expects it
            sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            self._prepare_sql = f"PREPARE {self.name} AS {sql}"
        return self._prepare_sql
