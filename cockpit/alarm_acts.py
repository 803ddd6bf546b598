"""An operator's acts on alarms, carried out on the core thread and told to the other consoles.

Acknowledge, shelve, unshelve, out of / in service go through ``AlarmEngine.apply`` and are published
on ``_cockpit/alarm-action`` (the other consoles apply them idempotently, ``ConsoleSync``); clearing a
discrete event (a man-down that is over) stays on this console. ``CockpitCore`` queues each act to
its thread and returns a future of the number of transitions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cockpit.sessions import VerifiedActor, acting
from cockpit.wire import dumps
from connectors.topics import Topics
from models.alarms import ActionKind, AlarmEngine, AlarmTransition, OperatorAction

if TYPE_CHECKING:
    from cockpit.config import Config
    from models.limits import LimitResolver


class AlarmActs:
    """Core thread only."""

    def __init__(
        self,
        engine: AlarmEngine,
        topics: Topics,
        *,
        console: str,
        clock: Callable[[], datetime],
        emit: Callable[[list[AlarmTransition]], None],
        publish: Callable[[str, bytes, int, bool], object],
    ) -> None:
        self.engine = engine
        self.topics = topics
        self.console = console
        self.clock = clock
        self._emit = emit
        self._publish = publish

    def acknowledge(self, actor: VerifiedActor, alarm_ids: list[str], note: str) -> int:
        acting(actor, "acknowledge")
        return sum(1 for alarm_id in alarm_ids if self._act(actor, ActionKind.ACK, alarm_id, note=note))

    def shelve(self, actor: VerifiedActor, alarm_id: str, reason: str, minutes: float) -> int:
        acting(actor, "shelve")
        until = self.clock() + timedelta(minutes=minutes)
        return len(self._act(actor, ActionKind.SHELVE, alarm_id, reason=reason, until=until))

    def unshelve(self, actor: VerifiedActor, alarm_id: str) -> int:
        acting(actor, "shelve")
        return len(self._act(actor, ActionKind.UNSHELVE, alarm_id))

    def set_out_of_service(self, actor: VerifiedActor, alarm_id: str, reason: str, in_service: bool) -> int:
        acting(actor, "out_of_service")
        kind = ActionKind.IN_SERVICE if in_service else ActionKind.OUT_OF_SERVICE
        return len(self._act(actor, kind, alarm_id, reason=reason))

    def clear_event(self, actor: VerifiedActor, alarm_id: str, note: str) -> int:
        """A person confirms that a man-down (or other discrete alarm) is over."""
        acting(actor, "clear_event")
        alarm = self.engine.get(alarm_id)
        if alarm is None:
            return 0
        out = self.engine.clear_event(
            alarm.source, alarm.condition, self.clock(), who=actor.username, note=note
        )
        self._emit(out)
        return len(out)

    def _act(
        self,
        actor: VerifiedActor,
        kind: ActionKind,
        alarm_id: str,
        *,
        note: str = "",
        reason: str = "",
        until: datetime | None = None,
    ) -> list[AlarmTransition]:
        """Carry out an operator's act here and tell the other consoles (they apply it idempotently)."""
        action = OperatorAction(
            kind=kind,
            alarm_id=alarm_id,
            who=actor.username,
            ts=self.clock(),
            note=note,
            reason=reason,
            until=until,
            console=self.console,
        )
        transitions = self.engine.apply(action)
        self._emit(transitions)
        self._publish(self.topics.alarm_action(), dumps(action.to_dict()), 1, False)
        return transitions


def alarm_engine(config: Config, resolver: LimitResolver) -> AlarmEngine:
    """The core's alarm engine as the configuration sets it (built by the composition root)."""
    alarms = config.alarms
    return AlarmEngine(
        resolver,
        shelve_max=timedelta(hours=alarms.shelve_max_h),
        flood_count=alarms.flood_count,
        flood_window=timedelta(minutes=alarms.flood_window_min),
    )
