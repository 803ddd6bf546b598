"""The handover's stop/resume commands of the shift, and those issued for each priority-1 alarm."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from cockpit.report.journal import site_filter
from cockpit.report.records import AckLine, AlarmAction, CommandLine, CriticalAlarm
from models.schema import Command, CommandAckRow


def _acks_for(session: Session, command_ids: Any) -> dict[str, list[AckLine]]:
    acks: dict[str, list[AckLine]] = defaultdict(list)
    for cid, ts, status, by, detail in session.execute(
        select(
            CommandAckRow.command_id,
            CommandAckRow.ts,
            CommandAckRow.status,
            CommandAckRow.by,
            CommandAckRow.detail,
        )
        .where(CommandAckRow.command_id.in_(command_ids))
        .order_by(CommandAckRow.ts, CommandAckRow.id)
    ):
        acks[cid].append(AckLine(ts, status, by, detail))
    return acks


def _command_line(c: Command, acks: dict[str, list[AckLine]]) -> CommandLine:
    return CommandLine(
        command_id=c.command_id,
        kind=str(c.kind),
        site=c.site_id,
        area=c.area_id,
        issued_at=c.issued_at,
        issued_by=c.issued_by,
        auto=bool(c.auto),
        reason=c.reason,
        alarm_id=c.alarm_id,
        state=str(c.state),
        permits=tuple(str(p) for p in (c.permits or ())),
        acks=tuple(acks.get(c.command_id, ())),
    )


def command_lines(
    session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[CommandLine, ...]:
    where = and_(Command.issued_at >= start, Command.issued_at < end, site_filter(Command.site_id, site))
    rows = session.scalars(select(Command).where(where).order_by(Command.issued_at)).all()
    acks = _acks_for(session, select(Command.command_id).where(where))
    return tuple(_command_line(c, acks) for c in rows)


def attach_commands(
    critical: tuple[CriticalAlarm, ...], session: Session, start: datetime, end: datetime, site: str | None
) -> tuple[CriticalAlarm, ...]:
    """Add to each priority-1 alarm the stop/resume commands issued for it, with their acknowledgements."""
    if not critical:
        return critical
    alarm_ids = sorted({c.alarm_id for c in critical})
    by_alarm: dict[str, list[CommandLine]] = defaultdict(list)
    for i in range(0, len(alarm_ids), 500):
        chunk = alarm_ids[i : i + 500]
        where = and_(Command.alarm_id.in_(chunk), Command.issued_at < end)
        rows = session.scalars(select(Command).where(where).order_by(Command.issued_at)).all()
        acks = _acks_for(session, select(Command.command_id).where(where))
        for c in rows:
            by_alarm[c.alarm_id or ""].append(_command_line(c, acks))
    out = []
    for alarm in critical:
        actions = list(alarm.actions)
        for cmd in by_alarm.get(alarm.alarm_id, ()):
            if cmd.issued_at < alarm.ts - timedelta(minutes=1):
                continue
            who = "auto" if cmd.auto else cmd.issued_by
            actions.append(AlarmAction(cmd.issued_at, cmd.kind, who, cmd.command_id[:8]))
            actions.extend(AlarmAction(a.ts, f"{cmd.kind}_{a.status}", a.by, a.detail) for a in cmd.acks)
        actions.sort(key=lambda a: a.ts)
        out.append(replace(alarm, actions=tuple(actions)))
    return tuple(out)
