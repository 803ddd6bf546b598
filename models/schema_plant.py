"""Sites and their areas, site plans and emergency contacts; detectors, their channels, and the
Sparkplug mapping and stop targets kept with them (issues 16 and 22).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.records import RiskLevel
from models.schema_base import (
    ID,
    Base,
    StopPolicy,
    UTCDateTime,
    str_enum,
)

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
