"""The live wind at a permit's place: the wind masts' ``WIND`` channels (m/s) in the telemetry store.

A mast in the permit's own area counts first; else the strongest fresh mast of the site (a site's masts
stand in open, low-risk areas, not beside every job). A stale or bad reading is no reading: the rules then
warn that the grade could not be checked against the wind, they do not guess.
"""

from __future__ import annotations

from collections.abc import Callable

from cockpit.permits.facts import Wind
from cockpit.telemetry import TelemetryStore

WIND_CHANNEL = "WIND"


def live_wind(store: Callable[[], TelemetryStore | None] | TelemetryStore) -> Wind:
    """A ``Wind`` reading ``store`` (or the store a callable returns: the live model's may be replaced)."""

    def wind(site: str, area: str) -> float | None:
        current = store() if callable(store) else store
        if current is None:
            return None
        fresh = [
            (s.key.area == area, s.value)
            for s in current.channels(site)
            if s.key.ch == WIND_CHANNEL and s.value is not None and not s.stale
        ]
        if not fresh:
            return None
        here = [v for own, v in fresh if own]
        return max(here) if here else max(v for _, v in fresh)

    return wind
