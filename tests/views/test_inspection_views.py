"""The inspection screens on real Qt (offscreen) and a real database: today's rounds with a missed
point and a too-fast pair, and the defect work-order queue: repaired by the owner, verified and
closed by someone else, a refusal said in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.inspection.intake import InspectionIntake
from cockpit.inspection.rounds import RoundsReads
from cockpit.inspection.work_orders import WorkOrderService
from cockpit.plant_reads import PlantReads
from connectors.database import Database
from models.records import ChecklistAnswer, ChecklistResult, DefectSeverity, TagScan
from tests.support.fresh_db import open_fresh
from tests.support.inspection import build_inspected_plant
from tests.support.sessions import TEST_KEYS, signed
from views.permit_tables import text_of
from views.rounds_view import RoundsView
from views.work_orders_view import WorkOrdersView

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
MORNING = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # the 08:00 round


def fill(db: Database) -> None:
    """The morning round: P-101, then P-103 ten seconds later (40 m), P-102 never; a critical leak on
    P-101 and a minor one on P-102 (yesterday, so it is overdue by now)."""
    intake = InspectionIntake(db, clock=lambda: NOW)
    intake.on_record(TagScan("S1", "A1", "TAG-101", MORNING + timedelta(minutes=5), "s-1", "W-1"))
    intake.on_record(TagScan("S1", "A1", "TAG-103", MORNING + timedelta(minutes=5, seconds=10), "s-2", "W-1"))
    leak = (ChecklistAnswer("泄漏 leak?", False),)
    intake.on_record(
        ChecklistResult(
            "S1", "A1", "TAG-101", MORNING + timedelta(minutes=6), "r-1", "W-1", leak, True,
            DefectSeverity.CRITICAL, "s-1", "机封泄漏 seal leaking",
        )
    )  # fmt: skip
    intake.on_record(
        ChecklistResult(
            "S1", "A1", "TAG-102", NOW - timedelta(days=4), "r-0", "W-2", leak, True,
            DefectSeverity.MINOR, "", "法兰渗漏 flange weeping",
        )
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'views.db'}")
    build_inspected_plant(database, NOW)
    fill(database)
    try:
        yield database
    finally:
        database.dispose()


def test_the_rounds_screen_shows_progress_misses_and_a_suspicious_pair(qtbot: QtBot, db: Database) -> None:
    view = RoundsView(RoundsReads(db), PlantReads(db).sites(), clock=lambda: NOW)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.board is not None, timeout=10000)
    assert view.title.text() == "Inspection rounds today, 2026-12-02"  # the plant's date, not just "today"
    assert [text_of(view.areas, 0, c) for c in range(5)] == ["加氢装置", "2/3", "0", "1", "1"]
    assert [text_of(view.rounds, 0, c) for c in (2, 3, 5, 6, 7)] == [
        "08:00–09:00",
        "2/3",
        "1",
        "yes",  # what was scanned was scanned in the route's order
        "incomplete",
    ]
    assert [text_of(view.points, r, 2) for r in range(3)] == ["in time", "missed", "in time"]
    assert text_of(view.points, 0, 3) == "08:05:00"  # the plant's time
    assert text_of(view.suspicious, 0, 2) == "Faster than walking"
    assert text_of(view.suspicious, 0, 3) == "进料泵 → 换热器: 40 m in 10 s (4.0 m/s)"


def test_the_rounds_title_carries_the_plants_date_not_the_utc_one(qtbot: QtBot, db: Database) -> None:
    late = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 01:00 on 2 December in Shanghai
    view = RoundsView(RoundsReads(db), PlantReads(db).sites(), clock=lambda: late)
    qtbot.addWidget(view)
    assert view.title.text().endswith("2026-12-02")  # before the board is read: the clock's date
    qtbot.waitUntil(lambda: view.board is not None, timeout=10000)
    assert view.title.text() == "Inspection rounds today, 2026-12-02"


def test_the_work_order_queue_repair_then_verification_by_another(qtbot: QtBot, db: Database) -> None:
    service = WorkOrderService(db, TEST_KEYS, clock=lambda: NOW)
    sites = PlantReads(db).sites()
    lead = WorkOrdersView(service, signed("lead.wang"), sites, clock=lambda: NOW)
    qtbot.addWidget(lead)
    qtbot.waitUntil(lambda: len(lead.orders) == 2, timeout=10000)
    # The most urgent first: the minor flange from four days ago is 24 h past its 72 h.
    assert [text_of(lead.table, 0, c) for c in (3, 4, 6, 7)] == ["minor", "mgr.sun", "-1d 00:00:00", "open"]
    assert [text_of(lead.table, 1, c) for c in (3, 4, 7, 9)] == ["critical", "lead.wang", "open", "W-1"]
    order = lead.orders[1].id
    lead.select(order)
    assert lead.fixed.isEnabled() and not lead.verify.isEnabled()
    lead.note.setText("更换机封 seal replaced")
    lead.fixed.click()
    qtbot.waitUntil(lambda: text_of(lead.table, 1, 7) == "repaired, to verify", timeout=10000)
    lead.select(order)
    lead.verify.click()  # no note: nothing verified
    qtbot.waitUntil(lambda: "Write a note" in lead.status.text(), timeout=10000)
    lead.note.setText("看过了")
    lead.verify.click()  # the repairer may not verify his own repair
    qtbot.waitUntil(lambda: "someone else verifies it" in lead.status.text(), timeout=10000)

    manager = WorkOrdersView(service, signed("mgr.sun"), sites, clock=lambda: NOW)
    qtbot.addWidget(manager)
    qtbot.waitUntil(lambda: len(manager.orders) == 2, timeout=10000)
    manager.select(order)
    assert manager.verify.isEnabled()
    manager.note.setText("现场确认无泄漏")
    manager.verify.click()
    qtbot.waitUntil(lambda: len(manager.orders) == 1, timeout=10000)
    manager.show_closed.setChecked(True)
    qtbot.waitUntil(lambda: [o.id for o in manager.orders] == [order], timeout=10000)
    assert text_of(manager.table, 0, 7) == "closed (verified)"
