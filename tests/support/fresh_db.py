"""A new database for a test without running every migration again for it.

Migrating an empty SQLite file to head took 0.1 s (11 revisions through alembic), in some six hundred
tests of a run. ``open_fresh`` opens a SQLite file that does not exist yet as a copy of one file migrated
once per run, then through ``open_database`` as the program does (which finds it at head). The schema is
the migrations' own: nothing is built another way. PostgreSQL URLs, in-memory SQLite and files that
exist already are opened as given. The migrations themselves are tested where they are the subject
(tests/models, tests/connectors/test_database.py, the command line's `db init`).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from sqlalchemy import make_url

from connectors.database import Database, open_database


@cache
def _migrated_file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cockpit-migrated-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "migrated.db"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself
    finally:
        db.dispose()
    return path


def open_fresh(url: str) -> Database:
    """``open_database(url)``; a SQLite file not there yet starts as a copy of the migrated schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        target = Path(parsed.database)
        if not target.exists() and target.parent.is_dir():
            shutil.copyfile(_migrated_file(), target)
    return open_database(url)
