"""The site map's legend: every colour, mark and shape the plan uses, drawn by the same code.

Risk colours, an area in alarm (hatched, outlined, its priority's shape before the name), STOPPED,
the detector states, workers, and who is inside an area (the count the field gate reports).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from widgets import theme
from widgets.badges import draw_priority_shape
from widgets.site_map import EquipmentMark, paint_equipment, paint_pin, paint_worker
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
    (
        QT_TRANSLATE_NOOP("MapLegend", "Inspection"),
        [
            ("equipment", "1", QT_TRANSLATE_NOOP("MapLegend", "Open defect (its severity's colour)")),
            ("equipment", "missed", QT_TRANSLATE_NOOP("MapLegend", "Missed or suspicious today")),
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
        elif kind == "equipment":
            mark = EquipmentMark("", 0, 0, 1 if arg == "1" else None, arg == "missed")
            paint_equipment(painter, _shrink(square, 0.05), mark, self.font())
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


class LegendGroup(QWidget):
    """One group of the legend: its heading over rows of swatch and text."""

    def __init__(
        self, title: str, entries: list[tuple[str, str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.head = QLabel()
        self.head.setProperty("role", "heading")
        grid.addWidget(self.head, 0, 0, 1, 2)
        self.title = title
        self.texts: list[tuple[QLabel, str]] = []
        self.swatches: list[LegendSwatch] = []
        for row, (kind, arg, text) in enumerate(entries, start=1):
            swatch = LegendSwatch(kind, arg)
            label = QLabel()
            grid.addWidget(swatch, row, 0)
            grid.addWidget(label, row, 1)
            self.swatches.append(swatch)
            self.texts.append((label, text))
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(entries) + 1, 1)
        for label in (self.head, *(lb for lb, _ in self.texts)):
            # The legend never widens the map column: it lays its groups out again instead (below);
            # only at a width where even one group a row does not fit is a text cut, whole in its tooltip.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def needed_width(self) -> int:
        """The width that shows every text of the group whole, in the language and font shown now."""
        swatch = max((s.sizeHint().width() for s in self.swatches), default=0)
        spacing = self._grid.horizontalSpacing()
        for label in (self.head, *(lb for lb, _ in self.texts)):
            label.ensurePolished()  # the stylesheet's font (headings are bold), not the application's
        texts = max((lb.fontMetrics().horizontalAdvance(lb.text()) for lb, _ in self.texts), default=0)
        head = self.head.fontMetrics().horizontalAdvance(self.head.text())
        return max(head, swatch + spacing + texts) + 4


class MapLegend(QWidget):
    """The legend under the plan: its four groups in one row where the plan is wide enough to show
    every text whole, else two groups a row (else one): the "People" texts were cut at 1600 px."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapLegend")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(4, 2, 4, 2)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(6)
        self.groups = [LegendGroup(title, entries) for title, entries in GROUPS]
        self.swatches: list[LegendSwatch] = [s for g in self.groups for s in g.swatches]
        self.columns = 0
        self._place(len(self.groups))
        self.retranslate()

    def _titles(self) -> list[tuple[QLabel, str]]:
        return [(g.head, g.title) for g in self.groups]

    def _texts(self) -> list[tuple[QLabel, str]]:
        return [pair for g in self.groups for pair in g.texts]

    def retranslate(self) -> None:
        for label, text in (*self._titles(), *self._texts()):
            label.setText(QCoreApplication.translate(CONTEXT, text))
            label.setToolTip(label.text())
        self._reflow()

    def entries(self) -> list[str]:
        """Every line of the legend as shown (group titles first in each group)."""
        return [label.text() for label, _ in (*self._titles(), *self._texts())]

    def _column_needs(self, columns: int) -> list[int]:
        """Per column of a layout with ``columns`` groups a row: the widest need among its groups."""
        needed = [g.needed_width() for g in self.groups]
        return [max(needed[j::columns]) for j in range(columns)]

    def columns_for(self, width: int) -> int:
        """How many groups a row fit ``width`` with every text whole: all, then as few rows as fit, else 1."""
        margins = self._grid.contentsMargins()
        room = width - margins.left() - margins.right()
        spacing = self._grid.horizontalSpacing()
        for columns in range(len(self.groups), 1, -1):
            if sum(self._column_needs(columns)) + spacing * (columns - 1) <= room:
                return columns
        return 1

    def clipped(self) -> list[str]:
        """The texts not shown whole at the legend's size now (for tests and screenshots)."""
        return [
            label.text()
            for label, _ in (*self._titles(), *self._texts())
            if label.isVisibleTo(self) and label.fontMetrics().horizontalAdvance(label.text()) > label.width()
        ]

    def _place(self, columns: int) -> None:
        # Columns share the width as their texts need it (a long "People" text, short risk words);
        # only the stretch, never a minimum width: the legend must not hold the splitter open.
        needs = self._column_needs(columns)
        for c in range(len(self.groups)):
            self._grid.setColumnStretch(c, needs[c] if c < columns else 0)
        if columns == self.columns:
            return
        for g in self.groups:
            self._grid.removeWidget(g)
        for i, g in enumerate(self.groups):
            self._grid.addWidget(g, i // columns, i % columns)
        self.columns = columns
        self.updateGeometry()

    def _reflow(self) -> None:
        if self.width() > 0:
            self._place(self.columns_for(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._reflow()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._reflow()
        super().changeEvent(event)
