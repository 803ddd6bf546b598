"""How often the screens repaint: at once for a lone change, at a bounded rate in a burst, not at all
while nobody sees them; worker positions move their markers without the board being read again."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cockpit.core_state import CoreDelta
from cockpit.plant_reads import PlantReads
from models.records import WorkerEvent, WorkerEventType
from tests.views.live_plant import OPERATOR, Live
from views.map_view import MapView
from views.view_model import Coalescer, LiveState, PausedWhileHidden


def shown(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_burst_of_requests_runs_at_once_then_at_a_bounded_rate(qtbot: QtBot) -> None:
    widget = shown(qtbot)
    runs: list[float] = []
    pacer = Coalescer(lambda: runs.append(time.monotonic()), 200, widget, burst=2, widget=widget)
    for _ in range(10):
        pacer.request()
    assert len(runs) == 2  # a lone change (or two) shows at once
    qtbot.waitUntil(lambda: len(runs) == 3, timeout=2000)  # the burst's last change is not lost …
    qtbot.wait(400)
    assert len(runs) == 3  # … and costs one run, not eight
    assert runs[2] - runs[1] >= 0.15


def test_nothing_runs_while_hidden_and_one_run_catches_up_when_shown(qtbot: QtBot) -> None:
    widget = shown(qtbot)
    runs: list[int] = []
    pacer = Coalescer(lambda: runs.append(1), 50, widget, widget=widget)
    widget.hide()
    for _ in range(5):
        pacer.request()
    qtbot.wait(120)
    assert runs == []
    widget.show()
    qtbot.waitUntil(lambda: runs == [1], timeout=2000)


def test_periodic_work_stops_while_hidden(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PausedWhileHidden, "FRESH_S", 0.0)
    widget = QWidget()
    qtbot.addWidget(widget)
    ticks: list[int] = []
    caught_up: list[int] = []
    timer = QTimer(widget)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    PausedWhileHidden(widget, [timer], lambda: caught_up.append(1))
    assert not timer.isActive()  # never shown yet: a background tab from the start does nothing
    widget.show()
    qtbot.waitUntil(lambda: len(ticks) >= 2, timeout=2000)
    assert caught_up == [1]
    widget.hide()
    assert not timer.isActive()
    count = len(ticks)
    qtbot.wait(100)
    assert len(ticks) == count
    widget.show()
    assert timer.isActive() and caught_up == [1, 1]


@pytest.mark.broker
def test_worker_positions_move_markers_without_the_board_read_again(qtbot: QtBot, live: Live) -> None:
    state = LiveState(live.core, live.bridge)
    with qtbot.waitSignal(state.updated, timeout=5000):
        pass  # the views built with it show the board once (queued when it was built)
    again: list[int] = []
    state.updated.connect(lambda: again.append(1))
    moved: list[int] = []
    state.workers_moved.connect(lambda: moved.append(1))
    event = WorkerEvent("S1", "A1", "W-7", datetime.now(UTC), WorkerEventType.CHECKIN, x=3.0, y=4.0)
    state.on_delta(CoreDelta(worker_positions=[event]))
    assert moved == [1] and again == []
    assert state.workers["W-7"] is event


@pytest.mark.broker
def test_a_worker_moving_moves_the_marker(qtbot: QtBot, live: Live) -> None:
    view = MapView(live.core, live.bridge, OPERATOR, live.sites, plant=PlantReads(live.db))
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    for x in (20.0, 25.0):
        body = {"ts": int(time.time() * 1000), "type": "checkin", "role": "worker", "x": x, "y": 15.0}
        live.field.publish(live.topic("S1/A1/worker/W-1/event"), json.dumps(body).encode())
        qtbot.waitUntil(
            lambda x=x: (
                (item := view.site_map.worker_item("W-1")) is not None
                and item.pos() == view.site_map.to_scene(x, 15.0)
            ),
            timeout=5000,
        )
