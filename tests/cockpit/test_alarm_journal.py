"""The alarm journal keeps what the core thread hands over, even after its database worker stopped."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from cockpit.alarm_journal import JOURNAL, AlarmJournal, write_journal
from cockpit.outbox import Outbox, OutboxPump
from models.alarms import AlarmState, AlarmTransition
from models.records import Priority
from models.schema import AlarmJournalEntry
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant


def test_a_hand_over_after_the_worker_stopped_is_still_written(tmp_path: Path) -> None:
    """A stop whose join timed out shuts the worker down before the core thread's last hand-over: the
    entries are written on the spot instead of being lost with the executor's refusal."""
    now = datetime.now(UTC)
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, now)
    worker = ThreadPoolExecutor(max_workers=1)
    outbox = Outbox(tmp_path / "outbox.wal", db, {JOURNAL: write_journal})
    journal = AlarmJournal("c1", OutboxPump(outbox, worker).record)
    journal.add(
        [
            AlarmTransition(
                "S1/A1/GD-1/LEL:LEVEL", now, "S1", "A1", "S1/A1/GD-1/LEL", "HIHI", Priority.CRITICAL,
                AlarmState.NORMAL, AlarmState.UNACK, 31.0, "%LEL", "", "", "LEL high high",
            )
        ]
    )  # fmt: skip
    worker.shutdown(wait=True)
    journal.hand_over()
    with db.session() as s:
        rows = s.scalars(select(AlarmJournalEntry)).all()
        assert [(r.alarm_id, r.to_state, r.console) for r in rows] == [
            ("S1/A1/GD-1/LEL:LEVEL", "unack", "c1")
        ]
    db.dispose()
