"""The Qt plumbing every screen shares to read the core's live state.

The screens read the core through its port (``cockpit.port.CorePort``): a live model on the GUI
thread, filled with one update per tick by the core thread (``cockpit/live.py``). The views read
its board (the core's ``CoreState``, through ``LiveState.board``) and its telemetry store directly;
``LiveState`` says when to read again. ``Coalescer`` and ``PausedWhileHidden`` keep repaints few;
``Retranslated`` and ``ViewBase`` are the screens' bases.

The screen rules on the board (``area_tile_data``, ``worst_gas``, ``live_risk`` …) are pure functions
in ``views/live_records.py``, importable from here too.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from models.alarms import Alarm
from models.limits import ChannelLimits
from models.records import ChannelKey, PermitStatus, WorkerEvent
from views.finding_words import refusal_text
from views.live_records import (
    ALARM_WORKER_EVENTS,
    ANNUNCIATED,
    HIGH_RISK_PERMITS,
    RISK_ORDER,
    GasSummary,
    alarm_counts,
    alarm_row,
    alarm_title,
    area_names,
    area_shape,
    area_tile_data,
    channel_key_of,
    detector_pin,
    is_person_cleared,
    limit_dict,
    live_risk,
    permit_counts,
    refused_text,
    status_word,
    work_state,
    worker_marks,
    worst_gas,
)
from views.permit_reasons import reason_text
from views.session_words import refusal_text as session_refusal_text
from widgets.theme import set_state_property

if TYPE_CHECKING:
    from cockpit.core_state import CoreDelta, CoreState, InsideEntry, PermitInfo
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession


log = logging.getLogger(__name__)
T = TypeVar("T")

# The screen rules (views/live_records.py) are importable from here too.
__all__ = [
    "ALARM_WORKER_EVENTS",
    "ANNUNCIATED",
    "HIGH_RISK_PERMITS",
    "RISK_ORDER",
    "Coalescer",
    "GasSummary",
    "LiveState",
    "PausedWhileHidden",
    "Retranslated",
    "ViewBase",
    "alarm_counts",
    "alarm_row",
    "alarm_title",
    "area_names",
    "area_shape",
    "area_tile_data",
    "channel_key_of",
    "detector_pin",
    "is_person_cleared",
    "limit_dict",
    "live_risk",
    "permit_counts",
    "refused_text",
    "status_word",
    "work_state",
    "worker_marks",
    "worst_gas",
]


class Coalescer(QObject):
    """Runs ``fn`` on request: at once while requests are sparse, at most once per ``min_interval_ms``
    under a burst of them (a token bucket of ``burst`` runs, one token back per interval).

    A view that repaints on every new board thus repaints at once for a change after a quiet
    spell, and at a bounded rate in an alarm flood or a busy stop-work loop; the last request of a
    burst is never lost (one run follows when the next token is back). With ``widget``, nothing
    runs while the widget is hidden (a tab in the background); one run catches up when it is shown.
    """

    def __init__(
        self,
        fn: Callable[[], None],
        min_interval_ms: int,
        parent: QObject | None = None,
        *,
        burst: int = 2,
        widget: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._interval_s = min_interval_ms / 1000
        self._burst = max(1, burst)
        self._tokens = float(self._burst)
        self._stamp = time.monotonic()
        self._widget = widget
        self._missed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        if widget is not None:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Qt may still deliver an event while Python tears this object down (its attributes gone): a
        # test's teardown printed AttributeError here, and a crash was seen near it (DEVELOPERS.md).
        widget = self.__dict__.get("_widget")
        if widget is not None and watched is widget and event.type() == QEvent.Type.Show and self._missed:
            self._missed = False
            self.request()
        return False

    def _refill(self) -> None:
        now = time.monotonic()
        if self._interval_s > 0:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) / self._interval_s)
        else:
            self._tokens = self._burst
        self._stamp = now

    def request(self) -> None:
        if self._widget is not None and not self._widget.isVisible():
            self._missed = True  # nobody sees it: catch up when shown
            return
        if self._timer.isActive():
            return  # already due: that run will show this change too
        self._refill()
        if self._tokens >= 1:
            self._run()
        else:
            wait = (1 - self._tokens) * self._interval_s
            self._timer.start(max(1, math.ceil(wait * 1000)))

    def _run(self) -> None:
        self._refill()
        self._tokens = max(0.0, self._tokens - 1)
        self._fn()


class PausedWhileHidden(QObject):
    """Stops ``timers`` while ``widget`` is hidden (a tab in the background, a closed window) and
    restarts them, after one ``on_shown()`` to catch up, when it is shown: a view nobody sees
    does no periodic work. A view that was never shown has not started them."""

    FRESH_S = 2.0  # shown this soon after it was built, the view's own first load is still fresh

    def __init__(
        self, widget: QWidget, timers: Sequence[QTimer], on_shown: Callable[[], None] | None = None
    ) -> None:
        super().__init__(widget)
        self._timers = [t for t in timers if t.isActive()]  # the ones the view chose to run
        self._on_shown = on_shown
        self._built = time.monotonic()
        widget.installEventFilter(self)
        if not widget.isVisible():
            for timer in self._timers:
                timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            for timer in self._timers:
                if not timer.isActive():
                    timer.start()
            if self._on_shown is not None and time.monotonic() - self._built > self.FRESH_S:
                self._on_shown()
        elif kind == QEvent.Type.Hide:
            for timer in self._timers:
                timer.stop()
        return False


class LiveState(QObject):
    """What the views read of the core, on the GUI thread, and when to read it again (one per view set).

    ``board`` is the core's published read model (``CoreState``) as the live model holds it: the
    views read it directly, nothing is copied out of it. Signals: ``updated()`` when an update
    brought a new board or an alarm, command or permit change (or a channel never seen before),
    ``delta(CoreDelta)`` for every delta, ``workers_moved()`` when a delta brought worker positions
    (kept in ``workers``: they are not on the board).

    No timer of its own: the core sends its board at least once a second, and with every urgent
    change at once (``cockpit/live_feed.py``).
    """

    updated = Signal()
    delta = Signal(object)
    workers_moved = Signal()
    register_changed = Signal()  # the core took in a register change: sites, detectors, limits anew
    _deliver = Signal(object, object)  # (callback, future): crosses back to the GUI thread

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.core = core
        self.workers: dict[str, WorkerEvent] = {}
        self._limits: dict[ChannelKey, ChannelLimits | None] = {}  # read once per register change
        self._register_seq = core.state.register_seq
        # Queued even from the GUI thread: a future already done never runs its callback inside the caller.
        self._deliver.connect(self._run_callback, Qt.ConnectionType.QueuedConnection)
        if bridge is not None:
            bridge.changed.connect(self.on_delta)
        QTimer.singleShot(0, self, self.refresh)  # the views built with it show the board once built

    @property
    def board(self) -> CoreState:
        """The core's latest board: alarms, flood, work states, commands, permits."""
        return self.core.state

    # ---- futures back on the GUI thread -----------------------------------------------------
    def when_done(
        self,
        future: Future[T],
        on_result: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Call ``on_result(value)`` or ``on_error(exc)`` on the GUI thread when ``future`` ends."""

        def callback(fut: Future[T]) -> None:
            exc = fut.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("background call failed: %s", exc)
                return
            on_result(fut.result())

        def relay(fut: Future[T]) -> None:
            with contextlib.suppress(RuntimeError):  # the state was deleted while the call ran
                self._deliver.emit(callback, fut)

        future.add_done_callback(relay)

    def _run_callback(self, callback: Callable[[Future[Any]], None], future: Future[Any]) -> None:
        callback(future)

    # ---- refresh ------------------------------------------------------------------------------
    def on_delta(self, delta: CoreDelta) -> None:
        for ev in delta.worker_positions:
            self.workers[ev.worker] = ev
        seq = self.board.register_seq
        if seq != self._register_seq:  # a register change went live (cockpit/register_live.py)
            known, self._register_seq = self._register_seq, seq
            self._limits.clear()
            if known >= 0:  # not the first board: the screens were built from the register as it is
                self.register_changed.emit()
        new_keys = bool(delta.dirty_channels - self._limits.keys())
        if delta.transitions or delta.commands or delta.permits_changed or new_keys:
            self.updated.emit()
        if delta.worker_positions:
            self.workers_moved.emit()
        self.delta.emit(delta)

    def refresh(self) -> None:
        """Show the board again (after an act: its answer came, the board may already show it)."""
        self.updated.emit()

    # ---- reads ----------------------------------------------------------------------------------
    def limits(self, key: ChannelKey) -> ChannelLimits | None:
        try:
            return self._limits[key]
        except KeyError:
            found = self._limits[key] = self.core.engine.limits(key)
            return found

    def alarms_in_area(self, site: str, area: str) -> list[Alarm]:
        return [a for a in self.board.alarms if a.site == site and a.area == area]

    def active_permits(self, site: str, area: str) -> list[PermitInfo]:
        return [
            p
            for p in self.board.permits.values()
            if p.site == site and p.area == area and p.status is PermitStatus.ACTIVE
        ]

    def present_permits(self, site: str, area: str) -> list[PermitInfo]:
        """Active and suspended permits: their people may be in the area."""
        return [
            p
            for p in self.board.permits.values()
            if p.site == site and p.area == area and p.status in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
        ]

    def work_state(self, site: str, area: str) -> str:
        return work_state(self.board, site, area)

    def inside(self, site: str, area: str) -> tuple[InsideEntry, ...]:
        """Who is inside the area by the field gate (allows, entries, exits): by name, since when."""
        return self.board.inside.get((site, area), ())

    def alarm(self, alarm_id: str) -> Alarm | None:
        return next((a for a in self.board.alarms if a.alarm_id == alarm_id), None)


# --------------------------------------------------------------------------- common view plumbing


class Retranslated(QWidget):
    """A screen that sets its texts again when the language is switched at run time."""

    def retranslate(self) -> None:
        """Set every text again (Qt sends LanguageChange when the language is switched)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ViewBase(Retranslated):
    """What every screen shares: the live state, the actor, a status line, run-time retranslation."""

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        state: LiveState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.core = core
        self.bridge = bridge
        self.actor = actor
        self.state = state if state is not None else LiveState(core, bridge, parent=self)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def guard(self, widget: QWidget, action: str) -> bool:
        """Enable ``widget`` only when the actor may ``action``; the tooltip says why not."""
        allowed = self.actor.may(action)
        widget.setEnabled(allowed)
        widget.setToolTip("" if allowed else refused_text(action))
        return allowed

    def say(self, text: str, *, problem: bool = False) -> None:
        """One line of feedback under the view (a refused action is a problem, not a crash)."""
        self.status.setText(text)
        set_state_property(self.status, "alarmPriority", 3 if problem else None)

    def show_error(self, exc: BaseException) -> None:
        reasons = getattr(exc, "reasons", None)
        text = session_refusal_text(exc)
        if text is None:
            text = "; ".join(reason_text(r) for r in reasons) if reasons else refusal_text(exc) or str(exc)
        self.say(text or type(exc).__name__, problem=True)
