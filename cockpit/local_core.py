"""The in-process shape of the core's port: the field core on a thread of this process.

``[general] field_process = false`` (simpler to debug) and the view tests' first shape. The screens
read exactly what they read with the field process: a ``LiveModel`` fed with the core thread's
updates, here through a local queue (``GuiInbox``) instead of the pipe. The acts go straight to the
core (``CockpitCore`` queues them to its thread and answers with a future).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from cockpit.bridge import gui_object
from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.core_state import CoreDelta
from cockpit.live import SEND_INTERVAL_S, MirroredCore, Update, UpdateBuilder
from connectors.database import Database


class GuiInbox(QObject):
    """The in-process transport: the core thread puts updates, the GUI thread takes them all at once.

    One queued signal per batch of waiting updates (only when the inbox was empty), so a GUI that is
    busy gets one call for everything that arrived meanwhile. Busy means two are waiting: the builder
    then holds and merges, and nothing piles up here. Its timer queues the builder's tick on the core
    thread ten times a second (values held back, the board once a second).
    """

    arrived = Signal()
    _begin = Signal()

    def __init__(self, take: Callable[[list[Update]], None], pump: Callable[[], None]) -> None:
        super().__init__()
        self._take = take
        self._lock = threading.Lock()
        self._waiting: deque[Update] = deque()
        self._timer: QTimer | None = None
        self._pump = pump
        gui_object(self)
        self.arrived.connect(self._drain)
        self._begin.connect(self._start_pump)

    def start(self) -> None:
        self._begin.emit()  # the timer is made on the GUI thread, whichever thread starts us

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._drain()

    def busy(self) -> bool:
        return len(self._waiting) >= 2

    def put(self, update: Update) -> None:
        with self._lock:
            self._waiting.append(update)
            first = len(self._waiting) == 1
        if first:
            self.arrived.emit()

    def _drain(self) -> None:
        with self._lock:
            updates = list(self._waiting)
            self._waiting.clear()
        if updates:
            self._take(updates)

    def _start_pump(self) -> None:
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._pump)
        self._timer.start(round(SEND_INTERVAL_S * 1000))


class LocalCore(MirroredCore):
    """``CorePort`` over a ``CockpitCore`` on this process's core thread (see the module docstring)."""

    def __init__(
        self,
        config: Config,
        db: Database,
        *,
        console: str | None = None,
        broker_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        listener: Callable[[CoreDelta], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(
            config, console=console, url=broker_url or config.mqtt.url, listener=listener, clock=clock
        )
        self.inbox = GuiInbox(self._apply, self._pump)
        self._builder = UpdateBuilder(self.inbox.put, self.inbox.busy)
        self.field = CockpitCore(
            config,
            db,
            console=self.console,
            broker_url=broker_url,
            username=username,
            password=password,
            listener=self._builder.on_delta,
            clock=clock,
        )
        self._builder.core = self.field
        self.field.store.enable_export()

    def start(self) -> None:
        self.field.start()
        self.inbox.start()

    def stop(self) -> None:
        self.field.stop()
        self.inbox.stop()  # what the core put last reaches the screens still
        self.listener = None

    def _pump(self) -> None:
        self.field.call(self._builder.tick)

    def _act(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        result = getattr(self.field, name)(*args, **kwargs)
        if isinstance(result, Future):
            return result
        done: Future[Any] = Future()
        done.set_result(result)
        return done
