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
same live model, through a local queue.

The pipe (``multiprocessing``, spawned, so that nothing of Qt is forked):

* GUI → field, the connection's own framing: ``("start", FieldLinkParams)``, ``("call", id, name,
  args, kwargs)``, ``("stop",)``
* field → GUI, ``cockpit/pipe.py`` (written by the core thread without waiting, read by the GUI
  thread when a ``QSocketNotifier`` says there is something): ``("ready",)`` or ``("failed", line)``,
  ``("update", Update)``, ``("reply", id, ok, value)``, ``("bye",)``

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
import pickle
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QThread, QTimer, Signal

from cockpit.config import Config
from cockpit.core import CockpitCore, CoreDelta, field_connector
from cockpit.live import (
    Board,
    ConnectorMirror,
    EngineMirror,
    MirroredCore,
    RejectionsMirror,
    StopWorkMirror,
    Update,
    UpdateBuilder,
    gui_object,
    take_board,
)
from cockpit.pipe import FrameReader, PipeWriter
from connectors.database import Database
from connectors.mqtt import LinkCause, LinkState, LinkStatus
from models.errors import UserError

__all__ = [  # Board, Update, take_board and the mirrors live in cockpit/live.py; old imports still work
    "Board",
    "ConnectorMirror",
    "EngineMirror",
    "FieldLinkParams",
    "FieldProcess",
    "RejectionsMirror",
    "RemoteCore",
    "StopWorkMirror",
    "Update",
    "field_process_main",
    "take_board",
]

log = logging.getLogger(__name__)

PUMP_S = 0.1  # the field's main thread queues the builder's tick this often (held values, the board)
START_TIMEOUT_S = 120.0  # a slow disk's first start (imports, database) stays well inside this
STOP_TIMEOUT_S = 15.0
RESTART_MAX_S = 30.0
REAP_POLL_MS = 50
# What the GUI may ask of the field process: the operator's acts, nothing else.
CALLS = frozenset(
    {
        "acknowledge",
        "shelve",
        "unshelve",
        "set_out_of_service",
        "clear_event",
        "stop_work",
        "resume_work",
        "publish_permit_state",
    }
)


@dataclass(frozen=True)
class FieldLinkParams:
    config: Config
    db_url: str  # with its password (the pipe is the two processes' own)
    console: str | None
    broker_url: str | None
    username: str | None
    password: str | None
    log_dir: str | None = None  # None: the user's log folder


# --------------------------------------------------------------------------- the field process


def _reply_payload(exc: BaseException) -> BaseException:
    """``exc`` if it crosses the pipe intact, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def field_process_main(conn: Any) -> None:
    """The field process: wait for its parameters, run the core, answer calls until told to stop."""
    try:
        first = conn.recv()
    except (EOFError, OSError):
        return
    if not (isinstance(first, tuple) and first[0] == "start"):
        return
    params: FieldLinkParams = first[1]
    import signal
    from pathlib import Path

    # Ctrl+C in a terminal reaches the whole process group: the window stops this process in order
    # (its pipe), so the key is not ours. SIGTERM stops the core in order too (offline health).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_in_order)

    from cockpit.logs import setup_logging
    from connectors.database import open_database

    setup_logging(
        params.config, log_dir=Path(params.log_dir) if params.log_dir else None, file_name="field-link.log"
    )
    writer = PipeWriter(conn)
    builder = UpdateBuilder(lambda update: _send_update(writer, update), writer.busy)
    try:
        db = open_database(params.db_url, upgrade=False)
        core = CockpitCore(
            params.config,
            db,
            console=params.console,
            broker_url=params.broker_url,
            username=params.username,
            password=params.password,
            listener=builder.on_delta,
        )
        builder.core = core
        core.store.enable_export()
        core.start()
    except UserError as exc:
        writer.send(("failed", str(exc)))
        return
    except Exception as exc:
        log.exception("field link: start failed")
        writer.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    writer.send(("ready",))  # before the first update: the GUI reads updates once it knows the core runs
    log.info("field link process running for console %s", core.console)
    try:
        _serve_calls(core, conn, writer, builder)
    finally:
        core.stop()
        db.dispose()
        with contextlib.suppress(OSError):
            writer.send(("bye",))
            _drain(writer)
        writer.close()
        log.info(
            "field link process stopped: %d messages to the window, %.0f KB on average, the largest %.0f KB; "
            "%d times an update waited for the window to read",
            writer.frames,
            writer.sent_bytes / max(1, writer.frames) / 1024,
            writer.largest / 1024,
            builder.held,
        )


def _send_update(writer: PipeWriter, update: Update) -> None:
    """The core thread's transport: into the pipe, or dropped once the window has gone."""
    with contextlib.suppress(OSError):  # the main thread sees the pipe close and stops the core
        writer.send(("update", update))


def _drain(writer: PipeWriter, timeout: float = 2.0) -> None:
    """Give the window a moment to read our last words (``bye``, the last replies)."""
    deadline = time.monotonic() + timeout
    while writer.busy() and not writer.broken and time.monotonic() < deadline:
        time.sleep(0.01)
        writer.flush()


def _exit_in_order(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # unwinds to field_process_main's finally: the core stops as on "stop"


def _serve_calls(core: CockpitCore, conn: Any, writer: PipeWriter, builder: UpdateBuilder) -> None:
    """The main thread: the window's calls, and between them the builder's tick on the core thread."""
    while True:
        try:
            if not conn.poll(PUMP_S):
                core.call(builder.tick)
                core.call(writer.flush)  # the rest of an update the window had no room for
                continue
            message = conn.recv()
        except (EOFError, OSError):
            log.warning("field link: the GUI process is gone; stopping")
            return
        if message[0] == "stop":
            return
        if message[0] == "call":
            _serve_call(core, writer, *message[1:])


def _serve_call(
    core: CockpitCore, writer: PipeWriter, call_id: int, name: str, args: Any, kwargs: Any
) -> None:
    def reply(ok: bool, value: Any) -> None:
        with contextlib.suppress(OSError):
            writer.send(("reply", call_id, ok, value if ok else _reply_payload(value)))

    if name not in CALLS:
        reply(False, ValueError(f"the field link has no call {name!r}"))
        return
    try:
        result = getattr(core, name)(*args, **kwargs)
    except Exception as exc:  # not SystemExit: a SIGTERM arriving now still stops the process
        reply(False, exc)
        return
    if isinstance(result, Future):

        def done(fut: Future[Any]) -> None:
            exc = fut.exception()
            reply(exc is None, fut.result() if exc is None else exc)

        result.add_done_callback(done)
    else:
        reply(True, result)


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
            target=field_process_main, args=(theirs,), name="cockpit-field-link", daemon=True
        )
        process.start()
        theirs.close()
        return cls(process, ours)

    def close(self, timeout: float = 10.0) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            log.error("field link process did not stop within %.0f s; terminating it", timeout)
            self.process.terminate()
            self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class _Link:
    """One running field process as the GUI thread reads it: the process, its reader, its notifier."""

    def __init__(self, child: FieldProcess) -> None:
        self.child = child
        self.reader = FrameReader(child.conn)
        self.notifier: QSocketNotifier | None = None

    def close(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        self.reader.close()


class _PipeFuture(Future[Any]):
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
    ) -> None:
        super().__init__(config, db, console=console, url=broker_url or config.mqtt.url, listener=listener)
        self.restarts = 0
        self._params = FieldLinkParams(
            config=config,
            db_url=db.engine.url.render_as_string(hide_password=False),
            console=self.console,
            broker_url=broker_url,
            username=username,
            password=password,
            log_dir=log_dir,
        )
        self._spawned = process
        self._link: _Link | None = None
        self._pending: dict[int, Future[Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()  # the link and the pending calls: acts come from any thread
        self._stopping = False
        self._ready = False
        self._backoff = 1.0
        self._end = _GuiEnd(self._watch)

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
        self._link = _Link(self._launch(self._spawned))
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

    def _watch(self) -> None:
        """GUI thread: read the pipe whenever it has something (or the field process has ended)."""
        link = self._link
        if link is None or link.notifier is not None or self._stopping:
            return
        link.notifier = QSocketNotifier(link.reader.fileno(), QSocketNotifier.Type.Read, self._end)
        link.notifier.activated.connect(self._readable)
        self._readable()  # whatever came before the notifier was there

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
        select.select([link.reader.fileno()], [], [], wait_s)
        self._readable()
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
        while not link.reader.ended and time.monotonic() < deadline:
            select.select([link.reader.fileno()], [], [], 0.05)
            for message in link.reader.read():
                if message[0] == "reply":
                    self._reply(*message[1:])
                elif message[0] == "bye":
                    return

    # --- acts (into the field process; any thread) ----------------------------------------------------

    def _act(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._remote(name, *args, **kwargs)

    def _remote(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = _PipeFuture(self._pump)
        with self._lock:
            link = self._link
            if link is None or self._stopping or link.reader.ended:
                fut.set_exception(RuntimeError("the field link process is not running"))
                return fut
            call_id = next(self._ids)
            self._pending[call_id] = fut
            try:
                link.child.conn.send(("call", call_id, name, args, kwargs))
            except OSError as exc:
                self._pending.pop(call_id, None)
                fut.set_exception(RuntimeError(f"the field link process is not reachable: {exc}"))
        return fut

    # --- the GUI thread: reading ----------------------------------------------------------------------

    def _readable(self) -> None:
        link = self._link
        if link is None:
            return
        try:
            messages = link.reader.read()
        except Exception:  # a fault here must not end the reading: the screens would freeze
            log.exception("field link: reading the pipe failed; carrying on")
            messages = []
        updates: list[Update] = []
        for message in messages:
            kind = message[0]
            if kind == "update":
                updates.append(message[1])
            elif kind == "reply":
                self._reply(*message[1:])
            elif kind == "ready":
                self._ready = True
            elif kind == "failed":  # it said why, and ended: show that, then try again
                log.error("field link process could not start: %s", message[1])
                self._lost(link, why=str(message[1]))
                return
        if updates:
            self._backoff = 1.0
            self._apply(updates)
        if link.reader.ended and not self._stopping:
            self._lost(link)

    def _reply(self, call_id: int, ok: bool, value: Any) -> None:
        with self._lock:
            fut = self._pending.pop(call_id, None)
        if fut is not None and fut.set_running_or_notify_cancel():
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)

    # --- the GUI thread: a lost field process ---------------------------------------------------------

    def _lost(self, link: _Link, why: str = "") -> None:
        """Show the loss at once (every channel STALE, the link down), then start a new field process."""
        with self._lock:
            if self._link is not link:
                return
            self._link = None
        self._ready = False
        link.close()
        code = link.child.process.exitcode  # None while it is still on its way out
        ended = "ended" if code is None else f"ended (exit code {code})"
        self._fail_pending(f"the field link process {ended}")
        if why:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_NOT_STARTED, why)
        elif code is None:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_ENDED)
        else:
            state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_EXITED, code)
        self._tell(self.model.lose(state))
        self._reap(link.child, time.monotonic() + 10.0)

    def _reap(self, child: FieldProcess, deadline: float) -> None:
        """Let it finish (one stopping in order publishes its offline health first), without waiting."""
        if child.process.exitcode is None and time.monotonic() < deadline:
            QTimer.singleShot(REAP_POLL_MS, self._end, lambda: self._reap(child, deadline))
            return
        child.close(0 if child.process.exitcode is not None else 5)
        log.error(
            "field link process ended unexpectedly (exit code %s); starting a new one", child.process.exitcode
        )
        QTimer.singleShot(round(self._backoff * 1000), self._end, self._restart)

    def _restart(self) -> None:
        if self._stopping:
            return
        try:
            fresh = self._launch(None)
        except UserError as exc:
            log.error("field link process: restart failed: %s", exc)
            self._backoff = min(RESTART_MAX_S, self._backoff * 2)
            QTimer.singleShot(round(self._backoff * 1000), self._end, self._restart)
            return
        self._backoff = min(RESTART_MAX_S, self._backoff * 2)  # reset by the first update it sends
        with self._lock:
            if self._stopping:  # stop() came while it was starting: tell this one to stop too
                with contextlib.suppress(OSError):
                    fresh.conn.send(("stop",))
                fresh.close()
                return
            self._link = _Link(fresh)
        self.restarts += 1
        log.info("field link process restarted (%d restarts)", self.restarts)
        self._watch()

    def _fail_pending(self, why: str) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for fut in pending.values():
            if fut.set_running_or_notify_cancel():
                fut.set_exception(RuntimeError(why))
