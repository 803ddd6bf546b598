"""A permit move asked for while the database is unreachable (issue 19): refused in the screen's words,
nothing changed, nothing half-written; the same move works once the database is back. PostgreSQL sits
behind a TCP proxy that is cut the way a plant loses its database (tests/support/tcp_proxy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, make_url, select

from cockpit.permit_service import PermitService
from connectors.database import Database
from models.records import PermitStatus
from models.schema import AuditEntry, Permit
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user
from tests.support.tcp_proxy import TcpProxy
from views.active_permits_view import ActivePermitsView

NOW = datetime.now(UTC)


@pytest.fixture
def plant(pg_schema_url: str) -> Iterator[tuple[TcpProxy, Database]]:
    url = make_url(pg_schema_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    db = open_fresh(url.set(port=proxy.port).render_as_string(hide_password=False))
    build_small_plant(db, NOW)
    yield proxy, db
    proxy.cut()
    db.dispose()


def facts(db: Database) -> tuple[PermitStatus, int]:
    with db.session() as s:
        permit = s.get(Permit, "HW-1")
        assert permit is not None
        return permit.status, s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_a_suspend_during_an_outage_is_refused_in_plain_words_and_works_once_the_database_is_back(
    qtbot: QtBot, plant: tuple[TcpProxy, Database]
) -> None:
    from PySide6.QtWidgets import QApplication

    from views.i18n import Language

    proxy, db = plant
    service = PermitService(db, keys=TEST_KEYS, clock=lambda: datetime.now(UTC))
    view = ActivePermitsView(
        service, session=as_user(db, "lead.wang"), clock=lambda: datetime.now(UTC), refresh_ms=0
    )
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() > 0 and view._user is not None, timeout=10000)
    view.table.selectRow(next(r for r, t in enumerate(view.row_texts()) if t[0] == "HW-1"))
    view.reason.setText("smoke seen")
    before = facts(db)
    failures: list[str] = []
    view.action_failed.connect(failures.append)
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        proxy.cut()
        view.suspend_button.click()
        qtbot.waitUntil(lambda: len(failures) == 1, timeout=20000)
        said = failures[0]
        assert said.startswith("Not carried out: the database cannot be reached, nothing was changed")
        assert "Stop work" in said  # what still works without the database
        for internal in (
            "psycopg2",
            "OperationalError",
            "127.0.0.1",
            str(proxy.port),
            "connection to server",
        ):
            assert internal not in said, internal
        assert language.set("zh_CN")
        view.suspend_button.click()
        qtbot.waitUntil(lambda: len(failures) == 2, timeout=20000)
        assert failures[1].startswith("未执行：数据库无法连接")
        assert view.message.text() == failures[1]
    finally:
        language.set("en")
        proxy.restore()
    assert facts(db) == before  # nothing changed, nothing half-written
    with qtbot.waitSignal(view.permit_changed, timeout=20000):
        view.suspend_button.click()
    assert facts(db)[0] is PermitStatus.SUSPENDED
    view.wait_idle()
