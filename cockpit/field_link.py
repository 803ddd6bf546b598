"""The field link in a process of its own: decoding, the store, the alarm engine and stop-work run
beside the GUI, not inside it.

Why: in one process paho's network thread, the core thread and the GUI thread share one GIL. At
10,000 messages/s the two field threads keep the interpreter busy, and every time Qt calls into Python
the GUI thread waits for its turn: a 10 ms timer fired 50-160 ms late and the process took in only
about 3,400 messages/s with four screens open (bench/ui_frame). In its own process the field link has a
core and a GIL to itself, and the GUI receives what changed, ten times a second and at once for an
alarm or a command.

The GUI process holds a ``RemoteCore``: the face of ``CockpitCore`` that the screens use. Its store is
a ``TelemetryStore`` mirror fed with the field store's exports (``StoreExport``: new samples in three
arrays, channel and device state as tuples); its engine, stop-work, permits, link and counters are the
field process's latest ``Board``. Operator acts (acknowledge, shelve, stop, resume …) are calls into
the field process; their futures resolve when it answers. ``call(fn)`` runs ``fn`` at once against the
mirrors, so ``take_snapshot`` works unchanged.

The pipe (``multiprocessing``, spawned, so that nothing of Qt is forked):

* GUI → field: ``("start", FieldLinkParams)``, ``("call", id, name, args, kwargs)``, ``("stop",)``
* field → GUI: ``("ready",)`` or ``("failed", line)``, ``("update", Update)``, ``("reply", id, ok,
  value)``, ``("bye",)``

If the field process ends unasked, every mirrored channel turns STALE (``link_down``), the link shows
disconnected with the reason, pending calls fail, and a new field process is started (backing off up
to 30 s). If the GUI process ends, the field process sees its pipe close and stops the core in order.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import pickle
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from cockpit.config import Config
from cockpit.core import CockpitCore, CoreDelta, CoreStats, PermitInfo, field_connector
from cockpit.roles import Actor
from cockpit.stopwork import CommandView, WorkState
from cockpit.telemetry import StaleReason, StoreExport, TelemetryStore
from connectors.database import Database
from connectors.mqtt import LinkCause, LinkCounters, LinkState, LinkStatus
from models.alarms import Alarm, FloodState
from models.errors import UserError
from models.limits import ChannelLimits, LimitResolver
from models.records import ChannelKey

log = logging.getLogger(__name__)

T = TypeVar("T")

SEND_INTERVAL_S = 0.1  # plain value changes go to the GUI ten times a second
BOARD_INTERVAL_S = 1.0  # counters and the rest of the board at least once a second
START_TIMEOUT_S = 120.0  # a slow disk's first start (imports, database) stays well inside this
RESTART_MAX_S = 30.0
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


@dataclass(frozen=True)
class Board:
    """The field core's state as the screens read it, copied on the core thread."""

    alarms: tuple[Alarm, ...]
    flood: FloodState
    work_states: dict[tuple[str, str], WorkState]
    commands: tuple[CommandView, ...]
    permits: dict[str, PermitInfo]
    counters: LinkCounters
    link: LinkState
    rejections: dict[str, Any]
    health: dict[str, Any]


@dataclass(frozen=True)
class Update:
    delta: CoreDelta
    store: StoreExport
    stats: CoreStats  # with every update: the screens' message counters stay current
    board: Board | None


def take_board(core: CockpitCore) -> Board:
    """Run on the core thread: copies, never live objects."""
    return Board(
        alarms=tuple(core.engine.active()),
        flood=core.engine.flood_state(core.clock()),
        work_states=dict(core.stopwork.work_states),
        commands=tuple(c.copy() for c in core.stopwork.recent()),
        permits={k: replace(p) for k, p in core.permits.items()},
        counters=core.connector.counters(),
        link=core.connector.link_state,
        rejections=core.rejections.snapshot(),
        health=core.health_payload(),
    )


# --------------------------------------------------------------------------- the field process


class _Sender:
    """In the field process: gathers the core's deltas and sends them with the store's new samples."""

    def __init__(self, send: Callable[[tuple[Any, ...]], None]) -> None:
        self.core: CockpitCore | None = None
        self._send = send
        self._lock = threading.Lock()
        self._delta = CoreDelta()
        self._board: Board | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._last_board = 0.0
        self._thread = threading.Thread(target=self._run, name="field-link-sender", daemon=True)

    def on_delta(self, delta: CoreDelta) -> None:
        """The core's listener (core thread). An alarm, a command or a link change goes at once."""
        urgent = bool(delta.transitions or delta.commands or delta.permits_changed or delta.link is not None)
        board = take_board(self.core) if urgent and self.core is not None else None
        with self._lock:
            self._delta.merge(delta)
            if board is not None:
                self._board = board
        if urgent:
            self._wake.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        core = self.core
        assert core is not None
        while not self._stopping.is_set():
            self._wake.wait(SEND_INTERVAL_S)
            self._wake.clear()
            with self._lock:
                delta, self._delta = self._delta, CoreDelta()
                board, self._board = self._board, None
            mono = time.monotonic()
            try:
                if board is None and mono - self._last_board >= BOARD_INTERVAL_S:
                    board = core.call(lambda: take_board(core)).result(timeout=5)
                if board is not None:
                    self._last_board = mono
                if not delta and board is None:
                    continue
                export = core.store.take_export(delta.dirty_channels)
                self._send(("update", Update(delta, export, replace(core.stats), board)))
            except (OSError, EOFError):
                return  # the GUI is gone; the main loop sees it too
            except Exception:
                log.exception("field link: sending an update failed; carrying on")


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
    send_lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            conn.send(message)

    sender = _Sender(send)
    try:
        db = open_database(params.db_url, upgrade=False)
        core = CockpitCore(
            params.config,
            db,
            console=params.console,
            broker_url=params.broker_url,
            username=params.username,
            password=params.password,
            listener=sender.on_delta,
        )
        sender.core = core
        core.store.enable_export()
        core.start()
    except UserError as exc:
        send(("failed", str(exc)))
        return
    except Exception as exc:
        log.exception("field link: start failed")
        send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    send(("ready",))  # before the first update: the GUI reads updates only once it knows the core runs
    sender.start()
    log.info("field link process running for console %s", core.console)
    try:
        _serve_calls(core, conn, send)
    finally:
        sender.stop()
        core.stop()
        db.dispose()
        with contextlib.suppress(OSError, EOFError):
            send(("bye",))
        log.info("field link process stopped")


def _exit_in_order(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # unwinds to field_process_main's finally: the core stops as on "stop"


def _serve_calls(core: CockpitCore, conn: Any, send: Callable[[tuple[Any, ...]], None]) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            log.warning("field link: the GUI process is gone; stopping")
            return
        if message[0] == "stop":
            return
        if message[0] != "call":
            continue
        _, call_id, name, args, kwargs = message

        def reply(ok: bool, value: Any, call_id: int = call_id) -> None:
            with contextlib.suppress(OSError, EOFError):
                send(("reply", call_id, ok, value if ok else _reply_payload(value)))

        if name not in CALLS:
            reply(False, ValueError(f"the field link has no call {name!r}"))
            continue
        try:
            result = getattr(core, name)(*args, **kwargs)
        except Exception as exc:  # not SystemExit: a SIGTERM arriving now still stops the process
            reply(False, exc)
            continue
        if isinstance(result, Future):

            def done(fut: Future[Any], reply: Callable[[bool, Any], None] = reply) -> None:
                exc = fut.exception()
                reply(exc is None, fut.result() if exc is None else exc)

            result.add_done_callback(done)
        else:
            reply(True, result)


# --------------------------------------------------------------------------- the GUI's side


class EngineMirror:
    """What the screens read of the alarm engine: the field process's latest board."""

    def __init__(self, resolver: LimitResolver) -> None:
        self._resolver = resolver
        self.alarms: tuple[Alarm, ...] = ()
        self.flood = FloodState(False, 0)

    def active(self) -> list[Alarm]:
        return list(self.alarms)

    def get(self, alarm_id: str) -> Alarm | None:
        """An alarm not NORMAL (the board holds only those)."""
        return next((a for a in self.alarms if a.alarm_id == alarm_id), None)

    def flood_state(self, now: datetime | None = None) -> FloodState:
        return self.flood

    def limits(self, key: ChannelKey) -> ChannelLimits | None:
        return self._resolver.limits_for(key)  # configuration only: the same as the field's


class StopWorkMirror:
    def __init__(self) -> None:
        self.work_states: dict[tuple[str, str], WorkState] = {}
        self.commands: tuple[CommandView, ...] = ()

    def recent(self) -> list[CommandView]:
        return list(self.commands)


class ConnectorMirror:
    def __init__(self, url: str) -> None:
        self.url = url
        self.link_state = LinkState.because(LinkStatus.CONNECTING, LinkCause.FIELD_STARTING)
        self.latest = LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, None)  # from the board

    def counters(self) -> LinkCounters:
        return self.latest


class RejectionsMirror:
    def __init__(self) -> None:
        self.latest: dict[str, Any] = {"total": 0, "by_reason": {}, "recent": []}  # from the board

    @property
    def total(self) -> int:
        return int(self.latest["total"])

    def by_reason(self) -> dict[str, int]:
        return dict(self.latest["by_reason"])

    def snapshot(self) -> dict[str, Any]:
        return self.latest


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


class RemoteCore:
    """The GUI process's ``CockpitCore``: mirrors to read, calls to act (see the module docstring)."""

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
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        process: FieldProcess | None = None,
        log_dir: str | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.console = console or config.general.console_id
        self.clock = clock
        self.listener = listener
        self.store = TelemetryStore(default_max_age_s=config.mqtt.default_max_age_s)
        self.engine = EngineMirror(LimitResolver(config.alarms.profile, config.alarms.limits))
        self.stopwork = StopWorkMirror()
        self.permits: dict[str, PermitInfo] = {}
        self.stats = CoreStats()
        self.connector = ConnectorMirror(broker_url or config.mqtt.url)
        self.rejections = RejectionsMirror()
        self.health: dict[str, Any] = {}
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
        self._child = process
        self._send_lock = threading.Lock()
        self._pending: dict[int, Future[Any]] = {}
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

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
        self._child = self._launch(self._child)
        self._reader = threading.Thread(target=self._read_loop, name="field-link-reader", daemon=True)
        self._reader.start()

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

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> bool:
        """True once the field core runs (for a caller that must not go on before: tests, tools)."""
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self.listener = None  # the screens are going: nothing more for them
        self._stopping.set()
        child = self._child
        if child is None:
            return
        with self._send_lock, contextlib.suppress(OSError):
            child.conn.send(("stop",))
        if self._reader is not None:
            self._reader.join(timeout=15)
        child.close()
        self._child = None
        self._fail_pending("the cockpit is stopping")

    # --- reads (any thread) ---------------------------------------------------------------------------

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` now, here: it reads the mirrors, which are this side's copy of the field core."""
        fut: Future[T] = Future()
        try:
            fut.set_result(fn())
        except BaseException as exc:
            fut.set_exception(exc)
        return fut

    def health_payload(self) -> dict[str, Any]:
        return dict(self.health)

    # --- acts (into the field process) ----------------------------------------------------------------

    def _remote(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        with self._send_lock:
            child = self._child
            if child is None or self._stopping.is_set():
                fut.set_exception(RuntimeError("the field link process is not running"))
                return fut
            call_id = next(self._ids)
            self._pending[call_id] = fut
            try:
                child.conn.send(("call", call_id, name, args, kwargs))
            except OSError as exc:
                self._pending.pop(call_id, None)
                fut.set_exception(RuntimeError(f"the field link process is not reachable: {exc}"))
        return fut

    def acknowledge(self, actor: Actor, alarm_ids: list[str], note: str = "") -> Future[int]:
        return self._remote("acknowledge", actor, alarm_ids, note)

    def shelve(self, actor: Actor, alarm_id: str, reason: str, minutes: float) -> Future[int]:
        return self._remote("shelve", actor, alarm_id, reason, minutes)

    def unshelve(self, actor: Actor, alarm_id: str) -> Future[int]:
        return self._remote("unshelve", actor, alarm_id)

    def set_out_of_service(self, actor: Actor, alarm_id: str, reason: str, in_service: bool) -> Future[int]:
        return self._remote("set_out_of_service", actor, alarm_id, reason, in_service)

    def clear_event(self, actor: Actor, alarm_id: str, note: str = "") -> Future[int]:
        return self._remote("clear_event", actor, alarm_id, note)

    def stop_work(
        self, actor: Actor, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]:
        return self._remote("stop_work", actor, site, area, reason, alarm_id)

    def resume_work(self, actor: Actor, site: str, area: str, reason: str) -> Future[CommandView]:
        return self._remote("resume_work", actor, site, area, reason)

    def publish_permit_state(
        self,
        site: str,
        area: str,
        permit: str,
        *,
        type_: str,
        grade: str | None,
        status: str,
        valid_to: datetime,
        by: str,
    ) -> None:
        fields = {"type_": type_, "grade": grade, "status": status, "valid_to": valid_to, "by": by}
        fut = self._remote("publish_permit_state", site, area, permit, **fields)
        fut.add_done_callback(
            lambda f: f.exception() and log.error("publishing permit %s failed: %s", permit, f.exception())
        )

    # --- the reader thread ----------------------------------------------------------------------------

    def _read_loop(self) -> None:
        backoff: float | None = 1.0
        while backoff is not None:
            child = self._child
            if child is None:
                return
            try:
                message = child.conn.recv()
            except (EOFError, OSError):
                message = ("gone",)
            try:
                backoff = self._handle(child, message, backoff)
            except Exception:  # a fault here must not end the reader: the screens would freeze
                log.exception("field link: handling %r failed; carrying on", message[0])

    def _handle(self, child: FieldProcess, message: tuple[Any, ...], backoff: float) -> float | None:
        """One message from the field process: the back-off for its next restart, None when done."""
        kind = message[0]
        if kind == "ready":
            self._ready.set()
        elif kind == "failed":  # it said why, and ended: show that, then try again
            log.error("field link process could not start: %s", message[1])
            return self._field_process_lost(child, backoff, why=str(message[1]))
        elif kind == "update":
            self._apply(message[1])
            return 1.0
        elif kind == "reply":
            fut = self._pending.pop(message[1], None)
            if fut is not None and fut.set_running_or_notify_cancel():
                if message[2]:
                    fut.set_result(message[3])
                else:
                    fut.set_exception(message[3])
        elif kind in ("gone", "bye"):
            if self._stopping.is_set():
                return None
            return self._field_process_lost(child, backoff)
        return backoff

    def _apply(self, update: Update) -> None:
        self.store.absorb(update.store)
        self.stats = update.stats
        board = update.board
        if board is not None:
            self.engine.alarms, self.engine.flood = board.alarms, board.flood
            self.stopwork.work_states, self.stopwork.commands = board.work_states, board.commands
            self.permits = board.permits
            self.connector.latest = board.counters
            self.connector.link_state = board.link
            self.rejections.latest = board.rejections
            self.health = board.health
        delta = update.delta
        if delta.link is not None:
            self.connector.link_state = delta.link
        listener = self.listener
        if listener is not None and (delta or board is not None):
            listener(delta)

    def _field_process_lost(self, child: FieldProcess, backoff: float, why: str = "") -> float:
        """Show the loss at once (every channel STALE, the link down), then start a new field process."""
        self._ready.clear()
        code = child.process.exitcode  # None while it is still on its way out
        ended = "ended" if code is None else f"ended (exit code {code})"
        self._fail_pending(f"the field link process {ended}")
        if why:
            link = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_NOT_STARTED, why)
        elif code is None:
            link = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_ENDED)
        else:
            link = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.FIELD_EXITED, code)
        self.connector.link_state = link
        stale = self.store.mark_all_stale(StaleReason.LINK_DOWN)
        listener = self.listener
        if listener is not None:
            listener(CoreDelta(dirty_channels=set(stale), link=link))
        # Then let it finish: one stopping in order (SIGTERM) publishes its offline health first.
        child.close(10)
        log.error(
            "field link process ended unexpectedly (exit code %s); starting a new one", child.process.exitcode
        )
        while not self._stopping.is_set():
            if self._stopping.wait(backoff):
                break
            try:
                fresh = self._launch(None)
            except UserError as exc:
                log.error("field link process: restart failed: %s", exc)
                backoff = min(RESTART_MAX_S, backoff * 2)
                continue
            with self._send_lock:
                if self._stopping.is_set():
                    self._child = child  # stop() closes what it finds; this one is told below
                    with contextlib.suppress(OSError):
                        fresh.conn.send(("stop",))
                    fresh.close()
                    return backoff
                self._child = fresh
            self.restarts += 1
            log.info("field link process restarted (%d restarts)", self.restarts)
            return min(RESTART_MAX_S, backoff * 2)
        return backoff

    def _fail_pending(self, why: str) -> None:
        with self._send_lock:
            pending, self._pending = self._pending, {}
        for fut in pending.values():
            if fut.set_running_or_notify_cancel():
                fut.set_exception(RuntimeError(why))
