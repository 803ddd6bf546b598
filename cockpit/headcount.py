"""The incident commander's headcount of an area (issue 17): who is inside, with what the register says.

Who is inside, and since when, comes from the core (``CoreState.inside``, the field gate's allows,
entries and exits, kept across a restart: cockpit/gate_presence.py). This service adds what the
register knows of each person, read in one short session: the contractor (name and code), the trade,
the phone. It is a read of people's details, so the role that counts is the one stored for the user
now (never a role the screen states): incident commander, shift lead, safety manager, administrator.
A person inside whom the register lacks (an entry by a badge nobody registered) is listed by the id
the gate read, never left out: the count is what the commander relies on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from cockpit.core_state import InsideEntry
from cockpit.roles import PermissionRefused
from connectors.database import Database
from models.plant_clock import DEFAULT_ZONE, format_time
from models.records import Role
from models.schema import Contractor, User, Worker

HEADCOUNT_ROLES = frozenset({Role.INCIDENT_COMMANDER, Role.SHIFT_LEAD, Role.SAFETY_MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class HeadcountRow:
    worker: str
    name: str
    contractor: str  # the contractor's name ("" for the plant's own staff)
    contractor_code: str
    trade: str
    phone: str
    since: datetime
    registered: bool = True  # False: the register has no such worker (listed by the gate's id)


def may_see_headcount(role: Role) -> bool:
    return role in HEADCOUNT_ROLES


class HeadcountReads:
    """Reads for the headcount screen; each call opens its own session (run off the GUI thread)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def people(self, username: str, inside: Sequence[InsideEntry]) -> list[HeadcountRow]:
        """The people ``inside`` with their register details, in the order given (by name)."""
        with self._db.session() as s:
            user = s.get(User, username)
            if user is None or not user.active or not may_see_headcount(Role(user.role)):
                raise PermissionRefused(
                    f"{username} may not see the headcount; allowed: "
                    + ", ".join(sorted(r.value for r in HEADCOUNT_ROLES))
                )
            ids = [p.worker for p in inside]
            found = {
                w.id: (w, c)
                for w, c in s.execute(
                    select(Worker, Contractor)
                    .outerjoin(Contractor, Contractor.code == Worker.contractor_code)
                    .where(Worker.id.in_(ids))
                )
            }
            rows = []
            for p in inside:
                worker, contractor = found.get(p.worker, (None, None))
                if worker is None:
                    rows.append(HeadcountRow(p.worker, p.name, "", "", "", "", p.since, registered=False))
                    continue
                rows.append(
                    HeadcountRow(
                        worker=p.worker,
                        name=worker.name,
                        contractor=contractor.name if contractor is not None else "",
                        contractor_code=worker.contractor_code or "",
                        trade=worker.trade or "",
                        phone=worker.phone or "",
                        since=p.since,
                    )
                )
            return rows


def headcount_csv(rows: Sequence[HeadcountRow], headers: Sequence[str], zone: str = DEFAULT_ZONE) -> str:
    """The list as CSV (UTF-8 with a BOM when written, so a spreadsheet in China opens it right):
    the screen's column headings, times in the plant's zone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        contractor = f"{r.contractor} ({r.contractor_code})" if r.contractor_code else ""
        writer.writerow([r.name, r.worker, contractor, r.trade, r.phone, format_time(r.since, zone)])
    return out.getvalue()
