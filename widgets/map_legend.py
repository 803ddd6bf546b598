"""The site map's legend: every colour, mark and shape the plan uses, drawn by the same code.

Risk colours, an area in alarm (hatched, outlined, its priority's shape before the name), STOPPED,
the detector states, workers, and who is inside an area (the count the field gate reports).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from widgets import theme
from widgets.badges import draw_priority_shape
from widgets.site_map import paint_pin, paint_worker
from widgets.theme import QT_TRANSLATE_NOOP

CONTEXT = "MapLegend"
#: (group title, [(swatch kind, argument, text)]) in the order shown.
GROUPS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        QT_TRANSLATE_NOOP("MapLegend", "Area risk"),
        [
            ("risk", "major", QT_TRANSLATE_NOOP("MapLegend", "Major")),
            ("risk", "high", QT_TRANSLATE_NOOP("MapLegend", "High")),
            ("risk", "general", QT_TRANSLATE_NOOP("MapLegend", "General")),
            ("risk", "low", QT_TRANSLATE_NOOP("MapLegend", "Low")),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("MapLegend", "Area state"),
        [
            ("alarm", "1", QT_TRANSLATE_NOOP("MapLegend", "Alarm, priority 1 (blinks)")),
            ("alarm", "2", QT_TRANSLATE_NOOP("MapLegend", "Alarm, priority 2")),
            ("alarm", "3", QT_TRANSLATE_NOOP("MapLegend", "Alarm, priority 3-4")),
            ("stopped", "", QT_TRANSLATE_NOOP("MapLegend", "Work stopped")),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("MapLegend", "Gas detectors"),
        [
            ("pin", "ok", QT_TRANSLATE_NOOP("MapLegend", "Normal")),
            ("pin", "alarm", QT_TRANSLATE_NOOP("MapLegend", "In alarm")),
            ("pin", "stale", QT_TRANSLATE_NOOP("MapLegend", "No recent value (STALE)")),
            ("pin", "offline", QT_TRANSLATE_NOOP("MapLegend", "Offline")),
            ("pin", "fault", QT_TRANSLATE_NOOP("MapLegend", "Fault")),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("MapLegend", "People"),
        [
            ("worker", "", QT_TRANSLATE_NOOP("MapLegend", "Worker")),
            ("worker", "alarm", QT_TRANSLATE_NOOP("MapLegend", "Worker in alarm (man-down, SOS)")),
            ("inside", "", QT_TRANSLATE_NOOP("MapLegend", "Who is inside (count at the gate)")),
        ],
    ),
]


class LegendSwatch(QWidget):
    """One mark of the legend, painted as the plan paints it."""

    def __init__(self, kind: str, arg: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind, self.arg = kind, arg
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        h = round(QFontMetricsF(self.font()).height() * 1.3)
        return QSize(round(h * 1.6), h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        side = rect.height()
        square = QRectF(rect.center().x() - side / 2, rect.top(), side, side)
        kind, arg = self.kind, self.arg
        if kind == "risk":
            painter.setPen(QPen(theme.color("border"), 1))
            painter.setBrush(theme.risk_color(arg, muted=True))
            painter.drawRect(rect)
        elif kind == "alarm":
            priority = int(arg)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.blend(theme.color("panel"), theme.priority_color(priority), 0.6))
            painter.drawRect(rect)
            hatch = theme.color("text")
            hatch.setAlpha(110)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(theme.priority_color(priority), 3))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            draw_priority_shape(painter, _shrink(square, 0.15), priority)
        elif kind == "stopped":
            painter.setPen(QPen(theme.color("alarm_p1"), 2))
            painter.setBrush(theme.color("stopped"))
            painter.drawRoundedRect(rect, 3, 3)  # the plate the plan writes STOPPED on
        elif kind == "pin":
            paint_pin(painter, _shrink(square, 0.1), arg, 1, self.font())
        elif kind == "worker":
            paint_worker(painter, _shrink(square, 0.1 if arg else 0.25), arg == "alarm", self.font())
        elif kind == "inside":
            painter.setPen(QPen(theme.color("text"), 1))
            painter.setBrush(theme.color("panel"))
            painter.drawRoundedRect(rect, 3, 3)
            paint_worker(
                painter, _shrink(QRectF(rect.left(), rect.top(), side, side), 0.25), False, self.font()
            )
            painter.setPen(theme.color("text"))
            painter.drawText(rect.adjusted(side * 0.9, 0, 0, 0), Qt.AlignmentFlag.AlignCenter, "n")
        painter.end()


def _shrink(rect: QRectF, fraction: float) -> QRectF:
    dx, dy = rect.width() * fraction, rect.height() * fraction
    return rect.adjusted(dx, dy, -dx, -dy)


class MapLegend(QWidget):
    """The legend as a strip of groups (under the plan)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self._titles: list[tuple[QLabel, str]] = []
        self._texts: list[tuple[QLabel, str]] = []
        self.swatches: list[LegendSwatch] = []
        column = 0
        for title, entries in GROUPS:
            head = QLabel()
            head.setProperty("role", "heading")
            head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            head.setMinimumWidth(1)
            grid.addWidget(head, 0, column, 1, 2)
            self._titles.append((head, title))
            for row, (kind, arg, text) in enumerate(entries, start=1):
                swatch = LegendSwatch(kind, arg)
                label = QLabel()
                # The legend never widens the map column: on a narrow window or at a large scale a
                # text is cut, whole in its tooltip.
                label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                label.setMinimumWidth(1)
                grid.addWidget(swatch, row, column)
                grid.addWidget(label, row, column + 1)
                self.swatches.append(swatch)
                self._texts.append((label, text))
            grid.setColumnStretch(column + 1, 1)
            column += 2
        self.retranslate()

    def retranslate(self) -> None:
        for label, text in (*self._titles, *self._texts):
            label.setText(QCoreApplication.translate(CONTEXT, text))
            label.setToolTip(label.text())

    def entries(self) -> list[str]:
        """Every line of the legend as shown (group titles first in each group)."""
        return [label.text() for label, _ in (*self._titles, *self._texts)]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
