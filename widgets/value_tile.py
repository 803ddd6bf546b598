"""``AreaTile``: one area on the overview wall, readable from across the room.

It shows the area's name, its risk level, the active permits by type, the worst
gas value against its limit (with a bar of the percentage of the limit), STALE
and OFFLINE marks, the work state, and the alarm counts by priority. Everything
abnormal is written as a word or drawn as a shape as well as coloured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from models.records import PermitType
from widgets import theme
from widgets.badges import StateBadge, draw_priority_shape, priority_label
from widgets.theme import QT_TRANSLATE_NOOP

PERMIT_SHORT: dict[str, str] = {
    PermitType.HOT_WORK.value: QT_TRANSLATE_NOOP("AreaTile", "HOT"),
    PermitType.CONFINED_SPACE.value: QT_TRANSLATE_NOOP("AreaTile", "CSE"),
    PermitType.BLINDING.value: QT_TRANSLATE_NOOP("AreaTile", "BLIND"),
    PermitType.WORK_AT_HEIGHT.value: QT_TRANSLATE_NOOP("AreaTile", "HEIGHT"),
    PermitType.LIFTING.value: QT_TRANSLATE_NOOP("AreaTile", "LIFT"),
    PermitType.TEMPORARY_POWER.value: QT_TRANSLATE_NOOP("AreaTile", "POWER"),
    PermitType.EXCAVATION.value: QT_TRANSLATE_NOOP("AreaTile", "DIG"),
    PermitType.ROAD_CLOSURE.value: QT_TRANSLATE_NOOP("AreaTile", "ROAD"),
}
RISK_TEXT: dict[str, str] = {
    "major": QT_TRANSLATE_NOOP("AreaTile", "MAJOR risk"),
    "high": QT_TRANSLATE_NOOP("AreaTile", "HIGH risk"),
    "general": QT_TRANSLATE_NOOP("AreaTile", "GENERAL risk"),
    "low": QT_TRANSLATE_NOOP("AreaTile", "LOW risk"),
}


def permit_label(kind: str) -> str:
    """Short label of a permit type (unknown types are shown as given)."""
    key = str(kind)
    return theme.translated("AreaTile", PERMIT_SHORT[key]) if key in PERMIT_SHORT else key


@dataclass(frozen=True, slots=True)
class AreaTileData:
    """What one tile shows. ``permits`` maps a PermitType value to its count of active permits."""

    site: str
    area: str
    name: str
    risk_level: str = "low"
    live_risk: str | None = None
    permits: Mapping[str, int] = field(default_factory=dict)
    gas_channel: str | None = None  # the channel closest to (or beyond) its limit
    gas_value: float | None = None
    gas_unit: str = ""
    gas_limit: float | None = None
    gas_limit_name: str = "HI"
    gas_priority: int | None = None  # set when the worst value is in alarm
    stale: bool = False
    offline: bool = False
    work_stopped: bool = False
    alarm_counts: Mapping[int, int] = field(default_factory=dict)


class _RiskChip(QWidget):
    """A small square in the risk colour, beside the risk level written out."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.level = "low"
        self.live = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(theme.color("text"), 1))
        # One colour per risk level wherever it is drawn (a muted "static" MAJOR beside a saturated
        # "live" MAJOR read as two levels); a raised level shows as the level's own word and colour.
        painter.setBrush(theme.risk_color(self.level, muted=False))
        painter.drawRect(rect)
        painter.end()


class _LimitBar(QWidget):
    """Percentage of the limit as a bar: grey while normal, alarm colour at/over the limit.

    A tick marks 100 %; the bar is empty and hatched when the value is STALE.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fraction: float | None = None
        self.priority: int | None = None
        self.stale = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        h = self.fontMetrics().height()
        return QSize(h * 8, round(h * 0.7))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(theme.color("border"), 1))
        painter.setBrush(theme.color("panel_alt"))
        painter.drawRect(rect)
        full = rect.width() / 1.25  # the scale runs to 125 % so "over the limit" is visible
        if self.stale:
            painter.fillRect(rect, QBrush(theme.color("stale"), Qt.BrushStyle.BDiagPattern))
        elif self.fraction is not None:
            width = min(rect.width(), max(0.0, self.fraction) * full)
            fill = theme.priority_color(self.priority) if self.priority else theme.color("process_alt")
            painter.fillRect(QRectF(rect.left(), rect.top(), width, rect.height()), fill)
        painter.setPen(QPen(theme.color("text"), 2))
        x = rect.left() + full
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        painter.end()


class _AlarmCounts(QWidget):
    """The tile's alarm counts: each priority's shape (as ``PriorityBadge`` draws it) and "×n".

    "No alarms" when there are none. Painted in one widget rather than built from labels.
    """

    SIZE_PT = 10.0  # the shapes' size, as the priority badges had it

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._counts: list[tuple[int, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_counts(self, counts: Mapping[int, int]) -> None:
        shown = [(p, int(counts.get(p, 0))) for p in (1, 2, 3, 4) if int(counts.get(p, 0)) > 0]
        changed = shown != self._counts
        self._counts = shown
        self._set_tooltip()
        if changed:
            self.updateGeometry()
            self.update()

    def _set_tooltip(self) -> None:
        tip = ", ".join(f"{priority_label(p)} ×{n}" for p, n in self._counts) or self._none_text()
        if tip != self.toolTip():  # setting a tooltip costs a style event even when it is the same
            self.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:  # "No alarms" / "无报警" follows the switch
            self._set_tooltip()
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    def text(self) -> str:
        """What the row says: "P1×1 P3×4", or "No alarms"."""
        return " ".join(f"P{p}×{n}" for p, n in self._counts) or self._none_text()

    @staticmethod
    def _none_text() -> str:
        return QCoreApplication.translate("AreaTile", "No alarms")

    def _side(self) -> int:
        font = theme.scaled_font(self.SIZE_PT, bold=True, base=self.font())
        return round(QFontMetrics(font).height() * 1.5)

    def _gap(self) -> int:
        return max(2, self.fontMetrics().height() // 4)

    def sizeHint(self) -> QSize:
        side, gap, fm = self._side(), self._gap(), self.fontMetrics()
        if not self._counts:
            return QSize(fm.horizontalAdvance(self._none_text()), max(side, fm.height()))
        width = sum(side + gap + fm.horizontalAdvance(f"×{n}") + 2 * gap for _p, n in self._counts)
        return QSize(width, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side, gap, fm = self._side(), self._gap(), self.fontMetrics()
        height = self.height()
        if not self._counts:
            painter.setPen(theme.color("text_muted"))
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._none_text(),
            )
            painter.end()
            return
        x = 0.0
        top = (height - side) / 2
        for p, n in self._counts:
            draw_priority_shape(painter, QRectF(x, top, side, side).adjusted(1, 1, -1, -1), p)
            x += side + gap
            label = f"×{n}"
            painter.setPen(theme.color("text"))
            painter.setFont(self.font())
            w = fm.horizontalAdvance(label)
            painter.drawText(
                QRectF(x, 0, w + 1, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label
            )
            x += w + 2 * gap
        painter.end()


class AreaTile(QFrame):
    """One area on the overview wall. Signal ``area_selected(site, area)`` on click."""

    area_selected = Signal(str, str)

    def __init__(self, data: AreaTileData | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._data: AreaTileData | None = None

        self._name = QLabel()
        self._name.setObjectName("tileName")
        self._work = StateBadge()
        self._chip = _RiskChip()
        self._risk = QLabel()
        # One painted widget for the alarm counts (shape + "×n" per priority, or "No alarms"): a
        # wall of 40 tiles built nine widgets per tile for this row, a large part of its start-up.
        self._alarms = _AlarmCounts()
        self._permits = QLabel()
        self._gas = QLabel()
        self._gas.setObjectName("tileValue")
        self._quality = StateBadge()
        self._bar = _LimitBar()
        self._percent = QLabel()
        self._percent.setProperty("role", "muted")
        self._percent_text = self._percent_short = ""  # the share of the limit, whole and short
        # Texts never widen the tile: the overview sizes the tiles to fit every area on one screen,
        # and a long name or permit list is cut (its full text is the tooltip), not the wall.
        for label in (self._name, self._risk, self._permits, self._gas, self._percent):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(1)

        top = QHBoxLayout()
        top.addWidget(self._name, 1)
        top.addWidget(self._work)
        risk_row = QHBoxLayout()
        risk_row.addWidget(self._chip)
        risk_row.addWidget(self._risk, 1)
        risk_row.addWidget(self._alarms)
        gas_row = QHBoxLayout()
        gas_row.addWidget(self._gas, 3)
        gas_row.addWidget(self._quality)
        gas_row.addWidget(self._percent, 2)
        self._percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = QVBoxLayout(self)
        spacing = max(2, self.fontMetrics().height() // 6)
        layout.setContentsMargins(spacing * 2, spacing, spacing * 2, spacing)
        layout.setSpacing(spacing)
        for row in (top, risk_row):
            layout.addLayout(row)
        layout.addWidget(self._permits)
        layout.addLayout(gas_row)
        layout.addWidget(self._bar)
        layout.addStretch(1)
        if data is not None:
            self.set_data(data)

    def data(self) -> AreaTileData | None:
        return self._data

    def set_data(self, data: AreaTileData) -> None:
        """Show ``data``; updates the existing labels in place (nothing when it is what is shown)."""
        if data == self._data:
            return
        old, self._data = self._data, data
        # Only the parts that changed: under load a tile gets new data twice a second, mostly a new
        # gas value, and every widget call here can cost a style or layout pass.
        if old is None or (old.name, old.site, old.area) != (data.name, data.site, data.area):
            self._name.setText(data.name)
            self.setToolTip(f"{data.name}\n{data.site} / {data.area}")
        if old is None or old.work_stopped != data.work_stopped:
            # Work state: STOPPED as a word and a property (the frame gets a heavy outline).
            self._work.set_state("stopped" if data.work_stopped else None)
            theme.set_state_property(self, "workState", "stopped" if data.work_stopped else "running")
        if old is None or (old.live_risk, old.risk_level) != (data.live_risk, data.risk_level):
            level = (data.live_risk or data.risk_level or "low").lower()
            self._chip.level, self._chip.live = level, data.live_risk is not None
            self._chip.update()
            self._risk.setText(theme.translated("AreaTile", RISK_TEXT.get(level, level.upper())))
        if old is None or old.permits != data.permits:
            # Permits by type.
            parts = [f"{permit_label(k)} {n}" for k, n in data.permits.items() if n > 0]
            self._permits.setText(" · ".join(parts) if parts else self.tr("No active permits"))
            self._permits.setToolTip(self._permits.text())
        self._set_gas(data, old)
        if old is None or old.alarm_counts != data.alarm_counts:
            # Alarm counts by priority.
            self._alarms.set_counts(data.alarm_counts)
            worst = min((p for p, n in data.alarm_counts.items() if n > 0), default=None)
            theme.set_state_property(self, "alarmPriority", worst)

    def _set_gas(self, data: AreaTileData, old: AreaTileData | None = None) -> None:
        bad = data.stale or data.offline
        if old is None or (old.stale, old.offline) != (data.stale, data.offline):
            self._quality.set_state("offline" if data.offline else "stale" if data.stale else None)
            theme.set_state_property(self._gas, "stale", bad)
        fraction: float | None = None
        if data.gas_channel is None:
            self._gas.setText(self.tr("No gas detector"))
            self._percent_text = self._percent_short = ""
            self._fit_percent()
        else:
            # A STALE or OFFLINE value is never shown as a number.
            has_value = data.gas_value is not None and math.isfinite(data.gas_value) and not bad
            shown = f"{data.gas_value:g} {data.gas_unit}".strip() if has_value else "—"
            self._gas.setText(f"{data.gas_channel}  {shown}")
            if has_value and data.gas_limit:
                fraction = float(data.gas_value) / data.gas_limit  # type: ignore[arg-type]
                self._percent_text = (
                    self.tr("%1 % of %2 %3")
                    .replace("%1", f"{fraction * 100:.0f}")
                    .replace("%2", data.gas_limit_name)
                    .replace("%3", f"{data.gas_limit:g}")
                )
                self._percent_short = f"{fraction * 100:.0f} %"
            else:
                self._percent_text = self._percent_short = ""
            self._fit_percent()
        if old is None or old.gas_priority != data.gas_priority:
            theme.set_state_property(self._gas, "alarmPriority", data.gas_priority)
        measured = data.gas_channel is not None
        if old is None or (old.gas_channel is not None) != measured:
            self._bar.setVisible(measured)  # no empty scale where nothing is measured
        bar = (fraction, data.gas_priority, bad)
        if bar != (self._bar.fraction, self._bar.priority, self._bar.stale):
            self._bar.fraction, self._bar.priority, self._bar.stale = bar
            self._bar.update()

    def _fit_percent(self) -> None:
        """The share of the limit whole ("89 % of HI 23.5"), else its number alone ("89 %"): a narrow
        tile cut the text from the left, and 89 % read 39 %. The whole text is the tooltip."""
        label, full = self._percent, self._percent_text
        fits = label.fontMetrics().horizontalAdvance(full) <= label.contentsRect().width()
        text = full if fits or not label.isVisible() else self._percent_short
        if label.text() != text:
            label.setText(text)
        label.setToolTip(full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_percent()

    # ---- what a user sees ------------------------------------------------------------------------
    def texts(self) -> dict[str, str]:
        return {
            "name": self._name.text(),
            "work": self._work.text() if not self._work.isHidden() else "",
            "risk": self._risk.text(),
            "permits": self._permits.text(),
            "gas": self._gas.text(),
            "percent": self._percent.text(),
            "quality": self._quality.text() if not self._quality.isHidden() else "",
            "alarms": self._alarms.text(),
        }

    def limit_fraction(self) -> float | None:
        return self._bar.fraction

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        """The smallest tile that still shows every row whole: the overview fits its grid to it."""
        h = self.fontMetrics().height()
        layout = self.layout()
        height = layout.minimumSize().height() if layout is not None else h * 6
        return QSize(h * 9, height)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._data is not None:
            data, self._data = self._data, None
            self.set_data(data)  # the words again, in the new language
        super().changeEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._data is not None:
            self.area_selected.emit(self._data.site, self._data.area)
        super().mouseReleaseEvent(event)
