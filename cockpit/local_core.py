"""The in-process shape of the core's port: the field core on a thread of this process.

``[general] field_process = false`` (simpler to debug) and the view tests' first shape. The screens
read exactly what they read with the field process: a ``LiveModel`` fed with the core thread's
updates, here through a local queue (``cockpit.live.GuiInbox``) instead of the pipe. The acts go
straight to the core (``CockpitCore`` queues them to its thread and answers with a future).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.core_state import CoreDelta
from cockpit.live import GuiInbox, MirroredCore
from cockpit.live_feed import UpdateBuilder
from cockpit.sessions import SessionKeys
from connectors.database import Database


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
        sessions: SessionKeys | None = None,
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
            sessions=sessions,
            beside_gui=True,  # the GUI thread shares this interpreter (cockpit/core_loop.py)
        )
        self.sessions = self.field.gate.keys  # what this console's logins are signed with
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
