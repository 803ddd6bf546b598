"""A rule's finding in the screen's language: its code's sentence with its parameters filled in.

The rules return codes with parameters (``models.rules.findings.Finding``); the sentences are in
``models/rules/finding_texts.py``, marked for Qt's catalogue. Here each one is translated when it is
shown, so a language switch changes it, and the words inside it (permit types, states, durations,
trades, times) are translated too: a Chinese screen holds no English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from models.plant_clock import format_time
from models.rules.finding_texts import (
    FINDING_TEXTS,
    MOMENT_PARAMS,
    SPAN_PARAMS,
    SPAN_TEXTS,
    TERM_PARAMS,
    TERM_TEXTS,
)
from models.rules.findings import Finding, Param, duration_parts
from models.rules.refusal_texts import (
    ACTION_PARAMS,
    ACTION_TEXTS,
    LEVEL_PARAMS,
    REFUSAL_TEXTS,
    ROLE_PARAMS,
    refusal_code,
)
from models.rules.workers import TRADE_NAMES_EN
from views.i18n import level_text, role_text
from views.session_words import refusal_text as session_refusal
from widgets.theme import QT_TRANSLATE_NOOP

_TRADE = QT_TRANSLATE_NOOP("FindingTerm", "{trade} ({english})")
_LIST_SEPARATOR = QT_TRANSLATE_NOOP("FindingTerm", ", ")
_CAUSE_SEPARATOR = QT_TRANSLATE_NOOP("FindingTerm", "; ")

# Why a hot-work grade was raised: the sentences ``models.rules.grading.grade_causes`` writes (and the
# permit row keeps), each read back into its parts and worded again.
_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^night work \((?P<span>[^)]*)\)$"), QT_TRANSLATE_NOOP("GradeCause", "night work ({span})")),
    (re.compile(r"^holiday (?P<days>.+)$"), QT_TRANSLATE_NOOP("GradeCause", "holiday {days}")),
    (re.compile(r"^rest day (?P<days>.+)$"), QT_TRANSLATE_NOOP("GradeCause", "rest day {days}")),
    (
        re.compile(r"^wind (?P<v>[\d.]+) m/s \(at least (?P<limit>[\d.]+) m/s, Beaufort 5\)$"),
        QT_TRANSLATE_NOOP("GradeCause", "wind {v} m/s (at least {limit} m/s, Beaufort 5)"),
    ),
)
_WEEKDAYS: dict[str, str] = {
    "Monday": QT_TRANSLATE_NOOP("GradeCause", "Monday"),
    "Tuesday": QT_TRANSLATE_NOOP("GradeCause", "Tuesday"),
    "Wednesday": QT_TRANSLATE_NOOP("GradeCause", "Wednesday"),
    "Thursday": QT_TRANSLATE_NOOP("GradeCause", "Thursday"),
    "Friday": QT_TRANSLATE_NOOP("GradeCause", "Friday"),
    "Saturday": QT_TRANSLATE_NOOP("GradeCause", "Saturday"),
    "Sunday": QT_TRANSLATE_NOOP("GradeCause", "Sunday"),
}
_WEEKDAY = re.compile("|".join(_WEEKDAYS))


def finding_text(finding: Finding, zone: str = "") -> str:
    """``finding`` as one sentence in the current language (times in the plant zone ``zone``)."""
    if finding.text_key not in FINDING_TEXTS:
        return finding.message  # a code from a newer core: its English is better than nothing
    return coded_text(finding.text_key, finding.params, zone) or finding.message


def coded_text(key: str, params: Mapping[str, Param], zone: str = "") -> str:
    """The sentence ``key`` of ``FINDING_TEXTS`` translated, with ``params`` filled in (or "")."""
    template = QCoreApplication.translate("Finding", FINDING_TEXTS[key])
    try:
        return template.format_map({name: param_text(name, value, zone) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return ""  # a translation naming a parameter the finding lacks: show the English instead


def refusal_text(exc: BaseException, zone: str = "") -> str | None:
    """Why a service refused, in the current language: its finding(s) or its refusal code; else None."""
    refused = session_refusal(exc)  # the login's session itself (cockpit.sessions)
    if refused is not None:
        return refused
    finding = getattr(exc, "finding", None)
    if isinstance(finding, Finding):
        return finding_text(finding, zone)
    findings = getattr(exc, "findings", None)
    if isinstance(findings, list) and findings and all(isinstance(f, Finding) for f in findings):
        more = len(findings) - 1
        key = "approve.blocked_more" if more else "approve.blocked"
        template = QCoreApplication.translate("Refusal", REFUSAL_TEXTS[key])
        return template.format(first=finding_text(findings[0], zone), more=more)
    found = refusal_code(exc)
    if found is None:
        return None
    code, params = found
    template = QCoreApplication.translate("Refusal", REFUSAL_TEXTS[code])
    try:
        return template.format_map({name: param_text(name, value, zone) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return None


def param_text(name: str, value: Param, zone: str = "") -> str:
    """One parameter as the current language shows it."""
    word = _word_of(name, str(value))
    if word is not None:
        return word
    kind = TERM_PARAMS.get(name)
    if kind is not None:
        words = [term_text(f"{kind}.{v}") for v in str(value).split(",") if v]
        return QCoreApplication.translate("FindingTerm", _LIST_SEPARATOR).join(words)
    if name in SPAN_PARAMS:
        return duration_text(timedelta(seconds=float(value)))
    if name in MOMENT_PARAMS:
        return format_time(datetime.fromisoformat(str(value)), zone, "stamp") if zone else str(value)
    if name == "causes":
        separator = QCoreApplication.translate("FindingTerm", _CAUSE_SEPARATOR)
        return separator.join(cause_text(c) for c in str(value).split("; "))
    if name == "trade":
        english = TRADE_NAMES_EN.get(str(value))
        if english is None:
            return str(value)
        return QCoreApplication.translate("FindingTerm", _TRADE).format(trade=value, english=english)
    return str(value)


def _word_of(name: str, value: str) -> str | None:
    """A role, approval level or action in words; None for a parameter of another kind."""
    if name in ROLE_PARAMS:
        separator = QCoreApplication.translate("FindingTerm", _LIST_SEPARATOR)
        return separator.join(role_text(v) for v in value.split(",") if v)
    if name in LEVEL_PARAMS:
        return level_text(value)
    if name in ACTION_PARAMS:
        return action_text(value)
    return None


def action_text(action: str) -> str:
    """A role-checked action (``cockpit.roles.ACTIONS``) in words, as in "may not {action}"."""
    text = ACTION_TEXTS.get(action)
    return QCoreApplication.translate("Refusal", text) if text is not None else action.replace("_", " ")


def term_text(key: str) -> str:
    """A word of ``TERM_TEXTS`` translated (the key itself when there is none)."""
    text = TERM_TEXTS.get(key)
    return QCoreApplication.translate("FindingTerm", text) if text is not None else key


def duration_text(span: timedelta) -> str:
    """A span in the current language, in the shapes of ``format_duration`` (``8 h``, ``7 days``)."""
    sign, parts = duration_parts(span)
    return sign + " ".join(
        QCoreApplication.translate("FindingSpan", SPAN_TEXTS[unit]).format(n=n) for n, unit in parts
    )


def cause_text(cause: str) -> str:
    """One reason a hot-work grade was raised, in the current language (as it came if unknown)."""
    for pattern, template in _CAUSES:
        found = pattern.match(cause)
        if found is not None:
            parts = {k: _WEEKDAY.sub(lambda m: _weekday(m.group()), v) for k, v in found.groupdict().items()}
            return QCoreApplication.translate("GradeCause", template).format(**parts)
    return cause


def _weekday(name: str) -> str:
    return QCoreApplication.translate("GradeCause", _WEEKDAYS[name])
