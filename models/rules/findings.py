"""What every GB 30871 check returns: a list of findings, never an exception.

A finding is either blocking (the permit may not go on) or a warning (the
approver should see it). Keeping both in one small record lets the contract §5
reply, the approval screen and the alarm service show the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from models.records import HotWorkGrade, PermitType

Severity = Literal["block", "warn"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict.

    ``code`` is a stable dotted key for tests, counters and translations; ``message`` is one
    readable English sentence with the figures; ``field`` names the contract §5 payload field
    the finding is about (``valid_to``, ``workers``, ``grade``, ``prerequisites.jsa`` …).
    """

    code: str
    severity: Severity
    message: str
    field: str | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "block"


def block(code: str, message: str, field: str | None = None) -> Finding:
    return Finding(code, "block", message, field)


def warn(code: str, message: str, field: str | None = None) -> Finding:
    return Finding(code, "warn", message, field)


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
    total = int(span.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if rest == 0 and hours == 0 and days >= 4:
        return f"{sign}{days} days"
    hours += days * 24
    if seconds:
        return f"{sign}{hours} h {minutes} min {seconds} s" if hours else f"{sign}{minutes} min {seconds} s"
    if minutes:
        return f"{sign}{hours} h {minutes} min" if hours else f"{sign}{minutes} min"
    return f"{sign}{hours} h"


def require_aware(value: datetime, name: str) -> None:
    """Naive datetimes are a programming error in the core: refuse them loudly."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
