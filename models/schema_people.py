"""Contractors with their qualifications and violations, workers with their certificates and
trainings, and the cockpit's users.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.records import ApprovalLevel, Role
from models.schema_base import (
    ID,
    Base,
    ContractorGrade,
    UTCDateTime,
    str_enum,
)

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
