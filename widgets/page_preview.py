"""Pages of a document as images, to read on screen: fit to the width by default, zoom, page to page.

The shift handover's preview showed its pages at their rendered size, about 500 px wide on a 1920 px
screen, with no zoom: nobody could read it. Here the pages are rendered at ``dpi`` (sharp enough to
read at full width) and shown fitted to the view's width until the reader zooms (the buttons, Ctrl+wheel,
Ctrl+plus/minus); "Fit width" goes back. The widget knows nothing of reports: it is handed image files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets import theme

ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.1, 4.0
SCREEN_DPI = 96.0  # "100 %" is the paper's own size on a screen of this density
MARGIN = 12  # px around and between the pages


class PagePreview(QWidget):
    """A column of page images in a scroll area, with zoom and page navigation."""

    zoom_changed = Signal(float)  # the scale: displayed pixels per image pixel
    page_changed = Signal(int)  # the page at the top of the view (0-based)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: list[QPixmap] = []
        self._dpi = SCREEN_DPI
        self._scale = 1.0
        self._fit = True
        self._page = 0
        self.zoom_out_button, self.zoom_in_button = QToolButton(), QToolButton()
        self.fit_button = QToolButton()
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.previous_button, self.next_button = QToolButton(), QToolButton()
        self.zoom_label, self.page_label = QLabel(), QLabel()
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.fit_button.clicked.connect(lambda _checked=False: self.fit_width())
        self.previous_button.clicked.connect(lambda: self.go_to(self._page - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self._page + 1))
        bar = QHBoxLayout()
        for w in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(w)
        self.pages = QWidget()
        self.pages.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.pages_layout.setSpacing(MARGIN)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.scroll_area.viewport().installEventFilter(self)
        self.scroll_area.verticalScrollBar().valueChanged.connect(lambda _v: self._follow_scroll())
        # Shown in place of the pages while there are none: a blank pane reads as "broken" or "loading".
        self.placeholder = QLabel()
        self.placeholder.setObjectName("previewPlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setFont(theme.scaled_font(13, bold=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.scroll_area, 1)
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()
        self._update_controls()

    # ------------------------------------------------------------ texts

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.zoom_in_button.setText("+")
        self.zoom_out_button.setText("−")
        self.zoom_in_button.setToolTip(self.tr("Zoom in (Ctrl+wheel)"))
        self.zoom_out_button.setToolTip(self.tr("Zoom out (Ctrl+wheel)"))
        self.fit_button.setText(self.tr("Fit width"))
        self.previous_button.setText(self.tr("Previous page"))
        self.next_button.setText(self.tr("Next page"))
        self._update_controls()

    # ------------------------------------------------------------ pages

    def set_pages(self, images: Sequence[Path | str], dpi: float) -> None:
        """Show these page images (rendered at ``dpi``), fitted to the width, from the first page."""
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._pixmaps = [QPixmap(str(p)) for p in images]
        self._dpi = dpi
        for _ in self._pixmaps:
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setObjectName("previewPage")
            self.pages_layout.addWidget(label)
        self._page = 0
        self._fit = True
        self._apply()
        self.scroll_area.verticalScrollBar().setValue(0)
        self._show_placeholder()

    def set_placeholder(self, text: str) -> None:
        """What the pane says while it has no pages (the owner words it, in the screen's language)."""
        self.placeholder.setText(text)
        self._show_placeholder()

    def _show_placeholder(self) -> None:
        empty = not self._pixmaps
        self.placeholder.setVisible(empty and bool(self.placeholder.text()))
        self.scroll_area.setVisible(not (empty and self.placeholder.text()))

    def page_count(self) -> int:
        return len(self._pixmaps)

    def page_labels(self) -> list[QLabel]:
        labels = []
        for i in range(self.pages_layout.count()):
            item = self.pages_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                labels.append(widget)
        return labels

    def current_page(self) -> int:
        return self._page

    def scale(self) -> float:
        return self._scale

    def is_fitted(self) -> bool:
        return self._fit

    def go_to(self, page: int) -> None:
        """Scroll so that page ``page`` (0-based) starts at the top of the view."""
        labels = self.page_labels()
        if not labels:
            return
        page = max(0, min(page, len(labels) - 1))
        self.pages_layout.activate()
        self.scroll_area.verticalScrollBar().setValue(max(0, labels[page].y() - MARGIN))
        self._set_page(page)

    # ------------------------------------------------------------ zoom

    def zoom_in(self) -> None:
        self.set_scale(self._scale * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_scale(self._scale / ZOOM_STEP)

    def set_scale(self, scale: float) -> None:
        self._fit = False
        self._scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        self._apply()

    def fit_width(self) -> None:
        self._fit = True
        self._apply()

    def _fit_scale(self) -> float:
        widest = max((p.width() for p in self._pixmaps), default=0)
        if widest <= 0:
            return 1.0
        room = self.scroll_area.viewport().width() - 2 * MARGIN
        bar = self.scroll_area.verticalScrollBar()
        if not bar.isVisible():  # the scroll bar will appear once the pages are tall: leave it room
            room -= bar.sizeHint().width()
        return max(room, 50) / widest

    def _apply(self) -> None:
        if self._fit:
            self._scale = min(max(self._fit_scale(), MIN_SCALE), MAX_SCALE)
        page = self._page
        for label, pixmap in zip(self.page_labels(), self._pixmaps, strict=False):
            if pixmap.isNull():
                continue
            width = max(1, round(pixmap.width() * self._scale))
            label.setPixmap(pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))
            label.setFixedSize(label.pixmap().size())
        self.pages.adjustSize()
        self._update_controls()
        self.zoom_changed.emit(self._scale)
        if page:
            self.go_to(page)

    def _update_controls(self) -> None:
        count = len(self._pixmaps)
        self.fit_button.setChecked(self._fit)
        percent = round(self._scale * SCREEN_DPI / self._dpi * 100) if self._dpi else 100
        self.zoom_label.setText(f"{percent} %")
        self.page_label.setText(
            self.tr("Page %1 of %2")
            .replace("%1", str(self._page + 1 if count else 0))
            .replace("%2", str(count))
        )
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < count - 1)
        for b in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            b.setEnabled(count > 0)

    def _set_page(self, page: int) -> None:
        if page != self._page:
            self._page = page
            self._update_controls()
            self.page_changed.emit(page)

    def _follow_scroll(self) -> None:
        top = self.scroll_area.verticalScrollBar().value() + self.scroll_area.viewport().height() // 3
        page = 0
        for i, label in enumerate(self.page_labels()):
            if label.y() <= top:
                page = i
        self._set_page(page)

    # ------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport():
            if event.type() == QEvent.Type.Wheel:
                wheel = event
                assert isinstance(wheel, QWheelEvent)
                if wheel.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    delta = wheel.angleDelta().y()
                    if delta > 0:
                        self.zoom_in()
                    elif delta < 0:
                        self.zoom_out()
                    return True
            elif event.type() == QEvent.Type.Resize and self._fit:
                self._apply()
        return super().eventFilter(watched, event)
