"""The login screen hands the window a session the core accepts (issue 19): signed, and checked again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from cockpit.logins import Logins
from cockpit.sessions import LoginSession, SessionKeys, verify_session
from models.records import Role
from tests.support.fresh_db import open_fresh
from tests.support.plant import PASSWORD, build_small_plant
from views.login import LoginView


def test_the_login_screen_gives_the_window_a_session_its_core_verifies(qtbot: QtBot, tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    keys = SessionKeys()  # the runtime's: the same object its core judges with
    try:
        view = LoginView(Logins(db, keys), demo=False)
        qtbot.addWidget(view)
        got: list[object] = []
        view.logged_in.connect(got.append)
        view.user.setCurrentText("lead.wang")
        view.password.setText(PASSWORD)
        view.try_login()
        assert len(got) == 1 and isinstance(got[0], LoginSession)
        actor = verify_session(db, keys, got[0])
        assert (actor.username, actor.role) == ("lead.wang", Role.SHIFT_LEAD)
        view.user.setCurrentText("lead.wang")
        view.password.setText("not the password")
        view.try_login()
        assert len(got) == 1 and view.password.text() == ""
    finally:
        db.dispose()
