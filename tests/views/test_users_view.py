"""The users screen with real Qt and a real database: an administrator creates, changes and disables users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.auth import LoginRefused, authenticate
from cockpit.roles import Actor
from cockpit.users import UserAdmin, create_first_admin
from connectors.database import Database
from models.audit import verify_chain
from models.records import ApprovalLevel, Role
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user
from views.factories import view_factories
from views.i18n import Language
from views.users_view import UsersView

ADMIN_PW = "first admin passphrase"
PW = "a good long password"


_SCREENS: list[UsersView] = []  # the screens of the running test, waited for before the database closes


@pytest.fixture
def screens() -> Iterator[list[UsersView]]:
    _SCREENS.clear()
    yield _SCREENS
    _SCREENS.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, screens: list[UsersView]) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    create_first_admin(database, "boss", ADMIN_PW)
    try:
        yield database
    finally:
        # This runs before qtbot closes the screens: a call still reading SQLite on a screen's worker
        # while the engine closes its connection crashed the process (a segfault in sqlite3's close).
        for screen in screens:
            assert screen._offgui.wait(20000)
        database.dispose()


def users_view(qtbot: QtBot, db: Database, acting: str = "boss") -> UsersView:
    view = UsersView(UserAdmin(db, TEST_KEYS), acting=as_user(db, acting))
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1400, 800)
    view.show()
    return view


def fill(view: UsersView, name: str, display: str, role: Role, level: ApprovalLevel | None, pw: str) -> None:
    view.username.setText(name)
    view.display_name.setText(display)
    view.role.setCurrentIndex(view.role.findData(role.value))
    view.level.setCurrentIndex(view.level.findData(level.value if level else ""))
    view.password.setText(pw)
    view.password_again.setText(pw)


def test_create_a_user_through_the_screen_and_see_it_listed(qtbot: QtBot, db: Database) -> None:
    view = users_view(qtbot, db)
    qtbot.waitUntil(lambda: view.usernames() == ["boss"], timeout=10000)
    fill(view, "lead.wang", "王值班长", Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT, PW)
    with qtbot.waitSignal(view.users_shown, timeout=10000, check_params_cb=lambda n: n == 2):
        view.buttons["create"].click()
    assert "lead.wang" in view.usernames()
    row = view.usernames().index("lead.wang")
    assert [view.table.item(row, c).text() for c in range(5)] == [
        "lead.wang", "王值班长", "Shift lead", "operating unit", "enabled"
    ]  # fmt: skip
    assert view.password.text() == ""  # not left in the form
    assert authenticate(db, "lead.wang", PW).role is Role.SHIFT_LEAD

    # Disable it from the screen: it stays listed, and cannot log in.
    view.table.selectRow(row)
    assert view.username.text() == "lead.wang"
    with qtbot.waitSignal(view.users_shown, timeout=10000):
        view.buttons["disable"].click()
    row = view.usernames().index("lead.wang")
    assert view.table.item(row, 4).text() == "DISABLED"
    with pytest.raises(LoginRefused):
        authenticate(db, "lead.wang", PW)
    with db.session() as s:
        assert verify_chain(s).ok


def test_refusals_are_shown_and_nothing_is_written(qtbot: QtBot, db: Database) -> None:
    view = users_view(qtbot, db)
    qtbot.waitUntil(lambda: view.usernames() == ["boss"], timeout=10000)
    fill(view, "op.li", "", Role.OPERATOR, None, "short")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["create"].click()
    assert "at least 10 characters" in failed.args[0]
    fill(view, "op.li", "", Role.OPERATOR, ApprovalLevel.SENIOR_LEADER, PW)
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["create"].click()
    assert "does not sign permits" in failed.args[0]
    fill(view, "op.li", "", Role.OPERATOR, None, PW)
    view.password_again.setText(PW + "!")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["create"].click()
    assert failed.args[0] == "The two passwords differ"
    assert (
        UserAdmin(db, TEST_KEYS).users(as_user(db, "boss"))[0].username == "boss"
        and len(UserAdmin(db, TEST_KEYS).users(as_user(db, "boss"))) == 1
    )


def test_a_demoted_admin_is_refused_by_the_service(qtbot: QtBot, db: Database) -> None:
    """The screen holds a login, not a right: once the account is no longer admin, every action fails."""
    admin = UserAdmin(db, TEST_KEYS)
    admin.create(as_user(db, "boss"), "admin2", display_name="", role=Role.ADMIN, password=PW)
    view = users_view(qtbot, db, acting="admin2")
    qtbot.waitUntil(lambda: len(view.usernames()) == 2, timeout=10000)
    admin.set_role(as_user(db, "boss"), "admin2", Role.OPERATOR, None)
    fill(view, "op.li", "", Role.OPERATOR, None, PW)
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["create"].click()
    assert failed.args[0] == "Not carried out: the role of admin2 changed since the login. Log in again."
    assert "op.li" not in [u.username for u in admin.users(as_user(db, "boss"))]  # nothing created


def test_only_administrators_get_the_screen() -> None:
    assert "users" in view_factories(Actor("boss", Role.ADMIN))
    for role in Role:
        if role is not Role.ADMIN:
            assert "users" not in view_factories(Actor("x", role))
    assert "users" not in view_factories()


def test_the_screen_in_chinese(qtbot: QtBot, db: Database) -> None:
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    view = users_view(qtbot, db)
    qtbot.waitUntil(lambda: view.usernames() == ["boss"], timeout=10000)
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.buttons["create"].text() == "新建用户", timeout=5000)
        assert view.table.item(0, 2).text() == "管理员"
        assert view.table.item(0, 4).text() == "启用"
        fill(view, "op.li", "", Role.OPERATOR, None, "short")
        with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
            view.buttons["create"].click()
        assert failed.args[0] == "密码太短：至少 10 个字符"
    finally:
        language.set("en")
