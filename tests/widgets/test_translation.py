"""User-visible strings go through Qt's translation, so zh_CN can be added later."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from widgets.alarm_popup import AlarmPopup, PopupAlarm
from widgets.alarm_table import AlarmRow, AlarmTable
from widgets.badges import StateBadge
from widgets.value_tile import AreaTile, AreaTileData

ZH = {
    ("StateBadge", "STALE"): "过期",
    ("AlarmPopup", "STOP WORK IN AREA  (F9)"): "停止区域作业  (F9)",
    ("AlarmTable", "UNACK"): "未确认",
    ("AreaTile", "HOT"): "动火",
}


class _Dictionary(QTranslator):
    """A translator from a dict: stands in for a compiled .qm file."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return ZH.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def chinese(qapp):
    translator = _Dictionary()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_widgets_show_translated_strings(qtbot, chinese) -> None:
    badge = StateBadge("stale")
    qtbot.addWidget(badge)
    assert badge.text() == "过期"
    popup = AlarmPopup(PopupAlarm("a", 1, "H2S"))
    qtbot.addWidget(popup)
    assert popup.stop_button().text() == "停止区域作业  (F9)"
    table = AlarmTable()
    qtbot.addWidget(table)
    table.set_rows([AlarmRow("a", 1, datetime.now(UTC), "s", "a")])
    model = table.alarm_model()
    assert "未确认" in [model.data(model.index(0, c)) for c in range(model.columnCount())]
    tile = AreaTile(AreaTileData("s", "a", "罐区", permits={"hot_work": 2}))
    qtbot.addWidget(tile)
    assert tile.texts()["permits"] == "动火 2"


def test_a_tile_and_a_badge_follow_a_language_switch(qtbot, qapp) -> None:
    tile = AreaTile(AreaTileData("s", "a", "罐区", permits={"hot_work": 2}, stale=True, gas_channel="LEL"))
    qtbot.addWidget(tile)
    tile.show()
    assert tile.texts()["permits"] == "HOT 2" and tile.texts()["quality"] == "STALE"
    translator = _Dictionary()
    QCoreApplication.installTranslator(translator)  # Qt sends LanguageChange to every widget
    try:
        qtbot.waitUntil(lambda: tile.texts()["permits"] == "动火 2", timeout=2000)
        assert tile.texts()["quality"] == "过期"
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: tile.texts()["permits"] == "HOT 2", timeout=2000)
