"""The windows paint the overview first and build every other view right after, or when asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from cockpit.config import Config
from cockpit.core_state import CoreDelta
from cockpit.live import CoreBridge
from cockpit.roles import Actor
from connectors.mqtt import LinkCause, LinkState, LinkStatus
from models.records import Role
from views.factories import wire
from views.i18n import LINK_REASON_TEXTS, Language, link_reason_text
from views.main_window import CockpitWindows, ViewContext, ViewPlaceholder

KEYS = ["overview", "map", "trends", "alarms", "commands"]


class Console:  # the window manager needs only the console's name and its health from the core
    console = "wall-test"

    def __init__(self) -> None:
        self.health: dict[str, object] = {}

    def health_payload(self) -> dict[str, object]:
        return dict(self.health)


class FakeView(QLabel):
    """A view that says which one it is; the map and the overview have the cross-view hooks."""

    area_selected = Signal(str, str)
    locate_requested = Signal(str, str)

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
        self.focused: tuple[str, str] | None = None

    def focus_area(self, site: str, area: str) -> None:
        self.focused = (site, area)


@pytest.fixture
def built() -> list[str]:
    """The keys of the views built, in order."""
    return []


@pytest.fixture
def made() -> Iterator[list[CockpitWindows]]:
    windows: list[CockpitWindows] = []
    yield windows
    for cockpit in windows:  # top-level windows: closed here, whatever the test did
        cockpit.closing = True
        for window in list(cockpit.windows):
            window.close()


def make(
    made: list[CockpitWindows], tmp_path: Path, built: list[str], *, broken: str = "", demo: bool = False
) -> CockpitWindows:
    def factory(key: str) -> Callable[[ViewContext], QWidget]:
        def build(_ctx: ViewContext) -> QWidget:
            if key == broken:
                raise RuntimeError("no database")
            built.append(key)
            return FakeView(key)

        return build

    config = Config()
    config.ui.layout_file = str(tmp_path / "layout.json")
    ctx = ViewContext(
        core=Console(),  # type: ignore[arg-type]
        bridge=CoreBridge(),
        actor=Actor("op.li", Role.OPERATOR),
        config=config,
        demo=demo,
    )
    windows = CockpitWindows(ctx, {k: factory(k) for k in KEYS}, Language(QApplication.instance()))
    made.append(windows)
    return windows


def test_only_the_overview_is_built_before_the_first_paint(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    windows = make(made, tmp_path, built)
    assert built == ["overview"]
    assert windows.pending() == KEYS[1:]
    finished: list[list[str]] = []
    windows.all_built.connect(lambda: finished.append(list(built)))
    windows.restore()
    # Every view has its tab from the start (a placeholder until it is built) …
    assert sorted(k for w in windows.windows for k in w.view_keys()) == sorted(KEYS)
    # … and is built right after the first paint, each one replacing its placeholder in place.
    qtbot.waitUntil(lambda: not windows.pending(), timeout=5000)
    assert sorted(built) == sorted(KEYS)
    assert [sorted(f) for f in finished] == [sorted(KEYS)]  # said once, when the last one exists
    for window in windows.windows:
        for i in range(window.tabs.count()):
            page = window.tabs.widget(i)
            assert not isinstance(page, ViewPlaceholder)
            assert page is windows.views[page.property("viewKey")]
    assert sorted(k for w in windows.windows for k in w.view_keys()) == sorted(KEYS)


def test_a_view_asked_for_is_built_at_once_and_keeps_its_place(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    windows = make(made, tmp_path, built)
    windows.restore()
    main = windows.windows[0]
    index = main.view_keys().index("alarms")
    seen: list[QWidget] = []
    windows.when_built("alarms", seen.append)
    view = windows.view("alarms")  # e.g. show_view("alarms"), the incident layout
    assert isinstance(view, FakeView) and view.key == "alarms"
    assert seen == [view]
    assert main.tabs.widget(index) is view
    assert main.view_keys().index("alarms") == index
    assert "alarms" not in windows.pending()
    windows.show_view("commands")
    assert main.current_key() == "commands"
    assert isinstance(main.tabs.currentWidget(), FakeView)


def test_a_tab_brought_forward_is_built_before_the_others(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    windows = make(made, tmp_path, built)
    windows.restore()
    main = windows.windows[0]
    main.tabs.setCurrentIndex(main.view_keys().index("commands"))  # the operator clicks its tab
    assert windows.pending()[0] == "commands"
    qtbot.waitUntil(lambda: "commands" in built, timeout=5000)
    assert built.index("commands") == 1  # right after the overview


def test_a_view_that_cannot_be_built_says_so_and_the_others_still_come(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    windows = make(made, tmp_path, built, broken="trends")
    windows.restore()
    qtbot.waitUntil(lambda: not windows.pending(), timeout=5000)
    assert sorted(built) == sorted(k for k in KEYS if k != "trends")
    page = next(
        w.tabs.widget(w.view_keys().index("trends")) for w in windows.windows if "trends" in w.view_keys()
    )
    assert isinstance(page, ViewPlaceholder)
    assert "could not be built" in page.label.text() and "no database" in page.label.text()


def test_cross_view_links_are_made_when_the_views_exist(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    windows = make(made, tmp_path, built)
    incidents: list[tuple[str, str]] = []
    windows.incident = lambda site, area: incidents.append((site, area))  # type: ignore[method-assign]
    wire(windows)  # before the map or the alarm list exist, as the shell does
    windows.restore()
    overview = windows.views["overview"]
    overview.area_selected.emit("S1", "A2")  # a tile clicked: the map is built and focused
    site_map = windows.views["map"]
    assert isinstance(site_map, FakeView) and site_map.focused == ("S1", "A2")
    qtbot.waitUntil(lambda: not windows.pending(), timeout=5000)
    windows.views["alarms"].locate_requested.emit("S1", "A1")
    assert ("S1", "A1") in incidents


def test_the_status_bar_says_the_link_state_in_the_language_on_screen(
    qtbot: QtBot, made: list[CockpitWindows], tmp_path: Path, built: list[str]
) -> None:
    windows = make(made, tmp_path, built)
    windows.restore()
    link = LinkState.because(LinkStatus.CONNECTED, LinkCause.CONNECTED_NEW, "mqtt://broker:1883")
    windows.ctx.bridge.changed.emit(CoreDelta(link=link))
    bar = windows.windows[0].statusBar()
    assert bar.currentMessage() == "Field link: CONNECTED (connected to mqtt://broker:1883 (new session))"
    try:
        windows.set_language("zh_CN")
        assert bar.currentMessage() == "现场链路：已连接（已连接 mqtt://broker:1883（新会话））"
        windows.move_view("map", QApplication.screens()[0], new_window=True)  # a torn-off window shows it too
        assert windows.windows[-1].statusBar().currentMessage() == bar.currentMessage()
        lost = LinkState.because(
            LinkStatus.DISCONNECTED, LinkCause.UNREACHABLE, "mqtt://broker:1883", "timed out"
        )
        windows.ctx.bridge.changed.emit(CoreDelta(link=lost))
        assert bar.currentMessage() == "现场链路：已断开（无法连接 mqtt://broker:1883：timed out；正在重试）"
    finally:
        windows.set_language("en")
    assert (
        bar.currentMessage()
        == "Field link: DISCONNECTED (cannot reach mqtt://broker:1883: timed out; retrying)"
    )


def test_the_status_bar_says_how_many_records_wait_for_the_database(
    qtbot: QtBot, made: list[CockpitWindows], tmp_path: Path, built: list[str]
) -> None:
    windows = make(made, tmp_path, built)
    windows.restore()
    link = LinkState.because(LinkStatus.CONNECTED, LinkCause.CONNECTED_NEW, "mqtt://broker:1883")
    windows.ctx.core.health = {"db_waiting": 3}  # type: ignore[attr-defined]
    windows.ctx.bridge.changed.emit(CoreDelta(link=link))
    bar = windows.windows[0].statusBar()
    assert bar.currentMessage().endswith("3 records waiting for the database")
    try:
        windows.set_language("zh_CN")
        assert bar.currentMessage().endswith("3 条记录等待写入数据库")
    finally:
        windows.set_language("en")
    windows.ctx.core.health = {"db_waiting": 0}  # type: ignore[attr-defined]
    windows.ctx.bridge.changed.emit(CoreDelta())  # written: the words go
    assert "database" not in bar.currentMessage() and bar.currentMessage().startswith("Field link")


def test_every_link_reason_has_its_words_in_both_languages(qapp: QApplication) -> None:
    """A cause added to the connector without its words here would show in English on Chinese screens."""
    language = Language(qapp)
    try:
        assert language.set("zh_CN")
        for cause in LinkCause:
            assert LINK_REASON_TEXTS[cause.name] == cause.value  # the same English, for lupdate
            state = LinkState.because(LinkStatus.DISCONNECTED, cause, "mqtt://h:1", "x")
            chinese = link_reason_text(state)
            assert chinese != state.reason and any("\u4e00" <= c <= "\u9fff" for c in chinese), chinese
    finally:
        language.set("en")


def test_the_demo_mark_covers_no_tab(
    qtbot: QtBot, tmp_path: Path, built: list[str], made: list[CockpitWindows]
) -> None:
    """Seen in English at 1920x1080: the DEMO mark lay over the last tabs and the bar's scroll arrows."""
    windows = make(made, tmp_path, built, demo=True)
    windows.restore()
    window = windows.windows[0]
    window.resize(900, 600)  # fewer pixels than the tabs need: the bar scrolls
    window.show()
    qtbot.waitExposed(window)
    bar = window.tabs.tabBar()
    qtbot.waitUntil(lambda: window.demo_mark.isVisible() and bar.width() > 0, timeout=2000)
    bar_right = bar.mapTo(window, bar.rect().topRight()).x()
    assert bar_right < window.demo_mark.x(), (bar_right, window.demo_mark.x())
