"""One top-level window of the cockpit (``ViewWindow``): views as tabs, the tab bar's menu (move a view
to another screen, full screen, back to the main window), the DEMO mark's room, and the placeholder a
view's tab holds until the view is built. ``CockpitWindows`` (views/main_window.py) owns them all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

from views.view_context import view_title
from widgets.badges import DemoMark

if TYPE_CHECKING:
    from views.main_window import CockpitWindows

log = logging.getLogger(__name__)


class ViewPlaceholder(QWidget):
    """Holds a view's tab until the view is built; asks for it at once when it comes on screen."""

    def __init__(self, owner: CockpitWindows, key: str) -> None:
        super().__init__()
        self.owner = owner
        self.key = key
        self.error: str | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setProperty("role", "heading")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        if self.error is None:
            self.label.setText(QCoreApplication.translate("Views", "Loading…"))
        else:
            self.label.setText(
                QCoreApplication.translate("Views", "This view could not be built: %1").replace(
                    "%1", self.error
                )
            )

    def failed(self, error: str) -> None:
        """Say in the tab that the view could not be built (the log has the details)."""
        self.error = error
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.owner.build_soon(self.key)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _MarkRoom(QWidget):
    """Room at the right end of the tab bar as wide as the DEMO mark drawn over that corner."""

    def __init__(self, mark: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self._mark = mark
        mark.installEventFilter(self)

    def sizeHint(self) -> QSize:
        return QSize(self._mark.width() + self._mark.fontMetrics().height(), 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._mark and event.type() == QEvent.Type.Resize:
            self.updateGeometry()
        return False


class ViewWindow(QMainWindow):
    """One top-level window with views as tabs."""

    def __init__(self, owner: CockpitWindows, index: int) -> None:
        super().__init__()
        self.owner = owner
        self.index = index
        self.tabs = QTabWidget()
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tabs.tabBar().customContextMenuRequested.connect(self._tab_menu)
        self.setCentralWidget(self.tabs)
        if owner.demo:
            self.demo_mark = DemoMark(self)
            # the tab bar ends before the mark: with many tabs (English) it hid the last ones and the
            # bar's scroll arrows under it
            self.tabs.setCornerWidget(_MarkRoom(self.demo_mark, self.tabs), Qt.Corner.TopRightCorner)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def view_keys(self) -> list[str]:
        return [str(self._page(i).property("viewKey")) for i in range(self.tabs.count())]

    def _page(self, index: int) -> QWidget:
        page = self.tabs.widget(index)
        assert page is not None  # index < count()
        return page

    def current_key(self) -> str:
        w = self.tabs.currentWidget()
        return str(w.property("viewKey")) if w is not None else ""

    def add_view(self, key: str, widget: QWidget) -> None:
        widget.setProperty("viewKey", key)
        self.tabs.addTab(widget, view_title(key))

    def show_view(self, key: str) -> bool:
        for i in range(self.tabs.count()):
            if self._page(i).property("viewKey") == key:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    def replace_page(self, old: QWidget, new: QWidget) -> None:
        """Put ``new`` where ``old`` is (same place, same title; current if ``old`` was)."""
        index = self.tabs.indexOf(old)
        if index < 0:
            return
        new.setProperty("viewKey", old.property("viewKey"))
        current = self.tabs.currentIndex() == index
        self.tabs.insertTab(index, new, self.tabs.tabText(index))
        if current:
            self.tabs.setCurrentIndex(index)
        self.tabs.removeTab(index + 1)

    def retranslate(self) -> None:
        for i in range(self.tabs.count()):
            self.tabs.setTabText(i, view_title(str(self._page(i).property("viewKey"))))
        self.setWindowTitle(self.owner.window_title())

    def _tab_menu(self, pos: Any) -> None:
        index = self.tabs.tabBar().tabAt(pos)
        if index < 0:
            return
        key = str(self._page(index).property("viewKey"))
        menu = QMenu(self)
        for screen_index, screen in enumerate(QGuiApplication.screens()):
            action = menu.addAction(
                self.tr("Move to screen %1 (%2)")
                .replace("%1", str(screen_index + 1))
                .replace("%2", screen.name())
            )
            action.triggered.connect(lambda _=False, s=screen, k=key: self.owner.move_view(k, s))
        menu.addSeparator()

        def tear_off() -> None:
            self.owner.move_view(key, self.screen(), new_window=True)

        menu.addAction(self.tr("Tear off into a window"), tear_off)
        self._menu = menu  # popup(), not exec(): no nested event loop under qasync
        menu.popup(self.tabs.tabBar().mapToGlobal(pos))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.owner.closing or self.index == 0:
            self.owner.request_quit()
            event.accept()
            return
        # A secondary window's views go back to the main window rather than disappear.
        self.owner.merge_into_main(self)
        event.accept()
