"""Who runs the core's cycle, and when (``cockpit/core.py``).

The core's state (alarm engine, telemetry store, stop-work, permit cache) is changed by one cycle, run
under one lock by one thread at a time:

* paho's network thread, right after a read that brought messages (``offer``, the connector's
  ``on_read``): reading, judging and sending a stop without handing the interpreter to another
  thread, which under 5,000 readings/s cost a wait for a core at every hand-over (issue 20);
* the core's own thread, for ticks, operator calls (``call``), link changes, and messages that came
  while another thread held the cycle: it looks at the inbox again after every cycle, so none waits
  for its 0.1 s timer.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger("cockpit.core")
T = TypeVar("T")
STOP_WAIT_S = 5.0  # how long ``stop`` waits for the cycle to end


class CoreLoop:
    def __init__(self, cycle: Callable[[], None], last: Callable[[], None]) -> None:
        """``cycle`` runs under the lock; ``last`` once, under it, when the core thread ends."""
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
        if not self._running or not self._lock.acquire(blocking=False):
            return
        try:
            if self._running and not self._stopping.is_set():
                self._cycle()
        except Exception:  # one bad cycle must not end the loop that stops work
            log.exception("core cycle failed; carrying on")
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
        while True:
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if fut.set_running_or_notify_cancel():
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
            with self._lock:
                try:
                    self._cycle()
                except Exception:  # one bad cycle must not end the loop that stops work
                    log.exception("core cycle failed; carrying on")
        with self._lock:
            self._last()

    def _fail_calls(self) -> None:
        """After the core thread ended: every call still queued fails with a readable reason."""
        while True:
            try:
                _fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if fut.set_running_or_notify_cancel():
                fut.set_exception(RuntimeError("the cockpit core has stopped: not carried out"))
