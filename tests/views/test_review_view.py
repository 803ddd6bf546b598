"""The safety manager's green-channel reviews on screen: the queue, a finding, both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cockpit.demo_seed import DEMO_PASSWORD
from cockpit.permit_service import PermitConfig, PermitService
from cockpit.roles import Actor
from connectors.database import Database
from models.records import HotWorkGrade, Role
from models.schema import AuditEntry
from tests.cockpit.test_permit_service import NOW, copy_of, file_permit, pick_crew, shared_template
from tests.support.sessions import TEST_KEYS, as_user, permit_login
from tests.views.test_finding_words import GlossaryTranslator, chinese
from views.factories import view_factories
from views.i18n import Language
from views.review_view import ReviewView

LATER = NOW + timedelta(days=2)  # the review is overdue then


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    database = copy_of(shared_template(tmp_path_factory), tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def svc(db: Database) -> PermitService:
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, config=PermitConfig())
    for permit_id in ("HW-R-1", "HW-R-2"):
        file_permit(svc, db, pick_crew(db), permit_id, grade=HotWorkGrade.GRADE_1, urgent=True)
        svc.approve(
            permit_id, as_user(db, "lead.wang"), DEMO_PASSWORD, green_channel_reason="抢修泄漏", now=NOW
        )
    return svc


def make_view(qtbot: QtBot, svc: PermitService) -> ReviewView:
    view = ReviewView(svc, session=permit_login(svc, "safety.chen"), clock=lambda: LATER)
    qtbot.addWidget(view)
    view.resize(1600, 800)
    qtbot.waitUntil(lambda: view.items is not None, timeout=10000)
    return view


def test_the_queue_and_a_finding_recorded_with_its_note(
    qtbot: QtBot, svc: PermitService, db: Database
) -> None:
    view = make_view(qtbot, svc)
    ids = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert {"HW-R-1", "HW-R-2"} <= set(ids)
    row = ids.index("HW-R-1")
    assert view.table.item(row, 3).text() == "lead.wang"
    assert view.table.item(row, 5).text() == "抢修泄漏"
    assert view.table.item(row, 6).text() == "safety department"
    assert view.table.item(row, 7).text() == "2026-11-24, overdue"
    # what the rules warned of at approval, in words (no wind mast reading here)
    assert (
        view.table.item(row, 8).text()
        == "no wind reading: hot work grade 1 could not be checked against Beaufort 5 (8.0 m/s)"
    )
    view.accept.click()  # nothing chosen: says so, changes nothing
    assert "Choose" in view.status.text()
    view.table.selectRow(row)
    view.note.setPlainText("理由不足")
    with qtbot.waitSignal(view.reviews_loaded, timeout=10000):
        view.finding.click()
    assert "HW-R-1" not in [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    with db.session() as s:
        last = s.scalars(
            select(AuditEntry).where(AuditEntry.subject == "HW-R-1").order_by(AuditEntry.seq.desc())
        ).first()
        assert last is not None and last.actor == "safety.chen"
        assert json.loads(last.details) == {"note": "理由不足", "outcome": "finding"}


def test_a_review_late_by_more_than_a_day_says_by_how_many(qtbot: QtBot, svc: PermitService) -> None:
    view = ReviewView(svc, session=permit_login(svc, "safety.chen"), clock=lambda: LATER + timedelta(days=1))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.items is not None, timeout=10000)
    row = [view.table.item(r, 0).text() for r in range(view.table.rowCount())].index("HW-R-1")
    assert view.table.item(row, 7).text() == "2026-11-24, overdue by 2 days"  # due 24 Nov, now the 26th
    assert "skipped only those signatures" in view.explain.text()  # and what it did not skip


def test_offered_to_the_safety_manager_and_administrators_only() -> None:
    for role in Role:
        offered = "reviews" in view_factories(Actor("x", role))
        assert offered == (role in (Role.SAFETY_MANAGER, Role.ADMIN)), role


def test_the_screen_in_chinese(qtbot: QtBot, svc: PermitService) -> None:
    """With the glossary's Chinese (what the lead compiles into the .qm after a merge)."""
    app = QApplication.instance()
    language = Language(app)  # type: ignore[arg-type]
    glossary = GlossaryTranslator(chinese())
    view = make_view(qtbot, svc)
    try:
        assert language.set("zh_CN")
        app.installTranslator(glossary)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: view.finding.text() == "记录问题", timeout=5000)
        assert view.title.text().startswith("绿色通道复核")
        row = [view.table.item(r, 0).text() for r in range(view.table.rowCount())].index("HW-R-1")
        assert view.table.item(row, 6).text() == "安全管理部门"
        assert view.table.item(row, 7).text() == "2026-11-24，已逾期"
        assert view.table.item(row, 8).text() == "无风速读数：无法按五级风（8.0 m/s）核查一级动火作业"
        assert view.table.horizontalHeaderItem(7).text() == "复核截止"  # not a certificate's 复审
    finally:
        app.removeTranslator(glossary)  # type: ignore[union-attr]
        language.set("en")
