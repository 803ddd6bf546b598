"""A coded permit reason (``code(params): sentence``) is shown in the screen's language."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from views.i18n import Language
from views.permit_reasons import REASON_TEXTS, reason_text

REASON = (
    "gas_test_failed(permit=HW-1): the last gas test of permit HW-1 failed; "
    "a passing gas test is needed before work resumes"
)


def test_a_coded_reason_is_translated_with_its_parameters(qtbot: QtBot) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        assert reason_text(REASON) == "作业票 HW-1 最近一次气体检测不合格；须检测合格后方可恢复作业"
        assert language.set("en")
        assert reason_text(REASON) == REASON.split(": ", 1)[1]
    finally:
        language.set("en")


def test_a_reason_without_a_known_code_is_shown_as_it_came() -> None:
    assert reason_text("S1/A1/GD-1/LEL is still in HIHI alarm") == "S1/A1/GD-1/LEL is still in HIHI alarm"
    assert reason_text("new_code(x=1): something new") == "new_code(x=1): something new"
    assert all("%1" in text for text in REASON_TEXTS.values())
