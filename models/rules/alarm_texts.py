"""What the alarm engine and the live checks say about an alarm, as codes with ``{name}`` placeholders.

An alarm's message (and a stop-work command's reason made of it) is kept as
``code(name=value, ...): English sentence``: the code and its parameters for the screens and the
handover report, which say it in their language (``widgets/alarm_words.message_text``,
``cockpit/report/handover_texts.Fmt.reason``); the sentence after them for the logs, the command line
and the field (``english``: the contract's ``reason`` is free text). A value never holds ``,()=`` as
such: they are written ``%2C`` … (and a ``%`` that would read as one of those as ``%25``), so the
parameters read back whole.

Parameters are worded as in the findings (``models/rules/finding_texts.py``): ``permit`` and ``base``
hold a permit term (``hot_work.1``), ``status`` a permit status; ``event`` and ``cond`` an alarm
condition; ``why`` a stale reason; everything else (ids, numbers, units, gas channels) is shown as it is.
The Chinese lives in ``resources/translations/zh_CN_glossary.py`` under the same English source, and in
the handover report's table (``cockpit/report/alarm_texts_zh.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from models.rules.finding_texts import QT_TRANSLATE_NOOP
from models.rules.findings import english_param

Param = str | int | float

# The context is written out in every entry: lupdate reads only a literal one.
ALARM_TEXTS: dict[str, str] = {
    # models.alarms: gas levels, lost readings, detector faults, events cleared
    "level.active": QT_TRANSLATE_NOOP(
        "AlarmText", "{ch} {value} {unit} {cond} (limit {lim} {unit}) at {source}"
    ),
    "level.normal": QT_TRANSLATE_NOOP("AlarmText", "{ch} back to normal: {value} {unit} at {source}"),
    "stale.active": QT_TRANSLATE_NOOP("AlarmText", "{ch} at {source} has no valid reading: {why}"),
    "stale.cleared": QT_TRANSLATE_NOOP("AlarmText", "{ch} at {source} reports again"),
    "fault.active": QT_TRANSLATE_NOOP("AlarmText", "detector {device} at {site}/{area} reports a fault"),
    "fault.active_detail": QT_TRANSLATE_NOOP(
        "AlarmText", "detector {device} at {site}/{area} reports a fault: {detail}"
    ),
    "fault.cleared": QT_TRANSLATE_NOOP("AlarmText", "detector {device} at {site}/{area} fault cleared"),
    "event.cleared": QT_TRANSLATE_NOOP("AlarmText", "{event} at {source} cleared"),
    "event.cleared_by": QT_TRANSLATE_NOOP("AlarmText", "{event} at {source} cleared by {who}"),
    # cockpit.worker_alarms: the field's worker events
    "worker.man_down": QT_TRANSLATE_NOOP("AlarmText", "man down: worker {worker}"),
    "worker.fall": QT_TRANSLATE_NOOP("AlarmText", "fall detected: worker {worker}"),
    "worker.sos": QT_TRANSLATE_NOOP("AlarmText", "SOS pressed: worker {worker}"),
    "worker.no_motion": QT_TRANSLATE_NOOP("AlarmText", "no motion: worker {worker}"),
    "worker.geofence": QT_TRANSLATE_NOOP("AlarmText", "geofence breach: worker {worker}"),
    "worker.man_down_permit": QT_TRANSLATE_NOOP(
        "AlarmText", "man down: worker {worker} (permit {permit_id})"
    ),
    "worker.fall_permit": QT_TRANSLATE_NOOP(
        "AlarmText", "fall detected: worker {worker} (permit {permit_id})"
    ),
    "worker.sos_permit": QT_TRANSLATE_NOOP("AlarmText", "SOS pressed: worker {worker} (permit {permit_id})"),
    "worker.no_motion_permit": QT_TRANSLATE_NOOP(
        "AlarmText", "no motion: worker {worker} (permit {permit_id})"
    ),
    "worker.geofence_permit": QT_TRANSLATE_NOOP(
        "AlarmText", "geofence breach: worker {worker} (permit {permit_id})"
    ),
    # cockpit.gate
    "gate.no_allow": QT_TRANSLATE_NOOP(
        "AlarmText", "entry without an allow: worker {worker} in {site}/{area}"
    ),
    "gate.no_allow_permit": QT_TRANSLATE_NOOP(
        "AlarmText", "entry without an allow: worker {worker} in {site}/{area} (permit {permit_id})"
    ),
    "gate.refused": QT_TRANSLATE_NOOP("AlarmText", "gate {gate} refused worker {worker}: {reasons}"),
    # cockpit.stop_loop: the field did not answer a command in time
    "command.stop_not_executed": QT_TRANSLATE_NOOP("AlarmText", "stop-work not executed within {seconds} s"),
    "command.resume_not_executed": QT_TRANSLATE_NOOP(
        "AlarmText", "resume-work not executed within {seconds} s"
    ),
    # cockpit.permit_monitor and cockpit.permits.live_checks: the live permit checks
    "checkin.never": QT_TRANSLATE_NOOP(
        "AlarmText", "supervisor {supervisor} has not checked in since the start for more than {minutes} min"
    ),
    "checkin.late": QT_TRANSLATE_NOOP(
        "AlarmText", "supervisor {supervisor} has not checked in for more than {minutes} min"
    ),
    "checkin.never_stop": QT_TRANSLATE_NOOP(
        "AlarmText",
        "supervisor {supervisor} has not checked in since the start for more than {minutes} min: "
        "stop the work of permit {permit_id}",
    ),
    "checkin.late_stop": QT_TRANSLATE_NOOP(
        "AlarmText",
        "supervisor {supervisor} has not checked in for more than {minutes} min: "
        "stop the work of permit {permit_id}",
    ),
    "permit.no_valid_started": QT_TRANSLATE_NOOP(
        "AlarmText", "work started without a valid permit ({permit_id}: {status})"
    ),
    "permit.no_valid_resumed": QT_TRANSLATE_NOOP(
        "AlarmText", "work resumed without a valid permit ({permit_id}: {status})"
    ),
    "permit.started_without_photo": QT_TRANSLATE_NOOP(
        "AlarmText", "work on {permit_id} started without the photo of the key step: {step}"
    ),
    "permit.unknown_started": QT_TRANSLATE_NOOP(
        "AlarmText", "work started without a valid permit ({permit_id}: unknown)"
    ),
    "permit.unknown_resumed": QT_TRANSLATE_NOOP(
        "AlarmText", "work resumed without a valid permit ({permit_id}: unknown)"
    ),
    "wind.above_approval": QT_TRANSLATE_NOOP(
        "AlarmText",
        "{permit_id}: wind {wind} m/s (Beaufort {force}) raises the work to {permit}, above its approval "
        "({base}); suspend the work",
    ),
    "resume.after_failed_test": QT_TRANSLATE_NOOP(
        "AlarmText", "{permit_id}: work resumed after a failed gas test"
    ),
    "resume.long_pause": QT_TRANSLATE_NOOP(
        "AlarmText",
        "{permit_id}: work resumed after a pause of {minutes} min (more than {most} min) "
        "without a gas re-test",
    ),
    "retest.site_pause": QT_TRANSLATE_NOOP(
        "AlarmText",
        "{permit_id}: paused for {minutes} min (more than the site's {most} min): "
        "a gas re-test is due before work resumes",
    ),
    "retest.overdue": QT_TRANSLATE_NOOP("AlarmText", "{permit_id}: the gas re-test is overdue: {finding}"),
    # models.alarms: the journal's notes on what the engine did by itself
    "note.rose_shelved": QT_TRANSLATE_NOOP("AlarmText", "rose to {cond} while shelved"),
    "note.acked_now": QT_TRANSLATE_NOOP("AlarmText", "acknowledged {old}, now {cond}"),
}

# What a stale reason (``cockpit.telemetry_records.StaleReason``) is called: the ``why`` parameter.
STALE_WHY: dict[str, str] = {
    "device_offline": QT_TRANSLATE_NOOP("AlarmText", "the detector is offline"),
    "device_fault": QT_TRANSLATE_NOOP("AlarmText", "the detector reports a fault"),
    "bad_quality": QT_TRANSLATE_NOOP("AlarmText", "the reading's quality is bad"),
    "no_data": QT_TRANSLATE_NOOP("AlarmText", "no usable reading yet"),
    "expired": QT_TRANSLATE_NOOP("AlarmText", "the last reading is too old"),
    "link_down": QT_TRANSLATE_NOOP("AlarmText", "the field link is down"),
}

# Why a gate refused an entry (``cockpit.gate``'s reason codes, contract of the gate in
# docs/mqtt-cockpit-topics.md): the ``reasons`` parameter, codes separated by commas.
GATE_REASONS: dict[str, str] = {
    "worker_unknown": QT_TRANSLATE_NOOP("AlarmText", "not on the register"),
    "not_on_active_permit": QT_TRANSLATE_NOOP("AlarmText", "not on an active permit here"),
    "certificate_missing": QT_TRANSLATE_NOOP("AlarmText", "no certificate for the trade"),
    "certificate_expired": QT_TRANSLATE_NOOP("AlarmText", "certificate expired"),
    "certificate_review_overdue": QT_TRANSLATE_NOOP("AlarmText", "certificate review overdue"),
    "certificate_invalid": QT_TRANSLATE_NOOP("AlarmText", "certificate not valid"),
    "admission_exam_missing": QT_TRANSLATE_NOOP("AlarmText", "admission exam not passed"),
    "contractor_blacklisted": QT_TRANSLATE_NOOP("AlarmText", "contractor blacklisted"),
    "area_stopped": QT_TRANSLATE_NOOP("AlarmText", "work in the area is stopped"),
    "database_unavailable": QT_TRANSLATE_NOOP("AlarmText", "the cockpit's database is unavailable"),
    "internal": QT_TRANSLATE_NOOP("AlarmText", "the cockpit could not check the entry"),
    "safety_code_invalid": QT_TRANSLATE_NOOP("AlarmText", "safety code not valid (forged?)"),
    "permit_code_invalid": QT_TRANSLATE_NOOP("AlarmText", "permit code not valid (forged?)"),
    "no_badge_key": QT_TRANSLATE_NOOP("AlarmText", "no badge key to check the code"),
}

_ESCAPED = {c: f"%{ord(c):02X}" for c in "%,()="}
_UNESCAPE = re.compile("|".join(re.escape(v) for v in _ESCAPED.values()))
_BACK = {v: k for k, v in _ESCAPED.items()}
CODED = re.compile(r"^(?P<code>[a-z_][a-z0-9_.]*)\((?P<params>[^)]*)\): ")


def alarm_message(code: str, /, **params: Param) -> str:
    """The message ``code`` with ``params``: ``code(name=value, ...): English sentence``."""
    return _coded(code, params, {})


def retest_message(
    permit_id: str, finding_key: str, finding_params: Mapping[str, Param], english: str
) -> str:
    """The overdue gas re-test of ``permit_id``: the finding that says so travels as its code
    (``finding``) and its parameters (``f.<name>``), for the screens to word it; ``english`` is its
    sentence."""
    params: dict[str, Param] = {"permit_id": permit_id, "finding": finding_key}
    params.update({f"f.{name}": value for name, value in finding_params.items()})
    return _coded("retest.overdue", params, {"finding": english})


def gate_message(gate: str, worker: str, reasons: Sequence[tuple[str, str]]) -> str:
    """A gate's refusal: ``reasons`` are (code, English sentence); the codes travel, the sentences
    make the English."""
    params: dict[str, Param] = {"gate": gate, "worker": worker, "reasons": ",".join(c for c, _ in reasons)}
    return _coded("gate.refused", params, {"reasons": "; ".join(m for _, m in reasons)})


def finding_of(params: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
    """The finding a message carries (``retest_message``): its code and parameters, or None."""
    key = params.get("finding")
    if not key:
        return None
    return key, {name[2:]: value for name, value in params.items() if name.startswith("f.")}


def read_message(text: str) -> tuple[str, dict[str, str]] | None:
    """The code and parameters of a coded message; None for a sentence without them (an old row)."""
    found = CODED.match(text)
    if found is None or found["code"] not in ALARM_TEXTS:
        return None
    params = {}
    for part in found["params"].split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            params[name] = _UNESCAPE.sub(lambda m: _BACK[m.group()], value)
    return found["code"], params


def english(text: str) -> str:
    """A message or reason without its code: the sentence the logs and the field read."""
    found = CODED.match(text)
    return text[found.end() :] if found is not None else text


def level_text(
    ch: str, value: float | None, unit: str, source: str, cond: str = "", limit: float | None = None
) -> str:
    """A gas level's message: past its limit ``limit`` (condition ``cond``), or back to normal."""
    if not cond:
        return alarm_message("level.normal", ch=ch, value=_number(value), unit=unit, source=source)
    where = dict(ch=ch, value=_number(value), unit=unit, cond=cond, lim=_number(limit), source=source)
    return alarm_message("level.active", **where)


def fault_text(device: str, site: str, area: str, detail: str | None) -> str:
    """A detector's fault (``detail`` as the detector said it, may be empty); ``None``: cleared."""
    where = dict(device=device, site=site, area=area)
    if detail is None:
        return alarm_message("fault.cleared", **where)
    return (
        alarm_message("fault.active_detail", **where, detail=detail)
        if detail
        else alarm_message("fault.active", **where)
    )


def cleared_text(cond: str, source: str, who: str | None) -> str:
    """An event alarm cleared, by ``who`` when a person checked."""
    if who:
        return alarm_message("event.cleared_by", event=cond, source=source, who=who)
    return alarm_message("event.cleared", event=cond, source=source)


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


_PUNCTUATION = str.maketrans({c: code for c, code in _ESCAPED.items() if c != "%"})


def _escape(value: str) -> str:
    # "%" only where it would read as an escape: "%VOL" stays as it is. An alarm's text is made on a
    # stop's path, six values at a time: str.translate, not a join over every character (3.4 us a
    # value; none of those characters in most).
    if "%" in value:
        value = _UNESCAPE.sub(lambda m: "%25" + m.group()[1:], value)
    if "," in value or "(" in value or ")" in value or "=" in value:
        return value.translate(_PUNCTUATION)
    return value


def _coded(code: str, params: Mapping[str, Param], words: Mapping[str, str]) -> str:
    shown: dict[str, str] = {}
    inside: list[str] = []
    for name, value in params.items():  # one pass: a gas alarm's text is made on the stop's path
        shown[name] = words.get(name) or _english(name, value)
        inside.append(f"{name}={_escape(str(value))}")
    return f"{code}({', '.join(inside)}): {ALARM_TEXTS[code].format_map(shown)}"


def _english(name: str, value: Param) -> str:
    if name == "why" or name.startswith("f."):
        return str(value)  # the stale reason's code, as the log has always said it
    return english_param(name, value)
