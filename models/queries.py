"""Read helpers that hand plain records across layers (never ORM objects, which die with their session).

Each runs inside the caller's session and returns frozen dataclasses, so the GUI, the simulator and the
telemetry store can keep the results as long as they like.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.records import ChannelKey, HotWorkGrade, PermitStatus, PermitType, RiskLevel
from models.schema import (
    Area,
    Detector,
    DetectorChannel,
    EmergencyContact,
    Permit,
    PermitWorker,
    Site,
    SparkplugMapRow,
    StopPolicy,
    Worker,
)

# Permits whose people may be in the area: what an incident commander needs to see.
PRESENT_STATUSES: tuple[PermitStatus, ...] = (
    PermitStatus.ACTIVE,
    PermitStatus.SUSPENDED,
    PermitStatus.APPROVED,
)


@dataclass(frozen=True, slots=True)
class AreaInfo:
    site_id: str
    area_id: str
    name: str
    risk_level: RiskLevel
    is_hazard_area: bool
    polygon: tuple[tuple[float, float], ...]
    pipeline: str | None


@dataclass(frozen=True, slots=True)
class SiteInfo:
    site_id: str
    name: str
    timezone: str
    night_start: time
    night_end: time
    stop_policy: StopPolicy
    plan_width_m: float
    plan_height_m: float
    areas: tuple[AreaInfo, ...]


@dataclass(frozen=True, slots=True)
class ContactInfo:
    name: str
    role: str
    phone: str


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    worker_id: str
    name: str
    trade: str
    phone: str
    contractor_code: str | None


@dataclass(frozen=True, slots=True)
class PermitInfo:
    permit_id: str
    type: PermitType
    grade: HotWorkGrade | None
    effective_grade: HotWorkGrade | None
    status: PermitStatus
    valid_from: datetime
    valid_to: datetime
    applicant: str
    supervisor: str
    coordinator: str | None
    contractor_code: str | None
    description: str
    urgent: bool
    workers: tuple[WorkerInfo, ...]


@dataclass(frozen=True, slots=True)
class AreaDetail:
    site_id: str
    site_name: str
    area_id: str
    name: str
    risk_level: RiskLevel
    is_hazard_area: bool
    guidance: str
    polygon: tuple[tuple[float, float], ...]
    contacts: tuple[ContactInfo, ...]
    permits: tuple[PermitInfo, ...]
    detectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    ch: str
    unit: str
    limit_profile: str
    max_age_s: float | None
    limits: tuple[tuple[str, float], ...] = ()  # the channel's own overrides (lolo, lo, hi, hihi)


@dataclass(frozen=True, slots=True)
class DetectorInfo:
    site_id: str
    area_id: str
    device_id: str
    model: str
    x: float | None
    y: float | None
    registered: bool
    channels: tuple[ChannelInfo, ...]

    def channel_keys(self) -> tuple[ChannelKey, ...]:
        return tuple(ChannelKey(self.site_id, self.area_id, self.device_id, c.ch) for c in self.channels)


def _polygon(raw: Iterable[Iterable[float]] | None) -> tuple[tuple[float, float], ...]:
    return tuple((float(p[0]), float(p[1])) for p in (list(q) for q in raw or ()))


def _area_info(area: Area) -> AreaInfo:
    return AreaInfo(
        site_id=area.site_id,
        area_id=area.id,
        name=area.name,
        risk_level=area.risk_level,
        is_hazard_area=area.is_hazard_area,
        polygon=_polygon(area.polygon),
        pipeline=area.pipeline,
    )


def list_sites_and_areas(session: Session) -> list[SiteInfo]:
    """Every site with its areas, sorted by id: the plant overview and the site maps."""
    sites = session.scalars(select(Site).order_by(Site.id).options(selectinload(Site.areas))).all()
    return [
        SiteInfo(
            site_id=site.id,
            name=site.name,
            timezone=site.timezone,
            night_start=site.night_start,
            night_end=site.night_end,
            stop_policy=site.stop_policy,
            plan_width_m=site.plan_width_m,
            plan_height_m=site.plan_height_m,
            areas=tuple(_area_info(a) for a in sorted(site.areas, key=lambda a: a.id)),
        )
        for site in sites
    ]


def _worker_info(worker: Worker) -> WorkerInfo:
    return WorkerInfo(worker.id, worker.name, worker.trade, worker.phone, worker.contractor_code)


def permits_in_area(
    session: Session, site: str, area: str, statuses: Iterable[PermitStatus] = PRESENT_STATUSES
) -> list[PermitInfo]:
    """The area's permits in the given statuses with their workers, newest start first."""
    permits = session.scalars(
        select(Permit)
        .where(Permit.site_id == site, Permit.area_id == area, Permit.status.in_(list(statuses)))
        .order_by(Permit.valid_from.desc(), Permit.id)
        .options(selectinload(Permit.workers).selectinload(PermitWorker.worker))
    ).all()
    return [
        PermitInfo(
            permit_id=p.id,
            type=p.type,
            grade=p.grade,
            effective_grade=p.effective_grade,
            status=p.status,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            applicant=p.applicant,
            supervisor=p.supervisor,
            coordinator=p.coordinator,
            contractor_code=p.contractor_code,
            description=p.description,
            urgent=p.urgent,
            workers=tuple(_worker_info(pw.worker) for pw in sorted(p.workers, key=lambda pw: pw.worker_id)),
        )
        for p in permits
    ]


def area_detail(
    session: Session, site: str, area: str, statuses: Iterable[PermitStatus] = PRESENT_STATUSES
) -> AreaDetail | None:
    """Everything the incident commander needs about one area; None for an area the database lacks."""
    row = session.get(Area, (site, area))
    if row is None:
        return None
    contacts = session.scalars(
        select(EmergencyContact)
        .where(EmergencyContact.site_id == site, EmergencyContact.area_id == area)
        .order_by(EmergencyContact.sort_order, EmergencyContact.id)
    ).all()
    detectors = session.scalars(
        select(Detector.id).where(Detector.site_id == site, Detector.area_id == area).order_by(Detector.id)
    ).all()
    return AreaDetail(
        site_id=site,
        site_name=row.site.name,
        area_id=area,
        name=row.name,
        risk_level=row.risk_level,
        is_hazard_area=row.is_hazard_area,
        guidance=row.guidance,
        polygon=_polygon(row.polygon),
        contacts=tuple(ContactInfo(c.name, c.role, c.phone) for c in contacts),
        permits=tuple(permits_in_area(session, site, area, statuses)),
        detectors=tuple(detectors),
    )


def plant_detectors(session: Session) -> list[DetectorInfo]:
    """Every detector with its channels and plan position (simulator, registered channel set)."""
    rows = session.scalars(
        select(Detector)
        .order_by(Detector.site_id, Detector.area_id, Detector.id)
        .options(selectinload(Detector.channels))
    ).all()
    return [
        DetectorInfo(
            site_id=d.site_id,
            area_id=d.area_id,
            device_id=d.id,
            model=d.model,
            x=d.x,
            y=d.y,
            registered=d.registered,
            channels=tuple(
                ChannelInfo(
                    c.ch, c.unit, c.limit_profile, c.max_age_s, tuple(sorted((c.limits or {}).items()))
                )
                for c in sorted(d.channels, key=lambda c: c.ch)
            ),
        )
        for d in rows
    ]


def registered_channel_keys(session: Session) -> set[ChannelKey]:
    """The channels the database knows: anything else arriving from the field is 'unregistered'."""
    return {key for d in plant_detectors(session) if d.registered for key in d.channel_keys()}


def channel_limit_overrides(session: Session) -> dict[str, dict[str, float]]:
    """The channels' own limits as ``LimitResolver`` override keys (``site/area/device/ch``).

    Each was checked against its channel's profile when it was saved (cockpit/detector_register.py);
    whoever merges them into the engine's overrides checks them again against the profile in force.
    The Sparkplug mapping's limits come first (``site/area[/detector]/ch``, as the configuration's
    ``[[sparkplug.map]]`` give theirs; cockpit/sparkplug_register.py), a channel's own on top.
    """
    found: dict[str, dict[str, float]] = {}
    for site, area, detector, channel, limits in session.execute(
        select(
            SparkplugMapRow.site_id,
            SparkplugMapRow.area_id,
            SparkplugMapRow.detector,
            SparkplugMapRow.channel,
            SparkplugMapRow.limits,
        ).order_by(SparkplugMapRow.position)
    ):
        if limits:
            key = "/".join(p for p in (site, area, detector, channel) if p)
            for name, value in limits.items():
                found.setdefault(key, {}).setdefault(name, float(value))  # the first entry wins
    rows = session.execute(
        select(Detector.site_id, Detector.area_id, Detector.id, DetectorChannel.ch, DetectorChannel.limits)
        .join(DetectorChannel, DetectorChannel.detector_id == Detector.id)
        .where(DetectorChannel.limits.is_not(None))
        .order_by(Detector.id, DetectorChannel.ch)
    )
    for site, area, device, ch, limits in rows:
        if limits:
            key = f"{site}/{area}/{device}/{ch}"
            found[key] = {**found.get(key, {}), **{k: float(v) for k, v in limits.items()}}
    return found


def areas_with_detectors(session: Session) -> dict[tuple[str, str], list[str]]:
    """(site, area) → device ids, for rules that need gas monitoring in an area."""
    result: dict[tuple[str, str], list[str]] = defaultdict(list)
    for site_id, area_id, device in session.execute(
        select(Detector.site_id, Detector.area_id, Detector.id).order_by(Detector.id)
    ):
        result[(site_id, area_id)].append(device)
    return dict(result)
