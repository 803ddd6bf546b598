"""User administration on real SQLite and PostgreSQL: who may act, what is refused, what is audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cockpit.auth import LoginRefused, authenticate
from cockpit.sessions import SESSION_MISSING, USER_INACTIVE, USER_UNKNOWN, SessionRefused
from cockpit.users import (
    PASSWORD_MIN,
    Problem,
    UserAdmin,
    UserAdminError,
    authenticate_admin,
    create_first_admin,
)
from connectors.database import Database
from models.audit import verify_chain
from models.records import ApprovalLevel, Role
from models.schema import AuditEntry, Worker
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user

ADMIN_PW = "first admin passphrase"
PW = "a good long password"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def admin(db: Database) -> UserAdmin:
    create_first_admin(db, "boss", ADMIN_PW, display_name="厂长")
    return UserAdmin(db, TEST_KEYS)


def refused(code: Problem, fn, *args, **kwargs) -> UserAdminError:  # type: ignore[no-untyped-def]
    with pytest.raises(UserAdminError) as info:
        fn(*args, **kwargs)
    assert info.value.code is code, info.value
    return info.value


def audit_actions(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [
            (e.actor, e.action, e.subject) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]


def test_first_admin_logs_in_and_a_second_bootstrap_is_refused(db: Database) -> None:
    create_first_admin(db, "boss", ADMIN_PW)
    actor = authenticate(db, "boss", ADMIN_PW)
    assert actor.role is Role.ADMIN
    refused(Problem.USERS_EXIST, create_first_admin, db, "other", ADMIN_PW)
    assert [u.username for u in UserAdmin(db, TEST_KEYS).users(as_user(db, "boss"))] == ["boss"]
    assert audit_actions(db) == [("cockpit", "user.bootstrap_admin", "boss")]


@pytest.mark.parametrize(
    ("name", "password", "code"),
    [
        ("boss", "x" * (PASSWORD_MIN - 1), Problem.PASSWORD_SHORT),
        ("boss", "x" * 300, Problem.PASSWORD_LONG),
        ("administrator", "Administrator", Problem.PASSWORD_IS_NAME),
        ("bad name", PW, Problem.BAD_USERNAME),
        ("x" * 65, PW, Problem.BAD_USERNAME),
        ("", PW, Problem.BAD_USERNAME),
    ],
)
def test_bad_bootstrap_input_writes_nothing(db: Database, name: str, password: str, code: Problem) -> None:
    refused(code, create_first_admin, db, name, password)
    assert audit_actions(db) == []
    create_first_admin(db, "boss", ADMIN_PW)  # nothing half-written: the real one still goes in


def test_admin_creates_every_role_and_each_logs_in(db: Database, admin: UserAdmin) -> None:
    with db.session() as s:
        s.add(Worker(id="W-1", name="王焊工"))
    admin.create(
        as_user(db, "boss"), "op.li", display_name="李操作", role=Role.OPERATOR, password=PW, worker_id="W-1"
    )
    admin.create(
        as_user(db, "boss"),
        "lead.wang",
        display_name="王值班长",
        role=Role.SHIFT_LEAD,
        password=PW,
        approval_level=ApprovalLevel.OPERATING_UNIT,
    )
    admin.create(as_user(db, "boss"), "ic.zhao", display_name="", role=Role.INCIDENT_COMMANDER, password=PW)
    admin.create(
        as_user(db, "boss"), "safety.chen", display_name="陈安全", role=Role.SAFETY_MANAGER, password=PW
    )
    admin.create(as_user(db, "boss"), "admin2", display_name="", role=Role.ADMIN, password=PW)
    users = {u.username: u for u in admin.users(as_user(db, "boss"))}
    assert users["op.li"].worker_id == "W-1" and users["op.li"].worker_name == "王焊工"
    assert users["lead.wang"].approval_level is ApprovalLevel.OPERATING_UNIT
    assert users["ic.zhao"].display_name == "ic.zhao"
    for name in ("op.li", "lead.wang", "ic.zhao", "safety.chen", "admin2"):
        assert authenticate(db, name, PW).role is users[name].role


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_every_other_role_is_refused_each_action(db: Database, admin: UserAdmin, role: Role) -> None:
    admin.create(as_user(db, "boss"), "someone", display_name="", role=role, password=PW)
    admin.create(as_user(db, "boss"), "target", display_name="", role=Role.OPERATOR, password=PW)
    before = audit_actions(db)
    refused(Problem.NOT_ADMIN, admin.users, as_user(db, "someone"))
    refused(
        Problem.NOT_ADMIN,
        admin.create,
        as_user(db, "someone"),
        "new",
        display_name="",
        role=Role.ADMIN,
        password=PW,
    )
    refused(Problem.NOT_ADMIN, admin.set_role, as_user(db, "someone"), "someone", Role.ADMIN, None)
    refused(Problem.NOT_ADMIN, admin.reset_password, as_user(db, "someone"), "target", PW + "x")
    refused(Problem.NOT_ADMIN, admin.disable, as_user(db, "someone"), "target")
    refused(Problem.NOT_ADMIN, admin.bind_worker, as_user(db, "someone"), "target", None)
    assert audit_actions(db) == before
    refused(Problem.NOT_ADMIN, authenticate_admin, db, TEST_KEYS, "someone", PW)


def test_a_made_up_or_disabled_actor_is_refused(db: Database, admin: UserAdmin) -> None:
    def unsessioned(code: str, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SessionRefused) as info:
            fn(*args, **kwargs)
        assert info.value.code == code

    ghost = as_user(db, "ghost")
    unsessioned(USER_UNKNOWN, admin.create, ghost, "new", display_name="", role=Role.ADMIN, password=PW)
    unsessioned(USER_UNKNOWN, admin.users, as_user(db, "BOSS"))  # the stored name, not a look-alike
    unsessioned(SESSION_MISSING, admin.users, "boss")  # a name is not a login
    admin.create(as_user(db, "boss"), "admin2", display_name="", role=Role.ADMIN, password=PW)
    admin2 = as_user(db, "admin2")
    admin.disable(as_user(db, "boss"), "admin2")
    unsessioned(USER_INACTIVE, admin.reset_password, admin2, "boss", PW)
    refused(Problem.WRONG_LOGIN, authenticate_admin, db, TEST_KEYS, "admin2", PW)
    refused(Problem.WRONG_LOGIN, authenticate_admin, db, TEST_KEYS, "boss", "wrong password!")


def test_disabled_user_cannot_log_in_and_is_kept(db: Database, admin: UserAdmin) -> None:
    admin.create(as_user(db, "boss"), "op.li", display_name="", role=Role.OPERATOR, password=PW)
    record = admin.disable(as_user(db, "boss"), "op.li")
    assert not record.active
    with pytest.raises(LoginRefused):
        authenticate(db, "op.li", PW)
    assert "op.li" in [u.username for u in admin.users(as_user(db, "boss"))]  # never deleted
    refused(
        Problem.USERNAME_TAKEN,
        admin.create,
        as_user(db, "boss"),
        "op.li",
        display_name="",
        role=Role.OPERATOR,
        password=PW,
    )
    admin.enable(as_user(db, "boss"), "op.li")
    assert authenticate(db, "op.li", PW).username == "op.li"


def test_role_level_password_and_worker_changes(db: Database, admin: UserAdmin) -> None:
    with db.session() as s:
        s.add_all([Worker(id="W-1", name="甲"), Worker(id="W-2", name="乙")])
    admin.create(as_user(db, "boss"), "u1", display_name="", role=Role.OPERATOR, password=PW)
    admin.create(as_user(db, "boss"), "u2", display_name="", role=Role.OPERATOR, password=PW, worker_id="W-2")
    refused(
        Problem.LEVEL_NOT_FOR_ROLE,
        admin.set_role,
        as_user(db, "boss"),
        "u1",
        Role.OPERATOR,
        ApprovalLevel.SENIOR_LEADER,
    )
    changed = admin.set_role(as_user(db, "boss"), "u1", Role.SAFETY_MANAGER, ApprovalLevel.SENIOR_LEADER)
    assert (changed.role, changed.approval_level) == (Role.SAFETY_MANAGER, ApprovalLevel.SENIOR_LEADER)
    assert authenticate(db, "u1", PW).approval_level is ApprovalLevel.SENIOR_LEADER
    refused(Problem.PASSWORD_SHORT, admin.reset_password, as_user(db, "boss"), "u1", "short")
    admin.reset_password(as_user(db, "boss"), "u1", "the new long password")
    with pytest.raises(LoginRefused):
        authenticate(db, "u1", PW)
    assert authenticate(db, "u1", "the new long password").username == "u1"
    refused(Problem.UNKNOWN_WORKER, admin.bind_worker, as_user(db, "boss"), "u1", "W-404")
    refused(Problem.WORKER_TAKEN, admin.bind_worker, as_user(db, "boss"), "u1", "W-2")
    assert admin.bind_worker(as_user(db, "boss"), "u1", "W-1").worker_name == "甲"
    assert admin.bind_worker(as_user(db, "boss"), "u1", None).worker_id is None
    refused(Problem.UNKNOWN_USER, admin.disable, as_user(db, "boss"), "nobody")
    refused(Problem.UNKNOWN_USER, admin.reset_password, as_user(db, "boss"), "nobody", PW)


def test_nobody_locks_the_plant_out(db: Database, admin: UserAdmin) -> None:
    refused(Problem.OWN_ACCOUNT, admin.disable, as_user(db, "boss"), "boss")
    refused(Problem.OWN_ACCOUNT, admin.set_role, as_user(db, "boss"), "boss", Role.OPERATOR, None)
    admin.create(as_user(db, "boss"), "admin2", display_name="", role=Role.ADMIN, password=PW)
    admin.disable(as_user(db, "boss"), "admin2")
    # admin2 is disabled: demoting boss from admin2's side is impossible, and boss stays the last one.
    admin.enable(as_user(db, "boss"), "admin2")
    admin.set_role(as_user(db, "admin2"), "boss", Role.OPERATOR, None)
    refused(Problem.NOT_ADMIN, admin.users, as_user(db, "boss"))
    refused(Problem.OWN_ACCOUNT, admin.disable, as_user(db, "admin2"), "admin2")


def test_every_change_is_audited_and_the_chain_verifies(db: Database, admin: UserAdmin) -> None:
    with db.session() as s:
        s.add(Worker(id="W-1", name="甲"))
    admin.create(as_user(db, "boss"), "u1", display_name="", role=Role.OPERATOR, password=PW)
    admin.set_role(as_user(db, "boss"), "u1", Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT)
    admin.reset_password(as_user(db, "boss"), "u1", "the new long password")
    admin.bind_worker(as_user(db, "boss"), "u1", "W-1")
    admin.disable(as_user(db, "boss"), "u1")
    admin.enable(as_user(db, "boss"), "u1")
    assert audit_actions(db) == [
        ("cockpit", "user.bootstrap_admin", "boss"),
        ("boss", "user.create", "u1"),
        ("boss", "user.set_role", "u1"),
        ("boss", "user.reset_password", "u1"),
        ("boss", "user.bind_worker", "u1"),
        ("boss", "user.disable", "u1"),
        ("boss", "user.enable", "u1"),
    ]
    with db.session() as s:
        report = verify_chain(s)
        assert report.ok, report.reason
        details = " ".join(e.details for e in s.scalars(select(AuditEntry)))
    assert "the new long password" not in details and PW not in details
