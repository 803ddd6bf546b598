"""The records the core writes through its outbox (cockpit/outbox.py): a stop-work, an audit entry.

Each record is plain JSON (times as ISO strings with their offset), so it can wait in the outbox file,
and each writer runs inside one transaction and is idempotent: on a replay it looks for its key first.

* ``stop``: the command row (unless this console's claim already wrote it), the ``stop_work.issued``
  audit entry and each permit the command suspended, moved through ``apply_transition`` (status,
  event row, audit entry). Its key is the ``stop_work.issued`` entry of its command id: whichever
  console writes it first, the stop is on record once.
* ``audit``: one audit entry, with a field acknowledgement's row and a command's new state when it
  carries them. Its key is the entry's action, subject, actor and time.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cockpit.permits.transitions import apply_transition
from connectors.bounded_insert import Lost, Taken, bounded_insert
from connectors.database import Database
from models.audit import append_audit, lock_chain
from models.records import PermitStatus
from models.schema import AuditEntry, Command, CommandAckRow, CommandKind, CommandState, Permit

log = logging.getLogger(__name__)

STOP = "stop"
AUDIT = "audit"
# How long a stop waits for its claim. A claim takes about a millisecond; a server that hangs (stopped,
# its disk stalled) answers never, and its kernel still acknowledges what is sent, so no socket timeout
# fires: a psycopg2 query waited more than 40 s on a frozen link (DEVELOPERS.md). The claim is one
# statement, not the ORM's unit of work (0.31 against 0.54 ms on SQLite).
CLAIM_WAIT_S = 0.5


def iso(ts: datetime) -> str:
    return ts.isoformat()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def stop_record(
    *,
    command_id: str,
    site: str,
    area: str,
    permits: list[str],
    reason: str,
    alarm_id: str | None,
    issued_by: str,
    auto: bool,
    ts: datetime,
    claimed: bool,
    console: str,
    fence: int | None = None,
) -> dict[str, Any]:
    """A stop's record; ``fence`` is the duty lease's token of an automatic stop (cockpit/duty_lease.py):
    a holder that lost the lease and wrote late is recognisable by a token older than the next stop's."""
    return {
        "command_id": command_id,
        "site": site,
        "area": area,
        "permits": list(permits),
        "reason": reason,
        "alarm_id": alarm_id,
        "issued_by": issued_by,
        "auto": auto,
        "ts": iso(ts),
        "claimed": claimed,
        "console": console,
        "fence": fence,
    }


def command_values(b: dict[str, Any]) -> dict[str, Any]:
    """The stop's row in ``commands`` (the claim on its cause), as column values."""
    return {
        "command_id": b["command_id"],
        "kind": CommandKind.STOP,
        "site_id": b["site"],
        "area_id": b["area"],
        "permits": list(b["permits"]),
        "reason": b["reason"],
        "alarm_id": b["alarm_id"],
        "issued_by": b["issued_by"],
        "auto": b["auto"],
        "issued_at": when(b["ts"]),
        "state": CommandState.SENT,
    }


def command_row(b: dict[str, Any]) -> Command:
    return Command(**command_values(b))


class StopClaims:
    """The claim on a stop's cause (its row in ``commands``), made on the calling thread (the core's
    cycle) and answered within ``wait_s`` whatever the database does (``connectors/bounded_insert.py``):
    a hung database never holds a stop back, and no thread hand-over delays one (issue 20).

    ``claim`` answers True (claimed), None (another console holds the cause) or False (no answer in
    time, or the database is unreachable: the stop goes out anyway and its record settles it). While
    a claim that timed out still hangs, the next ones do not wait behind it: they answer False."""

    def __init__(self, db: Database, wait_s: float = CLAIM_WAIT_S) -> None:
        self.db = db
        self.wait_s = wait_s
        self._rows = bounded_insert(db, Command, wait_s)

    def claim(self, body: dict[str, Any]) -> bool | None:
        deadline = time.monotonic() + self.wait_s
        rows = self._rows
        if rows.hanging():
            log.error(
                "stop-work %s: the database has not answered an earlier claim; sending it anyway",
                body["command_id"],
            )
            return False
        values = command_values(body)
        for attempt in (1, 2):
            try:
                if rows.insert(values, deadline):
                    return True
                log.error(
                    "stop-work %s: no answer to its claim from the database within %.1f s; sending it anyway",
                    body["command_id"],
                    self.wait_s,
                )
                return False
            except Taken:
                # Taken by another console; but on the second attempt the first may have been written
                # before its connection died: in doubt the stop goes out (its record settles it).
                return None if attempt == 1 else False
            except Lost as lost:
                rows.drop()
                if attempt == 1 and lost.kept:
                    continue  # the server closed the kept connection (a restart): once more, on a new one
                log.error(
                    "stop-work %s could not be claimed in the database (%s); sending it anyway",
                    body["command_id"],
                    lost.reason,
                )
                return False
        return False  # not reached: the second attempt returns

    def close(self) -> None:
        """Closes the claim's connection (a later claim opens one again)."""
        self._rows.drop()


def _stop_on_record(session: Session, b: dict[str, Any]) -> bool:
    needle = f'"command_id":"{b["command_id"]}"'  # the details are canonical JSON (models.audit)
    found = session.scalar(
        select(AuditEntry.seq)
        .where(
            AuditEntry.action == "stop_work.issued",
            AuditEntry.subject == f"{b['site']}/{b['area']}",
            AuditEntry.details.contains(needle, autoescape=True),
        )
        .limit(1)
    )
    return found is not None


def write_stop(session: Session, b: dict[str, Any], replay: bool) -> None:
    """The command row, its audit entry and the permits it suspended, in the caller's transaction."""
    lock_chain(session)  # first: two consoles replaying the same cause find each other's entry
    if (replay or not b["claimed"]) and _stop_on_record(session, b):
        return
    if session.get(Command, b["command_id"]) is None:
        try:
            with session.begin_nested():  # a claim that outwaited its stop may commit the row meanwhile
                session.add(command_row(b))
        except IntegrityError:
            pass
    ts = when(b["ts"])
    append_audit(
        session,
        actor=b["issued_by"],
        action="stop_work.issued",
        subject=f"{b['site']}/{b['area']}",
        details={
            "command_id": b["command_id"],
            "reason": b["reason"],
            "alarm_id": b["alarm_id"],
            "auto": b["auto"],
            "permits": b["permits"],
            "console": b["console"],
            **({"fence": b["fence"]} if b.get("fence") is not None else {}),
        },
        ts=ts,
    )
    for permit in session.scalars(select(Permit).where(Permit.id.in_(b["permits"])).order_by(Permit.id)):
        if permit.status != PermitStatus.ACTIVE:
            continue  # closed, or suspended already, meanwhile
        apply_transition(
            session,
            permit,
            PermitStatus.SUSPENDED,
            by=b["issued_by"],
            ts=ts,
            event_type="suspended",
            detail={"command_id": b["command_id"], "reason": b["reason"]},
            audit_action="permit.suspended",
        )


def audit_record(
    *,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
    ts: datetime,
    command_state: tuple[str, str] | None = None,
    ack: dict[str, Any] | None = None,
    once: bool = False,
) -> dict[str, Any]:
    """``once``: several instances write the same entry (same action, subject, actor, time); the
    writer looks for it first under the chain's lock, as a replay does, and keeps one."""
    return {
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "ts": iso(ts),
        "command_state": list(command_state) if command_state else None,
        "ack": ack,
        **({"once": True} if once else {}),
    }


def write_audit(session: Session, b: dict[str, Any], replay: bool) -> None:
    ts = when(b["ts"])
    if replay or b.get("once"):  # once: every instance writes it (a gate's entry, exit), one is kept
        lock_chain(session)
        found = session.scalar(
            select(AuditEntry.seq)
            .where(
                AuditEntry.action == b["action"],
                AuditEntry.subject == b["subject"],
                AuditEntry.actor == b["actor"],
                AuditEntry.ts == ts,
            )
            .limit(1)
        )
        if found is not None:
            return
    ack = b.get("ack")
    if ack:
        session.add(
            CommandAckRow(
                command_id=ack["command_id"],
                ts=when(ack["ts"]),
                status=ack["status"],
                by=ack["by"],
                detail=ack["detail"],
                received_at=when(ack["received_at"]),
            )
        )
    if b.get("command_state"):
        command_id, state = b["command_state"]
        row = session.get(Command, command_id)
        if row is not None:
            row.state = CommandState(state)
    append_audit(
        session, actor=b["actor"], action=b["action"], subject=b["subject"], details=b["details"], ts=ts
    )


def write_resume(
    session: Session,
    *,
    command_id: str,
    site: str,
    area: str,
    permits: list[str],
    reason: str,
    alarm_id: str | None,
    issued_by: str,
    ts: datetime,
    ends: str | None,
    console: str,
) -> None:
    """A resume is recorded before it goes out (never through the outbox): the command, its audit entry,
    and each permit active again (``apply_transition``), in the caller's transaction."""
    session.add(
        Command(
            command_id=command_id,
            kind=CommandKind.RESUME,
            site_id=site,
            area_id=area,
            permits=permits,
            reason=reason,
            alarm_id=alarm_id,
            issued_by=issued_by,
            auto=False,
            issued_at=ts,
            ends=ends,
            state=CommandState.SENT,
        )
    )
    append_audit(
        session,
        actor=issued_by,
        action="resume_work.issued",
        subject=f"{site}/{area}",
        details={
            "command_id": command_id,
            "ends": ends,
            "reason": reason,
            "permits": permits,
            "console": console,
        },
        ts=ts,
    )
    for permit in session.scalars(select(Permit).where(Permit.id.in_(permits))):
        apply_transition(
            session,
            permit,
            PermitStatus.ACTIVE,
            by=issued_by,
            ts=ts,
            event_type="resumed",
            detail={"command_id": command_id, "reason": reason},
            audit_action="permit.resumed",
        )


WRITERS = {STOP: write_stop, AUDIT: write_audit}
