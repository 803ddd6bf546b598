"""Plain typed records shared by every layer.

They carry no behaviour beyond trivial helpers and never import Qt or the
database, so decoders, the telemetry store, the alarm engine and the tests can
all speak the same language. Times are always timezone-aware UTC datetimes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


class StrEnum(str, enum.Enum):  # noqa: UP042 (the same on every Python the cockpit supports)
    """A str-valued enum whose str() is its value (wire and database form)."""

    def __str__(self) -> str:
        return str(self.value)


class PermitType(StrEnum):
    HOT_WORK = "hot_work"
    CONFINED_SPACE = "confined_space"
    BLINDING = "blinding"
    WORK_AT_HEIGHT = "work_at_height"
    LIFTING = "lifting"
    TEMPORARY_POWER = "temporary_power"
    EXCAVATION = "excavation"
    ROAD_CLOSURE = "road_closure"


class HotWorkGrade(StrEnum):
    """Hot-work grades of GB 30871-2022, highest first in ``GRADE_ORDER``."""

    SPECIAL = "special"
    GRADE_1 = "1"
    GRADE_2 = "2"


class PermitStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    CLOSED = "closed"


class Quality(StrEnum):
    GOOD = "good"
    UNCERTAIN = "uncertain"
    BAD = "bad"


class DeviceState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    FAULT = "fault"
    CALIBRATION_DUE = "calibration_due"


class WorkerEventType(StrEnum):
    MAN_DOWN = "man_down"
    FALL = "fall"
    SOS = "sos"
    NO_MOTION = "no_motion"
    CHECKIN = "checkin"
    GEOFENCE_BREACH = "geofence_breach"
    ENTRY = "entry"  # through a work area's gate (the field gate, issue 17): should follow an allow
    EXIT = "exit"


class PermitEventType(StrEnum):
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    COMPLETED = "completed"
    GAS_TEST = "gas_test"


class NearMissCategory(StrEnum):
    """What nearly happened (issue 21): codes, worded on screen (``views/near_miss_words.py``)."""

    GAS_RELEASE = "gas_release"
    FIRE_IGNITION = "fire_ignition"
    FALL_FROM_HEIGHT = "fall_from_height"
    DROPPED_OBJECT = "dropped_object"
    CONFINED_SPACE_ATMOSPHERE = "confined_space_atmosphere"
    ELECTRICAL = "electrical"
    STRUCK_BY = "struck_by"
    OTHER = "other"


class AckStatus(StrEnum):
    RECEIVED = "received"
    EXECUTED = "executed"
    REJECTED = "rejected"


class Role(StrEnum):
    OPERATOR = "operator"
    SHIFT_LEAD = "shift_lead"
    INCIDENT_COMMANDER = "incident_commander"
    SAFETY_MANAGER = "safety_manager"
    ADMIN = "admin"


class ApprovalLevel(StrEnum):
    """Who signs a permit, lowest first (GB 30871 approval matrix)."""

    OPERATING_UNIT = "operating_unit"  # 基层单位
    SAFETY_DEPARTMENT = "safety_department"  # 安全管理部门
    SENIOR_LEADER = "senior_leader"  # 主管领导


class RiskLevel(StrEnum):
    """Static risk level of an area (红橙黄蓝 four-colour scheme)."""

    LOW = "low"  # blue
    GENERAL = "general"  # yellow
    HIGH = "high"  # orange
    MAJOR = "major"  # red


class Priority(enum.IntEnum):
    CRITICAL = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4


# Canonical unit of every known channel (contract §1). Others have no default unit.
CANONICAL_UNITS: dict[str, str] = {
    "LEL": "%LEL",
    "CH4": "%VOL",
    "O2": "%VOL",
    "H2S": "ppm",
    "CO": "ppm",
    "SO2": "ppm",
    "NH3": "ppm",
    "CL2": "ppm",
    "TEMP": "C",
    "WIND": "m/s",
}

# Channels whose loss (STALE) is itself a safety alarm.
SAFETY_CHANNELS = frozenset({"LEL", "CH4", "O2", "H2S", "CO", "SO2", "NH3", "CL2"})


class ChannelKey(NamedTuple):
    """Identity of one measured channel: ``{site}/{area}/{device}/{ch}``.

    A named tuple, not a dataclass: it is built and hashed for every reading on the ingest
    path, and a tuple's C-level hash and equality are several times cheaper.
    """

    site: str
    area: str
    device: str
    ch: str

    def __str__(self) -> str:
        return f"{self.site}/{self.area}/{self.device}/{self.ch}"

    @property
    def area_key(self) -> tuple[str, str]:
        return (self.site, self.area)


class Reading(NamedTuple):
    """One value of one channel with its quality (a tuple: millions are made on the ingest path)."""

    ch: str
    value: float
    unit: str
    quality: Quality = Quality.GOOD


class SensorMessage(NamedTuple):
    """Contract §1: one message of readings from one detector (a tuple, like ``Reading``: one is built
    for every message on the ingest path, and a tuple is built in a fraction of a dataclass's time)."""

    site: str
    area: str
    device: str
    ts: datetime
    readings: tuple[Reading, ...]
    seq: int | None = None
    max_age_s: float | None = None


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """Contract §2."""

    site: str
    area: str
    device: str
    ts: datetime
    state: DeviceState
    battery: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class WorkerEvent:
    """Contract §3."""

    site: str
    area: str
    worker: str
    ts: datetime
    type: WorkerEventType
    permit: str | None = None
    role: str | None = None
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True, slots=True)
class GasTestResult:
    """The readings of one gas test, as taken by the field."""

    readings: tuple[Reading, ...]


@dataclass(frozen=True, slots=True)
class PermitEvent:
    """Contract §4."""

    site: str
    area: str
    permit: str
    ts: datetime
    type: PermitEventType
    by: str
    gas_test: GasTestResult | None = None
    photos: tuple[PhotoRef, ...] = ()  # key-step photos (issue 23), references into the file store


@dataclass(frozen=True, slots=True)
class PermitRequest:
    """Contract §5: an application from the mobile permit app."""

    site: str
    area: str
    permit: str
    ts: datetime
    type: PermitType
    applicant: str
    workers: tuple[str, ...]
    supervisor: str
    valid_from: datetime
    valid_to: datetime
    grade: HotWorkGrade | None = None
    urgent: bool = False
    contractor: str | None = None
    description: str = ""
    prerequisites: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GateRequest:
    """A gate or handheld asking whether a worker may enter a work area (``gate/{gate}/request``)."""

    site: str
    area: str
    gate: str
    ts: datetime
    request_id: str
    worker: str  # the worker id read from the badge or the safety code
    permit: str | None = None  # the permit they say they work under; None: any active one here
    via: str = "badge"  # badge | safety_code | permit_code (a paper permit checked alone: worker "")
    code: str | None = None  # a badge's keyed code as scanned, checked by the cockpit (cockpit/gate_codes.py)
    permit_code: str | None = None  # a paper permit's keyed code as scanned


class DefectSeverity(StrEnum):
    """How bad a defect found on a round is: it sets the work order's due time."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class ChecklistAnswer:
    """One checklist question answered in the field: fine or not, and a reading where it asks one."""

    item: str
    ok: bool
    value: float | None = None


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A photo the field app uploaded to the file store: where, its SHA-256, the step it shows."""

    url: str
    sha256: str
    step: str = ""


@dataclass(frozen=True, slots=True)
class TagScan:
    """A point's tag scanned on a round (``inspection/{tag}/scan``): who, when."""

    site: str
    area: str
    tag: str
    ts: datetime
    scan_id: str
    worker: str


@dataclass(frozen=True, slots=True)
class ChecklistResult:
    """A point's checklist answered (``inspection/{tag}/result``), with a defect and photos if any."""

    site: str
    area: str
    tag: str
    ts: datetime
    result_id: str
    worker: str
    answers: tuple[ChecklistAnswer, ...]
    defect: bool = False
    severity: DefectSeverity | None = None
    scan_id: str = ""
    note: str = ""
    photos: tuple[PhotoRef, ...] = ()


@dataclass(frozen=True, slots=True)
class NearMissReport:
    """A near miss the field reported (issue 21, docs/mqtt-cockpit-topics.md): a §4 permit event or a §3
    worker event of type ``near_miss``. ``permit`` is the topic's permit (§4) or the event's (§3);
    ``reporter`` the §4 ``by`` or the §3 worker; ``message_id`` is unique per report."""

    site: str
    area: str
    ts: datetime
    occurred_at: datetime
    category: NearMissCategory
    description: str
    message_id: str
    reporter: str
    permit: str | None = None


@dataclass(frozen=True, slots=True)
class CommandAck:
    """Contract §10."""

    site: str
    area: str
    command_id: str
    ts: datetime
    status: AckStatus
    by: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A message turned away by the decoder, with its counted reason."""

    topic: str
    reason: str  # a short stable key, e.g. "not_json", "bad_unit"
    detail: str  # a readable sentence for the diagnostics view
    excerpt: str  # the first bytes of the payload, printable
    received_at: datetime


FieldMessage = (
    SensorMessage
    | DeviceStatus
    | WorkerEvent
    | PermitEvent
    | PermitRequest
    | GateRequest
    | CommandAck
    | TagScan
    | ChecklistResult
    | NearMissReport
)
