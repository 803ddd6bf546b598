"""The stop-work loop: alarm → stop command → permits suspended → field acknowledgement → resume.

Runs on the core thread. A stop goes on the wire first (stopping is the safe direction
and must not wait on anything); its record, the suspended permits and the audit
entries follow in one transaction. Consoles sharing a broker and a database send one
command per area and cause: the command id is derived from the cause, and the row
in ``commands`` is the claim — the console whose insert succeeds publishes it.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from cockpit.db_records import AUDIT, STOP, StopClaims, audit_record, iso, stop_record, when
from cockpit.sessions import VerifiedActor, acting
from cockpit.wire import command_body, dumps, permit_state_body, work_state_message
from connectors.database import Database
from connectors.topics import Topics
from models.records import AckStatus, CommandAck, PermitStatus
from models.schema import Command, CommandKind, CommandState

if TYPE_CHECKING:
    from cockpit.core_state import PermitInfo

log = logging.getLogger(__name__)

CAUSE_NAMESPACE = uuid.UUID("5b0c2a6e-6f1c-4f7e-9a51-0d1b7c3e2a10")
_CAUSE_PREFIX = CAUSE_NAMESPACE.bytes


class ResumeRefused(Exception):
    """Resume is not allowed now; ``reasons`` says why, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons

    def __reduce__(self) -> tuple[type[ResumeRefused], tuple[list[str]]]:
        return (ResumeRefused, (self.reasons,))  # crosses to the GUI's process with its reasons intact


@dataclass
class CommandView:
    """A command and its delivery as the screens show it."""

    command_id: str
    kind: str  # stop | resume
    site: str
    area: str
    permits: list[str]
    reason: str
    alarm_id: str | None
    issued_by: str
    auto: bool
    issued_at: datetime
    ends: str | None = None
    state: str = CommandState.SENT.value
    acks: list[tuple[str, str, datetime]] = field(default_factory=list)  # (status, by, ts)
    published: bool = False
    recorded: bool = True
    deadline: datetime | None = None

    def copy(self) -> CommandView:
        """A copy another thread may keep: the lists are the service's own and change."""
        return replace(self, acks=list(self.acks), permits=list(self.permits))

    def shown(self) -> tuple[object, ...]:
        """Every field, the lists as tuples: the read model copies a command again only when this changed."""
        return (
            self.command_id,
            self.kind,
            self.site,
            self.area,
            tuple(self.permits),
            self.reason,
            self.alarm_id,
            self.issued_by,
            self.auto,
            self.issued_at,
            self.ends,
            self.state,
            tuple(self.acks),
            self.published,
            self.recorded,
            self.deadline,
        )


@dataclass(frozen=True)
class WorkState:
    state: str  # stopped | normal
    command_id: str
    reason: str
    ts: datetime


Publish = Callable[[str, bytes, int, bool], object]


def cause_command_id(kind: str, site: str, area: str, cause: str) -> str:
    """The same cause gives the same id on every console: ``uuid.uuid5(CAUSE_NAMESPACE, ...)``, every
    bit of it (RFC 4122 §4.3), made without the ``UUID`` object: 3.3 us instead of 7.4 on an
    automatic stop's path."""
    digest = bytearray(hashlib.sha1(_CAUSE_PREFIX + f"{kind}|{site}|{area}|{cause}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _log_stop(view: CommandView, waits: bool) -> None:
    log.warning(
        "STOP WORK %s/%s: %s (command %s, %d permits, by %s%s%s)",
        view.site,
        view.area,
        view.reason,
        view.command_id,
        len(view.permits),
        view.issued_by,
        ", automatic" if view.auto else "",
        "; the database is unreachable: its record waits in the outbox" if waits else "",
    )


class StopWorkService:
    def __init__(
        self,
        db: Database,
        publish: Publish,
        topics: Topics,
        *,
        console: str,
        ack_timeout: timedelta,
        record: Callable[[str, dict[str, Any]], object],
        area_permits: Callable[[str, str], list[PermitInfo]],
        on_changed: Callable[[CommandView], None] = lambda c: None,
        on_not_executed: Callable[[CommandView], None] = lambda c: None,
        on_executed: Callable[[CommandView], None] = lambda c: None,
        send_now: Callable[[], None] = lambda: None,
        settle: Callable[[], None] = lambda: None,
        db_down: Callable[[], bool] = lambda: False,
    ) -> None:
        self.db = db
        self.publish = publish
        self.topics = topics
        self.console = console
        self.ack_timeout = ack_timeout
        self.on_changed = on_changed
        self.on_not_executed = on_not_executed
        self.on_executed = on_executed
        self.send_now = send_now  # the link writes a command now, from this thread (MqttConnector.send_now)
        self.settle = settle  # the broker takes what was written, before this thread records it (CommandLane)
        # The core passes its outbox on the database worker: the record of a stop is off the stop path.
        self.record = record
        self.db_down = db_down  # records wait for the database: it is unreachable (or just back)
        self.area_permits = area_permits  # the core's permit cache: the area's active permits
        self.claims = StopClaims(db)  # the claim on a stop's cause, with a bounded wait
        self.commands: dict[str, CommandView] = {}
        self._copies: dict[str, tuple[tuple[object, ...], CommandView]] = {}  # recent_copies' last
        self.work_states: dict[tuple[str, str], WorkState] = {}
        self.unknown_acks = 0
        self.before_tick: Callable[[datetime], None] = lambda now: None  # the stop loop's catch-up

    # --- start-up -------------------------------------------------------------------------------------

    def load(self, since: datetime) -> None:
        """Commands of the recent past and each area's last stop/resume, from the database."""
        with self.db.session() as session:
            rows = session.scalars(
                select(Command).where(Command.issued_at >= since).order_by(Command.issued_at)
            )
            for row in rows:
                view = self._view(row)
                view.acks = [(a.status, a.by, a.ts) for a in row.acks]
                self.commands[row.command_id] = view
                state = "stopped" if row.kind == CommandKind.STOP else "normal"
                self.work_states[(row.site_id, row.area_id)] = WorkState(
                    state, row.command_id, row.reason, row.issued_at
                )

    @staticmethod
    def _view(row: Command) -> CommandView:
        return CommandView(
            command_id=row.command_id,
            kind=row.kind.value,
            site=row.site_id,
            area=row.area_id,
            permits=list(row.permits),
            reason=row.reason,
            alarm_id=row.alarm_id,
            issued_by=row.issued_by,
            auto=row.auto,
            issued_at=row.issued_at,
            ends=row.ends,
            state=row.state.value,
            published=True,
        )

    # --- stop -----------------------------------------------------------------------------------------

    def stop(
        self,
        site: str,
        area: str,
        *,
        actor: VerifiedActor,
        reason: str,
        now: datetime,
        alarm_id: str | None = None,
        cause: str | None = None,
        auto: bool = False,
        fence: int | None = None,
        send_first: bool = False,
    ) -> CommandView | None:
        """Stop work in an area. Returns None when this cause was already stopped (here or elsewhere).

        Three steps, shortest first: claim the cause (one small insert, so that a second console
        cannot send the same stop), publish, then record the rest (the permits suspended, the audit
        entries) on the database worker, through the outbox when the database is unreachable.
        The permits come from the core's permit cache, never from a database read: the command
        carries them however the database fares, and it is published once.

        ``send_first``: publish, then claim (the duty holder's automatic stop as its alarm is judged,
        ``StopLoop.on_transition``). Only the holder stops by itself, and another console's click on
        the same alarm comes long after this claim; should one have claimed the cause first, the
        field has the command twice with one ``command_id``, as during an outage, and the record
        settles it. The claim, a file or server write, no longer delays the stop (issue 20).
        """
        acting(actor, "stop_work")
        command_id = cause_command_id("stop", site, area, cause) if cause else str(uuid.uuid4())
        if command_id in self.commands:
            return None
        permits = self.area_permits(site, area)
        view = CommandView(
            command_id,
            "stop",
            site,
            area,
            [p.id for p in permits],
            reason,
            alarm_id,
            actor.username,
            auto,
            now,
            deadline=now + self.ack_timeout,
        )
        if send_first:
            self._send(view, permits)
            body = self._body(view, fence)
            claimed = self._claim(body)
            if claimed is None:
                log.warning(
                    "stop-work %s for %s/%s was claimed by another console too: both sent it, with "
                    "one command id; the record settles it",
                    command_id,
                    site,
                    area,
                )
        else:
            body = self._body(view, fence)
            claimed = self._claim(body)
            if claimed is None:
                log.info("stop-work for %s/%s (%s) already issued by another console", site, area, command_id)
                self.commands.setdefault(command_id, replace(view, published=True))
                return None
            self._send(view, permits)
        view.recorded = body["claimed"] = bool(claimed)
        self.record(STOP, body)
        self.on_changed(view)
        _log_stop(view, waits=claimed is False)
        return view

    def _body(self, view: CommandView, fence: int | None) -> dict[str, Any]:
        return stop_record(
            command_id=view.command_id,
            site=view.site,
            area=view.area,
            permits=view.permits,
            reason=view.reason,
            alarm_id=view.alarm_id,
            issued_by=view.issued_by,
            auto=view.auto,
            ts=view.issued_at,
            claimed=True,
            console=self.console,
            fence=fence,
        )

    def _claim(self, body: dict[str, Any]) -> bool | None:
        """The command's row, with a bounded wait; none while records wait (the database is away, or
        just back and behind)."""
        return False if self.db_down() else self.claims.claim(body)

    def _send(self, view: CommandView, permits: list[PermitInfo]) -> None:
        # Known before anything goes out: whatever happens next, this cause is never published again.
        self.commands[view.command_id] = view
        self.work_states[(view.site, view.area)] = WorkState(
            "stopped", view.command_id, view.reason, view.issued_at
        )
        self.publish_command(view, lambda: [self._permit_message(p, view) for p in permits])

    def adopt_pending(self, bodies: list[dict[str, Any]]) -> None:
        """At start: stops still waiting in the outbox (decided before a restart) are this console's."""
        for b in bodies:
            if b["command_id"] in self.commands:
                continue
            ts = when(b["ts"])
            view = CommandView(
                b["command_id"],
                "stop",
                b["site"],
                b["area"],
                list(b["permits"]),
                b["reason"],
                b["alarm_id"],
                b["issued_by"],
                b["auto"],
                ts,
                published=True,
                recorded=False,
                deadline=ts + self.ack_timeout,
            )
            self.commands[view.command_id] = view
            self.work_states[(view.site, view.area)] = WorkState("stopped", view.command_id, view.reason, ts)

    def _permit_message(self, p: PermitInfo, view: CommandView) -> tuple[str, bytes]:
        body = permit_state_body(
            ts=view.issued_at,
            type_=str(p.type),
            grade=p.grade,
            status=PermitStatus.SUSPENDED.value,
            valid_to=p.valid_to,
            by=view.issued_by,
        )
        return self.topics.permit_state(p.site, p.area, p.id), dumps(body)

    # --- the wire ---------------------------------------------------------------------------------------

    def publish_command(
        self,
        view: CommandView,
        permit_messages: Callable[[], list[tuple[str, bytes]]],
    ) -> None:
        """On the wire: the command, then the area's retained state, then the permits' states (built
        once the command is written)."""
        stopping = view.kind == "stop"
        topic = self.topics.stop_work if stopping else self.topics.resume_work
        body = command_body(
            command_id=view.command_id,
            ts=view.issued_at,
            permits=view.permits,
            reason=view.reason,
            alarm_id=view.alarm_id,
            issued_by=view.issued_by,
            auto=view.auto,
            ends=view.ends,
        )
        self.publish(topic(view.site, view.area), dumps(body), 1, False)
        self.send_now()  # the command in a write of its own: the states' publishes come after it
        state = "stopped" if stopping else "normal"
        self.publish(
            *work_state_message(
                self.topics,
                view.site,
                view.area,
                state=state,
                command_id=view.command_id,
                reason=view.reason,
                ts=view.issued_at,
            ),
            1,
            True,
        )
        for topic_, payload in permit_messages():
            self.publish(topic_, payload, 1, True)
        self.send_now()  # the states in one write, before this thread goes on to record the stop
        self.settle()  # and the broker forwards them before this thread's records take its core
        view.published = True

    # --- the field's answers --------------------------------------------------------------------------

    def command(self, command_id: str) -> CommandView | None:
        """A command of this plant: in memory, else from the shared database; None if none was sent."""
        return self.commands.get(command_id) or self._load_one(command_id)

    def on_ack(self, ack: CommandAck, now: datetime) -> CommandView | None:
        view = self.commands.get(ack.command_id)
        if view is None:
            view = self._load_one(ack.command_id)
        if view is None:
            self.unknown_acks += 1
            log.warning("acknowledgement for unknown command %s from %s", ack.command_id, ack.by)
            return None
        order = {"sent": 0, "received": 1, "executed": 2, "rejected": 2, "timeout": 1}
        new_state = view.state
        if order.get(ack.status.value, 0) >= order.get(view.state, 0) or view.state == "timeout":
            new_state = ack.status.value
        ack_row = {
            "command_id": ack.command_id,
            "ts": iso(ack.ts),
            "status": ack.status.value,
            "by": ack.by,
            "detail": ack.detail,
            "received_at": iso(now),
        }
        self.record(
            AUDIT,
            audit_record(
                actor=ack.by or "field",
                action=f"command.{ack.status.value}",
                subject=ack.command_id,
                details={"site": ack.site, "area": ack.area, "detail": ack.detail},
                ts=now,
                command_state=(ack.command_id, new_state),
                ack=ack_row,
            ),
        )
        # On the database worker, through the outbox: never a database wait on the core thread.
        view.acks.append((ack.status.value, ack.by, ack.ts))
        view.state = new_state
        if ack.status is AckStatus.EXECUTED:
            self.on_executed(view)
        self.on_changed(view)
        return view

    def _load_one(self, command_id: str) -> CommandView | None:
        if self.db_down():
            return None
        try:
            with self.db.session() as session:
                row = session.get(Command, command_id)
                if row is None:
                    return None
                view = self._view(row)
                view.deadline = row.issued_at + self.ack_timeout
        except SQLAlchemyError:
            return None
        self.commands[command_id] = view
        return view

    def on_remote_command(
        self, kind: str, site: str, area: str, body: dict[str, object], now: datetime
    ) -> None:
        """A command another console sent: show it here too (its row is in the shared database)."""
        command_id = str(body.get("command_id", ""))
        if not command_id or command_id in self.commands:
            return
        view = self._load_one(command_id)
        if view is None:
            ts = now
            permits = body.get("permits") or []
            view = CommandView(
                command_id,
                "stop" if kind == "stop-work" else "resume",
                site,
                area,
                [str(p) for p in permits] if isinstance(permits, list | tuple) else [],
                str(body.get("reason", "")),
                str(body.get("alarm_id") or "") or None,
                str(body.get("issued_by", "")),
                bool(body.get("auto", False)),
                ts,
                published=True,
                recorded=False,
            )
            self.commands[command_id] = view
        view.deadline = view.issued_at + self.ack_timeout
        self.on_changed(view)

    def on_work_state(self, site: str, area: str, body: dict[str, object], ts: datetime) -> None:
        state = str(body.get("state", ""))
        if state in ("stopped", "normal"):
            self.work_states[(site, area)] = WorkState(
                state, str(body.get("command_id", "")), str(body.get("reason", "")), ts
            )

    def tick(self, now: datetime) -> list[CommandView]:
        """Commands whose "executed" did not come in time (each reported once)."""
        self.before_tick(now)
        late = []
        for view in self.commands.values():
            if view.state in ("sent", "received") and view.deadline is not None and now >= view.deadline:
                view.state = "timeout"
                late.append(view)
                self.on_not_executed(view)
                self.on_changed(view)
                self.record(
                    AUDIT,
                    audit_record(
                        actor="cockpit",
                        action="command.timeout",
                        subject=view.command_id,
                        details={
                            "site": view.site,
                            "area": view.area,
                            "timeout_s": self.ack_timeout.total_seconds(),
                        },
                        ts=now,
                        command_state=(view.command_id, CommandState.TIMEOUT.value),
                    ),
                )
        return late

    def work_state(self, site: str, area: str) -> str:
        state = self.work_states.get((site, area))
        return state.state if state else "normal"

    def recent(self, limit: int = 200) -> list[CommandView]:
        return sorted(self.commands.values(), key=lambda c: c.issued_at, reverse=True)[:limit]

    def recent_copies(self, limit: int = 200) -> tuple[CommandView, ...]:
        """``recent`` as copies for the read model (every 250 ms), an unchanged command's copy reused:
        copying each anew took a fifth of the core's capture (DEVELOPERS.md, bench/alarm_latency)."""
        kept: dict[str, tuple[tuple[object, ...], CommandView]] = {}
        for view in self.recent(limit):
            shown = view.shown()
            last = self._copies.get(view.command_id)
            kept[view.command_id] = last if last is not None and last[0] == shown else (shown, view.copy())
        self._copies = kept
        return tuple(copy for _shown, copy in kept.values())
