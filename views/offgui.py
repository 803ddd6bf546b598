"""The one way screens run work off the GUI thread: ``OffGui``.

Database reads, password checks (scrypt, deliberately slow) and PDF rendering must never block the
GUI thread. Each screen owns one ``OffGui``: its calls run one after another on one worker thread (so a
refresh never overtakes the approval before it), and each result or error comes back to a callback on
the GUI thread through a queued signal.

The worker never emits on the ``OffGui`` itself: the GUI thread may be destroying it at that very
moment, and an emit racing a destructor crashed the process (a segfault in 3,000 rounds of "finish a
call while the screen closes"). It emits on one relay that lives as long as the program, carrying a
plain Python token; the relay's slot runs on the GUI thread and delivers only while the token says the
owner lives. The owner's ``destroyed`` signal clears the token on the GUI thread too, so the check and
the destruction can never interleave. Closing a screen also cancels the calls still queued behind the
running one: nobody would see their outcome.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Token:
    """Whether an ``OffGui``'s owner still lives; read and cleared on the GUI thread only."""

    __slots__ = ("alive",)

    def __init__(self) -> None:
        self.alive = True


class _Relay(QObject):
    """Lives as long as the program, on the GUI thread: the worker threads' only way back."""

    deliver = Signal(object, object)  # (token, ready-made call)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._call, Qt.ConnectionType.QueuedConnection)

    def _call(self, token: _Token, call: Callable[[], None]) -> None:
        if token.alive:
            call()


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    """Made on first use, by an ``OffGui`` built on the GUI thread, and moved to the application's thread."""
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    return _relay


class OffGui(QObject):
    """Runs callables on one private worker thread; delivers results and errors on the GUI thread.

    ``run(fn, on_result, on_error)`` returns the ``Future`` of ``fn`` (for callers that want to chain
    or wait); ``on_result``/``on_error`` are called on the GUI thread, never after the owner is gone.
    ``relay(fn)`` wraps a GUI-side function so the worker may call it (progress reports).
    """

    def __init__(self, parent: QObject | None = None, *, name: str = "views-offgui") -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        self._relay = _the_relay()
        token = self._token = _Token()
        executor = self._executor  # not self: the wrapper may be gone when ``destroyed`` fires

        def gone(*_: object) -> None:
            token.alive = False
            executor.shutdown(wait=False, cancel_futures=True)

        self.destroyed.connect(gone)

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
            if fut.cancelled():  # the owner closed before the call started
                return
            exc = fut.exception()
            if exc is None:
                self._emit(functools.partial(self._settle, on_result, fut.result()))
            elif isinstance(exc, Exception):
                self._emit(functools.partial(self._settle, on_error or _log_error, exc))
            else:  # KeyboardInterrupt and the like belong to no screen; the call is over all the same
                log.error("off-GUI call ended with %r", exc)
                self._emit(functools.partial(self._settle, _ignore, None))

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
        # Always queued, even from the GUI thread (a call that ended before its done-callback was
        # added): callbacks never run inside ``run()`` and keep the order they were sent in.
        self._relay.deliver.emit(self._token, call)

    def _settle(self, callback: Callable[[Any], None], value: Any) -> None:
        self._pending -= 1
        callback(value)


def _ignore(_value: object) -> None:
    pass


def _log_error(exc: Exception) -> None:
    log.error("off-GUI call failed: %s", exc, exc_info=exc)
