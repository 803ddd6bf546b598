"""Register changes reach a running console's screens (issue 16 part 4), and what the wire knows and the
register doesn't is listed in diagnostics with "Add to the register…" (part 5).

A real broker, a real core (both shapes: in-process and in a field process of its own), real Qt
widgets offscreen; the register changed through its services while the console runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.core_state import CoreDelta
from cockpit.detector_register import DetectorRegister
from cockpit.local_core import LocalCore
from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.register_live import follow_local_changes
from cockpit.wire_register import Unknown
from models.records import ChannelKey, RiskLevel
from tests.support.broker import MosquittoProcess
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.live_plant import IN_PROCESS, MANAGER, OPERATOR, Live, close_live, make_live
from views.detectors_view import DetectorsView
from views.diagnostics_view import DiagnosticsView
from views.factories import add_to_register
from views.map_view import MapView
from views.overview_view import OverviewView
from views.plant_register_view import PlantRegisterView
from views.register_follow import follow_register
from views.view_model import LiveState

pytestmark = pytest.mark.broker
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


def _windows(live: Live, state: LiveState, views: dict[str, object]) -> SimpleNamespace:
    """What ``follow_register`` and ``add_to_register`` use of the windows: the context and the views."""
    ctx = SimpleNamespace(state=state, plant=PlantReads(live.db), sites=list(live.sites))
    shown: list[str] = []
    return SimpleNamespace(
        ctx=ctx,
        views=views,
        factories=dict.fromkeys(views),
        view=views.__getitem__,
        show_view=shown.append,
        shown=shown,
    )


def test_an_area_and_a_limit_changed_in_the_register_reach_the_running_console(
    qtbot: QtBot, live: Live
) -> None:
    state = LiveState(live.core, live.bridge)
    overview = OverviewView(live.core, live.bridge, MANAGER, list(live.sites), state=state)
    site_map = MapView(
        live.core, live.bridge, MANAGER, list(live.sites), state=state, plant=PlantReads(live.db)
    )
    for view in (overview, site_map):
        qtbot.addWidget(view)
        view.show()
    windows = _windows(live, state, {"overview": overview, "map": site_map})
    assert follow_register(windows) is not None  # type: ignore[arg-type]
    assert overview.tile("S1", "A9") is None
    PlantRegister(live.db, TEST_KEYS).save_area(
        as_user(live.db, "mgr.sun"), "S1", "A9", "新罐区", risk_level=RiskLevel.MAJOR
    )
    qtbot.waitUntil(lambda: overview.tile("S1", "A9") is not None, timeout=10_000)
    site = site_map.current_site()
    assert site is not None and "A9" in [a.area_id for a in site.areas]
    assert "A9" in [a.area_id for s in windows.ctx.sites for a in s.areas]  # views built later see it too
    assert state.limits(LEL) is not None and state.limits(LEL).hihi == 25.0  # the cn profile's
    DetectorRegister(live.db, TEST_KEYS).save_channel(
        as_user(live.db, "mgr.sun"), "GD-1", "LEL", limits={"hi": 5, "hihi": 11}
    )
    qtbot.waitUntil(lambda: getattr(state.limits(LEL), "hihi", None) == 11.0, timeout=10_000)  # trends' lines


@pytest.fixture
def live_here(tmp_path: Path, broker: MosquittoProcess, themed_app: QApplication) -> Iterator[Live]:
    """The small plant with the core in this process, where its own poll can be put off."""
    lv = make_live(tmp_path, broker, shape=IN_PROCESS)
    yield lv
    close_live(lv)


def test_a_change_made_on_this_console_does_not_wait_for_the_cores_poll(
    qtbot: QtBot, live_here: Live
) -> None:
    live = live_here
    core = live.core
    assert isinstance(core, LocalCore)
    core.field.register.every_s = 3600.0  # the core's own poll put off: only this console's word is left
    state = LiveState(core, live.bridge)
    overview = OverviewView(core, live.bridge, MANAGER, list(live.sites), state=state)
    qtbot.addWidget(overview)
    overview.show()
    assert follow_register(_windows(live, state, {"overview": overview})) is not None  # type: ignore[arg-type]
    undo = follow_local_changes(live.db, core)  # as views/factories.build_context wires the window's
    try:
        PlantRegister(live.db, TEST_KEYS).save_area(
            as_user(live.db, "mgr.sun"), "S1", "A9", "新罐区", risk_level=RiskLevel.MAJOR
        )
        qtbot.waitUntil(lambda: overview.tile("S1", "A9") is not None, timeout=10_000)
        DetectorRegister(live.db, TEST_KEYS).save_channel(
            as_user(live.db, "mgr.sun"), "GD-1", "LEL", limits={"hi": 5, "hihi": 11}
        )
        qtbot.waitUntil(lambda: getattr(state.limits(LEL), "hihi", None) == 11.0, timeout=10_000)
    finally:
        undo()


def test_the_core_is_asked_to_follow_in_either_shape(live: Live) -> None:
    """The window's word reaches the core in this process and in the field process alike."""
    assert live.core._act("follow_register").result(10) is None  # type: ignore[attr-defined]


def test_a_register_change_is_urgent_for_the_screens() -> None:
    """The board that carries it goes out at once, not with the once-a-second one."""
    delta = CoreDelta()
    assert not delta.urgent() and not delta
    delta.merge(CoreDelta(register=True))
    assert delta.urgent() and delta.register


def test_diagnostics_lists_what_the_wire_knows_and_add_opens_the_register_prefilled(
    qtbot: QtBot, live: Live
) -> None:
    plant = PlantReads(live.db)
    view = DiagnosticsView(live.core, live.bridge, MANAGER, plant=plant, can_add=True)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    live.publish({"LEL": 1.0, "CO": 2.0})  # GD-1 is registered with LEL, O2 and H2S: CO is not
    live.publish({"H2S": 0.5}, area="A2", device="GD-NEW")  # a registered area, an unknown detector
    live.publish({"LEL": 0.0}, area="A9", device="GD-9")  # an area the register does not have
    expected = [
        (Unknown.CHANNEL, "S1/A1/GD-1/CO"),
        (Unknown.DEVICE, "S1/A2/GD-NEW"),
        (Unknown.AREA, "S1/A9"),
    ]
    qtbot.waitUntil(lambda: [(r.kind, r.where) for r in view.wire_rows] == expected, timeout=10_000)
    assert view.unregistered.item(2, 2).text() == "GD-9"  # the area's detectors, heard with it
    assert not view.add_button.isEnabled()  # nothing chosen yet
    detectors = DetectorsView(plant, DetectorRegister(live.db, TEST_KEYS), acting=as_user(live.db, "mgr.sun"))
    areas = PlantRegisterView(PlantRegister(live.db, TEST_KEYS), plant, acting=as_user(live.db, "mgr.sun"))
    for screen in (detectors, areas):
        qtbot.addWidget(screen)
    windows = _windows(live, view.state, {"detectors": detectors, "register": areas})
    view.add_requested.connect(lambda row: add_to_register(windows, row))  # type: ignore[arg-type]

    view.unregistered.selectRow(1)
    assert view.add_button.isEnabled()
    view.add_button.click()
    qtbot.waitUntil(lambda: detectors.place.device.text() == "GD-NEW", timeout=10_000)
    assert (detectors.place.site.currentData(), detectors.place.area.currentData()) == ("S1", "A2")
    assert detectors.ch.currentText() == "H2S"  # the channel it sent, next to register
    assert windows.shown == ["detectors"]

    view.unregistered.selectRow(0)
    view.add_button.click()
    qtbot.waitUntil(lambda: detectors.ch.currentText() == "CO", timeout=10_000)
    assert detectors.selected_device() == "GD-1" and detectors.unit.text() == "ppm"

    view.unregistered.selectRow(2)
    view.add_button.click()
    assert (areas.site_id.text(), areas.area_id.text(), areas.area_name.text()) == ("S1", "A9", "")
    assert windows.shown[-1] == "register"

    # Saved by the user: once the core took the change in, the row is gone (the register is read again).
    follow_register(SimpleNamespace(ctx=windows.ctx, views={"diagnostics": view}))  # type: ignore[arg-type]
    with qtbot.waitSignal(detectors.action_done, timeout=10_000):
        detectors.save_channel()
    qtbot.waitUntil(lambda: [r.where for r in view.wire_rows] == ["S1/A2/GD-NEW", "S1/A9"], timeout=10_000)


def test_an_operator_sees_the_list_without_the_add_action(qtbot: QtBot, live: Live) -> None:
    view = DiagnosticsView(live.core, live.bridge, OPERATOR, plant=PlantReads(live.db), can_add=False)
    qtbot.addWidget(view)
    view.show()
    live.publish({"LEL": 0.0}, area="A9", device="GD-9")
    qtbot.waitUntil(lambda: [r.where for r in view.wire_rows] == ["S1/A9"], timeout=10_000)
    assert view.add_button.isHidden()
