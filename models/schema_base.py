"""What every table of the schema shares: the declarative base with its constraint names, the UTC
datetime type, the portable enum column and the enums stored in several tables.

The tables live by domain in ``models/schema_*.py`` and in ``models/schema.py``, which re-exports
them all: import from ``models.schema``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    MetaData,
    Time,
    TypeDecorator,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase

from models.records import StrEnum

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

    Every timestamp of every row read passes through here, so the common cases go first (issue 20:
    at 1M permits this conversion was a large share of a queue's or a detail's CPU): a value already
    in ``datetime.UTC`` (the core's own times, and what psycopg2 gives with the server in UTC: it
    hands out the ``timezone.utc`` singleton for a zero offset) is taken as it is, which is what
    ``astimezone(UTC)`` returns for it anyway, and the result processor is one function instead of
    the decorator's two calls around the driver's. Anything else takes the full path.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.__class__ is datetime and value.tzinfo is UTC:  # the common case: nothing to convert
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value
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

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None]:
        """``process_result_value`` after the driver's own conversion, fused into one function."""
        driver = self.impl_instance.result_processor(dialect, coltype)

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if driver is not None:
                value = driver(value)
                if value is None:
                    return None
            tz = value.tzinfo
            if tz is UTC:
                return value
            if tz is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)

        return process


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
