"""Trends of gas readings: ``TrendPlot`` for the screens (``MiniTrend``, for the alarm popup, lives in
``widgets.mini_trend`` and is re-exported here).

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
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models.plant_clock import PlantClock
from widgets import theme
from widgets.badges import StateBadge
from widgets.mini_trend import (  # noqa: F401  (re-exported: the public names of this module)
    _LIMIT_PRIORITY,
    LIMIT_ORDER,
    MiniTrend,
    _pen,
    bad_periods,
    limit_state,
)

#: At most this many shaded STALE bands are drawn (older ones are merged away).
MAX_BANDS = 64
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

        header = self._build_header()
        self._build_plot(utc_offset_s)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self._plot, 1)

        self._last_follow = 0.0
        self._y_shown: tuple[float, float] | None = None
        self._driven = False
        self._timer = QTimer(self)
        self._timer.setInterval(max(20, round(1000 / refresh_hz)))
        self._timer.timeout.connect(self._tick)
        self._refresh_header()

    def _build_header(self) -> QHBoxLayout:
        """Title, value, state and the "Live" button (shown while follow is paused)."""
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
        return header

    def _build_plot(self, utc_offset_s: float | None) -> None:
        if utc_offset_s is None:
            # The plant's time on the axis, as on every other screen and on paper (pyqtgraph counts
            # the offset west of UTC; None would be the machine's zone).
            offset = PlantClock().local(datetime.now(UTC)).utcoffset()
            utc_offset_s = -offset.total_seconds() if offset is not None else 0.0
        """The plot with its time axis, and the history band behind the live curve."""
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=utc_offset_s)
        # No context menus (the operator zooms with the mouse; "Live" resumes): pyqtgraph builds
        # the view box's menu form at construction otherwise, about a third of a pane's build time.
        self._plot = pg.PlotWidget(
            self, axisItems={"bottom": axis}, background=theme.PALETTE.panel, enableMenu=False
        )
        self._plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        item = self._plot.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.showGrid(
            x=False, y=True, alpha=0.2
        )  # horizontal lines only: each grid line costs a full-width draw
        item.hideButtons()
        for name in ("left", "bottom"):
            ax = item.getAxis(name)
            ax.setPen(_pen(theme.PALETTE.text_muted))
            ax.setTextPen(_pen(theme.PALETTE.text))
            # Painted from a pixmap until its range changes: replaying an axis's recorded labels took
            # 4 ms per axis per paint (text drawn glyph by glyph), half of a pane's paint.
            ax.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
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

    # ---- public API -------------------------------------------------------------------
    def set_refresh_interval(self, seconds: float | None) -> None:
        """How often new data is drawn; a wall of many panes redraws each one less often.

        ``None``: no timer of its own; the owner calls ``tick()`` (a view with many panes spreads
        their redraws over time, so that one window repaint never carries several panes).
        """
        self._driven = seconds is None
        if seconds is None:
            self._timer.stop()
            return
        self._timer.setInterval(max(20, round(seconds * 1000)))
        if self.isVisible():
            self._timer.start()

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

    def history_times(self) -> np.ndarray:
        """The bucket times of the min/max band given last (empty when there is none)."""
        return np.empty(0) if self._history is None else self._history[0].copy()

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
        if not self._driven:
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

    def tick(self) -> bool:
        """Draw new data if there is any and scroll if due; True when something was redrawn."""
        return self._tick()

    def _tick(self) -> bool:
        drew = self._dirty
        if self._dirty:
            self._redraw()
            self._dirty = False
            self.repaint_count += 1
        # Scrolling repaints the whole pane, axes included: at most once a second without new data
        # (a 10-minute window moves by a pixel or two), so a wall of 16 panes stays cheap.
        now = time.monotonic()
        followed = self._following and (drew or now - self._last_follow >= FOLLOW_INTERVAL_S)
        if followed:
            self._last_follow = now
            self._follow()
        if drew or followed:
            # pyqtgraph moves the view to its new range while painting, which asks for a second
            # paint of the whole pane; moving it now makes the coming paint the only one.
            self._plot.scene().prepareForPaint()
        return drew or followed

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
        y0, y1 = self._stable_y(*self._y_extent(x0, x1))
        self._setting_range = True
        try:
            self._vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)
        finally:
            self._setting_range = False

    def _stable_y(self, lo: float, hi: float) -> tuple[float, float]:
        """The vertical range to show for data spanning ``lo``..``hi``: kept while the data fits well.

        A new range on every redraw (noise moves the extent a little each time) makes pyqtgraph
        rebuild the left axis and its grid on every redraw; a range rounded to a tidy step and kept
        while the data stays inside and fills more than half of it changes only now and then.
        """
        shown = self._y_shown
        if shown is not None and shown[0] <= lo and hi <= shown[1] and hi - lo >= 0.5 * (shown[1] - shown[0]):
            return shown
        span = hi - lo
        step = 10 ** math.floor(math.log10(span)) / 2 if span > 0 and math.isfinite(span) else 0.0
        if step > 0:
            lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        self._y_shown = (lo, hi)
        return lo, hi

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
