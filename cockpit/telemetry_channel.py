"""One channel of the live telemetry store: its last value, its staged samples, and its STALE judgment.

The store (``cockpit.telemetry``) owns the channels and takes its lock around every use; the STALE rules
are in that module's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

import numpy as np

from cockpit.telemetry_buffers import Buckets, Ring
from cockpit.telemetry_devices import Device
from cockpit.telemetry_records import StaleChange, StaleReason
from models.records import ChannelKey, DeviceState, Quality

STAGE_MAX = 256  # samples a channel stages before they go to numpy in one write (at most)
_NEG_INF = -math.inf


class Channel:
    __slots__ = (
        "absorbed",
        "absorbed_n",
        "buckets",
        "device",
        "exports",
        "history",
        "key",
        "last_dt",
        "last_good_dt",
        "last_ts",
        "max_age",
        "quality",
        "ring",
        "stage_max",
        "staged",
        "stale",
        "stale_reason",
        "unit",
        "valid_until",
        "value",
    )

    def __init__(self, key: ChannelKey, device: Device, ring: Ring, buckets: Buckets) -> None:
        self.key = key
        self.device = device
        self.ring = ring
        self.buckets = buckets
        self.history = True  # False: beyond the store's channel bound, its samples are not kept
        # Samples (t, v, quality code) not yet in the ring and the buckets; readers flush them first.
        self.staged: list[tuple[float, float, int]] = []
        self.stage_max = STAGE_MAX
        # A mirror's samples from ``absorb`` (slices of the exports' arrays), written as ``staged`` are.
        self.absorbed: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.absorbed_n = 0  # samples in ``absorbed``
        # Samples written to the ring since the last export (None: this store is not exported).
        self.exports: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self.unit = ""
        self.value = math.nan
        self.quality = Quality.BAD
        self.last_ts = _NEG_INF
        self.last_dt: datetime | None = None
        self.last_good_dt: datetime | None = None
        self.max_age = 0.0
        self.valid_until = _NEG_INF  # -inf: no usable reading (yet, or since the device came back)
        self.stale: bool | None = None  # None until first judged
        self.stale_reason: StaleReason | None = None

    def judge(self, now_s: float) -> StaleReason | None:
        state = self.device.state
        if state is DeviceState.OFFLINE:
            return StaleReason.DEVICE_OFFLINE
        if state is DeviceState.FAULT:
            return StaleReason.DEVICE_FAULT
        if self.quality is Quality.BAD:
            return StaleReason.BAD_QUALITY
        if self.valid_until == _NEG_INF:
            return StaleReason.NO_DATA
        if now_s > self.valid_until:
            return StaleReason.EXPIRED
        return None


BOUND_WARNING = (
    "telemetry: %s is channel %d; beyond %d channels no trend history is kept (value, STALE and alarms "
    "as ever; the diagnostics screen counts them)"
)


def new_channel(
    key: ChannelKey, device: Device, index: int, max_channels: int, initial_cap: int, bucket_cap: int
) -> Channel:
    """The store's ``index``-th channel (from 0): beyond ``max_channels`` without history, its buffers
    the smallest there are (the store's memory bound: channels x (native + 24 h min/max))."""
    if index < max_channels:
        return Channel(key, device, Ring(initial_cap), Buckets(min(64, bucket_cap), bucket_cap))
    channel = Channel(key, device, Ring(2), Buckets(2, bucket_cap))
    channel.history = False
    return channel


def judge_stale(channels: Iterable[Channel], now_s: float, now: datetime) -> list[StaleChange]:
    """Judge each channel's freshness at ``now``: set its STALE state and list the changes."""
    changes: list[StaleChange] = []
    for channel in channels:
        reason = channel.judge(now_s)
        stale = reason is not None
        if channel.stale is None:
            channel.stale, channel.stale_reason = stale, reason
            if stale:
                changes.append(StaleChange(channel.key, True, reason, now))
        elif stale != channel.stale:
            channel.stale, channel.stale_reason = stale, reason
            changes.append(StaleChange(channel.key, stale, reason, now))
        else:
            channel.stale_reason = reason
    return changes
