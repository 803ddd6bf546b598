"""§5 permit applications (``{site}/{area}/permit/{permit}/request``), checked field by field into a
``PermitRequest``. Unlike the other messages, every error is collected, not only the first: the §5
reply lists them all, so an applicant mends the form once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from connectors.contract_fields import (
    FieldError,
    FieldInvalidError,
    as_choice,
    as_identifier,
    as_rfc3339,
    json_type,
    optional_text,
    required,
)
from connectors.topics import Route
from models.records import HotWorkGrade, PermitRequest, PermitType

MAX_WORKERS = 256
_PERMIT_TYPE = {member.value: member for member in PermitType}
_GRADE = {member.value: member for member in HotWorkGrade}

Timestamp = Callable[[Any, str], datetime]  # the decoder's ts check for one field


def decode_request(
    obj: dict[str, Any], route: Route, when: Timestamp, errors: list[FieldError]
) -> PermitRequest | None:
    """The application, or None with every error found appended to ``errors``; ``when`` checks ``ts``."""

    def take(check: Callable[[], Any]) -> Any:
        try:
            return check()
        except FieldInvalidError as exc:
            errors.append(exc.error)
            return None

    ts = take(lambda: when(required(obj, "ts"), "ts"))
    kind = take(lambda: as_choice(required(obj, "type"), _PERMIT_TYPE, "type"))
    grade = None
    if kind is PermitType.HOT_WORK:
        grade = take(lambda: as_choice(required(obj, "grade"), _GRADE, "grade"))
    applicant = take(lambda: as_identifier(required(obj, "applicant"), "applicant"))
    supervisor = take(lambda: as_identifier(required(obj, "supervisor"), "supervisor"))
    workers = take(lambda: _workers(required(obj, "workers")))
    valid_from = take(lambda: as_rfc3339(required(obj, "valid_from"), "valid_from"))
    valid_to = take(lambda: as_rfc3339(required(obj, "valid_to"), "valid_to"))
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        errors.append(FieldError("valid_to", "must be after valid_from", "bad_value"))
    urgent = obj.get("urgent")
    if urgent is not None and type(urgent) is not bool:
        errors.append(FieldError("urgent", f"must be true or false, not {json_type(urgent)}", "wrong_type"))
    contractor = obj.get("contractor")
    if contractor is not None:
        contractor = take(lambda: as_identifier(contractor, "contractor"))
    description = take(lambda: optional_text(obj, "description"))
    prerequisites = take(lambda: _prerequisites(obj.get("prerequisites")))
    if errors:
        return None
    return PermitRequest(
        site=route.site,
        area=route.area,
        permit=route.ident,
        ts=ts,
        type=kind,
        applicant=applicant,
        workers=workers,
        supervisor=supervisor,
        valid_from=valid_from,
        valid_to=valid_to,
        grade=grade,
        urgent=bool(urgent),
        contractor=contractor,
        description=description,
        prerequisites=prerequisites,
    )


def _workers(raw: Any) -> tuple[str, ...]:
    if type(raw) is not list:
        raise FieldInvalidError(
            "wrong_type", "workers", f"must be an array of worker ids, not {json_type(raw)}"
        )
    if not raw:
        raise FieldInvalidError("bad_value", "workers", "must name at least one worker")
    if len(raw) > MAX_WORKERS:
        raise FieldInvalidError("bad_value", "workers", f"{len(raw)} workers; at most {MAX_WORKERS}")
    return tuple(as_identifier(w, f"workers[{i}]") for i, w in enumerate(raw))


def _prerequisites(raw: Any) -> dict[str, bool]:
    if raw is None:
        return {}
    if type(raw) is not dict:
        raise FieldInvalidError(
            "wrong_type", "prerequisites", f"must be an object of true/false, not {json_type(raw)}"
        )
    for name, value in raw.items():
        if type(value) is not bool:
            raise FieldInvalidError(
                "wrong_type", f"prerequisites.{name}", f"must be true or false, not {json_type(value)}"
            )
    return dict(raw)
