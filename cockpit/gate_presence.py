"""Who is inside, kept across a restart and shared by every instance (issue 17).

The field gate's headcount lived only in the answering console's memory: a restart counted from the
next allow, and a ``serve`` taking the duties over started at nobody. Now every movement is on record
in the audit trail, through the outbox the gate already used for its answers (cockpit/db_records.py):

* ``gate.allowed`` (the gate's answer, written by the duty holder) puts the worker inside;
* ``gate.entry`` (an ``entry`` worker event, allowed or not) puts him inside;
* ``gate.exit`` takes him out.

Each entry and exit is written by every instance that hears it, with the field's own time and the
area as actor: the outbox's replay key (action, subject, actor, time) keeps it on record once.

:func:`read_presence` folds those entries, oldest first, into who is inside each area now, since when
(the first movement in of his stay), and the allows still fresh enough for an entry to count as
allowed. The core loads it at start after the outbox has drained (``FieldGate.load``); an instance
that does not hold the duties reads what was written since every ``FOLLOW_S`` (the holder's allows
reach it only through the database: by ``seq``, so a follow costs the new rows, not a week's), and
the new holder once on taking the duties over. ``bench/headcount_load.py`` measures the start read.

A stay older than ``KEEP`` is forgotten: past the longest permit (work at height, 7 days) a badge
never read at the exit should not stand in the headcount for ever; the audit trail keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.schema import AuditEntry, Worker

ALLOWED = "gate.allowed"
ENTRY = "gate.entry"
EXIT = "gate.exit"
MOVES = (ALLOWED, ENTRY, EXIT)
KEEP = timedelta(days=8)
FOLLOW_S = 5.0  # a non-holder's re-read of the headcount (the holder's allows come only this way)

Area = tuple[str, str]


@dataclass
class Presence:
    """Area -> worker -> (name, since); (site, area, worker) -> when allowed; and how far the record
    was read: the newest audit ``seq`` and each person's newest movement time (a late write of an
    older movement, an outbox replay after an outage, never undoes a newer one)."""

    inside: dict[Area, dict[str, tuple[str, datetime]]] = field(default_factory=dict)
    allows: dict[tuple[str, str, str], datetime] = field(default_factory=dict)
    last_seq: int = 0
    latest: dict[tuple[str, str, str], datetime] = field(default_factory=dict)

    def copy(self) -> Presence:
        return Presence(
            {area: dict(people) for area, people in self.inside.items()},
            dict(self.allows),
            self.last_seq,
            dict(self.latest),
        )


def movement_actor(site: str, area: str) -> str:
    """The actor of an entry or exit: the area's gate as a whole (the event names no gate)."""
    return f"gate:{site}/{area}"


def fold(rows: Iterable[tuple[int, str, str, datetime, str]], into: Presence | None = None) -> Presence:
    """Pure: (seq, action, worker, ts, details JSON) into who is inside now, on top of ``into``."""
    out = into if into is not None else Presence()
    for seq, action, worker, ts, details in rows:
        out.last_seq = max(out.last_seq, seq)
        try:
            d = json.loads(details)
            area = (str(d["site"]), str(d["area"]))
        except (ValueError, KeyError, TypeError):
            continue
        key = (*area, worker)
        if key in out.latest and ts < out.latest[key]:
            continue  # older than what is known of him: written late
        out.latest[key] = ts
        people = out.inside.setdefault(area, {})
        if action == EXIT:
            people.pop(worker, None)
            out.allows.pop(key, None)
            continue
        if worker not in people:
            people[worker] = (worker, ts)
        if action == ALLOWED:
            out.allows[key] = ts
    out.inside = {area: people for area, people in out.inside.items() if people}
    return out


def read_presence(s: Session, now: datetime, since: Presence | None = None) -> Presence:
    """Who is inside each area by the journal of the last ``KEEP``, with the names on the register;
    with ``since`` (a presence read before), only what was written after it, on a copy of it."""
    query = select(AuditEntry.seq, AuditEntry.action, AuditEntry.subject, AuditEntry.ts, AuditEntry.details)
    if since is None:
        query = query.where(AuditEntry.action.in_(MOVES), AuditEntry.ts >= now - KEEP).order_by(
            AuditEntry.ts, AuditEntry.seq
        )
    else:
        query = query.where(AuditEntry.seq > since.last_seq, AuditEntry.action.in_(MOVES)).order_by(
            AuditEntry.seq
        )
    presence = fold(
        ((r[0], r[1], r[2], r[3], r[4]) for r in s.execute(query)), since.copy() if since else None
    )
    if since is None:  # the newest entry of any kind: the next read starts after it
        presence.last_seq = max(presence.last_seq, s.scalar(select(func.max(AuditEntry.seq))) or 0)
    unnamed = sorted(
        {w for people in presence.inside.values() for w, (name, _) in people.items() if name == w}
    )
    names: dict[str, str] = {}
    for start in range(0, len(unnamed), 500):
        chunk = unnamed[start : start + 500]
        names.update(
            (wid, name) for wid, name in s.execute(select(Worker.id, Worker.name).where(Worker.id.in_(chunk)))
        )
    for people in presence.inside.values():
        for worker, (_name, since_ts) in people.items():
            if worker in names:
                people[worker] = (names[worker], since_ts)
    return presence
