"""The map's legend shows every text whole: its groups share the width as their texts need it, and
where one row does not fit they go two a row (the "People" column was cut at a 1600 px window)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.views.test_finding_words import GlossaryTranslator, chinese
from views.i18n import Language
from widgets.map_legend import MapLegend

# The plan's column of the map screen (3:1 beside the side panel) in a 1600 and a 1920 px window.
MAP_COLUMN_1600 = 1010
MAP_COLUMN_1920 = 1200


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    lang = Language(qapp)
    glossary = GlossaryTranslator(chinese())
    if request.param == "zh_CN":
        assert lang.set("zh_CN")
        qapp.installTranslator(glossary)
    try:
        yield request.param
    finally:
        qapp.removeTranslator(glossary)
        lang.set("en")


def rows(legend: MapLegend) -> int:
    """The rows its groups take (the inspection marks made a fifth group: two rows at 1600 px)."""
    return -(-len(legend.groups) // max(legend.columns, 1))


def _legend(qtbot: QtBot, width: int) -> MapLegend:
    legend = MapLegend()
    qtbot.addWidget(legend)
    legend.resize(width, 300)
    legend.show()
    qtbot.waitExposed(legend)
    return legend


@pytest.mark.parametrize("width", [MAP_COLUMN_1600, MAP_COLUMN_1920])
def test_two_rows_at_most_every_text_whole_at_1600_and_1920(qtbot: QtBot, language: str, width: int) -> None:
    legend = _legend(qtbot, width)
    legend.retranslate()
    qtbot.waitUntil(lambda: rows(legend) <= 2 and legend.clipped() == [], timeout=3000)
    if language == "zh_CN":
        assert "人员" in legend.entries()


def test_a_narrower_plan_puts_the_groups_two_a_row_and_back(qtbot: QtBot) -> None:
    legend = _legend(qtbot, 620)
    qtbot.waitUntil(lambda: legend.columns == 2 and legend.clipped() == [], timeout=3000)
    legend.resize(MAP_COLUMN_1920, 300)
    qtbot.waitUntil(lambda: rows(legend) <= 2 and legend.clipped() == [], timeout=3000)
    legend.resize(200, 300)  # never holds the splitter open: it takes the width it is given
    qtbot.waitUntil(lambda: legend.columns == 1 and legend.width() == 200, timeout=3000)
