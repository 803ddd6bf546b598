"""Console sync: what other consoles on the broker did, applied here so every console shows the same.

Their operator acts on alarms (``_cockpit/alarm-action``, applied idempotently, our own ignored),
their stop- and resume-work commands (contract §7, §8) and the areas' work states (§9). The decoder
has checked them already (``connectors.own_topics``). Runs on the core thread; what it changes it
reports through the core's delta (``on_command``, ``on_permits``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from cockpit.stopwork import CommandView, StopWorkService
from connectors.own_topics import AlarmActionMessage, ConsoleCommand, OwnMessage, WorkStateMessage
from models.alarms import AlarmEngine, AlarmTransition
from models.errors import UserError

log = logging.getLogger(__name__)


class ConsoleSync:
    def __init__(
        self,
        console: str,
        engine: AlarmEngine,
        stopwork: StopWorkService,
        *,
        emit: Callable[[list[AlarmTransition]], None],
        on_command: Callable[[CommandView], None],
        on_permits: Callable[[], None],
    ) -> None:
        self.console = console
        self.engine = engine
        self.stopwork = stopwork
        self._emit = emit
        self._on_command = on_command
        self._on_permits = on_permits

    def handle(self, msg: OwnMessage, now: datetime) -> None:
        if isinstance(msg, AlarmActionMessage):
            self._alarm_action(msg)
        elif isinstance(msg, ConsoleCommand):
            self.stopwork.on_remote_command(msg.kind, msg.site, msg.area, _command_body(msg), now)
            view = self.stopwork.commands.get(msg.command_id)
            if view is not None:
                self._on_command(view)
                self._on_permits()
        elif isinstance(msg, WorkStateMessage):
            body: dict[str, object] = {"state": msg.state, "command_id": msg.command_id, "reason": msg.reason}
            self.stopwork.on_work_state(msg.site, msg.area, body, now)
            self._on_permits()
        # ConsoleHealth: other consoles' health is not shown yet

    def _alarm_action(self, msg: AlarmActionMessage) -> None:
        action = msg.action
        if action.console == self.console:
            return  # our own, back from the broker
        try:
            transitions = self.engine.apply_remote(action)
        except UserError as exc:  # e.g. a shelve without reason or end: refused, the batch goes on
            log.warning("alarm action from console %s refused: %s", action.console, exc)
            return
        self._emit(transitions)


def _command_body(msg: ConsoleCommand) -> dict[str, object]:
    """The command as ``StopWorkService.on_remote_command`` reads it (contract §7)."""
    return {
        "command_id": msg.command_id,
        "permits": list(msg.permits),
        "reason": msg.reason,
        "alarm_id": msg.alarm_id or "",
        "issued_by": msg.issued_by,
        "auto": msg.auto,
    }
