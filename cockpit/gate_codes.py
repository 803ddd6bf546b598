"""The gate and the printed codes (issue 23 parts 5 and 7): a handheld sends what it scanned.

* ``safety_code`` holding a badge's keyed code (``W1:<worker>:<check>``, cockpit/safety_codes.py) is
  checked against the plant's badge key before anything else: a code whose check fails is refused
  (``safety_code_invalid``) without reading the worker, so a made-up badge opens nothing. A plain
  worker ID in ``safety_code`` is read as before (issue 17's gates).
* ``permit_code`` (a paper permit's ``P1:<permit>:<check>``) names the permit and is checked the same
  way (``permit_code_invalid``). The answer then carries ``permit_state``: the permit's status in the
  database now, so a paper permit whose permit was suspended or closed since it was printed is caught
  at the gate. Sent without a worker it is a check of the paper alone: allowed while the permit is
  active, else refused with ``permit_not_active``.
* Without a badge key on the machine that answers (``python main.py secret set badge plant`` for the
  account that runs it), a keyed code cannot be checked and is refused (``no_badge_key``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cockpit.safety_codes import CodeKeys, CodeRefused
from connectors.contract_replies import epoch_ms
from models.records import GateRequest, PermitStatus
from models.schema import Permit

Reason = tuple[str, dict[str, Any], str]


def code_reasons(req: GateRequest, keys: CodeKeys | None) -> list[Reason]:
    """Why the scanned codes of ``req`` are refused (none: they check, or it carried none). Pure."""
    scanned = [c for c in (req.code, req.permit_code) if c]
    if not scanned:
        return []
    if keys is None:
        return [("no_badge_key", {}, "this cockpit has no badge key to check scanned codes")]
    reasons: list[Reason] = []
    if req.code:
        try:
            keys.read(req.code)
        except CodeRefused:
            sentence = (
                f"the safety code of worker {req.worker} is not valid: forged, altered or another plant's"
            )
            reasons.append(("safety_code_invalid", {"worker": req.worker}, sentence))
    if req.permit_code:
        try:
            keys.read(req.permit_code)
        except CodeRefused:
            sentence = f"the code of permit {req.permit} is not valid: forged, altered or another plant's"
            reasons.append(("permit_code_invalid", {"permit": req.permit}, sentence))
    return reasons


def permit_state(s: Session, permit_id: str | None, now: datetime) -> dict[str, Any] | None:
    """The named permit as the database has it now: ``{"permit", "status", "valid_to"}`` (an active or
    approved permit past its end is ``expired``), or None when no permit was named."""
    if not permit_id:
        return None
    permit = s.get(Permit, permit_id)
    if permit is None:
        return {"permit": permit_id, "status": "unknown", "valid_to": None}
    status = str(permit.status)
    if permit.status in (PermitStatus.ACTIVE, PermitStatus.APPROVED) and permit.valid_to <= now:
        status = str(PermitStatus.EXPIRED)
    return {"permit": permit.id, "status": status, "valid_to": epoch_ms(permit.valid_to)}


def paper_reasons(state: dict[str, Any] | None) -> list[Reason]:
    """A paper permit checked alone: refused unless its permit is active now."""
    if state is None or state["status"] == str(PermitStatus.ACTIVE):
        return []
    permit, status = state["permit"], state["status"]
    return [
        ("permit_not_active", {"permit": permit, "status": status}, f"permit {permit} is {status}: no work")
    ]
