"""The monthly report screen: choose a month, preview its figures, save PDF and xlsx; both languages."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication, QTableWidgetItem
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from cockpit.report.monthly_service import MonthlyReports, recent_months
from connectors.database import Database
from tests.support.fresh_db import open_fresh
from tests.support.monthly import build_month
from views.i18n import Language
from views.monthly_report_view import MonthlyReportView

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_month(database)
    try:
        yield database
    finally:
        database.dispose()


def make_view(qtbot: QtBot, db: Database) -> MonthlyReportView:
    view = MonthlyReportView(
        MonthlyReports(db, plant="测试化工厂"), PlantReads(db).sites(), clock=lambda: NOW
    )
    qtbot.addWidget(view)
    view.resize(1500, 900)
    return view


def _text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def _row(view: MonthlyReportView, label: str) -> list[str]:
    t = view.summary
    for r in range(t.rowCount()):
        if _text(t.item(r, 0)) == label:
            return [_text(t.item(r, c)) for c in range(1, t.columnCount())]
    raise AssertionError(f"no row {label!r}")


def test_the_months_offered_are_the_plants() -> None:
    # 2026-11-30 17:00 UTC is already December 1st in Shanghai
    assert recent_months(datetime(2026, 11, 30, 17, tzinfo=UTC), "Asia/Shanghai", 3) == [
        "2026-12",
        "2026-11",
        "2026-10",
    ]


def test_preview_and_save(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = make_view(qtbot, db)
    assert view.month.currentText() == "2026-11"  # the last whole month
    assert not view.pdf_button.isEnabled()  # nothing to save before a preview
    view.lang.setCurrentIndex(view.lang.findData("en"))
    view.preview()
    qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
    assert [_text(view.summary.horizontalHeaderItem(c)) for c in range(1, 5)] == [
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    assert _row(view, "Permits submitted")[:4] == ["0", "0", "1", "6"]
    assert _row(view, "Approval lead time, median")[3] == "5.0 h"
    assert _text(view.reasons.item(0, 0)) == "energy isolation"  # the picker's word, not the code
    assert view.pdf_button.isEnabled() and view.xlsx_button.isEnabled()
    pdf, xlsx = tmp_path / "m.pdf", tmp_path / "m.xlsx"
    view.save("pdf", pdf)
    assert view.wait()
    qtbot.waitUntil(lambda: view.status.text().startswith("Saved"), timeout=10_000)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Monthly special-work analysis" in text
    view.save("xlsx", xlsx)
    assert view.wait()
    qtbot.waitUntil(lambda: str(xlsx) in view.status.text(), timeout=10_000)
    assert load_workbook(xlsx).worksheets[0]["A1"].value.startswith("Monthly special-work analysis")


def test_a_month_shown_in_chinese(qtbot: QtBot, db: Database) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    view = make_view(qtbot, db)
    try:
        view.preview()
        qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.summary_title.text() == "主要指标逐月对比", timeout=5000)
        assert _row(view, "申请作业票")[:4] == ["0", "0", "1", "6"]
        assert _text(view.reasons.item(2, 0)) == "未编码"
    finally:
        language.set("en")


def test_opening_the_screen_shows_the_last_whole_month_without_a_press(qtbot: QtBot, db: Database) -> None:
    view = make_view(qtbot, db)
    assert view.report is None and view.busy.isHidden()  # built, not shown: nothing is read
    view.show()
    assert not view.busy.isHidden()  # the bar moves while the month is read off the GUI thread
    assert view.status.text() == "Reading 2026-11 and the three months before it…"
    qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
    assert view.busy.isHidden() and view.report.month.month == "2026-11"
    assert _row(view, "Permits submitted")[:4] == ["0", "0", "1", "6"]
    assert view.status.text() == "2026-11: 6 permits submitted, 4 approved."
    assert view.pdf_button.isEnabled()
    view.hide()
    view.show()  # opened again: not read again
    assert view.busy.isHidden()


def test_opening_the_screen_in_chinese_shows_the_month_in_chinese(qtbot: QtBot, db: Database) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    assert language.set("zh_CN")
    try:
        view = make_view(qtbot, db)
        view.show()
        qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
        assert view.summary_title.text() == "主要指标逐月对比"
        assert _row(view, "申请作业票")[:4] == ["0", "0", "1", "6"]
        view.wait()
    finally:
        language.set("en")
