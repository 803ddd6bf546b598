"""The field link in a process of its own: decoding, the store, the alarm engine and stop-work run
beside the GUI, not inside it.

Why: in one process paho's network thread, the core thread and the GUI thread share one GIL. At
10,000 messages/s the two field threads keep the interpreter busy, and every time Qt calls into Python
the GUI thread waits for its turn: a 10 ms timer fired 50-160 ms late and the process took in only
about 3,400 messages/s with four screens open (bench/ui_frame). In its own process the field link has a
core and a GIL to itself.

The GUI process holds a ``RemoteCore``, the field-process shape of ``cockpit.port.CorePort``: the
screens read its ``LiveModel`` (``cockpit/live.py``), fed with the field core's updates, and its acts
(acknowledge, shelve, stop, resume …) are calls into the field process whose futures resolve when it
answers. The other shape, in-process, is ``cockpit.local_core.LocalCore``: the same updates and the
same live model, through a local queue. A reading never passes through here: the updates on the
pipe go from ``cockpit.live.PipeFeed`` straight to the live model. This module spawns, calls, hears
the answers and the pipe's end, and restarts.

The pipe (``multiprocessing``, spawned, so that nothing of Qt is forked):

* GUI → field, the connection's own framing: ``("start", FieldLinkParams)``, ``("call", id, name,
  args, kwargs)``, ``("stop",)``
* field → GUI, framed by ``cockpit/live_feed.py`` (written by the core thread without waiting) and read
  by ``cockpit/live.py`` (on the GUI thread, when a ``QSocketNotifier`` says there is something):
  ``("ready",)`` or ``("failed", line)``, ``("update", Update)``, ``("reply", id, ok, value)``, ``("bye",)``

If the field process ends unasked, every mirrored channel turns STALE (``link_down``), the link shows
disconnected with the reason, pending calls fail, and a new field process is started (backing off
1 s doubling up to 30 s). If the GUI process ends, the field process sees its pipe close and stops
the core in order.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from cockpit.config import Config
from cockpit.connection import field_connector
from cockpit.core_state import CoreDelta
from cockpit.field_params import FieldLinkParams, field_process_entry
from cockpit.gui_thread import gui_object
from cockpit.live import MirroredCore, PipeFeed
from cockpit.sessions import SessionKeys
from connectors.database import Database
from connectors.mqtt import LinkCause, LinkState, LinkStatus
from models.errors import UserError

log = logging.getLogger(__name__)

START_TIMEOUT_S = 120.0  # a slow disk's first start (imports, database) stays well inside this
STOP_TIMEOUT_S = 15.0
RESTART_MAX_S = 30.0
REAP_POLL_MS = 50
REAP_WAIT_S = 10.0  # a field process stopping in order (offline health, journal) gets this long
REAP_SIGNAL_S = 5.0  # then SIGTERM, and this long again; then SIGKILL, and this long again
# A running field process sends its board at least once a second (cockpit/live_feed.py): one that has
# said nothing for this long is hung (a deadlock, a stopped core thread), alive or not.
SILENT_S = 15.0
WATCH_MS = 1000
# An act the field process has not answered in this long fails, so no button waits for ever: its own
# steps are bounded (a stop's database claim 0.5 s, the database's connect and statement time-outs),
# so this is a field process that is alive and talking but whose call went astray.
CALL_TIMEOUT_S = 30.0


class CallUnanswered(RuntimeError):
    """An act got no answer within ``CALL_TIMEOUT_S``; it may still have been carried out."""

    def __init__(self, act: str, seconds: float) -> None:
        super().__init__(
            f"{act}: no answer from the field link process within {seconds:.0f} s; "
            "it may still have been carried out (see the commands and the audit log)"
        )
        self.act = act
        self.seconds = seconds


# --------------------------------------------------------------------------- the GUI's side


@dataclass
class FieldProcess:
    """A spawned field process and our end of its pipe (spawned early: it imports while we start)."""

    process: Any
    conn: Any

    @classmethod
    def spawn(cls) -> FieldProcess:
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=field_process_entry, args=(theirs,), name="cockpit-field-link", daemon=True
        )
        try:
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return cls(process, ours)

    def release(self) -> None:
        """Our end of the pipe closed, and the process reaped if it has ended: never waits."""
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.exitcode is not None:
            self.process.join(0)

    def close(self, timeout: float = 10.0) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            log.error("field link process did not stop within %.0f s; terminating it", timeout)
            self.process.terminate()
            self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class _Link:
    """One running field process as the GUI thread reads it: the process and the GUI end of its pipe."""

    def __init__(self, child: FieldProcess, feed: PipeFeed) -> None:
        self.child = child
        self.feed = feed

    def close(self) -> None:
        self.feed.close()


class PumpedFuture(Future[Any]):
    """A call's future: waited for on the GUI thread, it reads the pipe itself while it waits.

    The answer arrives on the pipe, which only the GUI thread reads; a test or a tool that waits with
    ``result()`` on that thread would otherwise wait for itself.
    """

    def __init__(self, pump: Callable[[float], bool]) -> None:
        super().__init__()
        self._pump = pump

    def _pumped(self, timeout: float | None) -> bool:
        """Read the pipe until done or ``timeout``; False when not on the GUI thread (wait as usual)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            remaining = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if remaining <= 0:
                break
            if not self._pump(remaining):
                return False
        return True

    def result(self, timeout: float | None = None) -> Any:
        if self._pumped(timeout):
            return super().result(0)
        return super().result(timeout)

    def exception(self, timeout: float | None = None) -> BaseException | None:
        if self._pumped(timeout):
            return super().exception(0)
        return super().exception(timeout)


class _GuiEnd(QObject):
    """The GUI thread's hold on the pipe: timers and the notifier belong to it."""

    attach = Signal()  # queued to the GUI thread: the notifier is made there

    def __init__(self, watch: Callable[[], None]) -> None:
        super().__init__()
        gui_object(self)
        self.attach.connect(watch)


class RemoteCore(MirroredCore):
    """The field-process shape of ``CorePort``: the live model to read, calls to act (module docstring).

    Everything but ``_remote`` runs on the GUI thread: the pipe is read there when its notifier fires
    (no reader thread), and a lost field process is mourned and replaced there with timers.
    """

    def __init__(
        self,
        config: Config,
        db: Database,
        *,
        console: str | None = None,
        broker_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        listener: Callable[[CoreDelta], None] | None = None,
        process: FieldProcess | None = None,
        log_dir: str | None = None,
        sessions: SessionKeys | None = None,
    ) -> None:
        super().__init__(config, console=console, url=broker_url or config.mqtt.url, listener=listener)
        self.restarts = 0
        # The field process judges this console's logins with the same secret (it crosses the pipe).
        self.sessions = sessions or SessionKeys()
        self._params = FieldLinkParams(
            config=config,
            db_url=db.engine.url.render_as_string(hide_password=False),
            console=self.console,
            broker_url=broker_url,
            username=username,
            password=password,
            log_dir=log_dir,
            session_secret=self.sessions.secret,
        )
        self._spawned = process
        self._link: _Link | None = None
        self._pending: dict[int, tuple[Future[Any], str, float]] = {}  # id -> (future, act, deadline)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()  # the link and the pending calls: acts come from any thread
        self._stopping = False
        self._ready = False
        self._backoff = 1.0
        self._end = _GuiEnd(self._watch)
        self._watchdog: QTimer | None = None

    @property
    def _child(self) -> FieldProcess | None:
        link = self._link
        return link.child if link is not None else None

    # --- life cycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the field process (or use the one spawned early); its core comes up meanwhile.

        The screens do not wait for it (about 1.2 s: its imports and its database): they open on an
        empty plant and the link shown as connecting, and fill as the first updates arrive. What
        the field process would refuse to start with (the broker URL, TLS files, credentials) is
        checked here first, so a mistake is still one readable line before anything runs.
        """
        field_connector(
            self.config, self.console, self._params.broker_url, self._params.username, self._params.password
        )
        self._link = self._new_link(self._launch(self._spawned))
        self._spawned = None
        self._end.attach.emit()

    def _launch(self, child: FieldProcess | None) -> FieldProcess:
        child = child or FieldProcess.spawn()
        try:
            child.conn.send(("start", self._params))
        except OSError:
            child.close(1)
            raise UserError(
                f"the field link process ended while starting (exit code {child.process.exitcode})"
            ) from None
        return child

    def _new_link(self, child: FieldProcess) -> _Link:
        """The updates on its pipe go straight to the live model (``cockpit/live.py``); the rest
        (answers, ``ready``, ``failed``, the pipe's end) comes back here."""
        link: _Link

        def control(message: tuple[Any, ...]) -> bool:
            return self._control(link, message)

        link = _Link(child, PipeFeed(child.conn, self._apply, control, lambda: self._closed(link)))
        return link

    def _watch(self) -> None:
        """GUI thread: read the pipe whenever it has something (or the field process has ended)."""
        link = self._link
        if link is None or link.feed.watching or self._stopping:
            return
        link.feed.watch(self._end)
        if self._watchdog is None:
            self._watchdog = QTimer(self._end)
            self._watchdog.timeout.connect(self._check_heard)
            self._watchdog.start(WATCH_MS)

    def _check_heard(self) -> None:
        """GUI thread, once a second: a field process that runs but has said nothing for ``SILENT_S``
        is lost (shown at once) and replaced. Only once it said ``ready``: starting may take long."""
        self._expire_calls(time.monotonic())
        link = self._link
        if link is None or not self._ready or self._stopping:
            return
        link.feed.read()  # what waits in the pipe first: a GUI that was busy itself is not the field's fault
        if self._link is not link:
            return
        silent = time.monotonic() - link.feed.heard
        if silent >= SILENT_S:
            log.error("field link process %s silent for %.0f s; ending it", link.child.process.pid, silent)
            self._lost(link, end_it=True, silent_s=silent)

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> bool:
        """True once the field core runs (for a caller that must not go on before: tests, tools).

        Call it on the GUI thread: it reads the pipe itself while it waits."""
        deadline = time.monotonic() + timeout
        while not self._ready and not self._stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not self._pump(min(0.05, remaining)):
                time.sleep(min(0.05, remaining))  # another thread: the GUI thread reads
        return self._ready

    def _pump(self, wait_s: float) -> bool:
        """On the GUI thread: wait up to ``wait_s`` for the pipe and read it. False on another thread."""
        if QThread.currentThread() is not self._end.thread():
            return False
        link = self._link
        if link is None:
            time.sleep(wait_s)  # between two field processes: the restart comes from a timer
            return True
        select.select([link.feed.reader.fileno()], [], [], wait_s)
        link.feed.read()
        return True

    def stop(self) -> None:
        self.listener = None  # the screens are going: nothing more for them
        with self._lock:
            self._stopping = True
            link, self._link = self._link, None
        if link is not None:
            with contextlib.suppress(OSError):
                link.child.conn.send(("stop",))
            self._until_bye(link)
            link.close()
            link.child.close()
        self._fail_pending("the cockpit is stopping")

    def _until_bye(self, link: _Link) -> None:
        """Read to the end (replies still resolve) so that the field core stops in order."""
        deadline = time.monotonic() + STOP_TIMEOUT_S
        reader = link.feed.reader
        while not reader.ended and reader.fault is None and time.monotonic() < deadline:
            select.select([reader.fileno()], [], [], 0.05)
            for message in reader.read():
                if message[0] == "reply":
                    self._reply(*message[1:])
                elif message[0] == "bye":
                    return

    # --- acts (into the field process; any thread) ----------------------------------------------------

    def _act(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._remote(name, *args, **kwargs)

    def _remote(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = PumpedFuture(self._pump)
        with self._lock:
            link = self._link
            if link is None or self._stopping or link.feed.reader.ended:
                fut.set_exception(RuntimeError("the field link process is not running"))
                return fut
            call_id = next(self._ids)
            self._pending[call_id] = (fut, name, time.monotonic() + CALL_TIMEOUT_S)
            try:
                link.child.conn.send(("call", call_id, name, args, kwargs))
            except OSError as exc:
                self._pending.pop(call_id, None)
                fut.set_exception(RuntimeError(f"the field link process is not reachable: {exc}"))
        return fut

    # --- the GUI thread: reading ----------------------------------------------------------------------

    def _control(self, link: _Link, message: tuple[Any, ...]) -> bool:
        """What the pipe carries besides updates, in order; False once this field process is lost."""
        kind = message[0]
        if kind == "reply":
            self._reply(*message[1:])
        elif kind == "ready":
            self._ready = True
        elif kind == "failed":  # it said why, and ended: show that, then try again
            log.error("field link process could not start: %s", message[1])
            self._lost(link, why=str(message[1]))
            return False
        return True

    def _closed(self, link: _Link) -> None:
        """Its end of the pipe closed, or sent a frame that cannot be read."""
        if self._stopping:
            return
        fault = link.feed.reader.fault
        if fault is not None:
            # The two processes no longer understand each other (a version mismatch, a corrupt
            # stream): nothing it sends can be trusted, so it is lost like one that ended.
            log.error("field link: %s; giving up on this field process and starting a new one", fault)
            self._lost(link, end_it=True)
        else:
            self._lost(link)

    def _reply(self, call_id: int, ok: bool, value: Any) -> None:
        with self._lock:
            found = self._pending.pop(call_id, None)
        if found is None:  # answered after its time-out: the caller was told already
            log.warning("field link: call %d answered after its time-out", call_id)
            return
        fut = found[0]
        if fut.set_running_or_notify_cancel():
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)

    # --- the GUI thread: a lost field process ---------------------------------------------------------

    def _lost(self, link: _Link, why: str = "", *, end_it: bool = False, silent_s: float = 0.0) -> None:
        """Show the loss at once (every channel STALE, the link down), then start a new field process.

        ``end_it``: the process still runs (it sent what cannot be read): it is told to stop, and
        its pipe closed, so it stops in order as when the window ends."""
        with self._lock:
            if self._link is not link:
                return
            self._link = None
        self._ready = False
        if link.feed.applied:
            self._backoff = 1.0  # it worked for a while: the next one starts after the shortest wait
        link.close()
        if end_it:
            with contextlib.suppress(OSError):
                link.child.conn.send(("stop",))
            link.child.release()
        code = link.child.process.exitcode  # None while it is still on its way out
        ended = "ended" if code is None else f"ended (exit code {code})"
        self._fail_pending(f"the field link process {ended}")
        if why:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_NOT_STARTED, why)
        elif silent_s:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_SILENT, round(silent_s))
        elif end_it:  # it runs still, but what it sent cannot be read (the log says what)
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_UNREADABLE)
        elif code is None:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_ENDED)
        else:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_EXITED, code)
        self._tell(self.model.lose(state))
        self._reap(link.child, time.monotonic() + REAP_WAIT_S)

    def _reap(self, child: FieldProcess, deadline: float, signals: int = 0) -> None:
        """Let it finish (one stopping in order publishes its offline health first), then SIGTERM,
        then SIGKILL: each step polled on a timer, so the GUI thread never waits for it."""
        process = child.process
        if process.exitcode is None and time.monotonic() < deadline:
            QTimer.singleShot(REAP_POLL_MS, self._end, lambda: self._reap(child, deadline, signals))
            return
        if process.exitcode is None and signals < 2:
            what = ("terminating", "killing")[signals]
            log.error("field link process %s did not end in time; %s it", process.pid, what)
            with contextlib.suppress(OSError):
                (process.terminate, process.kill)[signals]()
            self._reap(child, time.monotonic() + REAP_SIGNAL_S, signals + 1)
            return
        child.release()
        log.error("field link process ended (exit code %s); starting a new one", process.exitcode)
        QTimer.singleShot(round(self._backoff * 1000), self._end, self._restart)

    def _restart(self) -> None:
        """A timer's callback: whatever goes wrong here is logged and tried again after the back-off
        (an exception escaping a timer would end the restarts for good)."""
        if self._stopping:
            return
        try:
            fresh = self._launch(None)
        except Exception as exc:  # UserError (it ended while starting), OSError (spawning failed) …
            self._backoff = min(RESTART_MAX_S, self._backoff * 2)
            log.error(
                "field link process: restart failed (%s: %s); trying again in %.0f s",
                type(exc).__name__,
                exc,
                self._backoff,
            )
            QTimer.singleShot(round(self._backoff * 1000), self._end, self._restart)
            return
        self._backoff = min(RESTART_MAX_S, self._backoff * 2)  # reset when one that sent updates is lost
        with self._lock:
            if self._stopping:  # stop() came while it was starting: tell this one to stop too
                with contextlib.suppress(OSError):
                    fresh.conn.send(("stop",))
                fresh.close()
                return
            self._link = self._new_link(fresh)
        self.restarts += 1
        log.info("field link process restarted (%d restarts)", self.restarts)
        self._watch()

    def _fail_pending(self, why: str) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for fut, _, _ in pending.values():
            if fut.set_running_or_notify_cancel():
                fut.set_exception(RuntimeError(why))

    def _expire_calls(self, now: float) -> None:
        """GUI thread, on the watchdog's tick: fail the acts past their deadline (``CALL_TIMEOUT_S``)."""
        with self._lock:
            late = [call_id for call_id, (_, _, deadline) in self._pending.items() if deadline <= now]
            expired = [self._pending.pop(call_id) for call_id in late]
        for fut, act, _ in expired:
            log.error("field link: %s got no answer within %.0f s", act, CALL_TIMEOUT_S)
            if fut.set_running_or_notify_cancel():
                fut.set_exception(CallUnanswered(act, CALL_TIMEOUT_S))
