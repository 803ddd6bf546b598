"""The window paints its overview before the services only the other screens use exist (issue 20), and
every screen still gets them: right after that paint, or at once when one is asked for before it.

On the small live plant with the real context (``views/factories.build_context``) and real screens: the
overview, and screens that read through the deferred services (the map: its heat layer, the headcount
and the rounds, each optional, so a map built without them would just lack them; active permits: the
permit service; the alarm list: the journal; the worker register: the people reads and the badge codes).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from cockpit.config import Config
from cockpit.gui_thread import GuiThreadCollector
from cockpit.runtime import Runtime
from tests.support.sessions import TEST_KEYS
from tests.views.live_plant import LEAD, Live
from views.active_permits_view import ActivePermitsView
from views.factories import build_context, view_factories, wire
from views.heat_map_view import HeatMapView
from views.i18n import Language
from views.main_window import CockpitWindows, ViewContext, ViewPlaceholder

KEYS = ("overview", "map", "active_permits", "alarms", "worker_register")
# What the lead's screens are built with after the first paint (the editing ones are for other roles).
DEFERRED = (
    "permits", "directory", "journal", "handover", "alarm_figures", "people", "codes", "monthly_reports",
    "headcount", "rounds", "work_orders", "near_misses", "register_files", "inspection_reads",
    "sparkplug_map", "performance", "heat",
)  # fmt: skip


class FirstPaint(QObject):
    """Notes, at the overview's first paint, which of the deferred services existed, and whether the
    garbage collector was held (the start's young objects are collected after the paint)."""

    def __init__(self, overview: QWidget, ctx: ViewContext, collector: GuiThreadCollector) -> None:
        super().__init__(overview)
        self.ctx, self.collector = ctx, collector
        self.services_then: list[str] | None = None
        self.collector_held_then: bool | None = None
        overview.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.services_then is None:
            self.services_then = [name for name in DEFERRED if getattr(self.ctx, name) is not None]
            self.collector_held_then = self.collector.held
        return False


@pytest.fixture
def opened(live: Live, tmp_path: Path, qtbot: QtBot) -> Iterator[CockpitWindows]:
    """The lead's windows over the live plant, as the shell opens them (not yet restored: not shown)."""
    config = Config()
    config.ui.layout_file = str(tmp_path / "layout.json")
    runtime = Runtime(config)  # started by the fixture: its database, core and login keys
    runtime.db, runtime.core, runtime.sessions = live.db, live.core, TEST_KEYS
    ctx = build_context(runtime, live.bridge, LEAD, config)
    factories = {key: factory for key, factory in view_factories(LEAD).items() if key in KEYS}
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    windows = CockpitWindows(ctx, factories, Language(app))
    wire(windows)
    yield windows
    windows.closing = True
    for view in windows.views.values():
        idle = getattr(view, "wait_idle", None)
        if callable(idle):
            idle()
    for window in list(windows.windows):
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents()


def active_permit_ids(view: QWidget) -> list[str]:
    assert isinstance(view, ActivePermitsView)
    return [row[0] for row in view.row_texts()]


def test_the_overview_is_painted_before_the_deferred_services_and_every_screen_is_built_with_them(
    opened: CockpitWindows, qtbot: QtBot
) -> None:
    windows, ctx = opened, opened.ctx
    assert all(getattr(ctx, name) is None for name in DEFERRED)  # only the overview's part so far
    collector = GuiThreadCollector(interval_ms=60_000, parent=QApplication.instance())  # as the shell's
    try:
        painted = FirstPaint(windows.views["overview"], ctx, collector)
        windows.restore()
        qtbot.waitUntil(lambda: painted.services_then is not None, timeout=10_000)
        assert painted.services_then == [] and painted.collector_held_then is True
        qtbot.waitUntil(lambda: not collector.held, timeout=2_000)  # released once it painted
    finally:
        collector.setParent(None)
        collector.deleteLater()
    qtbot.waitUntil(lambda: not windows.pending(), timeout=30_000)
    assert [name for name in DEFERRED if getattr(ctx, name) is None] == []
    for window in windows.windows:  # every tab holds its screen: none is a placeholder, none failed
        for i in range(window.tabs.count()):
            assert not isinstance(window.tabs.widget(i), ViewPlaceholder), window.tabs.tabText(i)
    assert sorted(windows.views) == sorted(KEYS)
    assert isinstance(windows.views["map"], HeatMapView)  # with its heat layer, not the plain map
    view = windows.views["active_permits"]
    qtbot.waitUntil(lambda: "HW-1" in active_permit_ids(view), timeout=10_000)


def test_a_screen_asked_for_before_the_first_paint_gets_its_services_first(
    opened: CockpitWindows, qtbot: QtBot
) -> None:
    """The incident layout or a tab click may want a screen before the overview painted."""
    windows, ctx = opened, opened.ctx
    view = windows.view("active_permits")  # nothing painted yet: the windows are not even shown
    assert ctx.permits is not None and ctx.people is not None and ctx.codes is not None
    windows.restore()
    qtbot.waitUntil(lambda: "HW-1" in active_permit_ids(view), timeout=10_000)
    qtbot.waitUntil(lambda: not windows.pending(), timeout=30_000)
    assert sorted(windows.views) == sorted(KEYS)
