"""Counts and keeps the messages the decoder turned away, for the diagnostics view and console health.

The contract promises that nothing valid is dropped silently and nothing invalid
is dropped unseen: every rejection is counted by its reason key (published in the
§11 console health as ``rejected_by_reason``) and the last few are kept with an
excerpt so an engineer can see what a field system actually sent.

Thread-safe: the ingest thread records, the GUI thread takes snapshots; the lock
is held only for a counter update or a copy.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.records import Rejection

EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class RejectedEntry:
    """One kept rejection, as the diagnostics view lists it."""

    topic: str
    reason: str
    detail: str
    excerpt: str  # at most 200 printable characters
    received_at: datetime


def _printable(text: str, limit: int = EXCERPT_CHARS) -> str:
    return "".join(c if c.isprintable() else "\ufffd" for c in text[:limit])


class RejectionLog:
    """Counters by reason, a total, and the last ``keep`` rejections."""

    def __init__(self, keep: int = 200) -> None:
        if keep < 0:
            raise ValueError("keep must be zero or more")
        self._lock = threading.Lock()
        self._by_reason: Counter[str] = Counter()
        self._total = 0
        self._recent: deque[RejectedEntry] = deque(maxlen=keep)

    def record(self, rejection: Rejection) -> None:
        """Count one rejection and keep it among the recent ones."""
        entry = RejectedEntry(
            topic=_printable(rejection.topic, 512),
            reason=rejection.reason,
            detail=rejection.detail,
            excerpt=_printable(rejection.excerpt),
            received_at=rejection.received_at,
        )
        with self._lock:
            self._by_reason[rejection.reason] += 1
            self._total += 1
            self._recent.append(entry)

    def record_all(self, rejections: Iterable[Rejection]) -> None:
        for rejection in rejections:
            self.record(rejection)

    @property
    def total(self) -> int:
        with self._lock:
            return self._total

    def by_reason(self) -> dict[str, int]:
        with self._lock:
            return dict(self._by_reason)

    def recent(self) -> list[RejectedEntry]:
        """The kept rejections, oldest first."""
        with self._lock:
            return list(self._recent)

    def snapshot(self) -> dict[str, Any]:
        """Plain data (JSON-ready apart from the datetimes): total, by_reason, recent (newest first)."""
        with self._lock:
            total = self._total
            by_reason = dict(self._by_reason)
            recent = list(self._recent)
        return {
            "total": total,
            "by_reason": by_reason,
            "recent": [
                {
                    "topic": e.topic,
                    "reason": e.reason,
                    "detail": e.detail,
                    "excerpt": e.excerpt,
                    "received_at": e.received_at,
                }
                for e in reversed(recent)
            ],
        }
