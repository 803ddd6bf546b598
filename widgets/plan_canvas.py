"""The plan editor's canvas: a plan image in its own pixels, the areas' outlines, and points clicked on it.

Knows nothing of the database: it is handed the image, its size in the plan's pixels (the drawn image
may be scaled down) and the polygons in those pixels; a click on the image emits ``clicked(x, y)`` in
plan pixels, y down. The draft (the points of the polygon being drawn, or the two points of a
measurement) is drawn as a line with a dot at every point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from widgets import theme

Point = tuple[float, float]
_DRAG_PX = 4  # a press moved further than this is a pan, not a click


def _pen(color: QColor | str, width: float) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCosmetic(True)
    return pen


class PlanCanvas(QGraphicsView):
    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(theme.color("window"))
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._size = (0.0, 0.0)
        self._sheet = QGraphicsRectItem()
        self._sheet.setBrush(theme.color("panel"))
        self._sheet.setPen(_pen(theme.PALETTE.border, 1))
        self._scene.addItem(self._sheet)
        self._image: QGraphicsPixmapItem | None = None
        self._shapes: list[QGraphicsItem] = []
        self._draft = QGraphicsPathItem()
        self._draft.setPen(_pen(theme.PALETTE.alarm_p4, 2))
        self._draft.setZValue(5)
        self._scene.addItem(self._draft)
        self._dots: list[QGraphicsEllipseItem] = []
        self._press: QPoint | None = None
        self.draft_points: list[Point] = []
        self.draft_closed = False

    # ---- content ---------------------------------------------------------------------------
    def set_image(self, image: QImage | None, width_px: float, height_px: float) -> None:
        """The plan, ``width_px`` × ``height_px`` in the plan's pixels; no image: an empty sheet."""
        if self._image is not None:
            self._scene.removeItem(self._image)
            self._image = None
        self._size = (width_px, height_px)
        self._sheet.setRect(QRectF(0, 0, width_px, height_px))
        if image is not None and not image.isNull():
            self._image = QGraphicsPixmapItem(QPixmap.fromImage(image))
            self._image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self._image.setTransform(
                QTransform.fromScale(width_px / image.width(), height_px / image.height())
            )
            self._image.setZValue(1)
            self._scene.addItem(self._image)
        margin = max(width_px, height_px, 1.0) * 0.05
        self._scene.setSceneRect(QRectF(-margin, -margin, width_px + 2 * margin, height_px + 2 * margin))
        self.fit()

    def has_image(self) -> bool:
        return self._image is not None

    def set_polygons(self, polygons: Mapping[str, tuple[str, Sequence[Point]]], selected: str | None) -> None:
        """The areas' outlines: key → (label, points in plan pixels); the selected one drawn stronger."""
        for item in self._shapes:
            self._scene.removeItem(item)
        self._shapes = []
        for key, (label, points) in polygons.items():
            if len(points) < 3:
                continue
            mine = key == selected
            shape = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in points]))
            fill = theme.color("selection")
            fill.setAlpha(110 if mine else 60)
            shape.setBrush(QBrush(fill))
            shape.setPen(
                _pen(theme.PALETTE.process if mine else theme.PALETTE.process_alt, 3 if mine else 1.5)
            )
            shape.setZValue(3)
            self._scene.addItem(shape)
            text = QGraphicsSimpleTextItem(label)
            text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            text.setBrush(theme.color("text"))
            text.setFont(theme.scaled_font(13, bold=True))
            text.setPos(shape.polygon().boundingRect().center())
            box = text.boundingRect()  # centred on the area (its own pixels: it ignores the zoom)
            text.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))
            text.setZValue(4)
            self._scene.addItem(text)
            self._shapes += [shape, text]

    def set_draft(self, points: Sequence[Point], *, closed: bool = False) -> None:
        """The points being clicked (a polygon in the making, or a measurement's two points)."""
        self.draft_points, self.draft_closed = list(points), closed
        path = QPainterPath()
        for i, (x, y) in enumerate(points):
            if i == 0:
                path.moveTo(x, y)
            else:
                path.lineTo(x, y)
        if closed and len(points) >= 3:
            path.closeSubpath()
        self._draft.setPath(path)
        for dot in self._dots:
            self._scene.removeItem(dot)
        self._dots = []
        for x, y in points:
            dot = QGraphicsEllipseItem(-5, -5, 10, 10)
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            dot.setPos(x, y)
            dot.setBrush(theme.color("alarm_p4"))
            dot.setPen(_pen(theme.PALETTE.text, 1))
            dot.setZValue(6)
            self._scene.addItem(dot)
            self._dots.append(dot)

    def view_point(self, x: float, y: float) -> QPoint:
        """Where the plan pixel (x, y) is on the viewport (tests click there)."""
        return self.mapFromScene(QPointF(x, y))

    def fit(self) -> None:
        w, h = self._size
        if w > 0 and h > 0:
            self.fitInView(QRectF(0, 0, w, h), Qt.AspectRatioMode.KeepAspectRatio)

    # ---- input -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - press).manhattanLength() > _DRAG_PX:
            return  # a pan
        p = self.mapToScene(press)
        w, h = self._size
        if 0 <= p.x() <= w and 0 <= p.y() <= h:
            self.clicked.emit(round(p.x(), 1), round(p.y(), 1))

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.scale(factor, factor)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.fit()
