"""Shared clock helpers for the rules tests: wall time at the demo plant (Asia/Shanghai) as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, second: int = 0) -> datetime:
    """A Shanghai wall-clock time as the UTC-aware instant the core works with."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


# Monday 23 November 2026, 09:00 in Shanghai: an ordinary working morning.
MONDAY_9 = sh(2026, 11, 23, 9)
