"""The near-miss screens' words: categories, where a record came from, and the service's refusals
(``cockpit.near_misses``), in the screen's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.near_misses import FIELD, OPERATOR, NearMissError, NearMissProblem
from models.records import NearMissCategory
from views.session_words import refusal_text as session_refusal
from widgets.theme import QT_TRANSLATE_NOOP

CONTEXT = "NearMiss"

CATEGORIES: dict[str, str] = {
    NearMissCategory.GAS_RELEASE: QT_TRANSLATE_NOOP("NearMiss", "Gas release"),
    NearMissCategory.FIRE_IGNITION: QT_TRANSLATE_NOOP("NearMiss", "Fire or ignition"),
    NearMissCategory.FALL_FROM_HEIGHT: QT_TRANSLATE_NOOP("NearMiss", "Fall from height"),
    NearMissCategory.DROPPED_OBJECT: QT_TRANSLATE_NOOP("NearMiss", "Dropped object"),
    NearMissCategory.CONFINED_SPACE_ATMOSPHERE: QT_TRANSLATE_NOOP("NearMiss", "Confined-space atmosphere"),
    NearMissCategory.ELECTRICAL: QT_TRANSLATE_NOOP("NearMiss", "Electrical"),
    NearMissCategory.STRUCK_BY: QT_TRANSLATE_NOOP("NearMiss", "Struck by"),
    NearMissCategory.OTHER: QT_TRANSLATE_NOOP("NearMiss", "Other"),
}
SOURCES: dict[str, str] = {
    OPERATOR: QT_TRANSLATE_NOOP("NearMiss", "Control room"),
    FIELD: QT_TRANSLATE_NOOP("NearMiss", "From the field"),
}
_REFUSALS: dict[NearMissProblem, str] = {
    NearMissProblem.BAD_CATEGORY: QT_TRANSLATE_NOOP("NearMiss", "Choose a category."),
    NearMissProblem.DESCRIPTION_NEEDED: QT_TRANSLATE_NOOP(
        "NearMiss", "Describe what happened (at most 2,000 characters)."
    ),
    NearMissProblem.IN_FUTURE: QT_TRANSLATE_NOOP("NearMiss", "The time lies in the future."),
    NearMissProblem.UNKNOWN_SITE: QT_TRANSLATE_NOOP("NearMiss", "There is no site %1."),
    NearMissProblem.UNKNOWN_AREA: QT_TRANSLATE_NOOP("NearMiss", "There is no area %1 in this site."),
    NearMissProblem.UNKNOWN_PERMIT: QT_TRANSLATE_NOOP("NearMiss", "There is no permit %1."),
    NearMissProblem.BAD_MONTH: QT_TRANSLATE_NOOP("NearMiss", "%1 is not a month."),
}
_FIRST_PARAM = {
    NearMissProblem.UNKNOWN_SITE: "site",
    NearMissProblem.UNKNOWN_AREA: "area",
    NearMissProblem.UNKNOWN_PERMIT: "permit",
    NearMissProblem.BAD_MONTH: "value",
}
_NOT_DONE = QT_TRANSLATE_NOOP("NearMiss", "Not recorded: %1")


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def word(table: dict[str, str], key: str) -> str:
    return tr(table[key]) if key in table else key


def refusal(exc: BaseException) -> str:
    """One readable sentence for a refused record, in the screen's language."""
    said = session_refusal(exc)
    if said is not None:
        return said
    if isinstance(exc, NearMissError) and exc.code in _REFUSALS:
        param = _FIRST_PARAM.get(exc.code)
        return tr(_REFUSALS[exc.code]).replace("%1", str(exc.params.get(param, "")) if param else "")
    return tr(_NOT_DONE).replace("%1", type(exc).__name__)
