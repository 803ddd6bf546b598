"""Console sync applies other consoles' records, ignores its own, and survives a refused action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cockpit.console_sync import ConsoleSync
from cockpit.stopwork import CommandView
from connectors.own_topics import AlarmActionMessage, ConsoleCommand, ConsoleHealth, WorkStateMessage
from models.alarms import ActionKind, AlarmEngine, AlarmState, AlarmTransition, OperatorAction
from models.limits import LimitResolver
from models.records import Reading

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class StopWorkStub:
    """What console sync asks of StopWorkService: the calls, and the command they made known."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.commands: dict[str, CommandView] = {}

    def on_remote_command(
        self, kind: str, site: str, area: str, body: dict[str, object], now: datetime
    ) -> None:
        self.calls.append(("command", kind, site, area, body))
        self.commands[str(body["command_id"])] = CommandView(
            str(body["command_id"]), "stop", site, area, [], "", None, "", False, now
        )

    def on_work_state(self, site: str, area: str, body: dict[str, object], ts: datetime) -> None:
        self.calls.append(("work-state", site, area, body))


def make() -> tuple[ConsoleSync, AlarmEngine, StopWorkStub, list[Any]]:
    engine = AlarmEngine(LimitResolver("cn"), clock=lambda: T0)
    stopwork = StopWorkStub()
    seen: list[Any] = []

    def emit(transitions: list[AlarmTransition]) -> None:
        seen.extend(transitions)

    sync = ConsoleSync(
        "ccr-1",
        engine,
        stopwork,  # type: ignore[arg-type]
        emit=emit,
        on_command=seen.append,
        on_permits=lambda: seen.append("permits"),
    )
    return sync, engine, stopwork, seen


def action(kind: ActionKind, console: str, **extra: Any) -> AlarmActionMessage:
    return AlarmActionMessage(
        OperatorAction(
            kind=kind, alarm_id="S1/A1/GD-1/LEL:LEVEL", who="op.wu", ts=T0, console=console, **extra
        )
    )


def test_another_consoles_ack_is_applied_and_our_own_is_not() -> None:
    sync, engine, _, seen = make()
    engine.process_message("S1", "A1", "GD-1", (Reading("LEL", 40.0, "%LEL"),), T0)
    sync.handle(action(ActionKind.ACK, "ccr-1"), T0)
    assert seen == []
    sync.handle(action(ActionKind.ACK, "ccr-2"), T0)
    assert [t.to_state for t in seen] == [AlarmState.ACKED]


def test_a_refused_remote_shelve_is_logged_and_the_batch_goes_on() -> None:
    sync, _, _, seen = make()
    sync.handle(action(ActionKind.SHELVE, "ccr-2", until=None), T0)  # no reason, no end: refused
    assert seen == []


def test_commands_and_work_states_reach_stop_work_in_its_words() -> None:
    sync, _, stopwork, seen = make()
    cmd = ConsoleCommand("stop-work", "S1", "A1", "c-1", T0, ("HW-1",), "LEL", None, "op.wu", True)
    sync.handle(cmd, T0)
    assert stopwork.calls[0] == (
        "command",
        "stop-work",
        "S1",
        "A1",
        {
            "command_id": "c-1",
            "permits": ["HW-1"],
            "reason": "LEL",
            "alarm_id": "",
            "issued_by": "op.wu",
            "auto": True,
        },
    )
    assert seen[0] is stopwork.commands["c-1"] and seen[1] == "permits"
    sync.handle(WorkStateMessage("S1", "A1", "stopped", "c-1", "LEL", T0 - timedelta(days=9)), T0)
    assert stopwork.calls[1] == (
        "work-state",
        "S1",
        "A1",
        {"state": "stopped", "command_id": "c-1", "reason": "LEL"},
    )
    sync.handle(ConsoleHealth("ccr-2", "online", T0), T0)
    assert len(stopwork.calls) == 2
