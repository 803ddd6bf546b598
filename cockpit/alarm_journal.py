"""The alarm journal: every alarm transition, written to ``alarm_journal`` off the core's hot path.

The core thread adds transitions as the engine makes them and hands what gathered over once per cycle,
as one ``journal`` record, to the core's outbox on the database worker (cockpit/outbox.py): written in
one session, or kept in the outbox file while the database is unreachable and written when it returns.
Nothing here raises into the loop that stops work.

Exactly once: an entry's key is its alarm, time, states and console; a replayed record writes only the
entries that are not there yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.alarms import AlarmTransition
from models.schema import AlarmJournalEntry

JOURNAL = "journal"


class AlarmJournal:
    def __init__(self, console: str, record: Callable[[str, dict[str, Any]], object]) -> None:
        self.console = console
        self._record = record  # the core's: to the outbox, on the database worker
        self._pending: list[AlarmTransition] = []  # core thread only

    def add(self, transitions: list[AlarmTransition]) -> None:
        """Core thread: keep these for the next hand-over."""
        self._pending.extend(transitions)

    def hand_over(self) -> None:
        """Core thread: what gathered goes to the database worker as one record."""
        if self._pending:
            pending, self._pending = self._pending, []
            self._record(JOURNAL, {"entries": [self._entry(t) for t in pending]})

    def _entry(self, t: AlarmTransition) -> dict[str, Any]:
        return {
            "alarm_id": t.alarm_id,
            "ts": t.ts.isoformat(),
            "site_id": t.site,
            "area_id": t.area,
            "source": t.source,
            "condition": t.condition,
            "priority": int(t.priority),
            "from_state": str(t.from_state),
            "to_state": str(t.to_state),
            "value": t.value,
            "unit": t.unit or "",
            "who": t.who or "",
            "note": t.note or "",
            "console": self.console,
        }


def _key(alarm_id: str, ts: datetime, from_state: str, to_state: str) -> tuple[str, str, str, str]:
    return alarm_id, ts.astimezone(UTC).isoformat(timespec="microseconds"), from_state, to_state


def write_journal(session: Session, body: dict[str, Any], replay: bool) -> None:
    """The outbox's writer for ``journal`` records: one session for the whole batch."""
    entries = [{**e, "ts": datetime.fromisoformat(e["ts"])} for e in body["entries"]]
    if replay and entries:
        console = entries[0]["console"]
        times = [e["ts"] for e in entries]
        found = {
            _key(r.alarm_id, r.ts, r.from_state, r.to_state)
            for r in session.execute(
                select(
                    AlarmJournalEntry.alarm_id,
                    AlarmJournalEntry.ts,
                    AlarmJournalEntry.from_state,
                    AlarmJournalEntry.to_state,
                ).where(
                    AlarmJournalEntry.console == console,
                    AlarmJournalEntry.ts >= min(times),
                    AlarmJournalEntry.ts <= max(times),
                )
            )
        }
        entries = [
            e for e in entries if _key(e["alarm_id"], e["ts"], e["from_state"], e["to_state"]) not in found
        ]
    session.add_all([AlarmJournalEntry(**e) for e in entries])
