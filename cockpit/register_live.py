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

from cockpit.sparkplug_config import SparkplugMap, SparkplugStop
from cockpit.sparkplug_link import SparkplugLink
from cockpit.sparkplug_register import map_rows, stop_rows
from models.errors import UserError
from models.limits import LimitResolver
from models.queries import channel_limit_overrides, plant_detectors
from models.schema import AuditEntry

if TYPE_CHECKING:
    from cockpit.core import CockpitCore
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
    ) -> None:
        self._db = db
        self._profile = profile
        self._config_limits = config_limits
        self._run_later = run_later
        self._call = call
        self._apply = apply
        self._every = every_s
        self._last_poll = 0.0
        self._busy = threading.Event()  # a poll is queued or running: never two
        self._failing = False
        self._seen = 0  # the newest audit entry read (any action)
        self.seq = 0  # the newest register.* entry read
        self.view = RegisterView(0)  # the register in force: set on the core thread only

    def take(self, view: RegisterView, resolver: LimitResolver) -> None:
        """Core thread (or at start, before it runs): ``view`` is now the register in force."""
        self.view = view
        self._apply(view, resolver)

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
        now = time.monotonic()
        if now - self._last_poll < self._every or self._busy.is_set():
            return
        self._last_poll = now
        self._busy.set()
        try:
            self._run_later(self.poll)
        except RuntimeError:  # the worker is shutting down with the core
            self._busy.clear()

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
                self._call(lambda: self.take(view, resolver))
            self._seen = int(seen)
            self._failing = False
        except Exception:  # an outage: the next poll tries again (the outbox says the database is down)
            if not self._failing:  # once per outage, not every second
                log.warning("reading the register's changes failed; trying every second", exc_info=True)
            self._failing = True
        finally:
            self._busy.clear()


def _register_seq() -> Any:
    """``seq`` of a ``register.*`` entry, NULL for any other (max() of it: the newest register change)."""
    return case((AuditEntry.action.like("register.%"), AuditEntry.seq), else_=None)


def register_follow(core: CockpitCore, run_later: Callable[..., Any]) -> RegisterFollow:
    """The core's follower: a change swaps the engine's limits and the store's registered detectors."""

    def apply(view: RegisterView, resolver: LimitResolver) -> None:
        core.resolver = resolver
        core.engine.use_limits(resolver)
        core.store.set_registered_devices(view.devices)
        link = getattr(core, "sparkplug", None)  # not yet built when the register is first taken
        if isinstance(link, SparkplugLink):  # the Sparkplug mapping kept with the registers
            link.reload_mapping(view.sparkplug_map, view.sparkplug_stops)

    alarms = core.config.alarms
    return RegisterFollow(
        core.db, alarms.profile, alarms.limits, run_later=run_later, call=core.call, apply=apply
    )
