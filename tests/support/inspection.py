"""An inspected small plant: the small plant (tests/support/plant.py) with equipment, a route and an
area owner, written through the inspection register as a safety manager would."""

from __future__ import annotations

from datetime import datetime, time

from cockpit.inspection.register import EquipmentInput, InspectionRegister, RouteInput
from connectors.database import Database
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed

CHECKLIST = ("泄漏 leak?", "压力 pressure (MPa)", "温度 temperature (°C)")
# A1 (major risk): P-101 .. P-104 in a row, 20 m apart; A2 (high risk): T-201, T-202.
EQUIPMENT = (
    ("P-101", "A1", "进料泵", "TAG-101", 5.0, 10.0),
    ("P-102", "A1", "回流泵", "TAG-102", 25.0, 10.0),
    ("P-103", "A1", "换热器", "TAG-103", 45.0, 10.0),
    ("P-104", "A1", "加热炉", "TAG-104", 45.0, 30.0),
    ("T-201", "A2", "一号罐", "TAG-201", 70.0, 20.0),
    ("T-202", "A2", "二号罐", "TAG-202", 110.0, 20.0),
)


def build_inspected_plant(db: Database, now: datetime) -> InspectionRegister:
    """Route R-A1 walks P-101, P-102, P-103 twice a day (08:00 and 20:00 plant time, 60 min each);
    P-101's defects go to lead.wang, the rest of A1's to mgr.sun (the area owner)."""
    build_small_plant(db, now)
    register = InspectionRegister(db, TEST_KEYS, clock=lambda: now)
    manager = signed("mgr.sun")
    for code, area, name, tag, x, y in EQUIPMENT:
        owner = "lead.wang" if code == "P-101" else ""
        register.save_equipment(manager, EquipmentInput(code, "S1", area, name, tag, CHECKLIST, owner, x, y))
    register.set_area_owner(manager, "S1", "A1", "mgr.sun")
    register.save_route(
        manager,
        RouteInput("R-A1", "S1", "A1", "加氢装置巡检", ("P-101", "P-102", "P-103"), 2, time(8, 0), 60),
    )
    return register
