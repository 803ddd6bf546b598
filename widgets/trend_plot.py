"""Trends of gas readings: ``TrendPlot`` for the screens and ``MiniTrend`` for the alarm popup.

Data goes in as numpy arrays (epoch seconds, values) and only marks the plot
dirty; a timer (5 Hz by default) redraws when something changed, so a burst of
readings costs one repaint. Samples that are STALE or of bad quality are never
drawn as values: they become gaps (NaN with ``connect="finite"``) with a
hatched band over the period. The operator may zoom and pan with the mouse,
which pauses live follow; the "Live" button resumes it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QPainter, QPainterPath, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from widgets import theme
from widgets.badges import StateBadge

#: Limit names in the order they are checked for the current value's state (worst first).
LIMIT_ORDER = ("HIHI", "LOLO", "HI", "LO")
_LIMIT_PRIORITY = {"HIHI": 1, "LOLO": 1, "HI": 2, "LO": 2}
#: At most this many shaded STALE bands are drawn (older ones are merged away).
MAX_BANDS = 64


def limit_state(value: float, limits: Mapping[str, float]) -> str | None:
    """The worst limit ``value`` is beyond ("HIHI", "HI", "LO", "LOLO"), or None when normal."""
    if not math.isfinite(value):
        return None
    for name in LIMIT_ORDER:
        lim = limits.get(name)
        if lim is None:
            continue
        if name.startswith("HI") and value >= lim:
            return name
        if name.startswith("LO") and value <= lim:
            return name
    return None


def bad_periods(t: np.ndarray, bad: np.ndarray) -> list[tuple[float, float]]:
    """Contiguous runs of ``bad`` samples as (start, end) times; a run ends at the next good sample."""
    if t.size == 0 or not bad.any():
        return []
    b = bad.astype(np.int8)
    edges = np.diff(np.concatenate(([0], b, [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # index of first good sample after the run
    periods = []
    for s, e in zip(starts, ends, strict=True):
        t_end = t[e] if e < t.size else t[-1]
        periods.append((float(t[s]), float(t_end)))
    return periods


def _pen(color: QColor | str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


FOLLOW_INTERVAL_S = 1.0


class TrendPlot(QWidget):
    """A live trend of one channel (and optional extra series) with limits, gaps and history band.

    Signals: ``follow_changed(bool)`` when live follow is paused by the user or resumed.
    """

    follow_changed = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        refresh_hz: float = 2.0,
        clock: Callable[[], float] = time.time,
        utc_offset_s: float | None = None,
    ):
        super().__init__(parent)
        self._clock = clock
        self._window_s = 600.0
        self._following = True
        self._dirty = False
        self._stale_forced = False
        self._limits: dict[str, float] = {}
        self._series: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray | None]] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._bands: list[pg.LinearRegionItem] = []
        self._limit_lines: list[pg.InfiniteLine] = []
        self._history: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._setting_range = False
        self._channel = ""
        self._unit = ""
        self.repaint_count = 0  # data repaints done (behaviour: repaint only when dirty)

        self._title = QLabel(self)
        self._title.setProperty("role", "heading")
        self._value = QLabel(self)
        self._value.setProperty("role", "value")
        self._state = StateBadge(None, self)
        self._live = QPushButton(self.tr("Live"), self)
        self._live.setObjectName("liveButton")
        self._live.setToolTip(self.tr("Resume following the newest readings"))
        self._live.setVisible(False)
        self._live.clicked.connect(self.resume_follow)

        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self._value)
        header.addWidget(self._state)
        header.addWidget(self._live)

        axis = pg.DateAxisItem(orientation="bottom", utcOffset=utc_offset_s)
        self._plot = pg.PlotWidget(self, axisItems={"bottom": axis}, background=theme.PALETTE.panel)
        self._plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        item = self._plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.showGrid(
            x=False, y=True, alpha=0.2
        )  # horizontal lines only: each grid line costs a full-width draw
        item.hideButtons()
        item.setMenuEnabled(False)
        for name in ("left", "bottom"):
            ax = item.getAxis(name)
            ax.setPen(_pen(theme.PALETTE.text_muted))
            ax.setTextPen(_pen(theme.PALETTE.text))
        self._vb = item.getViewBox()
        self._vb.disableAutoRange()
        self._vb.sigRangeChangedManually.connect(self._user_moved)

        # History band (min/max of the downsampled tier) and its mean, behind the live curve.
        band_brush = QBrush(theme.blend(theme.color("panel"), theme.color("process_alt"), 0.35))
        self._hist_min = pg.PlotDataItem(pen=None)
        self._hist_max = pg.PlotDataItem(pen=None)
        self._hist_fill = pg.FillBetweenItem(self._hist_min, self._hist_max, brush=band_brush)
        self._hist_mean = pg.PlotDataItem(pen=_pen(theme.PALETTE.process_alt))
        for it in (self._hist_fill, self._hist_mean):
            it.setVisible(False)
            item.addItem(it)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self._plot, 1)

        self._last_follow = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(max(20, round(1000 / refresh_hz)))
        self._timer.timeout.connect(self._tick)
        self._refresh_header()

    # ---- public API -------------------------------------------------------------------
    def set_refresh_interval(self, seconds: float) -> None:
        """How often new data is drawn; a wall of many panes redraws each one less often."""
        self._timer.setInterval(max(20, round(seconds * 1000)))

    def set_channel(self, channel: str, unit: str) -> None:
        """Name the trend: the title shows the channel and its unit."""
        self._channel, self._unit = channel, unit
        self._refresh_header()

    def set_series(
        self, t: np.ndarray, v: np.ndarray, *, bad: np.ndarray | None = None, name: str = "value"
    ) -> None:
        """Give the samples of one series (epoch seconds, values); ``bad`` marks STALE/bad samples.

        The first series set is the main one whose last value the title shows.
        Marks the plot dirty; the drawing happens on the next timer tick.
        """
        t = np.asarray(t, dtype=float)
        v = np.asarray(v, dtype=float)
        if t.shape != v.shape:
            raise ValueError("t and v must have the same length")
        mask = None if bad is None else np.asarray(bad, dtype=bool)
        if mask is not None and mask.shape != t.shape:
            raise ValueError("bad must have the same length as t")
        self._series[name] = (t, v, mask)
        self._dirty = True

    def set_limits(self, limits: Mapping[str, float | None]) -> None:
        """Draw horizontal dashed limit lines, labelled, e.g. ``{"HI": 7, "HIHI": 14}``."""
        self._limits = {k.upper(): float(v) for k, v in limits.items() if v is not None}
        item = self._plot.getPlotItem()
        for line in self._limit_lines:
            item.removeItem(line)
        self._limit_lines = []
        for name, value in sorted(self._limits.items()):
            col = theme.priority_color(_LIMIT_PRIORITY.get(name, 2))
            line = pg.InfiniteLine(
                pos=value,
                angle=0,
                movable=False,
                pen=_pen(col, 1.5, Qt.PenStyle.DashLine),
                label=f"{name} {value:g}",
                labelOpts={"position": 0.04, "color": theme.PALETTE.text, "fill": theme.PALETTE.panel},
            )
            line.setZValue(5)
            item.addItem(line, ignoreBounds=True)
            self._limit_lines.append(line)
        self._dirty = True

    def set_window(self, seconds: float) -> None:
        """Show the last ``seconds`` while following live."""
        if seconds <= 0:
            raise ValueError("window must be positive")
        self._window_s = float(seconds)
        self._dirty = True

    def set_history(self, t: np.ndarray, vmin: np.ndarray, vmax: np.ndarray, vmean: np.ndarray) -> None:
        """A min/max band with its mean (the downsampled tier) for windows longer than the raw buffer."""
        arrays = [np.asarray(a, dtype=float) for a in (t, vmin, vmax, vmean)]
        if len({a.shape for a in arrays}) != 1:
            raise ValueError("history arrays must have the same length")
        self._history = (arrays[0], arrays[1], arrays[2], arrays[3]) if arrays[0].size else None
        self._dirty = True

    def set_stale(self, stale: bool) -> None:
        """Force the current value to STALE (e.g. no reading within its maximum age)."""
        self._stale_forced = stale
        self._refresh_header()

    def is_following(self) -> bool:
        return self._following

    def is_dirty(self) -> bool:
        return self._dirty

    def resume_follow(self) -> None:
        """Go back to following the newest readings (the "Live" button)."""
        changed = not self._following
        self._following = True
        self._live.setVisible(False)
        self._dirty = True
        self._tick()
        if changed:
            self.follow_changed.emit(True)

    def flush(self) -> None:
        """Redraw now if dirty (what the timer does), for callers that cannot wait a tick."""
        self._tick()

    def current_text(self) -> str:
        """The value text shown in the title ("3.2 ppm", "—")."""
        return self._value.text()

    def state_text(self) -> str:
        """The state word shown next to the value ("" when normal)."""
        return self._state.text() if self._state.state() else ""

    def title_text(self) -> str:
        return self._title.text()

    def plot_item(self) -> pg.PlotItem:
        return self._plot.getPlotItem()

    def curve(self, name: str = "value") -> pg.PlotDataItem | None:
        return self._curves.get(name)

    def stale_bands(self) -> list[tuple[float, float]]:
        """The shaded STALE/bad periods currently drawn."""
        regions = [b.getRegion() for b in self._bands if b.isVisible()]
        return [(float(r[0]), float(r[1])) for r in regions]

    def x_range(self) -> tuple[float, float]:
        (x0, x1), _ = self._vb.viewRange()
        return float(x0), float(x1)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h * 30, h * 14)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()  # repaint only while visible; data still marks dirty when hidden
        self._tick()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # ---- drawing ------------------------------------------------------------------------
    def _user_moved(self, *_: object) -> None:
        if self._setting_range:
            return
        if self._following:
            self._following = False
            self._live.setVisible(True)
            self.follow_changed.emit(False)

    def _tick(self) -> None:
        drew = self._dirty
        if self._dirty:
            self._redraw()
            self._dirty = False
            self.repaint_count += 1
        # Scrolling repaints the whole pane, axes included: at most once a second without new data
        # (a 10-minute window moves by a pixel or two), so a wall of 16 panes stays cheap.
        now = time.monotonic()
        if self._following and (drew or now - self._last_follow >= FOLLOW_INTERVAL_S):
            self._last_follow = now
            self._follow()

    def _redraw(self) -> None:
        item = self._plot.getPlotItem()
        periods: list[tuple[float, float]] = []
        for idx, (name, (t, v, bad)) in enumerate(self._series.items()):
            shown = v.copy()
            if bad is not None:
                shown[bad] = np.nan
                periods.extend(bad_periods(t, bad))
            curve = self._curves.get(name)
            if curve is None:
                col = theme.PALETTE.process if idx == 0 else theme.PALETTE.process_alt
                curve = pg.PlotDataItem(pen=_pen(col, 1.0), connect="finite", name=name, antialias=False)
                curve.setZValue(10)
                item.addItem(curve)
                self._curves[name] = curve
            curve.setData(t, shown, connect="finite")
        self._draw_bands(periods)
        if self._history is not None:
            ht, hmin, hmax, hmean = self._history
            self._hist_min.setData(ht, hmin)
            self._hist_max.setData(ht, hmax)
            self._hist_mean.setData(ht, hmean)
        for it in (self._hist_fill, self._hist_mean):
            it.setVisible(self._history is not None)
        self._refresh_header()

    def _draw_bands(self, periods: list[tuple[float, float]]) -> None:
        if len(periods) > MAX_BANDS:
            periods = [(periods[0][0], periods[-MAX_BANDS][1]), *periods[-MAX_BANDS + 1 :]]
        item = self._plot.getPlotItem()
        hatch = QBrush(theme.color("stale"), Qt.BrushStyle.BDiagPattern)
        while len(self._bands) < len(periods):
            band = pg.LinearRegionItem(
                orientation="vertical", movable=False, brush=hatch, pen=_pen(theme.PALETTE.stale)
            )
            band.setZValue(1)
            item.addItem(band, ignoreBounds=True)
            self._bands.append(band)
        for band, period in zip(self._bands, periods, strict=False):
            band.setRegion(period)
            band.setVisible(True)
        for band in self._bands[len(periods) :]:
            band.setVisible(False)

    def _follow(self) -> None:
        now = self._clock()
        x0, x1 = now - self._window_s, now
        y0, y1 = self._y_extent(x0, x1)
        self._setting_range = True
        try:
            self._vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)
        finally:
            self._setting_range = False

    def _y_extent(self, x0: float, x1: float) -> tuple[float, float]:
        """Vertical range: the visible data and the limits, so a limit line is always in view."""
        lo, hi = math.inf, -math.inf
        for t, v, bad in self._series.values():
            sel = (t >= x0) & (t <= x1) & np.isfinite(v)
            if bad is not None:
                sel &= ~bad
            if sel.any():
                lo, hi = min(lo, float(v[sel].min())), max(hi, float(v[sel].max()))
        if self._history is not None:
            ht, hmin, hmax, _ = self._history
            sel = (ht >= x0) & (ht <= x1)
            if sel.any():
                lo = min(lo, float(np.nanmin(hmin[sel])))
                hi = max(hi, float(np.nanmax(hmax[sel])))
        for value in self._limits.values():
            lo, hi = min(lo, value), max(hi, value)
        if not math.isfinite(lo):
            return 0.0, 1.0
        span = hi - lo or max(abs(hi), 1.0)
        return lo - 0.08 * span, hi + 0.08 * span

    def _main(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
        return next(iter(self._series.values()), None)

    def _refresh_header(self) -> None:
        unit = f" ({self._unit})" if self._unit else ""
        self._title.setText(f"{self._channel}{unit}" if self._channel else self.tr("Trend"))
        main = self._main()
        value: float | None = None
        state: str | None = None
        if main is not None and main[0].size:
            _t, v, bad = main
            last_bad = bool(bad[-1]) if bad is not None else False
            if last_bad or not math.isfinite(v[-1]):
                state = "stale"
            else:
                value = float(v[-1])
                state = limit_state(value, self._limits)
        if self._stale_forced:
            state, value = "stale", None
        # A stale value is never shown as a number that looks valid.
        self._value.setText("—" if value is None else f"{value:.3g} {self._unit}".strip())
        self._state.set_state(state)
        theme.set_state_property(self._value, "alarmPriority", _LIMIT_PRIORITY.get((state or "").upper()))
        theme.set_state_property(self, "stale", state == "stale")


class MiniTrend(QWidget):
    """A small trend without axes (for the alarm popup): the curve, dashed limits, gaps for bad data.

    Painted directly with QPainter: cheap, and crisp at any device pixel ratio.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._t = np.empty(0)
        self._v = np.empty(0)
        self._limits: dict[str, float] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(self.tr("Recent trend"))

    def set_series(self, t: np.ndarray, v: np.ndarray, *, bad: np.ndarray | None = None) -> None:
        t = np.asarray(t, dtype=float)
        v = np.asarray(v, dtype=float).copy()
        if t.shape != v.shape:
            raise ValueError("t and v must have the same length")
        if bad is not None:
            v[np.asarray(bad, dtype=bool)] = np.nan
        self._t, self._v = t, v
        self.update()

    def set_limits(self, limits: Mapping[str, float | None]) -> None:
        self._limits = {k.upper(): float(x) for k, x in limits.items() if x is not None}
        self.update()

    def point_count(self) -> int:
        return int(self._t.size)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h * 16, h * 4)

    def minimumSizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h * 6, h * 3)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.fillRect(rect, theme.color("panel"))
        painter.setPen(_pen(theme.PALETTE.border))
        painter.drawRect(rect)
        finite = np.isfinite(self._v)
        if self._t.size >= 2 and finite.any():
            t0, t1 = float(self._t[0]), float(self._t[-1])
            vals = [float(self._v[finite].min()), float(self._v[finite].max()), *self._limits.values()]
            lo, hi = min(vals), max(vals)
            span = (hi - lo) or 1.0
            lo, hi = lo - 0.1 * span, hi + 0.1 * span
            inner = rect.adjusted(4, 4, -4, -4)

            def to_px(tt: float, vv: float) -> QPointF:
                x = inner.left() + (tt - t0) / ((t1 - t0) or 1.0) * inner.width()
                y = inner.bottom() - (vv - lo) / (hi - lo) * inner.height()
                return QPointF(x, y)

            for name, value in self._limits.items():
                y = to_px(t0, value).y()
                painter.setPen(
                    _pen(theme.priority_color(_LIMIT_PRIORITY.get(name, 2)), 1.5, Qt.PenStyle.DashLine)
                )
                painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
            path = QPainterPath()
            pen_down = False
            for tt, vv in zip(self._t, self._v, strict=True):
                if not math.isfinite(vv):
                    pen_down = False
                    continue
                p = to_px(float(tt), float(vv))
                if pen_down:
                    path.lineTo(p)
                else:
                    path.moveTo(p)
                    pen_down = True
            painter.setPen(_pen(theme.PALETTE.process, 1.5))
            painter.drawPath(path)
            if not math.isfinite(self._v[-1]):
                painter.setPen(theme.color("stale"))
                painter.drawText(
                    inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, self.tr("STALE")
                )
        else:
            painter.setPen(theme.color("text_muted"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
        painter.end()
