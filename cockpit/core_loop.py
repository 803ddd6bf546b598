"""Who runs the core's cycle, and when (``cockpit/core.py``).

The core's state (alarm engine, telemetry store, stop-work, permit cache) is changed by one cycle, run
under one lock by one thread at a time:

* paho's network thread, right after a read that brought messages (``offer``, the connector's
  ``on_read``): reading, judging and sending a stop without handing the interpreter to another
  thread, which under 5,000 readings/s cost a wait for a core at every hand-over (issue 20);
* the core's own thread, for ticks, operator calls (``call``), link changes, and messages that came
  while another thread held the cycle: it looks at the inbox again after every cycle, so none waits
  for its 0.1 s timer.

A core in the window's own process (``[general] field_process = false``, ``cockpit/local_core.py``)
shares the interpreter with the GUI thread: there paho's thread only wakes the core thread, which
waits 1 ms for more while messages stream (``coalesce``), as before. Cycles run on paho's thread made
the GUI thread wait: ``bench/ingest.py`` one-process timer lateness p99 93-150 ms against 35 ms.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger("cockpit.core")
T = TypeVar("T")
STOP_WAIT_S = 5.0  # how long ``stop`` waits for the cycle to end
# Beside a GUI: woken for a few messages while they stream, the core thread waits 1 ms for more (a
# cycle's fixed cost: cycles of 3 messages cost a fifth of the process); after a quiet spell a lone
# HIHI is judged at once.
COALESCE_S, COALESCE_BELOW, COALESCE_AFTER_S = 0.001, 64, 0.05


def coalesce(waiting: int, last_busy: float) -> float:
    """Wait ``COALESCE_S`` for more when a few messages came while they stream; when it was busy last."""
    if 0 < waiting < COALESCE_BELOW and time.monotonic() - last_busy < COALESCE_AFTER_S:
        time.sleep(COALESCE_S)
    return time.monotonic() if waiting else last_busy


class CoreLoop:
    def __init__(
        self, cycle: Callable[[], None], last: Callable[[], None], *, on_network_thread: bool = True
    ) -> None:
        """``cycle`` runs under the lock; ``last`` once, under it, when the core thread ends.
        ``on_network_thread``: False beside a GUI (the module's docstring)."""
        self.on_network_thread = on_network_thread
        self._last_busy = -math.inf  # when the core thread last woke to messages (``coalesce``)
        self.inbox: deque[tuple[str, bytes, float]] = deque()  # (topic, payload, arrival) from paho
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._cycle, self._last = cycle, last
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._running = False  # set once the core has loaded everything: paho's thread may cycle
        self._stopping = threading.Event()
        self.stopped = False  # set once ``stop`` joined the core thread: calls then fail at once
        self._thread: threading.Thread | None = None

    def append(self, topic: str, payload: bytes, arrival: float) -> None:
        """paho's thread: append and return; ``offer`` follows once the read is done."""
        self.inbox.append((topic, payload, arrival))

    def offer(self) -> None:
        """paho's thread, after a read that brought messages: the cycle, here and now, unless another
        thread is running it (that one looks at the inbox again when it is done)."""
        if not self._running:
            return
        if not self.on_network_thread:
            self._wake.set()
            return
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._running and not self._stopping.is_set():
                self._run_cycle()
        finally:
            self._lock.release()

    def wake(self) -> None:
        self._wake.set()

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` in the cycle; the future carries its result or exception."""
        fut: Future[T] = Future()
        self._calls.put((fn, fut))
        self._wake.set()
        if self.stopped:  # no core thread will run it: fail it (and anything else left), not hang
            self._fail_calls()
        return fut

    def run_calls(self) -> None:
        """In the cycle: every call queued so far."""
        if self._calls.empty():  # the common case, twice a cycle: no generator, no Empty raised
            return
        for fn, fut in self._take_calls():
            try:
                fut.set_result(fn())
            except BaseException as exc:
                fut.set_exception(exc)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cockpit-core", daemon=True)
        self._running = True
        self._thread.start()

    def stop(self) -> bool:
        """Ends the core thread and, after the cycle paho's thread may be running, any further cycle.
        False when it was not running."""
        if self._thread is None:
            return False
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=STOP_WAIT_S)
        self._thread = None
        # Bounded as the join is: a cycle that never ends (a bug) must not keep the program from stopping.
        held = self._lock.acquire(timeout=STOP_WAIT_S)
        self._running = False
        if held:
            self._lock.release()
        else:
            log.error("the core's cycle did not end within %.0f s; stopping without it", STOP_WAIT_S)
        self.stopped = True
        self._fail_calls()
        return True

    def _run(self) -> None:
        while not self._stopping.is_set():
            if not self.inbox:
                self._wake.wait(0.1)
            self._wake.clear()
            if not self.on_network_thread:
                self._last_busy = coalesce(len(self.inbox), self._last_busy)
            with self._lock:
                self._run_cycle()
        with self._lock:
            self._last()

    def _run_cycle(self) -> None:
        try:
            self._cycle()
        except Exception:  # one bad cycle must not end the loop that stops work
            log.exception("core cycle failed; carrying on")

    def _take_calls(self) -> Iterator[tuple[Callable[[], Any], Future[Any]]]:
        """Every call queued so far and not cancelled, marked running."""
        while True:
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if fut.set_running_or_notify_cancel():
                yield fn, fut

    def _fail_calls(self) -> None:
        """After the core thread ended: every call still queued fails with a readable reason."""
        for _fn, fut in self._take_calls():
            fut.set_exception(RuntimeError("the cockpit core has stopped: not carried out"))
