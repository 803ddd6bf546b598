"""The site plan editor with real Qt and a real database: a plan loaded, a polygon drawn by clicks,
stored and drawn again (here and on the running map), fewer than 3 points refused, other roles refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.site_plans import SitePlans
from connectors.database import Database
from models.records import RiskLevel
from models.schema import AuditEntry
from tests.support.plant_db import png_bytes, register_db
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.site_plan_view import SitePlanView

_SCREENS: list[SitePlanView] = []


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    _SCREENS.clear()
    with register_db(url) as database:
        reg = PlantRegister(database, TEST_KEYS)
        reg.save_site(as_user(database, "boss"), "S1", "一号厂区")
        reg.save_area(as_user(database, "boss"), "S1", "A1", "常减压装置", risk_level=RiskLevel.HIGH)
        reg.save_area(as_user(database, "boss"), "S1", "A2", "罐区", risk_level=RiskLevel.MAJOR)
        try:
            yield database
        finally:  # before the engine closes: a worker still reading SQLite then crashed the process
            for screen in _SCREENS:
                assert screen._offgui.wait(20000)
            _SCREENS.clear()


def editor(qtbot: QtBot, db: Database, acting: str, *, edits: bool = True) -> SitePlanView:
    plans = SitePlans(db, TEST_KEYS) if edits else None  # views/factories.py: editors only
    view = SitePlanView(plans, PlantReads(db), acting=as_user(db, acting))
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1400, 800)
    view.show()
    qtbot.waitUntil(lambda: view.site_box.count() == 1 and view.areas.count() == 2, timeout=10000)
    return view


def load_plan(qtbot: QtBot, view: SitePlanView, tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    path.write_bytes(png_bytes(800, 400))
    with qtbot.waitSignal(view.plan_loaded, timeout=10000):
        view.load_file(path)
    qtbot.waitUntil(view.canvas.has_image, timeout=10000)


def click_plan(qtbot: QtBot, view: SitePlanView, x: float, y: float) -> None:
    QTest.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=view.canvas.view_point(x, y))


def near(a: list[tuple[float, float]], b: list[tuple[float, float]], tol: float = 3.0) -> bool:
    return len(a) == len(b) and all(
        abs(p[0] - q[0]) <= tol and abs(p[1] - q[1]) <= tol for p, q in zip(a, b, strict=True)
    )


def test_a_polygon_drawn_by_clicks_is_stored_and_drawn_again(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    view = editor(qtbot, db, "boss")
    load_plan(qtbot, view, tmp_path)
    view.select_area("A1")
    view.buttons["draw"].click()
    corners = [(100.0, 100.0), (300.0, 100.0), (300.0, 250.0), (100.0, 250.0)]
    for x, y in corners:
        click_plan(qtbot, view, x, y)
    assert near(view.canvas.draft_points, corners)
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["close"].click()
    stored = SitePlans(db, TEST_KEYS).polygon_px("S1", "A1")
    assert near(stored, corners)
    # a fresh screen reads it back and draws it
    again = editor(qtbot, db, "safety")
    qtbot.waitUntil(lambda: "A1" in again.polygons_px(), timeout=10000)
    assert near(again.polygons_px()["A1"][1], corners)
    with db.session() as s:
        last = s.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        assert last is not None and (last.actor, last.action, last.subject) == (
            "boss",
            "register.area_polygon",
            "S1/A1",
        )


def test_two_clicks_are_refused_and_nothing_is_stored(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = editor(qtbot, db, "boss")
    load_plan(qtbot, view, tmp_path)
    view.select_area("A2")
    view.buttons["draw"].click()
    click_plan(qtbot, view, 50, 50)
    click_plan(qtbot, view, 200, 50)
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["close"].click()
    assert "at least 3 points" in failed.args[0]
    assert SitePlans(db, TEST_KEYS).polygon_px("S1", "A2") == []


def test_the_scale_measured_between_two_clicks(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = editor(qtbot, db, "boss")
    load_plan(qtbot, view, tmp_path)
    view.distance.setValue(100.0)
    view.buttons["measure"].click()
    click_plan(qtbot, view, 100, 200)
    with qtbot.waitSignal(view.action_done, timeout=10000):
        click_plan(qtbot, view, 500, 200)  # 400 px apart (within a click's rounding) → 0.25 m/px
    plan = SitePlans(db, TEST_KEYS).plan("S1")
    assert plan is not None and plan.m_per_px == pytest.approx(0.25, rel=0.02)
    qtbot.waitUntil(lambda: abs(view.scale.value() - plan.m_per_px) < 1e-4, timeout=10000)


def test_an_operator_is_refused_in_the_service(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    SitePlans(db, TEST_KEYS).load(as_user(db, "boss"), "S1", png_bytes(800, 400), m_per_px=0.5)
    view = editor(qtbot, db, "op")  # the screen is only built for editors; the service holds the line
    qtbot.waitUntil(view.canvas.has_image, timeout=10000)
    view.select_area("A1")
    view.buttons["draw"].click()
    for x, y in ((10, 10), (90, 10), (90, 90)):
        click_plan(qtbot, view, x, y)
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["close"].click()
    assert "op" in failed.args[0] and "administrators" in failed.args[0]
    assert SitePlans(db, TEST_KEYS).polygon_px("S1", "A1") == []


def test_an_operator_sees_the_plan_and_its_areas_and_cannot_change_them(
    qtbot: QtBot, db: Database, request: pytest.FixtureRequest
) -> None:
    plans = SitePlans(db, TEST_KEYS)
    plans.load(as_user(db, "boss"), "S1", png_bytes(800, 400), m_per_px=0.5)
    corners = [(100.0, 100.0), (300.0, 100.0), (300.0, 250.0)]
    plans.save_polygon(as_user(db, "boss"), "S1", "A1", corners)
    view = editor(qtbot, db, "op", edits=False)
    qtbot.waitUntil(lambda: view.canvas.has_image() and "A1" in view.polygons_px(), timeout=10000)
    assert near(view.polygons_px()["A1"][1], corners)
    assert view.scale.value() == 0.5 and view.scale.isReadOnly()
    assert not view.notice.isHidden()
    assert view.notice.text() == ("You can read this register; administrators and safety managers change it.")
    assert all(button.isHidden() for button in view.buttons.values()) and view.distance.isHidden()
    view.select_area("A2")
    for x, y in ((400, 50), (700, 50), (700, 300)):
        click_plan(qtbot, view, x, y)  # no drawing starts
    assert view.canvas.draft_points == [] and "A2" not in view.polygons_px()
    request.getfixturevalue("glossary_chinese")
    qtbot.waitUntil(
        lambda: view.notice.text() == "您可查阅本名册；修改由管理员和安全经理进行。", timeout=5000
    )
    editing = editor(qtbot, db, "safety")
    assert editing.notice.isHidden() and not editing.buttons["load"].isHidden()


def test_every_role_gets_the_site_plan_and_the_areas_register() -> None:
    from cockpit.roles import Actor
    from models.records import Role
    from views.factories import view_factories

    for role in Role:
        assert {"site_plan", "register"} <= view_factories(Actor("x", role)).keys(), role


def test_a_file_that_is_not_a_plan_is_one_line(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = editor(qtbot, db, "boss")
    path = tmp_path / "workers.xlsx"
    path.write_bytes(b"PK\x03\x04 not a plan")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.load_file(path)
    assert failed.args[0].startswith("Not a PNG or SVG plan") and "\n" not in failed.args[0]
    assert SitePlans(db, TEST_KEYS).plan("S1") is None


def test_a_drawn_polygon_is_edited_from_its_points(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = editor(qtbot, db, "safety")
    load_plan(qtbot, view, tmp_path)
    SitePlans(db, TEST_KEYS).save_polygon(
        as_user(db, "boss"), "S1", "A2", [(400, 50), (700, 50), (700, 300), (400, 300)]
    )
    view.refresh()
    qtbot.waitUntil(lambda: "A2" in view.polygons_px(), timeout=10000)
    view.select_area("A2")
    view.buttons["draw"].click()
    assert near(view.canvas.draft_points, [(400, 50), (700, 50), (700, 300), (400, 300)], tol=0.5)
    view.buttons["undo"].click()  # the last corner goes, a new one is clicked
    click_plan(qtbot, view, 550, 380)
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["close"].click()
    assert near(
        SitePlans(db, TEST_KEYS).polygon_px("S1", "A2"), [(400, 50), (700, 50), (700, 300), (550, 380)]
    )
    # and deleted
    qtbot.waitUntil(view.buttons["delete"].isEnabled, timeout=10000)
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["delete"].click()
    assert SitePlans(db, TEST_KEYS).polygon_px("S1", "A2") == []


@pytest.mark.usefixtures("glossary_chinese")
def test_the_refusal_of_two_points_reads_in_chinese(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = editor(qtbot, db, "boss")
    load_plan(qtbot, view, tmp_path)
    assert view.buttons["draw"].text() == "绘制多边形"
    view.select_area("A1")
    view.buttons["draw"].click()
    click_plan(qtbot, view, 50, 50)
    click_plan(qtbot, view, 200, 50)
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["close"].click()
    assert failed.args[0] == "区域多边形至少需要 3 个点（已点击 2 个）"
