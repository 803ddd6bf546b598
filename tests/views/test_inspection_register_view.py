"""The inspection register's screen with real Qt (offscreen) and a real database: a safety manager saves
an item, a route and an area's owner and draws the month's spot checks; an operator reads it all and
changes nothing; the rounds board knows what the screen saved. Pictures in both languages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cockpit.inspection.register import InspectionRegister
from cockpit.inspection.register_reads import InspectionReads
from cockpit.inspection.rounds import RoundsReads
from cockpit.plant_reads import PlantReads
from cockpit.register_io.service import RegisterIO
from cockpit.roles import Actor
from connectors.database import Database
from models.records import Role
from models.schema import AuditEntry, Equipment, SpotCheck
from tests.support.fresh_db import open_fresh
from tests.support.inspection import build_inspected_plant
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.factories import view_factories
from views.inspection_register_view import InspectionRegisterView

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
SHOTS = os.environ.get("INSPECTION_SHOTS")  # a folder: the screen's pictures are written there

_SCREENS: list[InspectionRegisterView] = []


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    build_inspected_plant(database, NOW)
    _SCREENS.clear()
    try:
        yield database
    finally:
        for screen in _SCREENS:  # a read still running on a screen's worker must end before the close
            assert screen.wait_idle(20000)
        _SCREENS.clear()
        database.dispose()


def view_for(qtbot: QtBot, db: Database, user: str) -> InspectionRegisterView:
    acting = as_user(db, user)
    register = (
        InspectionRegister(db, TEST_KEYS, clock=lambda: NOW)
        if acting.role in (Role.ADMIN, Role.SAFETY_MANAGER)
        else None
    )
    view = InspectionRegisterView(
        register,
        InspectionReads(db),
        acting=acting,
        sites=PlantReads(db).sites(),
        files=RegisterIO(db, TEST_KEYS, clock=lambda: NOW),
        clock=lambda: NOW,
    )
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1500, 760)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        pass
    return view


def click(qtbot: QtBot, view: InspectionRegisterView, key: str) -> None:
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons[key].click()


def shoot(view: InspectionRegisterView, name: str) -> None:
    if SHOTS:
        QApplication.processEvents()
        view.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_a_safety_manager_saves_equipment_a_route_an_owner_and_draws_spot_checks(
    qtbot: QtBot, db: Database
) -> None:
    view = view_for(qtbot, db, "mgr.sun")
    assert view.equipment.table.rowCount() == 6 and view.routes.table.rowCount() == 1
    assert view.notice.isHidden() and view.buttons["equipment"].isVisible()
    view.eq_code.setText("P-105")
    view.eq_name.setText("空冷器")
    view.eq_site.setText("S1")
    view.eq_area.setText("A1")
    view.eq_tag.setText("TAG-105")
    view.eq_x.setText("65")
    view.eq_y.setText("30")
    view.eq_checklist.setPlainText("有无泄漏\n风机振动 (mm/s)\n")
    click(qtbot, view, "equipment")
    qtbot.waitUntil(lambda: view.equipment.table.rowCount() == 7, timeout=10000)
    with db.session() as s:
        item = s.get(Equipment, "P-105")
        assert item is not None and item.checklist == ["有无泄漏", "风机振动 (mm/s)"] and item.x == 65.0
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.subject == "equipment/P-105")) == "mgr.sun"
    view.tabs.setCurrentIndex(1)
    view.routes.table.selectRow(0)
    assert view.rt_points.text() == "P-101, P-102, P-103"
    view.rt_points.setText("P-101, P-102, P-103, P-105")
    click(qtbot, view, "route")
    board = RoundsReads(db, clock=lambda: NOW).board()
    assert [p.equipment for p in board.rounds[0].points] == ["P-101", "P-102", "P-103", "P-105"]
    view.eq_tag.setText("TAG-101")  # another item's tag: refused, said on the screen
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["equipment"].click()
    assert failed.args == ["The tag TAG-101 is already on P-101."]
    view.tabs.setCurrentIndex(3)
    view.sp_seed.setValue(42)
    view.sp_count.setValue(3)
    click(qtbot, view, "draw")
    qtbot.waitUntil(lambda: view.spot.table.rowCount() == 3, timeout=10000)
    with db.session() as s:
        assert len(s.scalars(select(SpotCheck).where(SpotCheck.month == "2026-12")).all()) == 3
    shoot(view, "inspection-register-spot-checks-en")
    view.tabs.setCurrentIndex(0)
    view.equipment.table.selectRow(0)
    shoot(view, "inspection-register-editor-en")


def test_an_operator_reads_the_register_and_can_change_nothing(qtbot: QtBot, db: Database) -> None:
    view = view_for(qtbot, db, "op.li")
    assert view.equipment.table.rowCount() == 6
    assert not view.notice.isHidden() and "administrators and safety managers" in view.notice.text()
    assert not any(view.buttons[k].isVisible() for k in ("equipment", "route", "owner", "draw"))
    assert view.eq_code.isReadOnly() and view.eq_checklist.isReadOnly() and view.rt_per_day.isReadOnly()
    assert view.files is not None and not view.files.buttons["import"].isVisible()
    assert view.files.buttons["export"].isVisible()  # every role may take the register away as a file
    view.equipment.table.selectRow(0)
    assert view.eq_code.text() == "P-101" and "泄漏" in view.eq_checklist.toPlainText()
    with pytest.raises(RuntimeError):  # a caller that bypasses the hidden buttons gets no service
        view._edits()


def test_the_screen_is_offered_to_every_role() -> None:
    for role in Role:
        assert "inspection_register" in view_factories(Actor("x", role)), role


def test_the_chinese_screen(qtbot: QtBot, db: Database, glossary_chinese: None) -> None:  # noqa: F811
    view = view_for(qtbot, db, "mgr.sun")
    assert view.tabs.tabText(0) == "设备" and view.buttons["equipment"].text() == "保存设备"
    view.eq_code.setText("P 9")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["equipment"].click()
    assert failed.args[0].startswith("编码 P 9 不合规")
    view.equipment.table.selectRow(1)
    shoot(view, "inspection-register-editor-zh")
    view.tabs.setCurrentIndex(1)
    view.routes.table.selectRow(0)
    shoot(view, "inspection-register-routes-zh")
    view.tabs.setCurrentIndex(3)
    assert view.sp_none.text() == "本月尚未抽取抽检点。" and view.spot.table.rowCount() == 0
    view.sp_seed.setValue(7)
    click(qtbot, view, "draw")
    qtbot.waitUntil(lambda: view.spot.table.rowCount() == 5, timeout=10000)
    assert view.sp_none.isHidden()
    shoot(view, "inspection-register-spot-checks-zh")
    reader = view_for(qtbot, db, "op.li")
    reader.equipment.table.selectRow(0)
    shoot(reader, "inspection-register-operator-zh")
