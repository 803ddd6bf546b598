"""The electronic signature's content hash: what an approver signs.

An approval stores the sha256 of a canonical JSON of the permit's decisive fields; any later change
to one of them makes the signature invalid, and an invalid signature no longer counts towards the
approval matrix. Plain values in :func:`signed_fields`, so a seeder or an importer computes the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from models.audit import canonical_json
from models.records import HotWorkGrade, PermitType
from models.schema import Permit


def signed_fields(
    *,
    permit_id: str,
    type: PermitType | str,
    grade: HotWorkGrade | str | None,
    valid_from: datetime,
    valid_to: datetime,
    site: str,
    area: str,
    workers: Sequence[str],
    supervisor: str,
    contractor: str | None,
    prerequisites: Mapping[str, Any] | None,
    description: str,
) -> dict[str, Any]:
    """The decisive fields an approver signs, in canonical form; a change to any of them invalidates
    the signature. Plain values, so a seeder or an importer can compute the same hash."""
    return {
        "permit": permit_id,
        "type": str(type),
        "grade": None if grade is None else str(grade),
        "valid_from": valid_from.astimezone(UTC).isoformat(),
        "valid_to": valid_to.astimezone(UTC).isoformat(),
        "site": site,
        "area": area,
        "workers": sorted(workers),
        "supervisor": supervisor,
        "contractor": contractor,
        "prerequisites": {k: bool(v) for k, v in sorted((prerequisites or {}).items())},
        "description": description or "",
    }


def hash_fields(fields: Mapping[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of :func:`signed_fields`."""
    return hashlib.sha256(canonical_json(dict(fields)).encode("utf-8")).hexdigest()


def content_hash(permit: Permit | Any, worker_ids: Sequence[str] | None = None) -> str:
    """The signature hash of a permit as it is now: a ``Permit``, or a plain row with its columns
    (then with ``worker_ids``: a row has no ``workers``)."""
    workers = worker_ids if worker_ids is not None else [w.worker_id for w in permit.workers]
    return hash_fields(
        signed_fields(
            permit_id=permit.id,
            type=permit.type,
            grade=permit.grade,
            valid_from=permit.valid_from,
            valid_to=permit.valid_to,
            site=permit.site_id,
            area=permit.area_id,
            workers=workers,
            supervisor=permit.supervisor,
            contractor=permit.contractor_code,
            prerequisites=permit.prerequisites,
            description=permit.description or "",
        )
    )
