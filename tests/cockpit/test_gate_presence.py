"""Who is inside, folded from the audit trail's gate movements (cockpit/gate_presence.py): a full read at
start and the follow's reads of what was written since agree, a movement written late (an outbox
replay after an outage) never undoes a newer one, and names come from the register. Real SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cockpit.gate_presence import ALLOWED, ENTRY, EXIT, KEEP, Presence, read_presence
from connectors.database import Database
from models.schema import AuditEntry, Worker
from tests.support.fresh_db import open_fresh

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    with database.session() as s:
        s.add_all([Worker(id="W-1", name="李焊工"), Worker(id="W-2", name="王监护")])
    yield database
    database.dispose()


def write(db: Database, action: str, worker: str, ts: datetime, area: str = "A1") -> None:
    with db.session() as s:
        seq = (s.scalar(select(func.max(AuditEntry.seq))) or 0) + 1
        s.add(
            AuditEntry(
                seq=seq,
                ts=ts,
                actor=f"gate:S1/{area}",
                action=action,
                subject=worker,
                details=json.dumps({"site": "S1", "area": area}),
                prev_hash="0" * 64,
                hash=f"{seq:064d}",
            )
        )


def people(p: Presence, area: str = "A1") -> dict[str, tuple[str, datetime]]:
    return p.inside.get(("S1", area), {})


def full(db: Database) -> Presence:
    with db.session() as s:
        return read_presence(s, NOW)


def test_allows_entries_and_exits_fold_into_who_is_inside_with_names_and_since(db: Database) -> None:
    t = NOW - timedelta(hours=2)
    write(db, ALLOWED, "W-1", t)
    write(db, ENTRY, "W-1", t + timedelta(minutes=1))
    write(db, ENTRY, "W-404", t + timedelta(minutes=2))  # not on the register: listed by the id
    write(db, ENTRY, "W-2", t, area="A2")
    write(db, EXIT, "W-2", t + timedelta(minutes=5), area="A2")
    write(db, ENTRY, "W-2", NOW - KEEP - timedelta(minutes=1), area="A3")  # past KEEP: forgotten
    p = full(db)
    assert people(p) == {"W-1": ("李焊工", t), "W-404": ("W-404", t + timedelta(minutes=2))}
    assert people(p, "A2") == {} and people(p, "A3") == {}
    assert p.allows == {("S1", "A1", "W-1"): t}


def test_the_follow_reads_only_what_came_since_and_agrees_with_a_full_read(db: Database) -> None:
    t = NOW - timedelta(hours=1)
    write(db, ENTRY, "W-1", t)
    before = full(db)
    write(db, ENTRY, "W-2", t + timedelta(minutes=1))
    write(db, EXIT, "W-1", t + timedelta(minutes=2))
    with db.session() as s:
        after = read_presence(s, NOW, before)
    assert people(before) == {"W-1": ("李焊工", t)}  # the base is not changed by the follow
    assert people(after) == people(full(db)) == {"W-2": ("王监护", t + timedelta(minutes=1))}
    assert after.last_seq == full(db).last_seq == 3


def test_a_movement_written_late_does_not_undo_a_newer_one(db: Database) -> None:
    t = NOW - timedelta(hours=1)
    write(db, ENTRY, "W-1", t + timedelta(minutes=10))
    before = full(db)
    write(db, EXIT, "W-1", t)  # an exit of an earlier stay, replayed from an outbox after an outage
    with db.session() as s:
        after = read_presence(s, NOW, before)
    assert "W-1" in people(after) and "W-1" in people(full(db))
