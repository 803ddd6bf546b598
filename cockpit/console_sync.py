"""Console sync: what other consoles on the broker did, applied here so every console shows the same.

Their operator acts on alarms (``_cockpit/alarm-action``, applied idempotently, our own ignored),
their stop- and resume-work commands (contract §7, §8) and the areas' work states (§9). Runs on the
core thread; what it changes it reports through the core's delta (``on_command``, ``on_permits``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from cockpit.stopwork import CommandView, StopWorkService
from cockpit.wire import Topics
from models.alarms import AlarmEngine, AlarmTransition, OperatorAction
from models.errors import UserError

log = logging.getLogger(__name__)


class ConsoleSync:
    def __init__(
        self,
        console: str,
        topics: Topics,
        engine: AlarmEngine,
        stopwork: StopWorkService,
        *,
        emit: Callable[[list[AlarmTransition]], None],
        on_command: Callable[[CommandView], None],
        on_permits: Callable[[], None],
    ) -> None:
        self.console = console
        self.topics = topics
        self.engine = engine
        self.stopwork = stopwork
        self._emit = emit
        self._on_command = on_command
        self._on_permits = on_permits

    def handle(self, topic: str, payload: bytes, now: datetime) -> None:
        parsed = self.topics.parse_own(topic)
        if parsed is None:
            return
        kind, parts = parsed
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        if kind == "alarm-action":
            if body.get("console") == self.console:
                return
            try:
                action = OperatorAction.from_dict(body)
            except (KeyError, TypeError, ValueError, UserError):
                log.warning("unreadable alarm action from another console: %r", payload[:200])
                return
            self._emit(self.engine.apply_remote(action))
        elif kind in ("stop-work", "resume-work"):
            self.stopwork.on_remote_command(kind, parts[1], parts[2], body, now)
            view = self.stopwork.commands.get(str(body.get("command_id", "")))
            if view is not None:
                self._on_command(view)
                self._on_permits()
        elif kind == "work-state":
            self.stopwork.on_work_state(parts[1], parts[2], body, now)
            self._on_permits()
