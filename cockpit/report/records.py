"""The handover's records: the whole interface between gathering (``data``) and drawing (``handover_pdf``).

Plain frozen values, so the report can be rendered from a test fixture and its content hashed for the
signatures (:func:`content_hash`).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from cockpit.people_names import FIELD_PREFIX
from models.audit import canonical_json
from models.plant_clock import PlantClock


@dataclass(frozen=True, slots=True)
class OpenPoint:
    """Something the incoming lead must follow up; ``code`` picks the sentence in the PDF's language."""

    code: (
        str  # suspended, no_gas_test, gas_test_failed, gas_test_old, expiring, expired, prerequisite, review
    )
    arg: str = ""


@dataclass(frozen=True, slots=True)
class PermitLine:
    id: str
    type: str
    grade: str | None
    status: str  # "active" or "suspended" at the end of the shift
    site: str
    area: str
    supervisor: str  # name (id when the worker is unknown)
    valid_to: datetime
    validity_left: timedelta  # at the report's time (``HandoverData.at``); negative when past validity
    last_gas_test: datetime | None
    gas_test_age: timedelta | None
    gas_test_passed: bool | None
    workers: int
    open_points: tuple[OpenPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class PermitChange:
    kind: str  # opened, closed, rejected, escalated
    permit_id: str
    type: str
    area: str
    ts: datetime
    by: str
    detail: str = ""
    site: str = ""


@dataclass(frozen=True, slots=True)
class GreenChannelApproval:
    permit_id: str
    type: str
    area: str
    signer: str
    signed_at: datetime
    reason: str  # the reason the approver gave for the green channel ("" when none is on record)
    review_pending: bool
    site: str = ""


@dataclass(frozen=True, slots=True)
class AckLine:
    ts: datetime
    status: str
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CommandLine:
    command_id: str
    kind: str  # stop or resume
    site: str
    area: str
    issued_at: datetime
    issued_by: str
    auto: bool
    reason: str
    alarm_id: str | None
    state: str
    permits: tuple[str, ...]
    acks: tuple[AckLine, ...]


@dataclass(frozen=True, slots=True)
class AlarmAction:
    """One thing done about an alarm: ``kind`` is ack, shelve, normal, stop or resume."""

    ts: datetime
    kind: str
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CriticalAlarm:
    alarm_id: str
    ts: datetime
    site: str
    area: str
    source: str
    condition: str
    value: float | None
    unit: str
    actions: tuple[AlarmAction, ...]


@dataclass(frozen=True, slots=True)
class AlarmFigures:
    """Counts over the shift and the EEMUA 191 figures."""

    total: int
    by_priority: dict[int, int]
    per_10min_avg: float
    per_10min_peak: int
    floods: int  # episodes of FLOOD_COUNT or more alarms within FLOOD_WINDOW
    flood_starts: tuple[datetime, ...]
    standing_24h: int  # active at the end of the shift and raised more than 24 h before it
    shelved_now: int  # shelved at the end of the shift


@dataclass(frozen=True, slots=True)
class GasPoint:
    ts: datetime
    value: float


@dataclass(frozen=True, slots=True)
class GasSeries:
    """One channel's recorded values; the limits in force for it (``None`` where it has none)."""

    channel: str
    unit: str
    points: tuple[GasPoint, ...]
    hi: float | None = None
    hihi: float | None = None
    lo: float | None = None
    lolo: float | None = None


@dataclass(frozen=True, slots=True)
class Excursion:
    ts: datetime
    source: str
    condition: str
    value: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class AreaExcursions:
    site: str
    area: str
    excursions: tuple[Excursion, ...]
    series: tuple[GasSeries, ...]


@dataclass(frozen=True, slots=True)
class ExpiringCertificate:
    worker_id: str
    worker_name: str
    trade: str
    number: str
    valid_to: date
    days_left: int  # negative: expired
    permits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NearMissLine:
    """A near miss of the shift (``near_misses`` row): the category a code, the PDF words it."""

    occurred_at: datetime
    site: str
    area: str
    category: str
    recorded_by: str  # a key (account, or "field:" and the reporter): the PDF names it (HandoverData.person)
    source: str  # operator | field
    description: str
    permit_id: str = ""


@dataclass(frozen=True)
class HandoverData:
    plant: str
    site: str | None
    site_name: str
    timezone: str
    start: datetime
    end: datetime
    generated_at: datetime
    audit_head: str
    permits: tuple[PermitLine, ...] = ()
    changes: tuple[PermitChange, ...] = ()
    green_channel: tuple[GreenChannelApproval, ...] = ()
    alarms: AlarmFigures = field(
        default_factory=lambda: AlarmFigures(0, {1: 0, 2: 0, 3: 0, 4: 0}, 0.0, 0, 0, (), 0, 0)
    )
    critical: tuple[CriticalAlarm, ...] = ()
    critical_total: int = 0
    commands: tuple[CommandLine, ...] = ()
    excursions: tuple[AreaExcursions, ...] = ()
    certificates: tuple[ExpiringCertificate, ...] = ()
    near_misses: tuple[NearMissLine, ...] = ()
    near_miss_total: int = 0  # more than listed when a shift has more than the report prints
    outgoing_lead: str = ""
    incoming_lead: str = ""
    # The time the permits' validity and gas-test age are judged at: the shift's end, or the time the
    # report was made when that is earlier (a preview in the middle of the shift).
    as_of: datetime | None = None
    # "site/area" -> the area's name, and site id -> the site's name: paper names places, never codes.
    area_names: dict[str, str] = field(default_factory=dict)
    site_names: dict[str, str] = field(default_factory=dict)
    # an account or a worker id (bare or "field:W-1") -> the person's name: paper names people, not keys
    people: dict[str, str] = field(default_factory=dict)

    @property
    def at(self) -> datetime:
        """The time the permits are judged at (see ``as_of``)."""
        return self.as_of or self.end

    def area_name(self, site: str, area: str) -> str:
        """The area's name; its code where the database has none."""
        site = site or self.site or ""
        name = self.area_names.get(f"{site}/{area}")
        if name is None and not site:
            # a record without its site (all sites): the name when only one site has that area code
            found = {v for k, v in self.area_names.items() if k.rsplit("/", 1)[-1] == area}
            name = found.pop() if len(found) == 1 else None
        return name or area

    def person(self, key: str) -> str:
        """The person's name; a key without one as it is, less its ``field:`` mark."""
        return self.people.get(key) or key.removeprefix(FIELD_PREFIX)

    def site_label(self, site: str) -> str:
        return self.site_names.get(site) or site

    @property
    def has_events(self) -> bool:
        """False for a quiet shift: no alarm, command, permit change, green-channel approval or near miss."""
        return bool(
            self.alarms.total
            or self.commands
            or self.changes
            or self.green_channel
            or self.excursions
            or self.near_misses
        )

    def local(self, ts: datetime) -> datetime:
        """A UTC instant in the site's time (paper shows the plant's time only, as the screens do)."""
        return PlantClock(self.timezone).local(ts)


def content_hash(data: HandoverData, notes: str = "") -> str:
    """sha256 of what the leads sign: the gathered content and the notes (not the PDF bytes)."""
    payload = asdict(data)
    payload.pop("generated_at", None)
    payload["notes"] = notes
    text = canonical_json(_jsonable(payload))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value
