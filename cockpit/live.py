"""One update per tick and one live model: how the core's state reaches the screens, in both shapes.

The core thread builds ONE immutable ``Update`` per tick (``UpdateBuilder``, the core's listener):
what changed (``CoreDelta``), the store's new samples (``StoreExport``), the counters (``CoreStats``)
and, with every urgent update and at least once a second, the read model (``CoreState``, the one
the core thread publishes). Plain value
changes go at most ten times a second, an alarm, a command, a permit or a link change at once: this
is the only throttle between the field and the screens.

One transport carries it to the GUI thread: a local queue in-process
(``cockpit.local_core.GuiInbox``), the pipe from the field process (``cockpit/pipe.py``). There the
update is applied to ONE ``LiveModel`` (a mirror ``TelemetryStore`` and the board) and the views hear
of it through ONE signal (the listener, ``cockpit.bridge.CoreBridge``). ``MirroredCore`` is what both
shapes share: the ``CorePort`` reads, served from the live model on the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from cockpit.config import Config
from cockpit.core_state import CoreDelta, CoreState, CoreStats, PermitInfo
from cockpit.stopwork import CommandView, WorkState
from cockpit.telemetry import StaleReason, StoreExport, TelemetryStore
from connectors.mqtt import BrokerUrl, LinkCause, LinkCounters, LinkState, LinkStatus
from models.alarms import Alarm, FloodState
from models.limits import ChannelLimits, LimitResolver
from models.records import ChannelKey

if TYPE_CHECKING:
    from cockpit.core import CockpitCore
    from cockpit.permits.records import PermitStateChange
    from cockpit.roles import Actor

log = logging.getLogger(__name__)
T = TypeVar("T")

SEND_INTERVAL_S = 0.1  # plain value changes reach the screens ten times a second
BOARD_INTERVAL_S = 1.0  # counters and the rest of the board at least once a second


@dataclass(frozen=True)
class Update:
    """One tick's worth for the screens: built on the core thread, never changed after."""

    delta: CoreDelta
    store: StoreExport
    stats: CoreStats  # with every update: the screens' message counters stay current
    board: CoreState | None  # the core's published read model, with every urgent update and once a second


class UpdateBuilder:
    """The core's listener: merges its deltas and hands one ``Update`` per tick to the transport.

    Everything here runs on the core thread: ``on_delta`` (the core calls it after a batch) and
    ``tick`` (queued with ``core.call`` ten times a second by whoever pumps: the field process's main
    thread, or the GUI's timer in-process), so that held values and the once-a-second board go out
    when no delta comes. While the transport is busy (``busy()``: the GUI has not read what it has)
    nothing is built: the deltas keep merging here and the store keeps the new samples for the next
    export, so a GUI that is slow to read costs the core neither a wait nor memory per update.
    """

    def __init__(self, send: Callable[[Update], None], busy: Callable[[], bool]) -> None:
        self.core: CockpitCore | None = None
        self._send = send
        self._busy = busy
        self._delta = CoreDelta()
        self._urgent = False
        self._last_send = 0.0
        self._last_board = 0.0
        self.held = 0  # times an update was due while the transport was busy (merged into the next)

    def on_delta(self, delta: CoreDelta) -> None:
        self._delta.merge(delta)
        self._urgent = self._urgent or delta.urgent()
        self._maybe_send()

    def tick(self) -> None:
        self._maybe_send()

    def _maybe_send(self) -> None:
        core = self.core
        if core is None:
            return
        mono = time.monotonic()
        board_due = mono - self._last_board >= BOARD_INTERVAL_S
        values_due = bool(self._delta) and mono - self._last_send >= SEND_INTERVAL_S
        if not (self._urgent or values_due or board_due):
            return
        if self._busy():
            self.held += 1
            return
        delta, self._delta = self._delta, CoreDelta()
        board = core.fresh_state() if self._urgent or board_due else None
        self._urgent = False
        self._last_send = mono
        if board is not None:
            self._last_board = mono
        export = core.store.take_export(delta.dirty_channels)
        self._send(Update(delta, export, replace(core.stats), board))


# --------------------------------------------------------------------------- the live model


class EngineMirror:
    """What the screens read of the alarm engine: the latest board."""

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
        return self._resolver.limits_for(key)  # configuration only: the same as the core's


class StopWorkMirror:
    def __init__(self) -> None:
        self.work_states: dict[tuple[str, str], WorkState] = {}
        self.commands: tuple[CommandView, ...] = ()

    def recent(self) -> list[CommandView]:
        return list(self.commands)


class ConnectorMirror:
    def __init__(self, url: str) -> None:
        self._url = url
        self.link_state = LinkState.because(LinkStatus.CONNECTING, LinkCause.FIELD_STARTING)
        self.latest = LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, None)  # from the board

    @property
    def url(self) -> BrokerUrl:
        return BrokerUrl.parse(self._url)  # parsed when read: a bad URL is start()'s to report

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


class LiveModel:
    """The GUI's one copy of the core's state: a mirror store and the board, changed on the GUI thread."""

    def __init__(self, config: Config, url: str) -> None:
        self.store = TelemetryStore(default_max_age_s=config.mqtt.default_max_age_s)
        self.engine = EngineMirror(LimitResolver(config.alarms.profile, config.alarms.limits))
        self.stopwork = StopWorkMirror()
        self.permits: dict[str, PermitInfo] = {}
        self.stats = CoreStats()
        self.connector = ConnectorMirror(url)
        self.rejections = RejectionsMirror()
        self.health: dict[str, Any] = {}

    def apply(self, update: Update) -> None:
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
        if update.delta.link is not None:
            self.connector.link_state = update.delta.link

    def lose(self, link: LinkState) -> CoreDelta:
        """The source is gone: every channel STALE (``link_down``) and the link as ``link`` says."""
        self.connector.link_state = link
        return CoreDelta(dirty_channels=set(self.store.mark_all_stale(StaleReason.LINK_DOWN)), link=link)


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
        self.model = LiveModel(config, url)
        self.store = self.model.store
        self.engine = self.model.engine
        self.stopwork = self.model.stopwork
        self.connector = self.model.connector
        self.rejections = self.model.rejections

    @property
    def permits(self) -> Mapping[str, PermitInfo]:
        return self.model.permits

    @property
    def stats(self) -> CoreStats:
        return self.model.stats

    def health_payload(self) -> dict[str, Any]:
        return dict(self.model.health)

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
            # second): the screens take a new snapshot of them, as for a permit change.
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

    def acknowledge(self, actor: Actor, alarm_ids: list[str], note: str = "") -> Future[int]:
        return self._act("acknowledge", actor, alarm_ids, note)

    def shelve(self, actor: Actor, alarm_id: str, reason: str, minutes: float) -> Future[int]:
        return self._act("shelve", actor, alarm_id, reason, minutes)

    def unshelve(self, actor: Actor, alarm_id: str) -> Future[int]:
        return self._act("unshelve", actor, alarm_id)

    def set_out_of_service(self, actor: Actor, alarm_id: str, reason: str, in_service: bool) -> Future[int]:
        return self._act("set_out_of_service", actor, alarm_id, reason, in_service)

    def clear_event(self, actor: Actor, alarm_id: str, note: str = "") -> Future[int]:
        return self._act("clear_event", actor, alarm_id, note)

    def stop_work(
        self, actor: Actor, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]:
        return self._act("stop_work", actor, site, area, reason, alarm_id)

    def resume_work(self, actor: Actor, site: str, area: str, reason: str) -> Future[CommandView]:
        return self._act("resume_work", actor, site, area, reason)

    def publish_permit_state(self, change: PermitStateChange) -> None:
        fut = self._act("publish_permit_state", change)

        def said(f: Future[Any]) -> None:
            if f.exception() is not None:
                log.error("publishing permit %s failed: %s", change.permit, f.exception())

        fut.add_done_callback(said)
