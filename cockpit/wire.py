"""What the cockpit puts on the wire: topics and payloads of contract §6–§9, §11 and `_cockpit/`.

Topic names come from the one topic table, ``connectors.topics`` (re-exported here as ``Topics``), so
that the documentation (docs/mqtt-cockpit-topics.md), the decoder and the publishers cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from connectors.topics import Topics
from models.rules.alarm_texts import english


def epoch_ms(ts: datetime) -> int:
    return round(ts.timestamp() * 1000)


def dumps(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
        "reason": english(reason),  # free text (contract §5): the sentence, not its code
        "alarm_id": alarm_id or "",
        "issued_by": issued_by,
        "auto": auto,
    }
    if ends is not None:
        body["ends"] = ends
    return body


def work_state_body(*, ts: datetime, state: str, command_id: str, reason: str) -> dict[str, Any]:
    return {"ts": epoch_ms(ts), "state": state, "command_id": command_id, "reason": english(reason)}


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
