"""views/offgui.py: work runs off the GUI thread, in order; results and errors come back on it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from views.offgui import OffGui


def test_results_come_back_on_the_gui_thread_in_order(qtbot: QtBot) -> None:
    owner = QObject()
    offgui = OffGui(owner)
    gui = threading.get_ident()
    ran_on: list[int] = []
    got: list[tuple[int, int]] = []

    def work(n: int) -> int:
        ran_on.append(threading.get_ident())
        return n * n

    for n in range(5):
        offgui.run(lambda n=n: work(n), lambda r: got.append((r, threading.get_ident())))  # type: ignore[misc]
    assert offgui.busy
    qtbot.waitUntil(lambda: len(got) == 5, timeout=3000)
    assert [r for r, _ in got] == [0, 1, 4, 9, 16]
    assert {t for _, t in got} == {gui}
    assert gui not in ran_on and len(set(ran_on)) == 1  # one worker, not the GUI thread
    assert not offgui.busy
    assert offgui.wait(1000)


def test_an_error_reaches_the_error_callback_and_relay_reports_progress(qtbot: QtBot) -> None:
    owner = QObject()
    offgui = OffGui(owner)
    errors: list[Exception] = []
    steps: list[tuple[int, int]] = []
    report = offgui.relay(lambda done, total: steps.append((done, total)))

    def failing() -> None:
        report(1, 2)
        raise ValueError("no such permit")

    future = offgui.run(failing, lambda _r: None, errors.append)
    assert errors == []  # never called inside run(), even when the call ends at once
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], ValueError) and steps == [(1, 2)]
    assert isinstance(future.exception(), ValueError)


def test_nothing_is_delivered_once_the_owner_is_gone(qtbot: QtBot) -> None:
    owner = QObject()
    offgui = OffGui(owner)
    release = threading.Event()
    got: list[object] = []
    future = offgui.run(lambda: release.wait(5), got.append)
    owner.deleteLater()
    qtbot.waitSignal(owner.destroyed, timeout=2000)
    qtbot.wait(50)
    release.set()
    future.result(timeout=5)
    qtbot.wait(100)
    assert got == []


def test_a_screen_closing_while_its_calls_finish_never_crashes(qtbot: QtBot) -> None:
    """An emit racing the owner's destructor crashed the process (segfault); run in a child so that a
    crash fails this test instead of ending the run."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import random, sys
        from PySide6.QtCore import QCoreApplication, QEvent, QObject
        from PySide6.QtWidgets import QApplication
        from views.offgui import OffGui
        app = QApplication(sys.argv)
        delivered = cancelled = 0
        def got(_r):
            global delivered
            delivered += 1
        for _ in range(1500):
            owner = QObject()
            offgui = OffGui(owner)
            report = offgui.relay(lambda *_: None)
            def work():
                report(1, 2)
                return sum(range(random.randint(0, 3000)))
            futures = [offgui.run(work, got) for _ in range(4)]
            owner.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            for f in futures:
                if f.cancelled():
                    cancelled += 1
                else:
                    f.result(5)
            app.processEvents()
        print("ok", cancelled)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=110, check=False
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.startswith("ok")


def test_calls_queued_behind_the_running_one_are_cancelled_when_the_screen_closes(qtbot: QtBot) -> None:
    owner = QObject()
    offgui = OffGui(owner)
    release = threading.Event()
    ran: list[int] = []
    first = offgui.run(lambda: release.wait(5), lambda _r: None)
    queued = [offgui.run(lambda n=n: ran.append(n), lambda _r: None) for n in range(3)]  # type: ignore[misc]
    with qtbot.waitSignal(owner.destroyed, timeout=2000):
        owner.deleteLater()
    release.set()
    first.result(timeout=5)
    assert all(f.cancelled() for f in queued)
    assert ran == []
