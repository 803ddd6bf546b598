"""The plant clock: every time a person reads, on screen, in the journal, on paper, in an export.

The core keeps aware UTC instants. People read the plant's time: the time zone of the site the
event belongs to (``sites.timezone`` in the database, the same zone the permit rules judge night
and shift boundaries in), else the plant's default. Never the machine's own zone: a console set to
UTC once showed a HIHI at 15:16 that the printed handover gave as 23:16.

One event reads the same everywhere because everything formats through :func:`format_time`
(with a zone name) or :class:`PlantClock` (with a site id). Where a time could be misread (a
screen or page that shows times without a zone beside them) :meth:`PlantClock.zone_mark` gives
the short mark, ``UTC+8``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_ZONE", "PlantClock", "Style", "format_time", "zone_mark"]

DEFAULT_ZONE = "Asia/Shanghai"

Style = Literal["time", "minute", "datetime", "stamp", "short", "date", "auto"]

_FORMATS: dict[str, str] = {
    "time": "%H:%M:%S",
    "minute": "%H:%M",
    "datetime": "%Y-%m-%d %H:%M:%S",
    "stamp": "%Y-%m-%d %H:%M",
    "short": "%m-%d %H:%M",
    "date": "%Y-%m-%d",
}


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _aware(ts: datetime) -> datetime:
    # A naive time here came from a store that lost its zone; the core's rule is UTC.
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def format_time(
    ts: datetime | None,
    zone: str = DEFAULT_ZONE,
    style: Style = "datetime",
    *,
    now: datetime | None = None,
    empty: str = "",
) -> str:
    """``ts`` in the time zone ``zone``, as ``style``; ``empty`` for no time.

    ``auto`` gives the time of day for today (in that zone) and the month and day before it for
    any other day, so a list that spans midnight cannot be misread.
    """
    if ts is None:
        return empty
    local = _aware(ts).astimezone(_zone(zone or DEFAULT_ZONE))
    if style == "auto":
        today = _aware(now or datetime.now(UTC)).astimezone(local.tzinfo).date()
        return local.strftime("%H:%M:%S" if local.date() == today else "%m-%d %H:%M:%S")
    return local.strftime(_FORMATS[style])


def zone_mark(zone: str = DEFAULT_ZONE, at: datetime | None = None) -> str:
    """``UTC+8`` (``UTC+5:30``, ``UTC``): the zone as nobody can misread it. ``CST`` is China in
    Shanghai and Central in Chicago, so the abbreviation is never shown."""
    offset = _aware(at or datetime.now(UTC)).astimezone(_zone(zone or DEFAULT_ZONE)).utcoffset()
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


class _HasZone(Protocol):
    @property
    def site_id(self) -> str: ...

    @property
    def timezone(self) -> str: ...


@dataclass(frozen=True)
class PlantClock:
    """The plant's zones: one per site, and the plant's default for anything without a site."""

    default: str = DEFAULT_ZONE
    sites: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_sites(cls, sites: Iterable[_HasZone], default: str | None = None) -> PlantClock:
        """From the configured sites; the default is ``default``, else the zone most sites share."""
        zones = {s.site_id: s.timezone or DEFAULT_ZONE for s in sites}
        if default is None:
            common = Counter(zones.values()).most_common(1)
            default = common[0][0] if common else DEFAULT_ZONE
        return cls(default=default, sites=zones)

    def zone(self, site: str | None = None) -> str:
        return self.sites.get(site, self.default) if site else self.default

    def local(self, ts: datetime, site: str | None = None) -> datetime:
        return _aware(ts).astimezone(_zone(self.zone(site)))

    def format(
        self,
        ts: datetime | None,
        site: str | None = None,
        style: Style = "datetime",
        *,
        now: datetime | None = None,
        empty: str = "",
    ) -> str:
        return format_time(ts, self.zone(site), style, now=now, empty=empty)

    def zone_mark(self, site: str | None = None, at: datetime | None = None) -> str:
        return zone_mark(self.zone(site), at)
