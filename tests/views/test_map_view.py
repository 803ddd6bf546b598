"""The site map: areas by live risk and alarm, detector pins by state, workers, the side panel,
stop and resume."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from models.schema import SitePlan
from tests.support.plant_db import png_bytes
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


def test_the_gate_headcount_shows_on_the_area_and_its_detail(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    view.focus_area("S1", "A1")
    qtbot.waitUntil(lambda: view.headcount.text() == "At the gate: 0 inside", timeout=5000)

    def passes(kind: str) -> None:
        body = {"ts": int(time.time() * 1000), "type": kind, "permit": "HW-1"}
        live.field.publish(live.topic("S1/A1/worker/W-1/event"), json.dumps(body).encode())

    passes("entry")  # nobody allowed him: an alarm, and he is counted all the same
    # listed by his name on the register (read off the core thread), not the badge's id
    qtbot.waitUntil(lambda: view.headcount.text() == "At the gate: 1 inside\n李焊工", timeout=10000)
    assert "1 inside" in view.site_map.area_label_lines("S1", "A1")[1]
    assert not any("inside" in line for line in view.site_map.area_label_lines("S1", "A2"))
    passes("exit")
    qtbot.waitUntil(lambda: view.headcount.text() == "At the gate: 0 inside", timeout=10000)
    qtbot.waitUntil(
        lambda: not any("inside" in line for line in view.site_map.area_label_lines("S1", "A1")), timeout=5000
    )


def test_stop_button_sends_a_command_and_resume_is_for_shift_leads(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    view.focus_area("S1", "A2")
    assert view.stop_button.isEnabled()
    view.stop_button.click()  # one click, no confirmation
    qtbot.waitUntil(lambda: len(live.stops("S1", "A2")) == 1, timeout=5000)
    assert live.stops("S1", "A2")[0]["issued_by"] == OPERATOR.username
    qtbot.waitUntil(lambda: "STOPPED" in view.work.text(), timeout=5000)
    # The actions follow the state: no Stop for a stopped area.
    assert not view.stop_button.isVisibleTo(view)
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
    # At work again: Stop is back, Resume gone.
    assert lead.stop_button.isVisibleTo(lead) and not lead.resume_button.isVisibleTo(lead)


def test_the_legend_names_every_mark_of_the_plan(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    assert view.legend.isVisibleTo(view)
    lines = view.legend.entries()
    for words in (
        "Area risk",
        "Major",
        "Low",
        "Alarm, priority 1",
        "Work stopped",
        "Gas detectors",
        "STALE",
        "Offline",
        "Fault",
        "Worker in alarm",
        "Who is inside",
    ):
        assert any(words in line for line in lines), words
    kinds = {(s.kind, s.arg) for s in view.legend.swatches}
    assert {("risk", "major"), ("alarm", "1"), ("stopped", ""), ("pin", "stale"), ("inside", "")} <= kinds
    # A 1600 px window: every text of the legend whole, the "People" column too (it was cut).
    qtbot.waitUntil(lambda: view.legend.clipped() == [], timeout=5000)
    assert view.legend.columns >= (len(view.legend.groups) + 1) // 2  # two rows at most


def test_a_new_priority_1_alarm_selects_its_area_with_its_contacts(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    assert view.selected_area() is None
    assert not view.contacts_head.isVisibleTo(view)  # no empty headings before an area is chosen
    live.publish({"LEL": 30.0, "O2": 20.9, "H2S": 0.0})  # HIHI in S1/A1: priority 1
    qtbot.waitUntil(lambda: view.selected_area() == ("S1", "A1"), timeout=5000)
    qtbot.waitUntil(lambda: "13800000001" in view.contact_texts(), timeout=5000)
    assert view.contacts_head.isVisibleTo(view)
    # The operator looks at another area: the same alarm does not pull the panel back.
    view.select_area("S1", "A2")
    view.refresh()
    assert view.selected_area() == ("S1", "A2")


def test_locate_fits_the_area_with_a_margin_and_keeps_it_on_resize(qtbot: QtBot, live: Live) -> None:
    from PySide6.QtCore import QRectF

    view = make(qtbot, live)
    site_map = view.site_map
    view.focus_area("S1", "A2")
    area = site_map.area_item("S1", "A2").polygon().boundingRect()

    def fitted() -> None:
        shown = site_map.mapToScene(site_map.viewport().rect()).boundingRect()
        assert shown.contains(area), (shown, area)
        # a margin on every side, and the area in the middle (not cut on one side, empty on the other)
        margins = (
            area.left() - shown.left(),
            shown.right() - area.right(),
            area.top() - shown.top(),
            shown.bottom() - area.bottom(),
        )
        assert min(margins[:2]) > 0 and min(margins[2:]) > 0, margins
        assert abs(margins[0] - margins[1]) < 0.05 * shown.width()
        assert abs(margins[2] - margins[3]) < 0.05 * shown.height()

    fitted()
    view.resize(900, 700)  # built hidden, shown later, or a smaller window: still fitted
    qtbot.waitUntil(lambda: site_map.viewport().width() < 800, timeout=2000)
    fitted()
    assert isinstance(site_map.focused_rect(), QRectF)
    site_map.fit_all()
    assert site_map.focused_rect() is None


def test_area_labels_are_never_under_a_detector_pin(qtbot: QtBot, live: Live) -> None:
    from widgets.site_map import DetectorPin

    view = make(qtbot, live)
    site_map = view.site_map
    view.hide()  # the view's own refresh must not replace the pins of this test
    site_map.setParent(None)
    qtbot.addWidget(site_map)
    site_map.resize(1200, 800)
    site_map.show()
    site_map.fit_all()
    # A pin on the spot where each label hangs by default (the top middle of the area).
    pins = []
    for i, (site, area) in enumerate(site_map.area_keys()):
        label = site_map.area_label_rects(site, area)[0]
        at = site_map.mapToScene(label.center().toPoint())
        pins.append(DetectorPin(f"P{i}", x=at.x(), y=site_map._height_m - at.y(), state="alarm", priority=1))
    site_map.set_detectors(pins)
    for site, area in site_map.area_keys():
        for label in site_map.area_label_rects(site, area):
            for pin in pins:
                assert not label.intersects(site_map.item_rect_in_view(site_map.detector_item(pin.device))), (
                    area,
                    pin.device,
                )


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


def test_the_site_plan_image_is_drawn_under_the_stored_areas(qtbot: QtBot, live: Live) -> None:
    before = make(qtbot, live)
    with qtbot.waitSignal(before.plan_shown, timeout=10000) as plain:
        before._site_changed()
    assert plain.args == ["S1", False] and not before.site_map.has_plan_image()  # today's plain plan
    site = live.sites[0]
    with live.db.session() as s:  # as SitePlans.load stores it (its roles are tested in test_site_plans)
        s.add(
            SitePlan(
                site_id="S1",
                media_type="image/png",
                data=png_bytes(200, 150, (10, 120, 10)),
                sha256="",
                width_px=200,
                height_px=150,
                m_per_px=site.plan_width_m / 200,
                loaded_by="test",
                loaded_at=datetime.now(UTC),
            )
        )
    view = make(qtbot, live)
    with qtbot.waitSignal(view.plan_shown, timeout=10000) as shown:
        view._site_changed()
    assert shown.args == ["S1", True] and view.site_map.has_plan_image()
    assert sorted(view.site_map.area_keys()) == [("S1", "A1"), ("S1", "A2")]  # the polygons still drawn
    assert view.site_map.area_item("S1", "A1").opacity() < 1  # the drawing shows through the areas


def test_a_site_with_no_area_drawn_yet_says_where_areas_are_drawn(qtbot: QtBot, live: Live) -> None:
    """A plant being commissioned (its areas loaded from the templates, no polygon yet) opens a map with
    nothing to click: the panel says so, and where to draw them, instead of "click an area"."""
    from dataclasses import replace

    view = make(qtbot, live)
    assert view.area_title.text() == "Click an area on the plan"
    undrawn = [replace(s, areas=tuple(replace(a, polygon=()) for a in s.areas)) for s in live.sites]
    view.set_sites(undrawn)
    assert "Site plan tab" in view.area_title.text()
