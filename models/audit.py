"""The append-only, hash-chained audit trail: who did what, when and why, in a form that shows edits.

Each entry's hash covers the previous entry's hash and its own canonical content (seq, time, actor,
action, subject, details), so changing, deleting or reordering any row breaks the chain from that row
on, and ``verify_chain`` names the first broken entry. Removing the newest rows cannot be seen from the
table alone: keep the head hash somewhere else (the shift handover prints it) to catch that too.

``append_audit`` runs inside the caller's transaction, so an action and its audit entry commit or fail
together. Two consoles writing at once never fork the chain: on PostgreSQL a transaction-level advisory
lock serialises writers; on SQLite a no-op write takes the database's single write lock before the head
is read; and ``seq`` is the primary key, so a duplicate could never commit anyway.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.schema import AuditEntry

GENESIS_HASH = "0" * 64
# Arbitrary constant key of the PostgreSQL advisory lock that guards the audit chain.
_PG_LOCK_KEY = 0x4155_4449_54  # "AUDIT"
HEAD_KEY = "audit_head"  # Session.info key: (seq, hash) of the last entry this transaction appended


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} in audit details")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"audit details cannot hold a {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """One byte-exact JSON form for a value: sorted keys, no spaces, UTF-8 text kept readable."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def _ts_iso(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str, *, seq: int, ts: datetime, actor: str, action: str, subject: str, details: Any
) -> str:
    """sha256 over the previous hash and the canonical JSON of this entry's content."""
    content = canonical_json(
        {
            "seq": seq,
            "ts": _ts_iso(ts),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": details,
        }
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def lock_chain(session: Session) -> None:
    """Serialise writers of the chain until the transaction ends (called by ``append_audit``; a writer
    that looks for an entry before appending calls it first, so two writers cannot both miss it)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        # A write statement (touching no row) takes SQLite's write lock now, before the head is read.
        session.execute(text("UPDATE audit_log SET seq = seq WHERE 1 = 0"))


def append_audit(
    session: Session, *, actor: str, action: str, subject: str, details: Mapping[str, Any], ts: datetime
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction and return it (flushed)."""
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError("audit timestamps must be timezone-aware")
    ts = ts.astimezone(UTC)
    details_obj = json.loads(canonical_json(dict(details)))  # normalised: what verify will read back
    lock_chain(session)
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (1, GENESIS_HASH) if last is None else (last.seq + 1, last.hash)
    entry = AuditEntry(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        subject=subject,
        details=canonical_json(details_obj),
        prev_hash=prev_hash,
        hash=entry_hash(
            prev_hash, seq=seq, ts=ts, actor=actor, action=action, subject=subject, details=details_obj
        ),
    )
    session.add(entry)
    session.flush()
    session.info[HEAD_KEY] = (seq, entry.hash)  # for whoever keeps the head outside (after commit)
    return entry


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None
    reason: str
    head_hash: str


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain and report the first entry that was edited, removed or moved.

    ``entries`` counts the rows in the table and ``head_hash`` is the newest row's hash, broken or not.
    """
    total = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    head = chain_head(session)
    prev_seq = 0
    prev_hash = GENESIS_HASH
    count = 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000))
    for row in rows.scalars():
        count += 1
        if row.seq != prev_seq + 1:
            missing = prev_seq + 1
            reason = f"audit entry {missing} is missing (sequence jumps from {prev_seq} to {row.seq})"
            return ChainReport(False, total, missing, reason, head)
        if row.prev_hash != prev_hash:
            reason = (
                f"audit entry {row.seq} does not follow entry {prev_seq}: "
                "an entry was removed, replaced or reordered"
            )
            return ChainReport(False, total, row.seq, reason, head)
        try:
            details = json.loads(row.details)
        except ValueError:
            return ChainReport(False, total, row.seq, f"audit entry {row.seq} has unreadable details", head)
        expected = entry_hash(
            prev_hash,
            seq=row.seq,
            ts=row.ts,
            actor=row.actor,
            action=row.action,
            subject=row.subject,
            details=details,
        )
        if expected != row.hash or canonical_json(details) != row.details:
            reason = f"audit entry {row.seq} was changed after it was written"
            return ChainReport(False, total, row.seq, reason, head)
        prev_seq, prev_hash = row.seq, row.hash
    if count != total:  # rows were added while we walked: report what was verified
        return ChainReport(True, count, None, f"{count} audit entries verified, chain intact", prev_hash)
    return ChainReport(True, total, None, f"{total} audit entries, chain intact", head)


def chain_head(session: Session) -> str:
    """Hash of the newest entry (the genesis hash for an empty log): print it to anchor the chain."""
    head = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    return head if head is not None else GENESIS_HASH


def verify_against_head(session: Session, head_hash: str, head_seq: int | None = None) -> ChainReport:
    """``verify_chain``, and the head kept outside the database (a file, the broker) found in the chain.

    Deleting the newest rows leaves a chain that verifies; the head remembered elsewhere is then missing
    from it. A head older than the table's newest entry is fine (entries were added since it was kept).
    """
    report = verify_chain(session)
    if not report.ok or head_hash == GENESIS_HASH:
        return report
    found = session.execute(select(AuditEntry.seq).where(AuditEntry.hash == head_hash)).scalar()
    newest = session.execute(select(func.max(AuditEntry.seq))).scalar() or 0
    short = f"{head_hash[:16]}…"
    if found is None:
        if head_seq is not None and head_seq > newest:
            reason = (
                f"the audit log ends at entry {newest}, but the head kept outside the database is entry "
                f"{head_seq} ({short}): the newest {head_seq - newest} entries were removed"
            )
        else:
            reason = (
                f"the head {short} kept outside the database is not in the audit log (it ends at entry "
                f"{newest}): its newest entries were removed, or this is another database"
            )
        return ChainReport(False, report.entries, newest + 1, reason, report.head_hash)
    if head_seq is not None and found != head_seq:
        reason = f"the head {short} kept outside the database was entry {head_seq}, the log has it at {found}"
        return ChainReport(False, report.entries, min(found, head_seq), reason, report.head_hash)
    return ChainReport(
        True,
        report.entries,
        None,
        f"{report.reason}; the kept head {short} is entry {found}",
        report.head_hash,
    )
