"""Alarms from the field's worker events (contract §3): man down, fall, SOS, no motion, geofence."""

from __future__ import annotations

from typing import Any

from models.records import Priority, WorkerEvent, WorkerEventType
from models.rules.alarm_texts import alarm_message

# (priority, condition, message code: models.rules.alarm_texts)
WORKER_ALARMS = {
    WorkerEventType.MAN_DOWN: (Priority.CRITICAL, "MAN_DOWN", "worker.man_down"),
    WorkerEventType.FALL: (Priority.CRITICAL, "FALL", "worker.fall"),
    WorkerEventType.SOS: (Priority.CRITICAL, "SOS", "worker.sos"),
    WorkerEventType.NO_MOTION: (Priority.CRITICAL, "NO_MOTION", "worker.no_motion"),
    WorkerEventType.GEOFENCE_BREACH: (Priority.HIGH, "GEOFENCE", "worker.geofence"),
}


def worker_alarm(ev: WorkerEvent) -> dict[str, Any] | None:
    """The alarm event ``ev`` raises, as ``AlarmEngine.raise_event``'s keywords; None if it raises none."""
    spec = WORKER_ALARMS.get(ev.type)
    if spec is None:
        return None
    priority, condition, code = spec
    message = (
        alarm_message(f"{code}_permit", worker=ev.worker, permit_id=ev.permit)
        if ev.permit
        else alarm_message(code, worker=ev.worker)
    )
    return dict(
        source=f"worker:{ev.worker}",
        condition=condition,
        priority=priority,
        site=ev.site,
        area=ev.area,
        ts=ev.ts,
        message=message,
        permit=ev.permit,
    )
