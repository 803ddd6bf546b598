"""The inspection screens' words: point states, suspicions, severities, work-order states and the
services' refusals (``cockpit.inspection.problems``), in the screen's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cockpit.inspection.problems import InspectionError, InspectionProblem
from models.rules import rounds as rule
from views.session_words import refusal_text as session_refusal
from widgets.theme import QT_TRANSLATE_NOOP

CONTEXT = "Inspection"

POINT_STATES = {
    rule.DONE: QT_TRANSLATE_NOOP("Inspection", "in time"),
    rule.LATE: QT_TRANSLATE_NOOP("Inspection", "late"),
    rule.MISSED: QT_TRANSLATE_NOOP("Inspection", "missed"),
    rule.PENDING: QT_TRANSLATE_NOOP("Inspection", "to do"),
}
SEVERITIES = {
    "critical": QT_TRANSLATE_NOOP("Inspection", "critical"),
    "major": QT_TRANSLATE_NOOP("Inspection", "major"),
    "minor": QT_TRANSLATE_NOOP("Inspection", "minor"),
}
ORDER_STATES = {
    "open": QT_TRANSLATE_NOOP("Inspection", "open"),
    "fixed": QT_TRANSLATE_NOOP("Inspection", "repaired, to verify"),
    "closed": QT_TRANSLATE_NOOP("Inspection", "closed (verified)"),
}
CHAIN = {
    "shift_lead": QT_TRANSLATE_NOOP("Inspection", "shift lead"),
    "safety_department": QT_TRANSLATE_NOOP("Inspection", "safety department"),
    "senior_leader": QT_TRANSLATE_NOOP("Inspection", "senior leader"),
}
_REFUSALS = {
    InspectionProblem.NOT_EDITOR: QT_TRANSLATE_NOOP(
        "Inspection", "%1 may not edit the inspection register: administrators and safety managers do"
    ),
    InspectionProblem.NOT_ALLOWED: QT_TRANSLATE_NOOP("Inspection", "%1 may not do this"),
    InspectionProblem.UNKNOWN_ORDER: QT_TRANSLATE_NOOP("Inspection", "There is no work order %1."),
    InspectionProblem.ORDER_CLOSED: QT_TRANSLATE_NOOP("Inspection", "Work order %1 is closed already."),
    InspectionProblem.NOT_FIXED: QT_TRANSLATE_NOOP(
        "Inspection", "Work order %1 is not reported repaired yet: it is verified after the repair."
    ),
    InspectionProblem.SAME_PERSON: QT_TRANSLATE_NOOP(
        "Inspection", "%1 reported this repair: someone else verifies it."
    ),
    InspectionProblem.NOTE_NEEDED: QT_TRANSLATE_NOOP("Inspection", "Write a note: what was done or checked."),
    InspectionProblem.BAD_CODE: QT_TRANSLATE_NOOP(
        "Inspection", "The code %1 is not allowed: letters, digits, '.', '_', '-', at most 64."
    ),
    InspectionProblem.BAD_NAME: QT_TRANSLATE_NOOP(
        "Inspection", "The name must not be empty and at most %1 characters."
    ),
    InspectionProblem.BAD_CHECKLIST: QT_TRANSLATE_NOOP(
        "Inspection", "A checklist has 1 to %1 questions, each at most 200 characters."
    ),
    InspectionProblem.BAD_ROUTE: QT_TRANSLATE_NOOP(
        "Inspection", "A route needs 1 to %1 points, 1 to 24 rounds a day and 5 to 720 minutes a round."
    ),
    InspectionProblem.BAD_MONTH: QT_TRANSLATE_NOOP(
        "Inspection", "The month %1 is not YYYY-MM, or the count is not 1 to 200."
    ),
    InspectionProblem.UNKNOWN_AREA: QT_TRANSLATE_NOOP("Inspection", "There is no area %1 in site %2."),
    InspectionProblem.UNKNOWN_EQUIPMENT: QT_TRANSLATE_NOOP("Inspection", "There is no equipment %1."),
    InspectionProblem.UNKNOWN_USER: QT_TRANSLATE_NOOP(
        "Inspection", "There is no active user %1 to own the defects."
    ),
    InspectionProblem.TAG_TAKEN: QT_TRANSLATE_NOOP("Inspection", "The tag %1 is already on %2."),
}
# the parameters that fill %1, %2 … of each refusal
_PARAMS: dict[InspectionProblem, tuple[str, ...]] = {
    InspectionProblem.BAD_CODE: ("value",),
    InspectionProblem.BAD_NAME: ("max",),
    InspectionProblem.BAD_CHECKLIST: ("max",),
    InspectionProblem.BAD_ROUTE: ("max",),
    InspectionProblem.BAD_MONTH: ("value",),
    InspectionProblem.UNKNOWN_AREA: ("area", "site"),
    InspectionProblem.UNKNOWN_EQUIPMENT: ("code",),
    InspectionProblem.UNKNOWN_USER: ("user",),
    InspectionProblem.TAG_TAKEN: ("tag", "code"),
}
_FIRST_PARAM = {
    InspectionProblem.NOT_EDITOR: "actor",
    InspectionProblem.NOT_ALLOWED: "actor",
    InspectionProblem.UNKNOWN_ORDER: "order",
    InspectionProblem.ORDER_CLOSED: "order",
    InspectionProblem.NOT_FIXED: "order",
    InspectionProblem.SAME_PERSON: "actor",
}


_NOT_DONE = QT_TRANSLATE_NOOP("Inspection", "Not done: %1")
_FAST = QT_TRANSLATE_NOOP("Inspection", "Faster than walking")
_FAST_DETAIL = QT_TRANSLATE_NOOP("Inspection", "%1 → %2: %3 m in %4 s (%5 m/s)")
_SAME = QT_TRANSLATE_NOOP("Inspection", "Same answers every time")
_SAME_DETAIL = QT_TRANSLATE_NOOP("Inspection", "%1: the same readings %2 times running")


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def word(table: dict[str, str], key: str) -> str:
    return tr(table[key]) if key in table else key


def refusal(exc: BaseException) -> str:
    """One readable sentence for a refused act, in the screen's language."""
    said = session_refusal(exc)
    if said is not None:
        return said
    if isinstance(exc, InspectionError) and exc.code in _REFUSALS:
        first = _FIRST_PARAM.get(exc.code)
        names = _PARAMS.get(exc.code, (first,) if first else ())
        text = tr(_REFUSALS[exc.code])
        for i, name in enumerate(names, start=1):
            text = text.replace(f"%{i}", str(exc.params.get(name, "")))
        return text.replace("%1", "")
    return tr(_NOT_DONE).replace("%1", str(exc))


def suspicion_text(s: rule.Suspicion, names: dict[str, str]) -> tuple[str, str]:
    """(what, detail) of a suspicious scan."""
    if s.kind == rule.TOO_FAST:
        detail = (
            tr(_FAST_DETAIL)
            .replace("%1", names.get(s.previous, s.previous))
            .replace("%2", names.get(s.equipment, s.equipment))
            .replace("%3", f"{s.metres:.0f}")
            .replace("%4", f"{s.seconds:.0f}")
            .replace("%5", f"{s.metres / max(s.seconds, 1.0):.1f}")
        )
        return tr(_FAST), detail
    detail = tr(_SAME_DETAIL).replace("%1", names.get(s.equipment, s.equipment)).replace("%2", str(s.runs))
    return tr(_SAME), detail
