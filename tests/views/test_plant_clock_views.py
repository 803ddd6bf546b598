"""One plant clock on the screens (issue 18): with the machine in another zone, the alarm list, the
popup and the permit screens show an event at the plant's time, the time the printed handover gives
(tests/cockpit/test_plant_clock.py), with the zone beside it where it could be misread."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.plant_clock import PlantClock
from views.permit_tables import fmt_local
from widgets.alarm_popup import AlarmPopup, PopupAlarm
from widgets.alarm_table import COLUMN_INDEX, AlarmRow, AlarmTable

EVENT = datetime(2026, 11, 23, 15, 16, 0, tzinfo=UTC)  # 23:16 in Shanghai


@pytest.fixture
def machine_elsewhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_alarm_list_popup_and_permit_screens_read_the_plant_time(
    qtbot: QtBot, machine_elsewhere: None
) -> None:
    table = AlarmTable()
    qtbot.addWidget(table)
    table.alarm_model().set_clock(PlantClock(sites={"S1": "Asia/Shanghai"}))
    table.set_rows([AlarmRow("a", 1, EVENT, "S1", "A1", "GD-1", "HIHI", 31.0, "%LEL")])
    model = table.alarm_model()
    time_cell = model.data(model.index(0, COLUMN_INDEX["time"]), Qt.ItemDataRole.DisplayRole)
    assert time_cell.endswith("23:16:00")  # with the date before it: the event is not of today
    header = model.headerData(COLUMN_INDEX["time"], Qt.Orientation.Horizontal)
    assert header == "Time (UTC+8)"

    popup = AlarmPopup(PopupAlarm("a", 1, "LEL high-high", "HIHI", 31.0, "%LEL", raised_at=EVENT))
    qtbot.addWidget(popup)
    assert popup.texts()["when"] == "Raised 2026-11-23 23:16:00 (UTC+8)"

    assert fmt_local(EVENT, "Asia/Shanghai") == "11-23 23:16"
    assert fmt_local(EVENT, "Asia/Shanghai", "minute") == "23:16"
    assert fmt_local(EVENT + timedelta(hours=1), "Asia/Shanghai", "stamp") == "2026-11-24 00:16"


def test_the_trend_axis_reads_the_plant_time(qtbot: QtBot, machine_elsewhere: None) -> None:
    from widgets.trend_plot import TrendPlot

    plot = TrendPlot()
    qtbot.addWidget(plot)
    axis = plot._plot.getPlotItem().getAxis("bottom")
    assert axis.utcOffset == -8 * 3600  # pyqtgraph counts west of UTC: Shanghai, not the machine's UTC


def test_no_code_reads_the_machines_zone() -> None:
    """``astimezone()`` with no zone is the machine's: every time a person reads is the plant's."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for package in ("views", "widgets", "cockpit", "models", "connectors")
        for path in sorted((root / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.astimezone\(\s*\)", line)
    ]
    assert offenders == []
