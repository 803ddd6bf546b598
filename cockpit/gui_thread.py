"""The GUI thread's housekeeping: its share of the GIL, the garbage collector on it, objects given to it.

Not on a reading's way: the one signal the views listen to is ``cockpit.live.CoreBridge``.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

GUI_SWITCH_INTERVAL_S = 0.001


def share_gil_with_gui() -> None:
    """Call once in a process that has a GUI: the GUI thread gets the GIL back within about 1 ms.

    Under load the core and paho threads keep the interpreter busy. Every time Qt calls into Python (a
    slot, a timer, a paint or data() method, each of pyqtgraph's item methods) and every time the GUI
    thread waits on a lock, it must win the GIL back, and waited out each busy thread's switch
    interval: 5 ms by default. At 10,000 messages/s a 10 ms timer fired up to 160 ms late
    (bench/ingest); at 1 ms, 49-56 ms. Shorter is not better: the core and paho threads also hand the
    GIL to each other that often, and at 0.5 ms the alarm path's median (bench/alarm_latency, 5,000
    msg/s) rose from 10-20 ms to 46-77 ms.
    """
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


class GuiThreadCollector(QObject):
    """The cyclic garbage collector, run on the GUI thread only (automatic collection is turned off).

    A collection frees whatever cycles it finds on the thread that happens to trigger it. When that
    was a worker thread (then a reader thread unpickling the field link's updates; today the GUI
    thread reads the pipe itself, but off-GUI workers remain) and the garbage held a Qt object, its
    disconnect took a Qt lock and then waited for the GIL, while the GUI thread held the GIL and
    waited for that lock: the cockpit froze (seen in bench/ui_frame). Here the same generational
    thresholds apply, checked ten times a second (fewer young objects per pass: shorter pauses),
    always on the GUI thread.
    """

    def __init__(self, interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)
        self._held = QTimer(self)  # while active, nothing is collected; it ends the hold by itself
        self._held.setSingleShot(True)

    @staticmethod
    def of_application() -> GuiThreadCollector | None:
        """The collector the application's GUI runs with (views/shell.py makes it), if any."""
        app = QCoreApplication.instance()
        return app.findChild(GuiThreadCollector) if app is not None else None

    def hold(self, at_most_ms: int = 3000) -> None:
        """Collect nothing until ``release()``, at most ``at_most_ms``; what came due runs then.

        For the windows' first paint: the building before it (the context, the overview, the windows)
        left about 150,000 young objects, and their collection (80 ms in bench/ui_frame) was due at the
        first turn of the event loop, before the paint."""
        self._held.start(at_most_ms)

    def release(self) -> None:
        self._held.stop()

    @property
    def held(self) -> bool:
        return self._held.isActive()

    def collect(self) -> None:
        if not self.held:
            collect_when_due(self._thresholds)


def collect_when_due(thresholds: tuple[int, int, int]) -> None:
    """What the automatic collector would do now with ``thresholds``, on the calling thread."""
    counts = gc.get_count()
    for generation in (2, 1, 0):  # the oldest due generation; collecting it collects the younger
        if all(counts[g] > thresholds[g] for g in range(generation + 1)):
            gc.collect(generation)
            return


def settle_gui_heap() -> None:
    """Call once the windows are built: what exists then lives as long as the program, and is kept out
    of every later collection. Without it a collection walked all the views' objects again: 160 ms
    on the GUI thread for one gen-1 pass with four screens open (bench/ui_frame)."""
    gc.collect()
    gc.freeze()


def gui_object(obj: QObject) -> None:
    """Give ``obj`` to the application's (GUI) thread: the runtime may be started on another."""
    app = QCoreApplication.instance()
    if app is not None and obj.thread() is not app.thread():
        obj.moveToThread(app.thread())
