"""The alarm journal's search for the journal screen: past alarm transitions as plain lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.journal_queries import JOURNAL_LIMIT, JournalFilter, JournalLine, journal_lines

if TYPE_CHECKING:
    from connectors.database import Database

__all__ = ["JOURNAL_LIMIT", "JournalFilter", "JournalLine", "JournalSearch"]


class JournalSearch:
    """Searches the ``alarm_journal`` table; each search in its own session (call it off the GUI thread)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, f: JournalFilter) -> list[JournalLine]:
        """Past alarm transitions matching ``f``, newest first, at most ``f.limit``."""
        with self._db.session() as session:
            return journal_lines(session, f)
