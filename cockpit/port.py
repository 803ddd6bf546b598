"""The core as the screens see it: one typed port, two shapes behind it.

``CorePort`` is what a view may read of the live model and the acts it may send. The screens are
typed against it and nothing else, so a view cannot come to depend on something only one shape
has. Its implementations:

* the field-process shape, ``cockpit.field_link.RemoteCore`` (the window's default): the reads from
  a live model fed by the field process's updates, the acts as calls through the pipe;
* the in-process shape, ``cockpit.local_core.LocalCore`` (``[general] field_process = false``): the
  same live model fed by the same updates through a local queue, the acts straight to the core;
* ``CockpitCore`` itself, read on its own thread (``serve``, tools, the core's tests).

Reads are properties here (read-only for the views): a shape may hold a live object or a mirror of
it. Every act returns a ``Future`` (it runs on the core's thread or in the field process);
``publish_permit_state`` returns nothing, as before. There is no ``db`` on the port: the views'
database work belongs to services handed to them, not to the core.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.core_state import CoreState, CoreStats, PermitInfo
    from cockpit.permits.records import PermitStateChange
    from cockpit.sessions import LoginSession
    from cockpit.stopwork import CommandView, WorkState
    from cockpit.telemetry import TelemetryStore
    from connectors.mqtt import BrokerUrl, LinkCounters, LinkState
    from models.alarms import Alarm, FloodState
    from models.limits import ChannelLimits
    from models.records import ChannelKey

T = TypeVar("T")


class AlarmReads(Protocol):
    """The alarm engine's state as the screens read it."""

    def active(self) -> list[Alarm]: ...

    def get(self, alarm_id: str) -> Alarm | None: ...

    def flood_state(self, now: datetime | None = None) -> FloodState: ...

    def limits(self, key: ChannelKey) -> ChannelLimits | None: ...


class WorkReads(Protocol):
    """Stop-work as the screens read it: the areas' work states and the recent commands."""

    @property
    def work_states(self) -> Mapping[tuple[str, str], WorkState]: ...

    def recent(self) -> list[CommandView]: ...


class LinkReads(Protocol):
    """The field link to the broker: where it goes, its state and its counters."""

    @property
    def url(self) -> BrokerUrl: ...

    @property
    def link_state(self) -> LinkState: ...

    def counters(self) -> LinkCounters: ...


class RejectionReads(Protocol):
    """Messages the field contract refused: counts by reason and the latest ones."""

    @property
    def total(self) -> int: ...

    def by_reason(self) -> dict[str, int]: ...

    def snapshot(self) -> dict[str, Any]: ...


class CorePort(Protocol):
    """What every screen gets instead of a concrete core (see the module docstring)."""

    # --- the live model (read on the GUI thread) ---------------------------------------------------
    @property
    def config(self) -> Config: ...

    @property
    def console(self) -> str: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    @property
    def store(self) -> TelemetryStore: ...

    @property
    def engine(self) -> AlarmReads: ...

    @property
    def stopwork(self) -> WorkReads: ...

    @property
    def permits(self) -> Mapping[str, PermitInfo]: ...

    @property
    def state(self) -> CoreState:
        """The core's latest published read model: what the screens show of alarms, work and permits."""
        ...

    @property
    def connector(self) -> LinkReads: ...

    @property
    def rejections(self) -> RejectionReads: ...

    @property
    def stats(self) -> CoreStats: ...

    def health_payload(self) -> dict[str, Any]: ...

    def call(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` where the live model may be read in one piece; the future carries its result."""
        ...

    # --- the operator's acts ---------------------------------------------------------------------
    # Each carries the console's ``LoginSession``; the core verifies it (cockpit/core_acts.py) and fails
    # the future with ``SessionRefused`` for a made-up session or a user disabled since the login.
    def acknowledge(self, who: LoginSession, alarm_ids: list[str], note: str = "") -> Future[int]: ...

    def shelve(self, who: LoginSession, alarm_id: str, reason: str, minutes: float) -> Future[int]: ...

    def unshelve(self, who: LoginSession, alarm_id: str) -> Future[int]: ...

    def set_out_of_service(
        self, who: LoginSession, alarm_id: str, reason: str, in_service: bool
    ) -> Future[int]: ...

    def clear_event(self, who: LoginSession, alarm_id: str, note: str = "") -> Future[int]: ...

    def stop_work(
        self, who: LoginSession, site: str, area: str, reason: str, alarm_id: str | None = None
    ) -> Future[CommandView | None]: ...

    def resume_work(self, who: LoginSession, site: str, area: str, reason: str) -> Future[CommandView]: ...

    def publish_permit_state(self, change: PermitStateChange) -> None: ...

    def follow_register(self) -> None:
        """A register change was committed here: the core reads the register now, not at its next poll
        (cockpit/register_live.py). Any thread; nothing to wait for."""
        ...


class RunningCore(CorePort, Protocol):
    """A port that the runtime starts and stops (the screens never do)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...
