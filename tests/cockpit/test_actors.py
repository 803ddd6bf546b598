"""Authenticated actors (issue 19, part 2): a made-up actor is refused in every service that acts.

The drill: ``Actor("nobody", Role.SHIFT_LEAD)`` used to resume an area and be named in its audit. Here it
is refused for stop, resume, acknowledge, shelve (and the other alarm acts) by the core, for approve,
reject and review by the permit service, for a register change and a user change (every act of every
service: ``test_service_sessions.py``); a real login's
session is accepted; a user disabled after the login is refused at the next act; the core's own
automatic stop still goes out. SQLite and PostgreSQL for the services, a real broker for the core.
"""

from __future__ import annotations

import json
import pickle
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cockpit.alarm_acts import AlarmActs
from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.permit_service import PermitService
from cockpit.plant_register import PlantRegister
from cockpit.resume import Resumer
from cockpit.roles import Actor
from cockpit.sessions import (
    ROLE_CHANGED,
    SESSION_FORGED,
    SESSION_MISSING,
    UNVERIFIED,
    USER_INACTIVE,
    USER_UNKNOWN,
    LoginSession,
    SessionKeys,
    SessionRefused,
    VerifiedActor,
    core_identity,
    verify_session,
)
from cockpit.stopwork import StopWorkService
from cockpit.users import UserAdmin
from connectors.database import Database
from connectors.topics import Topics
from models.alarms import AlarmEngine, AlarmState
from models.limits import LimitResolver
from models.records import Role
from models.schema import AuditEntry, Command, User
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import PASSWORD, build_small_plant, password_hash
from tests.support.sessions import TEST_KEYS, login, signed
from tests.support.sessions import as_user as signed_as

NOBODY = Actor("nobody", Role.SHIFT_LEAD)  # the drill: a role stated by the caller


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    build_small_plant(database, datetime.now(UTC))
    with database.session() as s:
        s.add(User(username="boss", display_name="boss", role=Role.ADMIN, password_hash=password_hash()))
        s.commit()
    try:
        yield database
    finally:
        database.dispose()


def refused(code: str, fn, *args, **kwargs) -> SessionRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(SessionRefused) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def set_user(db: Database, username: str, **values: object) -> None:
    with db.session() as s:
        user = s.get(User, username)
        assert user is not None
        for name, value in values.items():
            setattr(user, name, value)
        s.commit()


def audit_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


# --- sessions ------------------------------------------------------------------------------------------


def test_a_real_login_is_verified_as_the_database_has_the_user(db: Database) -> None:
    session = login(db, "lead.wang")
    actor = verify_session(db, TEST_KEYS, session)
    assert isinstance(actor, VerifiedActor)
    assert (actor.username, actor.role) == ("lead.wang", Role.SHIFT_LEAD)
    assert actor.session_id == session.session_id


def test_made_up_altered_or_foreign_sessions_are_refused(db: Database) -> None:
    session = login(db, "op.li")
    refused(SESSION_MISSING, verify_session, db, TEST_KEYS, NOBODY)
    refused(SESSION_MISSING, verify_session, db, TEST_KEYS, core_identity())  # never accepted from outside
    refused(SESSION_FORGED, verify_session, db, TEST_KEYS, replace(session, role=Role.SHIFT_LEAD))
    refused(SESSION_FORGED, verify_session, db, TEST_KEYS, replace(session, username="lead.wang"))
    refused(SESSION_FORGED, verify_session, db, TEST_KEYS, LoginSession("nobody", Role.ADMIN, session_id="x"))
    refused(SESSION_FORGED, verify_session, db, SessionKeys(), session)  # another runtime's login


def test_a_user_disabled_demoted_or_removed_after_the_login_is_refused(db: Database) -> None:
    op, lead, ic = login(db, "op.li"), login(db, "lead.wang"), login(db, "ic.zhao")
    set_user(db, "op.li", active=False)
    set_user(db, "lead.wang", role=Role.OPERATOR, approval_level=None)
    with db.session() as s:
        s.delete(s.get(User, "ic.zhao"))
        s.commit()
    assert refused(USER_INACTIVE, verify_session, db, TEST_KEYS, op).params == {"user": "op.li"}
    refused(ROLE_CHANGED, verify_session, db, TEST_KEYS, lead)
    refused(USER_UNKNOWN, verify_session, db, TEST_KEYS, ic)


def test_only_the_core_mints_verified_actors() -> None:
    with pytest.raises(SessionRefused):
        VerifiedActor("nobody", Role.SHIFT_LEAD)
    with pytest.raises(TypeError):  # it does not cross a pipe: the session does, and is verified there
        pickle.dumps(core_identity())
    back = pickle.loads(pickle.dumps(SessionRefused(USER_INACTIVE, user="op.li")))
    assert (back.code, back.params, str(back)) == (
        USER_INACTIVE,
        {"user": "op.li"},
        "not carried out: the user op.li has been disabled",
    )


# --- the services that act refuse what the core did not verify -------------------------------------------


def test_stop_work_and_the_alarm_acts_refuse_an_unverified_actor(db: Database) -> None:
    sent: list[tuple[str, bytes]] = []
    stopwork = StopWorkService(
        db,
        lambda topic, payload, qos, retain: sent.append((topic, payload)),
        Topics("plant"),
        console="c1",
        ack_timeout=timedelta(seconds=60),
        record=lambda kind, body: None,
        area_permits=lambda site, area: [],
    )
    now = datetime.now(UTC)
    refused(UNVERIFIED, stopwork.stop, "S1", "A1", actor=NOBODY, reason="x", now=now)
    refused(UNVERIFIED, Resumer(stopwork).begin, "S1", "A1", actor=NOBODY, why="x", now=now)
    refused(UNVERIFIED, stopwork.stop, "S1", "A1", actor=signed("op.li"), reason="x", now=now)  # unchecked
    assert sent == [] and stopwork.commands == {}
    acts = AlarmActs(
        AlarmEngine(LimitResolver("cn")),
        Topics("plant"),
        console="c1",
        clock=lambda: now,
        emit=lambda transitions: None,
        publish=lambda topic, payload, qos, retain: sent.append((topic, payload)),
    )
    refused(UNVERIFIED, acts.acknowledge, NOBODY, ["a"], "")
    refused(UNVERIFIED, acts.shelve, NOBODY, "a", "r", 10)
    refused(UNVERIFIED, acts.unshelve, NOBODY, "a")
    refused(UNVERIFIED, acts.set_out_of_service, NOBODY, "a", "r", False)
    refused(UNVERIFIED, acts.clear_event, NOBODY, "a", "")
    assert sent == []


def test_permit_register_and_user_services_take_no_name_and_no_stated_role(db: Database) -> None:
    """The drill's ``Actor("nobody", …)`` and a bare user name, in the services outside the core (every
    act of every service, with forged, disabled and demoted sessions: ``test_service_sessions.py``)."""
    permits = PermitService(db, keys=TEST_KEYS, clock=lambda: datetime.now(UTC))
    register = PlantRegister(db, TEST_KEYS)
    users = UserAdmin(db, TEST_KEYS)
    before = audit_count(db)
    for who in (NOBODY, "lead.wang", Actor("boss", Role.ADMIN)):
        refused(SESSION_MISSING, permits.approve, "HW-1", who, PASSWORD)
        refused(SESSION_MISSING, permits.reject, "HW-1", who, "made up")
        refused(SESSION_MISSING, permits.review_green_channel, "HW-1", who, "made up")
        refused(SESSION_MISSING, register.save_site, who, "S9", "made up")
        refused(
            SESSION_MISSING, users.create, who, "eve", display_name="", role=Role.ADMIN, password=PASSWORD * 3
        )
    refused(USER_UNKNOWN, register.save_site, signed_as(db, "nobody"), "S9", "made up")
    assert audit_count(db) == before  # nothing written for any of them
    # A real login's change goes through, and the audit names the user as the database has them.
    register.save_site(login(db, "boss"), "S9", "九号厂区")
    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and (last.actor, last.subject) == ("boss", "S9")


# --- the core: the acts through its one gate, against a real broker -------------------------------------


def reading(lel: float, seq: int) -> bytes:
    rows = [
        {"ch": "LEL", "v": lel, "u": "%LEL"},
        {"ch": "O2", "v": 20.9, "u": "%VOL"},
        {"ch": "H2S", "v": 0.0, "u": "ppm"},
    ]
    return json.dumps({"ts": int(time.time() * 1000), "seq": seq, "readings": rows}).encode()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, datetime.now(UTC))
    yield database
    database.dispose()


@pytest.mark.broker
def test_the_core_refuses_a_made_up_actor_for_every_act_and_takes_a_login(
    broker: MosquittoProcess, sqlite_db: Database, tmp_path: Path
) -> None:
    db = sqlite_db
    config = Config()
    config.mqtt.url = broker.url
    field = PahoPeer(broker.url, "field")
    field.subscribe("plant/+/+/cmd/#")
    core = CockpitCore(config, db, console="c1", sessions=TEST_KEYS, data_dir=tmp_path / "data")
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        # The core's own identity: a HIHI with hot work in A1 stops the area by itself.
        for seq, lel in enumerate((3.0, 31.0, 33.0, 35.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        assert wait_until(lambda: bool(field.received("plant/S1/A1/cmd/stop-work")), 10)
        auto = json.loads(field.received("plant/S1/A1/cmd/stop-work")[0].payload)
        assert auto["auto"] is True and auto["permits"] == ["HW-1"]
        assert wait_until(lambda: any(a.condition == "HIHI" for a in core.state.alarms), 5)
        alarm_id = next(a.alarm_id for a in core.state.alarms if a.condition == "HIHI")

        forged = replace(signed("op.li"), username="lead.wang")
        for who, code in ((NOBODY, SESSION_MISSING), (forged, SESSION_FORGED)):
            acts = [
                core.stop_work(who, "S1", "A2", "made up"),  # type: ignore[arg-type]
                core.resume_work(who, "S1", "A1", "made up"),  # type: ignore[arg-type]
                core.acknowledge(who, [alarm_id]),  # type: ignore[arg-type]
                core.shelve(who, alarm_id, "made up", 10),  # type: ignore[arg-type]
                core.unshelve(who, alarm_id),  # type: ignore[arg-type]
                core.set_out_of_service(who, alarm_id, "made up", False),  # type: ignore[arg-type]
                core.clear_event(who, alarm_id),  # type: ignore[arg-type]
            ]
            for fut in acts:
                exc = fut.exception(10)
                assert isinstance(exc, SessionRefused) and exc.code == code, exc
        assert core.call(lambda: core.stopwork.work_state("S1", "A1")).result(5) == "stopped"
        assert core.call(lambda: core.stopwork.work_state("S1", "A2")).result(5) != "stopped"
        assert core.call(lambda: core.engine.get(alarm_id)).result(5).state is AlarmState.UNACK

        # A real login: accepted, and the record names the user the database knows.
        operator = login(db, "op.li")
        assert core.acknowledge(operator, [alarm_id], "seen").result(10) == 1
        view = core.stop_work(operator, "S1", "A2", "smoke seen").result(10)
        assert view is not None and view.issued_by == "op.li"

        def recorded() -> bool:
            with db.session() as s:
                row = s.get(Command, view.command_id)
                return row is not None and row.issued_by == "op.li"

        assert wait_until(recorded, 10)
        # Disabled after the login: the next act is refused, and nothing happens.
        set_user(db, "op.li", active=False)
        exc = core.stop_work(operator, "S1", "A2", "again").exception(10)
        assert isinstance(exc, SessionRefused) and exc.code == USER_INACTIVE
        in_a2 = core.call(lambda: [v.reason for v in core.stopwork.commands.values() if v.area == "A2"])
        assert in_a2.result(5) == ["smoke seen"]
    finally:
        core.stop()
        field.close()
