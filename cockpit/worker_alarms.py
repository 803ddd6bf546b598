"""Alarms from the field's worker events (contract §3): man down, fall, SOS, no motion, geofence."""

from __future__ import annotations

from typing import Any

from models.records import Priority, WorkerEvent, WorkerEventType

WORKER_ALARMS = {
    WorkerEventType.MAN_DOWN: (Priority.CRITICAL, "MAN_DOWN", "man down"),
    WorkerEventType.FALL: (Priority.CRITICAL, "FALL", "fall detected"),
    WorkerEventType.SOS: (Priority.CRITICAL, "SOS", "SOS pressed"),
    WorkerEventType.NO_MOTION: (Priority.CRITICAL, "NO_MOTION", "no motion"),
    WorkerEventType.GEOFENCE_BREACH: (Priority.HIGH, "GEOFENCE", "geofence breach"),
}


def worker_alarm(ev: WorkerEvent) -> dict[str, Any] | None:
    """The alarm event ``ev`` raises, as ``AlarmEngine.raise_event``'s keywords; None if it raises none."""
    spec = WORKER_ALARMS.get(ev.type)
    if spec is None:
        return None
    priority, condition, text = spec
    where = f" (permit {ev.permit})" if ev.permit else ""
    return dict(
        source=f"worker:{ev.worker}",
        condition=condition,
        priority=priority,
        site=ev.site,
        area=ev.area,
        ts=ev.ts,
        message=f"{text}: worker {ev.worker}{where}",
        permit=ev.permit,
    )
