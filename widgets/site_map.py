"""The site plan: areas as polygons coloured by risk, detectors and workers as pins.

Coordinates are plan metres with the origin at the plan's bottom-left corner and
y pointing UP (as on a surveyed site plan). One scene unit is one metre; the
scene's y axis points down, so a plan point (x, y) sits at scene (x, height_m - y).
Pens are cosmetic and labels, pins and marks ignore the view's zoom, so lines stay
one pixel wide and text stays readable at any zoom level and on 4K screens.

Items are kept per key (area, device, worker) and updated in place: a live update
changes brushes and positions, it never rebuilds the scene.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from widgets import theme
from widgets.badges import draw_priority_shape, state_text

ZOOM_STEP = 1.25
#: Where an area's label may hang, in order of preference.
PLACEMENTS = ("top", "bottom", "center", "above", "below")
MIN_SCALE = 0.05
MAX_SCALE = 400.0


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


def _cosmetic(color: QColor | str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


def _shrink(rect: QRectF, fraction: float) -> QRectF:
    """``rect`` inset by ``fraction`` of its size on every side."""
    dx, dy = rect.width() * fraction, rect.height() * fraction
    return rect.adjusted(dx, dy, -dx, -dy)


def _overlap(a: QRectF, b: QRectF) -> float:
    both = a.intersected(b)
    return max(0.0, both.width()) * max(0.0, both.height())


def _em(font: QFont) -> float:
    """Height of a line of ``font`` in pixels: the unit every mark is sized in (never fixed pixels)."""
    return QFontMetricsF(font).height()


class _TagItem(QGraphicsItem):
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
            painter.setPen(_cosmetic(theme.PALETTE.alarm_p1, 2))
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


class _AreaItem(QGraphicsPolygonItem):
    """An area polygon with its name label and STOPPED mark as children."""

    def __init__(self, shape: AreaShape):
        super().__init__()
        self.shape_data = shape
        self.name_tag = _TagItem(self, kind="label")
        self.stop_tag = _TagItem(self, kind="stopped")
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
            self.setPen(_cosmetic(outline, 4))
        else:
            self.setBrush(QBrush(self.fill_color()))
            width = 3 if s.work_stopped else 1
            self.setPen(_cosmetic(theme.PALETTE.text if s.work_stopped else theme.PALETTE.border, width))
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.shape_data.alarm_priority:  # risk fill beneath the alarm hatch
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.fill_color())
            painter.drawPolygon(self.polygon())
        super().paint(painter, option, widget)


class _PinItem(QGraphicsItem):
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
        painter.setPen(_cosmetic(theme.PALETTE.stale, 2))
        painter.setBrush(QBrush(theme.color("stale"), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(rect)
        painter.setPen(theme.color("text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
    elif state == "offline":
        painter.setPen(_cosmetic(theme.PALETTE.stale, 2))
        painter.setBrush(theme.color("panel"))
        painter.drawEllipse(rect)
        painter.drawLine(rect.topLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomLeft())
    elif state == "fault":
        painter.setPen(_cosmetic(theme.PALETTE.text, 2))
        painter.setBrush(theme.color("stale"))
        painter.drawRect(rect)
        painter.setPen(theme.color("stale_text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "!")
    else:  # ok: a small plain grey dot, nothing to look at
        small = rect.adjusted(
            rect.width() * 0.2, rect.height() * 0.2, -rect.width() * 0.2, -rect.height() * 0.2
        )
        painter.setPen(_cosmetic(theme.PALETTE.text, 1))
        painter.setBrush(theme.color("process_alt"))
        painter.drawEllipse(small)


class _WorkerItem(QGraphicsItem):
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
        painter.setPen(_cosmetic(theme.PALETTE.alarm_p1, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
        core = rect.adjusted(
            rect.width() * 0.25, rect.height() * 0.25, -rect.width() * 0.25, -rect.height() * 0.25
        )
        painter.setPen(_cosmetic(theme.PALETTE.text, 1))
        painter.setBrush(theme.color("alarm_p1"))
        painter.drawEllipse(core)
        painter.setFont(font)
        painter.setPen(theme.color("alarm_p1_text"))
        painter.drawText(core, Qt.AlignmentFlag.AlignCenter, "!")
    else:
        painter.setPen(_cosmetic(theme.PALETTE.panel, 1.5))
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


class _EquipmentItem(QGraphicsItem):
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
        painter.setPen(_cosmetic(theme.PALETTE.risk_high, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
    painter.setPen(_cosmetic(theme.PALETTE.text, 1.5))
    painter.setBrush(
        theme.priority_color(mark.priority) if mark.priority is not None else theme.color("panel")
    )
    painter.drawPolygon(hexagon)
    hole = r * 0.38  # the nut's hole
    painter.setBrush(theme.color("panel"))
    painter.drawEllipse(c, hole, hole)


class SiteMap(QGraphicsView):
    """The plan view. Zoom: wheel, +/- keys; 0 or Home fits all. Pan: drag. Click an area to select it.

    Signals: ``area_selected(site, area)`` when the operator clicks an area.
    """

    area_selected = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, blink_ms: int = 500):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._width_m = 100.0
        self._height_m = 100.0
        self._areas: dict[tuple[str, str], _AreaItem] = {}
        self._pins: dict[str, _PinItem] = {}
        self._workers: dict[str, _WorkerItem] = {}
        self._equipment: dict[str, _EquipmentItem] = {}
        self._plan = QGraphicsRectItem()
        self._plan.setBrush(theme.color("panel"))
        self._plan.setPen(_cosmetic(theme.PALETTE.border, 1))
        self._plan.setZValue(0)
        self._scene.addItem(self._plan)
        self._drawing: QGraphicsPixmapItem | None = None  # the site plan's image, when the site has one
        self._press: QPoint | None = None
        self._auto_fit = True  # fit the plan to the view until the operator zooms or pans
        self._focus: QRectF | None = None  # a located area with its margin, kept in view on resizes
        self._labels_dirty = True
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(theme.color("window"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._blink = QTimer(self)
        self._blink.setInterval(blink_ms)
        self._blink.timeout.connect(self._toggle_blink)
        self._blink_on = True
        self.set_plan(self._width_m, self._height_m)

    # ---- content ------------------------------------------------------------------------
    def set_plan(self, width_m: float, height_m: float) -> None:
        """Size of the plan in metres; existing areas and pins are re-placed."""
        if width_m <= 0 or height_m <= 0:
            raise ValueError("plan size must be positive")
        self._width_m, self._height_m = float(width_m), float(height_m)
        self._plan.setRect(QRectF(0, 0, width_m, height_m))
        self._auto_fit = True
        margin = max(width_m, height_m)  # room to centre an area near the edge of the plan
        self._scene.setSceneRect(QRectF(-margin, -margin, width_m + 2 * margin, height_m + 2 * margin))
        self._place_drawing()
        self.set_areas([item.shape_data for item in self._areas.values()])
        self.set_detectors([item.pin for item in self._pins.values()])
        self.set_workers([item.mark for item in self._workers.values()])
        self.set_equipment([item.mark for item in self._equipment.values()])

    def set_plan_image(self, image: QImage | None) -> None:
        """The site plan's drawing, stretched over the plan's metres; None: the plain plan (no drawing)."""
        if self._drawing is not None:
            self._scene.removeItem(self._drawing)
            self._drawing = None
        if image is not None and not image.isNull():
            self._drawing = QGraphicsPixmapItem(QPixmap.fromImage(image))
            self._drawing.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self._drawing.setZValue(0.5)
            self._scene.addItem(self._drawing)
            self._place_drawing()
        for item in self._areas.values():
            item.setOpacity(0.55 if self._drawing is not None else 1.0)

    def has_plan_image(self) -> bool:
        return self._drawing is not None

    def _place_drawing(self) -> None:
        if self._drawing is None:
            return
        size = self._drawing.pixmap().size()
        self._drawing.setTransform(
            QTransform.fromScale(self._width_m / size.width(), self._height_m / size.height())
        )

    def set_areas(self, areas: Iterable[AreaShape]) -> None:
        """Show these areas; known ones are updated in place, missing ones removed."""
        stopped_text = self.tr("STOPPED")
        seen: set[tuple[str, str]] = set()
        for shape in areas:
            key = (shape.site, shape.area)
            seen.add(key)
            item = self._areas.get(key)
            if item is None:
                item = _AreaItem(shape)
                item.setOpacity(0.55 if self._drawing is not None else 1.0)
                self._scene.addItem(item)
                self._areas[key] = item
            item.blink_on = self._blink_on
            if item.apply(shape, self._height_m, stopped_text):
                self._labels_dirty = True
        for key in set(self._areas) - seen:
            self._scene.removeItem(self._areas.pop(key))
        self._update_blink_timer()
        self.place_labels()

    def set_detectors(self, pins: Iterable[DetectorPin]) -> None:
        seen: set[str] = set()
        for pin in pins:
            seen.add(pin.device)
            item = self._pins.get(pin.device)
            if item is None:
                item = _PinItem(pin)
                self._scene.addItem(item)
                self._pins[pin.device] = item
            item.set_pin(pin)
            pos = self.to_scene(pin.x, pin.y)
            if item.pos() != pos:
                item.setPos(pos)
                self._labels_dirty = True
        for key in set(self._pins) - seen:
            self._scene.removeItem(self._pins.pop(key))
            self._labels_dirty = True
        self.place_labels()

    def set_workers(self, workers: Iterable[WorkerMark]) -> None:
        """Workers move all the time: their marks do not move the labels (the detectors' do)."""
        seen: set[str] = set()
        for mark in workers:
            seen.add(mark.worker)
            item = self._workers.get(mark.worker)
            if item is None:
                item = _WorkerItem(mark)
                self._scene.addItem(item)
                self._workers[mark.worker] = item
            item.set_mark(mark)
            item.setPos(self.to_scene(mark.x, mark.y))
        for key in set(self._workers) - seen:
            self._scene.removeItem(self._workers.pop(key))

    def set_equipment(self, marks: Iterable[EquipmentMark]) -> None:
        """Inspection points with an open defect, missed today or scanned suspiciously (issue 23)."""
        seen: set[str] = set()
        for mark in marks:
            seen.add(mark.key)
            item = self._equipment.get(mark.key)
            if item is None:
                item = _EquipmentItem(mark)
                self._scene.addItem(item)
                self._equipment[mark.key] = item
                self._labels_dirty = True
            item.set_mark(mark)
            at = self.to_scene(mark.x, mark.y)
            if item.pos() != at:
                item.setPos(at)
                self._labels_dirty = True
        for key in set(self._equipment) - seen:
            self._scene.removeItem(self._equipment.pop(key))
            self._labels_dirty = True
        self.place_labels()  # an inspection mark, like a detector's pin, never sits on a label

    def equipment_item(self, key: str) -> QGraphicsItem | None:
        return self._equipment.get(key)

    def to_scene(self, x_m: float, y_m: float) -> QPointF:
        """Plan metres (y up) to scene units (y down)."""
        return QPointF(x_m, self._height_m - y_m)

    # ---- inspection (what is drawn) ----------------------------------------------------------
    def area_item(self, site: str, area: str) -> QGraphicsPolygonItem | None:
        return self._areas.get((site, area))

    def area_keys(self) -> list[tuple[str, str]]:
        return list(self._areas)

    def area_is_stopped_marked(self, site: str, area: str) -> bool:
        item = self._areas.get((site, area))
        return bool(item and item.stop_tag.isVisible() and item.stop_tag.lines)

    def area_label_lines(self, site: str, area: str) -> list[str]:
        item = self._areas.get((site, area))
        return list(item.name_tag.lines) if item else []

    def detector_item(self, device: str) -> QGraphicsItem | None:
        return self._pins.get(device)

    def worker_item(self, worker: str) -> QGraphicsItem | None:
        return self._workers.get(worker)

    def is_blinking(self) -> bool:
        return self._blink.isActive()

    # ---- navigation ------------------------------------------------------------------------
    def zoom_by(self, factor: float) -> None:
        self._auto_fit = False
        self._focus = None
        current = self.transform().m11()
        target = min(MAX_SCALE, max(MIN_SCALE, current * factor))
        if current > 0:
            self.scale(target / current, target / current)
        self._labels_dirty = True
        self.place_labels()

    def zoom_level(self) -> float:
        return self.transform().m11()

    def fit_all(self) -> None:
        """Show the whole plan (and keep it fitted when the view is resized)."""
        self._auto_fit = True
        self._focus = None
        self._fit()

    def focus_area(self, site: str, area: str) -> bool:
        """Fit an area with a margin on every side (kept so on resizes); False when it is not on the plan."""
        item = self._areas.get((site, area))
        if item is None:
            return False
        self._auto_fit = False
        rect = item.polygon().boundingRect()
        # A margin of a third of the area's larger side, and room for the labels above and below it.
        pad = max(rect.width(), rect.height(), 1.0) / 3
        self._focus = rect.adjusted(-pad, -pad, pad, pad)
        self._fit()
        return True

    def focused_rect(self) -> QRectF | None:
        """The plan rectangle (scene units) a locate keeps in view, or None."""
        return QRectF(self._focus) if self._focus is not None else None

    def _fit(self) -> None:
        target = self._plan.rect() if self._auto_fit or self._focus is None else self._focus
        self.fitInView(target, Qt.AspectRatioMode.KeepAspectRatio)
        self.centerOn(target.center())
        self._labels_dirty = True
        self.place_labels()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._auto_fit or self._focus is not None:
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._auto_fit or self._focus is not None:
            self._fit()

    # ---- labels away from the pins -----------------------------------------------------------
    def place_labels(self) -> None:
        """Hang each area's label where no detector or inspection mark covers it: inside at the top, the
        bottom, the middle, else just outside the area above or below it (the least covered of these when
        all are)."""
        if not self._labels_dirty or not self.isVisible():
            return
        self._labels_dirty = False
        marks = [self.item_rect_in_view(p) for p in (*self._pins.values(), *self._equipment.values())]
        for item in self._areas.values():
            width, height = item.tag_stack()
            best, best_overlap = item.placement, float("inf")
            for placement in PLACEMENTS:
                point, top = item.anchor(placement)
                at = self.mapFromScene(point)
                rect = QRectF(at.x() - width / 2, at.y() + top, width, height)
                overlap = sum(_overlap(rect, m) for m in marks)
                if overlap < best_overlap - 1e-6:
                    best, best_overlap = placement, overlap
                if overlap == 0:
                    break
            if best != item.placement:
                item.place_tags(best)

    def item_rect_in_view(self, item: QGraphicsItem) -> QRectF:
        """An item's rectangle in viewport pixels (pins and labels ignore the zoom)."""
        # The item's position, not ``scenePos()``: that would apply the tag's own pixel offset in
        # scene units.
        parent = item.parentItem()
        at = self.mapFromScene(parent.mapToScene(item.pos()) if parent is not None else item.pos())
        box = item.boundingRect()
        offset = item.transform().dy() if isinstance(item, _TagItem) else 0.0
        return box.translated(at.x(), at.y() + offset)

    def area_label_rects(self, site: str, area: str) -> list[QRectF]:
        """The area's name label (and STOPPED plate when shown) in viewport pixels."""
        item = self._areas.get((site, area))
        if item is None:
            return []
        tags = [item.name_tag] + ([item.stop_tag] if item.stop_tag.isVisible() else [])
        return [self.item_rect_in_view(t) for t in tags]

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit_all()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        pos = event.position().toPoint()
        moved = (pos - self._press).manhattanLength()
        self._press = None
        if moved > QApplication.startDragDistance():
            self._auto_fit = False
            self._focus = None
            return  # it was a pan
        key = self.area_at(pos)
        if key is not None:
            self.area_selected.emit(*key)

    def area_at(self, view_pos: QPoint) -> tuple[str, str] | None:
        """The area under a viewport position (topmost), or None."""
        scene_pos = self.mapToScene(view_pos)
        for key, item in self._areas.items():
            if item.polygon().containsPoint(scene_pos, Qt.FillRule.OddEvenFill):
                return key
        return None

    # ---- blinking ----------------------------------------------------------------------------
    def _update_blink_timer(self) -> None:
        alarming = any(item.shape_data.alarm_priority for item in self._areas.values())
        if alarming and not self._blink.isActive():
            self._blink.start()
        elif not alarming and self._blink.isActive():
            self._blink.stop()
            self._blink_on = True

    def _toggle_blink(self) -> None:
        self._blink_on = not self._blink_on
        for item in self._areas.values():
            if item.shape_data.alarm_priority:
                item.blink_on = self._blink_on
                item.restyle()
