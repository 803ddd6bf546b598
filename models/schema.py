"""The SQLAlchemy mapping of everything the cockpit keeps: one schema for SQLite and PostgreSQL.

Why these choices:
- Identifiers the field contract uses (site, area, device, worker, permit, contractor code) are the
  string primary keys, so a message from the field finds its row without a lookup table.
- Every instant is a ``UTCDateTime``: stored as UTC, always returned timezone-aware, on both databases
  (SQLite has no time zones; PostgreSQL ``timestamptz`` would otherwise come back in the session zone).
  Calendar dates (certificate validity) are plain ``Date``.
- Enums are stored as their string values in a VARCHAR (no native PostgreSQL enum), so a new enum value
  needs no migration.
- Flexible parts (polygons, gas readings, grade reasons, event details) are JSON.
- Rows that come from the field (alarms, commands, acknowledgements) carry site/area as plain strings
  without foreign keys: the contract takes in areas the database does not know yet.

Column attributes are named as the columns (``site_id``, ``area_id`` …) so raw SQL and ORM code read alike.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType, RiskLevel, Role, StrEnum

# Stable constraint names: alembic can then alter or drop them on every database.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = 64  # length of a contract identifier: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    A naive datetime is refused on the way in: the core never deals in local or unknown-zone times,
    and silently assuming UTC would hide exactly the bug this type exists to catch.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"naive datetime {value.isoformat()} given; the core only stores aware UTC times"
            )
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite stores text; a fixed UTC form without offset keeps string order = time order.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(cls: type[enum.Enum], length: int = 32) -> SAEnum:
    """A portable enum column holding the members' values (what the wire and the contract use)."""
    return SAEnum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [str(m.value) for m in members],
        validate_strings=True,
    )


class StopPolicy(StrEnum):
    """What an alarm in an area with active permits does (brief, stop-work loop step 2)."""

    AUTO = "auto"
    PROPOSE = "propose"
    OFF = "off"


class CommandKind(StrEnum):
    STOP = "stop"
    RESUME = "resume"


class CommandState(StrEnum):
    """A command's delivery: sent → received → executed, or rejected / timeout."""

    SENT = "sent"
    RECEIVED = "received"
    EXECUTED = "executed"
    REJECTED = "rejected"
    TIMEOUT = "timeout"


class ApprovalDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SEND_BACK = "send_back"


class ContractorGrade(StrEnum):
    """A best, D worst (rule: ``models/rules/contractor_grade.py``); a blacklist, not D, blocks permits."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        date: Date(),
        time: Time(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


# ---------------------------------------------------------------- sites, areas, contacts


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai", server_default="Asia/Shanghai")
    night_start: Mapped[time] = mapped_column(default=time(22, 0))
    night_end: Mapped[time] = mapped_column(default=time(6, 0))
    stop_policy: Mapped[StopPolicy] = mapped_column(
        str_enum(StopPolicy, 16), default=StopPolicy.AUTO, server_default="auto"
    )
    plan_width_m: Mapped[float] = mapped_column(Float, default=400.0)
    plan_height_m: Mapped[float] = mapped_column(Float, default=300.0)

    areas: Mapped[list[Area]] = relationship(back_populates="site", order_by="Area.id")


class Area(Base):
    __tablename__ = "areas"

    site_id: Mapped[str] = mapped_column(String(ID), ForeignKey("sites.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    polygon: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[x, y], ...] metres on the plan
    risk_level: Mapped[RiskLevel] = mapped_column(str_enum(RiskLevel, 16), default=RiskLevel.GENERAL)
    guidance: Mapped[str] = mapped_column(Text, default="")
    is_hazard_area: Mapped[bool] = mapped_column(Boolean, default=False)  # fire/explosion hazard area
    pipeline: Mapped[str | None] = mapped_column(String(100))

    site: Mapped[Site] = relationship(back_populates="areas")
    contacts: Mapped[list[EmergencyContact]] = relationship(
        back_populates="area", order_by="EmergencyContact.sort_order"
    )


class SitePlan(Base):
    """A site's plan image (PNG or SVG) and its scale; the areas' polygons stay in plan metres (0006)."""

    __tablename__ = "site_plans"

    site_id: Mapped[str] = mapped_column(String(ID), ForeignKey("sites.id"), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))  # image/png or image/svg+xml
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width_px: Mapped[float] = mapped_column(Float)
    height_px: Mapped[float] = mapped_column(Float)
    m_per_px: Mapped[float] = mapped_column(Float)
    loaded_by: Mapped[str] = mapped_column(String(ID))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EmergencyContact(Base):
    __tablename__ = "emergency_contacts"
    __table_args__ = (
        ForeignKeyConstraint(["site_id", "area_id"], ["areas.site_id", "areas.id"], ondelete="CASCADE"),
        Index("ix_emergency_contacts_area", "site_id", "area_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    area: Mapped[Area] = relationship(back_populates="contacts")


# ---------------------------------------------------------------- detectors


class Detector(Base):
    __tablename__ = "detectors"
    __table_args__ = (
        ForeignKeyConstraint(["site_id", "area_id"], ["areas.site_id", "areas.id"]),
        Index("ix_detectors_area", "site_id", "area_id"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    model: Mapped[str] = mapped_column(String(100), default="")
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    registered: Mapped[bool] = mapped_column(Boolean, default=True)

    channels: Mapped[list[DetectorChannel]] = relationship(
        back_populates="detector", order_by="DetectorChannel.ch", cascade="all, delete-orphan"
    )


class DetectorChannel(Base):
    __tablename__ = "detector_channels"

    detector_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("detectors.id", ondelete="CASCADE"), primary_key=True
    )
    ch: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit: Mapped[str] = mapped_column(String(16))
    limit_profile: Mapped[str] = mapped_column(String(32), default="cn", server_default="cn")
    max_age_s: Mapped[float | None] = mapped_column(Float)
    # per-channel overrides of the profile's lolo/lo/hi/hihi, never looser (migration 0006)
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    detector: Mapped[Detector] = relationship(back_populates="channels")


class SparkplugMapRow(Base):
    """One entry of the Sparkplug mapping kept with the registers (migration 0011): ``position`` orders
    them (the first match wins, after the configuration's ``[[sparkplug.map]]``;
    cockpit/sparkplug_register.py)."""

    __tablename__ = "sparkplug_map"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    group_pattern: Mapped[str] = mapped_column(String(200))
    node_pattern: Mapped[str] = mapped_column(String(200))
    device_pattern: Mapped[str] = mapped_column(String(200))
    metric_pattern: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    detector: Mapped[str] = mapped_column(String(ID), default="")
    channel: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # hi, hihi …: as [alarms.limits]


class SparkplugStopRow(Base):
    """A stop-work target kept with the registers (migration 0011): a stop or resume of ``site``/``area``
    also goes to this Sparkplug device as a DCMD (an NCMD when ``device`` is empty), after the
    configuration's ``[[sparkplug.stop]]``; cockpit/sparkplug_register.py."""

    __tablename__ = "sparkplug_stops"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    group_id: Mapped[str] = mapped_column(String(200))
    node: Mapped[str] = mapped_column(String(200))
    device: Mapped[str] = mapped_column(String(200), default="")
    metric: Mapped[str] = mapped_column(String(200))
    command_id_metric: Mapped[str] = mapped_column(String(200), default="")
    ack_metric: Mapped[str] = mapped_column(String(200), default="")


# ---------------------------------------------------------------- contractors and workers


class Contractor(Base):
    __tablename__ = "contractors"
    __table_args__ = (Index("ix_contractors_name_code", "name", "code"),)  # 0015: search by name prefix

    code: Mapped[str] = mapped_column(String(ID), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[ContractorGrade] = mapped_column(str_enum(ContractorGrade, 4), default=ContractorGrade.B)
    blacklisted: Mapped[bool] = mapped_column(Boolean, default=False)
    blacklist_reason: Mapped[str] = mapped_column(Text, default="")
    # Migration 0005 (the people registers): ``grade`` is the grade in force (the override if one
    # stands, else the rule's); the override is kept with who set it, when and why.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    grade_override: Mapped[ContractorGrade | None] = mapped_column(str_enum(ContractorGrade, 4))
    grade_override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    grade_override_by: Mapped[str | None] = mapped_column(String(ID))
    grade_override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    qualifications: Mapped[list[ContractorQualification]] = relationship(back_populates="contractor")
    violations: Mapped[list[ContractorViolation]] = relationship(back_populates="contractor")


class ContractorQualification(Base):
    __tablename__ = "contractor_qualifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contractor_code: Mapped[str] = mapped_column(
        String(ID), ForeignKey("contractors.code", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100), default="")
    valid_to: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(200), default="", server_default="")  # 0005
    valid_from: Mapped[date | None] = mapped_column(Date)  # 0005

    contractor: Mapped[Contractor] = relationship(back_populates="qualifications")


class ContractorViolation(Base):
    """A violation against a worker and/or a contractor (0005: the worker, contractor optional)."""

    __tablename__ = "contractor_violations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contractor_code: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("contractors.code", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    description: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(ID), ForeignKey("workers.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(ID), default="", server_default="")

    contractor: Mapped[Contractor | None] = relationship(back_populates="violations")


class Worker(Base):
    __tablename__ = "workers"
    # 0015: by name then id, the search's order, so a common surname's first 50 come from the index,
    # with what the search shows of them (covering)
    __table_args__ = (Index("ix_workers_search", "name", "id", "trade", "contractor_code"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    contractor_code: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("contractors.code"), index=True
    )
    trade: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    # Migration 0005: a worker who left is disabled, never deleted (permits and the audit name him);
    # the latest admission exam (入场考试) result.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    exam_passed: Mapped[bool | None] = mapped_column(Boolean)
    exam_score: Mapped[float | None] = mapped_column(Float)
    exam_on: Mapped[date | None] = mapped_column(Date)

    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="worker", order_by="Certificate.valid_to"
    )
    trainings: Mapped[list[WorkerTraining]] = relationship(back_populates="worker")


class Certificate(Base):
    """A special-trade certificate (特种作业操作证): its review falls due every 3 years."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(64), index=True)  # searched by number (migration 0002)
    trade: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    review_due: Mapped[date | None] = mapped_column(Date)

    worker: Mapped[Worker] = relationship(back_populates="certificates")


class WorkerTraining(Base):
    __tablename__ = "worker_trainings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    trained_on: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(200), default="")

    worker: Mapped[Worker] = relationship(back_populates="trainings")


# ---------------------------------------------------------------- users


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(ID), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    approval_level: Mapped[ApprovalLevel | None] = mapped_column(str_enum(ApprovalLevel))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The worker record of the person behind the account, if any (an administrator binds it).
    worker_id: Mapped[str | None] = mapped_column(String(ID), ForeignKey("workers.id"), index=True)


# ---------------------------------------------------------------- permits


class Permit(Base):
    """A work permit (作业票). ``version`` is SQLAlchemy's optimistic lock: a stale update raises
    ``sqlalchemy.orm.exc.StaleDataError`` instead of silently overwriting another console's change."""

    __tablename__ = "permits"
    __table_args__ = (
        ForeignKeyConstraint(["site_id", "area_id"], ["areas.site_id", "areas.id"]),
        Index("ix_permits_status_valid_from", "status", "valid_from"),
        Index("ix_permits_area", "site_id", "area_id"),
        # the monthly report (migration 0014): the month's groups, and an event's permit, from the index
        Index(
            "ix_permits_month", "created_at", "type", "effective_grade", "grade", "site_id", "contractor_code"
        ),
        Index("ix_permits_lead", "id", "created_at", "valid_from", "type"),
        Index("ix_permits_site_valid_to", "site_id", "valid_to"),  # 0015: the heat map's day of a site
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    type: Mapped[PermitType] = mapped_column(str_enum(PermitType))
    grade: Mapped[HotWorkGrade | None] = mapped_column(str_enum(HotWorkGrade, 16))
    effective_grade: Mapped[HotWorkGrade | None] = mapped_column(str_enum(HotWorkGrade, 16))
    grade_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[PermitStatus] = mapped_column(str_enum(PermitStatus))
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime())
    applicant: Mapped[str] = mapped_column(String(ID))  # a worker id or a username
    supervisor: Mapped[str] = mapped_column(String(ID))  # the 监护人, a worker id
    coordinator: Mapped[str | None] = mapped_column(String(ID))
    contractor_code: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("contractors.code"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    green_channel_review: Mapped[bool] = mapped_column(Boolean, default=False)
    prerequisites: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {jsa, isolation, gas_test}
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads this class attribute

    workers: Mapped[list[PermitWorker]] = relationship(back_populates="permit", cascade="all, delete-orphan")
    gas_tests: Mapped[list[GasTest]] = relationship(back_populates="permit", order_by="GasTest.taken_at")
    approvals: Mapped[list[Approval]] = relationship(back_populates="permit", order_by="Approval.signed_at")
    events: Mapped[list[PermitEventRow]] = relationship(back_populates="permit", order_by="PermitEventRow.ts")


class PermitWorker(Base):
    __tablename__ = "permit_workers"

    permit_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("permits.id", ondelete="CASCADE"), primary_key=True
    )
    worker_id: Mapped[str] = mapped_column(String(ID), ForeignKey("workers.id"), primary_key=True, index=True)

    permit: Mapped[Permit] = relationship(back_populates="workers")
    worker: Mapped[Worker] = relationship()


class GasTest(Base):
    __tablename__ = "gas_tests"
    __table_args__ = (Index("ix_gas_tests_permit_taken", "permit_id", "taken_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permit_id: Mapped[str] = mapped_column(String(ID), ForeignKey("permits.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(ID))
    passed: Mapped[bool] = mapped_column(Boolean)
    readings: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"ch", "v", "u"}, ...]

    permit: Mapped[Permit] = relationship(back_populates="gas_tests")


class Approval(Base):
    """One signature on a permit; ``content_hash`` is the sha256 of what the signer saw and signed."""

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_permit", "permit_id", "signed_at"),
        Index("ix_approvals_signed_at", "signed_at"),  # 0014: a month's refusals
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permit_id: Mapped[str] = mapped_column(String(ID), ForeignKey("permits.id", ondelete="CASCADE"))
    level: Mapped[ApprovalLevel] = mapped_column(str_enum(ApprovalLevel))
    signer: Mapped[str] = mapped_column(String(ID), ForeignKey("users.username"))
    role: Mapped[str] = mapped_column(String(64), default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision: Mapped[ApprovalDecision] = mapped_column(str_enum(ApprovalDecision, 16))
    reason: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))

    permit: Mapped[Permit] = relationship(back_populates="approvals")


class PermitEventRow(Base):
    """What happened to a permit (field events and the cockpit's own transitions); ``type`` is free text
    so internal transitions (approved, suspended …) sit beside the contract's event types."""

    __tablename__ = "permit_events"
    __table_args__ = (
        Index("ix_permit_events_permit_ts", "permit_id", "ts"),
        # 0014: a month's approvals (their lead and lateness from the index alone) and starts
        Index("ix_permit_events_type_ts", "type", "ts", "permit_id", "lead_s", "after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permit_id: Mapped[str] = mapped_column(String(ID), ForeignKey("permits.id", ondelete="CASCADE"))
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    type: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(String(ID), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # an ``approved`` event's lead from submission, and whether it came after the planned start, kept
    # when it is written (0014): the monthly report reads them from an index, not a join per approval
    lead_s: Mapped[float | None] = mapped_column(Float)
    after_start: Mapped[bool | None] = mapped_column(Boolean)

    permit: Mapped[Permit] = relationship(back_populates="events")


# ---------------------------------------------------------------- stop-work commands


class Command(Base):
    __tablename__ = "commands"
    __table_args__ = (
        Index("ix_commands_area_issued", "site_id", "area_id", "issued_at"),
        Index("ix_commands_issued_at", "issued_at"),  # 0014: a month's stop-works
    )

    command_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4 string
    kind: Mapped[CommandKind] = mapped_column(str_enum(CommandKind, 16))
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    permits: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    alarm_id: Mapped[str | None] = mapped_column(String(128), index=True)
    issued_by: Mapped[str] = mapped_column(String(ID))
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends: Mapped[str | None] = mapped_column(String(36), ForeignKey("commands.command_id"))
    state: Mapped[CommandState] = mapped_column(str_enum(CommandState, 16), default=CommandState.SENT)

    acks: Mapped[list[CommandAckRow]] = relationship(
        primaryjoin="Command.command_id == foreign(CommandAckRow.command_id)",
        order_by="[CommandAckRow.ts, CommandAckRow.id]",
        viewonly=True,
    )


class CommandAckRow(Base):
    """A field acknowledgement; no foreign key, since an ack for a command another console issued
    (or an unknown one) is still recorded."""

    __tablename__ = "command_acks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command_id: Mapped[str] = mapped_column(String(36), index=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # models.records.AckStatus values
    by: Mapped[str] = mapped_column(String(ID), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---------------------------------------------------------------- alarm journal


class AlarmJournalEntry(Base):
    """One alarm state transition (ISA-18.2 journal): raised, acknowledged, shelved, cleared …"""

    __tablename__ = "alarm_journal"
    __table_args__ = (Index("ix_alarm_journal_area_ts", "site_id", "area_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alarm_id: Mapped[str] = mapped_column(String(128), index=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    source: Mapped[str] = mapped_column(String(255))  # channel key, worker id or permit id
    condition: Mapped[str] = mapped_column(String(32))  # HIHI, HI, LO, LOLO, STALE, MAN_DOWN …
    priority: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str] = mapped_column(String(32), default="")
    to_state: Mapped[str] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16), default="")
    who: Mapped[str] = mapped_column(String(ID), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    console: Mapped[str] = mapped_column(String(ID), default="")


# ---------------------------------------------------------------- shift handover


class ShiftHandover(Base):
    __tablename__ = "shift_handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str | None] = mapped_column(String(ID), ForeignKey("sites.id"))
    shift_from: Mapped[datetime] = mapped_column(UTCDateTime())
    shift_to: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    outgoing_lead: Mapped[str] = mapped_column(String(ID))
    incoming_lead: Mapped[str] = mapped_column(String(ID), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_out_by: Mapped[str | None] = mapped_column(String(ID))
    signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_in_by: Mapped[str | None] = mapped_column(String(ID))
    supersedes: Mapped[int | None] = mapped_column(Integer, ForeignKey("shift_handovers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---------------------------------------------------------------- audit log


class AuditEntry(Base):
    """One link of the append-only, hash-chained audit log (see ``models.audit``).

    ``seq`` is assigned by ``append_audit`` (it is part of the hashed content), not by the database.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(ID))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("hash", name="uq_audit_log_hash"),)


class DutyLease(Base):
    """Who runs the plant's duties (automatic stop-work, escalations, application replies,
    notifications) among several ``serve`` instances: one row per duty (cockpit/duty_lease.py).

    Times are milliseconds since the epoch *by the database's clock* (every instance judges expiry by
    the same clock, whatever the machines' clocks say). ``token`` grows on every take-over: it fences
    what a stale holder writes late (it goes on the stop's audit entry).
    """

    __tablename__ = "duty_leases"

    duty: Mapped[str] = mapped_column(String(ID), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255), default="")
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="")  # serve | console
    yields: Mapped[bool] = mapped_column(Boolean, default=False)  # hands the lease to a serve that asks
    wanted_by: Mapped[str | None] = mapped_column(String(255))  # a serve asking a yielding holder
    token: Mapped[int] = mapped_column(BigInteger, default=0)
    acquired_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    renewed_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    expires_ms: Mapped[int] = mapped_column(BigInteger, default=0)


# ---------------------------------------------------------------- inspection (issue 23)


class Equipment(Base):
    """A piece of equipment on an inspection route: its tag (NFC or QR) and the checklist the tag loads."""

    __tablename__ = "equipment"
    __table_args__ = (Index("ix_equipment_site_area", "site_id", "area_id"),)

    code: Mapped[str] = mapped_column(String(ID), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    name: Mapped[str] = mapped_column(String(200))
    tag: Mapped[str] = mapped_column(String(ID), unique=True)  # what the field's scan carries
    owner: Mapped[str] = mapped_column(String(ID), default="")  # a user: the defects' work orders go to them
    checklist: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the questions, in order
    x: Mapped[float | None] = mapped_column(Float)  # metres on the site plan (the map, walking speed)
    y: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AreaOwner(Base):
    """Who owns an area's defects when the equipment names no owner (the inspection register)."""

    __tablename__ = "area_owners"

    site_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    area_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    owner: Mapped[str] = mapped_column(String(ID))


class InspectionRoute(Base):
    """A fixed route: its points in order, walked ``per_day`` times a day from ``first_start``."""

    __tablename__ = "inspection_routes"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    name: Mapped[str] = mapped_column(String(200))
    per_day: Mapped[int] = mapped_column(Integer, default=1)  # rounds a day, evenly spread
    first_start: Mapped[time] = mapped_column(Time())  # plant time of the first round
    round_minutes: Mapped[int] = mapped_column(Integer, default=60)  # a point scanned later is late
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    points: Mapped[list[RoutePoint]] = relationship(order_by="RoutePoint.seq", cascade="all, delete-orphan")


class RoutePoint(Base):
    __tablename__ = "route_points"

    route_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("inspection_routes.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    equipment_code: Mapped[str] = mapped_column(String(ID), ForeignKey("equipment.code"))


class SpotCheck(Base):
    """One month's random spot-check point (drawn from a seed, weighted by the area's risk)."""

    __tablename__ = "spot_checks"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-12
    equipment_code: Mapped[str] = mapped_column(String(ID), ForeignKey("equipment.code"), primary_key=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    drawn_by: Mapped[str] = mapped_column(String(ID), default="")
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InspectionScan(Base):
    """A scan of a point's tag in the field (who, when), as the field sent it."""

    __tablename__ = "inspection_scans"
    __table_args__ = (Index("ix_inspection_scans_site_ts", "site_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[str] = mapped_column(String(128), unique=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    tag: Mapped[str] = mapped_column(String(ID))
    equipment_code: Mapped[str | None] = mapped_column(String(ID))  # None: a tag the register lacks
    worker: Mapped[str] = mapped_column(String(ID))
    ts: Mapped[datetime] = mapped_column(UTCDateTime())


class InspectionResult(Base):
    """A checklist result for one point: the answers, whether a defect was found, its severity, photos."""

    __tablename__ = "inspection_results"
    __table_args__ = (Index("ix_inspection_results_equipment_ts", "equipment_code", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[str] = mapped_column(String(128), unique=True)
    scan_id: Mapped[str] = mapped_column(String(128), default="")
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    equipment_code: Mapped[str | None] = mapped_column(String(ID))
    tag: Mapped[str] = mapped_column(String(ID))
    worker: Mapped[str] = mapped_column(String(ID))
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    answers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    defect: Mapped[bool] = mapped_column(Boolean, default=False)
    severity: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"url", "sha256"}]


class WorkOrder(Base):
    """A defect work order: from a defect result, with an owner, due by severity, closed only verified."""

    __tablename__ = "work_orders"
    __table_args__ = (Index("ix_work_orders_status_due", "status", "due_at"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    result_id: Mapped[str] = mapped_column(String(128), unique=True)
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str] = mapped_column(String(ID))
    equipment_code: Mapped[str | None] = mapped_column(String(ID))
    severity: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(ID), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | fixed | closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    escalation_step: Mapped[int] = mapped_column(Integer, default=-1)  # -1: not escalated
    escalated_to: Mapped[str] = mapped_column(String(ID), default="")
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fixed_by: Mapped[str | None] = mapped_column(String(ID))
    fixed_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by: Mapped[str | None] = mapped_column(String(ID))
    verification: Mapped[str] = mapped_column(Text, default="")


class WorkOrderEvent(Base):
    __tablename__ = "work_order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("work_orders.id", ondelete="CASCADE"), index=True
    )
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    type: Mapped[str] = mapped_column(String(32))  # created | escalated | closed
    by: Mapped[str] = mapped_column(String(ID), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# ---------------------------------------------------------------- near misses (issue 21)


class NearMiss(Base):
    """A near miss (未遂事件): recorded by an operator (from an alarm or on its own) or taken from the
    field (a ``near_miss`` permit or worker event). ``category`` is a code (``cockpit.near_misses``
    lists them; the views word them); ``contractor_id`` is the permit's contractor when there is a
    permit; ``message_id`` is the field message's id, unique, so a repeated field message is stored once."""

    __tablename__ = "near_misses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    site_id: Mapped[str] = mapped_column(String(ID))
    area_id: Mapped[str | None] = mapped_column(String(ID))
    permit_id: Mapped[str | None] = mapped_column(String(ID), index=True)
    contractor_id: Mapped[str | None] = mapped_column(String(ID), index=True)
    category: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))  # operator | field
    alarm_id: Mapped[str | None] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(ID))  # a user name, or the field's gateway
    message_id: Mapped[str | None] = mapped_column(String(128), unique=True)


class MonthlyFiguresRow(Base):
    """A closed plant month's figures for the monthly report, kept once the month has settled (0014): the
    report's comparison with the months before it then reads them instead of counting them again."""

    __tablename__ = "monthly_figures"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    zone: Mapped[str] = mapped_column(String(64), primary_key=True)  # the plant zone the month is in
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


__all__ = [
    "AlarmJournalEntry",
    "Approval",
    "ApprovalDecision",
    "Area",
    "AreaOwner",
    "AuditEntry",
    "Base",
    "Certificate",
    "Command",
    "CommandAckRow",
    "CommandKind",
    "CommandState",
    "Contractor",
    "ContractorGrade",
    "ContractorQualification",
    "ContractorViolation",
    "Detector",
    "DetectorChannel",
    "DutyLease",
    "EmergencyContact",
    "Equipment",
    "GasTest",
    "InspectionResult",
    "InspectionRoute",
    "InspectionScan",
    "MonthlyFiguresRow",
    "NearMiss",
    "Permit",
    "PermitEventRow",
    "PermitWorker",
    "RoutePoint",
    "ShiftHandover",
    "Site",
    "SpotCheck",
    "StopPolicy",
    "UTCDateTime",
    "User",
    "WorkOrder",
    "WorkOrderEvent",
    "Worker",
    "WorkerTraining",
]
