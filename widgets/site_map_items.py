"""What the site plan draws: the records a screen hands it (an area's shape, a detector's pin, a worker's
or a piece of equipment's mark), the scene items that show them, and the painters the map's legend
shares. Coordinates and sizes as in ``widgets/site_map.py``: labels, pins and marks ignore the view's
zoom, pens are cosmetic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPolygonItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from widgets import theme
from widgets.badges import draw_priority_shape, state_text

#: Where an area's label may hang, in order of preference.
PLACEMENTS = ("top", "bottom", "center", "above", "below")


@dataclass(frozen=True, slots=True)
class AreaShape:
    """One area of the plan. ``polygon`` is in plan metres, y up."""

    site: str
    area: str
    name: str
    polygon: Sequence[tuple[float, float]]
    risk_level: str = "low"  # static level: major/high/general/low
    live_risk: str | None = None  # a level raised by live conditions (drawn muted; alarms are saturated)
    work_stopped: bool = False
    alarm_priority: int | None = None
    label: str = ""  # second line under the name, e.g. "动火 2 · 受限空间 1"


@dataclass(frozen=True, slots=True)
class DetectorPin:
    """A gas detector at plan metres (x, y); ``state`` is ok/alarm/stale/offline/fault."""

    device: str
    x: float
    y: float
    state: str = "ok"
    priority: int | None = None


@dataclass(frozen=True, slots=True)
class WorkerMark:
    """A worker's last known position at plan metres (x, y)."""

    worker: str
    x: float
    y: float
    alarm: bool = False


@dataclass(frozen=True, slots=True)
class EquipmentMark:
    """An inspection point at plan metres: an open defect (its priority colour), a point missed today or
    a suspicious scan (an orange dashed ring). ``tip`` says which, in the screen's language."""

    key: str
    x: float
    y: float
    priority: int | None = None  # the worst open defect: 1 critical … 3 minor; None: none
    attention: bool = False  # missed today, or scanned suspiciously
    tip: str = ""


def cosmetic(color: QColor | str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


def _shrink(rect: QRectF, fraction: float) -> QRectF:
    """``rect`` inset by ``fraction`` of its size on every side."""
    dx, dy = rect.width() * fraction, rect.height() * fraction
    return rect.adjusted(dx, dy, -dx, -dy)


def overlap_area(a: QRectF, b: QRectF) -> float:
    both = a.intersected(b)
    return max(0.0, both.width()) * max(0.0, both.height())


def _em(font: QFont) -> float:
    """Height of a line of ``font`` in pixels: the unit every mark is sized in (never fixed pixels)."""
    return QFontMetricsF(font).height()


class TagItem(QGraphicsItem):
    """A text plate (name label, STOPPED mark) that keeps its size whatever the zoom."""

    def __init__(self, parent: QGraphicsItem | None = None, *, kind: str = "label"):
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.kind = kind
        self.lines: list[str] = []
        self.priority: int | None = None  # an alarm in the area: its priority's shape before the name
        self.font = theme.scaled_font(10.0, bold=kind != "label")
        self.setZValue(20 if kind == "stopped" else 15)

    def set_lines(self, lines: list[str], priority: int | None = None) -> None:
        if (lines, priority) != (self.lines, self.priority):
            self.prepareGeometryChange()
            self.lines, self.priority = lines, priority
            self.update()

    def _mark_width(self) -> float:
        return QFontMetricsF(self.font).height() * 1.5 if self.priority else 0.0

    def boundingRect(self) -> QRectF:
        fm = QFontMetricsF(self.font)
        w = max((fm.horizontalAdvance(s) for s in self.lines), default=0.0) + fm.height() * 0.6
        w += self._mark_width()
        h = fm.height() * len(self.lines) + fm.height() * 0.3
        return QRectF(-w / 2, -h / 2, w, h)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.lines:
            return
        rect = self.boundingRect()
        if self.kind == "stopped":
            painter.setPen(cosmetic(theme.PALETTE.alarm_p1, 2))
            painter.setBrush(theme.color("stopped"))
            text_color = theme.color("stopped_text")
        else:
            fill = QColor(theme.PALETTE.panel)
            fill.setAlpha(215)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            text_color = theme.color("text")
        painter.drawRoundedRect(rect, 3, 3)
        mark = self._mark_width()
        if self.priority:
            em = QFontMetricsF(self.font).height()
            shape = QRectF(rect.left() + em * 0.2, rect.center().y() - em * 0.6, em * 1.2, em * 1.2)
            draw_priority_shape(painter, shape, self.priority)
        painter.setFont(self.font)
        painter.setPen(text_color)
        painter.drawText(rect.adjusted(mark, 0, 0, 0), Qt.AlignmentFlag.AlignCenter, "\n".join(self.lines))


class AreaItem(QGraphicsPolygonItem):
    """An area polygon with its name label and STOPPED mark as children."""

    def __init__(self, shape: AreaShape):
        super().__init__()
        self.shape_data = shape
        self.name_tag = TagItem(self, kind="label")
        self.stop_tag = TagItem(self, kind="stopped")
        self.blink_on = True
        self.placement = "top"  # where the labels hang: top, bottom or center (away from the pins)
        self._applied: tuple[object, ...] | None = None
        self.setZValue(1)
        # over a plan drawing the fill lets the drawing through; the labels stay opaque
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemDoesntPropagateOpacityToChildren, True)

    def fill_color(self) -> QColor:
        s = self.shape_data
        if s.alarm_priority:
            return theme.blend(theme.color("panel"), theme.priority_color(s.alarm_priority), 0.6)
        # ISA-101: a level raised by active permits is not abnormal; only an alarm is drawn saturated.
        return theme.risk_color(s.live_risk or s.risk_level, muted=True)

    def apply(self, shape: AreaShape, plan_height: float, stopped_text: str) -> bool:
        """Show ``shape``; True when something was redrawn (its labels may need a new place)."""
        applied = (shape, plan_height, stopped_text, self.blink_on)
        if applied == self._applied:
            return False  # unchanged: no re-layout of the tags, no repaint of the area
        self._applied = applied
        self.shape_data = shape
        self.setPolygon(QPolygonF([QPointF(x, plan_height - y) for x, y in shape.polygon]))
        self.restyle()
        self.name_tag.set_lines([shape.name, *([shape.label] if shape.label else [])], shape.alarm_priority)
        self.stop_tag.set_lines([stopped_text])
        self.stop_tag.setVisible(shape.work_stopped)
        self.place_tags(self.placement)
        self.setToolTip(f"{shape.name}\n{shape.label}".strip())
        return True

    def tag_stack(self) -> tuple[float, float]:
        """Width and height in pixels of the name label with the STOPPED plate under it."""
        fm = QFontMetricsF(self.name_tag.font)
        name = self.name_tag.boundingRect()
        width, height = name.width(), name.height()
        if self.shape_data.work_stopped:
            stop = self.stop_tag.boundingRect()
            width, height = max(width, stop.width()), height + fm.height() * 0.3 + stop.height()
        return width, height

    def anchor(self, placement: str) -> tuple[QPointF, float]:
        """Where the label stack hangs (scene point) and its top edge's offset from it in pixels."""
        bounds = self.polygon().boundingRect()
        em = QFontMetricsF(self.name_tag.font).height()
        _w, height = self.tag_stack()
        top, bottom = (
            QPointF(bounds.center().x(), bounds.top()),
            QPointF(bounds.center().x(), bounds.bottom()),
        )
        if placement == "bottom":
            return bottom, -(height + em * 0.3)
        if placement == "center":
            return bounds.center(), -height / 2
        if placement == "above":  # outside, over the area's top edge (a small area full of pins)
            return top, -(height + em * 0.2)
        if placement == "below":
            return bottom, em * 0.2
        return top, em * 0.3

    def place_tags(self, placement: str) -> None:
        """Hang the name (and STOPPED under it) at one of ``PLACEMENTS``."""
        self.placement = placement
        point, top = self.anchor(placement)
        fm = QFontMetricsF(self.name_tag.font)
        name_h = self.name_tag.boundingRect().height()
        self.name_tag.setPos(point)
        self.name_tag.setTransform(QTransform.fromTranslate(0, top + name_h / 2))
        self.stop_tag.setPos(point)
        below = top + name_h + fm.height() * 0.3 + self.stop_tag.boundingRect().height() / 2
        self.stop_tag.setTransform(QTransform.fromTranslate(0, below))

    def restyle(self) -> None:
        s = self.shape_data
        if s.alarm_priority:
            alarm = theme.priority_color(s.alarm_priority)
            # Dark hatch over an alarm-coloured fill, and an outline blinking between alarm colour and dark.
            hatch = theme.color("text")
            hatch.setAlpha(110)
            self.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            outline = alarm if self.blink_on else theme.color("text")
            self.setPen(cosmetic(outline, 4))
        else:
            self.setBrush(QBrush(self.fill_color()))
            width = 3 if s.work_stopped else 1
            self.setPen(cosmetic(theme.PALETTE.text if s.work_stopped else theme.PALETTE.border, width))
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.shape_data.alarm_priority:  # risk fill beneath the alarm hatch
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.fill_color())
            painter.drawPolygon(self.polygon())
        super().paint(painter, option, widget)


class PinItem(QGraphicsItem):
    """A detector pin: its shape tells the state (not colour alone)."""

    def __init__(self, pin: DetectorPin):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.pin = pin
        self.font = theme.scaled_font(9.0, bold=True)
        self.setZValue(30)

    def boundingRect(self) -> QRectF:
        s = _em(self.font) * (1.9 if self.pin.state == "alarm" else 1.4)
        return QRectF(-s / 2, -s / 2, s, s)

    def set_pin(self, pin: DetectorPin) -> None:
        tip = f"{pin.device}: {state_text(pin.state)}"
        if pin == self.pin and tip == self.toolTip():
            return  # unchanged: no repaint
        if pin.state != self.pin.state:
            self.prepareGeometryChange()
        self.pin = pin
        self.setToolTip(tip)
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect().adjusted(1, 1, -1, -1)
        paint_pin(painter, rect, self.pin.state, self.pin.priority, self.font)


def paint_pin(painter: QPainter, rect: QRectF, state: str, priority: int | None, font: QFont) -> None:
    """A detector's mark for ``state`` (the map and its legend draw it the same way)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if state == "alarm":
        draw_priority_shape(painter, rect, priority or 1, text="!")
        return
    painter.setFont(font)
    if state == "stale":
        painter.setPen(cosmetic(theme.PALETTE.stale, 2))
        painter.setBrush(QBrush(theme.color("stale"), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(rect)
        painter.setPen(theme.color("text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
    elif state == "offline":
        painter.setPen(cosmetic(theme.PALETTE.stale, 2))
        painter.setBrush(theme.color("panel"))
        painter.drawEllipse(rect)
        painter.drawLine(rect.topLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomLeft())
    elif state == "fault":
        painter.setPen(cosmetic(theme.PALETTE.text, 2))
        painter.setBrush(theme.color("stale"))
        painter.drawRect(rect)
        painter.setPen(theme.color("stale_text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "!")
    else:  # ok: a small plain grey dot, nothing to look at
        small = rect.adjusted(
            rect.width() * 0.2, rect.height() * 0.2, -rect.width() * 0.2, -rect.height() * 0.2
        )
        painter.setPen(cosmetic(theme.PALETTE.text, 1))
        painter.setBrush(theme.color("process_alt"))
        painter.drawEllipse(small)


class WorkerItem(QGraphicsItem):
    """A worker: a small person glyph; in alarm (man-down, SOS …) red with a ring and "!"."""

    def __init__(self, mark: WorkerMark):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.mark = mark
        self.font = theme.scaled_font(9.0, bold=True)
        self.setZValue(40)

    def boundingRect(self) -> QRectF:
        s = _em(self.font) * (1.8 if self.mark.alarm else 1.0)
        return QRectF(-s / 2, -s / 2, s, s)

    def set_mark(self, mark: WorkerMark) -> None:
        if mark == self.mark and self.toolTip():
            return  # unchanged: no repaint
        if mark.alarm != self.mark.alarm:
            self.prepareGeometryChange()
        self.mark = mark
        self.setToolTip(mark.worker)
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_worker(painter, self.boundingRect().adjusted(1, 1, -1, -1), self.mark.alarm, self.font)


def paint_worker(painter: QPainter, rect: QRectF, alarm: bool, font: QFont) -> None:
    """A worker's mark (the map and its legend draw it the same way)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if alarm:
        painter.setPen(cosmetic(theme.PALETTE.alarm_p1, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
        core = rect.adjusted(
            rect.width() * 0.25, rect.height() * 0.25, -rect.width() * 0.25, -rect.height() * 0.25
        )
        painter.setPen(cosmetic(theme.PALETTE.text, 1))
        painter.setBrush(theme.color("alarm_p1"))
        painter.drawEllipse(core)
        painter.setFont(font)
        painter.setPen(theme.color("alarm_p1_text"))
        painter.drawText(core, Qt.AlignmentFlag.AlignCenter, "!")
    else:
        painter.setPen(cosmetic(theme.PALETTE.panel, 1.5))
        painter.setBrush(theme.color("process"))
        head = QRectF(0, 0, rect.width() * 0.45, rect.height() * 0.45)
        head.moveCenter(QPointF(rect.center().x(), rect.top() + head.height() / 2))
        painter.drawEllipse(head)
        body = QRectF(
            rect.left() + rect.width() * 0.15,
            head.bottom(),
            rect.width() * 0.7,
            rect.bottom() - head.bottom(),
        )
        painter.drawRoundedRect(body, body.width() * 0.3, body.width() * 0.3)


class EquipmentItem(QGraphicsItem):
    """An inspection point: a diamond, filled with its worst open defect's colour, ringed when missed."""

    def __init__(self, mark: EquipmentMark):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.mark = mark
        self.font = theme.scaled_font(9.0, bold=True)
        self.setZValue(35)

    def boundingRect(self) -> QRectF:
        s = _em(self.font) * 1.6
        return QRectF(-s / 2, -s / 2, s, s)

    def set_mark(self, mark: EquipmentMark) -> None:
        self.mark = mark
        self.setToolTip(mark.tip)
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_equipment(painter, self.boundingRect().adjusted(1, 1, -1, -1), self.mark, self.font)


def paint_equipment(painter: QPainter, rect: QRectF, mark: EquipmentMark, font: QFont) -> None:
    """An inspection point's mark, a hexagon (a nut: maintenance), unlike any detector's or alarm's
    shape; the map and its legend draw it the same way."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    c = rect.center()
    r = min(rect.width(), rect.height()) * 0.32
    hexagon = QPolygonF(
        [
            QPointF(c.x() + r * math.cos(math.radians(a)), c.y() + r * math.sin(math.radians(a)))
            for a in range(0, 360, 60)
        ]
    )
    if mark.attention:
        painter.setPen(cosmetic(theme.PALETTE.risk_high, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
    painter.setPen(cosmetic(theme.PALETTE.text, 1.5))
    painter.setBrush(
        theme.priority_color(mark.priority) if mark.priority is not None else theme.color("panel")
    )
    painter.drawPolygon(hexagon)
    hole = r * 0.38  # the nut's hole
    painter.setBrush(theme.color("panel"))
    painter.drawEllipse(c, hole, hole)
