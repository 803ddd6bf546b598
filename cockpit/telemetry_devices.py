"""A detector as the live telemetry store tracks it: its last status and its ``seq`` bookkeeping.

Not thread-safe: the store (``cockpit.telemetry``) takes its lock around every use.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from cockpit.telemetry_records import DeviceKey
from models.records import DeviceState

if TYPE_CHECKING:
    from cockpit.telemetry_channel import Channel

_NEG_INF = -math.inf


class Device:
    """One detector: its status, its channels, and the messages lost or repeated by ``seq``."""

    __slots__ = (
        "battery",
        "channels",
        "detail",
        "key",
        "last_seq",
        "last_seq_ts",
        "lost",
        "resets",
        "state",
        "status_ts",
    )

    def __init__(self, key: DeviceKey) -> None:
        self.key = key
        self.state: DeviceState | None = None
        self.battery: float | None = None
        self.detail = ""
        self.status_ts: datetime | None = None
        self.channels: dict[str, Channel] = {}
        self.last_seq: int | None = None
        self.last_seq_ts = _NEG_INF
        self.lost = 0
        self.resets = 0

    def observe_seq(self, seq: int, ts: float) -> int:
        """Messages lost before this one. A lower seq with a newer ts is a restart; else a duplicate."""
        last = self.last_seq
        if last is None or seq > last:
            lost = 0 if last is None else seq - last - 1
            self.last_seq, self.last_seq_ts = seq, ts
            self.lost += lost
            return lost
        if ts > self.last_seq_ts:
            self.resets += 1
            self.last_seq, self.last_seq_ts = seq, ts
        return 0
