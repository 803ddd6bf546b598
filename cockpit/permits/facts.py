"""The facts the permit rules judge, gathered from the database (shared by every part of the service).

Every GB 30871 verdict comes from ``models.rules``; these functions only read certificates, the
contractor, live permits, events and the site's calendar, and hand them over.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Literal, NamedTuple

from sqlalchemy import Connection, Text, bindparam, cast, func, or_, select
from sqlalchemy.orm import Session

from cockpit.permits.records import PermitConfig
from models.errors import UserError
from models.records import PermitType
from models.rules.application import ApplicationContext
from models.rules.conflicts import PermitFootprint, conflicting_types
from models.rules.grading import SiteCalendar
from models.rules.permit_state import LIVE_STATUSES
from models.rules.refusal_texts import coded
from models.rules.workers import (
    TRADE_ELECTRICIAN,
    TRADE_HEIGHT,
    TRADE_LIFTING,
    TRADE_NAMES_EN,
    TRADE_WELDING,
    CertificateInfo,
    normalize_trade,
    trade_for,
)
from models.schema import (
    Area,
    Certificate,
    Contractor,
    ContractorQualification,
    Permit,
    Site,
    UTCDateTime,
    Worker,
)

#: The live link's wind at a site and area (m/s), or None.
Wind = Callable[[str, str], float | None]

# ---------------------------------------------------------------- trades

# Official certificate categories (e.g. 熔化焊接与热切割作业, 低压电工作业, 登高架设作业) and register trades
# (焊工, 架子工, 起重工) that ``models.rules.workers.normalize_trade`` does not fold yet.
_TRADE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("焊", TRADE_WELDING),
    ("热切割", TRADE_WELDING),
    ("电工", TRADE_ELECTRICIAN),
    ("登高", TRADE_HEIGHT),
    ("高处", TRADE_HEIGHT),
    ("架子", TRADE_HEIGHT),
    ("起重", TRADE_LIFTING),
)


def special_trade(name: str) -> str | None:
    """The special trade (canonical name) a register trade or certificate category stands for, or None."""
    canonical = normalize_trade(name)
    if canonical in TRADE_NAMES_EN:
        return canonical
    return next((trade for key, trade in _TRADE_KEYWORDS if key in name), None)


def worker_trades(
    permit_type: PermitType,
    workers: Mapping[str, WorkerRecord],
    certificates: Mapping[str, Sequence[CertificateInfo]],
) -> dict[str, str | None]:
    """Which workers perform the permit's special trade (and so need its certificate).

    A worker does when the register gives him that trade or he holds a certificate of it; a helper of
    another trade (a fire watch, an insulator) does not. If nobody on the permit would, everyone is
    taken to (the safe side: somebody must hold the certificate).
    """
    needed = trade_for(permit_type)
    if needed is None:
        return {}
    out: dict[str, str | None] = {}
    for wid, worker in workers.items():
        holds = any(c.trade == needed for c in certificates.get(wid, ()))
        out[wid] = needed if special_trade(worker.trade) == needed or holds else None
    if not any(out.values()):
        return {}
    return out


# ---------------------------------------------------------------- small helpers


def aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the permit service works in timezone-aware UTC times")
    return now.astimezone(UTC)


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_permit(s: Session, permit_id: str) -> Permit:
    permit = s.get(Permit, permit_id)
    if permit is None:
        raise coded(UserError, "permit.unknown", permit_id=permit_id)
    return permit


def area_names(s: Session) -> dict[tuple[str, str], str]:
    return {(site, area): name for site, area, name in s.execute(select(Area.site_id, Area.id, Area.name))}


def zones(s: Session) -> dict[str, str]:
    return {sid: tz for sid, tz in s.execute(select(Site.id, Site.timezone))}


# ---------------------------------------------------------------- the rules' context


def site_calendar(s: Session, config: PermitConfig, site_id: str) -> SiteCalendar:
    site = s.get(Site, site_id)
    holidays = config.holidays.get(site_id, frozenset())
    if site is None:
        return SiteCalendar(holidays=holidays)
    return SiteCalendar(
        timezone=site.timezone, night_start=site.night_start, night_end=site.night_end, holidays=holidays
    )


class WorkerRecord(NamedTuple):
    """A registered person as the rules and the detail read him: plain values, not an ORM entity."""

    id: str
    name: str
    trade: str


def application_context(
    s: Session,
    config: PermitConfig,
    wind: Wind,
    *,
    permit_type: PermitType,
    site_id: str,
    area_id: str,
    worker_ids: Sequence[str],
    supervisor: str,
    contractor: str | None,
    window: tuple[datetime, datetime],
    exclude: str,
    now: datetime,
    stage: Literal["submit", "approve", "start"],
) -> tuple[ApplicationContext, dict[str, WorkerRecord], list[PermitFootprint]]:
    """The rules' context of an application, read from the session (the permit need not exist yet)."""
    people = set(worker_ids) | ({supervisor} if supervisor else set())
    workers: dict[str, WorkerRecord] = {}
    if people:
        for wid, name, trade in s.execute(
            select(Worker.id, Worker.name, Worker.trade).where(Worker.id.in_(people))
        ):
            workers[wid] = WorkerRecord(wid, name, trade)
    certs: dict[str, list[CertificateInfo]] = defaultdict(list)
    if workers:
        for c in s.execute(
            select(
                Certificate.worker_id,
                Certificate.number,
                Certificate.trade,
                Certificate.valid_to,
                Certificate.review_due,
            )
            .where(Certificate.worker_id.in_(list(workers)))
            .order_by(Certificate.worker_id, Certificate.id)
        ):
            trade = special_trade(c.trade) or c.trade
            certs[c.worker_id].append(CertificateInfo(c.number, trade, c.valid_to, c.review_due))
    blacklisted = False
    qual_to: date | None = None
    if contractor:
        row = s.get(Contractor, contractor)
        if row is not None:
            blacklisted = row.blacklisted
            qual_to = qualifications_valid_to(s, contractor)
    footprints = live_footprints(s, site_id, window, exclude, (area_id, permit_type))
    ctx = build_context(
        config,
        permit_type=permit_type,
        worker_ids=worker_ids,
        workers=workers,
        certificates=dict(certs),
        calendar=site_calendar(s, config, site_id),
        wind_m_s=wind(site_id, area_id),
        contractor_blacklisted=blacklisted,
        contractor_qualifications_valid_to=qual_to,
        footprints=footprints,
        now=now,
        stage=stage,
    )
    return ctx, workers, footprints


def build_context(
    config: PermitConfig,
    *,
    permit_type: PermitType,
    worker_ids: Sequence[str],
    workers: Mapping[str, WorkerRecord],
    certificates: dict[str, list[CertificateInfo]],
    calendar: SiteCalendar,
    wind_m_s: float | None,
    contractor_blacklisted: bool,
    contractor_qualifications_valid_to: date | None,
    footprints: list[PermitFootprint],
    now: datetime,
    stage: Literal["submit", "approve", "start"],
) -> ApplicationContext:
    """The rules' context from facts already read (the application's reads, or the detail's rows)."""
    on_permit = {w: workers[w] for w in worker_ids if w in workers}
    return ApplicationContext(
        now=now,
        calendar=calendar,
        known_workers=frozenset(workers),
        wind_m_s=wind_m_s,
        certificates=certificates,
        worker_trades=worker_trades(permit_type, on_permit, certificates),
        contractor_blacklisted=contractor_blacklisted,
        contractor_qualifications_valid_to=contractor_qualifications_valid_to,
        footprints=footprints,
        stage=stage,
        site_max_validity=config.site_max_validity,
    )


def qualifications_valid_to(s: Session, code: str) -> date | None:
    """The earliest end among the contractor's qualifications, each name at its latest renewal."""
    rows = s.execute(
        select(ContractorQualification.name, func.max(ContractorQualification.valid_to))
        .where(ContractorQualification.contractor_code == code)
        .group_by(ContractorQualification.name)
    ).all()
    ends = [end for _, end in rows if end is not None]
    return min(ends) if ends else None


# The areas joined LEFT to the permits: SQLite keeps the left side of a LEFT JOIN as its outer loop,
# so the status index still finds the few live permits first and each one's area is looked up by its
# key (an inner join let SQLite drive the query from the areas and scan every permit of each);
# PostgreSQL hashes the site's areas once. Two correlated subqueries per permit instead cost
# PostgreSQL two scans of the areas for each of a site's ~160 live permits: 3.1 ms of a detail's
# 10 (issue 20). One statement, built once.
_LIVE_FOOTPRINTS = (
    select(
        Permit.id,
        Permit.type,
        Permit.area_id,
        Permit.site_id,
        Permit.status,
        Permit.valid_from,
        Permit.valid_to,
        Permit.x,
        Permit.y,
        Permit.coordinator,
        Area.pipeline,
        # as text: a site's live permits share a few areas, whose outline is decoded once per read
        cast(Area.polygon, Text).label("polygon"),
    )
    .select_from(Permit)
    .outerjoin(Area, (Area.site_id == Permit.site_id) & (Area.id == Permit.area_id))
    .where(
        Permit.status.in_(list(LIVE_STATUSES)),
        Permit.site_id == bindparam("site_id"),
        Permit.valid_from < bindparam("end", type_=UTCDateTime()),
        Permit.valid_to > bindparam("start", type_=UTCDateTime()),
        Permit.id != bindparam("exclude"),
        # only the permits that can give it a finding (models/rules/conflicts.conflicting_types): at
        # 1M permits a detail read a site's ~70 live permits and judged one or two of them
        or_(Permit.area_id == bindparam("area"), Permit.type.in_(bindparam("types", expanding=True))),
    )
)


def live_footprints(
    s: Session | Connection,
    site_id: str,
    window: tuple[datetime, datetime],
    exclude: str,
    near: tuple[str, PermitType],
) -> list[PermitFootprint]:
    """The live permits of the site whose window meets ``window``, but ``exclude``, that can conflict
    with a permit of the type in the area ``near`` names: the area's, and those of the types
    ``conflicting_types`` names in the site's other areas."""
    start, end = window
    area, permit_type = near
    types = sorted(conflicting_types(permit_type))
    values = {
        "site_id": site_id,
        "start": start,
        "end": end,
        "exclude": exclude,
        "area": area,
        "types": types,
    }
    rows = s.execute(_LIVE_FOOTPRINTS, values)
    outlines: dict[str | None, tuple[tuple[float, float], ...]] = {}
    out: list[PermitFootprint] = []
    for pid, ptype, area, site, status, valid_from, valid_to, x, y, coordinator, pipeline, polygon in rows:
        outline = outlines.get(polygon)
        if outline is None:
            points = json.loads(polygon) if polygon is not None else None
            outline = outlines[polygon] = tuple((float(q[0]), float(q[1])) for q in points or [])
        out.append(
            PermitFootprint(
                pid, ptype, area, site, status, valid_from, valid_to, x, y, pipeline, coordinator, outline
            )
        )
    return out
