"""Near misses (未遂事件, issue 21 part 2): recorded by an operator, from an alarm or on their own, and
taken from the field (a §3/§4 event of type ``near_miss``: docs/mqtt-cockpit-topics.md).

* **Operator:** :meth:`NearMissService.record` checks the login's session in the act's own transaction
  (``sessions.session_user``), writes the row and the audit entry ``nearmiss.record`` naming that user.
  The contractor is the permit's, when a permit is named.
* **Field:** the core hands every decoded ``NearMissReport`` to :class:`NearMissIntake` on its database
  worker (the inspection intake is the model). ``message_id`` is unique: a repeated message (a
  redelivery, or another console on the same PostgreSQL) is stored once and counted as repeated.
* **Reading:** :meth:`NearMissService.month` lists a month (in the plant's time zone) with filters; the
  monthly report and contractor performance count the table with :func:`near_miss_counts`.

Categories are codes (``models.records.NearMissCategory``); the views word them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from cockpit.people_names import FIELD_PREFIX, WORKER_SOURCE, people_names
from cockpit.sessions import SessionKeys, session_user
from connectors.database import Database
from models.audit import append_audit
from models.errors import UserError
from models.plant_clock import DEFAULT_ZONE
from models.records import NearMissCategory, NearMissReport
from models.schema import Area, Contractor, NearMiss, Permit, Site

if TYPE_CHECKING:
    from cockpit.core import CockpitCore

log = logging.getLogger(__name__)

OPERATOR, FIELD = "operator", "field"
DESCRIPTION_MAX = 2000
FUTURE_SLACK = timedelta(minutes=5)  # a clock a little ahead is not a near miss in the future
CATEGORIES = tuple(c.value for c in NearMissCategory)


class NearMissProblem(StrEnum):
    BAD_CATEGORY = "bad_category"
    DESCRIPTION_NEEDED = "description_needed"
    IN_FUTURE = "in_future"
    UNKNOWN_SITE = "unknown_site"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_PERMIT = "unknown_permit"
    BAD_MONTH = "bad_month"


MESSAGES: dict[NearMissProblem, str] = {
    NearMissProblem.BAD_CATEGORY: "{value!r} is not a near-miss category",
    NearMissProblem.DESCRIPTION_NEEDED: "say what happened: the description must not be empty and at most "
    f"{DESCRIPTION_MAX} characters",
    NearMissProblem.IN_FUTURE: "the near miss cannot have happened after now",
    NearMissProblem.UNKNOWN_SITE: "there is no site {site}",
    NearMissProblem.UNKNOWN_AREA: "there is no area {area} in site {site}",
    NearMissProblem.UNKNOWN_PERMIT: "there is no permit {permit}",
    NearMissProblem.BAD_MONTH: "the month {value!r} is not YYYY-MM",
}


class NearMissError(UserError):
    """A refusal: a code with parameters; ``str()`` is the English sentence, views word the code."""

    def __init__(self, code: NearMissProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**params))


@dataclass(frozen=True)
class NearMissEntry:
    """What an operator records (the dialog's fields; from an alarm, site/area/permit/alarm prefilled)."""

    occurred_at: datetime
    site: str
    category: str
    description: str
    area: str | None = None
    permit: str | None = None
    alarm_id: str | None = None


@dataclass(frozen=True)
class NearMissView:
    """One near miss as the screen lists it."""

    id: int
    occurred_at: datetime
    recorded_at: datetime
    site: str
    area: str
    permit: str
    contractor: str
    category: str
    source: str
    alarm_id: str
    description: str
    recorded_by: str
    recorded_by_name: str = ""  # the person as people call them (the account's display name)
    contractor_name: str = ""
    alarm_worker_name: str = ""  # the register's name of the worker an alarm was about (a man-down)


def alarm_worker(alarm_id: str | None) -> str:
    """The worker an alarm id is about (``worker:W-1:MAN_DOWN`` -> ``W-1``), or ''."""
    source = (alarm_id or "").rpartition(":")[0]
    return source.removeprefix(WORKER_SOURCE) if source.startswith(WORKER_SOURCE) else ""


def month_bounds(month: str, zone: str) -> tuple[datetime, datetime]:
    """The month ``YYYY-MM`` in the plant's zone, as [start, end) instants."""
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime(year, number, 1)
    except (ValueError, TypeError):
        raise NearMissError(NearMissProblem.BAD_MONTH, value=month[:20]) from None
    after = datetime(year + number // 12, number % 12 + 1, 1)
    tz = ZoneInfo(zone)
    return start.replace(tzinfo=tz), after.replace(tzinfo=tz)


def _contractor(s: Session, permit_id: str | None) -> str | None:
    return (
        None if permit_id is None else s.scalar(select(Permit.contractor_code).where(Permit.id == permit_id))
    )


def _view(row: NearMiss, people: dict[str, str], contractors: dict[str, str]) -> NearMissView:
    return NearMissView(
        row.id,
        row.occurred_at,
        row.recorded_at,
        row.site_id,
        row.area_id or "",
        row.permit_id or "",
        row.contractor_id or "",
        row.category,
        row.source,
        row.alarm_id or "",
        row.description,
        row.recorded_by,
        people.get(row.recorded_by, ""),
        contractors.get(row.contractor_id or "", ""),
        people.get(alarm_worker(row.alarm_id), ""),
    )


class NearMissService:
    """Recording by a person (by session) and the month's list, for the screens."""

    def __init__(
        self,
        db: Database,
        keys: SessionKeys,
        *,
        clock: Callable[[], datetime] | None = None,
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self._db = db
        self._keys = keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self.zone = zone

    def record(self, session: object, entry: NearMissEntry) -> int:
        """Write one near miss and its audit entry in one transaction; its id back."""
        category, description = self._checked(entry)
        now = self._clock()
        if entry.occurred_at.tzinfo is None or entry.occurred_at > now + FUTURE_SLACK:
            raise NearMissError(NearMissProblem.IN_FUTURE)
        with self._db.session() as s:
            user = session_user(s, self._keys, session)
            self._known_place(s, entry)
            row = NearMiss(
                occurred_at=entry.occurred_at,
                recorded_at=now,
                site_id=entry.site,
                area_id=entry.area or None,
                permit_id=entry.permit or None,
                contractor_id=_contractor(s, entry.permit or None),
                category=category,
                source=OPERATOR,
                alarm_id=entry.alarm_id or None,
                description=description,
                recorded_by=user.username,
            )
            s.add(row)
            s.flush()
            detail = {
                "category": category,
                "site": row.site_id,
                "area": row.area_id,
                "permit": row.permit_id,
                "alarm": row.alarm_id,
                "occurred_at": entry.occurred_at.astimezone(UTC).isoformat(),
            }
            append_audit(
                s, actor=user.username, action="nearmiss.record", subject=str(row.id), details=detail, ts=now
            )
            return row.id

    def month(
        self, month: str, *, site: str = "", category: str = "", source: str = ""
    ) -> list[NearMissView]:
        """The month's near misses (plant time), newest first, narrowed by site, category and source."""
        start, end = month_bounds(month, self.zone)
        q = select(NearMiss).where(NearMiss.occurred_at >= start, NearMiss.occurred_at < end)
        if site:
            q = q.where(NearMiss.site_id == site)
        if category:
            q = q.where(NearMiss.category == category)
        if source:
            q = q.where(NearMiss.source == source)
        with self._db.session() as s:
            rows = list(s.scalars(q.order_by(NearMiss.occurred_at.desc(), NearMiss.id.desc())))
            users = {r.recorded_by for r in rows}
            codes = {r.contractor_id for r in rows if r.contractor_id}
            # accounts, field reports by the worker who sent them, and the workers alarms were about
            people = people_names(s, users | {alarm_worker(r.alarm_id) for r in rows})
            firms = {
                code: name
                for code, name in s.execute(
                    select(Contractor.code, Contractor.name).where(Contractor.code.in_(codes))
                )
            }
            return [_view(r, people, firms) for r in rows]

    @staticmethod
    def _checked(entry: NearMissEntry) -> tuple[str, str]:
        if entry.category not in CATEGORIES:
            raise NearMissError(NearMissProblem.BAD_CATEGORY, value=str(entry.category)[:40])
        description = " ".join(entry.description.split())
        if not description or len(description) > DESCRIPTION_MAX:
            raise NearMissError(NearMissProblem.DESCRIPTION_NEEDED)
        return entry.category, description

    @staticmethod
    def _known_place(s: Session, entry: NearMissEntry) -> None:
        if s.get(Site, entry.site) is None:
            raise NearMissError(NearMissProblem.UNKNOWN_SITE, site=entry.site[:64])
        if entry.area and s.get(Area, (entry.site, entry.area)) is None:
            raise NearMissError(NearMissProblem.UNKNOWN_AREA, site=entry.site, area=entry.area[:64])
        if entry.permit and s.get(Permit, entry.permit) is None:
            raise NearMissError(NearMissProblem.UNKNOWN_PERMIT, permit=entry.permit[:64])


def near_miss_counts(s: Session, start: datetime, end: datetime, by: str = "category") -> dict[str, int]:
    """Near misses that occurred in ``[start, end)``, counted by ``category``, ``contractor`` (those
    without a contractor left out), ``source`` or ``site``: what the monthly report and contractor
    performance show, counted by the database."""
    column = {
        "category": NearMiss.category,
        "contractor": NearMiss.contractor_id,
        "source": NearMiss.source,
        "site": NearMiss.site_id,
    }[by]
    query = (
        select(column, func.count())
        .where(NearMiss.occurred_at >= start, NearMiss.occurred_at < end, column.is_not(None))
        .group_by(column)
    )
    return {str(key): int(n) for key, n in s.execute(query)}


class NearMissIntake:
    """The field's near-miss reports into the database, on the core's database worker; never raises."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.counts = {"stored": 0, "repeated": 0, "failed": 0}

    def routes(self) -> dict[type, Callable[[Any], None]]:
        return {NearMissReport: self.on_report}

    def on_report(self, msg: NearMissReport) -> None:
        try:
            with self.db.session() as s:
                s.add(self._row(s, msg))
            self.counts["stored"] += 1
            return
        except IntegrityError:
            if self._known(msg.message_id):
                self.counts["repeated"] += 1  # a redelivery, or another console stored it first
                return
        except SQLAlchemyError:
            pass
        self.counts["failed"] += 1
        log.error("near miss %s could not be stored", msg.message_id[:128])

    def _row(self, s: Session, msg: NearMissReport) -> NearMiss:
        return NearMiss(
            occurred_at=msg.occurred_at,
            recorded_at=self.clock(),
            site_id=msg.site,
            area_id=msg.area,
            permit_id=msg.permit,
            contractor_id=_contractor(s, msg.permit),
            category=msg.category.value,
            source=FIELD,
            alarm_id=None,
            description=msg.description,
            recorded_by=f"{FIELD_PREFIX}{msg.reporter}"[:64],
            message_id=msg.message_id,
        )

    def _known(self, message_id: str) -> bool:
        with self.db.session() as s:
            return s.scalar(select(NearMiss.id).where(NearMiss.message_id == message_id)) is not None


def near_miss_intake(core: CockpitCore) -> NearMissIntake:
    return NearMissIntake(core.db, clock=core.clock)
