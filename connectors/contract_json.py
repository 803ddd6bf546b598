"""A payload as the contract's JSON object: UTF-8, at most ``max_payload`` bytes, a byte-order mark
skipped, ``NaN``/``Infinity`` refused, anything else a ``FieldInvalidError`` with the page's reason
(``too_large``, ``not_utf8``, ``not_json``, ``non_finite``, ``not_object``). The decoder tries orjson
first; this is its exact path, so a rejection always carries the reason the page defines."""

from __future__ import annotations

import json
import re
from typing import Any

from connectors.contract_fields import FieldInvalidError, json_type


class _NonFiniteError(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFiniteError(name)


_SCAN = json.JSONDecoder(parse_constant=_reject_constant).scan_once  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_JSON_WS = frozenset(" \t\n\r")


def payload_object(payload: bytes, max_payload: int) -> dict[str, Any]:
    if type(payload) is not bytes:
        if not isinstance(payload, (bytearray, memoryview)):
            raise FieldInvalidError(
                "wrong_type", "payload", f"payload is {type(payload).__name__}, not bytes"
            )
        payload = bytes(payload)
    if len(payload) > max_payload:
        raise FieldInvalidError(
            "too_large", "payload", f"payload is {len(payload)} bytes; the limit is {max_payload}"
        )
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FieldInvalidError("not_utf8", "payload", f"payload is not UTF-8 (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        obj = _parse_json(text)
    except _NonFiniteError as exc:
        raise FieldInvalidError("non_finite", "payload", f"{exc} is not a JSON number") from None
    except json.JSONDecodeError as exc:
        raise FieldInvalidError(
            "not_json", "payload", f"payload is not JSON: {exc.msg} at {exc.pos}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise FieldInvalidError("not_json", "payload", f"payload is not usable JSON: {exc}") from None
    if type(obj) is not dict:
        raise FieldInvalidError("not_object", "payload", f"payload is {json_type(obj)}, not a JSON object")
    return obj


def _parse_json(text: str) -> Any:
    """``json.loads`` with NaN/Infinity refused, calling the C scanner directly (it is per message)."""
    start = _WHITESPACE.match(text).end() if text[:1] in _JSON_WS else 0  # type: ignore[union-attr]
    try:
        obj, end = _SCAN(text, start)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", text, exc.value) from None
    if end != len(text):
        end = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    return obj
