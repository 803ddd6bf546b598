"""The GUI thread's side of the one crossing: the frames read, the one live model, the one signal.

What the core thread built (``cockpit/live_feed.py``: one ``Update`` per tick) arrives here and is
applied, on the GUI thread, to ONE ``LiveModel`` (a mirror ``TelemetryStore`` and the core's latest
``CoreState``); then the views hear of it through ONE signal, ``CoreBridge.changed``. All of it is in
this file, whichever transport carried the update:

* from the field process: ``PipeFeed``, a ``QSocketNotifier`` on the pipe; when it fires the frames
  are read (``FrameReader``) and every update in them applied at once. What else the pipe carries
  (the answers to calls, ``ready``, ``failed``) is handed to ``cockpit.field_link.RemoteCore``, which
  also hears when the pipe ended or could not be read: spawning, calls and restarts live there, not
  on a reading's way;
* in process: ``GuiInbox``, a local queue the core thread puts into and the GUI thread drains.

``MirroredCore`` is what both shapes share: the ``CorePort`` reads, served from the live model.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from cockpit.config import Config
from cockpit.core_state import CoreDelta, CoreState, CoreStats, PermitInfo
from cockpit.gui_thread import gui_object
from cockpit.live_feed import HEADER, SEND_BUFFER, SEND_INTERVAL_S, Update, socket_of
from cockpit.register_live import merged_resolver
from cockpit.stopwork import CommandView, WorkState
from cockpit.telemetry import StaleReason, TelemetryStore
from connectors.mqtt import BrokerUrl, LinkCause, LinkCounters, LinkState, LinkStatus
from models.alarms import Alarm, FloodState
from models.limits import ChannelLimits, LimitResolver
from models.records import ChannelKey

if TYPE_CHECKING:
    from cockpit.permits.records import PermitStateChange
    from cockpit.sessions import LoginSession

log = logging.getLogger(__name__)
T = TypeVar("T")

READ_BLOCK = 256 * 1024
MAX_FRAME = 1024 * 1024 * 1024  # a longer frame is a corrupt header, not an update (the largest: ~105 KB)


class CoreBridge(QObject):
    """The one signal the views listen to: the delta of every update the live model applied.

    ``deliver`` is the ``MirroredCore``'s listener and runs on the GUI thread, so the signal is
    delivered there directly. A listener on another thread (a bare ``CockpitCore``'s core thread, in
    a tool or a test) still works: Qt queues the signal across."""

    changed = Signal(object)  # CoreDelta

    def deliver(self, delta: CoreDelta) -> None:
        self.changed.emit(delta)


# --------------------------------------------------------------------------- the transports' GUI ends


class FrameReader:
    """Reads what the field process wrote, as whole messages, without blocking."""

    def __init__(self, conn: Any) -> None:
        self._sock = socket_of(conn)
        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SEND_BUFFER)
        self._buf = bytearray()
        self.ended = False
        self.fault: str | None = None  # why a frame could not be read; the socket is not read after it

    def fileno(self) -> int:
        return self._sock.fileno()

    def read(self) -> list[Any]:
        """Every whole message that has arrived (none if none); ``ended`` once the field end closed.

        A frame that cannot be read sets ``fault``: the frames around it that read are returned, and
        nothing more is read from the socket (the caller treats the field process as lost)."""
        while not self.ended and self.fault is None:
            try:
                block = self._sock.recv(READ_BLOCK, socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            except OSError:
                block = b""
            if not block:
                self.ended = True
                break
            self._buf += block
            if len(block) < READ_BLOCK:
                break
        return self._messages()

    def _messages(self) -> list[Any]:
        """The whole frames in the buffer, each consumed before it is unpickled (a bad one is never
        read twice); one that cannot be read is skipped and named in ``fault`` (the first only)."""
        out: list[Any] = []
        while len(self._buf) >= HEADER.size:
            (n,) = HEADER.unpack_from(self._buf, 0)
            if n > MAX_FRAME:
                self._failed(f"a frame header claims {n} bytes: the stream is out of step")
                self._buf.clear()
                break
            if len(self._buf) - HEADER.size < n:
                break
            with memoryview(self._buf) as view:
                data = bytes(view[HEADER.size : HEADER.size + n])
            del self._buf[: HEADER.size + n]
            try:
                out.append(pickle.loads(data))
            except Exception as exc:
                self._failed(f"a message of {n} bytes could not be read ({type(exc).__name__}: {exc})")
        return out

    def _failed(self, why: str) -> None:
        if self.fault is None:
            self.fault = " ".join(why.split())  # one line, whatever the exception said

    def close(self) -> None:
        self._sock.close()


class PipeFeed:
    """The GUI end of the pipe from one field process (see the module docstring).

    ``apply`` takes the updates of one read (the live model's), ``control`` every other message in
    order (False: this pipe is done with, read no further), ``closed`` is called once the field end
    closed or a frame could not be read (``reader.ended``, ``reader.fault``)."""

    def __init__(
        self,
        conn: Any,
        apply: Callable[[list[Update]], None],
        control: Callable[[tuple[Any, ...]], bool],
        closed: Callable[[], None],
    ) -> None:
        self.reader = FrameReader(conn)
        self.applied = 0  # updates applied from this pipe (a field process that worked)
        self.heard = time.monotonic()  # when the last message came (the watchdog's clock)
        self._apply = apply
        self._control = control
        self._closed = closed
        self._notifier: QSocketNotifier | None = None

    def watch(self, parent: QObject) -> None:
        """GUI thread: read whenever the pipe has something, and once now for what came before."""
        if self._notifier is not None:
            return
        self._notifier = QSocketNotifier(self.reader.fileno(), QSocketNotifier.Type.Read, parent)
        self._notifier.activated.connect(self.read)
        self.read()

    @property
    def watching(self) -> bool:
        return self._notifier is not None

    def read(self) -> None:
        """GUI thread: every whole frame that has arrived; the updates applied in one go."""
        updates: list[Update] = []
        messages = self.reader.read()  # a frame it cannot read is its ``fault``, not an exception
        if messages:
            self.heard = time.monotonic()
        for message in messages:
            if message[0] == "update":
                updates.append(message[1])
            elif not self._control(message):
                return
        if updates:
            self.applied += len(updates)
            self._apply(updates)
        if self.reader.fault is not None or self.reader.ended:
            self._closed()

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        self.reader.close()


class GuiInbox(QObject):
    """The in-process transport: the core thread puts updates, the GUI thread takes them all at once.

    One queued signal per batch of waiting updates (only when the inbox was empty), so a GUI that is
    busy gets one call for everything that arrived meanwhile. Busy means two are waiting: the builder
    then holds and merges, and nothing piles up here. Its timer queues the builder's tick on the core
    thread ten times a second (values held back, the board once a second).
    """

    arrived = Signal()
    _begin = Signal()

    def __init__(self, take: Callable[[list[Update]], None], pump: Callable[[], None]) -> None:
        super().__init__()
        self._take = take
        self._lock = threading.Lock()
        self._waiting: deque[Update] = deque()
        self._timer: QTimer | None = None
        self._pump = pump
        gui_object(self)
        self.arrived.connect(self._drain)
        self._begin.connect(self._start_pump)

    def start(self) -> None:
        self._begin.emit()  # the timer is made on the GUI thread, whichever thread starts us

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._drain()

    def busy(self) -> bool:
        return len(self._waiting) >= 2

    def put(self, update: Update) -> None:
        """Core thread: the one crossing of the in-process shape."""
        with self._lock:
            self._waiting.append(update)
            first = len(self._waiting) == 1
        if first:
            self.arrived.emit()

    def _drain(self) -> None:
        with self._lock:
            updates = list(self._waiting)
            self._waiting.clear()
        if updates:
            self._take(updates)

    def _start_pump(self) -> None:
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._pump)
        self._timer.start(round(SEND_INTERVAL_S * 1000))


# --------------------------------------------------------------------------- the live model


def empty_state(url_link: LinkState) -> CoreState:
    """What the screens read before the first board arrives: an empty plant, the link connecting."""
    return CoreState(
        alarms=(),
        flood=FloodState(False, 0),
        work_states={},
        commands=(),
        permits={},
        counters=LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, None),
        link=url_link,
        rejections={"total": 0, "by_reason": {}, "recent": []},
        health={},
        stats=CoreStats(),
    )


class LiveModel:
    """The GUI's one copy of the core's state: a mirror store and the core's latest ``CoreState``.

    ``state`` is the board the core thread published, as it came (nothing is copied out of it), with
    the link as the latest delta says; ``stats`` the counters of the latest update. Changed on the GUI
    thread only. The port's reads (``EngineMirror`` …) read from it."""

    def __init__(self, config: Config) -> None:
        self.store = TelemetryStore(default_max_age_s=config.mqtt.default_max_age_s)
        self.state = empty_state(LinkState.because(LinkStatus.CONNECTING, LinkCause.FIELD_STARTING))
        self.stats = CoreStats()

    def apply(self, update: Update) -> None:
        self.store.absorb(update.store)
        self.stats = update.stats
        if update.board is not None:
            self.state = update.board
        link = update.delta.link
        if link is not None and link is not self.state.link:
            self.state = replace(self.state, link=link)

    def lose(self, link: LinkState) -> CoreDelta:
        """The source is gone: every channel STALE (``link_down``) and the link as ``link`` says."""
        self.state = replace(self.state, link=link)
        return CoreDelta(dirty_channels=set(self.store.mark_all_stale(StaleReason.LINK_DOWN)), link=link)


class EngineMirror:
    """What the screens read of the alarm engine: the latest board's alarms (only those not NORMAL)."""

    def __init__(self, model: LiveModel, config: Config) -> None:
        self._model = model
        self._alarms = config.alarms
        self._seq = -1  # the board's register_seq the resolver was built for (-1: none yet)
        self._resolver = LimitResolver(config.alarms.profile, config.alarms.limits)

    def active(self) -> list[Alarm]:
        return list(self._model.state.alarms)

    def get(self, alarm_id: str) -> Alarm | None:
        return next((a for a in self._model.state.alarms if a.alarm_id == alarm_id), None)

    def flood_state(self, now: datetime | None = None) -> FloodState:
        return self._model.state.flood

    def limits(self, key: ChannelKey) -> ChannelLimits | None:
        """The configuration's limits with the register's, as the core's board says them (the core's)."""
        state = self._model.state
        if state.register_seq != self._seq:  # the register changed (cockpit/register_live.py)
            self._seq = state.register_seq
            self._resolver = merged_resolver(self._alarms.profile, self._alarms.limits, state.register_limits)
        return self._resolver.limits_for(key)


class StopWorkMirror:
    def __init__(self, model: LiveModel) -> None:
        self._model = model

    @property
    def work_states(self) -> Mapping[tuple[str, str], WorkState]:
        return self._model.state.work_states

    def recent(self) -> list[CommandView]:
        return list(self._model.state.commands)


class ConnectorMirror:
    def __init__(self, model: LiveModel, url: str) -> None:
        self._model = model
        self._url = url

    @property
    def url(self) -> BrokerUrl:
        return BrokerUrl.parse(self._url)  # parsed when read: a bad URL is start()'s to report

    @property
    def link_state(self) -> LinkState:
        return self._model.state.link

    def counters(self) -> LinkCounters:
        return self._model.state.counters


class RejectionsMirror:
    def __init__(self, model: LiveModel) -> None:
        self._model = model

    @property
    def total(self) -> int:
        return int(self._model.state.rejections["total"])

    def by_reason(self) -> dict[str, int]:
        return dict(self._model.state.rejections["by_reason"])

    def snapshot(self) -> dict[str, Any]:
        return self._model.state.rejections


class MirroredCore:
    """The ``CorePort`` reads served from a ``LiveModel``, and the acts handed to ``_act``.

    The listener hears of every applied update on the GUI thread with its delta (an empty delta: only
    the board changed). ``call(fn)`` runs ``fn`` at once: the live model is only changed on this thread.
    """

    def __init__(
        self,
        config: Config,
        *,
        console: str | None,
        url: str,
        listener: Callable[[CoreDelta], None] | None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.console = console or config.general.console_id
        self.clock = clock
        self.listener = listener
        self.model = LiveModel(config)
        self.store = self.model.store
        self.engine = EngineMirror(self.model, config)
        self.stopwork = StopWorkMirror(self.model)
        self.connector = ConnectorMirror(self.model, url)
        self.rejections = RejectionsMirror(self.model)

    @property
    def state(self) -> CoreState:
        """The core's latest published read model (alarms, work states, commands, permits …)."""
        return self.model.state

    @property
    def permits(self) -> Mapping[str, PermitInfo]:
        return self.model.state.permits

    @property
    def stats(self) -> CoreStats:
        return self.model.stats

    def health_payload(self) -> dict[str, Any]:
        return dict(self.model.state.health)

    def call(self, fn: Callable[[], T]) -> Future[T]:
        fut: Future[T] = Future()
        try:
            fut.set_result(fn())
        except BaseException as exc:
            fut.set_exception(exc)
        return fut

    def _apply(self, updates: list[Update]) -> None:
        """GUI thread: the updates into the live model, then one call of the listener for them all."""
        delta = CoreDelta()
        for update in updates:
            self.model.apply(update)
            delta.merge(update.delta)
            # A board brings alarms, flood, work states, commands and permits anew (at least once a
            # second): the screens read them again, as for a permit change.
            delta.permits_changed = delta.permits_changed or update.board is not None
        self._tell(delta)

    def _tell(self, delta: CoreDelta) -> None:
        listener = self.listener
        if listener is None:
            return
        try:
            listener(delta)
        except Exception:  # a failing screen must not stop the updates
            log.exception("the screens' listener failed")

    # --- the operator's acts --------------------------------------------------------------------------
    def _act(self, name: str, *args: Any, **kwargs: Any) -> Future[Any]:
        raise NotImplementedError

    def acknowledge(self, who: LoginSession, alarm_ids: list[str], note: str = "") -> Future[int]:
        return self._act("acknowledge", who, alarm_ids, note)

    def shelve(self, who: LoginSession, alarm_id: str, reason: str, minutes: float) -> Future[int]:
        return self._act("shelve", who, alarm_id, reason, minutes)

    def unshelve(self, who: LoginSession, alarm_id: str) -> Future[int]:
        return self._act("unshelve", who, alarm_id)

    def set_out_of_service(
        self, who: LoginSession, alarm_id: str, reason: str, in_service: bool
    ) -> Future[int]:
        return self._act("set_out_of_service", who, alarm_id, reason, in_service)

    def clear_event(self, who: LoginSession, alarm_id: str, note: str = "") -> Future[int]:
        return self._act("clear_event", who, alarm_id, note)

    def stop_work(
        self, who: LoginSession, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]:
        return self._act("stop_work", who, site, area, reason, alarm_id)

    def resume_work(self, who: LoginSession, site: str, area: str, reason: str) -> Future[CommandView]:
        return self._act("resume_work", who, site, area, reason)

    def follow_register(self) -> None:
        self._act("follow_register")  # the core's (cockpit/register_live.FollowsRegister); answers None

    def publish_permit_state(self, change: PermitStateChange) -> None:
        fut = self._act("publish_permit_state", change)

        def said(f: Future[Any]) -> None:
            if f.exception() is not None:
                log.error("publishing permit %s failed: %s", change.permit, f.exception())

        fut.add_done_callback(said)
