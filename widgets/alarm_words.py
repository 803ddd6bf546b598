"""What each alarm condition is called on screen, in the current language.

The engine raises conditions as codes (``HIHI``, ``GAS_RETEST_OVERDUE`` …); operators read a
label. The table lives here, with the widgets, so that the alarm list can name a condition when it
paints (and so follow a language switch) and the views can use the same words in titles.
"""

from __future__ import annotations

from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

# The context is written out in every entry: lupdate reads only a literal one.
CONDITION_TEXTS: dict[str, str] = {
    "HIHI": QT_TRANSLATE_NOOP("Alarms", "high-high"),
    "HI": QT_TRANSLATE_NOOP("Alarms", "high"),
    "LO": QT_TRANSLATE_NOOP("Alarms", "low"),
    "LOLO": QT_TRANSLATE_NOOP("Alarms", "low-low"),
    "STALE": QT_TRANSLATE_NOOP("Alarms", "no valid reading"),
    "FAULT": QT_TRANSLATE_NOOP("Alarms", "detector fault"),
    "MAN_DOWN": QT_TRANSLATE_NOOP("Alarms", "man down"),
    "FALL": QT_TRANSLATE_NOOP("Alarms", "fall detected"),
    "SOS": QT_TRANSLATE_NOOP("Alarms", "SOS"),
    "NO_MOTION": QT_TRANSLATE_NOOP("Alarms", "no motion"),
    "GEOFENCE": QT_TRANSLATE_NOOP("Alarms", "geofence breach"),
    "GAS_TEST_FAILED": QT_TRANSLATE_NOOP("Alarms", "gas test failed"),
    "NO_VALID_PERMIT": QT_TRANSLATE_NOOP("Alarms", "work without a valid permit"),
    "STOP_NOT_EXECUTED": QT_TRANSLATE_NOOP("Alarms", "stop-work not executed in time"),
    "GAS_RETEST_OVERDUE": QT_TRANSLATE_NOOP("Alarms", "gas re-test overdue"),
    "CHECKIN_OVERDUE": QT_TRANSLATE_NOOP("Alarms", "supervisor check-in overdue"),
    "PERMIT_EXPIRED": QT_TRANSLATE_NOOP("Alarms", "permit past its validity"),
    "PERMIT_EXPIRING": QT_TRANSLATE_NOOP("Alarms", "permit about to expire"),
    "CERT_EXPIRING": QT_TRANSLATE_NOOP("Alarms", "certificate expiring"),
    "APPROVAL_ESCALATED": QT_TRANSLATE_NOOP("Alarms", "approval overdue, escalated"),
    # The live permit checks (cockpit.permits.live_checks).
    "CHECKIN_STOP_PROPOSED": QT_TRANSLATE_NOOP("Alarms", "supervisor absent: stop of the work proposed"),
    "WIND_GRADE_ABOVE_APPROVAL": QT_TRANSLATE_NOOP(
        "Alarms", "wind raised the hot-work grade above its approval: suspension proposed"
    ),
    "RESUMED_WITHOUT_GAS_TEST": QT_TRANSLATE_NOOP(
        "Alarms", "work resumed without a gas re-test after a pause"
    ),
    "RESUMED_AFTER_FAILED_GAS_TEST": QT_TRANSLATE_NOOP("Alarms", "work resumed after a failed gas test"),
    "STARTED_WITHOUT_PHOTO": QT_TRANSLATE_NOOP("Alarms", "work started without its key-step photo"),
    # The field gate (cockpit.gate).
    "GATE_REFUSED": QT_TRANSLATE_NOOP("Alarms", "entry refused at the gate"),
    "UNAUTHORISED_ENTRY": QT_TRANSLATE_NOOP("Alarms", "entry without an allow"),
}


def condition_text(condition: str) -> str:
    """The label of ``condition`` in the current language; a code without one is shown as it is."""
    text = CONDITION_TEXTS.get(condition)
    return theme.translated("Alarms", text) if text is not None else condition
