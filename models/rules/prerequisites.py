"""Safety measures a permit needs before it moves on, by type and stage.

The field app reports them as ``prerequisites: {"jsa": true, "isolation": true, "gas_test": false}``
(contract §5). Each rule names the stage from which it blocks; before that stage it is a warning,
so the applicant learns early what the approver will ask for:

- ``jsa`` (job safety analysis): every special-work type, from submission.
- ``isolation`` (energy isolation, LOTO): confined space, blinding, and hot work on equipment
  (pipes, vessels), from approval: isolation is done and checked in the field before signing.
- ``gas_test``: hot work and confined space, from approval (GB 30871: analysis before the work is
  approved and no more than 30 min before it starts; see ``gas_tests`` for the freshness rule).

At ``start`` everything required must be in place. A missing key counts as not done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from models.records import PermitType
from models.rules.finding_texts import TERM_TEXTS
from models.rules.findings import Finding, block, permit_term, warn

Stage = Literal["submit", "approve", "start"]
STAGE_ORDER: tuple[Stage, ...] = ("submit", "approve", "start")


@dataclass(frozen=True)
class Requirement:
    key: str
    blocks_from: Stage
    reason: str


def requirements(permit_type: PermitType, *, on_equipment: bool = False) -> list[Requirement]:
    """What ``permit_type`` needs, each with the reason shown to the applicant."""
    out = [
        Requirement("jsa", "submit", TERM_TEXTS["reason.jsa"]),
    ]
    if permit_type in (PermitType.CONFINED_SPACE, PermitType.BLINDING) or (
        permit_type is PermitType.HOT_WORK and on_equipment
    ):
        out.append(Requirement("isolation", "approve", TERM_TEXTS["reason.isolation"]))
    if permit_type in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE):
        out.append(Requirement("gas_test", "approve", TERM_TEXTS["reason.gas_test"]))
    return out


def check_prerequisites(
    permit_type: PermitType,
    prerequisites: Mapping[str, bool],
    stage: Stage,
    *,
    on_equipment: bool = False,
) -> list[Finding]:
    """Blocking findings for measures due by ``stage``, warnings for those due later."""
    if stage not in STAGE_ORDER:
        raise ValueError(f"unknown stage {stage!r}; expected one of {STAGE_ORDER}")
    findings: list[Finding] = []
    permit = permit_term(permit_type)
    for req in requirements(permit_type, on_equipment=on_equipment):
        if prerequisites.get(req.key) is True:
            continue
        due_now = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(req.blocks_from)
        code = f"prerequisite.{req.key}"
        field = f"prerequisites.{req.key}"
        params = {"permit": permit, "need": req.key, "stage": req.blocks_from}
        findings.append(block(code, field, **params) if due_now else warn(code, field, **params))
    return findings
