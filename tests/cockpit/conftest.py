"""Fixtures many of the core's test modules share: a Mosquitto of the test's own, and the small plant
(tests/support/plant.py) on a SQLite file. A module that needs another kind defines its own of the name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.database import Database
from tests.support.broker import MosquittoProcess
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoProcess]:
    b = MosquittoProcess(tmp_path).start()
    yield b
    b.stop()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, datetime.now(UTC))
    yield database
    database.dispose()
