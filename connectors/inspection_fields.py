"""The field's inspection messages (issue 23, docs/mqtt-cockpit-topics.md): a tag scan and a checklist
result, checked field by field into typed records, and the photo references a permit event may carry.
A message that breaks a rule raises ``FieldInvalidError`` with the contract's reason; the decoder
counts it as a rejection."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from connectors.contract_fields import (
    FieldInvalidError,
    as_choice,
    as_identifier,
    as_number,
    as_text,
    json_type,
    optional_text,
    required,
)
from connectors.topics import Route
from models.records import ChecklistAnswer, ChecklistResult, DefectSeverity, PhotoRef, TagScan

MAX_ANSWERS = 64
MAX_PHOTOS = 16
TEXT_MAX = 2000
_SEVERITY = {s.value: s for s in DefectSeverity}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _id(obj: dict[str, Any], name: str) -> str:
    value = as_text(required(obj, name), name, required=True)
    if len(value) > 128:
        raise FieldInvalidError("bad_value", name, "is longer than 128 characters")
    return value


def _list(raw: Any, field: str, limit: int) -> list[Any]:
    if type(raw) is not list:
        raise FieldInvalidError("wrong_type", field, f"must be an array, not {json_type(raw)}")
    if len(raw) > limit:
        raise FieldInvalidError("bad_value", field, f"has more than {limit} entries")
    return raw


def _object(item: Any, where: str) -> dict[str, Any]:
    if type(item) is not dict:
        raise FieldInvalidError("wrong_type", where, f"must be an object, not {json_type(item)}")
    return item


def _answer(item: Any, where: str) -> ChecklistAnswer:
    obj = _object(item, where)
    text = as_text(required(obj, "item", where + "."), where + ".item", required=True)
    if len(text) > 200:
        raise FieldInvalidError("bad_value", where + ".item", "is longer than 200 characters")
    ok = required(obj, "ok", where + ".")
    if type(ok) is not bool:
        raise FieldInvalidError("wrong_type", where + ".ok", f"must be true or false, not {json_type(ok)}")
    value = obj.get("value")
    return ChecklistAnswer(text, ok, None if value is None else as_number(value, where + ".value"))


def _photo(item: Any, where: str) -> PhotoRef:
    obj = _object(item, where)
    url = as_text(required(obj, "url", where + "."), where + ".url", required=True)
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        raise FieldInvalidError(
            "bad_value", where + ".url", "must be an http(s) URL of at most 1000 characters"
        )
    digest = as_text(required(obj, "sha256", where + "."), where + ".sha256")
    if _SHA256.fullmatch(digest) is None:
        raise FieldInvalidError("bad_value", where + ".sha256", "must be 64 lower-case hex digits")
    step = obj.get("step")
    return PhotoRef(url, digest, "" if step is None else as_identifier(step, where + ".step"))


def decode_photos(obj: dict[str, Any]) -> tuple[PhotoRef, ...]:
    """The optional ``photos`` of a checklist result or a permit event (§4): references, never the files."""
    raw = obj.get("photos")
    if raw is None:
        return ()
    return tuple(_photo(p, f"photos[{i}]") for i, p in enumerate(_list(raw, "photos", MAX_PHOTOS)))


def decode_scan(obj: dict[str, Any], route: Route, ts: datetime) -> TagScan:
    worker = as_identifier(required(obj, "worker"), "worker")
    return TagScan(route.site, route.area, route.ident, ts, _id(obj, "scan_id"), worker)


def decode_result(obj: dict[str, Any], route: Route, ts: datetime) -> ChecklistResult:
    worker = as_identifier(required(obj, "worker"), "worker")
    result_id = _id(obj, "result_id")
    answers = tuple(
        _answer(a, f"answers[{i}]")
        for i, a in enumerate(_list(required(obj, "answers"), "answers", MAX_ANSWERS))
    )
    defect = obj.get("defect", False)
    if type(defect) is not bool:
        raise FieldInvalidError("wrong_type", "defect", f"must be true or false, not {json_type(defect)}")
    severity = None
    if defect:  # a defect without its severity cannot be given a due time
        severity = as_choice(required(obj, "severity"), _SEVERITY, "severity")
    scan_id = obj.get("scan_id")
    note = optional_text(obj, "note")
    if len(note) > TEXT_MAX:
        raise FieldInvalidError("bad_value", "note", f"is longer than {TEXT_MAX} characters")
    photos = decode_photos(obj)
    return ChecklistResult(
        route.site,
        route.area,
        route.ident,
        ts,
        result_id,
        worker,
        answers,
        defect,
        severity,
        "" if scan_id is None else _id(obj, "scan_id"),
        note,
        photos,
    )
