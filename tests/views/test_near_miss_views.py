"""The near-miss screens on real Qt (offscreen) and a real database: the month's list with its filters,
the dialog recording one under the login's session (a refusal said in words, nothing written), the time
read as the plant's wall time whatever the machine's zone, and "Record near miss…" from a live alarm
filling in the alarm's site, area and id."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from cockpit.journal_search import JournalSearch
from cockpit.near_misses import NearMissEntry, NearMissService
from cockpit.plant_reads import PlantReads
from connectors.database import Database
from models.schema import NearMiss, User, Worker
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.live_plant import OPERATOR, Live
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.alarm_view import AlarmView
from views.near_miss_view import NearMissDialog, NearMissesView, NearMissPrefill
from views.permit_tables import text_of

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'near.db'}")
    build_small_plant(database, NOW)
    with database.session() as s:  # people's names, as the register holds them
        for username, name in (("lead.wang", "王值班长"), ("op.li", "李操作员")):
            s.execute(update(User).where(User.username == username).values(display_name=name))
    service = NearMissService(database, TEST_KEYS, clock=lambda: NOW)
    lead = as_user(database, "lead.wang")
    service.record(lead, NearMissEntry(NOW - timedelta(hours=3), "S1", "gas_release", "法兰泄漏", area="A1"))
    service.record(
        lead, NearMissEntry(NOW - timedelta(hours=2), "S1", "dropped_object", "扳手坠落", area="A2")
    )
    service.record(lead, NearMissEntry(NOW - timedelta(days=40), "S1", "electrical", "十月的一起"))
    try:
        yield database
    finally:
        database.dispose()


def make(qtbot: QtBot, db: Database) -> NearMissesView:
    service = NearMissService(db, TEST_KEYS, clock=lambda: NOW)
    view = NearMissesView(service, as_user(db, "op.li"), PlantReads(db).sites(), clock=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1400, 600)
    assert view.wait()
    return view


def test_the_month_lists_its_near_misses_and_the_filters_narrow_it(qtbot: QtBot, db: Database) -> None:
    view = make(qtbot, db)
    assert view.month.currentData() == "2026-12"
    assert [text_of(view.table, r, 8) for r in range(view.table.rowCount())] == ["扳手坠落", "法兰泄漏"]
    assert text_of(view.table, 0, 0) == "12-02 08:00"  # the plant's time
    assert [text_of(view.table, 1, c) for c in (1, 2, 3, 4)] == [
        "一号厂区 / 加氢装置",
        "Gas release",
        "Control room",
        "王值班长",  # the person's name, not the account lead.wang
    ]
    assert view.table.item(1, 4).toolTip() == "lead.wang"
    assert view.summary.text().startswith("2 near misses in 2026-12")
    view.category.setCurrentIndex(view.category.findData("dropped_object"))
    assert view.wait()
    assert view.table.rowCount() == 1 and text_of(view.table, 0, 2) == "Dropped object"
    view.category.setCurrentIndex(0)
    view.month.setCurrentIndex(view.month.findData("2026-10"))
    assert view.wait()
    assert [text_of(view.table, r, 8) for r in range(view.table.rowCount())] == ["十月的一起"]


def test_an_alarm_about_a_worker_names_him(qtbot: QtBot, db: Database) -> None:
    """A near miss recorded from a man-down reads who it was about: the register's name beside the id."""
    with db.session() as s:
        s.add(Worker(id="W-77", name="张伟"))
    service = NearMissService(db, TEST_KEYS, clock=lambda: NOW)
    lead = as_user(db, "lead.wang")
    for minutes, alarm in ((30, "worker:W-77:MAN_DOWN"), (20, "worker:W-99:FALL")):  # W-99: not registered
        entry = NearMissEntry(
            NOW - timedelta(minutes=minutes), "S1", "fall_from_height", "人员倒地", area="A2", alarm_id=alarm
        )
        service.record(lead, entry)
    view = make(qtbot, db)
    alarms = [text_of(view.table, r, 7) for r in range(2)]
    assert alarms == ["worker W-99 · fall detected", "worker 张伟 (W-77) · man down"]
    assert view.table.item(1, 7).toolTip() == "worker:W-77:MAN_DOWN"  # the alarm's id, as it was


def test_the_dialog_records_a_near_miss_and_the_list_reloads(qtbot: QtBot, db: Database) -> None:
    view = make(qtbot, db)
    prefill = NearMissPrefill("S1", "A1", "HW-1", "S1/A1/GD-1/LEL:LEVEL")
    dialog = view.open_dialog(prefill)
    assert (dialog.site.currentData(), dialog.area.currentData(), dialog.permit.text()) == (
        "S1",
        "A1",
        "HW-1",
    )
    assert dialog.alarm.text() == "detector GD-1, LEL" and dialog.zone.text() == "UTC+8"  # not its id
    dialog.save.click()  # no category yet: refused, in words, nothing written
    assert dialog.wait()
    assert dialog.status.text() == "Choose a category." and dialog.isVisible()
    dialog.category.setCurrentIndex(dialog.category.findData("fire_ignition"))
    dialog.description.setPlainText("焊渣落入地沟，监护人及时扑灭")
    dialog.set_occurred(NOW - timedelta(minutes=30))
    with qtbot.waitSignal(dialog.recorded, timeout=10000):
        dialog.save.click()
    with db.session() as s:
        row = s.scalars(select(NearMiss).where(NearMiss.category == "fire_ignition")).one()
        assert (row.permit_id, row.alarm_id, row.recorded_by) == ("HW-1", "S1/A1/GD-1/LEL:LEVEL", "op.li")
        assert row.occurred_at == NOW - timedelta(minutes=30)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10000)
    row = next(r for r in range(3) if text_of(view.table, r, 5) == "HW-1")
    assert text_of(view.table, row, 7) == "detector GD-1, LEL"  # the alarm in words, never S1/A1/…
    assert text_of(view.table, row, 4) == "李操作员"


def test_a_long_account_wraps_in_its_column(qtbot: QtBot, db: Database, themed_app: QApplication) -> None:
    """In the console's own look (the theme's 14 pt font: without it the columns are half as wide
    and a narrow window fitted where a console's did not)."""
    long_text = "焊渣落入地沟，监护人及时扑灭。" * 30
    NearMissService(db, TEST_KEYS, clock=lambda: NOW).record(
        as_user(db, "lead.wang"), NearMissEntry(NOW - timedelta(hours=1), "S1", "gas_release", long_text)
    )
    view = make(qtbot, db)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10000)
    header = view.table.horizontalHeader()

    def inside() -> bool:
        return header.sectionViewportPosition(8) + header.sectionSize(8) <= view.table.viewport().width()

    assert inside()  # the account stays inside the table
    line = view.table.fontMetrics().height()
    assert view.table.rowHeight(0) >= 3 * line  # wrapped over several lines, all of it shown
    assert header.sectionSize(8) >= view.table.viewport().width() // 4  # what happened keeps its room
    roomy = [header.sectionSize(c) for c in range(8)]
    view.resize(900, 600)  # narrower: the account wraps to more lines, still inside
    qtbot.waitUntil(lambda: inside() and header.sectionSize(1) < roomy[1])
    needed = view.table.sizeHintForRow(0)
    assert view.table.rowHeight(0) >= needed  # never cut short with "…"
    assert text_of(view.table, 0, 8) == long_text
    assert [header.sectionSize(c) for c in (0, 5)] == [roomy[0], roomy[5]]  # the time, the permit: whole
    view.resize(1400, 600)  # wider again: every column gets its room back
    qtbot.waitUntil(lambda: [header.sectionSize(c) for c in range(8)] == roomy)
    assert inside()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_narrowed_columns_heading_wraps_whole_and_comes_back_on_one_line(
    qtbot: QtBot, db: Database, themed_app: QApplication, lang: str, request: pytest.FixtureRequest
) -> None:
    """At 900 px the wrapping columns give way to what happened and their headings were cut
    ("Recorded …"): now each takes the lines it needs, no more than its column's width by the header's
    own measure, every letter shown, and is one line again when the window is wide."""
    if lang == "zh_CN":
        request.getfixturevalue("glossary_chinese")
    long_text = "焊渣落入地沟，监护人及时扑灭。" * 30
    NearMissService(db, TEST_KEYS, clock=lambda: NOW).record(
        as_user(db, "lead.wang"), NearMissEntry(NOW - timedelta(hours=1), "S1", "gas_release", long_text)
    )
    view = make(qtbot, db)
    view.resize(1800, 600)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10000)
    header = view.table.horizontalHeader()
    joiner = " " if lang == "en" else ""  # words broken at 900 px end their line with a hyphen

    def heading(c: int) -> str:
        return view.table.horizontalHeaderItem(c).text()

    def whole_and_inside() -> bool:
        inside = header.sectionViewportPosition(8) + header.sectionSize(8) <= view.table.viewport().width()
        return inside and all(
            header.sectionSizeFromContents(c).width() <= header.sectionSize(c)
            and joiner.join(heading(c).replace("-\n", "").split("\n")) == titles[c]
            for c in range(8)
        )

    titles = [heading(c) for c in range(9)]
    assert not any("\n" in t for t in titles)  # wide: every heading on one line
    one_line = header.height()
    view.resize(900, 600)
    qtbot.waitUntil(lambda: any("\n" in heading(c) for c in range(8)), timeout=5000)
    assert whole_and_inside()
    qtbot.waitUntil(lambda: header.height() > one_line * 1.5, timeout=5000)  # the header grew a line
    view.resize(1800, 600)
    qtbot.waitUntil(lambda: [heading(c) for c in range(9)] == titles, timeout=5000)
    assert whole_and_inside()


def test_the_time_is_the_plants_wall_time_whatever_the_machines_zone(qtbot: QtBot, db: Database) -> None:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        service = NearMissService(db, TEST_KEYS, clock=lambda: NOW)
        dialog = NearMissDialog(service, as_user(db, "op.li"), PlantReads(db).sites(), clock=lambda: NOW)
        qtbot.addWidget(dialog)
        assert dialog.occurred.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-12-02 10:00"
        assert dialog.occurred_at() == NOW
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.broker
def test_record_near_miss_from_a_live_alarm_fills_in_its_place_and_id(
    qtbot: QtBot, live_propose: Live
) -> None:
    live = live_propose
    view = AlarmView(live.core, live.bridge, OPERATOR, live.sites, journal=JournalSearch(live.db))
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    asked: list[NearMissPrefill] = []
    assert not view.near_miss_button.isVisibleTo(view)  # not offered without a recorder
    view.set_near_miss_recorder(asked.append)
    assert view.near_miss_button.isVisibleTo(view)
    live.publish({"LEL": 30.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: view.select_alarm("S1/A1/GD-1/LEL:LEVEL"), timeout=8000)
    assert "Record near miss…" in [a.text() for a in view.table.build_context_menu().actions()]
    view.near_miss_button.click()
    assert asked == [NearMissPrefill("S1", "A1", "", "S1/A1/GD-1/LEL:LEVEL")]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_category_picker_says_what_the_monthly_report_says(
    qtbot: QtBot, db: Database, lang: str, request: pytest.FixtureRequest
) -> None:
    """The picker and the report count the same categories: the same words in both languages."""
    from cockpit.report.monthly_texts import STRINGS
    from models.records import NearMissCategory

    if lang == "zh_CN":
        request.getfixturevalue("glossary_chinese")
    view = make(qtbot, db)
    dialog = view.open_dialog()
    offered = {
        dialog.category.itemData(i): dialog.category.itemText(i) for i in range(1, dialog.category.count())
    }
    assert offered == {c.value: STRINGS[lang][f"nm_{c.value}"] for c in NearMissCategory}
    dialog.close()
