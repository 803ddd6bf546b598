"""Register changes go live (issue 16 part 4): a running core follows the registers without a restart.

Every register change is audited (``register.*`` actions, cockpit/plant_register.py,
cockpit/detector_register.py, cockpit/site_plans.py, cockpit/people_register.py, imports). About once
a second the core's tick hands ``RegisterFollow.poll`` to its database worker (never the core thread:
a slow database must not hold the alarm path); the poll reads only the audit entries after the last
one it saw (a range on the primary key). When one of them is a ``register.*`` entry it reads the
register (the channels' own limits, the registered detectors) and builds the new ``LimitResolver``
there, then hands a ``RegisterView`` to the core thread, which swaps it in (``CockpitCore``: the alarm
engine's limits, the store's registered devices) and publishes the view's ``seq`` in its state. The
screens reload the sites (the map, the overview), the limit lines and the diagnostics' "wire against
register" when that number changes (``views/register_follow.py``).

A change made on this console does not wait for that poll: every commit that appended audit entries
to the window's database (``Database.audit_listeners``) calls the port's ``follow_register``, which
asks the core (in this process or the field process: ``FollowsRegister``) to poll at once;
the change it takes in goes to the screens at once too (``CoreDelta.register`` is urgent), not with the
next once-a-second board. Another console's core finds it at its next poll.

The limits in force are the configuration's overrides (``[alarms.limits]``) with the register's on top
(a channel's own key, ``site/area/device/ch``, is the most specific). A register limit that cannot
stand beside the configuration (a deadband of the configuration too wide for it) is left out with a
warning in the log; the rest apply.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cockpit.core_state import CoreDelta
from cockpit.sparkplug_config import SparkplugMap, SparkplugStop
from cockpit.sparkplug_register import map_rows, stop_rows
from models.errors import UserError
from models.limits import LimitResolver
from models.queries import channel_limit_overrides, plant_detectors
from models.schema import AuditEntry

if TYPE_CHECKING:
    from cockpit.core import CockpitCore
    from cockpit.port import CorePort
    from connectors.database import Database

log = logging.getLogger(__name__)

POLL_EVERY_S = 1.0
DeviceKey = tuple[str, str, str]


@dataclass(frozen=True)
class RegisterView:
    """What the core takes from the register: ``seq`` is the newest ``register.*`` audit entry read
    (0: none yet); ``overrides`` the channels' own limits (resolver keys), ``devices`` the detectors."""

    seq: int
    overrides: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    devices: frozenset[DeviceKey] = frozenset()
    sparkplug_map: list[SparkplugMap] = field(default_factory=list)  # after the configuration's entries
    sparkplug_stops: list[SparkplugStop] = field(default_factory=list)


def merged_resolver(
    profile: str,
    config_limits: Mapping[str, Mapping[str, float]] | None,
    register: Mapping[str, Mapping[str, float]],
) -> LimitResolver:
    """The configuration's overrides with the register's on top; a register entry that cannot stand
    beside them is left out (logged), never the whole register."""
    base = {k: dict(v) for k, v in (config_limits or {}).items()}
    merged = {**base, **{k: {**base.get(k, {}), **v} for k, v in register.items()}}
    try:
        return LimitResolver(profile, merged)
    except UserError:
        pass
    kept = dict(base)
    for key, values in register.items():
        trial = {**kept, key: {**base.get(key, {}), **values}}
        try:
            LimitResolver(profile, trial)
        except UserError as exc:
            log.warning("the register's limits for %s are left out: %s", key, exc)
            continue
        kept = trial
    return LimitResolver(profile, kept)


def limits_in_force(
    session: Session, profile: str, config_limits: Mapping[str, Mapping[str, float]] | None
) -> LimitResolver:
    """The limits the alarm engine judges by now: the configuration's with the register's on top (the
    handover report's charts draw these)."""
    return merged_resolver(profile, config_limits, channel_limit_overrides(session))


def read_register(db: Database, seq: int) -> RegisterView:
    """The register as the core needs it, in one session (database worker, or at start)."""
    with db.session() as s:
        overrides = channel_limit_overrides(s)
        devices = frozenset((d.site_id, d.area_id, d.device_id) for d in plant_detectors(s) if d.registered)
        mapping, stops = map_rows(s), stop_rows(s)
    return RegisterView(seq, overrides, devices, mapping, stops)


class RegisterFollow:
    """Finds register changes in the audit log and hands them to the core (see the module docstring).

    ``apply(view, resolver)`` runs on the core thread (through ``call``, and from ``take``);
    ``run_later`` is the database worker's ``submit``. ``tick`` is called on the core thread and never
    waits. ``view`` is the register in force (the core's state publishes its ``seq``)."""

    def __init__(
        self,
        db: Database,
        profile: str,
        config_limits: Mapping[str, Mapping[str, float]] | None,
        *,
        run_later: Callable[..., Any],
        call: Callable[[Callable[[], Any]], Any],
        apply: Callable[[RegisterView, LimitResolver], None],
        every_s: float = POLL_EVERY_S,
        changed: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._profile = profile
        self._config_limits = config_limits
        self._run_later = run_later
        self._call = call
        self._apply = apply
        self._changed = changed  # core thread, after a change found by a poll was taken in
        self.every_s = every_s
        self._last_poll = 0.0
        self._lock = threading.Lock()  # the core thread's tick and a nudge from any thread
        self._busy = False  # a poll is queued or running: never two
        self._again = False  # nudged while a poll ran: it may have read before the change; poll again
        self._failing = False
        self._seen = 0  # the newest audit entry read (any action)
        self.seq = 0  # the newest register.* entry read
        self.view = RegisterView(0)  # the register in force: set on the core thread only

    def take(self, view: RegisterView, resolver: LimitResolver, *, found: bool = False) -> None:
        """Core thread (or at start, before it runs): ``view`` is now the register in force; ``found``:
        a poll found it changed (the screens are told at once)."""
        self.view = view
        self._apply(view, resolver)
        if found and self._changed is not None:
            self._changed()

    def load(self) -> tuple[RegisterView, LimitResolver]:
        """At start, before the core thread runs: the register as it is now."""
        with self._db.session() as s:
            seen, newest = s.execute(select(func.max(AuditEntry.seq), func.max(_register_seq()))).one()
        self._seen, self.seq = int(seen or 0), int(newest or 0)
        view = read_register(self._db, self.seq)
        return view, self.resolver(view)

    def resolver(self, view: RegisterView) -> LimitResolver:
        return merged_resolver(self._profile, self._config_limits, view.overrides)

    def tick(self) -> None:
        """Core thread: about once a second, a poll on the database worker (if none is waiting)."""
        if time.monotonic() - self._last_poll >= self.every_s:
            self._start()

    def nudge(self) -> None:
        """Any thread: a register change was just committed (on this console): poll now, not at the
        next tick's turn. A poll already running may have read before the commit: one more follows it."""
        self._start(again=True)

    def _start(self, *, again: bool = False) -> None:
        with self._lock:
            if self._busy:
                self._again = self._again or again
                return
            self._busy = True
            self._last_poll = time.monotonic()
        try:
            self._run_later(self.poll)
        except RuntimeError:  # the worker is shutting down with the core
            with self._lock:
                self._busy = False

    def _done(self) -> None:
        """Database worker, as a poll ends: free, or the poll a nudge asked for while it ran."""
        with self._lock:
            again, self._again = self._again, False
            self._busy = again
        if again:
            try:
                self._run_later(self.poll)
            except RuntimeError:
                with self._lock:
                    self._busy = False

    def poll(self) -> None:
        """Database worker: the audit entries since the last poll; the register again if one is ours."""
        try:
            with self._db.session() as s:
                seen, newest = s.execute(
                    select(func.max(AuditEntry.seq), func.max(_register_seq())).where(
                        AuditEntry.seq > self._seen
                    )
                ).one()
            if seen is None:
                return
            if newest is not None:  # read before the entries count as seen: a failed read is tried again
                view = read_register(self._db, int(newest))
                resolver = self.resolver(view)
                self.seq = view.seq
                self._call(lambda: self.take(view, resolver, found=True))
            self._seen = int(seen)
            self._failing = False
        except Exception:  # an outage: the next poll tries again (the outbox says the database is down)
            if not self._failing:  # once per outage, not every second
                log.warning("reading the register's changes failed; trying every second", exc_info=True)
            self._failing = True
        finally:
            self._done()


def _register_seq() -> Any:
    """``seq`` of a ``register.*`` entry, NULL for any other (max() of it: the newest register change)."""
    return case((AuditEntry.action.like("register.%"), AuditEntry.seq), else_=None)


class FollowsRegister:
    """The core's part of the port's ``follow_register`` (a base of ``CockpitCore``)."""

    register: RegisterFollow

    def follow_register(self) -> None:
        """Any thread: a register change was committed on this console; the register is read now."""
        self.register.nudge()


def register_follow(core: CockpitCore, run_later: Callable[..., Any]) -> RegisterFollow:
    """The core's follower: a change swaps the engine's limits and the store's registered detectors."""

    def apply(view: RegisterView, resolver: LimitResolver) -> None:
        core.resolver = resolver
        core.engine.use_limits(resolver)
        core.store.set_registered_devices(view.devices)
        # not yet built when the register is first taken; only a Sparkplug link keeps a mapping
        reload_mapping = getattr(getattr(core, "sparkplug", None), "reload_mapping", None)
        if reload_mapping is not None:  # the Sparkplug mapping kept with the registers
            reload_mapping(view.sparkplug_map, view.sparkplug_stops)

    def changed() -> None:  # with the core's next delivery, urgent: the board goes out with it
        core._pending_delta.merge(CoreDelta(register=True))

    alarms = core.config.alarms
    return RegisterFollow(
        core.db,
        alarms.profile,
        alarms.limits,
        run_later=run_later,
        call=core.call,
        apply=apply,
        changed=changed,
    )


def follow_local_changes(db: Database, core: CorePort) -> Callable[[], None]:
    """The console's own register changes reach its core at once: every commit that appended audit
    entries to ``db`` (this process's services) asks the core to look (a poll of one indexed range when
    the entry is not a register's). Returns the undo."""

    def committed(_seq: int, _hash: str) -> None:
        try:
            core.follow_register()
        except Exception:  # the core is gone or going: its own poll, when it runs, finds the change
            log.debug("the core could not be asked to follow the register", exc_info=True)

    db.audit_listeners.append(committed)
    return lambda: db.audit_listeners.remove(committed)
