"""The handover's gas charts: one small panel per channel, with its axes, its alarm limits and the
values as they were recorded.

What a reader must be able to trust on paper:
- the y-axis is labelled in the channel's unit, and the limits in force (HI/HIHI, LO/LOLO) are drawn
  as lines named at the right, so a value can be judged against them without a table;
- the x-axis is the plant's clock (the site's zone, like every time in the report);
- the values are drawn as recorded: two values more than ``JOIN_GAP`` apart are not joined, because
  nothing says what happened between them (a straight 4-hour ramp between two alarms was a guess
  printed as a measurement). A lone value is a dot.

Drawn straight on the canvas rather than as a reportlab ``Drawing``: a Drawing starts every render with
Helvetica as its font, which would put a font that is not embedded into the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from cockpit.report.records import AreaExcursions, GasPoint, GasSeries

JOIN_GAP = timedelta(minutes=5)  # a few periods of the slowest detector we know (60 s); beyond: a gap
PANEL_HEIGHT = 30 * mm
DOT_RADIUS = 0.9  # a recorded value's dot on the line
DARK = colors.Color(0.25, 0.25, 0.25)
AXIS = colors.Color(0.45, 0.45, 0.45)
GRID = colors.Color(0.88, 0.88, 0.88)
LINE = colors.Color(0.1, 0.25, 0.6)
LIMIT_COLOURS = {
    "HIHI": colors.Color(0.8, 0.05, 0.05),
    "LOLO": colors.Color(0.8, 0.05, 0.05),
    "HI": colors.Color(0.9, 0.5, 0.0),
    "LO": colors.Color(0.9, 0.5, 0.0),
}


def runs(points: Sequence[GasPoint], gap: timedelta = JOIN_GAP) -> list[list[GasPoint]]:
    """The points (in time order) cut wherever two neighbours lie more than ``gap`` apart."""
    out: list[list[GasPoint]] = []
    for p in points:
        if out and p.ts - out[-1][-1].ts <= gap:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def limits_of(series: GasSeries) -> list[tuple[str, float]]:
    """The series' limits as (name, value), those that exist."""
    named = (("HIHI", series.hihi), ("HI", series.hi), ("LO", series.lo), ("LOLO", series.lolo))
    return [(name, value) for name, value in named if value is not None]


def value_range(series: GasSeries) -> tuple[float, float]:
    """The y-axis range: the values, the nearer limit on each side (so the line is always there to read
    against) and the farther one once the values reached the nearer; from zero for a gas with no low
    limit."""
    values = [p.value for p in series.points]
    lo, hi = min(values), max(values)
    near_hi = series.hi if series.hi is not None else series.hihi
    if near_hi is not None:
        hi = max(hi, near_hi)
        if series.hihi is not None and max(values) >= near_hi:
            hi = max(hi, series.hihi)
    near_lo = series.lo if series.lo is not None else series.lolo
    if near_lo is not None:
        lo = min(lo, near_lo)
        if series.lolo is not None and min(values) <= near_lo:
            lo = min(lo, series.lolo)
    elif lo >= 0:
        lo = 0.0
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    return lo, hi


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """About ``count`` round values (1, 2, 2.5, 5 × 10^k apart) covering [lo, hi]."""
    raw = (hi - lo) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-6:
        ticks.append(round(value, 10))
        value += step
    return ticks


def hour_ticks(start: datetime, end: datetime, zone: str) -> list[datetime]:
    """Whole hours of the plant's clock inside [start, end], every 1, 2, 3, 6 or 12 hours."""
    span_h = (end - start).total_seconds() / 3600
    step = next((s for s in (1, 2, 3, 6, 12) if span_h / s <= 8), 24)
    local = start.astimezone(ZoneInfo(zone))
    first = local.replace(minute=0, second=0, microsecond=0)
    if first < local:
        first += timedelta(hours=1)
    while first.hour % step and step < 24:
        first += timedelta(hours=1)
    ticks = []
    tick = first
    while tick <= end:
        ticks.append(tick)
        tick += timedelta(hours=step)
    return ticks


def _number(v: float) -> str:
    return f"{v:g}"


class TrendChart(Flowable):
    """The charts of one area: a panel per channel (at most four), two to a row."""

    def __init__(
        self, area: AreaExcursions, start: datetime, end: datetime, width: float, font: str, zone: str
    ) -> None:
        super().__init__()
        self.area, self.start, self.end, self.font, self.zone = area, start, end, font, zone
        self.series = list(area.series[:4])
        self.columns = 1 if len(self.series) <= 1 else 2
        rows = max(1, math.ceil(len(self.series) / self.columns))
        self.width, self.height = width, rows * PANEL_HEIGHT

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        panel_w = self.width / self.columns
        for i, series in enumerate(self.series):
            row, col = divmod(i, self.columns)
            x0 = col * panel_w
            y0 = self.height - (row + 1) * PANEL_HEIGHT
            self._panel(series, x0, y0, panel_w)

    def _panel(self, series: GasSeries, x0: float, y0: float, width: float) -> None:
        c = self.canv
        left, right, bottom, top = x0 + 12 * mm, x0 + width - 15 * mm, y0 + 6 * mm, y0 + PANEL_HEIGHT - 5 * mm
        lo, hi = value_range(series)
        span_s = max((self.end - self.start).total_seconds(), 1e-6)

        def x_of(ts: datetime) -> float:
            frac = min(max((ts - self.start).total_seconds() / span_s, 0.0), 1.0)
            return left + (right - left) * frac

        def y_of(v: float) -> float:
            return bottom + (top - bottom) * (v - lo) / (hi - lo)

        c.saveState()
        c.setFont(self.font, 5.5)
        c.setLineWidth(0.3)
        ticks = [t for t in nice_ticks(lo, hi) if lo - 1e-9 <= t <= hi + 1e-9]
        for t in ticks:  # the y-axis: a grid line and the value at each tick
            c.setStrokeColor(GRID)
            c.line(left, y_of(t), right, y_of(t))
            c.setFillColor(DARK)
            c.drawRightString(left - 1.5, y_of(t) - 2, _number(t))
        for tick in hour_ticks(self.start, self.end, self.zone):  # the x-axis: the plant's clock
            x = x_of(tick)
            c.setStrokeColor(AXIS)
            c.line(x, bottom, x, bottom - 1.5)
            c.setFillColor(DARK)
            c.drawCentredString(x, bottom - 7, tick.strftime("%H:%M"))
        c.setStrokeColor(AXIS)
        c.setLineWidth(0.5)
        c.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
        c.setFont(self.font, 6.5)
        c.setFillColor(colors.black)
        c.drawString(left, top + 2, f"{series.channel}  ({series.unit})" if series.unit else series.channel)
        c.setFont(self.font, 5.5)
        for name, value in limits_of(series):
            if not lo <= value <= hi:
                continue
            colour = LIMIT_COLOURS[name]
            c.setStrokeColor(colour)
            c.setFillColor(colour)
            c.setLineWidth(0.6)
            c.setDash([2, 1.5] if name in ("HI", "LO") else [])
            c.line(left, y_of(value), right, y_of(value))
            c.setDash([])
            c.drawString(right + 1.5, y_of(value) - 2, f"{name} {_number(value)}")
        self._values(series, x_of, y_of)
        c.restoreState()

    def _values(
        self, series: GasSeries, x_of: Callable[[datetime], float], y_of: Callable[[float], float]
    ) -> None:
        """The recorded values: a line through each run of them, and a dot at each."""
        c = self.canv
        c.setStrokeColor(LINE)
        c.setFillColor(LINE)
        c.setLineWidth(0.8)
        dots = c.beginPath()
        for run in runs(series.points):
            pts = [(x_of(p.ts), y_of(p.value)) for p in run]
            if len(pts) > 1:
                path = c.beginPath()
                path.moveTo(*pts[0])
                for x, y in pts[1:]:
                    path.lineTo(x, y)
                c.drawPath(path, stroke=1, fill=0)
            for x, y in pts:
                dots.moveTo(x, y)
                dots.lineTo(x, y)
        # Each recorded value a dot 1.8 pt across: a zero-length segment with round caps is painted as a
        # filled circle (PDF 32000-1, 8.5.3.2), one path for the panel where a circle was four curves each
        c.setLineWidth(2 * DOT_RADIUS)
        c.setLineCap(1)
        c.drawPath(dots, stroke=1, fill=0)
