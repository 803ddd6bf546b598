"""An alarm's message, or a command's reason made of one, in the screen's language.

The engine and the live checks write ``code(name=value, ...): English`` (``models/rules/alarm_texts.py``);
here the code's sentence is translated through Qt's catalogue when it is shown, so a language switch
changes it, and the words inside it are translated too (conditions, stale reasons, permit terms and
states, a carried finding). A message without a code (an old row, a reason a person typed) is shown
as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from models.rules.alarm_texts import ALARM_TEXTS, GATE_REASONS, STALE_WHY, english, finding_of, read_message
from models.rules.finding_texts import FINDING_TEXTS
from views.finding_words import coded_text, param_text, term_text
from views.place_names import PlaceNames
from widgets.alarm_words import condition_text


def message_text(message: str, zone: str = "", names: PlaceNames | None = None) -> str:
    """``message`` in the current language (times in the plant zone ``zone``; sites and areas by
    their ``names`` when given)."""
    found = read_message(message)
    if found is None:
        return message
    code, params = found
    template = QCoreApplication.translate("AlarmText", ALARM_TEXTS[code])
    try:
        return template.format_map(
            {name: _word(name, value, params, zone, names) for name, value in params.items()}
        )
    except (KeyError, IndexError, ValueError):
        return english(message)  # a translation naming a parameter the message lacks


def _word(name: str, value: str, params: Mapping[str, str], zone: str, names: PlaceNames | None) -> str:
    if names is not None and name in ("site", "area", "source"):
        return _place(name, value, params, names)
    if name in ("event", "why"):
        return _event_word(name, value)
    if name == "reasons":
        separator = QCoreApplication.translate("FindingTerm", "; ")
        return separator.join(_gate_reason(code) for code in value.split(",") if code)
    if name == "status":
        return term_text(f"status.{value}")
    if name == "finding":
        carried = finding_of(params)
        if carried is not None and carried[0] in FINDING_TEXTS:
            return coded_text(carried[0], carried[1], zone) or value
        return value
    if name in ("permit", "base"):
        return param_text(name, value, zone)
    return value


def _event_word(name: str, value: str) -> str:
    """A condition (``event``) or a stale reason (``why``) in words."""
    if name == "event":
        return condition_text(value)
    text = STALE_WHY.get(value)
    return QCoreApplication.translate("AlarmText", text) if text is not None else value


def _place(name: str, value: str, params: Mapping[str, str], names: PlaceNames) -> str:
    """A site, an area or a source path by its names (a code not in the register as it came)."""
    if name == "site":
        return names.site(value)
    return names.area(params.get("site", ""), value) if name == "area" else names.source(value)


def _gate_reason(code: str) -> str:
    text = GATE_REASONS.get(code)
    return QCoreApplication.translate("AlarmText", text) if text is not None else code


def note_text(note: str, zone: str = "", names: PlaceNames | None = None) -> str:
    """A journal note: the engine's coded note, a stale reason's code, or what a person wrote."""
    why = STALE_WHY.get(note)
    if why is not None:
        return QCoreApplication.translate("AlarmText", why)
    return message_text(note, zone, names)


def reason_words(reason: str, zone: str = "", names: PlaceNames | None = None) -> str:
    """A command's or a work state's reason: an alarm's message, a permit rule's coded reason
    (``views.permit_reasons``), or what a person typed, in the current language where it has a code."""
    if read_message(reason) is not None:
        return message_text(reason, zone, names)
    from views.permit_reasons import reason_text

    return reason_text(reason)
