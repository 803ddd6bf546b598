"""Small marks that tell a state by shape, word and colour together.

``PriorityBadge`` draws an alarm priority as a shape with its number (1 red
diamond, 2 amber triangle, 3 yellow square, 4 cyan circle), ``StateBadge``
writes a text state (STALE, OFFLINE, STOPPED …) and ``DemoMark`` keeps the word
DEMO in a corner of any screen that shows simulated data.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

_PRIORITY_TEXT = {
    1: QT_TRANSLATE_NOOP("PriorityBadge", "Priority 1 – critical"),
    2: QT_TRANSLATE_NOOP("PriorityBadge", "Priority 2 – high"),
    3: QT_TRANSLATE_NOOP("PriorityBadge", "Priority 3 – medium"),
    4: QT_TRANSLATE_NOOP("PriorityBadge", "Priority 4 – low"),
}


_NO_PRIORITY = QT_TRANSLATE_NOOP("PriorityBadge", "No priority")


def priority_label(priority: int) -> str:
    """Readable name of a priority, for tooltips and screen readers."""
    return theme.translated("PriorityBadge", _PRIORITY_TEXT.get(priority, _NO_PRIORITY))


def shape_polygon(shape: str, rect: QRectF) -> QPolygonF:
    """Outline of a priority shape inscribed in ``rect`` (circles are handled by the caller)."""
    c = rect.center()
    left, t, r, b = rect.left(), rect.top(), rect.right(), rect.bottom()
    if shape == "diamond":
        return QPolygonF([QPointF(c.x(), t), QPointF(r, c.y()), QPointF(c.x(), b), QPointF(left, c.y())])
    if shape == "triangle":
        return QPolygonF([QPointF(c.x(), t), QPointF(r, b), QPointF(left, b)])
    return QPolygonF([QPointF(left, t), QPointF(r, t), QPointF(r, b), QPointF(left, b)])


def draw_priority_shape(painter: QPainter, rect: QRectF, priority: int, *, text: str | None = None) -> None:
    """Paint priority ``priority`` as its shape, colour and number inside ``rect``.

    Shared by the badge, the alarm table and the site map so the mark is the
    same everywhere. ``text`` replaces the number (e.g. a count) when given.
    """
    shape = theme.PRIORITY_SHAPES.get(priority, "circle")
    fill = theme.priority_color(priority)
    side = min(rect.width(), rect.height())
    box = QRectF(0, 0, side, side)
    box.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    outline = QPen(QColor(theme.PALETTE.text), max(1.0, side / 16))
    outline.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(outline)
    painter.setBrush(QBrush(fill))
    inset = outline.widthF() / 2
    inner = box.adjusted(inset, inset, -inset, -inset)
    if shape == "circle":
        painter.drawEllipse(inner)
    else:
        painter.drawPolygon(shape_polygon(shape, inner))
    label = str(priority) if text is None else text
    font = _bold_font(painter, side * (0.42 if shape == "triangle" else 0.5))
    painter.setFont(font)
    painter.setPen(theme.priority_text_color(priority))
    text_rect = QRectF(inner)
    if shape == "triangle":  # the triangle's visual centre sits low
        text_rect.setTop(inner.top() + inner.height() * 0.3)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def _bold_font(painter: QPainter, pixel_height: float) -> QFont:
    """A bold copy of the painter's font sized to the shape it is written in (derived, not fixed)."""
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(max(6, round(pixel_height)))
    return font


class PriorityBadge(QWidget):
    """An alarm priority as shape + colour + number; empty (nothing drawn) for no priority."""

    def __init__(self, priority: int | None = None, *, size_pt: float = 14.0, parent: QWidget | None = None):
        super().__init__(parent)
        self._priority: int | None = None
        self._size_pt = size_pt
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_priority(priority)

    def priority(self) -> int | None:
        return self._priority

    def shape(self) -> str:
        """The shape drawn ("diamond", "triangle", "square", "circle"; "" when none)."""
        return theme.PRIORITY_SHAPES.get(self._priority, "") if self._priority else ""

    def text(self) -> str:
        """The number written in the shape."""
        return str(self._priority) if self._priority else ""

    def set_priority(self, priority: int | None) -> None:
        if priority is not None and priority not in (1, 2, 3, 4):
            raise ValueError(f"alarm priority must be 1..4, got {priority!r}")
        self._priority = priority
        theme.set_state_property(self, "alarmPriority", priority)
        label = priority_label(priority) if priority else self.tr("No alarm")
        self.setToolTip(label)
        self.setAccessibleName(label)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        font = theme.scaled_font(self._size_pt, bold=True, base=self.font())
        side = round(QFontMetrics(font).height() * 1.5)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._priority:
            return
        painter = QPainter(self)
        draw_priority_shape(painter, QRectF(self.rect()).adjusted(1, 1, -1, -1), self._priority)
        painter.end()


_STATE_TEXT: dict[str, str] = {
    "ok": QT_TRANSLATE_NOOP("StateBadge", "OK"),
    "stale": QT_TRANSLATE_NOOP("StateBadge", "STALE"),
    "offline": QT_TRANSLATE_NOOP("StateBadge", "OFFLINE"),
    "fault": QT_TRANSLATE_NOOP("StateBadge", "FAULT"),
    "stopped": QT_TRANSLATE_NOOP("StateBadge", "STOPPED"),
    "running": QT_TRANSLATE_NOOP("StateBadge", "WORKING"),
    "demo": QT_TRANSLATE_NOOP("StateBadge", "DEMO"),
    "unack": QT_TRANSLATE_NOOP("StateBadge", "UNACK"),
    "acked": QT_TRANSLATE_NOOP("StateBadge", "ACKED"),
    "rtn": QT_TRANSLATE_NOOP("StateBadge", "RTN"),
    "shelved": QT_TRANSLATE_NOOP("StateBadge", "SHELVED"),
    "oos": QT_TRANSLATE_NOOP("StateBadge", "OOS"),
    "hihi": QT_TRANSLATE_NOOP("StateBadge", "HIHI"),
    "hi": QT_TRANSLATE_NOOP("StateBadge", "HI"),
    "lo": QT_TRANSLATE_NOOP("StateBadge", "LO"),
    "lolo": QT_TRANSLATE_NOOP("StateBadge", "LOLO"),
}


def state_text(state: str) -> str:
    """The translated word for a known state key; unknown states are shown upper-cased as given."""
    key = state.lower()
    if key in _STATE_TEXT:
        return theme.translated("StateBadge", _STATE_TEXT[key])
    return state.upper()


class StateBadge(QLabel):
    """A state written as a word on a coloured plate (colours from cockpit.qss by ``badgeState``).

    Hidden when the state is ``None`` so a normal value shows no badge at all.
    """

    def __init__(self, state: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._state: str | None = None
        self._applied = False
        self.set_state(state)

    def state(self) -> str | None:
        return self._state

    def set_state(self, state: str | None) -> None:
        key = state.lower() if state else None
        text = state_text(state) if state else ""
        if self._applied and key == self._state and text == self.text():
            return  # as shown (re-polishing and re-showing it cost a layout pass each time)
        self._applied = True
        self._state = key
        theme.set_state_property(self, "badgeState", self._state)
        theme.set_state_property(self, "stale", self._state == "stale")
        self.setText(state_text(state) if state else "")
        self.setVisible(bool(state))


class DemoMark(QLabel):
    """A "DEMO" label pinned to the top-right corner of its parent, above everything.

    It follows the parent's resizes and lets mouse clicks through, so it can sit
    on any screen without disturbing the layout.
    """

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setText(self.tr("DEMO"))
        self.setToolTip(self.tr("Simulated data: not the plant"))
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        parent.installEventFilter(self)
        self.adjustSize()
        self._place()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:  # "DEMO" / "演示" follows the language switch
            self.setText(self.tr("DEMO"))
            self.setToolTip(self.tr("Simulated data: not the plant"))
            self.adjustSize()
            self._place()
        super().changeEvent(event)

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.adjustSize()
        margin = max(2, self.fontMetrics().height() // 3)
        self.move(parent.width() - self.width() - margin, margin)
        self.raise_()
