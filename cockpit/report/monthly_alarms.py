"""A month's alarm load counted by the database, for the monthly report's month-by-month comparison.

The report month itself also gets the full figures of ``cockpit/alarm_kpi.py`` (standing and shelved
alarms, chattering, bad actors), which read the month's journal rows into Python: 2 to 4 s for 100,000
rows on the bench machine, too slow to do for the three months before it as well. Their load (alarms,
per 10 minutes on average and at the peak, periods in flood, the EEMUA band) is counted here with the
same rules: an annunciation is an entry into active-unacknowledged from another state (any spelling of
the states, ``cockpit/report/journal.py``), paperwork conditions are no alarms, and 10-minute periods run
from the month's first instant. ``tests/cockpit/test_monthly_data.py`` holds both to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, cast, func, not_, select
from sqlalchemy.orm import Session

from cockpit.alarm_kpi import band_of
from cockpit.report.journal import _STATE_ALIASES, FLOOD_COUNT, FLOOD_WINDOW
from models.alarms import PAPERWORK_CONDITIONS
from models.schema import AlarmJournalEntry

ANNUNCIATED = "active_unack"
_SPELLINGS = sorted({ANNUNCIATED, *(k for k, v in _STATE_ALIASES.items() if v == ANNUNCIATED)})


@dataclass(frozen=True, slots=True)
class AlarmMonth:
    alarms: int
    per_10min_avg: float
    per_10min_peak: int
    flooded_periods: int
    periods: int

    @property
    def band(self) -> str:
        return band_of(self.per_10min_avg)

    @property
    def flood_share(self) -> float:
        return self.flooded_periods / self.periods if self.periods else 0.0


def _spelled(column: Any) -> Any:
    """The state as ``alarm_state`` keys it: lower case, ``-`` and spaces as ``_``."""
    return func.lower(func.replace(func.replace(func.trim(column), "-", "_"), " ", "_"))


def read_alarm_month(s: Session, start: datetime, end: datetime) -> AlarmMonth:
    j = AlarmJournalEntry
    window = FLOOD_WINDOW.total_seconds()
    if s.get_bind().dialect.name == "postgresql":
        bucket = cast(func.floor(func.extract("epoch", j.ts - start) / window), Integer)
    else:
        bucket = cast((func.julianday(j.ts) - func.julianday(start)) * (86400.0 / window), Integer)
    raised = and_(
        j.ts >= start,
        j.ts < end,
        _spelled(j.to_state).in_(_SPELLINGS),
        not_(_spelled(j.from_state).in_(_SPELLINGS)),
        j.condition.not_in(sorted(PAPERWORK_CONDITIONS)),
    )
    counts = [int(n) for _b, n in s.execute(select(bucket, func.count()).where(raised).group_by(bucket))]
    periods = max(1, -(-(end - start) // FLOOD_WINDOW))
    alarms = sum(counts)
    return AlarmMonth(
        alarms=alarms,
        per_10min_avg=round(alarms / ((end - start) / FLOOD_WINDOW), 2),
        per_10min_peak=max(counts, default=0),
        flooded_periods=sum(1 for n in counts if n >= FLOOD_COUNT),
        periods=periods,
    )
