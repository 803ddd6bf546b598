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

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
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
    QWidget,
)

from widgets import theme
from widgets.site_map_items import (
    PLACEMENTS,
    AreaItem,
    AreaShape,
    DetectorPin,
    EquipmentItem,
    EquipmentMark,
    PinItem,
    TagItem,
    WorkerItem,
    WorkerMark,
    cosmetic,
    overlap_area,
    paint_equipment,
    paint_pin,
    paint_worker,
)

ZOOM_STEP = 1.25
MIN_SCALE = 0.05
MAX_SCALE = 400.0

# The records screens hand the map live in site_map_items.py; they are importable from here too.
__all__ = [
    "AreaShape",
    "DetectorPin",
    "EquipmentMark",
    "SiteMap",
    "WorkerMark",
    "paint_equipment",
    "paint_pin",
    "paint_worker",
]


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
        self._areas: dict[tuple[str, str], AreaItem] = {}
        self._pins: dict[str, PinItem] = {}
        self._workers: dict[str, WorkerItem] = {}
        self._equipment: dict[str, EquipmentItem] = {}
        self._plan = QGraphicsRectItem()
        self._plan.setBrush(theme.color("panel"))
        self._plan.setPen(cosmetic(theme.PALETTE.border, 1))
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
                item = AreaItem(shape)
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
                item = PinItem(pin)
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
                item = WorkerItem(mark)
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
                item = EquipmentItem(mark)
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
                overlap = sum(overlap_area(rect, m) for m in marks)
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
        offset = item.transform().dy() if isinstance(item, TagItem) else 0.0
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
