"""Reasons the permit rules give as codes with parameters, in the screen's language.

A reason reads ``code(name=value, ...): English sentence`` (``cockpit.permits.live_checks``): the code and
its parameters for the screens, the sentence for logs and for a screen that does not know the code. New
codes go into ``REASON_TEXTS`` with ``%1``, ``%2`` … for their parameters in order.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from widgets.theme import QT_TRANSLATE_NOOP

REASON_TEXTS: dict[str, str] = {
    "gas_test_failed": QT_TRANSLATE_NOOP(
        "PermitReason",
        "the last gas test of permit %1 failed; a passing gas test is needed before work resumes",
    ),
    # Why an area may not resume (cockpit/resume.py)
    "resume.reason_missing": QT_TRANSLATE_NOOP("PermitReason", "a reason is required to resume work"),
    "resume.not_stopped": QT_TRANSLATE_NOOP("PermitReason", "work in %1/%2 is not stopped"),
    "resume.alarm_standing": QT_TRANSLATE_NOOP("PermitReason", "%1 is still in %2 alarm"),
    "resume.records_waiting": QT_TRANSLATE_NOOP(
        "PermitReason", "records of the stop still wait for the database: resume once they are written"
    ),
    "resume.database_unreachable": QT_TRANSLATE_NOOP(
        "PermitReason", "the database cannot be reached: resume once it is back"
    ),
    "resume.stopped_again": QT_TRANSLATE_NOOP(
        "PermitReason", "a new stop-work came while the resume was being recorded: it stands"
    ),
    "resume.permit_expired": QT_TRANSLATE_NOOP("PermitReason", "permit %1 has expired"),
    "resume.gas_test_missing": QT_TRANSLATE_NOOP(
        "PermitReason", "permit %1 needs a gas test taken after the stop"
    ),
    "resume.gas_test_failed": QT_TRANSLATE_NOOP("PermitReason", "permit %1: the last gas test failed"),
    "resume.gas_test_old": QT_TRANSLATE_NOOP(
        "PermitReason", "permit %1: the last gas test is older than 30 min"
    ),
}

_CODED = re.compile(r"^(?P<code>[a-z_][a-z0-9_.]*)\((?P<params>[^)]*)\): ")


def reason_text(reason: str) -> str:
    """``reason`` translated when it starts with a known code; else as it came."""
    found = _CODED.match(reason)
    text = REASON_TEXTS.get(found["code"]) if found else None
    if found is None or text is None:
        return reason
    out = QCoreApplication.translate("PermitReason", text)
    values = [part.split("=", 1)[-1] for part in found["params"].split(",") if part]
    for index, value in enumerate(values, start=1):
        out = out.replace(f"%{index}", value.strip())
    return out
