"""The contractor and worker register screens with real Qt and a real database: edit, save, refusal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from cockpit.people_inputs import ContractorInput, QualificationInput, WorkerInput
from cockpit.people_reads import PeopleReads
from cockpit.people_register import PeopleRegister
from cockpit.roles import Actor
from connectors.database import Database
from models.audit import verify_chain
from models.records import Role
from tests.support.plant_db import fresh_with_users
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.contractor_register_view import ContractorRegisterView
from views.factories import view_factories
from views.people_screen import PeopleScreen
from views.read_only import ReadOnlyNotice
from views.worker_register_view import WorkerRegisterView

NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)
_SCREENS: list[PeopleScreen] = []


@pytest.fixture
def screens() -> Iterator[list[PeopleScreen]]:
    _SCREENS.clear()
    yield _SCREENS
    _SCREENS.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, screens: list[PeopleScreen]) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'people.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = fresh_with_users(url, (("safety", Role.SAFETY_MANAGER), ("op", Role.OPERATOR)))
    reg = PeopleRegister(database, TEST_KEYS, clock=lambda: NOW)
    reg.save_contractor(as_user(database, "boss"), ContractorInput("C1", "华建石化安装"))
    reg.save_qualification(
        as_user(database, "boss"),
        QualificationInput("C1", "安全生产许可证", "AQ-1", "", "2024-01-01", "2029-01-01"),
    )
    reg.save_worker(as_user(database, "boss"), WorkerInput("W1", "张三", "C1", "焊工"))
    try:
        yield database
    finally:
        # Before qtbot closes the screens: a worker still reading SQLite while the engine closes crashed.
        for screen in screens:
            assert screen.wait_idle(20000)
        database.dispose()


def _screen(qtbot: QtBot, screen: PeopleScreen) -> None:
    qtbot.addWidget(screen)
    _SCREENS.append(screen)
    screen.resize(1920, 1000)
    screen.show()


def contractors(qtbot: QtBot, db: Database, acting: str, editable: bool) -> ContractorRegisterView:
    reads = PeopleReads(db, clock=lambda: NOW)
    edits = PeopleRegister(db, TEST_KEYS, clock=lambda: NOW)
    view = ContractorRegisterView(reads, edits, acting=as_user(db, acting), editable=editable)
    _screen(qtbot, view)
    return view


def test_safety_manager_records_a_violation_and_the_grade_falls_on_screen(qtbot: QtBot, db: Database) -> None:
    view = contractors(qtbot, db, "safety", True)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.table.item(0, 2).text() == "A"
    with qtbot.waitSignal(view.card_shown, timeout=10000):
        view.table.selectRow(0)
    assert "Grade in force: A" in view.card.toPlainText()
    assert "12 or more violation points in 365 days: D" in view.card.toPlainText()  # the rule, shown
    # no violation: said plainly, not "(0 points in the last 12 months; —)"
    assert "By the rule today: A (no violations in the last 12 months)" in view.card.toPlainText()
    assert "0 points" not in view.card.toPlainText() and "; —" not in view.card.toPlainText()
    view.v_worker.setText("W1")
    view.v_points.setValue(6)
    view.v_text.setText("动火作业未设监护人")
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["violation"].click()
    qtbot.waitUntil(lambda: "Grade in force: C" in view.card.toPlainText(), timeout=10000)
    assert "动火作业未设监护人" in view.card.toPlainText()
    assert "By the rule today: C (6 violation points in the last 12 months)" in view.card.toPlainText()
    qtbot.waitUntil(lambda: view.table.item(0, 2).text() == "C", timeout=10000)
    # An override without a reason is refused, with the reason why on screen.
    view.grade.setCurrentIndex(view.grade.findData("A"))
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["grade"].click()
    assert failed.args[0] == "Give a reason first" and view.message.text() == "Give a reason first"
    view.reason.setText("整改到位，年度评审")
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["grade"].click()
    qtbot.waitUntil(lambda: "Overridden to A by safety" in view.card.toPlainText(), timeout=10000)
    with db.session() as s:
        assert verify_chain(s).ok


@pytest.mark.usefixtures("glossary_chinese")
def test_a_contractor_without_violations_reads_plainly_in_chinese(qtbot: QtBot, db: Database) -> None:
    view = contractors(qtbot, db, "safety", True)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    with qtbot.waitSignal(view.card_shown, timeout=10000):
        view.table.selectRow(0)
    assert "按规则今日等级：A（近12个月无违章）" in view.card.toPlainText()
    assert "0 分" not in view.card.toPlainText()


def test_an_operator_reads_but_the_edits_are_off_and_the_service_refuses(qtbot: QtBot, db: Database) -> None:
    view = contractors(qtbot, db, "op", False)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.box.isHidden()  # the card and the list take the width
    notices = [n for n in view.findChildren(ReadOnlyNotice) if not n.isHidden()]
    assert [n.text() for n in notices] == [
        "You can read this register; administrators and safety managers change it."
    ]
    assert contractors(qtbot, db, "safety", True).findChildren(ReadOnlyNotice)[0].isHidden()
    view.code.setText("C1")
    view.reason.setText("x")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.set_blacklist(True)  # as if the box were enabled: the service still says no
    assert failed.args[0].startswith("op may not edit the people registers")


def test_worker_screen_saves_a_certificate_and_flags_a_bad_date(qtbot: QtBot, db: Database) -> None:
    reads, edits = PeopleReads(db, clock=lambda: NOW), PeopleRegister(db, TEST_KEYS, clock=lambda: NOW)
    view = WorkerRegisterView(reads, edits, acting=as_user(db, "boss"), editable=True)
    _screen(qtbot, view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1 and view.contractor.count() == 2, timeout=10000)
    with qtbot.waitSignal(view.card_shown, timeout=10000):
        view.table.selectRow(0)
    assert view.contractor.currentData() == "C1"
    view.c_number.setText("T-100")
    view.c_trade.setText("焊接与热切割")
    view.c_from.setText("2023-12-01")
    view.c_to.setText("2026-12-20")
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["certificate"].click()
    qtbot.waitUntil(lambda: "EXPIRES in 15 days" in view.card.toPlainText(), timeout=10000)
    view.c_to.setText("2026-02-30")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["certificate"].click()
    assert failed.args[0] == "Valid to: '2026-02-30' is not a date (2026-03-01)"
    view.e_passed.setChecked(True)
    view.e_score.setText("88")
    view.e_on.setText("2026-12-01")
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["exam"].click()
    qtbot.waitUntil(lambda: "passed, score 88" in view.card.toPlainText(), timeout=10000)


def test_the_registers_are_offered_to_every_role() -> None:
    for role in Role:
        offered = view_factories(Actor("x", role))
        assert "contractor_register" in offered and "worker_register" in offered, role


def reaches_the_edge(table: QTableWidget) -> bool:
    """The last column runs to the table's right edge (no empty strip after a narrow last column)."""
    header = table.horizontalHeader()
    last = header.logicalIndex(header.count() - 1)
    return header.sectionViewportPosition(last) + header.sectionSize(last) >= table.viewport().width()


def test_the_registers_last_column_runs_to_the_edge_after_a_load(qtbot: QtBot, db: Database) -> None:
    reads, edits = PeopleReads(db, clock=lambda: NOW), PeopleRegister(db, TEST_KEYS, clock=lambda: NOW)
    workers = WorkerRegisterView(reads, edits, acting=as_user(db, "boss"), editable=True)
    _screen(qtbot, workers)
    firms = contractors(qtbot, db, "op", False)
    for view in (workers, firms):
        qtbot.waitUntil(lambda v=view: v.table.rowCount() == 1, timeout=10000)  # type: ignore[misc]
        qtbot.waitUntil(lambda v=view: reaches_the_edge(v.table), timeout=5000)  # type: ignore[misc]
        width = view.table.viewport().width()
        header = view.table.horizontalHeader()
        assert header.sectionSize(header.logicalIndex(header.count() - 1)) > width // 4  # stretched
