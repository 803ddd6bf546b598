"""Workers by name on the alarm screens: a man-down names "worker 张伟 (W-10023)", not the id alone.

The field names a worker by id (contract §3) and an alarm's source is ``worker:{id}``; the register
knows the name. ``WorkerNames`` reads the names of the ids a screen is about to show off the GUI
thread, once each, and says ``changed`` when some arrived; until then (and for an id the register
lacks) the screen shows the id, so nothing waits on the database. A failed read (the database away)
is tried again after ``RETRY_MS``, not at every refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from cockpit.people_names import WORKER_SOURCE
from views.offgui import OffGui

log = logging.getLogger(__name__)

RETRY_MS = 30_000

Read = Callable[[list[str]], dict[str, str]]


class WorkerNames(QObject):
    """id -> the register's name, filled off the GUI thread by ``want``; ``changed`` when names came."""

    changed = Signal()

    def __init__(self, read: Read | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read = read
        self._names: dict[str, str] = {}
        self._asked: set[str] = set()  # read, being read, or failed less than RETRY_MS ago
        self._offgui = OffGui(self, name="worker-names")

    def name(self, worker: str) -> str | None:
        return self._names.get(worker)

    def want(self, workers: Iterable[str]) -> None:
        """Read the names of those of ``workers`` never asked for (nothing when there is no reader)."""
        read = self._read
        new = sorted({w for w in workers if w and w not in self._asked})
        if read is None or not new:
            return
        self._asked.update(new)
        self._offgui.run(lambda: read(new), self._took, lambda exc: self._failed(new, exc))

    def want_sources(self, sources: Iterable[str]) -> None:
        """``want`` for the workers among alarm sources (``worker:{id}``)."""
        self.want(s.removeprefix(WORKER_SOURCE) for s in sources if s.startswith(WORKER_SOURCE))

    def _took(self, names: dict[str, str]) -> None:
        fresh = {w: n for w, n in names.items() if self._names.get(w) != n}
        if fresh:
            self._names.update(fresh)
            self.changed.emit()

    def _failed(self, workers: list[str], exc: Exception) -> None:
        log.warning(
            "the names of workers %s could not be read; shown by id", ", ".join(workers), exc_info=exc
        )
        QTimer.singleShot(RETRY_MS, self, lambda: self._asked.difference_update(workers))
