"""AreaTile: an area on the overview wall, read from across the room."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.widgets.helpers import has_color, rendered
from widgets import theme
from widgets.value_tile import AreaTile, AreaTileData

BASE = AreaTileData(
    site="plant",
    area="tank",
    name="罐区 A Tank farm",
    risk_level="high",
    permits={"hot_work": 2, "confined_space": 1, "lifting": 0},
    gas_channel="H2S",
    gas_value=3.5,
    gas_unit="ppm",
    gas_limit=7.0,
    gas_limit_name="HI",
)


def make_tile(qtbot, data: AreaTileData = BASE) -> AreaTile:
    tile = AreaTile(data)
    qtbot.addWidget(tile)
    tile.resize(420, 260)
    tile.show()
    qtbot.waitExposed(tile)
    return tile


def with_(**changes) -> AreaTileData:
    fields = {name: getattr(BASE, name) for name in BASE.__dataclass_fields__}
    return AreaTileData(**{**fields, **changes})


def test_normal_area_reads_plainly(qtbot) -> None:
    tile = make_tile(qtbot)
    texts = tile.texts()
    assert texts["name"] == "罐区 A Tank farm"
    assert texts["risk"] == "HIGH risk"
    assert texts["permits"] == "HOT 2 · CSE 1"
    assert texts["gas"] == "H2S  3.5 ppm"
    assert texts["percent"] == "50 % of HI 7"
    assert tile.limit_fraction() == 0.5
    assert texts["work"] == "" and texts["quality"] == ""
    assert texts["alarms"] == "No alarms"
    assert tile.property("alarmPriority") == ""
    assert tile.property("workState") == "running"
    image = rendered(tile)
    assert not has_color(image, theme.PALETTE.alarm_p1, tolerance=6, step=2)


def test_stopped_work_is_a_word_and_a_property(qtbot) -> None:
    tile = make_tile(qtbot, with_(work_stopped=True))
    assert tile.texts()["work"] == "STOPPED"
    assert tile.property("workState") == "stopped"
    assert has_color(rendered(tile), theme.PALETTE.stopped, step=2)


def test_stale_and_offline_values_are_never_numbers(qtbot) -> None:
    tile = make_tile(qtbot, with_(stale=True))
    assert tile.texts()["gas"] == "H2S  —"
    assert tile.texts()["quality"] == "STALE"
    assert tile.limit_fraction() is None
    assert has_color(rendered(tile), theme.PALETTE.stale, step=2)
    tile.set_data(with_(offline=True))
    assert tile.texts()["quality"] == "OFFLINE"
    assert "3.5" not in tile.texts()["gas"]


def test_alarm_counts_by_priority_and_worst_outline(qtbot) -> None:
    tile = make_tile(qtbot, with_(alarm_counts={1: 1, 3: 4}, gas_value=15.0, gas_priority=1))
    assert tile.texts()["alarms"] == "P1×1 P3×4"
    assert tile.property("alarmPriority") == "1"
    assert tile.texts()["percent"] == "214 % of HI 7"
    assert has_color(rendered(tile), theme.PALETTE.alarm_p1, step=2)
    tile.set_data(BASE)
    assert tile.texts()["alarms"] == "No alarms"
    assert tile.property("alarmPriority") == ""


def test_no_permits_and_no_detector(qtbot) -> None:
    tile = make_tile(qtbot, with_(permits={}, gas_channel=None, gas_value=None))
    assert tile.texts()["permits"] == "No active permits"
    assert tile.texts()["gas"] == "No gas detector"
    assert tile.texts()["percent"] == ""


def test_live_risk_overrides_the_static_level(qtbot) -> None:
    tile = make_tile(qtbot, with_(live_risk="major"))
    assert tile.texts()["risk"] == "MAJOR risk"
    assert has_color(rendered(tile), theme.risk_color("major", muted=False), step=1)


def test_click_selects_the_area(qtbot) -> None:
    tile = make_tile(qtbot)
    with qtbot.waitSignal(tile.area_selected) as sig:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert sig.args == ["plant", "tank"]


def test_updates_touch_only_what_changed_and_keep_what_is_hidden_hidden(qtbot) -> None:
    tile = make_tile(qtbot, with_(gas_channel=None, gas_value=None))
    assert not tile._bar.isVisible()
    for value in (1.0, 2.0):  # new data for the other parts: the empty scale stays away
        tile.set_data(with_(gas_channel=None, gas_value=None, permits={"hot_work": int(value)}))
        assert not tile._bar.isVisible()
        assert tile.texts()["gas"] == "No gas detector"
    tile.set_data(BASE)
    assert tile._bar.isVisible() and tile.limit_fraction() == 0.5
    tile.set_data(with_(gas_value=7.0))
    assert tile.limit_fraction() == 1.0 and tile.texts()["percent"] == "100 % of HI 7"
    assert tile.texts()["work"] == "" and tile.texts()["quality"] == ""


def test_a_narrow_tile_shows_the_share_of_the_limit_whole_or_its_number_alone(qtbot) -> None:
    """Seen at 1920x1080: "89 % of HI 23.5" cut from the left read "39 % of HI 23.5"."""
    tile = make_tile(qtbot, with_(gas_channel="O2", gas_value=20.949, gas_unit="%VOL", gas_limit=23.5))
    assert tile.texts()["percent"] == "89 % of HI 23.5"
    tile.resize(200, 260)
    qtbot.waitUntil(lambda: tile.texts()["percent"] == "89 %", timeout=2000)
    assert tile._percent.toolTip() == "89 % of HI 23.5"
    tile.resize(420, 260)
    qtbot.waitUntil(lambda: tile.texts()["percent"] == "89 % of HI 23.5", timeout=2000)
