"""The one way screens run work off the GUI thread: ``OffGui``.

Database reads, password checks (scrypt, deliberately slow) and PDF rendering must never block the
GUI thread. Each screen owns one ``OffGui``: its calls run one after another on one worker thread (so a
refresh never overtakes the approval before it), and each result or error comes back to a callback on
the GUI thread through a queued signal. The ``OffGui`` is a child of its screen: once the screen is
destroyed nothing is delivered any more (Qt drops queued calls to a deleted receiver, and an emit on a
deleted object is refused), and the worker is told to stop.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class OffGui(QObject):
    """Runs callables on one private worker thread; delivers results and errors on the GUI thread.

    ``run(fn, on_result, on_error)`` returns the ``Future`` of ``fn`` (for callers that want to chain
    or wait); ``on_result``/``on_error`` are called on the GUI thread, never after the owner is gone.
    ``relay(fn)`` wraps a GUI-side function so the worker may call it (progress reports).
    """

    _deliver = Signal(object)  # a ready-made call, queued to the GUI thread

    def __init__(self, parent: QObject | None = None, *, name: str = "views-offgui") -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        # Always queued, even when emitted on the GUI thread (a call that ended before its done-callback
        # was added): callbacks then never run inside ``run()`` and keep the order they were sent in.
        self._deliver.connect(self._call, Qt.ConnectionType.QueuedConnection)
        executor = self._executor  # not self: the wrapper may be gone when ``destroyed`` fires
        self.destroyed.connect(lambda *_: executor.shutdown(wait=False))

    def run(
        self,
        fn: Callable[[], T],
        on_result: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> Future[T]:
        """Run ``fn`` on the worker; then ``on_result(value)`` or ``on_error(exc)`` on the GUI thread."""
        future = self._executor.submit(fn)
        self._pending += 1

        def settled(fut: Future[T]) -> None:
            exc = fut.exception()
            if exc is None:
                self._emit(functools.partial(self._settle, on_result, fut.result()))
            elif isinstance(exc, Exception):
                self._emit(functools.partial(self._settle, on_error or _log_error, exc))
            else:  # KeyboardInterrupt and the like belong to no screen
                log.error("off-GUI call ended with %r", exc)

        future.add_done_callback(settled)
        return future

    def relay(self, fn: Callable[..., None]) -> Callable[..., None]:
        """A function the worker may call: it runs ``fn`` with the same arguments on the GUI thread."""

        def call(*args: Any) -> None:
            self._emit(functools.partial(fn, *args))

        return call

    @property
    def busy(self) -> bool:
        """True while a call has been started and its result not yet delivered."""
        return self._pending > 0

    def wait(self, ms: int = 5000) -> bool:
        """Block until the worker is idle (tests and shutdown only); False on time-out."""
        try:
            self._executor.submit(lambda: None).result(timeout=ms / 1000)
        except RuntimeError:  # already shut down: nothing runs any more
            return True
        except TimeoutError:
            return False
        return True

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking work; with ``wait``, let the running call finish first."""
        self._executor.shutdown(wait=wait)

    def _emit(self, call: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the owner was destroyed meanwhile: nobody to tell
            self._deliver.emit(call)

    def _settle(self, callback: Callable[[Any], None], value: Any) -> None:
        self._pending -= 1
        callback(value)

    def _call(self, call: Callable[[], None]) -> None:  # a bound slot: it runs on this object's thread
        call()


def _log_error(exc: Exception) -> None:
    log.error("off-GUI call failed: %s", exc, exc_info=exc)
