"""A channel's history as it outlives its process: the 10 s tier and the newest native samples.

``copy_out`` copies them out of a live channel (the store's lock held), ``seed`` puts them into a channel
that has had no reading in this process. The same record travels to the file (``cockpit.telemetry_keep``)
and, once after a start, from the core's store to the window's mirror (``StoreExport.seeds``).

A seeded channel has history but no value: it is not listed among the store's channels (no snapshot),
it stays STALE (``no_data``) without telling anyone, and its first reading in this process makes it a
live channel, with a gap marker between the kept samples and the new ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cockpit.telemetry_channel import Channel
from cockpit.telemetry_records import StaleReason
from models.records import ChannelKey


@dataclass(frozen=True, slots=True)
class KeptChannel:
    """``first``: the number of the first kept 10 s bucket; ``mn``/``mx``/``mean`` (float32) the
    buckets from it on, NaN where empty; ``t``/``v``/``q`` the newest native samples, oldest first."""

    key: ChannelKey
    unit: str
    first: int
    mn: np.ndarray
    mx: np.ndarray
    mean: np.ndarray
    t: np.ndarray
    v: np.ndarray
    q: np.ndarray

    def since(
        self, history_from: float, native_from: float, until: float, bucket_s: float
    ) -> KeptChannel | None:
        """What is younger than the tiers keep (epoch s) and not newer than ``until`` (now: a clock set
        back would otherwise refuse every new reading as late); None if nothing is."""
        b0 = max(self.first, math.floor(history_from / bucket_s))
        b1 = min(self.first + len(self.mx) - 1, math.floor(until / bucket_s))
        lo, hi = b0 - self.first, max(b0, b1 + 1) - self.first
        native = (self.t >= native_from) & (self.t <= until)
        if (hi <= lo or np.isnan(self.mx[lo:hi]).all()) and not native.any():
            return None
        return KeptChannel(
            self.key, self.unit, b0, self.mn[lo:hi], self.mx[lo:hi], self.mean[lo:hi],
            self.t[native], self.v[native], self.q[native],
        )  # fmt: skip


def rebucket(item: KeptChannel, factor: int) -> KeptChannel:
    """``item``'s buckets merged ``factor`` to one (a file kept with narrower buckets, e.g. 10 s ones
    before the tier became 60 s): min of the mins, max of the maxes, mean of the means (each kept
    bucket weighs alike: their counts are not kept); NaN where all were empty."""
    if factor == 1 or not len(item.mx):
        return KeptChannel(item.key, item.unit, item.first // factor, item.mn, item.mx, item.mean,
                           item.t, item.v, item.q)  # fmt: skip
    lead = item.first % factor
    n = -(-(lead + len(item.mx)) // factor) * factor
    columns = []
    for a in (item.mn, item.mx, item.mean):
        padded = np.full(n, np.nan, dtype=np.float32)
        padded[lead : lead + len(a)] = a
        columns.append(padded.reshape(-1, factor))
    mn, mx, mean = columns
    have = (~np.isnan(mean)).sum(axis=1)
    total = np.where(np.isnan(mean), 0.0, mean).sum(axis=1)
    merged = np.full(len(have), np.nan, dtype=np.float32)
    np.divide(total, have, out=merged, where=have > 0, casting="unsafe")
    return KeptChannel(
        item.key, item.unit, item.first // factor,
        np.fmin.reduce(mn, axis=1), np.fmax.reduce(mx, axis=1), merged,
        item.t, item.v, item.q,
    )  # fmt: skip


def copy_out(channel: Channel, bucket_s: float, native_from: float, native_max: int) -> KeptChannel | None:
    """A copy of what ``channel`` holds (its staged samples flushed first by the caller)."""
    numbers, mn, mx, mean = channel.buckets.read(0, 2**62)
    ring = channel.ring
    skip = max(ring.count_before(native_from), ring.size - native_max)
    t, v, q = ring.ordered(skip)
    if not len(numbers) and not len(t):
        return None
    first = int(numbers[0]) if len(numbers) else math.floor(float(t[0]) / bucket_s)
    return KeptChannel(
        channel.key, channel.unit, first,
        mn.astype(np.float32), mx.astype(np.float32), mean.astype(np.float32),
        t, v.astype(np.float32), q,
    )  # fmt: skip


def seed(channel: Channel, item: KeptChannel, window_s: float, native_capacity: int) -> None:
    """Fill a channel that has no reading yet with ``item`` (see the module docstring); a channel beyond
    the store's bound (``Channel.history`` False) takes only its unit and last time."""
    if channel.history:
        channel.buckets.restore(item.first, item.mn, item.mx, item.mean)
    if len(item.t):
        if channel.history:
            channel.ring.extend(item.t, item.v, item.q, window_s, native_capacity)
        channel.last_ts = float(item.t[-1])  # older readings are late; the first newer one opens a gap
    channel.unit = item.unit
    channel.stale, channel.stale_reason = True, StaleReason.NO_DATA  # judged so already: no news
