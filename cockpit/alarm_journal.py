"""The alarm journal: every alarm transition, written to ``alarm_journal`` off the core's hot path.

The core thread adds transitions as the engine makes them and hands what gathered to the database
worker once per cycle; the worker writes them in one session. A failed write is logged, never raised:
the journal must not stop the loop that stops work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from connectors.database import Database
from models.alarms import AlarmTransition
from models.schema import AlarmJournalEntry

log = logging.getLogger(__name__)


class AlarmJournal:
    def __init__(self, db: Database, console: str, run_later: Callable[..., Future[Any]]) -> None:
        self.db = db
        self.console = console
        self._run_later = run_later
        self._pending: list[AlarmTransition] = []  # core thread only

    def add(self, transitions: list[AlarmTransition]) -> None:
        """Core thread: keep these for the next hand-over."""
        self._pending.extend(transitions)

    def hand_over(self) -> None:
        """Core thread: what gathered goes to the database worker."""
        if self._pending:
            pending, self._pending = self._pending, []
            try:
                self._run_later(self.write, pending)
            except RuntimeError:  # the worker has shut down (a stop that outwaited this thread): write here
                self.write(pending)

    def write(self, transitions: list[AlarmTransition]) -> None:
        """Database worker: one session for the whole batch."""
        try:
            with self.db.session() as session:
                session.add_all([self._entry(t) for t in transitions])
        except Exception:
            log.exception("%d alarm journal entries could not be written", len(transitions))

    def _entry(self, t: AlarmTransition) -> AlarmJournalEntry:
        return AlarmJournalEntry(
            alarm_id=t.alarm_id,
            ts=t.ts,
            site_id=t.site,
            area_id=t.area,
            source=t.source,
            condition=t.condition,
            priority=int(t.priority),
            from_state=str(t.from_state),
            to_state=str(t.to_state),
            value=t.value,
            unit=t.unit or "",
            who=t.who or "",
            note=t.note or "",
            console=self.console,
        )
