"""A small trend without axes for the alarm popup, and the limit helpers both trends share.

Kept apart from ``widgets.trend_plot`` so that the popup (built at start-up) does not import
pyqtgraph: that import alone costs about 0.4 s, and only the trends view needs it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme

#: Limit names in the order they are checked for the current value's state (worst first).
LIMIT_ORDER = ("HIHI", "LOLO", "HI", "LO")
_LIMIT_PRIORITY = {"HIHI": 1, "LOLO": 1, "HI": 2, "LO": 2}


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
