"""The permit detail shows the wind reading a hot-work permit was graded with (issue 17, part 2): the
approver sees the mast's m/s and Beaufort force beside the raised grade, in English and in Chinese,
and is told when there is no reading to judge by. On the seeded demo plant (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.permit_service import PermitDetail, PermitService
from models.records import HotWorkGrade
from tests.cockpit.test_permit_service import NOW, copy_of, hot_work_request, pick_crew, shared_template
from tests.views.test_finding_words import glossary_chinese
from views.permit_detail_view import PermitDetailView

__all__ = ["glossary_chinese"]  # the fixture, used by name


def detail_with(factory: pytest.TempPathFactory, folder: Path, wind: float | None) -> PermitDetail:
    """A grade-2 hot-work application judged with the mast reading ``wind`` (None: no reading)."""
    db = copy_of(shared_template(factory), folder)
    try:
        svc = PermitService(db, clock=lambda: NOW, wind=lambda site, area: wind)
        svc.create_from_request(hot_work_request(pick_crew(db), "HW-W-1"), NOW)
        return svc.permit_detail("HW-W-1", NOW)
    finally:
        db.dispose()


def shown(qtbot: QtBot, detail: PermitDetail) -> list[tuple[str, str]]:
    view = PermitDetailView()
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show_detail(detail, NOW)
    return view.check_lines()


def test_a_wind_of_11_m_s_is_shown_beside_the_grade_it_raised(
    qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    detail = detail_with(tmp_path_factory, tmp_path, 11.0)
    assert detail.effective_grade is HotWorkGrade.GRADE_1 and detail.wind_m_s == 11.0
    lines = shown(qtbot, detail)
    assert ("warn", "Wind 11.0 m/s (Beaufort 6): hot work is graded up one level") in lines
    raised = [text for verdict, text in lines if text.startswith("Applied as grade 2, raised to grade 1")]
    assert raised and "wind 11.0 m/s" in raised[0]


def test_a_calm_reading_and_a_missing_one(
    qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    calm = detail_with(tmp_path_factory, tmp_path, 3.0)
    assert calm.effective_grade is HotWorkGrade.GRADE_2
    assert ("ok", "Wind 3.0 m/s (Beaufort 2)") in shown(qtbot, calm)
    unknown = shown(qtbot, detail_with(tmp_path_factory, tmp_path, None))
    assert ("warn", "No wind reading: the grade could not be checked against the wind") in unknown


def test_the_wind_line_in_chinese(
    qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, glossary_chinese: None
) -> None:
    lines = [text for _, text in shown(qtbot, detail_with(tmp_path_factory, tmp_path, 11.0))]
    assert "风速 11.0 m/s（6 级）：动火作业升一级管理" in lines
    raised = [text for text in lines if text.startswith("申请为 二级")]
    assert raised and "升级为 一级" in raised[0] and "风速 11.0 m/s" in raised[0]
