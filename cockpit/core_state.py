"""The core's read model and its change records: what leaves the core thread.

Only the core thread touches the alarm engine, the telemetry store's judging side, stop-work and the
permit cache. Everyone else (``serve``'s main thread, the field link, diagnostics) reads ``CoreState``,
which the core thread builds from copies and publishes by one attribute swap (``CockpitCore.state``)
at least every 250 ms, and at once when its listener asks for it (``CockpitCore.fresh_state``: the
screens' update builder does with every alarm, command, permit or link change).
``CoreDelta`` says what changed in one batch; ``CoreStats`` are the ingest counters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from cockpit.stopwork import CommandView, WorkState
from cockpit.wire import epoch_ms
from connectors.mqtt import LinkCounters, LinkState
from models.alarms import Alarm, AlarmTransition, FloodState
from models.records import ChannelKey, PermitStatus, PermitType, WorkerEvent

if TYPE_CHECKING:
    from cockpit.core import CockpitCore


@dataclass
class PermitInfo:
    """What the core keeps in memory about a live permit (refreshed from the database)."""

    id: str
    site: str
    area: str
    type: PermitType
    grade: str | None
    status: PermitStatus
    valid_to: datetime
    supervisor: str
    last_checkin: datetime | None = None  # the supervisor's, from the database's check-in events
    started_at: datetime | None = None  # the field's "started"; a check-in is due from here on
    gas_failed: bool = False  # its latest gas test failed: the area may not resume


@dataclass
class CoreDelta:
    """What changed in one batch: the GUI repaints from it."""

    transitions: list[AlarmTransition] = field(default_factory=list)
    dirty_channels: set[ChannelKey] = field(default_factory=set)
    commands: list[CommandView] = field(default_factory=list)
    permits_changed: bool = False
    worker_positions: list[WorkerEvent] = field(default_factory=list)
    link: LinkState | None = None
    register: bool = False  # the core took in a register change (cockpit/register_live.py)

    def merge(self, other: CoreDelta) -> None:
        """Add ``other``'s changes to these (a later delta: its link state wins)."""
        self.transitions.extend(other.transitions)
        self.dirty_channels.update(other.dirty_channels)
        self.commands.extend(other.commands)
        self.permits_changed = self.permits_changed or other.permits_changed
        self.register = self.register or other.register
        self.worker_positions.extend(other.worker_positions)
        if other.link is not None:
            self.link = other.link

    def urgent(self) -> bool:
        """An alarm, a command, a permit, the register or the link changed: readers should see it now."""
        return bool(
            self.transitions
            or self.commands
            or self.permits_changed
            or self.register
            or self.link is not None
        )

    def __bool__(self) -> bool:
        return bool(
            self.transitions
            or self.dirty_channels
            or self.commands
            or self.permits_changed
            or self.worker_positions
            or self.link
            or self.register
        )


@dataclass
class CoreStats:
    messages_in: int = 0
    batches: int = 0
    max_batch: int = 0
    queue_lag_ms: float = 0.0
    started_at: float = field(default_factory=time.time)
    first_arrival: float | None = None  # epoch s of the first message taken from the broker
    last_done: float | None = None  # epoch s when the last batch was judged


class InsideEntry(NamedTuple):
    """One person inside an area by the field gate: since his first allow or entry of this stay."""

    worker: str
    name: str
    since: datetime


@dataclass(frozen=True)
class CoreState:
    """The core's state as readers see it, copied on the core thread: ``serve``'s health, and the
    screens' read model (it travels in ``cockpit.live.Update``)."""

    alarms: tuple[Alarm, ...]
    flood: FloodState
    work_states: dict[tuple[str, str], WorkState]
    commands: tuple[CommandView, ...]
    permits: dict[str, PermitInfo]
    counters: LinkCounters
    link: LinkState
    rejections: dict[str, Any]
    health: dict[str, Any]
    stats: CoreStats
    db_waiting: int = 0  # records in the outbox, waiting for the database (cockpit/outbox.py)
    db_refused: int = 0  # records the full outbox could not keep since start
    # Who is inside each area by the field gate's allows, entries and exits, by name (cockpit/gate.py).
    inside: dict[tuple[str, str], tuple[InsideEntry, ...]] = field(default_factory=dict)
    # The register in force: the newest register.* audit entry taken in (-1: no board from a core yet),
    # and the channels' own limits (the screens' limit lines use them; cockpit/register_live.py).
    register_seq: int = -1
    register_limits: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


def core_health(core: CockpitCore, alarms_active: int | None = None) -> dict[str, Any]:
    """Core thread: contract §11 from the live engine and counters."""
    return {
        "ts": epoch_ms(core.clock()),
        "state": "online",
        "messages_in": core.stats.messages_in,
        "messages_rejected": core.rejections.total,
        "rejected_by_reason": core.rejections.by_reason(),
        "alarms_active": len(core.engine.active()) if alarms_active is None else alarms_active,
        "alarms_unacked": core.engine.unacked_count(),
        "queue_lag_ms": round(core.stats.queue_lag_ms),
        "broker_dropped": core.connector.counters().broker_dropped,
        "db_waiting": core.outbox.waiting,  # records kept in the outbox until the database is back
        "db_refused": core.outbox.refused,  # records the full outbox could not keep
        "notify": core.notifier.snapshot(),
        "duty": core.duties.describe(),  # who runs the plant's duties (cockpit/duty_lease.py)
        **({"sparkplug": sp} if (sp := core.sparkplug.snapshot()) else {}),  # cockpit/sparkplug_link.py
    }


def capture_state(core: CockpitCore, health: Callable[[int], dict[str, Any]] | None = None) -> CoreState:
    """Core thread: copies of everything a reader may want, never live objects. ``health`` computes
    contract §11 from the number of active alarms (counted here once); by default :func:`core_health`."""
    alarms = tuple(core.engine.active())
    payload = health(len(alarms)) if health is not None else core_health(core, len(alarms))
    return CoreState(
        alarms=alarms,
        flood=core.engine.flood_state(core.clock()),
        work_states=dict(core.stopwork.work_states),
        commands=core.stopwork.recent_copies(),
        permits=core.permit_monitor.copies(),
        counters=core.connector.counters(),
        link=core.connector.link_state,
        rejections=core.rejections.snapshot(),
        health=payload,
        stats=replace(core.stats),
        db_waiting=int(payload.get("db_waiting", 0)),
        db_refused=int(payload.get("db_refused", 0)),
        inside=core.field_gate.headcount(),
        register_seq=core.register.view.seq,
        register_limits=core.register.view.overrides,
    )
