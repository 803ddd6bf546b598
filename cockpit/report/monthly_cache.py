"""A closed month's figures kept for the monthly report's comparison (table ``monthly_figures``, 0014).

The report compares its month with the three before it; counting those again each time was three
quarters of its work (``bench/monthly_report.py``). A month is kept once it has *settled*: ``SETTLED``
after its end, when the field's buffered events and late acknowledgements are in. A kept month is read
back only if it was computed after it settled; ``fresh`` counts everything again (and keeps it anew),
for a plant that imported or corrected an old month. The report month itself is always counted.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cockpit.report.monthly_alarms import AlarmMonth
from cockpit.report.monthly_data import MonthFigures, ReasonCount
from models.schema import MonthlyFiguresRow

SETTLED = timedelta(days=7)
FORMAT = 1  # the kept figures' layout: a kept month of another layout is counted again


def to_json(f: MonthFigures) -> dict[str, Any]:
    if f.alarms is not None:
        raise ValueError("a kept month has no alarm_kpi figures: those are the report month's")
    out = asdict(f)
    out.pop("alarms")
    out["start"], out["end"] = f.start.isoformat(), f.end.isoformat()
    out["format"] = FORMAT
    return out


def from_json(data: dict[str, Any]) -> MonthFigures | None:
    if data.get("format") != FORMAT:
        return None
    d = dict(data)
    d.pop("format")
    d["start"], d["end"] = datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"])
    for key in ("by_type", "by_grade", "by_site", "by_contractor"):
        d[key] = tuple((str(code), int(n)) for code, n in d[key])
    d["reasons"] = tuple(ReasonCount(**r) for r in d["reasons"])
    d["alarm_load"] = AlarmMonth(**d["alarm_load"]) if d["alarm_load"] else None
    return MonthFigures(**d)


def settled(f: MonthFigures, now: datetime) -> bool:
    return now >= f.end + SETTLED


def kept_month(s: Session, month: str, zone: str, end: datetime) -> MonthFigures | None:
    """The month's kept figures, if they were computed after it settled."""
    row = s.get(MonthlyFiguresRow, (month, zone))
    if row is None or row.computed_at < end + SETTLED:
        return None
    return from_json(row.figures)


def keep_month(s: Session, f: MonthFigures, zone: str, now: datetime) -> None:
    """Keep a settled month's figures (replacing what was kept)."""
    if not settled(f, now):
        return
    row = s.get(MonthlyFiguresRow, (f.month, zone))
    if row is None:
        s.add(MonthlyFiguresRow(month=f.month, zone=zone, computed_at=now, figures=to_json(f)))
    else:
        row.computed_at, row.figures = now, to_json(f)
