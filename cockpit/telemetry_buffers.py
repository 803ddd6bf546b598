"""The two tiers a live channel's history is kept in (see ``cockpit.telemetry``).

* native: a numpy ring buffer (time float64 epoch s, value float32, quality int8: 13 bytes
  a sample) written in place, never rolled. It starts small and doubles while it holds less
  than the store's native window (2 h) at the rate the channel really sends, up to its
  native capacity (8,192 samples: 2 h at 1 Hz with room for gap markers; a faster channel
  keeps its newest 8,192); beyond that the oldest samples go. Values are float32 while
  precision allows (every value within +-65,536, where float32 steps are 1/128 or finer:
  gas readings, temperatures, pressures in kPa); a channel with a larger value is widened
  to float64 for good (17 bytes a sample).
* history: fixed-width (60 s) buckets with min, max and mean over a day (16 bytes a bucket,
  1,441 for 24 h), so a one-sample spike survives as the bucket's max.

A channel's worst case is therefore ``native_capacity * 17 + buckets * 16`` bytes
(8,192 x 17 + 1,441 x 16 = 162 kB; 129 kB with float32 values): the store's bound is that
times its channel bound (see ``TelemetryStore``, DEVELOPERS.md "Memory bound").

Not thread-safe: the store takes its lock around every call.
"""

from __future__ import annotations

import math

import numpy as np

# Values whose magnitude reaches this are kept as float64 (float32 steps there are 1/128).
FLOAT32_LIMIT = 65_536.0
SAMPLE_BYTES = 8 + 4 + 1  # t float64, v float32, q int8 (v float64 once widened: 17)
SAMPLE_BYTES_WIDE = 8 + 8 + 1
BUCKET_BYTES = 4 + 4 + 4 + 4  # bucket number int32, min, max, mean float32
# The store's defaults (``TelemetryStore``): 2 h at 1 Hz with room for gap markers, 24 h of 60 s
# buckets, and the channels that keep both (5,000 x 129-162 kB: 0.65-0.81 GB).
NATIVE_CAPACITY = 8_192
BUCKET_S = 60.0
HISTORY_S = 86_400.0
MAX_CHANNELS = 5_000


def bound_bytes(
    channels: int,
    native_capacity: int = NATIVE_CAPACITY,
    history_s: float = HISTORY_S,
    bucket_s: float = BUCKET_S,
    *,
    wide: bool = False,
) -> int:
    """The most the history of ``channels`` full channels holds: channels x (native + 24 h min/max).

    ``wide``: every channel's values widened to float64 (the worst case); else float32 (gas readings).
    """
    sample = SAMPLE_BYTES_WIDE if wide else SAMPLE_BYTES
    buckets = math.ceil(history_s / bucket_s) + 1
    return channels * (native_capacity * sample + buckets * BUCKET_BYTES)


class Ring:
    """A time-ordered ring of (t, v, q) samples that grows while it spans less than its window.

    Samples are written in bulk: ``extend`` takes arrays (the channel stages its readings in a Python
    list and flushes them here, so a reading costs no numpy element access).
    """

    __slots__ = ("q", "size", "start", "t", "v")

    def __init__(self, capacity: int) -> None:
        self.t = np.empty(capacity, dtype=np.float64)
        self.v = np.empty(capacity, dtype=np.float32)
        self.q = np.empty(capacity, dtype=np.int8)
        self.start = 0
        self.size = 0

    @property
    def nbytes(self) -> int:
        """The bytes its arrays hold (what the memory bound counts)."""
        return self.t.nbytes + self.v.nbytes + self.q.nbytes

    def extend(
        self,
        t: np.ndarray,
        v: np.ndarray,
        q: np.ndarray,
        window_s: float,
        max_capacity: int,
        top: float | None = None,
    ) -> None:
        """Append samples (oldest first, newer than any held); the oldest go once the ring is full.
        ``top``: the largest magnitude among the values (the store has it from the bucket's min and
        max; None: taken here)."""
        n = len(t)
        if self.v.itemsize == 4 and n:
            if top is None:
                top = _top(v)
            if top >= FLOAT32_LIMIT:
                self._grow(len(self.t), np.float64)  # for good: a channel's range seldom shrinks back
        capacity = len(self.t)
        oldest = float(self.t[self.start]) if self.size else float(t[0])
        newest = float(t[-1])
        # Doubles while full and holding less than the window (as one append at a time would).
        while self.size + n > capacity and capacity < max_capacity and newest - oldest < window_s:
            capacity = min(max_capacity, capacity * 2)
        if capacity != len(self.t):
            self._grow(capacity)
        if n >= capacity:
            self.t[:] = t[n - capacity :]
            self.v[:] = v[n - capacity :]
            self.q[:] = q[n - capacity :]
            self.start, self.size = 0, capacity
            return
        first = self.start + self.size
        if first >= capacity:
            first -= capacity
        head = min(n, capacity - first)  # up to the end of the arrays, the rest from index 0
        self.t[first : first + head] = t[:head]
        self.v[first : first + head] = v[:head]
        self.q[first : first + head] = q[:head]
        if head < n:
            self.t[: n - head] = t[head:]
            self.v[: n - head] = v[head:]
            self.q[: n - head] = q[head:]
        overflow = self.size + n - capacity
        if overflow > 0:
            self.start = (self.start + overflow) % capacity
            self.size = capacity
        else:
            self.size += n

    def _grow(self, capacity: int, values: type = np.float32) -> None:
        """Larger arrays (or float64 values: ``values``), the samples moved to their start."""
        t, v, q = self.ordered(0)
        self.t = np.empty(capacity, dtype=np.float64)
        self.v = np.empty(capacity, dtype=np.float64 if self.v.dtype == np.float64 else values)
        self.q = np.empty(capacity, dtype=np.int8)
        self.t[: self.size] = t
        self.v[: self.size] = v
        self.q[: self.size] = q
        self.start = 0

    def ordered(self, skip: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies of the samples from the ``skip``-th oldest on, oldest first (values as float64)."""
        capacity = len(self.t)
        count = self.size - skip
        first = self.start + skip
        if first >= capacity:
            first -= capacity
        end = first + count
        if end <= capacity:
            out_v = self.v[first:end].astype(np.float64)
            out = self.t[first:end].copy(), out_v, self.q[first:end].copy()
        else:
            head = capacity - first
            out_t = np.empty(count, dtype=np.float64)
            out_v = np.empty(count, dtype=np.float64)
            out_q = np.empty(count, dtype=np.int8)
            for dst, src in ((out_t, self.t), (out_v, self.v), (out_q, self.q)):
                dst[:head] = src[first:]
                dst[head:] = src[: count - head]
            out = out_t, out_v, out_q
        if self.v.dtype == np.float32:
            _as_sent(out_v)
        return out

    def count_before(self, t_from: float) -> int:
        """How many of the samples are older than ``t_from`` (binary search over both segments)."""
        capacity = len(self.t)
        end = self.start + self.size
        if end <= capacity:
            return int(np.searchsorted(self.t[self.start : end], t_from, side="left"))
        older = self.t[self.start :]
        n = int(np.searchsorted(older, t_from, side="left"))
        if n < len(older):
            return n
        return len(older) + int(np.searchsorted(self.t[: end - capacity], t_from, side="left"))


def _as_sent(v: np.ndarray) -> None:
    """Float32 values back to the decimals they were sent as, in place: rounded to the 7th significant
    digit of the largest (float32 holds 7), so 20.9 reads 20.9 again (not 20.899999618530273) and
    equals a limit of 20.9 as the engine's value does. One rounding for the whole read: per value
    (a log10 each) cost 6x as much, 180 us for 8,192 samples; a small value beside a large one keeps
    the large one's step (0.00001 beside 20.9), far finer than a trend draws."""
    top = _top(v) if len(v) else 0.0
    if top > 0.0 and math.isfinite(top):
        np.round(v, 6 - math.floor(math.log10(top)), out=v)


def _top(v: np.ndarray) -> float:
    """The largest magnitude among ``v`` (NaN gap markers skipped; 0 for none)."""
    hi, lo = float(np.fmax.reduce(v)), float(np.fmin.reduce(v))
    return max(hi, -lo, 0.0) if not math.isnan(hi) else 0.0


class Buckets:
    """Fixed-width time buckets (min, max, mean) in a direct-mapped ring: slot = bucket % capacity.

    Samples arrive in bulk (``add_many``); the open (newest) bucket is kept in Python floats and
    written out when the next bucket starts.
    """

    __slots__ = (
        "bno",
        "cap_max",
        "cur",
        "cur_cnt",
        "cur_max",
        "cur_min",
        "cur_sum",
        "first",
        "mean",
        "mn",
        "mx",
        "newest",
    )

    def __init__(self, capacity: int, cap_max: int) -> None:
        self.cap_max = cap_max
        self._alloc(capacity)
        self.first = -1  # oldest bucket number ever written out
        self.newest = -1  # newest bucket number written out
        self.cur = -1  # the open bucket
        self.cur_min = math.inf
        self.cur_max = -math.inf
        self.cur_sum = 0.0
        self.cur_cnt = 0

    def _alloc(self, capacity: int) -> None:
        # 16 bytes a bucket (a full day of 60 s buckets is 23 kB a channel): float32 keeps 7 digits,
        # plenty for a trend; the open bucket accumulates in Python floats (float64). A written
        # bucket's count is not kept: nothing reads it (the mean is the open bucket's sum / count).
        self.bno = np.full(capacity, -1, dtype=np.int32)  # 10 s bucket numbers fit until year 2650
        # NaN, not np.empty's leftovers: read() converts whole slices, and stray bit patterns there
        # raised "invalid value encountered in cast" warnings (the values were masked, never shown).
        self.mn = np.full(capacity, np.nan, dtype=np.float32)
        self.mx = np.full(capacity, np.nan, dtype=np.float32)
        self.mean = np.full(capacity, np.nan, dtype=np.float32)

    @property
    def nbytes(self) -> int:
        return self.bno.nbytes + self.mn.nbytes + self.mx.nbytes + self.mean.nbytes

    def add_within(self, bucket: int, values: np.ndarray, mn: float, mx: float) -> None:
        """Samples that all fall in one bucket (``values`` finite, not empty; ``mn``/``mx`` their min and
        max): the common case of a batch, a sum instead of ``add_many``'s dozen array calls."""
        self._merge(bucket, mn, mx, float(values.sum()), len(values))

    def add_many(self, buckets: np.ndarray, values: np.ndarray) -> None:
        """Samples in time order: ``buckets`` their bucket numbers (non-decreasing), ``values`` finite."""
        if len(buckets) == 0:
            return
        starts = np.flatnonzero(buckets[1:] != buckets[:-1]) + 1
        starts = np.concatenate(([0], starts))
        counts = np.diff(np.append(starts, len(values)))
        for bucket, mn, mx, total, count in zip(
            buckets[starts].tolist(),
            np.minimum.reduceat(values, starts).tolist(),
            np.maximum.reduceat(values, starts).tolist(),
            np.add.reduceat(values, starts).tolist(),
            counts.tolist(),
            strict=True,
        ):
            self._merge(bucket, mn, mx, total, count)

    def _merge(self, bucket: int, mn: float, mx: float, total: float, count: int) -> None:
        if bucket != self.cur:
            if bucket < self.cur:  # cannot happen for time-ordered samples; keep the tier consistent
                return
            self._flush()
            self.cur = bucket
            self.cur_min, self.cur_max, self.cur_sum, self.cur_cnt = mn, mx, total, count
            return
        self.cur_min = min(self.cur_min, mn)
        self.cur_max = max(self.cur_max, mx)
        self.cur_sum += total
        self.cur_cnt += count

    def _flush(self) -> None:
        if self.cur < 0 or self.cur_cnt == 0:
            return
        bucket = self.cur
        if self.first < 0 or bucket - self.newest >= self.cap_max:
            # First bucket, or a silence longer than the whole tier: nothing older is kept.
            self.bno.fill(-1)
            self.first = bucket
        capacity = len(self.bno)
        span = bucket - self.first + 1
        if span > capacity and capacity < self.cap_max:
            self._grow(min(self.cap_max, max(capacity * 2, 1 << (span - 1).bit_length())))
            capacity = len(self.bno)
        slot = bucket % capacity
        self.bno[slot] = bucket
        self.mn[slot] = self.cur_min
        self.mx[slot] = self.cur_max
        self.mean[slot] = self.cur_sum / self.cur_cnt
        self.newest = bucket

    def _grow(self, capacity: int) -> None:
        keep = self.bno >= max(0, self.cur - capacity + 1)
        old = (self.bno[keep], self.mn[keep], self.mx[keep], self.mean[keep])
        self._alloc(capacity)
        slots = old[0] % capacity
        self.bno[slots], self.mn[slots], self.mx[slots], self.mean[slots] = old

    def read(self, b0: int, b1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Bucket numbers b0..b1 (clamped to what is kept): numbers, min, max, mean (NaN where empty)."""
        newest = max(self.newest, self.cur)
        if newest < 0:
            empty = np.empty(0, dtype=np.float64)
            return np.empty(0, dtype=np.int64), empty, empty.copy(), empty.copy()
        capacity = len(self.bno)
        oldest_kept = self.first if self.first >= 0 else self.cur
        if self.newest >= 0:
            oldest_kept = max(oldest_kept, self.newest - capacity + 1)
        b0 = max(b0, oldest_kept)
        b1 = min(b1, newest)
        if b1 < b0:
            empty = np.empty(0, dtype=np.float64)
            return np.empty(0, dtype=np.int64), empty, empty.copy(), empty.copy()
        numbers = np.arange(b0, b1 + 1, dtype=np.int64)
        slots = numbers % capacity
        hit = self.bno[slots] == numbers
        nan = np.nan
        mn = np.where(hit, self.mn[slots].astype(np.float64), nan)
        mx = np.where(hit, self.mx[slots].astype(np.float64), nan)
        mean = np.where(hit, self.mean[slots].astype(np.float64), nan)
        if b0 <= self.cur <= b1 and self.cur_cnt:
            i = self.cur - b0
            mn[i], mx[i], mean[i] = self.cur_min, self.cur_max, self.cur_sum / self.cur_cnt
        return numbers, mn, mx, mean

    def restore(self, first: int, mn: np.ndarray, mx: np.ndarray, mean: np.ndarray) -> None:
        """Take kept buckets ``first``, ``first + 1`` … (NaN where empty) into this empty tier.

        The newest becomes the open bucket, so a restart within its 10 s merges into it (its count is
        not kept: the mean then weighs the kept part as one sample). Bucket numbers more than the
        tier's capacity behind the newest are not taken."""
        numbers = first + np.flatnonzero(~np.isnan(mx))
        if not len(numbers):
            return
        newest = int(numbers[-1])
        numbers = numbers[numbers > newest - self.cap_max]
        index = numbers - first
        last = int(index[-1])
        self.cur = newest
        self.cur_min, self.cur_max = float(mn[last]), float(mx[last])
        self.cur_sum, self.cur_cnt = float(mean[last]), 1
        numbers, index = numbers[:-1], index[:-1]
        if not len(numbers):
            return
        span = newest - int(numbers[0]) + 1
        capacity = min(self.cap_max, max(len(self.bno), 1 << (span - 1).bit_length()))
        if capacity != len(self.bno):
            self._alloc(capacity)
        slots = numbers % capacity
        self.bno[slots] = numbers
        self.mn[slots], self.mx[slots], self.mean[slots] = mn[index], mx[index], mean[index]
        self.first, self.newest = int(numbers[0]), int(numbers[-1])
