"""The cockpit's windows: views as tabs, any tab torn off onto any screen, the layout saved per console.

``CockpitWindows`` owns every top-level window. Each window (``ViewWindow``) holds views in
tabs; a view can move to another screen (its own window there), go full screen, or come
back. The "incident" layout (Ctrl+I, or Locate on an alarm) turns every screen to the
alarm's area in one step. Keyboard: F5 acknowledge, F6 silence, F7 locate, F9 stop work
(on the newest unacknowledged alarm), F11 full screen, Ctrl+I incident, Ctrl+L language, Ctrl+= and
Ctrl+- this console's scale (100-200 %, saved with the layout), Ctrl+0 back to 100 %.

Only the overview is built before the windows first paint: building all ten views (and the
trend panes) took seconds before anything showed. Every other view sits in its tab as a
placeholder and is built right after, one per event-loop turn (views on screen first), or at
once when someone goes to it (``view(key)``, a tab click, the incident layout). The services only
those views use come with them: the first turn after the paint builds them (``ViewContext.complete``),
and so does the first view asked for before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from cockpit.config import user_config_dir
from cockpit.core_state import CoreDelta
from cockpit.gui_thread import GuiThreadCollector
from connectors.mqtt import LinkState
from views.duty_words import duty_warning
from views.i18n import LANGUAGES, Language, link_reason_text, link_status_word
from views.layout import (
    SCALE_MAX,
    SCALE_MIN,
    Layout,
    WindowLayout,
    clamp_scale,
    default_layout,
    fit_to_screens,
    layout_path,
    load_layout,
    save_layout,
)
from views.place_names import PlaceNames
from views.view_context import VIEW_COUNTS, VIEW_TITLES, ViewContext, ViewFactory, view_title
from views.view_window import ViewPlaceholder, ViewWindow
from widgets import theme

log = logging.getLogger(__name__)

# What a view is built with and its window live in views/view_context.py and views/view_window.py.
__all__ = [
    "VIEW_COUNTS",
    "VIEW_TITLES",
    "CockpitWindows",
    "ViewContext",
    "ViewFactory",
    "ViewPlaceholder",
    "ViewWindow",
    "view_title",
]


class CockpitWindows(QObject):
    """All windows of the cockpit, their layout, the language and the global keys."""

    quit_requested = Signal()
    view_built = Signal(str, QObject)  # (key, view): a deferred view now exists
    all_built = Signal()  # the last deferred view now exists

    def __init__(self, ctx: ViewContext, factories: dict[str, ViewFactory], language: Language) -> None:
        super().__init__()
        self.ctx = ctx
        self.factories = factories
        self.language = language
        self.demo = ctx.demo
        self.closing = False
        self._link: LinkState | None = None  # as last shown in the status bars
        self._db_waiting = 0  # records the core keeps for the database while it is unreachable (shown too)
        self._duty_warning = ""  # no one runs the plant's duties (views/duty_words.py), shown too
        self._duty_timer = QTimer(self)  # health changes without a delta: looked at every 2 s as well
        self._duty_timer.setInterval(2000)
        self._duty_timer.timeout.connect(lambda: self._on_delta(CoreDelta()))
        self._duty_timer.start()
        self.windows: list[ViewWindow] = []
        self.views: dict[str, QWidget] = {}  # the views built so far (see ``view``)
        self._pages: dict[str, QWidget] = {}  # what stands in each view's tab: the view or its placeholder
        self._queue: list[str] = []  # views still to build after the first paint, in order
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_next)
        self._building = False  # the deferred building starts after the first view's first paint
        self._completing = False  # the context's deferred services were asked for by the building
        self._start_fallback = QTimer(self)
        self._start_fallback.setSingleShot(True)
        self._start_fallback.setInterval(2000)  # should that paint never come (a minimised window)
        self._start_fallback.timeout.connect(self._start_building)
        self.status = QLabel()
        ctx.bridge.changed.connect(self._on_delta)
        first = "overview" if "overview" in factories else next(iter(factories), None)
        self._first = first
        for key in factories:
            if key == first:
                self.view(key)
            else:
                self._pages[key] = ViewPlaceholder(self, key)
                self._queue.append(key)
        self.layout_file = layout_path(user_config_dir(), ctx.core.console, ctx.config.ui.layout_file)

    # --- building views ---------------------------------------------------------------------------------

    def view(self, key: str) -> QWidget:
        """The view ``key``, built now if it was not yet (it replaces its placeholder in its tab)."""
        built = self.views.get(key)
        if built is not None:
            return built
        try:
            if key != "overview":  # built with what build_context gives at once; the others need the rest
                self.ctx.complete()
            widget = self.factories[key](self.ctx)
        except Exception:
            log.exception("the %s view could not be built", key)
            raise
        self.views[key] = widget
        if key in self._queue:
            self._queue.remove(key)
        placeholder = self._pages.get(key)
        self._pages[key] = widget
        if placeholder is not None:
            for window in self.windows:
                window.replace_page(placeholder, widget)
            placeholder.deleteLater()
        self.view_built.emit(key, widget)
        return widget

    def when_built(self, key: str, callback: Callable[[QWidget], None]) -> None:
        """Call ``callback(view)`` once view ``key`` exists: now if it does, else when it is built."""
        if key in self.views:
            callback(self.views[key])
            return

        def built(k: str, widget: QObject) -> None:
            if k == key:
                self.view_built.disconnect(built)
                callback(widget)  # type: ignore[arg-type]

        self.view_built.connect(built)

    def build_all(self) -> None:
        """Build every view that is still waiting (what the deferred building does, at once)."""
        for key in list(self._queue):
            self._try_build(key)

    def _try_build(self, key: str) -> None:
        try:
            self.view(key)
        except Exception as exc:  # logged by view(); the other views are still built
            if key in self._queue:
                self._queue.remove(key)
            placeholder = self._pages.get(key)
            if isinstance(placeholder, ViewPlaceholder):
                placeholder.failed(f"{type(exc).__name__}: {exc}")

    def pending(self) -> list[str]:
        """Views not built yet."""
        return list(self._queue)

    def build_soon(self, key: str) -> None:
        """Build ``key`` on the next event-loop turn, before the other waiting views (it is on screen)."""
        if key in self._queue:
            self._queue.remove(key)
            self._queue.insert(0, key)
            if self._building:
                self._build_timer.start()

    def _wait_for_first_paint(self) -> None:
        first = self.views.get(self._first) if self._first else None
        if first is None or not first.isVisible():
            self._start_building()
            return
        first.installEventFilter(self)
        self._start_fallback.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Painted (or put away before it could be, e.g. another tab chosen): the rest may come now.
        kind = event.type()
        if kind in (QEvent.Type.Paint, QEvent.Type.Hide) and watched is self.views.get(self._first or ""):
            watched.removeEventFilter(self)
            # A zero timer fires after this paint has reached the screen, not before.
            QTimer.singleShot(0, self._start_building)
        return False

    def _start_building(self) -> None:
        self._start_fallback.stop()
        collector = GuiThreadCollector.of_application()
        if collector is not None:
            collector.release()
        first = self.views.get(self._first or "")
        if first is not None:
            first.removeEventFilter(self)
        self._building = True
        if self._queue:
            self._build_timer.start()

    def _build_next(self) -> None:
        # One step per turn: paints, deltas and input run between two. First the services the overview
        # did not need, then one view a turn.
        if self.ctx.later is not None and not self._completing:
            self._completing = True  # tried once here; should it fail, each view tries again and says why
            try:
                self.ctx.complete()
            except Exception:
                log.exception("the services of the views could not be built")
        elif self._queue:
            self._try_build(self._queue[0])
            if not self._queue:
                self.all_built.emit()
        if self._queue:
            self._build_timer.start()

    # --- layout -----------------------------------------------------------------------------------------

    def screen_names(self) -> list[str]:
        return [s.name() for s in QGuiApplication.screens()]

    def restore(self) -> None:
        screens = self.screen_names()
        layout = load_layout(self.layout_file, set(self.factories))
        if layout is None:
            layout = default_layout(list(self.factories), screens)
        if layout.scale is not None:
            self.set_scale(layout.scale, announce=False)
        self.apply(fit_to_screens(layout, screens))
        # Views on screen first, then the hidden tabs: all of it after the windows' first paint.
        shown = {w.current_key() for w in self.windows}
        self._queue.sort(key=lambda k: k not in shown)
        if not self._building:
            collector = GuiThreadCollector.of_application()
            if collector is not None:  # its collection of what the start left can wait for the paint
                collector.hold()
            self._wait_for_first_paint()

    def apply(self, layout: Layout) -> None:
        for window in self.windows:
            for i in reversed(range(window.tabs.count())):
                window.tabs.removeTab(i)
        screens = QGuiApplication.screens()
        while len(self.windows) < len(layout.windows):
            self.windows.append(self._new_window())
        for index, spec in enumerate(layout.windows):
            window = self.windows[index]
            for key in spec.views:
                window.add_view(key, self._pages[key])
            window.show_view(spec.current)
            screen = screens[spec.screen_index] if spec.screen_index < len(screens) else screens[0]
            self._place(window, screen, spec)
        for window in self.windows[len(layout.windows) :]:
            window.hide()
        del self.windows[len(layout.windows) :]

    def _new_window(self) -> ViewWindow:
        window = ViewWindow(self, len(self.windows))
        window.setWindowTitle(self.window_title())
        self._install_actions(window)
        window.statusBar().showMessage(self._link_text())
        return window

    def _place(self, window: ViewWindow, screen: QScreen, spec: WindowLayout) -> None:
        area = screen.availableGeometry()
        if spec.geometry and len(spec.geometry) == 4:
            x, y, w, h = spec.geometry
            window.setGeometry(area.x() + x, area.y() + y, w, h)
        else:
            window.setGeometry(area.adjusted(20, 20, -20, -20))
        if window.windowHandle() is not None:
            window.windowHandle().setScreen(screen)
        if spec.fullscreen:
            window.showFullScreen()
        else:
            window.show()

    def current_layout(self) -> Layout:
        screens = QGuiApplication.screens()
        windows = []
        for window in self.windows:
            screen = window.screen() or QGuiApplication.primaryScreen()
            index = screens.index(screen) if screen in screens else 0
            area = screen.availableGeometry()
            g = window.geometry()
            windows.append(
                WindowLayout(
                    views=window.view_keys(),
                    current=window.current_key(),
                    screen=screen.name(),
                    screen_index=index,
                    geometry=[g.x() - area.x(), g.y() - area.y(), g.width(), g.height()],
                    fullscreen=window.isFullScreen(),
                )
            )
        return Layout(windows, scale=self.scale())

    # --- scale ------------------------------------------------------------------------------------------

    SCALE_STEP = 0.1

    def scale(self) -> float:
        """This console's scale (1.0 = 100 %): text and everything sized by it."""
        return theme.font_scale()

    def set_scale(self, scale: float, *, announce: bool = True) -> None:
        """Scale every text of this console (100-200 %); saved with the layout (Ctrl+Shift+S, quitting)."""
        value = clamp_scale(scale) or SCALE_MIN
        app = QApplication.instance()
        if not isinstance(app, QApplication) or value == self.scale():
            return
        theme.apply_theme(app, value)
        if announce:
            self.status.setText(self.tr("Scale %1 %").replace("%1", f"{value * 100:.0f}"))

    def _step_scale(self, steps: int) -> None:
        target = round(self.scale() + steps * self.SCALE_STEP, 2)
        self.set_scale(min(SCALE_MAX, max(SCALE_MIN, target)))

    def save(self) -> None:
        try:
            save_layout(self.current_layout(), self.layout_file)
            self.status.setText(self.tr("Layout saved"))
        except OSError as exc:
            self.status.setText(self.tr("Layout not saved: %1").replace("%1", str(exc)))

    def move_view(self, key: str, screen: QScreen, *, new_window: bool = False) -> None:
        """Put a view on ``screen``: into the window already there, or a new window of its own."""
        widget = self.view(key)
        source = next((w for w in self.windows if key in w.view_keys()), None)
        target = (
            None
            if new_window
            else next((w for w in self.windows if w.screen() is screen and w is not source), None)
        )
        if source is not None:
            source.tabs.removeTab(source.tabs.indexOf(widget))
        if target is None:
            target = self._new_window()
            self.windows.append(target)
            self._place(target, screen, WindowLayout(views=[key]))
        target.add_view(key, widget)
        target.show_view(key)
        if source is not None and source.tabs.count() == 0 and source.index != 0:
            source.hide()
            self.windows.remove(source)

    def merge_into_main(self, window: ViewWindow) -> None:
        main = self.windows[0]
        for key in window.view_keys():
            page = self._pages[key]
            window.tabs.removeTab(window.tabs.indexOf(page))
            main.add_view(key, page)
        if window in self.windows:
            self.windows.remove(window)

    def show_view(self, key: str) -> None:
        if key in self.factories:
            self.view(key)
        for window in self.windows:
            if window.show_view(key):
                window.raise_()
                return

    # --- incident and keys ------------------------------------------------------------------------------

    def incident(self, site: str, area: str) -> None:
        """Every screen to the alarm's area: the map and trends focus on it, the alarm list comes forward."""
        self.build_all()
        for widget in self.views.values():
            focus = getattr(widget, "focus_area", None)
            if callable(focus):
                focus(site, area)
        for preferred in ("alarms", "map", "trends"):
            self.show_view(preferred)
        where = PlaceNames(self.ctx.sites).where(site, area)  # names, as the map and the alarm list say
        self.status.setText(self.tr("Incident layout: %1").replace("%1", where))

    def headcount(self, site: str, area: str) -> None:
        """From an alarm popup: the incident layout on the area, and the map's headcount window for it."""
        self.incident(site, area)
        opener = getattr(self.views.get("map"), "open_headcount", None)
        if callable(opener):
            opener()

    def _install_actions(self, window: ViewWindow) -> None:
        def add(text: str, keys: str, slot: Callable[[], None]) -> QAction:
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            window.addAction(action)
            return action

        add(
            "full screen",
            "F11",
            lambda: window.showNormal() if window.isFullScreen() else window.showFullScreen(),
        )
        add("save layout", "Ctrl+Shift+S", self.save)
        add("language", "Ctrl+L", self.toggle_language)
        add("incident", "Ctrl+I", self._incident_newest)
        add("acknowledge", "F5", lambda: self._popup_call("acknowledge_newest"))
        add("silence", "F6", lambda: self._popup_call("silence"))
        add("locate", "F7", self._incident_newest)
        add("stop work", "F9", lambda: self._popup_call("stop_newest"))
        add("quit", "Ctrl+Q", self.request_quit)
        add("larger", "Ctrl+=", lambda: self._step_scale(1))
        add("larger (plus)", "Ctrl++", lambda: self._step_scale(1))
        add("smaller", "Ctrl+-", lambda: self._step_scale(-1))
        add("scale 100 %", "Ctrl+0", lambda: self.set_scale(SCALE_MIN))

    def _popup_call(self, name: str) -> None:
        controller = self.ctx.popups
        fn = getattr(controller, name, None)
        if callable(fn):
            fn()

    def _incident_newest(self) -> None:
        """F7 / Ctrl+I: through the popup controller, which brings the map forward and keeps the
        popup in front, beside it (raising this window alone hid an unacknowledged priority 1)."""
        controller = self.ctx.popups
        if controller is not None and controller.newest() is not None:
            controller.locate_newest()

    def toggle_language(self) -> None:
        codes = list(LANGUAGES)
        self.set_language(codes[(codes.index(self.language.current) + 1) % len(codes)])

    def set_language(self, code: str) -> None:
        self.language.set(code)  # Qt sends LanguageChange to every widget (placeholders too)
        for window in self.windows:
            window.retranslate()
        self._show_link()

    def window_title(self) -> str:
        demo = " — " + QCoreApplication.translate("Views", "DEMO") if self.demo else ""
        who = f"{self.ctx.actor.display_name or self.ctx.actor.username}"
        return QCoreApplication.translate("Views", "High-risk operations cockpit") + f" · {who}{demo}"

    def _on_delta(self, delta: CoreDelta) -> None:
        health = self.ctx.core.health_payload()
        waiting = int(health.get("db_waiting", 0) or 0)
        warning = duty_warning(health.get("duty"))
        if delta.link is not None or waiting != self._db_waiting or warning != self._duty_warning:
            self._link = delta.link or self._link
            self._db_waiting = waiting
            self._duty_warning = warning
            self._show_link()

    def _link_text(self) -> str:
        link = self._link
        parts = []
        if link is not None:
            parts.append(
                self.tr("Field link: %1 (%2)")
                .replace("%1", link_status_word(link.status.value))
                .replace("%2", link_reason_text(link))
            )
        if self._db_waiting:
            parts.append(self.tr("%1 records waiting for the database").replace("%1", str(self._db_waiting)))
        if self._duty_warning:
            parts.append(self._duty_warning)
        return "  ·  ".join(parts)

    def _show_link(self) -> None:
        """The field link's state at the foot of every window, in the current language."""
        text = self._link_text()
        for window in self.windows:
            window.statusBar().showMessage(text)

    def request_quit(self) -> None:
        if self.closing:
            return
        self.closing = True
        self.save()
        for window in list(self.windows):
            window.close()
        self.quit_requested.emit()
