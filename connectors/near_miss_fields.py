"""The field's near-miss reports (issue 21, docs/mqtt-cockpit-topics.md, a compatible addition): a §4
permit event or a §3 worker event whose ``type`` is ``near_miss``, checked field by field into a
``NearMissReport``. A message that breaks a rule raises ``FieldInvalidError`` with the contract's
reason; the decoder counts it as a rejection and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from connectors.contract_fields import FieldInvalidError, as_choice, as_text, optional_text, required
from connectors.topics import Route
from models.records import NearMissCategory, NearMissReport

NEAR_MISS = "near_miss"  # the event type, on the §3 and §4 event topics
MESSAGE_ID_MAX = 128
DESCRIPTION_MAX = 2000
OLDEST = timedelta(days=30)  # a report of something longer ago than this is refused (bad_value)
_CATEGORY = {c.value: c for c in NearMissCategory}

Timestamp = Callable[[Any, str], datetime]  # the decoder's ts check for one field (future bound only)


def decode_near_miss(
    obj: dict[str, Any], route: Route, ts: datetime, occurred: Timestamp, *, reporter: str, permit: str | None
) -> NearMissReport:
    """``ts`` is the message's checked time; ``occurred`` checks ``occurred_at`` (never ahead of the
    cockpit's clock; how far back is checked here)."""
    message_id = as_text(required(obj, "message_id"), "message_id", required=True)
    if len(message_id) > MESSAGE_ID_MAX:
        raise FieldInvalidError("bad_value", "message_id", f"is longer than {MESSAGE_ID_MAX} characters")
    category = as_choice(required(obj, "category"), _CATEGORY, "category")
    description = optional_text(obj, "description").strip()
    if len(description) > DESCRIPTION_MAX:
        raise FieldInvalidError("bad_value", "description", f"is longer than {DESCRIPTION_MAX} characters")
    raw = obj.get("occurred_at")
    at = ts if raw is None else occurred(raw, "occurred_at")
    if at > ts:
        raise FieldInvalidError("bad_value", "occurred_at", "is after the message's ts")
    if ts - at > OLDEST:
        raise FieldInvalidError("bad_value", "occurred_at", f"is more than {OLDEST.days} days before ts")
    return NearMissReport(route.site, route.area, ts, at, category, description, message_id, reporter, permit)
