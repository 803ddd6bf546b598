"""The alarm engine's own mutable state (``models.alarms.AlarmEngine`` and the jobs it delegates to are
the only ones to touch it): each judged channel's debounce state and normal band, each alarm's state
with its read-only snapshot and transition records, and the EEMUA 191 flood window. Others see an
alarm only as the :class:`~models.alarm_records.Alarm` snapshot."""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timedelta

from models.alarm_records import Alarm, AlarmState, AlarmTransition, FloodState
from models.limits import ChannelLimits
from models.records import ChannelKey, Priority

_INF = math.inf


class ChannelEntry:
    """Per-channel judging state; ``lo_in < value < hi_in`` is the allocation-free normal band."""

    __slots__ = (
        "alarm",
        "hi_in",
        "key",
        "last_value",
        "lim",
        "live",
        "lo_in",
        "pending",
        "pending_since",
        "pending_toward",
    )
    lim: ChannelLimits | None
    hi_in: float
    lo_in: float

    def __init__(self, key: ChannelKey, lim: ChannelLimits | None) -> None:
        self.key = key
        bind_limits(self, lim)
        self.live = 0  # debounced level: -2 LOLO, -1 LO, 0 normal, 1 HI, 2 HIHI
        self.pending: int | None = None
        self.pending_since: datetime | None = None
        self.pending_toward = False  # True while waiting to move toward normal (off-delay)
        self.last_value: float | None = None
        self.alarm: AlarmEntry | None = None


def bind_limits(ch: ChannelEntry, lim: ChannelLimits | None) -> None:
    """Give ``ch`` its limits and the normal band they make (at opening, and when the register changes)."""
    ch.lim = lim
    highs = [v for v in (lim.hi, lim.hihi) if v is not None] if lim else []
    lows = [v for v in (lim.lo, lim.lolo) if v is not None] if lim else []
    ch.hi_in = min(highs) if highs else _INF
    ch.lo_in = max(lows) if lows else -_INF


class AlarmEntry:
    """Mutable state of one alarm; only the engine touches it, others get :class:`Alarm`."""

    __slots__ = (
        "acked",
        "acked_at",
        "acked_by",
        "activations",
        "active",
        "alarm_id",
        "area",
        "cond",
        "first_ts",
        "kind",
        "last_ts",
        "limit",
        "live_cond",
        "live_limit",
        "live_message",
        "live_prio",
        "live_rank",
        "message",
        "oos",
        "oos_by",
        "oos_reason",
        "permit",
        "prio",
        "rank",
        "shelve_rank",
        "shelve_reason",
        "shelved",
        "shelved_by",
        "shelved_until",
        "site",
        "snap",
        "snap_key",
        "source",
        "unit",
        "value",
    )

    def __init__(self, alarm_id: str, kind: str, site: str, area: str, source: str) -> None:
        self.alarm_id = alarm_id
        self.kind = kind
        self.site = site
        self.area = area
        self.source = source
        self.unit = ""
        self.active = False
        self.acked = True  # a fresh alarm is "normal": nothing to acknowledge
        self.cond = ""
        self.rank = 0
        self.prio = Priority.LOW
        self.limit: float | None = None
        self.live_cond = ""
        self.live_rank = 0
        self.live_prio = Priority.LOW
        self.live_limit: float | None = None
        self.live_message = ""
        self.value: float | None = None
        self.message = ""
        self.permit: str | None = None
        self.first_ts: datetime | None = None
        self.last_ts: datetime | None = None
        self.activations = 0
        self.acked_by: str | None = None
        self.acked_at: datetime | None = None
        self.shelved = False
        self.shelved_by: str | None = None
        self.shelved_until: datetime | None = None
        self.shelve_reason: str | None = None
        self.shelve_rank = 0
        self.oos = False
        self.oos_by: str | None = None
        self.oos_reason: str | None = None
        self.snap: Alarm | None = None
        self.snap_key: tuple[object, ...] = ()

    def state(self) -> AlarmState:
        if self.oos:
            return AlarmState.OUT_OF_SERVICE
        if self.shelved:
            return AlarmState.SHELVED
        if self.active:
            return AlarmState.ACKED if self.acked else AlarmState.UNACK
        return AlarmState.NORMAL if self.acked else AlarmState.RTN_UNACK

    def snapshot(self) -> Alarm:
        """The read-only copy, built again only when something it shows changed: the core's read model
        takes every active alarm's snapshot every 250 ms, and building each one anew was the largest
        part of that capture (bench/alarm_latency, DEVELOPERS.md). ``shown`` is every field of
        :class:`Alarm` after the alarm's identity, in order, so a field added there breaks this call."""
        shown = (
            self.cond,
            self.prio,
            self.state(),
            self.active,
            self.value,
            self.unit,
            self.limit,
            self.first_ts,
            self.last_ts,
            self.activations,
            self.acked_by,
            self.acked_at,
            self.shelved_by,
            self.shelved_until,
            self.shelve_reason,
            self.oos_by,
            self.oos_reason,
            self.message,
            self.permit,
        )
        if self.snap is None or shown != self.snap_key:
            self.snap_key = shown
            self.snap = Alarm(self.alarm_id, self.kind, self.site, self.area, self.source, *shown)
        return self.snap

    def transition(
        self, before: AlarmState, after: AlarmState, ts: datetime, who: str, note: str
    ) -> AlarmTransition:
        """The record of this alarm's change from ``before`` to ``after``, as it stands now."""
        return AlarmTransition(
            alarm_id=self.alarm_id,
            ts=ts,
            site=self.site,
            area=self.area,
            source=self.source,
            condition=self.cond,
            priority=self.prio,
            from_state=before,
            to_state=after,
            value=self.value,
            unit=self.unit,
            who=who,
            note=note,
            message=self.message,
            limit=self.limit,
            permit=self.permit,
        )


class FloodWindow:
    """EEMUA 191 flood tracking: the activation times within the last ``window``."""

    def __init__(self, count: int, window: timedelta) -> None:
        self.count = count
        self.window = window
        self._times: deque[datetime] = deque()

    def record(self, ts: datetime) -> None:
        self._times.append(ts)

    def forget(self, now: datetime) -> None:
        """Drop the activations that fell out of the window."""
        horizon = now - self.window
        while self._times and self._times[0] <= horizon:
            self._times.popleft()

    def state(self, now: datetime) -> FloodState:
        self.forget(now)
        horizon = now - self.window
        count = sum(1 for t in self._times if horizon < t <= now)
        return FloodState(count >= self.count, count)
