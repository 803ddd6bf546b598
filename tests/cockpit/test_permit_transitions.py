"""apply_transition: the one way a permit moves, on a real SQLite file and a real PostgreSQL.

A refused move writes nothing; an allowed one writes the status, the event row and the audit entry,
and they stand or fall together with the caller's transaction.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cockpit.permits.transitions import PermitTransitionRefused, apply_transition
from connectors.database import Database
from models.audit import verify_chain
from models.errors import UserError
from models.records import PermitStatus, PermitType
from models.rules.permit_state import TransitionRefused
from models.schema import Area, AuditEntry, Permit, PermitEventRow, Site
from tests.support.fresh_db import open_fresh

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=20)


def _plant(db: Database) -> Database:
    """One site, one area and three permits: active, approved and closed."""
    with db.session() as s:
        s.add(Site(id="S1", name="Plant"))
        s.add(Area(site_id="S1", id="A1", name="Pump house"))
        s.flush()  # the permits' key to the area has no relationship to order the inserts by
        for pid, status in (
            ("P-ACT", PermitStatus.ACTIVE),
            ("P-APP", PermitStatus.APPROVED),
            ("P-CLO", PermitStatus.CLOSED),
        ):
            s.add(
                Permit(
                    id=pid,
                    type=PermitType.HOT_WORK,
                    status=status,
                    site_id="S1",
                    area_id="A1",
                    valid_from=NOW,
                    valid_to=NOW + timedelta(hours=4),
                    applicant="W1",
                    supervisor="W2",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'plant.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")  # skips visibly without a server, fails in CI
    database = _plant(open_fresh(url))
    yield database
    database.dispose()


def _counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        events = s.scalar(select(func.count()).select_from(PermitEventRow)) or 0
        audits = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return events, audits


def _status(db: Database, permit_id: str) -> tuple[PermitStatus, datetime, int]:
    with db.session() as s:
        permit = s.get(Permit, permit_id)
        assert permit is not None
        return permit.status, permit.updated_at, permit.version


def test_an_allowed_move_writes_status_event_row_and_audit_entry(db: Database) -> None:
    before = _counts(db)
    with db.session() as s:
        permit = s.get(Permit, "P-ACT")
        assert permit is not None
        old = apply_transition(
            s,
            permit,
            PermitStatus.SUSPENDED,
            by="lead.wang",
            ts=LATER,
            event_type="suspended",
            detail={"command_id": "C1", "reason": "LEL high"},
            audit_action="permit.suspended",
        )
    assert old is PermitStatus.ACTIVE
    assert _status(db, "P-ACT") == (PermitStatus.SUSPENDED, LATER, 2)  # the optimistic lock moved on
    assert _counts(db) == (before[0] + 1, before[1] + 1)
    with db.session() as s:
        event = s.scalars(select(PermitEventRow).where(PermitEventRow.permit_id == "P-ACT")).one()
        assert (event.type, event.by, event.ts, event.detail) == (
            "suspended",
            "lead.wang",
            LATER,
            {"command_id": "C1", "reason": "LEL high"},
        )
        audit = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert (audit.actor, audit.action, audit.subject) == ("lead.wang", "permit.suspended", "P-ACT")
        assert audit.details == '{"command_id":"C1","reason":"LEL high"}'  # the event's detail by default
        assert verify_chain(s).ok


def test_a_refused_move_writes_nothing(db: Database) -> None:
    before = _counts(db)
    with pytest.raises(PermitTransitionRefused) as caught, db.session() as s:
        permit = s.get(Permit, "P-ACT")
        assert permit is not None
        try:
            apply_transition(
                s,
                permit,
                PermitStatus.CANCELLED,
                by="lead.wang",
                ts=LATER,
                event_type="cancelled",
                detail={},
                audit_action="permit.cancelled",
            )
        finally:
            assert permit.status is PermitStatus.ACTIVE and not s.new and not s.dirty  # checked first
    assert "stop the work first" in str(caught.value)
    # A TransitionRefused (as the state machine's own) and a UserError (its one line on screen).
    assert isinstance(caught.value, TransitionRefused) and isinstance(caught.value, UserError)
    assert caught.value.finding.code == "state.active_to_cancelled"
    copy = pickle.loads(pickle.dumps(caught.value))  # crosses the field process's pipe whole
    assert str(copy) == str(caught.value) and copy.finding == caught.value.finding
    assert _counts(db) == before
    assert _status(db, "P-ACT") == (PermitStatus.ACTIVE, NOW, 1)


def test_a_final_permit_does_not_move(db: Database) -> None:
    with pytest.raises(PermitTransitionRefused, match="closed is final"), db.session() as s:
        permit = s.get(Permit, "P-CLO")
        assert permit is not None
        apply_transition(
            s,
            permit,
            PermitStatus.ACTIVE,
            by="x",
            ts=LATER,
            event_type="resumed",
            detail={},
            audit_action="a",
        )
    assert _status(db, "P-CLO")[0] is PermitStatus.CLOSED


def test_the_three_writes_fall_with_the_callers_transaction(db: Database) -> None:
    before = _counts(db)
    with pytest.raises(RuntimeError), db.session() as s:
        permit = s.get(Permit, "P-APP")
        assert permit is not None
        apply_transition(
            s,
            permit,
            PermitStatus.ACTIVE,
            by="field",
            ts=LATER,
            event_type="started",
            detail={},
            audit_action="permit_event.started",
            audit_details={"site": "S1", "area": "A1"},
        )
        raise RuntimeError("the rest of the action failed")
    assert _counts(db) == before and _status(db, "P-APP") == (PermitStatus.APPROVED, NOW, 1)


def test_no_target_records_the_event_and_leaves_the_status(db: Database) -> None:
    before = _counts(db)
    with db.session() as s:
        permit = s.get(Permit, "P-APP")
        assert permit is not None
        apply_transition(
            s,
            permit,
            None,
            by="field",
            ts=LATER,
            event_type="checkin",
            detail={"note": "ok"},
            audit_action="permit_event.checkin",
            audit_details={"site": "S1", "area": "A1", "note": "ok"},
        )
    assert _status(db, "P-APP") == (PermitStatus.APPROVED, NOW, 1)
    assert _counts(db) == (before[0] + 1, before[1] + 1)
    with db.session() as s:
        audit = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert audit.details == '{"area":"A1","note":"ok","site":"S1"}'
