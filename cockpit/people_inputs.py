"""What the people registers take in: plain dataclasses, their checks, and the refusals as codes.

The screens and the bulk import (``cockpit/register_io``) hand these to ``PeopleRegister``; every field
is checked here before any session opens, so bad input writes nothing. A refusal is a
``PeopleError``: one English line for the command line, a code and its parameters for the screens
(``views/people_words.py`` says them in the user's language). Dates come as ``date`` or as text in the
forms a plant's spreadsheets use (2026-03-01, 2026/3/1, 2026.03.01, 20260301, 2026年3月1日).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import UserError

DateLike = date | str | None
NAME_MAX = 200
SHORT_MAX = 100
TEXT_MAX = 4000
POINTS_MAX = 100
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{2,31}")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
YEARS = (1950, 2200)


class PeopleProblem(StrEnum):
    NOT_EDITOR = "not_editor"
    BAD_CODE = "bad_code"
    EMPTY = "empty"
    TEXT_LONG = "text_long"
    BAD_DATE = "bad_date"
    DATES_REVERSED = "dates_reversed"
    FUTURE = "future"
    BAD_PHONE = "bad_phone"
    BAD_POINTS = "bad_points"
    BAD_SCORE = "bad_score"
    BAD_GRADE = "bad_grade"
    REASON_NEEDED = "reason_needed"
    UNKNOWN_CONTRACTOR = "unknown_contractor"
    UNKNOWN_WORKER = "unknown_worker"
    UNKNOWN_RECORD = "unknown_record"
    DUPLICATE_CERTIFICATE = "duplicate_certificate"
    NO_SUBJECT = "no_subject"
    WRONG_CONTRACTOR = "wrong_contractor"


_MESSAGES: dict[PeopleProblem, str] = {
    PeopleProblem.NOT_EDITOR: "{actor} may not edit the people registers: administrators and safety "
    "managers do",
    PeopleProblem.BAD_CODE: "the {field} {value!r} is not allowed: letters, digits, '.', '_', '-', "
    "at most 64",
    PeopleProblem.EMPTY: "the {field} must not be empty",
    PeopleProblem.TEXT_LONG: "the {field} is too long: at most {max} characters",
    PeopleProblem.BAD_DATE: "the {field} {value!r} is not a date: write it as 2026-03-01",
    PeopleProblem.DATES_REVERSED: "the {field} {end} is before the start {start}",
    PeopleProblem.FUTURE: "the {field} {value} is in the future",
    PeopleProblem.BAD_PHONE: "the phone number {value!r} is not a phone number",
    PeopleProblem.BAD_POINTS: "the points {value!r} must be a whole number from 0 to {max}",
    PeopleProblem.BAD_SCORE: "the score {value!r} must be a number from 0 to 100",
    PeopleProblem.BAD_GRADE: "the grade {value!r} is not one of A, B, C, D",
    PeopleProblem.REASON_NEEDED: "a reason is needed to {act}",
    PeopleProblem.UNKNOWN_CONTRACTOR: "there is no contractor {code}",
    PeopleProblem.UNKNOWN_WORKER: "there is no worker {worker}",
    PeopleProblem.UNKNOWN_RECORD: "there is no {kind} {id} (removed meanwhile?)",
    PeopleProblem.DUPLICATE_CERTIFICATE: "certificate {number} already belongs to worker {other}",
    PeopleProblem.NO_SUBJECT: "a violation names a worker, a contractor or both",
    PeopleProblem.WRONG_CONTRACTOR: "worker {worker} works for {actual}, not for {given}",
}


class PeopleError(UserError):
    def __init__(self, code: PeopleProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES[code].format(**params))


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ContractorInput:
    code: str
    name: str


@dataclass(frozen=True)
class QualificationInput:
    """``record_id`` None adds a qualification; a number changes that one."""

    contractor_code: str
    name: str
    number: str = ""
    scope: str = ""
    valid_from: DateLike = None
    valid_to: DateLike = None
    record_id: int | None = None


@dataclass(frozen=True)
class WorkerInput:
    worker_id: str
    name: str
    contractor_code: str | None = None  # None or "": the plant's own staff
    trade: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CertificateInput:
    """Kept by its number (the natural key): the same number again changes that certificate."""

    worker_id: str
    number: str
    trade: str
    valid_from: DateLike
    valid_to: DateLike
    issuer: str = ""
    review_due: DateLike = None


@dataclass(frozen=True)
class TrainingInput:
    worker_id: str
    name: str
    trained_on: DateLike
    scope: str = ""


@dataclass(frozen=True)
class ExamInput:
    """The admission exam (入场考试): the latest result is kept on the worker."""

    worker_id: str
    passed: bool
    taken_on: DateLike
    score: float | str | None = None


@dataclass(frozen=True)
class ViolationInput:
    """Against a worker (and then his contractor), or a contractor alone; ``at`` None is now."""

    description: str
    points: int | str
    worker_id: str | None = None
    contractor_code: str | None = None
    at: datetime | DateLike = None


# ---------------------------------------------------------------- checks


def code(value: str, field: str) -> str:
    text = (value or "").strip()
    if not _CODE.fullmatch(text):
        raise PeopleError(PeopleProblem.BAD_CODE, field=field, value=text[:80])
    return text


def text(value: str | None, field: str, limit: int = NAME_MAX, *, required: bool = False) -> str:
    """One line, spaces folded; a description keeps its lines (``limit`` above ``NAME_MAX``)."""
    raw = value or ""
    if len(raw) > limit:
        raise PeopleError(PeopleProblem.TEXT_LONG, field=field, max=limit)
    clean = raw.strip() if limit > NAME_MAX else " ".join(raw.split())
    if required and not clean:
        raise PeopleError(PeopleProblem.EMPTY, field=field)
    return clean


def phone(value: str) -> str:
    clean = (value or "").strip()
    if clean and not _PHONE.fullmatch(clean):
        raise PeopleError(PeopleProblem.BAD_PHONE, value=clean[:40])
    return clean


def parse_date(value: DateLike | datetime, field: str, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = (value or "").strip()
    if not raw:
        if required:
            raise PeopleError(PeopleProblem.EMPTY, field=field)
        return None
    found = _DATE.fullmatch(raw) or _COMPACT.fullmatch(raw)
    try:
        if found is None:
            raise ValueError(raw)
        year, month, day = (int(g) for g in found.groups())
        if not YEARS[0] <= year <= YEARS[1]:
            raise ValueError(raw)
        return date(year, month, day)
    except ValueError:
        raise PeopleError(PeopleProblem.BAD_DATE, field=field, value=raw[:40]) from None


def date_range(start: date | None, end: date | None, field: str = "valid_to") -> None:
    if start is not None and end is not None and end < start:
        raise PeopleError(PeopleProblem.DATES_REVERSED, field=field, start=start, end=end)


def moment(value: datetime | DateLike, zone: str, now: datetime) -> datetime:
    """A violation's time: an aware instant, a plant-local date (noon) or ``date time`` text, or now."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(zone))
        at = value
    elif value is None or (isinstance(value, str) and not value.strip()):
        return now
    else:
        raw = value.strip() if isinstance(value, str) else ""
        parts = raw.split()
        hour = _TIME.fullmatch(parts[1]) if len(parts) == 2 else None
        day = parse_date(parts[0] if hour else value, "at")
        assert day is not None
        try:
            clock = time(int(hour.group(1)), int(hour.group(2))) if hour else time(12, 0)
        except ValueError:
            raise PeopleError(PeopleProblem.BAD_DATE, field="at", value=raw[:40]) from None
        at = datetime.combine(day, clock, ZoneInfo(zone))
        if hour is None and day == now.astimezone(ZoneInfo(zone)).date():
            at = min(at, now)  # today, by date only: not refused as "future" before noon
    if at > now:
        raise PeopleError(PeopleProblem.FUTURE, field="at", value=at.isoformat(timespec="minutes"))
    return at


def points(value: int | str) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        number = -1
    if isinstance(value, bool) or not 0 <= number <= POINTS_MAX:
        raise PeopleError(PeopleProblem.BAD_POINTS, value=str(value)[:20], max=POINTS_MAX)
    return number


def score(value: float | str | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 100.0:  # also refuses NaN
        raise PeopleError(PeopleProblem.BAD_SCORE, value=str(value)[:20])
    return number
