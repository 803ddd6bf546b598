"""The heat layer on a real site map (offscreen): switched on, the areas show the tint of their hours for
the chosen day or week, with hours and alarms written in them; switched off, the plan is as before.
Figures from the hand-made plant (tests/support/performance_plant.py); the last test runs the map screen
of a live cockpit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from cockpit.heat_map import HeatMapReads
from cockpit.plant_reads import PlantReads
from connectors.database import Database
from models.queries import list_sites_and_areas
from tests.support.fresh_db import open_fresh
from tests.support.performance_plant import NOW, build_performance_plant
from tests.views.live_plant import OPERATOR, Live
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.heat_map_view import HeatMapView
from views.heat_panel import HeatPanel
from widgets.heat_layer import BINS, NONE, RAMP, heat_class
from widgets.site_map import AreaShape, SiteMap

_WINDOWS: list[QWidget] = []


@pytest.fixture
def plant(tmp_path: Path) -> Iterator[Database]:
    db = open_fresh(f"sqlite:///{tmp_path / 'heat.db'}")
    build_performance_plant(db)
    yield db
    db.dispose()


def make(qtbot: QtBot, db: Database) -> tuple[SiteMap, HeatPanel]:
    """The map and the panel in one window, as the map screen holds them."""
    window = QWidget()
    site_map = SiteMap()
    with db.session() as s:
        site = list_sites_and_areas(s)[0]
    site_map.set_plan(site.plan_width_m, site.plan_height_m)
    site_map.set_areas(
        [AreaShape(a.site_id, a.area_id, a.name, a.polygon, str(a.risk_level)) for a in site.areas]
    )
    panel = HeatPanel(site_map, HeatMapReads(db, clock=lambda: NOW.astimezone(UTC)), clock=lambda: NOW)
    layout = QVBoxLayout(window)
    layout.addWidget(site_map, 1)
    layout.addWidget(panel)
    qtbot.addWidget(window)
    _WINDOWS.append(window)  # qtbot holds a weak reference only
    window.resize(900, 600)
    window.show()
    panel.set_site("S1", "Asia/Shanghai")
    return site_map, panel


def pixel(site_map: SiteMap, x_m: float, y_m: float) -> QColor:
    """The colour drawn at plan metres (x, y) of the map as it is on screen."""
    image = site_map.viewport().grab().toImage()
    point = site_map.mapFromScene(site_map.to_scene(x_m, y_m))
    return image.pixelColor(point)


def switch_on(qtbot: QtBot, panel: HeatPanel, day: date, span: str = "day") -> None:
    panel.choose(day, span)  # type: ignore[arg-type]
    with qtbot.waitSignal(panel.shown, timeout=10_000):
        panel.switch.setChecked(True)


def test_the_layer_switched_on_tints_the_areas_by_their_hours_and_off_restores_them(
    qtbot: QtBot, plant: Database
) -> None:
    site_map, panel = make(qtbot, plant)
    assert panel.day() == date(2026, 12, 6)  # today on the plant's clock
    assert not panel.legend.isVisibleTo(panel)
    before = pixel(site_map, 10, 5)

    switch_on(qtbot, panel, date(2026, 9, 10))
    tint = QColor(RAMP[heat_class(4.0, BINS["day"]) or 0])
    assert panel.layer.color_of("S1", "A1") == tint
    assert pixel(site_map, 10, 5) == tint  # drawn, not only set: under the names, over the fill
    assert panel.layer.text_of("S1", "A1") == "4 h · 1 alarm"
    # An area without work that day is grey while the layer is on: its risk colour is no measure of work.
    assert panel.layer.color_of("S1", "A2") == QColor(NONE) == pixel(site_map, 70, 5)
    assert site_map.area_label_lines("S1", "A1")[0] == "加氢装置"  # the name stays above the tint
    assert panel.legend.isVisibleTo(panel) and "加氢装置, 4 h" in panel.busiest.text()
    assert [s.text() for s in panel.swatches] == ["0–2 h", "2–6 h", "6–12 h", "12–24 h", "> 24 h"]

    panel.switch.setChecked(False)
    assert panel.layer.color_of("S1", "A1") is None
    assert pixel(site_map, 10, 5) == before


def test_a_week_tints_with_the_week_s_scale_and_survives_the_map_redrawing_its_areas(
    qtbot: QtBot, plant: Database
) -> None:
    site_map, panel = make(qtbot, plant)
    switch_on(qtbot, panel, date(2026, 10, 7), "week")
    assert panel.figures is not None and panel.figures.first_day == date(2026, 10, 5)
    assert panel.layer.text_of("S1", "A2") == "141 h"
    tint = QColor(RAMP[heat_class(141.0, BINS["week"]) or 0])
    assert tint == QColor(RAMP[3]) and pixel(site_map, 70, 5) == tint
    assert panel.swatches[-1].text() == "> 160 h"
    # The live map sets its areas again twice a second, and anew when the register changes.
    site_map.set_areas([])
    with plant.session() as s:
        site = list_sites_and_areas(s)[0]
    site_map.set_areas([AreaShape(a.site_id, a.area_id, a.name, a.polygon) for a in site.areas])
    panel.reapply()
    assert pixel(site_map, 70, 5) == tint
    shots = os.environ.get("H21C_SHOTS")
    if shots:
        site_map.grab().save(str(Path(shots) / "heat_week_widget.png"))


@pytest.mark.usefixtures("glossary_chinese")
def test_the_layer_reads_in_chinese(qtbot: QtBot, plant: Database) -> None:
    _, panel = make(qtbot, plant)
    switch_on(qtbot, panel, date(2026, 9, 10))
    assert panel.switch.text() == "热力图" and panel.no_work.text() == "无作业"
    assert panel.span_box.itemText(1) == "周（周一至周日）"
    assert panel.layer.text_of("S1", "A1") == "4 小时 · 1 条报警"
    assert panel.swatches[0].text() == "0–2 小时"
    assert panel.busiest.text() == "作业最多：加氢装置，4 小时"


@pytest.mark.broker
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_map_screen_offers_the_layer_and_tints_today_s_work(
    qtbot: QtBot, live: Live, lang: str, request: pytest.FixtureRequest
) -> None:
    if lang == "zh_CN":
        request.getfixturevalue("glossary_chinese")

    view = HeatMapView(
        live.core, live.bridge, OPERATOR, live.sites, plant=PlantReads(live.db), heat=HeatMapReads(live.db)
    )
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    assert view.heat is not None and view.heat.switch.isVisibleTo(view)
    with qtbot.waitSignal(view.heat.shown, timeout=10_000):
        view.heat.switch.setChecked(True)
    # HW-1 started an hour ago in A1 (tests/support/plant.py): today's first work-hour.
    assert view.heat.layer.color_of("S1", "A1") == QColor(RAMP[0])
    assert view.heat.layer.color_of("S1", "A2") == QColor(NONE)
    shots = os.environ.get("H21C_SHOTS")
    if shots:
        view.grab().save(str(Path(shots) / f"map_heat_live_{lang}.png"))
