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

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType
from models.schema_base import (
    ID,
    NAMING_CONVENTION,
    ApprovalDecision,
    Base,
    CommandKind,
    CommandState,
    ContractorGrade,
    StopPolicy,
    UTCDateTime,
    str_enum,
)
from models.schema_inspection import (
    AreaOwner,
    Equipment,
    InspectionResult,
    InspectionRoute,
    InspectionScan,
    MonthlyFiguresRow,
    NearMiss,
    RoutePoint,
    SpotCheck,
    WorkOrder,
    WorkOrderEvent,
)
from models.schema_people import (
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    User,
    Worker,
    WorkerTraining,
)
from models.schema_plant import (
    Area,
    Detector,
    DetectorChannel,
    EmergencyContact,
    Site,
    SitePlan,
    SparkplugMapRow,
    SparkplugStopRow,
)

# The whole schema, by domain in models/schema_*.py: every table and type is importable from here.
__all__ = [
    "ID",
    "NAMING_CONVENTION",
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
    "SitePlan",
    "SparkplugMapRow",
    "SparkplugStopRow",
    "SpotCheck",
    "StopPolicy",
    "UTCDateTime",
    "User",
    "WorkOrder",
    "WorkOrderEvent",
    "Worker",
    "WorkerTraining",
    "str_enum",
]


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
