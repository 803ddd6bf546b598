"""The site map marks an equipment with an open defect work order, in its severity's colour, with the
order named in its tip (issue 23); a closed order takes the mark away."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from cockpit.inspection.intake import InspectionIntake
from cockpit.inspection.map_marks import InspectionMap
from cockpit.inspection.register import EquipmentInput, InspectionRegister
from cockpit.inspection.rounds import RoundsReads
from cockpit.inspection.work_orders import WorkOrderService
from cockpit.plant_reads import PlantReads
from models.records import ChecklistAnswer, ChecklistResult, DefectSeverity
from tests.support.sessions import TEST_KEYS, signed
from tests.views.live_plant import OPERATOR, Live
from views.map_view import MapView

pytestmark = pytest.mark.broker


def test_an_open_defect_is_marked_on_the_map_until_its_order_is_closed(qtbot: QtBot, live: Live) -> None:
    now = datetime.now(UTC)
    register = InspectionRegister(live.db, TEST_KEYS)
    pump = EquipmentInput("P-101", "S1", "A1", "进料泵", "TAG-101", ("泄漏?",), "lead.wang", 20.0, 20.0)
    register.save_equipment(signed("mgr.sun"), pump)
    leak = (ChecklistAnswer("泄漏?", False),)
    InspectionIntake(live.db, clock=lambda: now).on_record(
        ChecklistResult("S1", "A1", "TAG-101", now, "r-1", "W-1", leak, True, DefectSeverity.CRITICAL)
    )
    orders = WorkOrderService(live.db, TEST_KEYS)
    points = InspectionMap(RoundsReads(live.db), orders)
    view = MapView(live.core, live.bridge, OPERATOR, live.sites, plant=PlantReads(live.db), inspection=points)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitUntil(lambda: view.site_map.equipment_item("P-101") is not None, timeout=10000)
    item = view.site_map.equipment_item("P-101")
    assert item is not None
    [order] = orders.queue()
    assert order.id in item.toolTip() and "进料泵" in item.toolTip()
    assert item.mark.priority == 1  # type: ignore[attr-defined]

    orders.report_fixed(signed("lead.wang"), order.id, "换了机封")
    orders.verify_close(signed("mgr.sun"), order.id, "无泄漏")
    view.read_points()
    qtbot.waitUntil(lambda: view.site_map.equipment_item("P-101") is None, timeout=10000)
