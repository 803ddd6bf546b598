"""What every GB 30871 check returns: a list of findings, never an exception.

A finding is either blocking (the permit may not go on) or a warning (the
approver should see it). Keeping both in one small record lets the contract §5
reply, the approval screen and the alarm service show the same sentence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from models.records import HotWorkGrade, PermitType
from models.rules.finding_texts import (
    FINDING_TEXTS,
    MOMENT_PARAMS,
    SPAN_PARAMS,
    SPAN_TEXTS,
    TERM_PARAMS,
    TERM_TEXTS,
)

Severity = Literal["block", "warn"]
Param = str | int | float


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict.

    ``code`` is a stable dotted key for tests and counters; ``params`` are the figures, and
    ``FINDING_TEXTS[text or code]`` the sentence they go into, which screens and reports translate
    (``views/finding_words.py``); ``message`` is that sentence in English, for logs and the
    contract §5 reply; ``field`` names the payload field the finding is about (``valid_to``,
    ``workers``, ``grade``, ``prerequisites.jsa`` …).
    """

    code: str
    severity: Severity
    message: str
    field: str | None = None
    params: Mapping[str, Param] = dataclasses.field(default_factory=dict, hash=False)
    text: str | None = None

    @property
    def text_key(self) -> str:
        """The key of this finding's sentence in ``FINDING_TEXTS``."""
        return self.text or self.code

    @property
    def blocks(self) -> bool:
        return self.severity == "block"


def block(code: str, field: str | None = None, /, *, text: str | None = None, **params: Param) -> Finding:
    """A blocking finding: its sentence is ``FINDING_TEXTS[text or code]`` filled with ``params``."""
    return Finding(code, "block", english(text or code, params), field, params, text)


def warn(code: str, field: str | None = None, /, *, text: str | None = None, **params: Param) -> Finding:
    """A warning: its sentence is ``FINDING_TEXTS[text or code]`` filled with ``params``."""
    return Finding(code, "warn", english(text or code, params), field, params, text)


def english(key: str, params: Mapping[str, Param]) -> str:
    """The sentence ``key`` in English with ``params`` filled in (a missing key is a programming error)."""
    return FINDING_TEXTS[key].format_map({name: english_param(name, value) for name, value in params.items()})


def english_param(name: str, value: Param) -> str:
    """One parameter as the English sentence shows it (terms, durations, trades; else as it is)."""
    kind = TERM_PARAMS.get(name)
    if kind is not None:
        return ", ".join(TERM_TEXTS[f"{kind}.{v}"] for v in str(value).split(","))
    if name in SPAN_PARAMS:
        return format_duration(timedelta(seconds=float(value)))
    if name in MOMENT_PARAMS:
        moment = datetime.fromisoformat(str(value))
        moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # stores drop the zone
        return f"{moment.astimezone(UTC):%H:%M} UTC"
    if name == "trade":
        from models.rules.workers import TRADE_NAMES_EN  # workers imports this module

        english_name = TRADE_NAMES_EN.get(str(value))
        return f"{value} ({english_name})" if english_name else str(value)
    return str(value)


def permit_term(permit_type: PermitType, grade: HotWorkGrade | None = None) -> str:
    """The ``permit`` parameter of a finding: ``hot_work.1``, ``hot_work.special``, ``confined_space`` …"""
    if permit_type is PermitType.HOT_WORK and grade is not None:
        return f"{permit_type.value}.{grade.value}"
    return permit_type.value


def seconds(span: timedelta) -> int:
    """A duration parameter: whole seconds."""
    return int(span.total_seconds())


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop a permit, in their original order."""
    return [f for f in findings if f.severity == "block"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings an approver should see but that do not stop the permit."""
    return [f for f in findings if f.severity == "warn"]


def is_blocked(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "block" for f in findings)


def reply_errors(findings: Iterable[Finding]) -> list[dict[str, str | None]]:
    """The ``errors`` list of a contract §5 reply: blocking findings only, as field + message."""
    return [{"field": f.field, "message": f.message} for f in findings if f.severity == "block"]


_TYPE_LABELS: dict[PermitType, str] = {
    PermitType.HOT_WORK: "hot work",
    PermitType.CONFINED_SPACE: "confined space",
    PermitType.BLINDING: "blinding",
    PermitType.WORK_AT_HEIGHT: "work at height",
    PermitType.LIFTING: "lifting",
    PermitType.TEMPORARY_POWER: "temporary power",
    PermitType.EXCAVATION: "excavation",
    PermitType.ROAD_CLOSURE: "road closure",
}


def type_label(permit_type: PermitType) -> str:
    return _TYPE_LABELS[permit_type]


def grade_label(grade: HotWorkGrade) -> str:
    return "special grade" if grade is HotWorkGrade.SPECIAL else f"grade {grade.value}"


def permit_label(permit_type: PermitType, grade: HotWorkGrade | None = None) -> str:
    """``hot work grade 1``, ``hot work special grade``, ``confined space`` …"""
    if permit_type is PermitType.HOT_WORK and grade is not None:
        return f"hot work {grade_label(grade)}"
    return type_label(permit_type)


def format_duration(span: timedelta) -> str:
    """A span as people say it on a permit: ``8 h``, ``72 h``, ``7 days``, ``8 h 0 min 1 s``."""
    sign, parts = duration_parts(span)
    return sign + " ".join(SPAN_TEXTS[unit].format(n=n) for n, unit in parts)


def duration_parts(span: timedelta) -> tuple[str, list[tuple[int, str]]]:
    """The sign and the (number, unit) parts of ``format_duration``, for a screen to word them."""
    total = int(span.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if rest == 0 and hours == 0 and days >= 4:
        return sign, [(days, "days")]
    hours += days * 24
    if secs:
        return sign, ([(hours, "h")] if hours else []) + [(minutes, "min"), (secs, "s")]
    if minutes:
        return sign, ([(hours, "h")] if hours else []) + [(minutes, "min")]
    return sign, [(hours, "h")]


def require_aware(value: datetime, name: str) -> None:
    """Naive datetimes are a programming error in the core: refuse them loudly."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
