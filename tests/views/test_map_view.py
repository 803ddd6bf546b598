"""The site map: areas by live risk and alarm, detector pins by state, workers, the side panel,
stop and resume."""

from __future__ import annotations

import json
import time

import pytest
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from tests.views.live_plant import LEAD, OPERATOR, Live
from views.map_view import MapView

pytestmark = pytest.mark.broker


def make(qtbot: QtBot, live: Live, actor=OPERATOR) -> MapView:  # type: ignore[no-untyped-def]
    view = MapView(live.core, live.bridge, actor, live.sites, plant=PlantReads(live.db))
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    return view


def test_hihi_colours_the_area_and_the_detector_pin(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    site_map = view.site_map
    assert sorted(site_map.area_keys()) == [("S1", "A1"), ("S1", "A2")]
    qtbot.waitUntil(lambda: site_map.detector_item("GD-1") is not None, timeout=5000)
    assert site_map.detector_item("GD-1").pin.state == "stale"  # never reported: not shown as fine
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: site_map.detector_item("GD-1").pin.state == "ok", timeout=5000)
    area = site_map.area_item("S1", "A1")
    assert area.shape_data.alarm_priority is None
    assert area.shape_data.live_risk is None  # major stays major: not raised
    assert "HOT 1" in site_map.area_label_lines("S1", "A1")[1]
    live.publish({"LEL": 30.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: area.shape_data.alarm_priority == 1, timeout=5000)
    assert site_map.detector_item("GD-1").pin.state == "alarm"
    assert site_map.is_blinking()
    qtbot.waitUntil(lambda: site_map.area_is_stopped_marked("S1", "A1"), timeout=5000)  # auto stop
    assert site_map.area_item("S1", "A2").shape_data.alarm_priority is None


def test_side_panel_shows_contacts_guidance_and_who_is_inside(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    view.focus_area("S1", "A1")
    qtbot.waitUntil(lambda: "13800000001" in view.contact_texts(), timeout=5000)
    assert view.guidance.text() == "撤离至东门集合点"
    assert "李焊工" in view.inside.text()
    assert "HW-1" in view.permits.text()
    view.select_area("S1", "A2")
    qtbot.waitUntil(
        lambda: "No emergency contacts configured" in " ".join(view.contact_texts()), timeout=5000
    )
    assert view.inside.text() == "Nobody on an active permit."


def test_worker_positions_from_the_field_become_markers(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    body = {"ts": int(time.time() * 1000), "type": "checkin", "role": "worker", "x": 20.0, "y": 15.0}
    live.field.publish(live.topic("S1/A1/worker/W-1/event"), json.dumps(body).encode())
    qtbot.waitUntil(lambda: view.site_map.worker_item("W-1") is not None, timeout=5000)
    item = view.site_map.worker_item("W-1")
    assert item.mark.alarm is False
    assert item.pos() == view.site_map.to_scene(20.0, 15.0)


def test_stop_button_sends_a_command_and_resume_is_for_shift_leads(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    view.focus_area("S1", "A2")
    assert view.stop_button.isEnabled()
    view.stop_button.click()  # one click, no confirmation
    qtbot.waitUntil(lambda: len(live.stops("S1", "A2")) == 1, timeout=5000)
    assert live.stops("S1", "A2")[0]["issued_by"] == OPERATOR.username
    qtbot.waitUntil(lambda: "STOPPED" in view.work.text(), timeout=5000)
    # The operator sees the resume control, disabled, with the reason.
    assert view.resume_button.isVisibleTo(view)
    assert not view.resume_button.isEnabled()
    assert "may not resume work" in view.resume_button.toolTip()
    lead = make(qtbot, live, actor=LEAD)
    lead.focus_area("S1", "A2")
    qtbot.waitUntil(lead.resume_button.isEnabled, timeout=5000)
    lead.resume_button.click()  # no reason: refused in the form
    assert "reason" in lead.status.text()
    lead.resume_reason.setText("area checked, gas normal")
    lead.resume_button.click()
    qtbot.waitUntil(lambda: "Resume-work command" in lead.status.text(), timeout=5000)
    qtbot.waitUntil(lambda: "normal" in lead.work.text(), timeout=5000)


def test_a_refused_resume_shows_the_reason(qtbot: QtBot, live: Live) -> None:
    live.core.stop_work(OPERATOR, "S1", "A1", "smoke seen").result(5)
    lead = make(qtbot, live, actor=LEAD)
    lead.focus_area("S1", "A1")
    qtbot.waitUntil(lead.resume_button.isEnabled, timeout=5000)
    lead.resume_reason.setText("done")
    lead.resume_button.click()
    # Hot work grade 1 needs a fresh passing gas test before it resumes (GB 30871).
    qtbot.waitUntil(lambda: "gas test" in lead.status.text(), timeout=5000)
    assert lead.status.property("alarmPriority") == "3"


def test_renders_with_an_empty_database(qtbot: QtBot, live_empty: Live) -> None:
    view = make(qtbot, live_empty)
    assert view.site_map.area_keys() == []
    assert view.empty.isVisibleTo(view)
    assert not view.stop_button.isVisibleTo(view)
    assert not view.grab().toImage().isNull()
