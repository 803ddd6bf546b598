"""The application shell: Qt on qasync's event loop, start-up with progress, login, the windows.

Start-up work that can take seconds (opening and seeding the database, starting the
embedded broker and the simulator) runs on a worker thread while a progress screen paints.
An uncaught exception in a slot or a coroutine is logged and shown, never silently lost.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from cockpit.config import Config
from cockpit.gui_thread import GuiThreadCollector, settle_gui_heap, share_gil_with_gui
from cockpit.live import CoreBridge
from cockpit.logs import setup_logging
from cockpit.runtime import Runtime
from cockpit.sessions import LoginSession
from models.errors import UserError
from views.i18n import Language
from widgets.theme import apply_theme

log = logging.getLogger(__name__)


class ErrorReporter(QObject):
    """Shows uncaught errors in a non-modal box (from any thread, via a queued signal)."""

    raised = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._show)
        self.boxes: list[QMessageBox] = []
        self.count = 0

    def excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        self.count += 1
        self.raised.emit(
            f"{kind.__name__}: {exc}", "".join(traceback.format_exception(kind, exc, tb))[-4000:]
        )

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is not None:
            self.excepthook(type(exc), exc, exc.__traceback__)
        else:
            log.error("event loop error: %s", context.get("message"))

    def _show(self, text: str, detail: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Unexpected error"),
            self.tr("An unexpected error occurred and was logged. The cockpit keeps running.")
            + "\n\n"
            + text,
        )
        box.setDetailedText(detail)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(lambda _=0, b=box: self.boxes.remove(b) if b in self.boxes else None)
        self.boxes.append(box)
        box.show()


class StartupView(QWidget):
    """A progress screen while the database, the broker and the live link come up."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # the error, or None

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("High-risk operations cockpit"))
        layout = QVBoxLayout(self)
        self.label = QLabel(self.tr("Starting…"))
        self.bar = QProgressBar()
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.resize(560, 140)
        self.progressed.connect(self._on_progress)

    def _on_progress(self, step: int, total: int, text: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(step)
        names = {
            "database": self.tr("Opening the database"),
            "embedded broker": self.tr("Starting the broker"),
            "live link": self.tr("Connecting the live link"),
            "plant simulator": self.tr("Starting the plant simulator"),
        }
        self.label.setText(names.get(text, text))


class Shell(QObject):
    """Owns the runtime and the windows for the life of the application."""

    def __init__(self, app: QApplication, config: Config, language: Language) -> None:
        super().__init__()
        self.app = app
        self.config = config
        self.language = language
        self.bridge = CoreBridge()
        self.runtime = Runtime(
            config, listener=self.bridge.deliver, field_process=config.general.field_process
        )
        self.startup = StartupView()
        self.startup.finished.connect(self._started)
        self.login: Any = None
        self.windows: Any = None
        self.error: BaseException | None = None

    def start(self) -> None:
        self.startup.show()

        def work() -> None:
            try:
                self.runtime.start(progress=self.startup.progressed.emit)
            except BaseException as exc:
                self.startup.finished.emit(exc)
            else:
                self.startup.finished.emit(None)

        threading.Thread(target=work, name="cockpit-startup", daemon=True).start()

    def _started(self, error: BaseException | None) -> None:
        if error is not None:
            self.error = error
            message = str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
            if not isinstance(error, UserError):
                log.error("start-up failed", exc_info=error)
            print(f"error: {message}", file=sys.stderr)
            self.startup.label.setText(message)
            QTimer.singleShot(0, self.app.quit)
            return
        from cockpit.logins import Logins
        from views.login import LoginView

        assert self.runtime.db is not None
        self.login = LoginView(
            Logins(self.runtime.db, self.runtime.sessions),
            demo=self.runtime.is_demo,
            plant_name=self.config.plant_title,
        )
        self.login.logged_in.connect(self.open_cockpit)
        self.login.resize(900, 700)
        self.login.show()
        self.startup.hide()

    def open_cockpit(self, actor: LoginSession) -> None:
        from views.factories import build_context, view_factories, wire
        from views.main_window import CockpitWindows

        assert self.runtime.core is not None
        ctx = build_context(self.runtime, self.bridge, actor, self.config)
        self.windows = CockpitWindows(ctx, view_factories(actor), self.language)
        self.windows.quit_requested.connect(self.app.quit)
        self.windows.all_built.connect(settle_gui_heap)
        wire(self.windows)
        self.windows.restore()
        if self.login is not None:
            self.login.hide()
        log.info("%s (%s) logged in", actor.username, actor.role.value)

    def stop(self) -> None:
        self.runtime.stop()


def run_gui(args: argparse.Namespace, config: Config) -> int:
    log_file = setup_logging(config)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    share_gil_with_gui()  # the GUI thread gets the GIL back quickly under load
    GuiThreadCollector(parent=app)  # no garbage collection on worker threads (it can deadlock Qt)
    app.setApplicationName("hazwork-cockpit")
    app.setApplicationDisplayName("高危作业驾驶舱")
    apply_theme(app, config.ui.font_scale)
    language = Language(app)
    language.set(config.general.language)
    reporter = ErrorReporter()
    sys.excepthook = reporter.excepthook

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(reporter.loop_handler)
    from pathlib import Path

    from PySide6.QtGui import QIcon

    icon = Path(__file__).resolve().parent.parent / "resources" / "icons" / "cockpit.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Ctrl+C and SIGTERM end the program in order (layout saved, broker stopped), not mid-slot.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    shell = Shell(app, config, language)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    log.info("cockpit starting (log file: %s)", log_file)
    shell.start()
    try:
        with loop:
            loop.run_until_complete(closed.wait())
    finally:
        shell.stop()
        sys.excepthook = sys.__excepthook__
    return 2 if shell.error is not None else 0
