"""The Sparkplug mapping tab with real Qt and a real database: an editor adds, changes, moves, removes and
saves entries in order; a bad entry is refused in the user's words with nothing saved; an unmapped metric
prefills the form; other roles only read; the tab sits beside the detectors and reads in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.roles import Actor
from cockpit.sparkplug_config import SparkplugMap
from cockpit.sparkplug_register import AUDIT_ACTION, SparkplugRegister
from connectors.database import Database
from models.records import RiskLevel, Role
from models.schema import AuditEntry
from tests.support.plant_db import register_db
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.detectors_view import DetectorsView
from views.factories import view_factories
from views.sparkplug_map_view import SparkplugMapView
from views.sparkplug_stops_view import SparkplugStopsView

_SCREENS: list[SparkplugMapView | SparkplugStopsView] = []
UNMAPPED = [["Plant1", "GW-1", "SPD-1", "Gas/Flow", "m3/h"], ["Plant1", "GW-1", "", "Cabinet/Temp", "C"]]


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
            for view in _SCREENS:
                assert view._offgui.wait(20000)
            _SCREENS.clear()


def screen(qtbot: QtBot, db: Database, acting: str, *, editable: bool) -> SparkplugMapView:
    view = SparkplugMapView(
        SparkplugRegister(db, TEST_KEYS),
        PlantReads(db),
        acting=as_user(db, acting),
        editable=editable,
        unmapped=lambda: UNMAPPED,
    )
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.resize(1500, 800)
    view.show()
    qtbot.waitUntil(lambda: view.form.area.count() == 1, timeout=10000)
    return view


def fill(view: SparkplugMapView, metric: str, channel: str, *, hi: str = "", device: str = "GD-*") -> None:
    f = view.form
    for key, text in (("group", "Plant1"), ("node", "GW-*"), ("device", device), ("metric", metric)):
        f.patterns[key].setText(text)
    f.channel.setCurrentText(channel)
    f.unit.setText("")
    f.limits["hi"].setText(hi)


def column(view: SparkplugMapView, col: int) -> list[str]:
    return [view.table.item(r, col).text() for r in range(view.table.rowCount())]


def test_an_editor_builds_the_list_in_order_and_saves_it_once(qtbot: QtBot, db: Database) -> None:
    view = screen(qtbot, db, "safety", editable=True)
    fill(view, "Gas/H2S", "H2S", hi="5")
    view.buttons["add"].click()
    fill(view, "Gas/LEL", "LEL")
    view.buttons["add"].click()
    fill(view, "Gas/CO", "CO")
    view.buttons["add"].click()
    assert column(view, 4) == ["Gas/H2S", "Gas/LEL", "Gas/CO"] and view.changed
    view.table.selectRow(2)
    view.buttons["up"].click()  # CO before LEL
    view.table.selectRow(1)
    assert view.form.patterns["metric"].text() == "Gas/CO"  # a selected entry fills the form
    view.form.channel.setCurrentText("O2")
    view.form.patterns["metric"].setText("Gas/O2")
    view.buttons["apply"].click()
    view.table.selectRow(2)
    view.buttons["remove"].click()
    assert column(view, 4) == ["Gas/H2S", "Gas/O2"]
    assert SparkplugRegister(db, TEST_KEYS).entries() == []  # nothing is stored before the save
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["save"].click()
    qtbot.waitUntil(lambda: not view.changed, timeout=10000)
    stored = SparkplugRegister(db, TEST_KEYS).entries()
    assert [(e.metric, e.channel, e.unit, e.limits) for e in stored] == [
        ("Gas/H2S", "H2S", "ppm", {"hi": 5.0}),
        ("Gas/O2", "O2", "%VOL", {}),
    ]
    assert column(view, 9) == ["ppm", "%VOL"] and column(view, 10) == ["HI 5", ""]
    with db.session() as s:
        audits = s.query(AuditEntry).filter(AuditEntry.action == AUDIT_ACTION).all()
        assert [a.actor for a in audits] == ["safety"]


def test_a_bad_entry_is_refused_in_words_and_nothing_is_saved(qtbot: QtBot, db: Database) -> None:
    SparkplugRegister(db, TEST_KEYS).save(
        as_user(db, "boss"), [SparkplugMap(metric="Gas/H2S", site="S1", area="A1", channel="H2S")]
    )
    view = screen(qtbot, db, "boss", editable=True)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    fill(view, "Gas/X", "XYZ")
    view.buttons["add"].click()
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["save"].click()
    assert failed.args[0] == "Entry 2: XYZ is not a known gas: give its unit"
    view.form.limits["hi"].setText("abc")
    with qtbot.waitSignal(view.action_failed, timeout=10000) as bad:
        view.buttons["add"].click()
    assert bad.args[0] == "HI: 'abc' is not a number"
    assert [e.metric for e in SparkplugRegister(db, TEST_KEYS).entries()] == ["Gas/H2S"]


def test_an_unmapped_metric_prefills_the_form(qtbot: QtBot, db: Database) -> None:
    view = screen(qtbot, db, "boss", editable=True)
    assert view.unmapped.rowCount() == 2
    view.unmapped.selectRow(1)
    view.buttons["map"].click()
    f = view.form
    got = [f.patterns[k].text() for k in ("group", "node", "device", "metric")] + [f.unit.text()]
    assert got == ["Plant1", "GW-1", "", "Cabinet/Temp", "C"]  # the node's own metric: device empty
    f.channel.setCurrentText("TEMP")
    view.buttons["add"].click()
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["save"].click()
    (entry,) = SparkplugRegister(db, TEST_KEYS).entries()
    assert (entry.node, entry.device, entry.metric, entry.channel, entry.unit) == (
        "GW-1", "", "Cabinet/Temp", "TEMP", "C",
    )  # fmt: skip


def test_other_roles_read_the_list_without_the_editing_controls(qtbot: QtBot, db: Database) -> None:
    SparkplugRegister(db, TEST_KEYS).save(
        as_user(db, "boss"), [SparkplugMap(metric="Gas/H2S", site="S1", area="A1", channel="H2S")]
    )
    view = screen(qtbot, db, "op", editable=False)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.side.isHidden() and view.buttons["save"].isHidden() and view.buttons["map"].isHidden()
    assert column(view, 4) == ["Gas/H2S"] and view.unmapped.rowCount() == 2


@pytest.mark.usefixtures("glossary_chinese")
def test_the_tab_sits_beside_the_detectors_and_reads_in_chinese(qtbot: QtBot, db: Database) -> None:
    tab = SparkplugMapView(
        SparkplugRegister(db, TEST_KEYS), PlantReads(db), acting=as_user(db, "boss"), editable=True
    )
    _SCREENS.append(tab)
    view = DetectorsView(PlantReads(db), None, acting=as_user(db, "boss"), sparkplug=tab)
    qtbot.addWidget(view)
    view.show()
    assert [view.tabs.tabText(i) for i in range(3)] == ["气体检测仪", "风速仪", "Sparkplug 映射"]
    assert tab.buttons["map"].text() == "映射此测点…"
    qtbot.waitUntil(lambda: tab.form.area.count() == 1, timeout=10000)
    fill(tab, "Gas/X", "XYZ")
    tab.buttons["add"].click()
    with qtbot.waitSignal(tab.action_failed, timeout=10000) as failed:
        tab.buttons["save"].click()
    assert failed.args[0] == "第 1 条：XYZ 不是已知气体，请填写单位"
    assert tab.buttons["save"].text() == "保存映射"


def test_an_editor_keeps_stop_work_targets_and_a_missing_node_is_refused(qtbot: QtBot, db: Database) -> None:
    view = SparkplugStopsView(
        SparkplugRegister(db, TEST_KEYS), PlantReads(db), acting=as_user(db, "safety"), editable=True
    )
    qtbot.addWidget(view)
    _SCREENS.append(view)
    view.show()
    qtbot.waitUntil(lambda: view.area.count() == 1, timeout=10000)
    assert view.fields["metric"].text() == "StopWork"  # the usual metrics, prefilled
    view.fields["group"].setText("Plant1")
    view.fields["device"].setText("SW-1")
    view.buttons["add"].click()
    with qtbot.waitSignal(view.action_failed, timeout=10000) as failed:
        view.buttons["save"].click()
    assert failed.args[0] == "Stop-work target 1: Edge node is empty"
    view.table.selectRow(0)
    view.fields["node"].setText("GW-1")
    view.buttons["apply"].click()
    with qtbot.waitSignal(view.action_done, timeout=10000):
        view.buttons["save"].click()
    (stop,) = SparkplugRegister(db, TEST_KEYS).stops()
    assert (stop.site, stop.area, stop.group, stop.node, stop.device, stop.ack_metric) == (
        "S1", "A1", "Plant1", "GW-1", "SW-1", "StopWork/Ack",
    )  # fmt: skip


def test_the_detectors_screen_of_any_role_has_both_sparkplug_tabs(qtbot: QtBot, db: Database) -> None:
    """The factory's wiring: everyone reads both tabs, editors get the controls."""
    for role, editable in ((Role.OPERATOR, False), (Role.SAFETY_MANAGER, True)):
        ctx = SimpleNamespace(
            plant=PlantReads(db),
            detector_edits=None,
            register_files=None,
            actor=SimpleNamespace(username="x", role=role),
            sparkplug_map=SparkplugRegister(db, TEST_KEYS),
            core=SimpleNamespace(health_payload=lambda: {"sparkplug": {"unmapped_metrics": UNMAPPED}}),
        )
        view = view_factories(Actor("x", role))["detectors"](ctx)  # type: ignore[arg-type]
        qtbot.addWidget(view)
        assert isinstance(view, DetectorsView) and view.tabs.count() == 4
        assert view.sparkplug is not None and view.sparkplug_stops is not None
        _SCREENS.extend([view.sparkplug, view.sparkplug_stops])  # type: ignore[list-item]
        assert view.sparkplug.side.isHidden() is not editable  # type: ignore[attr-defined]
        assert view.sparkplug.unmapped.rowCount() == 2  # type: ignore[attr-defined]
        assert view.sparkplug_stops.buttons["save"].isHidden() is not editable  # type: ignore[attr-defined]
        assert view._offgui.wait(20000)
