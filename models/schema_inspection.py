"""Inspection (issue 23): equipment and its owners, routes and their points, spot checks, scans,
results and the work orders they open; near misses and the kept monthly figures (issue 21).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.schema_base import (
    ID,
    Base,
    UTCDateTime,
)

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
