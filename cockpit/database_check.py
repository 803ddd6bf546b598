"""The self-test's database checks: a new SQLite database migrates to the head revision, and the
PostgreSQL dialect loads. The screen (views/selftest.py) words the verdicts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from connectors.database import current_revision, default_sqlite_url, head_revision, open_database


@dataclass(frozen=True, slots=True)
class SchemaCheck:
    sqlite_version: str
    revision: str | None  # what the new database reached
    head: str  # what the program's migrations end at

    @property
    def complete(self) -> bool:
        return self.revision == self.head


def migrate_new_sqlite(workdir: Path) -> SchemaCheck:
    """Create and migrate a database under ``workdir``; raises ``UserError`` when it cannot be opened."""
    db = open_database(default_sqlite_url(workdir / "sqlite"))
    try:
        with db.engine.connect() as conn:
            revision = current_revision(conn)
    finally:
        db.dispose()
    return SchemaCheck(sqlite3.sqlite_version, revision, head_revision())


def load_postgresql_dialect() -> None:
    """Load SQLAlchemy's PostgreSQL dialect (it imports the driver); raises if it cannot."""
    from sqlalchemy import make_url

    make_url("postgresql+psycopg2://check@localhost/check").get_dialect()
