"""The detectors screen with real Qt and a real database: an editor registers a detector, a channel with a
stricter limit and a wind mast; a looser limit is refused in the user's words; other roles only read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.detector_register import DetectorRegister
from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.roles import Actor
from connectors.database import Database
from models.records import RiskLevel, Role
from models.schema import AuditEntry
from tests.support.plant_db import register_db
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.detectors_view import DetectorsView
from views.factories import view_factories
from views.read_only import ReadOnlyNotice

_SCREENS: list[DetectorsView] = []


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    _SCREENS.clear()
    with register_db(url) as database:
        PlantRegister(database, TEST_KEYS).save_site(as_user(database, "boss"), "S1", "一号厂区")
        PlantRegister(database, TEST_KEYS).save_area(
            as_user(database, "boss"), "S1", "A1", "常减压装置", risk_level=RiskLevel.HIGH
        )
        try:
            yield database
        finally:
            for screen in _SCREENS:
                assert screen._offgui.wait(20000)
            _SCREENS.clear()


def screen(qtbot: QtBot, db: Database, acting: str, *, edits: bool) -> DetectorsView:
    view = DetectorsView(
        PlantReads(db), DetectorRegister(db, TEST_KEYS) if edits else None, acting=as_user(db, acting)
    )
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1500, 900)
    view.show()
    qtbot.waitUntil(lambda: view.place.area.count() == 1, timeout=10000)
    return view


def click(qtbot: QtBot, view: DetectorsView, key: str) -> None:
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons[key].click()


def test_an_editor_registers_a_detector_a_stricter_channel_and_a_wind_mast(
    qtbot: QtBot, db: Database
) -> None:
    view = screen(qtbot, db, "safety", edits=True)
    view.place.device.setText("GD-101")
    view.place.model.setText("GT-2000")
    view.place.pos_x.setText("12.5")
    view.place.pos_y.setText("40")
    click(qtbot, view, "detector")
    qtbot.waitUntil(lambda: view.selected_device() == "GD-101", timeout=10000)
    view.ch.setCurrentText("H2S")
    view.limits["hi"].setText("5")
    view.max_age.setText("30")
    click(qtbot, view, "channel")
    qtbot.waitUntil(lambda: view.channels.rowCount() == 1, timeout=10000)
    row = [view.channels.item(0, c).text() for c in range(8)]
    assert row == ["H2S", "ppm", "cn", "—", "—", "5 *", "14", "30"]  # HIHI is the cn profile's
    view.mast_place.device.setText("WM-1")
    view.mast_age.setText("20")
    click(qtbot, view, "mast")
    qtbot.waitUntil(lambda: view.masts.rowCount() == 1, timeout=10000)
    assert view.detectors.rowCount() == 1  # the mast is not listed among the gas detectors
    with db.session() as s:
        actions = [r.action for r in s.query(AuditEntry).order_by(AuditEntry.seq)][-3:]
    assert actions == ["register.detector", "register.channel", "register.wind_mast"]


def test_a_looser_limit_is_refused_and_nothing_changes(qtbot: QtBot, db: Database) -> None:
    DetectorRegister(db, TEST_KEYS).save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    view = screen(qtbot, db, "boss", edits=True)
    qtbot.waitUntil(lambda: view.detectors.rowCount() == 1, timeout=10000)
    view.select_device("GD-1")
    view.ch.setCurrentText("CO")
    view.limits["hi"].setText("40")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["channel"].click()
    assert failed.args[0] == "CO HI 40 is looser than the cn profile's 17: stricter limits only"
    view.limits["hi"].setText("abc")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as bad:
        view.buttons["channel"].click()
    assert "'abc' is not a number" in bad.args[0]
    assert next(d for d in PlantReads(db).detectors() if d.device_id == "GD-1").channels == ()


def test_an_operator_reads_and_the_service_refuses_an_edit(qtbot: QtBot, db: Database) -> None:
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    reg.save_channel(as_user(db, "boss"), "GD-1", "O2", limits={"lo": 19.8})
    view = screen(qtbot, db, "op", edits=False)
    qtbot.waitUntil(lambda: view.detectors.rowCount() == 1, timeout=10000)
    view.select_device("GD-1")
    qtbot.waitUntil(lambda: view.channels.rowCount() == 1, timeout=10000)
    assert [view.channels.item(0, c).text() for c in range(4, 7)] == ["19.8 *", "23.5", "—"]
    assert view.channel_box.isHidden() and view.detector_box.isHidden() and view.mast_box.isHidden()
    notice = view.findChild(ReadOnlyNotice)
    assert notice is not None and not notice.isHidden() and notice.text().startswith("You can read")
    with pytest.raises(Exception, match="may not edit"):
        reg.save_channel(as_user(db, "op"), "GD-1", "O2", limits={"lo": 20})
    for role in Role:
        assert "detectors" in view_factories(Actor("x", role))  # everyone reads the register
        assert "site_plan" in view_factories(Actor("x", role))  # read-only for all but the editors


@pytest.mark.usefixtures("glossary_chinese")
def test_the_screen_and_its_refusals_read_in_chinese(qtbot: QtBot, db: Database) -> None:
    DetectorRegister(db, TEST_KEYS).save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    view = screen(qtbot, db, "boss", edits=True)
    assert [view.tabs.tabText(i) for i in range(2)] == ["气体检测仪", "风速仪"]
    qtbot.waitUntil(lambda: view.detectors.rowCount() == 1, timeout=10000)
    view.select_device("GD-1")
    view.ch.setCurrentText("H2S")
    view.limits["hihi"].setText("20")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["channel"].click()
    assert failed.args[0] == "H2S HIHI 20 比 cn 方案的 14 宽松：只能设定更严格的限值"
