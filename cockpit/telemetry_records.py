"""What the live telemetry store hands out: STALE reasons and changes, batch updates, snapshots.

Defined apart from the store (``cockpit.telemetry``, which re-exports them) so that readers need
only these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from models.records import ChannelKey, DeviceState, Quality, StrEnum

if TYPE_CHECKING:
    from cockpit.telemetry_kept import KeptChannel

DeviceKey = tuple[str, str, str]  # (site, area, device)


class StaleReason(StrEnum):
    DEVICE_OFFLINE = "device_offline"
    DEVICE_FAULT = "device_fault"
    BAD_QUALITY = "bad_quality"
    NO_DATA = "no_data"  # no usable reading yet, or none since the device came back
    EXPIRED = "expired"  # the last good reading is older than its max age
    LINK_DOWN = "link_down"  # a mirror only: the field link's process that judges this channel ended


@dataclass(frozen=True, slots=True)
class StaleChange:
    """A channel entered (``stale=True``) or left the STALE state at ``at``."""

    key: ChannelKey
    stale: bool
    reason: StaleReason | None
    at: datetime


@dataclass(frozen=True, slots=True)
class StoreUpdate:
    """What one ``ingest`` batch changed: the plots' dirty marks and the alarm engine's STALE input.

    ``stale_changes`` lists real transitions; a new channel appears there only
    when it starts out stale (``new_channels`` lists all new ones).
    """

    changed: frozenset[ChannelKey]
    stale_changes: tuple[StaleChange, ...]
    new_channels: tuple[ChannelKey, ...]
    devices_changed: tuple[DeviceKey, ...]  # device state differs from before
    lost: int  # messages missing by seq in this batch
    late: int  # readings not newer than the channel's last one, ignored


@dataclass(frozen=True, slots=True)
class ChannelSnapshot:
    """One channel as a screen shows it. ``value`` is None when the latest reading was ``bad``."""

    key: ChannelKey
    value: float | None
    unit: str
    quality: Quality
    ts: datetime
    max_age_s: float
    stale: bool
    stale_reason: StaleReason | None
    device_state: DeviceState | None
    unregistered: bool
    last_good_ts: datetime | None


@dataclass(frozen=True, slots=True)
class DeviceSnapshot:
    """One detector: its last status (None before any) and its data losses."""

    key: DeviceKey
    state: DeviceState | None
    battery: float | None
    detail: str
    status_ts: datetime | None
    lost: int
    resets: int
    unregistered: bool
    channels: tuple[ChannelKey, ...]


@dataclass(frozen=True, slots=True)
class StoreExport:
    """What changed in a store since the last export, for its mirror in another process (``absorb``).

    Plain tuples and three arrays, so that pickling it costs little: ``channels`` holds each changed
    channel's state, ``counts`` how many of the samples in ``t``/``v``/``q`` (in channel order) are its
    new ones, ``devices`` the state of those channels' devices.
    """

    channels: list[tuple]  # type: ignore[type-arg]
    counts: list[int]
    t: np.ndarray
    v: np.ndarray
    q: np.ndarray
    devices: list[tuple]  # type: ignore[type-arg]
    lost_total: int
    now_s: float
    seeds: tuple[KeptChannel, ...] = ()  # once after a start: the history kept from before it
