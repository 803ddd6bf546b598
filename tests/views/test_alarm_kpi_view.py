"""The alarm-system screen: the journal's figures, the chart against EEMUA's lines, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.alarm_kpi import AlarmFigures
from cockpit.plant_reads import PlantReads
from connectors.database import Database
from models.schema import AlarmJournalEntry
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from views.alarm_kpi_view import AlarmKpiView, period_bounds
from views.i18n import Language

NOW = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # 15:00 in the plant (Asia/Shanghai): the day shift


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, NOW)
    with database.session() as s:
        # 12 alarms of one detector in 3 minutes (a flood, a chattering bad actor), one of another.
        for i in range(12):
            s.add(journal(NOW - timedelta(minutes=60 - i * 0.25), "S1/A1/GD-1/LEL", "HI"))
            s.add(journal(NOW - timedelta(minutes=60 - i * 0.25 - 0.1), "S1/A1/GD-1/LEL", "HI", clear=True))
        s.add(journal(NOW - timedelta(minutes=20), "S1/A2/GD-2/LEL", "HIHI"))
    try:
        yield database
    finally:
        database.dispose()


def journal(ts: datetime, source: str, condition: str, *, clear: bool = False) -> AlarmJournalEntry:
    site, area = source.split("/")[:2]
    before, after = ("active_unack", "normal") if clear else ("normal", "active_unack")
    return AlarmJournalEntry(
        alarm_id=f"{source}:{condition}", ts=ts, site_id=site, area_id=area, source=source,
        condition=condition, priority=2, from_state=before, to_state=after, console="c1",
    )  # fmt: skip


def make_view(qtbot: QtBot, db: Database) -> AlarmKpiView:
    view = AlarmKpiView(AlarmFigures(db), PlantReads(db).sites(), clock=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    qtbot.waitUntil(lambda: view.kpis is not None, timeout=10000)
    return view


def test_the_shift_so_far_as_the_journal_tells_it(qtbot: QtBot, db: Database) -> None:
    view = make_view(qtbot, db)
    kpis = view.kpis
    assert kpis is not None
    assert (kpis.start, kpis.end) == (NOW - timedelta(hours=7), NOW)  # the day shift began at 08:00
    assert view._values["alarms"].text() == "13"
    assert view._values["peak"].text() == "12"
    assert view._values["floods"].text().endswith("(1/42)")
    assert view._values["chatter"].text() == "1"
    assert "acceptable" in view._values["average"].text()
    assert view.bad_actors.rowCount() == 2
    assert view.bad_actors.item(0, 0).text() == "加氢装置"  # the area's name, not its code
    assert view.bad_actors.item(0, 1).text() == "detector GD-1, LEL"  # words, not the source key
    assert view.bad_actors.item(0, 2).text() == "high (HI)"  # the condition in words, its ISA code beside
    assert view.bad_actors.item(0, 3).text() == "12"
    items = view.chart.getPlotItem().items
    bars = [i for i in items if isinstance(i, pg.BarGraphItem)]
    lines = sorted(i.value() for i in items if isinstance(i, pg.InfiniteLine))
    assert len(bars) == 1 and lines == [1, 2, 10]  # EEMUA's acceptable, manageable and flood lines
    assert "UTC+8" in view.status.text()


def test_another_period_and_one_site(qtbot: QtBot, db: Database) -> None:
    view = make_view(qtbot, db)
    view.period.setCurrentIndex(2)  # last 7 days
    view.site.setCurrentIndex(view.site.findData("S1"))
    qtbot.waitUntil(lambda: view.kpis is not None and view.kpis.periods == 7 * 24 * 6, timeout=10000)
    assert view.kpis is not None and view.kpis.alarms == 13


def test_periods_begin_at_the_plants_midnight_and_the_first_of_its_month() -> None:
    zone = "Asia/Shanghai"
    day = period_bounds("day", NOW, zone)[0]
    month = period_bounds("month", NOW, zone)[0]
    assert day == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # 00:00 on 2 November in the plant
    assert month == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 00:00 on 1 November in the plant


def test_the_screen_in_chinese(qtbot: QtBot, db: Database) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    view = make_view(qtbot, db)
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.title.text() == "报警系统绩效", timeout=5000)
        assert view._names["average"].text() == "每10分钟平均"
        assert "可接受" in view._values["average"].text()
        assert view.period.itemText(0) == "本班"
        qtbot.waitUntil(lambda: view.bad_actors.item(0, 2).text().endswith("(HI)"), timeout=5000)
        assert view.bad_actors.item(0, 2).text() != "high (HI)"  # the words in Chinese
    finally:
        language.set("en")
