"""The live telemetry store: every channel's last value, its STALE state, and its recent history.

A reading enters through ``ingest`` (a batch of decoded field messages, from the
ingest consumer) and leaves through snapshots and array copies for the screens.
Two tiers per channel (``site/area/device/ch``), in ``cockpit.telemetry_buffers``: a numpy
ring of every sample over ``native_window_s`` (2 h, at most ``native_capacity`` samples), and
``bucket_s`` (60 s) buckets with min, max and mean over ``history_s`` (24 h). Only the first
``max_channels`` channels keep them (the memory bound; the others are counted and logged).
The records it hands out are defined in ``cockpit.telemetry_records`` and importable from here.

STALE (never shown as a normal value, brief §"Alarm handling"): a channel is stale
when its device is ``offline`` or in ``fault`` (§2), when its latest reading is
``bad``, when it has had no usable reading since it appeared or since its device
went offline/fault and back, or when ``min(ts, arrival) + max_age_s`` has passed
(``max_age_s`` of the message, else ``default_max_age_s``). Only a ``good`` reading
keeps a channel fresh (contract §1); an ``uncertain`` one is shown and stored with its
quality, and judged by the alarm engine, but a channel with only uncertain readings goes
STALE at its max age. A ``bad`` one is never shown as a value. Readings that arrive while
the device is offline or in fault are kept
but flagged as gaps, like ``bad`` ones: ``recent()`` returns NaN for them and they
never enter the 10 s tier. Where a channel went silent longer than its max age,
or its device went offline, a gap marker (NaN) breaks the line.

A reading whose ``ts`` is not newer than the channel's last one (a duplicate or a
late redelivery) is counted in ``StoreUpdate.late`` and otherwise ignored, which
keeps both tiers in time order.

Device status is applied in arrival order, not by ``ts``: a gateway's last will
carries the ``ts`` of its connection, older than the ``online`` it sent then.

Thread model: ``ingest`` and ``tick`` are called from one thread (the ingest
consumer). Readers (``channel``, ``channels``, ``recent``, ``history``,
``unregistered``, ``seq_gaps`` …) may run on any other thread, typically the GUI
thread: they take an internal lock for the time of a copy, and every array they
return is a fresh copy the caller owns. The lock is never held while calling out.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np

# Under their old private names, so the store's code reads as it did.
from cockpit.telemetry_buffers import BUCKET_S, HISTORY_S, MAX_CHANNELS, NATIVE_CAPACITY
from cockpit.telemetry_channel import BOUND_WARNING, judge_stale, new_channel
from cockpit.telemetry_channel import STAGE_MAX as _STAGE_MAX
from cockpit.telemetry_channel import Channel as _Channel
from cockpit.telemetry_devices import Device as _Device
from cockpit.telemetry_kept import KeptChannel, copy_out, seed
from cockpit.telemetry_records import (
    ChannelSnapshot,
    DeviceKey,
    DeviceSnapshot,
    StaleChange,
    StaleReason,
    StoreExport,
    StoreUpdate,
)
from models.records import (
    ChannelKey,
    DeviceState,
    DeviceStatus,
    FieldMessage,
    Quality,
    SensorMessage,
)

log = logging.getLogger(__name__)

# What other modules import from here, the records among them.
__all__ = ["ChannelSnapshot", "DeviceSnapshot", "StaleReason", "StoreExport", "TelemetryStore"]

# Quality codes in the native ring.
Q_GOOD = 0
Q_UNCERTAIN = 1
Q_BAD = 2
Q_GAP = 3  # a gap marker, or a value taken while the device was offline/in fault
_Q_CODE = {Quality.GOOD: Q_GOOD, Quality.UNCERTAIN: Q_UNCERTAIN, Quality.BAD: Q_BAD}
_BLOCKING = frozenset({DeviceState.OFFLINE, DeviceState.FAULT})
_NEG_INF = -math.inf
# A channel's state as its mirror in another process takes it over (take_export, absorb).
_EXPORTED = (
    "value", "unit", "quality", "last_ts", "last_dt", "last_good_dt", "max_age", "stale", "stale_reason",
)  # fmt: skip
assert _EXPORTED == (  # ``absorb`` unpacks a channel's row in this order
    "value", "unit", "quality", "last_ts", "last_dt", "last_good_dt", "max_age", "stale", "stale_reason",
)  # fmt: skip


class TelemetryStore:
    """Live values, STALE states and two-tier history of every channel (see the module docstring).

    ``native_window_s``/``native_capacity``: the native ring keeps at least this many seconds,
    up to this many samples per channel (8,192: 2 h at 1 Hz; a faster channel keeps less time).
    ``max_channels``: channels that keep history; a channel beyond it keeps its value and STALE
    judgment but no trend, counted in ``without_history`` and said once in the log.
    ``initial_capacity``: where each ring starts (it doubles as needed, so idle channels stay small).
    ``history_s``/``bucket_s``: span and width of the min/max/mean tier.
    ``default_max_age_s``: freshness of readings whose message has no ``max_age_s`` (configuration).
    ``registered_devices``: (site, area, device) the database knows; see ``set_registered_devices``.
    """

    def __init__(
        self,
        *,
        native_window_s: float = 7200.0,
        native_capacity: int = NATIVE_CAPACITY,
        initial_capacity: int = 256,
        history_s: float = HISTORY_S,
        bucket_s: float = BUCKET_S,
        max_channels: int = MAX_CHANNELS,
        default_max_age_s: float = 10.0,
        registered_devices: Iterable[DeviceKey] = (),
    ) -> None:
        if min(native_window_s, history_s, bucket_s, default_max_age_s) <= 0:
            raise ValueError("telemetry windows, bucket width and max age must be positive")
        if native_capacity < 2 or initial_capacity < 2:
            raise ValueError("ring capacities must be at least 2")
        self._window_s = native_window_s
        self._native_cap = native_capacity
        self._initial_cap = min(initial_capacity, native_capacity)
        self._bucket_s = bucket_s
        self._bucket_cap = math.ceil(history_s / bucket_s) + 1
        self._default_max_age = default_max_age_s
        self.max_channels = max_channels
        self.without_history = 0  # channels beyond ``max_channels`` (no trend kept)
        self._registered: frozenset[DeviceKey] = frozenset(registered_devices)
        self._devices: dict[DeviceKey, _Device] = {}
        self._kept_devices: dict[DeviceKey, _Device] = {}  # of seeded channels, until their first message
        self._seeds: list[KeptChannel] = []  # restored history, for the mirror's next export
        self._channels: dict[ChannelKey, _Channel] = {}
        self._lost_total = 0
        self._now_s = _NEG_INF
        self._exporting = False
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- writing (ingest thread)
    def ingest(self, messages: Sequence[FieldMessage], now: datetime) -> StoreUpdate:
        """Take a batch of decoded messages (readings and device status; others are ignored)."""
        now_s = now.timestamp()
        changed: set[ChannelKey] = set()
        judge: dict[ChannelKey, _Channel] = {}
        new: list[ChannelKey] = []
        devices_changed: list[DeviceKey] = []
        lost = late = 0
        for message in messages:
            if isinstance(message, SensorMessage):
                with self._lock:
                    n_lost, n_late = self._take_readings(message, now_s, changed, judge, new)
                lost += n_lost
                late += n_late
            elif isinstance(message, DeviceStatus):
                with self._lock:
                    if self._take_status(message, judge):
                        devices_changed.append((message.site, message.area, message.device))
        with self._lock:
            self._now_s = max(self._now_s, now_s)
            stale_changes = self._judge(judge.values(), now_s, now)
        return StoreUpdate(
            frozenset(changed), tuple(stale_changes), tuple(new), tuple(devices_changed), lost, late
        )

    def tick(self, now: datetime) -> list[StaleChange]:
        """Re-judge every channel's age at ``now`` (call about once a second)."""
        now_s = now.timestamp()
        with self._lock:
            self._now_s = max(self._now_s, now_s)
            return self._judge(list(self._channels.values()), now_s, now)

    def set_registered_devices(self, devices: Iterable[DeviceKey]) -> None:
        """Replace the set of devices the database knows (the others are listed as unregistered)."""
        registered = frozenset(devices)
        with self._lock:
            self._registered = registered

    def _device(self, key: DeviceKey) -> _Device:
        device = self._devices.get(key)
        if device is None:
            device = self._devices[key] = self._kept_devices.pop(key, None) or _Device(key)  # type: ignore[arg-type]
        return device

    def _new_channel(self, key: ChannelKey, device: _Device) -> _Channel:
        n = len(self._channels)
        channel = new_channel(key, device, n, self.max_channels, self._initial_cap, self._bucket_cap)
        if not channel.history:
            self.without_history += 1
            if self.without_history == 1:  # said once; the count is on the diagnostics screen
                log.warning(BOUND_WARNING, key, n + 1, self.max_channels)
        if self._exporting:
            channel.exports = []
        # Staggered: channels that report at the same rate would otherwise all flush in the same batch
        # (a 100-detector plant at 50 msg/s each: 300 flushes every 5.1 s, a 130-270 ms pause of the
        # core that delayed the alarm behind it; bench/alarm_latency).
        channel.stage_max = _STAGE_MAX // 2 + (len(self._channels) * 61) % (_STAGE_MAX // 2)
        device.channels[key.ch] = channel
        self._channels[key] = channel
        return channel

    def _take_readings(
        self,
        message: SensorMessage,
        now_s: float,
        changed: set[ChannelKey],
        judge: dict[ChannelKey, _Channel],
        new: list[ChannelKey],
    ) -> tuple[int, int]:
        site, area, device_id, dt, readings, seq, max_age = message
        device = self._device((site, area, device_id))
        ts = dt.timestamp()
        lost = 0
        if seq is not None:
            lost = device.observe_seq(seq, ts)
            self._lost_total += lost
        if max_age is None:
            max_age = self._default_max_age
        blocked = device.state in _BLOCKING
        valid_until = min(ts, now_s) + max_age
        late = 0
        channels = device.channels
        for ch, value, unit, quality in readings:
            channel = channels.get(ch)
            if channel is None:
                key = ChannelKey(site, area, device_id, ch)
                channel = self._new_channel(key, device)
                new.append(key)
            last_ts = channel.last_ts
            if ts <= last_ts:
                late += 1
                continue
            staged = channel.staged
            if last_ts != _NEG_INF and (ts - last_ts > channel.max_age or unit != channel.unit):
                staged.append((min(last_ts + channel.max_age, ts), math.nan, Q_GAP))
            code = Q_GAP if blocked else _Q_CODE[quality]
            staged.append((ts, value, code))
            if len(staged) >= channel.stage_max:
                self._flush(channel)
            # Fresh before and after a good reading: nothing can change, nothing to judge.
            unchanged = False
            if code == Q_GOOD:  # contract §1: STALE without a *good* reading within the max age
                channel.valid_until = valid_until
                channel.last_good_dt = dt
                unchanged = channel.stale is False and valid_until >= now_s
            channel.value = value
            channel.quality = quality
            channel.unit = unit
            channel.last_ts = ts
            channel.last_dt = dt
            channel.max_age = max_age
            key = channel.key
            changed.add(key)
            if not unchanged:
                judge[key] = channel
        return lost, late

    def _take_status(self, message: DeviceStatus, judge: dict[ChannelKey, _Channel]) -> bool:
        device = self._device((message.site, message.area, message.device))
        before = device.state
        state = message.state
        device.state = state
        device.battery = message.battery
        device.detail = message.detail
        device.status_ts = message.ts
        was_blocked = before in _BLOCKING
        blocked = state in _BLOCKING
        if blocked != was_blocked:
            for channel in device.channels.values():
                # Going down or coming back: only a reading taken after this counts as fresh.
                channel.valid_until = _NEG_INF
                if blocked and channel.last_ts != _NEG_INF:
                    channel.staged.append((channel.last_ts, math.nan, Q_GAP))
        for channel in device.channels.values():
            judge[channel.key] = channel
        return before is not state

    def _flush(self, channel: _Channel) -> None:
        """Write a channel's staged samples to its ring and its 10 s buckets (under the lock)."""
        if channel.absorbed:  # a mirror's (it stages nothing else)
            parts, channel.absorbed, channel.absorbed_n = channel.absorbed, [], 0
            if len(parts) == 1:  # read after every update: one part, nothing to join
                self._write(channel, *parts[0])
            else:
                t, v, q = (np.concatenate(column) for column in zip(*parts, strict=True))
                self._write(channel, t, v, q)
        staged = channel.staged
        if not staged:
            return
        channel.staged = []
        samples = np.array(staged, dtype=np.float64)
        t, v, q = samples[:, 0], samples[:, 1], samples[:, 2].astype(np.int8)
        self._write(channel, t, v, q)
        if channel.exports is not None:
            channel.exports.append((t, v, q))

    def _write(self, channel: _Channel, t: np.ndarray, v: np.ndarray, q: np.ndarray) -> None:
        if not channel.history:
            return
        usable = q <= Q_UNCERTAIN
        tu, vu = (t, v) if usable.all() else (t[usable], v[usable])
        lo, hi = (float(vu.min()), float(vu.max())) if len(vu) else (0.0, 0.0)
        channel.ring.extend(t, v, q, self._window_s, self._native_cap, max(hi, -lo))  # its float32 check
        if not len(tu):
            return
        # A batch (10 a second) mostly falls in one bucket: then its min and max (taken above) and a
        # sum do, where the general path's dozen array calls were 40 % of a mirror's read of a channel.
        width = self._bucket_s
        first = math.floor(float(tu[0]) / width)
        if first == math.floor(float(tu[-1]) / width):
            channel.buckets.add_within(first, vu, lo, hi)
        else:
            channel.buckets.add_many(np.floor(tu / width).astype(np.int64), vu)

    _judge = staticmethod(judge_stale)

    # ----------------------------------------------------------------- reading (any thread)
    def _snapshot(self, channel: _Channel) -> ChannelSnapshot:
        device = channel.device
        stale = channel.stale if channel.stale is not None else True
        assert channel.last_dt is not None
        return ChannelSnapshot(
            key=channel.key,
            value=None if channel.quality is Quality.BAD else channel.value,
            unit=channel.unit,
            quality=channel.quality,
            ts=channel.last_dt,
            max_age_s=channel.max_age,
            stale=stale,
            stale_reason=channel.stale_reason,
            device_state=device.state,
            unregistered=device.key not in self._registered,
            last_good_ts=channel.last_good_dt,
        )

    def channel(self, key: ChannelKey) -> ChannelSnapshot | None:
        with self._lock:
            channel = self._channels.get(key)
            return None if channel is None or channel.last_dt is None else self._snapshot(channel)

    def channels(self, site: str | None = None, area: str | None = None) -> list[ChannelSnapshot]:
        """Snapshots of the channels (of one site, or one area), sorted by key."""
        with self._lock:
            found = [
                self._snapshot(c)
                for k, c in self._channels.items()
                if (site is None or k.site == site) and (area is None or k.area == area) and c.last_dt
            ]
        found.sort(key=lambda s: (s.key.site, s.key.area, s.key.device, s.key.ch))
        return found

    def seeded(self, site: str, area: str) -> list[ChannelKey]:
        """An area's channels with history kept from before a restart and no reading since (no snapshot)."""
        with self._lock:
            return sorted(k for k, c in self._channels.items() if c.last_dt is None and k[:2] == (site, area))

    def recent(
        self, key: ChannelKey, seconds: float, now: datetime | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (t epoch s, value) of the last ``seconds`` before ``now`` (default: the latest
        ingest/tick time), oldest first; NaN where the value was bad or the channel stale (gaps)."""
        end_s = now.timestamp() if now is not None else self._now_s
        with self._lock:
            channel = self._channels.get(key)
            if channel is None:
                return np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64)
            self._flush(channel)
            ring = channel.ring
            t, v, q = ring.ordered(ring.count_before(end_s - seconds))
        v[q >= Q_BAD] = np.nan
        return t, v

    def traces(
        self, keys: Iterable[ChannelKey], seconds: float, now: datetime | None = None
    ) -> dict[ChannelKey, tuple[ChannelSnapshot, np.ndarray, np.ndarray]]:
        """For each key the store holds: its snapshot and ``recent(key, seconds)``, all under one
        taking of the lock. A screen refreshing many channels uses this: every time the GUI thread
        finds the lock taken by the ingest thread, it gives up the GIL and waits to get it back, and
        one call per channel made that wait, not the work, the cost of a refresh."""
        end_s = now.timestamp() if now is not None else self._now_s
        out: dict[ChannelKey, tuple[ChannelSnapshot, np.ndarray, np.ndarray]] = {}
        with self._lock:
            for key in keys:
                channel = self._channels.get(key)
                if channel is None or channel.last_dt is None:
                    continue
                self._flush(channel)
                ring = channel.ring
                t, v, q = ring.ordered(ring.count_before(end_s - seconds))
                v[q >= Q_BAD] = np.nan
                out[key] = (self._snapshot(channel), t, v)
        return out

    def history(
        self, key: ChannelKey, t0: datetime, t1: datetime
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """From the 10 s tier: (bucket start t epoch s, min, max, mean) for every bucket from t0 to t1
        that is kept, NaN where a bucket had no usable reading."""
        with self._lock:
            channel = self._channels.get(key)
            if channel is None:
                empty = np.empty(0, dtype=np.float64)
                return empty, empty.copy(), empty.copy(), empty.copy()
            self._flush(channel)
            width = self._bucket_s
            numbers, mn, mx, mean = channel.buckets.read(
                math.floor(t0.timestamp() / width), math.floor(t1.timestamp() / width)
            )
        return numbers * width, mn, mx, mean

    def seq_gaps(self, device: DeviceKey) -> int:
        """Messages of this device lost by ``seq`` since start (restarts and duplicates not counted)."""
        with self._lock:
            found = self._devices.get(device)
            return found.lost if found is not None else 0

    @property
    def lost_total(self) -> int:
        with self._lock:
            return self._lost_total

    def unregistered(self) -> set[DeviceKey]:
        """Devices seen on the broker that the database does not know (still stored and judged)."""
        with self._lock:
            return {key for key in self._devices if key not in self._registered}

    def device(self, key: DeviceKey) -> DeviceSnapshot | None:
        with self._lock:
            found = self._devices.get(key)
            if found is None:
                return None
            return DeviceSnapshot(
                key=found.key,
                state=found.state,
                battery=found.battery,
                detail=found.detail,
                status_ts=found.status_ts,
                lost=found.lost,
                resets=found.resets,
                unregistered=found.key not in self._registered,
                channels=tuple(sorted(c.key for c in found.channels.values())),
            )

    def devices(self) -> list[DeviceKey]:
        with self._lock:
            return sorted(self._devices)

    def now(self) -> datetime | None:
        """The latest time given to ``ingest`` or ``tick`` (None before any)."""
        with self._lock:
            return None if self._now_s == _NEG_INF else datetime.fromtimestamp(self._now_s, UTC)

    # ----------------------------------------------------------------- mirroring (another process)
    def enable_export(self) -> None:
        """From now on keep what is written for ``take_export`` (the field link process's store)."""
        with self._lock:
            self._exporting = True
            for channel in self._channels.values():
                if channel.exports is None:
                    channel.exports = []

    def take_export(self, keys: Iterable[ChannelKey]) -> StoreExport:
        """The state and the new samples of ``keys`` since their last export, and their devices'."""
        channels: list[tuple] = []  # type: ignore[type-arg]
        counts: list[int] = []
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        devices: dict[DeviceKey, tuple] = {}  # type: ignore[type-arg]
        for key in keys:
            # The lock per channel, not for the whole export: the ingest thread goes on between two.
            with self._lock:
                channel = self._channels.get(key)
                if channel is None or channel.last_dt is None or channel.exports is None:
                    continue
                self._flush(channel)
                written, channel.exports = channel.exports, []
                parts.extend(written)
                counts.append(sum(len(p[0]) for p in written))
                channels.append((key, *(getattr(channel, name) for name in _EXPORTED)))
                device = channel.device
                if device.key not in devices:
                    devices[device.key] = (
                        device.key,
                        device.state,
                        device.battery,
                        device.detail,
                        device.status_ts,
                        device.lost,
                        device.resets,
                        device.key in self._registered,
                    )
        with self._lock:
            lost_total, now_s = self._lost_total, self._now_s
            seeds, self._seeds = tuple(self._seeds), []
        if parts:
            t = np.concatenate([p[0] for p in parts])
            v = np.concatenate([p[1] for p in parts])
            q = np.concatenate([p[2] for p in parts])
        else:
            t, v, q = np.empty(0), np.empty(0), np.empty(0, dtype=np.int8)
        return StoreExport(channels, counts, t, v, q, list(devices.values()), lost_total, now_s, seeds)

    def absorb(self, export: StoreExport) -> None:
        """Take in another store's ``take_export``: this store then reads as that one does."""
        if export.seeds:
            self.restore(export.seeds)
        with self._lock:
            registered = set(self._registered)
            for key, state, battery, detail, status_ts, lost, resets, known in export.devices:
                device = self._device(key)
                device.state, device.battery, device.detail = state, battery, detail
                device.status_ts, device.lost, device.resets = status_ts, lost, resets
                if known:
                    registered.add(key)
                else:
                    registered.discard(key)
            if registered != self._registered:
                self._registered = frozenset(registered)
            offset = 0
            # Kept as slices and written in bulk at the channel's threshold or when read, as ingest
            # stages: a write per channel per export cost the GUI thread 13 ms an update (10,000 msg/s).
            for row, n in zip(export.channels, export.counts, strict=True):
                key = row[0]
                channel = self._channels.get(key)
                if channel is None:
                    channel = self._new_channel(key, self._device((key.site, key.area, key.device)))
                # One unpacking, in ``_EXPORTED``'s order: nine setattr calls per channel per update
                # were a fifth of the GUI thread's absorb (the window reads ten updates a second).
                (
                    _,
                    channel.value,
                    channel.unit,
                    channel.quality,
                    channel.last_ts,
                    channel.last_dt,
                    channel.last_good_dt,
                    channel.max_age,
                    channel.stale,
                    channel.stale_reason,
                ) = row
                if n:
                    end = offset + n
                    channel.absorbed.append(
                        (export.t[offset:end], export.v[offset:end], export.q[offset:end])
                    )
                    channel.absorbed_n += n  # counted, not summed over the parts each time
                    offset = end
                    if channel.absorbed_n >= channel.stage_max:
                        self._flush(channel)
            self._lost_total = export.lost_total
            self._now_s = max(self._now_s, export.now_s)

    def mark_all_stale(self, reason: StaleReason) -> list[ChannelKey]:
        """Every channel STALE for ``reason`` (a mirror whose source is gone); returns their keys."""
        with self._lock:
            for channel in self._channels.values():
                channel.stale, channel.stale_reason = True, reason
            return [key for key, channel in self._channels.items() if channel.last_dt is not None]

    # ----------------------------------------------------------------- across a restart (telemetry_keep)
    def kept(self, native_s: float, native_max: int) -> list[KeptChannel]:
        """Copies of every channel's 10 s tier and its native samples of the last ``native_s`` (at most
        ``native_max`` each), for the file a restart finds. The lock per channel, as ``take_export``."""
        out: list[KeptChannel] = []
        with self._lock:
            keys = list(self._channels)
        for key in keys:
            with self._lock:
                channel = self._channels.get(key)
                if channel is None:
                    continue
                self._flush(channel)
                item = copy_out(channel, self._bucket_s, self._now_s - native_s, native_max)
            if item is not None:
                out.append(item)
        return out

    def restore(self, items: Iterable[KeptChannel]) -> int:
        """Seed the channels this store has not seen with the history kept from before a restart
        (``cockpit.telemetry_kept``); an exported store hands them on with its next export."""
        taken = 0
        with self._lock:
            for item in items:
                key = item.key
                if key in self._channels:
                    continue
                where = (key.site, key.area, key.device)
                device = self._devices.get(where) or self._kept_devices.setdefault(where, _Device(where))
                seed(self._new_channel(key, device), item, self._window_s, self._native_cap)
                if self._exporting:
                    self._seeds.append(item)
                taken += 1
        return taken
