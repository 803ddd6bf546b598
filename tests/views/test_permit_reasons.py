"""A coded permit reason (``code(params): sentence``) is shown in the screen's language."""

from __future__ import annotations

import re

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
    for text in REASON_TEXTS.values():  # parameters numbered %1, %2 … in order, none skipped
        numbers = sorted({int(n) for n in re.findall(r"%(\d)", text)})
        assert numbers == list(range(1, len(numbers) + 1)), text


def test_every_reason_a_resume_gives_has_its_words_in_both_languages(qapp) -> None:  # type: ignore[no-untyped-def]
    from cockpit import resume

    codes = {
        v for k, v in vars(resume).items() if k.isupper() and isinstance(v, str) and v.startswith("resume.")
    }
    assert len(codes) >= 10
    assert codes <= REASON_TEXTS.keys(), sorted(codes - REASON_TEXTS.keys())
    said = resume.reason(
        resume.GAS_TEST_MISSING, "permit HW-1 needs a gas test taken after the stop", permit="HW-1"
    )
    assert reason_text(said) == "permit HW-1 needs a gas test taken after the stop"
