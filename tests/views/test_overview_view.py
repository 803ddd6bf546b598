"""The overview wall shows what the store and the engine hold: values, STALE, alarm colours, STOPPED."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from models.alarms import AlarmState
from models.queries import AreaInfo
from tests.views.live_plant import OPERATOR, Live
from views import overview_view
from views.overview_view import OverviewView

pytestmark = pytest.mark.broker


def make(qtbot: QtBot, live: Live) -> OverviewView:
    view = OverviewView(live.core, live.bridge, OPERATOR, live.sites)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    return view


def test_a_published_reading_is_the_tiles_worst_value_against_its_limit(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    tile = view.tile("S1", "A1")
    assert tile is not None
    assert tile.texts()["name"] == "加氢装置"
    live.publish({"LEL": 4.0, "O2": 20.9, "H2S": 1.0})
    # LEL 4 of HI 10 (40 %) is nearer its limit than H2S 1 of HI 7; normal O2 is nothing to report.
    qtbot.waitUntil(lambda: "4 %LEL" in tile.texts()["gas"], timeout=5000)
    assert tile.texts()["gas"].startswith("LEL")
    assert tile.texts()["percent"] == "40 % of HI 10"
    assert tile.texts()["quality"] == ""
    assert tile.texts()["permits"] == "HOT 1"  # the active hot-work permit HW-1
    assert tile.texts()["alarms"] == "No alarms"
    # A2 has no detector: said in words, never a made-up value.
    assert view.tile("S1", "A2").texts()["gas"] == "No gas detector"
    # Normal is grey: no alarm priority on the tile.
    assert tile.property("alarmPriority") in (None, "")


def test_a_silent_channel_shows_stale_and_no_number(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    tile = view.tile("S1", "A1")
    live.publish({"LEL": 3.0, "O2": 20.9, "H2S": 0.0}, max_age_s=0.5)
    qtbot.waitUntil(lambda: "3 %LEL" in tile.texts()["gas"], timeout=5000)
    qtbot.waitUntil(lambda: tile.texts()["quality"] == "STALE", timeout=5000)
    assert "—" in tile.texts()["gas"]
    assert "3 %LEL" not in tile.texts()["gas"]
    assert tile.limit_fraction() is None


def test_hihi_colours_the_tile_by_priority_and_the_alarm_bar_counts_it(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    tile = view.tile("S1", "A1")
    live.publish({"LEL": 30.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: tile.property("alarmPriority") == "1", timeout=5000)
    assert live.alarm("S1/A1/GD-1/LEL:LEVEL").state is AlarmState.UNACK
    assert "P1×1" in tile.texts()["alarms"]
    assert tile.texts()["gas"] == "LEL  30 %LEL"
    assert view.alarm_bar.counts[1].text() == "1"
    assert "一号厂区 / 加氢装置" in view.alarm_bar.newest.text()  # names, not codes (S1 / A1)
    # The live risk is raised (major static stays major) and the hot work stopped automatically.
    qtbot.waitUntil(lambda: tile.texts()["work"] == "STOPPED", timeout=5000)
    assert view.tile("S1", "A2").property("alarmPriority") in (None, "")
    # Acknowledged in the engine: the bar says nothing is waiting any more.
    live.core.acknowledge(OPERATOR, ["S1/A1/GD-1/LEL:LEVEL"]).result(5)
    qtbot.waitUntil(lambda: view.alarm_bar.newest.text() == "No unacknowledged alarms", timeout=5000)
    assert view.alarm_bar.counts[1].text() == "1"  # still active, now acknowledged


def test_a_click_on_a_tile_selects_its_area(qtbot: QtBot, live: Live) -> None:
    from PySide6.QtCore import Qt

    view = make(qtbot, live)
    with qtbot.waitSignal(view.area_selected, timeout=2000) as blocker:
        qtbot.mouseClick(view.tile("S1", "A2"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["S1", "A2"]


def test_flood_banner_appears_at_ten_alarms_in_ten_minutes(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    assert not view.flood.isVisibleTo(view)
    for i in range(10):
        live.field.publish(
            live.topic(f"S1/A2/worker/W-{i}/event"), f'{{"ts": {_now_ms()}, "type": "sos"}}'.encode(), qos=1
        )
    qtbot.waitUntil(lambda: view.flood.isVisibleTo(view), timeout=5000)
    assert "Alarm flood: 10 alarms in 10 min" in view.flood.text()


def test_renders_with_an_empty_database(qtbot: QtBot, live_empty: Live) -> None:
    view = make(qtbot, live_empty)
    assert view.tiles() == {}
    assert view.empty.isVisibleTo(view)
    assert "No sites" in view.empty.text()
    image = view.grab().toImage()
    assert not image.isNull()


def _now_ms() -> int:
    import time

    return int(time.time() * 1000)


def test_a_wall_is_filled_at_once_and_updated_a_few_tiles_per_repaint(
    qtbot: QtBot, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = live.sites[0]
    extra = tuple(
        AreaInfo(site.site_id, f"X{i}", f"Extra {i}", site.areas[0].risk_level, False, (), None)
        for i in range(25)
    )
    sites = [dataclasses.replace(site, areas=site.areas + extra), *live.sites[1:]]
    view = OverviewView(live.core, live.bridge, OPERATOR, sites)
    qtbot.addWidget(view)
    tiles = view.tiles()
    assert len(tiles) > 2 * overview_view.TILES_PER_PAINT
    assert all(t.data() is not None for t in tiles.values())  # the first paint shows every tile
    real = overview_view.area_tile_data
    monkeypatch.setattr(
        overview_view,
        "area_tile_data",
        lambda *a, **k: dataclasses.replace(real(*a, **k), name="renamed"),
    )
    view.refresh()  # every tile changes: a few now, the rest in the next repaints
    renamed = [t for t in tiles.values() if t.texts()["name"] == "renamed"]
    assert len(renamed) == overview_view.TILES_PER_PAINT
    qtbot.waitUntil(lambda: all(t.texts()["name"] == "renamed" for t in tiles.values()), timeout=2000)


def _forty_areas(live: Live) -> list:  # type: ignore[type-arg]
    """The demo's plant shape: three sites of 18, 10 and 12 areas with names as long as the demo's."""
    base = live.sites[0]
    sites = []
    for index, count in enumerate((18, 10, 12)):
        areas = tuple(
            AreaInfo(
                f"S{index + 1}",
                f"A{i + 1}",
                f"乙烯裂解炉基础施工区{i + 1}",
                base.areas[0].risk_level,
                False,
                (),
                None,
            )
            for i in range(count)
        )
        sites.append(
            dataclasses.replace(base, site_id=f"S{index + 1}", name=f"第{index + 1}厂区", areas=areas)
        )
    return sites


def test_forty_areas_fit_one_1920x1080_screen_at_the_default_scale(
    qtbot: QtBot, live: Live, tmp_path: Path
) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QMainWindow, QTabWidget

    # As the cockpit shows it: a window on a 1920x1080 screen (less a title bar and a panel), the
    # views as tabs, a status bar.
    view = OverviewView(live.core, live.bridge, OPERATOR, _forty_areas(live))
    window = QMainWindow()
    qtbot.addWidget(window)
    tabs = QTabWidget()
    tabs.addTab(view, "Overview")
    for title in ("Site map", "Gas trends", "Alarms", "Commands", "Permit approval", "Tasks"):
        tabs.addTab(QLabel(title), title)
    window.setCentralWidget(tabs)
    window.statusBar().showMessage("Field link: connected")
    window.setGeometry(QRect(0, 0, 1920, 1080 - 60))
    window.show()
    qtbot.waitUntil(lambda: view.wall_fit() is not None and view.wall_fit().fits, timeout=5000)
    assert len(view.tiles()) == 40
    viewport = view.wall_scroll.viewport()
    # The layout settles on the next turns of the event loop; then nothing scrolls.
    qtbot.waitUntil(lambda: view.wall_scroll.verticalScrollBar().maximum() == 0, timeout=3000)
    assert view.wall_scroll.horizontalScrollBar().maximum() == 0
    for key, tile in view.tiles().items():
        assert tile.isVisible(), key
        top_left = tile.mapTo(viewport, tile.rect().topLeft())
        inside = QRect(top_left, tile.size())
        assert viewport.rect().contains(inside), (key, inside, viewport.rect())
        least = tile.minimumSizeHint()
        assert tile.width() >= least.width() and tile.height() >= least.height(), key  # no row cut off
    # Every tile names its area in words (no code), whole or with the full name as its tooltip.
    tile = view.tile("S2", "A3")
    assert tile.texts()["name"] == "乙烯裂解炉基础施工区3" and "乙烯裂解炉基础施工区3" in tile.toolTip()


def test_one_risk_level_is_one_colour_on_the_wall(qtbot: QtBot) -> None:
    from widgets import theme
    from widgets.value_tile import AreaTile, AreaTileData

    static = AreaTile(AreaTileData("S", "A", "罐区", risk_level="major"))
    raised = AreaTile(AreaTileData("S", "B", "泵房", risk_level="high", live_risk="major"))
    for tile in (static, raised):
        qtbot.addWidget(tile)
        tile.resize(300, 200)
    colours = set()
    for tile in (static, raised):
        chip = tile._chip
        image = chip.grab().toImage()
        colours.add(image.pixelColor(chip.width() // 2, chip.height() // 2).name())
    assert colours == {theme.color("risk_major").name()}
