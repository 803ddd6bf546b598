"""Alembic migrations of ``models.schema``; the environment is configured in code, no alembic.ini.

``connectors.database.upgrade_database`` builds the alembic ``Config`` with ``MIGRATIONS_DIR`` as the
script location and hands its open connection over in ``config.attributes["connection"]``, so the
migration runs on exactly the engine (URL options, SQLite pragmas) the program uses.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent
