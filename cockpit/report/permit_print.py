"""What a printed permit holds, read from the database in one transaction (no reportlab here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import UserError
from models.plant_clock import DEFAULT_ZONE
from models.records import PermitType
from models.rules.prerequisites import requirements
from models.schema import (
    Approval,
    Area,
    Certificate,
    Contractor,
    GasTest,
    Permit,
    PermitEventRow,
    Site,
    User,
    Worker,
)


@dataclass(frozen=True, slots=True)
class PrintedWorker:
    worker_id: str
    name: str
    trade: str
    certificates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrintedGasTest:
    taken_at: datetime
    by: str
    passed: bool
    readings: tuple[tuple[str, Any, str], ...]  # (channel, value, unit)


@dataclass(frozen=True, slots=True)
class PrintedSignature:
    level: str
    signer: str
    role: str
    signed_at: datetime
    decision: str
    reason: str


@dataclass(frozen=True, slots=True)
class PrintedEvent:
    ts: datetime
    type: str
    by: str
    reason: str


@dataclass(frozen=True)
class PermitPrint:
    permit_id: str
    type: PermitType
    grade: str | None
    status: str
    plant: str
    site: str
    area: str
    zone: str
    valid_from: datetime
    valid_to: datetime
    applied_at: datetime
    applicant: str
    supervisor: str
    coordinator: str
    contractor: str | None
    description: str
    code: str  # what the QR says (cockpit/safety_codes.py)
    printed_at: datetime
    workers: list[PrintedWorker] = field(default_factory=list)
    measures: list[tuple[str, bool]] = field(default_factory=list)  # (key, done)
    gas_tests: list[PrintedGasTest] = field(default_factory=list)
    signatures: list[PrintedSignature] = field(default_factory=list)
    events: list[PrintedEvent] = field(default_factory=list)


def _named(names: dict[str, str], ident: str | None) -> str:
    if not ident:
        return ""
    name = names.get(ident)
    return f"{name} ({ident})" if name and name != ident else ident


def collect_permit_print(s: Session, permit_id: str, *, code: str, now: datetime, plant: str) -> PermitPrint:
    """The permit ``permit_id`` as the paper shows it; ``UserError`` when there is no such permit."""
    permit = s.get(Permit, permit_id)
    if permit is None:
        raise UserError(f"there is no permit {permit_id!r}")
    worker_ids = [w.worker_id for w in permit.workers]
    people = {permit.applicant, permit.supervisor, permit.coordinator or "", *worker_ids}
    rows = s.scalars(select(Worker).where(Worker.id.in_(people))).all()
    names = {w.id: w.name for w in rows}
    users = {u.username: u.display_name for u in s.scalars(select(User)).all()}
    certs: dict[str, list[str]] = {}
    for wid, number in s.execute(
        select(Certificate.worker_id, Certificate.number).where(Certificate.worker_id.in_(worker_ids))
    ):
        certs.setdefault(wid, []).append(number)
    by_id = {w.id: w for w in rows}
    site = s.get(Site, permit.site_id)
    area = s.get(Area, (permit.site_id, permit.area_id))
    contractor = s.get(Contractor, permit.contractor_code) if permit.contractor_code else None
    prereq = dict(permit.prerequisites or {})
    measures = [(r.key, prereq.get(r.key) is True) for r in requirements(permit.type, on_equipment=False)]
    for key, done in prereq.items():  # one the permit reports beyond what its type needs
        if key not in {m[0] for m in measures}:
            measures.append((key, done is True))
    everyone = {**users, **names}
    return PermitPrint(
        permit_id=permit.id,
        type=permit.type,
        grade=str(permit.effective_grade or permit.grade)
        if (permit.effective_grade or permit.grade)
        else None,
        status=str(permit.status),
        plant=plant,
        site=site.name if site else permit.site_id,
        area=f"{area.name} ({permit.area_id})" if area else permit.area_id,
        zone=site.timezone if site and site.timezone else DEFAULT_ZONE,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
        applied_at=permit.created_at,
        applicant=_named(everyone, permit.applicant),
        supervisor=_named(names, permit.supervisor),
        coordinator=_named(everyone, permit.coordinator),
        contractor=f"{contractor.name} ({contractor.code})" if contractor else None,
        description=permit.description or "",
        code=code,
        printed_at=now,
        workers=[
            PrintedWorker(
                wid,
                by_id[wid].name if wid in by_id else "",
                by_id[wid].trade if wid in by_id else "",
                tuple(certs.get(wid, ())),
            )
            for wid in worker_ids
        ],
        measures=measures,
        gas_tests=_gas_tests(s, permit_id, everyone),
        signatures=_signatures(s, permit_id, users),
        events=_events(s, permit_id, everyone),
    )


def _gas_tests(s: Session, permit_id: str, names: dict[str, str]) -> list[PrintedGasTest]:
    rows = s.scalars(select(GasTest).where(GasTest.permit_id == permit_id).order_by(GasTest.taken_at))
    return [
        PrintedGasTest(
            g.taken_at,
            _named(names, g.by),
            g.passed,
            tuple((str(r.get("ch", "")), r.get("v"), str(r.get("u", ""))) for r in g.readings or []),
        )
        for g in rows
    ]


def _signatures(s: Session, permit_id: str, users: dict[str, str]) -> list[PrintedSignature]:
    rows = s.scalars(select(Approval).where(Approval.permit_id == permit_id).order_by(Approval.signed_at))
    return [
        PrintedSignature(
            str(a.level), _named(users, a.signer), a.role, a.signed_at, str(a.decision), a.reason or ""
        )
        for a in rows
    ]


def _events(s: Session, permit_id: str, names: dict[str, str]) -> list[PrintedEvent]:
    rows = s.scalars(
        select(PermitEventRow).where(PermitEventRow.permit_id == permit_id).order_by(PermitEventRow.ts)
    )
    return [
        PrintedEvent(e.ts, e.type, _named(names, e.by), str((e.detail or {}).get("reason", ""))) for e in rows
    ]
