"""The read model's copies are made again only when what they show changed, and then always.

The core thread publishes its read model every 250 ms: a copy of every active alarm and of the
recent commands. Building each copy anew was most of that capture, and the capture held up the
alarm path behind it (``bench/alarm_latency``: the tail grew with the number of standing alarms).
An unchanged alarm or command now keeps its copy; a copy that missed a change would show the control
room a stale alarm, so every field is checked here.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cockpit.config import Config
from cockpit.core_state import PermitInfo
from cockpit.permit_monitor import AlarmDesk, PermitMonitor
from cockpit.stopwork import CommandView, StopWorkService
from connectors.topics import Topics
from models.alarm_records import Alarm
from models.alarms import AlarmEngine, AlarmState
from models.limits import LimitResolver
from models.records import ChannelKey, PermitStatus, PermitType, Priority, Quality
from tests.support.fresh_db import open_fresh

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
KEY = ChannelKey("S1", "A1", "D1", "LEL")


def only(engine: AlarmEngine) -> Alarm:
    (alarm,) = engine.active()
    return alarm


def test_an_unchanged_alarm_keeps_its_copy_and_every_change_shows() -> None:
    engine = AlarmEngine(LimitResolver("cn"), clock=lambda: T0)
    engine.process(KEY, 30.0, Quality.GOOD, T0)
    first = only(engine)
    assert first.state is AlarmState.UNACK and first.value == 30.0
    assert only(engine) is first  # nothing changed: the same copy

    engine.process(KEY, 32.0, Quality.GOOD, T0 + timedelta(seconds=1))
    second = only(engine)
    assert second is not first and second.value == 32.0 and first.value == 30.0  # a copy never changes

    engine.acknowledge(first.alarm_id, "op.li", ts=T0 + timedelta(seconds=2))
    acked = only(engine)
    assert (acked.state, acked.acked_by) == (AlarmState.ACKED, "op.li")


def test_the_alarm_copy_follows_every_field_it_shows() -> None:
    """Each field of the snapshot, changed on the engine's alarm alone, gives a new copy showing it."""
    engine = AlarmEngine(LimitResolver("cn"), clock=lambda: T0)
    engine.process(KEY, 30.0, Quality.GOOD, T0)
    live = next(iter(engine._alarms.values()))  # the engine's own record of the alarm
    later = T0 + timedelta(minutes=5)
    changes = {
        "condition": ("cond", "HI"),
        "priority": ("prio", Priority.LOW),
        "active": ("active", False),
        "value": ("value", 12.5),
        "unit": ("unit", "ppm"),
        "limit": ("limit", 99.0),
        "first_ts": ("first_ts", later),
        "last_ts": ("last_ts", later),
        "activations": ("activations", 7),
        "acked_by": ("acked_by", "op.wang"),
        "acked_at": ("acked_at", later),
        "shelved_by": ("shelved_by", "lead.zhao"),
        "shelved_until": ("shelved_until", later),
        "shelve_reason": ("shelve_reason", "sensor work"),
        "oos_by": ("oos_by", "lead.zhao"),
        "oos_reason": ("oos_reason", "replaced"),
        "message": ("message", "a new message"),
        "permit": ("permit", "HW-9"),
    }
    identity = {"alarm_id", "kind", "site", "area", "source", "state"}
    assert set(changes) | identity == {f.name for f in fields(Alarm)}  # a new field must be added here
    for shown, (attr, value) in changes.items():
        before = live.snapshot()
        setattr(live, attr, value)
        after = live.snapshot()
        assert after is not before and getattr(after, shown) == value, shown
    live.oos = True
    assert live.snapshot().state is AlarmState.OUT_OF_SERVICE


def view(command_id: str, issued_at: datetime) -> CommandView:
    return CommandView(
        command_id=command_id,
        kind="stop",
        site="S1",
        area="A1",
        permits=["HW-1"],
        reason="LEL HIHI",
        alarm_id="a",
        issued_by="cockpit",
        auto=True,
        issued_at=issued_at,
    )


def test_recent_command_copies_are_reused_until_the_command_changes(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    stopwork = StopWorkService(
        db,
        lambda topic, payload, qos, retain: None,
        Topics("plant"),
        console="c1",
        ack_timeout=timedelta(seconds=60),
        record=lambda kind, body: None,
        area_permits=lambda site, area: [],
    )
    older, newer = view("c-1", T0), view("c-2", T0 + timedelta(seconds=1))
    stopwork.commands = {"c-1": older, "c-2": newer}
    first = stopwork.recent_copies()
    assert [c.command_id for c in first] == ["c-2", "c-1"]  # newest first, as ``recent``
    assert first[0] is not newer  # a copy, never the service's own
    again = stopwork.recent_copies()
    assert again[0] is first[0] and again[1] is first[1]

    newer.acks.append(("received", "gw-1", T0 + timedelta(seconds=2)))  # a list changed in place
    older.state = "timeout"
    changed = stopwork.recent_copies()
    assert changed[0] is not first[0] and [a[0] for a in changed[0].acks] == ["received"]
    assert first[0].acks == []  # the copy the readers held is untouched
    assert changed[1].state == "timeout"

    newer.permits.append("CS-2")
    assert stopwork.recent_copies()[0].permits == ["HW-1", "CS-2"]
    stopwork.commands.pop("c-1")
    assert [c.command_id for c in stopwork.recent_copies()] == ["c-2"]
    db.dispose()


@pytest.mark.parametrize("name", [f.name for f in fields(CommandView)])
def test_a_command_copy_follows_every_field(name: str) -> None:
    """``shown`` holds every field: a change in any one of them makes a new copy."""
    base = view("c-1", T0)
    assert len(base.shown()) == len(fields(CommandView))
    value = getattr(base, name)
    if isinstance(value, bool):
        other: object = not value
    elif isinstance(value, datetime):
        other = value + timedelta(seconds=1)
    elif isinstance(value, list):
        other = [*value, ("x", "y", T0)]
    elif value is None:
        other = T0 if name == "deadline" else "x"
    else:
        other = f"{value}-changed"
    changed: dict[str, Any] = {name: other}
    assert replace(base, **changed).shown() != base.shown()


def test_live_permit_copies_are_reused_until_the_permit_changes(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    nothing: Any = lambda *args, **kwargs: None  # noqa: E731
    monitor = PermitMonitor(
        Config(), db, Topics("plant"), AlarmDesk(*[nothing] * 7), console="c1", clock=lambda: T0
    )
    info = PermitInfo(
        "HW-1",
        "S1",
        "A1",
        PermitType.HOT_WORK,
        "grade_1",
        PermitStatus.ACTIVE,
        T0 + timedelta(hours=4),
        "sup",
    )
    monitor.permits = {"HW-1": info}
    first = monitor.copies()["HW-1"]
    assert first == info and first is not info
    assert monitor.copies()["HW-1"] is first
    changes: dict[str, object] = {
        "status": PermitStatus.SUSPENDED,
        "last_checkin": T0,
        "started_at": T0,
        "gas_failed": True,
        "valid_to": T0,
        "grade": "special",
        "supervisor": "sup.2",
    }
    for name, value in changes.items():
        before = monitor.copies()["HW-1"]
        setattr(info, name, value)
        after = monitor.copies()["HW-1"]
        assert after is not before and getattr(after, name) == value and getattr(before, name) != value, name
    monitor.permits = {}
    assert monitor.copies() == {}
    db.dispose()
