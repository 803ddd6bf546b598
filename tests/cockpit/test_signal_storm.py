"""PySide6 6.12.0 on Python 3.11 aborts after a few hundred Signal.emit() calls (bool_dealloc).

The pin to 6.11.3 avoids it; this test keeps an upgrade from bringing the crash back
unnoticed. It runs in a child process so that an abort fails this test, not the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import sys, threading
    from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Qt

    class Source(QObject):
        fired = Signal(object, bool, int)

    class Sink(QObject):
        def __init__(self):
            super().__init__()
            self.count = 0
            self.flags = 0
        def take(self, payload, flag, n):
            self.count += 1
            self.flags += flag

    app = QCoreApplication(sys.argv)
    sink = Sink()
    sources = [Source() for _ in range(THREADS)]
    for s in sources:
        s.fired.connect(sink.take, Qt.QueuedConnection)

    def pump(src):
        for i in range(PER_THREAD):
            src.fired.emit({"i": i}, i % 2 == 0, i)

    threads = [threading.Thread(target=pump, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    # the GUI thread emits too, direct connection
    for i in range(PER_THREAD):
        sources[0].fired.emit(None, True, i)

    def check():
        if sink.count >= TOTAL or not any(t.is_alive() for t in threads) and sink.count >= TOTAL:
            app.quit()
    timer = QTimer(); timer.timeout.connect(check); timer.start(20)
    QTimer.singleShot(60000, app.quit)
    app.exec()
    for t in threads:
        t.join()
    print(sink.count, sink.flags)
    """
)


def test_many_signals_across_threads_do_not_crash() -> None:
    threads, per_thread = 4, 5000
    total = threads * per_thread + per_thread
    code = (
        CHILD.replace("THREADS", str(threads))
        .replace("PER_THREAD", str(per_thread))
        .replace("TOTAL", str(total))
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, f"Qt process died ({proc.returncode}): {proc.stderr[-2000:]}"
    count, flags = map(int, proc.stdout.split())
    assert count == total
    expected_flags = threads * (per_thread // 2) + per_thread
    assert flags == expected_flags
