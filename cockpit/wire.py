"""What the cockpit puts on the wire: topics and payloads of contract §6–§9, §11 and `_cockpit/`.

One place for every outgoing topic so that the documentation (docs/mqtt-cockpit-topics.md)
and the code cannot drift apart quietly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any


def epoch_ms(ts: datetime) -> int:
    return round(ts.timestamp() * 1000)


def dumps(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Topics:
    """Topic names under one root."""

    def __init__(self, root: str) -> None:
        self.root = root

    # field → cockpit subscriptions
    def field_subscriptions(self) -> list[tuple[str, int]]:
        r = self.root
        return [
            (f"{r}/+/+/sensor/+", 1),
            (f"{r}/+/+/device/+/status", 1),
            (f"{r}/+/+/worker/+/event", 1),
            (f"{r}/+/+/permit/+/event", 1),
            (f"{r}/+/+/permit/+/request", 1),
            (f"{r}/+/+/cmd/ack", 1),
            # what other consoles send, to stay in step
            (f"{r}/+/+/cmd/stop-work", 1),
            (f"{r}/+/+/cmd/resume-work", 1),
            (f"{r}/+/+/work-state", 1),
            (f"{r}/_cockpit/#", 1),
        ]

    def permit_state(self, site: str, area: str, permit: str) -> str:
        return f"{self.root}/{site}/{area}/permit/{permit}/state"

    def permit_reply(self, site: str, area: str, permit: str) -> str:
        return f"{self.root}/{site}/{area}/permit/{permit}/reply"

    def stop_work(self, site: str, area: str) -> str:
        return f"{self.root}/{site}/{area}/cmd/stop-work"

    def resume_work(self, site: str, area: str) -> str:
        return f"{self.root}/{site}/{area}/cmd/resume-work"

    def work_state(self, site: str, area: str) -> str:
        return f"{self.root}/{site}/{area}/work-state"

    def health(self, console: str) -> str:
        return f"{self.root}/_cockpit/console/{console}/health"

    def alarm_action(self) -> str:
        return f"{self.root}/_cockpit/alarm-action"

    def parse_own(self, topic: str) -> tuple[str, list[str]] | None:
        """(kind, parts) for topics the cockpits publish; None for anything else."""
        parts = topic.split("/")
        if len(parts) < 2 or parts[0] != self.root:
            return None
        if parts[1] == "_cockpit":
            if len(parts) == 5 and parts[2] == "console" and parts[4] == "health":
                return "health", parts
            if len(parts) == 3 and parts[2] == "alarm-action":
                return "alarm-action", parts
            return "cockpit-other", parts
        if len(parts) == 5 and parts[3] == "cmd" and parts[4] in ("stop-work", "resume-work"):
            return parts[4], parts
        if len(parts) == 4 and parts[3] == "work-state":
            return "work-state", parts
        return None


def command_body(
    *,
    command_id: str,
    ts: datetime,
    permits: Sequence[str],
    reason: str,
    alarm_id: str | None,
    issued_by: str,
    auto: bool,
    ends: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "command_id": command_id,
        "ts": epoch_ms(ts),
        "permits": list(permits),
        "reason": reason,
        "alarm_id": alarm_id or "",
        "issued_by": issued_by,
        "auto": auto,
    }
    if ends is not None:
        body["ends"] = ends
    return body


def work_state_body(*, ts: datetime, state: str, command_id: str, reason: str) -> dict[str, Any]:
    return {"ts": epoch_ms(ts), "state": state, "command_id": command_id, "reason": reason}


def permit_state_body(
    *, ts: datetime, type_: str, grade: str | None, status: str, valid_to: datetime, by: str
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ts": epoch_ms(ts),
        "type": type_,
        "status": status,
        "valid_to": valid_to.isoformat(),
        "by": by,
    }
    if grade is not None:
        body["grade"] = grade
    return body


def permit_state_message(
    topics: Topics, permit: Any, *, status: str, by: str, ts: datetime
) -> tuple[str, bytes]:
    """Contract §6 for a permit row (id, site_id, area_id, type, grade, valid_to): (topic, payload)."""
    body = permit_state_body(
        ts=ts,
        type_=str(permit.type),
        grade=str(permit.grade) if permit.grade else None,
        status=status,
        valid_to=permit.valid_to,
        by=by,
    )
    return topics.permit_state(permit.site_id, permit.area_id, permit.id), dumps(body)


def work_state_message(
    topics: Topics, site: str, area: str, *, state: str, command_id: str, reason: str, ts: datetime
) -> tuple[str, bytes]:
    """Contract §9: (topic, payload) of an area's retained work state."""
    body = work_state_body(ts=ts, state=state, command_id=command_id, reason=reason)
    return topics.work_state(site, area), dumps(body)
