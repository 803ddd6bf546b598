"""What the cockpit answers on the field's reply topics: the §5 reply to a permit application, a gate's
answer (``gate/{gate}/reply``), and the answer to a request too malformed to be read, built from its
``ContractRejection``. The decoder (``connectors.contract``) reads; this module writes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from connectors.contract import ContractRejection
from connectors.contract_fields import EPOCH, FieldError


def epoch_ms(moment: datetime) -> int:
    """A timezone-aware datetime as contract epoch milliseconds."""
    return (moment - EPOCH) // timedelta(milliseconds=1)


def encode_reply(
    accepted: bool, errors: Sequence[FieldError], now: datetime, *, warnings: Sequence[FieldError] = ()
) -> bytes:
    """The §5 reply payload: ``{"ts", "accepted", "errors": [...], "warnings": [...]}``, each item
    ``{"field", "code", "message"}``.

    ``warnings`` (what does not block but the applicant should know now) and each item's ``code`` are
    compatible additions: a reader that knows only ``field`` and ``message`` reads on as before."""
    body = {
        "ts": epoch_ms(now),
        "accepted": accepted,
        "errors": [{"field": e.field, "code": e.reason, "message": e.message} for e in errors],
        "warnings": [{"field": w.field, "code": w.reason, "message": w.message} for w in warnings],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_gate_reply(
    request_id: str | None,
    worker: str | None,
    allowed: bool,
    reasons: Sequence[tuple[str, dict[str, Any], str]],
    now: datetime,
    permit_state: dict[str, Any] | None = None,
) -> bytes:
    """A gate's answer: ``{"ts", "request_id", "worker", "allowed", "reasons": [{code, params, message}]}``;
    ``reasons`` is empty when allowed, and lists every reason when not. ``permit_state`` (the named
    permit's status now, cockpit/gate_codes.py) only when the request named a permit."""
    body: dict[str, Any] = {
        "ts": epoch_ms(now),
        "request_id": request_id,
        "worker": worker,
        "allowed": allowed,
        "reasons": [{"code": c, "params": p, "message": m} for c, p, m in reasons],
    }
    if permit_state is not None:
        body["permit_state"] = permit_state
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rejection_reply(rejection: ContractRejection, now: datetime) -> bytes:
    """What a malformed request with a usable topic is answered: a §5 reply, or a gate's refusal."""
    target = rejection.reply_to
    if target is None or not target.gate:
        return encode_reply(False, rejection.errors, now)
    reasons = [
        (
            "malformed_request",
            {"field": e.field, "error": e.reason},
            f"{e.field}: {e.message}" if e.field else e.message,
        )
        for e in rejection.errors
    ]
    return encode_gate_reply(target.request_id, None, False, reasons, now)


def reply_failure(exc: BaseException) -> FieldError:
    """What the field is told when the cockpit itself failed: a code and a sentence, no internals."""
    if isinstance(exc, DBAPIError | SQLAlchemyTimeoutError):
        return FieldError(
            "",
            "the cockpit's database is unavailable; send the application again later",
            "database_unavailable",
        )
    return FieldError("", "the cockpit could not process the application; call the control room", "internal")
