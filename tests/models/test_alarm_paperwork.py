"""docs/ALARMS.md: paperwork timers are tasks; the engine refuses them, so they never reach the alarm
list, the flood count or the journal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.alarms import PAPERWORK_CONDITIONS, AlarmEngine, Priority
from models.limits import LimitResolver


@pytest.mark.parametrize("condition", sorted(PAPERWORK_CONDITIONS))
def test_the_engine_refuses_paperwork(condition: str) -> None:
    engine = AlarmEngine(LimitResolver())
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="task"):
        engine.raise_event(
            source="permit:HW-1",
            condition=condition.lower(),
            site="S1",
            area="A1",
            message="late",
            ts=now,
            priority=Priority(3),
        )
    assert engine.active() == [] and engine.flood_state(now).count_in_window == 0
