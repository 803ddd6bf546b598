"""A permit's type and hot-work grade in words, in the permit detail's translation context: the
screens that list permits (the queue, the active permits, the popup, the contractor card) say them
without loading the detail view (its import cost the first overview about 70 ms, bench/ui_frame)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from models.records import HotWorkGrade, PermitType
from widgets.theme import QT_TRANSLATE_NOOP  # str-typed, unlike the stub of Qt's own

_CONTEXT = "PermitDetailView"

_TYPE_WORDS: dict[PermitType, str] = {
    PermitType.HOT_WORK: QT_TRANSLATE_NOOP("PermitDetailView", "hot work"),
    PermitType.CONFINED_SPACE: QT_TRANSLATE_NOOP("PermitDetailView", "confined space"),
    PermitType.BLINDING: QT_TRANSLATE_NOOP("PermitDetailView", "blinding"),
    PermitType.WORK_AT_HEIGHT: QT_TRANSLATE_NOOP("PermitDetailView", "work at height"),
    PermitType.LIFTING: QT_TRANSLATE_NOOP("PermitDetailView", "lifting"),
    PermitType.TEMPORARY_POWER: QT_TRANSLATE_NOOP("PermitDetailView", "temporary power"),
    PermitType.EXCAVATION: QT_TRANSLATE_NOOP("PermitDetailView", "excavation"),
    PermitType.ROAD_CLOSURE: QT_TRANSLATE_NOOP("PermitDetailView", "road closure"),
}
_GRADE_WORDS: dict[HotWorkGrade, str] = {
    HotWorkGrade.SPECIAL: QT_TRANSLATE_NOOP("PermitDetailView", "special grade"),
    HotWorkGrade.GRADE_1: QT_TRANSLATE_NOOP("PermitDetailView", "grade 1"),
    HotWorkGrade.GRADE_2: QT_TRANSLATE_NOOP("PermitDetailView", "grade 2"),
}


def type_text(permit_type: PermitType) -> str:
    return QCoreApplication.translate(_CONTEXT, _TYPE_WORDS[permit_type])


def grade_text(grade: HotWorkGrade | None) -> str:
    return QCoreApplication.translate(_CONTEXT, _GRADE_WORDS[grade]) if grade is not None else ""
