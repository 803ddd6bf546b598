"""The permit detail's reads as plain rows: five statements, no ORM entity (issue 20).

At 1M permits the detail's cost was the client's, not the database's: eleven and more statements
(the permit, its workers, its area, the people, their certificates, the contractor, its
qualifications, the live permits around it, the areas of those, the latest gas test, the work's
times, the signatures, the violations' count and the latest five, the site twice, the submission)
each through the ORM's identity map and result layer. Here they are:

1. :data:`PERMIT`: the permit with its area, site and contractor, the latest (re)submission, the
   work's first start, last pause and last resume, the contractor's violations (count, points) and
   qualifications' end, and its latest gas test, in one row;
2. :data:`PEOPLE`: the permit's workers and its supervisor with their certificates;
3. :data:`SIGNATURES`: the approvals with their signers' names;
4. ``facts.live_footprints``: the live permits its window could conflict with;
5. :data:`VIOLATIONS`: the contractor's latest five violations (only when there is a contractor).

Every statement is built once with bound parameters, so its cache key is computed once, and runs on
the session's connection (the same transaction; the session is flushed first).

Ties, ordered so the detail never depends on the order a database returns equal rows in: two gas
tests taken at the same instant, two approvals signed at the same instant and two violations at the
same instant: the higher id (the later written) counts as the later. The permit's workers are listed
by their id, as the primary key's index gave them before on a plant of any size.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from cockpit.permits.facts import WorkerRecord, special_trade
from connectors.prepared import PreparedRead
from models.records import ApprovalLevel
from models.rules.workers import CertificateInfo
from models.schema import (
    Approval,
    ApprovalDecision,
    Area,
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
)


def event_time(agg: Any, *types: str) -> Any:
    """``agg`` (min or max) of the times of the permit's events of ``types``, as a correlated subquery."""
    return (
        select(agg(PermitEventRow.ts))
        .where(PermitEventRow.permit_id == Permit.id, PermitEventRow.type.in_(types))
        .correlate(Permit)
        .scalar_subquery()
    )


_LATER_QUAL = aliased(ContractorQualification, name="later_qual")
# The earliest end among the contractor's qualifications, each name at its latest renewal: the ends
# no renewal of the same name goes past (a min of maxima, without a derived table that PostgreSQL
# would not let refer to the permit).
_QUALIFIED_TO = (
    select(func.min(ContractorQualification.valid_to))
    .where(
        ContractorQualification.contractor_code == Contractor.code,
        ContractorQualification.valid_to.is_not(None),
        ~exists().where(
            _LATER_QUAL.contractor_code == ContractorQualification.contractor_code,
            _LATER_QUAL.name == ContractorQualification.name,
            _LATER_QUAL.valid_to > ContractorQualification.valid_to,
        ),
    )
    .correlate(Contractor)
    .scalar_subquery()
)
_VIOLATION_COUNT = (
    select(func.count(ContractorViolation.id))
    .where(ContractorViolation.contractor_code == Contractor.code)
    .correlate(Contractor)
    .scalar_subquery()
)
_VIOLATION_POINTS = (
    select(func.coalesce(func.sum(ContractorViolation.points), 0))
    .where(ContractorViolation.contractor_code == Contractor.code)
    .correlate(Contractor)
    .scalar_subquery()
)


def latest_id(entity: Any, at: str) -> Any:
    """The id of the permit's latest row of ``entity`` (an alias of a table with ``permit_id``, ``id``
    and the time column ``at``), as a correlated subquery: at the same instant the higher id wins."""
    when = getattr(entity, at)
    return (
        select(entity.id)
        .where(entity.permit_id == Permit.id)
        .order_by(when.desc(), entity.id.desc())
        .limit(1)
        .correlate(Permit)
        .scalar_subquery()
    )


_LATEST_GAS_ID = latest_id(aliased(GasTest, name="latest_gas"), "taken_at")

#: 1. The permit and everything of one row per permit the detail shows or judges.
PERMIT = (
    select(
        Permit.id,
        Permit.type,
        Permit.grade,
        Permit.status,
        Permit.site_id,
        Permit.area_id,
        Permit.valid_from,
        Permit.valid_to,
        Permit.applicant,
        Permit.supervisor,
        Permit.coordinator,
        Permit.contractor_code,
        Permit.description,
        Permit.urgent,
        Permit.green_channel_review,
        Permit.prerequisites,
        Permit.x,
        Permit.y,
        Permit.created_at,
        Area.id.label("area_found"),
        Area.name.label("area_name"),
        Area.polygon.label("area_polygon"),
        Area.risk_level.label("area_risk_level"),
        Area.pipeline.label("area_pipeline"),
        Site.id.label("site_found"),
        Site.name.label("site_name"),
        Site.timezone.label("site_timezone"),
        Site.night_start.label("site_night_start"),
        Site.night_end.label("site_night_end"),
        Contractor.code.label("contractor_found"),
        Contractor.name.label("contractor_name"),
        Contractor.grade.label("contractor_grade"),
        Contractor.blacklisted.label("contractor_blacklisted"),
        Contractor.blacklist_reason.label("contractor_blacklist_reason"),
        _QUALIFIED_TO.label("contractor_qualified_to"),
        _VIOLATION_COUNT.label("violations"),
        _VIOLATION_POINTS.label("violation_points"),
        event_time(func.max, "submitted", "resubmitted").label("submitted_at"),
        event_time(func.min, "started").label("started_at"),
        event_time(func.max, "paused").label("paused_at"),
        event_time(func.max, "resumed").label("resumed_at"),
        GasTest.id.label("gas_found"),
        GasTest.taken_at.label("gas_taken_at"),
        GasTest.by.label("gas_by"),
        GasTest.passed.label("gas_passed"),
        GasTest.readings.label("gas_readings"),
    )
    .select_from(Permit)
    .outerjoin(Area, and_(Area.site_id == Permit.site_id, Area.id == Permit.area_id))
    .outerjoin(Site, Site.id == Permit.site_id)
    .outerjoin(Contractor, Contractor.code == Permit.contractor_code)
    .outerjoin(GasTest, GasTest.id == _LATEST_GAS_ID)
    .where(Permit.id == bindparam("permit_id"))
)
# On PostgreSQL planning its ten subqueries was 0.8 ms of the row's 1.2 (1M permits): planned once
# per pooled connection (``connectors/prepared.py``); SQLite runs PERMIT itself.
_PERMIT_ROW = PreparedRead("cockpit_permit_row", PERMIT, ("permit_id",))

_ON_PERMIT = union_all(
    select(PermitWorker.worker_id.label("wid"), literal(1).label("on_permit")).where(
        PermitWorker.permit_id == bindparam("permit_id")
    ),
    select(bindparam("supervisor", type_=String()).label("wid"), literal(0).label("on_permit")),
).subquery("named")
_PEOPLE = (
    select(_ON_PERMIT.c.wid, func.max(_ON_PERMIT.c.on_permit).label("on_permit"))
    .group_by(_ON_PERMIT.c.wid)
    .subquery("people")
)
#: 2. Everyone the permit names (its workers, then its supervisor too), registered or not, with the
#: certificates of those registered.
PEOPLE = (
    select(
        _PEOPLE.c.wid,
        _PEOPLE.c.on_permit,
        Worker.id.label("registered"),
        Worker.name,
        Worker.trade,
        Certificate.number,
        Certificate.trade.label("cert_trade"),
        Certificate.valid_to,
        Certificate.review_due,
    )
    .select_from(_PEOPLE)
    .outerjoin(Worker, Worker.id == _PEOPLE.c.wid)
    .outerjoin(Certificate, Certificate.worker_id == Worker.id)
    .order_by(_PEOPLE.c.wid, Certificate.id)
)

#: 3. The approvals, oldest first, with their signers' names.
SIGNATURES = (
    select(
        Approval.signer,
        User.display_name,
        Approval.level,
        Approval.role,
        Approval.signed_at,
        Approval.decision,
        Approval.reason,
        Approval.content_hash,
    )
    .outerjoin(User, User.username == Approval.signer)
    .where(Approval.permit_id == bindparam("permit_id"))
    .order_by(Approval.signed_at, Approval.id)
)

#: 5. The contractor's latest five violations.
VIOLATIONS = (
    select(ContractorViolation.at, ContractorViolation.description, ContractorViolation.points)
    .where(ContractorViolation.contractor_code == bindparam("code"))
    .order_by(ContractorViolation.at.desc(), ContractorViolation.id.desc())
    .limit(5)
)


class People(NamedTuple):
    """What :data:`PEOPLE` says: the permit's worker ids (by id), the registered people among the
    workers and the supervisor, and their certificates (the trade folded to the special trade)."""

    worker_ids: list[str]
    workers: dict[str, WorkerRecord]
    certificates: dict[str, list[CertificateInfo]]


class Signature(NamedTuple):
    signer: str
    name: str
    level: ApprovalLevel
    role: str
    signed_at: datetime
    decision: ApprovalDecision
    reason: str
    content_hash: str


def read_permit(conn: Connection, permit_id: str) -> Any:
    """The row of :data:`PERMIT`, or None."""
    return _PERMIT_ROW.execute(conn, {"permit_id": permit_id}).first()


def read_people(conn: Connection, permit_id: str, supervisor: str) -> People:
    worker_ids: list[str] = []
    workers: dict[str, WorkerRecord] = {}
    certs: dict[str, list[CertificateInfo]] = defaultdict(list)
    # no supervisor named: a name no worker has (the old read asked for nobody then)
    for r in conn.execute(PEOPLE, {"permit_id": permit_id, "supervisor": supervisor or None}):
        wid = r.wid
        if wid is None:
            continue
        if r.on_permit and (not worker_ids or worker_ids[-1] != wid):
            worker_ids.append(wid)
        if r.registered is None:
            continue
        if wid not in workers:
            workers[wid] = WorkerRecord(wid, r.name, r.trade)
        if r.number is not None:
            trade = special_trade(r.cert_trade) or r.cert_trade
            certs[wid].append(CertificateInfo(r.number, trade, r.valid_to, r.review_due))
    return People(worker_ids, workers, dict(certs))


def read_signatures(conn: Connection, permit_id: str) -> list[Signature]:
    return [
        Signature(r.signer, r.display_name or r.signer, *r[2:])
        for r in conn.execute(SIGNATURES, {"permit_id": permit_id})
    ]


def read_violations(conn: Connection, code: str) -> list[tuple[datetime, str, int]]:
    return [(at, d, p) for at, d, p in conn.execute(VIOLATIONS, {"code": code})]


def qualified_to(row: Any) -> date | None:
    """The contractor's qualifications' end, when the permit names a contractor the register has."""
    return row.contractor_qualified_to if row.contractor_found is not None else None
