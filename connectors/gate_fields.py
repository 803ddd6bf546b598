"""The field gate's requests (``{site}/{area}/gate/{gate}/request``, docs/mqtt-cockpit-topics.md, a
compatible addition), checked field by field into a ``GateRequest``. A field that breaks a rule raises
``FieldInvalidError`` with the contract's reason; the decoder answers the gate with it when the topic
and, if readable, the ``request_id`` say where."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from connectors.contract_fields import FieldInvalidError, as_identifier, as_text, required
from connectors.topics import Route
from models.records import GateRequest

REQUEST_ID_MAX = 128
CODE_MAX = 128  # a scanned keyed code, ``PREFIX:ID:CHECK``

Timestamp = Callable[[Any, str], datetime]  # the decoder's ts check for one field


def decode_gate(obj: dict[str, Any], route: Route, when: Timestamp) -> GateRequest:
    """``when`` checks the message's ``ts`` against the cockpit's clock."""
    request_id = as_text(required(obj, "request_id"), "request_id", required=True)
    if len(request_id) > REQUEST_ID_MAX:
        raise FieldInvalidError("bad_value", "request_id", f"is longer than {REQUEST_ID_MAX} characters")
    ts = when(required(obj, "ts"), "ts")
    worker, permit, via, code, permit_code = _gate_who(obj)
    return GateRequest(
        route.site, route.area, route.ident, ts, request_id, worker, permit, via, code, permit_code
    )


def _gate_who(obj: dict[str, Any]) -> tuple[str, str | None, str, str | None, str | None]:
    """Who and what a gate request names: (worker, permit, via, the badge's keyed code, the paper
    permit's code); the worker is "" when a paper permit is checked alone."""
    via = "badge" if obj.get("badge") is not None else "safety_code"
    raw, permit_code = obj.get(via), obj.get("permit_code")
    permit = obj.get("permit")
    if permit is not None:
        permit = as_identifier(permit, "permit")
    if permit_code is not None:  # a paper permit's code: it names the permit
        named = _keyed(permit_code, "P1", "permit_code")
        if permit is not None and permit != named:
            raise FieldInvalidError("bad_value", "permit_code", f"names {named}, not the permit {permit}")
        permit = named
    code = None
    if raw is None:
        if permit_code is None:
            raise FieldInvalidError("missing_field", "badge", "give the worker's badge or safety_code")
        worker, via = "", "permit_code"  # the paper permit alone
    elif via == "safety_code" and type(raw) is str and raw.count(":") == 2:
        worker, code = _keyed(raw, "W1", "safety_code"), raw  # a badge's keyed code: checked by the core
    else:
        worker = as_identifier(raw, via)
    return worker, permit, via, code, permit_code


def _keyed(value: Any, prefix: str, field: str) -> str:
    """The ID inside a scanned keyed code (``PREFIX:ID:CHECK``); its check is the cockpit's to judge."""
    if type(value) is not str or len(value) > CODE_MAX:
        raise FieldInvalidError("wrong_type", field, f"must be the scanned code as text (at most {CODE_MAX})")
    parts = value.split(":")
    if len(parts) != 3 or parts[0].upper() != prefix:
        raise FieldInvalidError("bad_value", field, f"is not a {prefix}:ID:CHECK code")
    return as_identifier(parts[1], field)
