"""What the site map marks for inspection (issue 23): each equipment with an open defect work order
(its worst severity), a point missed today, or a suspicious scan today. Read off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.inspection.rounds import RoundsBoard, RoundsReads
from cockpit.inspection.work_orders import WorkOrderService, WorkOrderView
from models.records import DefectSeverity
from models.rules import rounds as rule

_WORST: dict[str, int] = {DefectSeverity.CRITICAL: 1, DefectSeverity.MAJOR: 2, DefectSeverity.MINOR: 3}


@dataclass(frozen=True)
class PointMark:
    equipment: str
    name: str
    site: str
    area: str
    x: float
    y: float
    priority: int | None = None  # the worst open defect's: 1 critical, 2 major, 3 minor; None: none
    orders: tuple[str, ...] = ()
    missed: int = 0  # points missed today
    suspicious: int = 0  # suspicious scans today


def point_marks(board: RoundsBoard, orders: list[WorkOrderView]) -> list[PointMark]:
    missed: dict[str, int] = {}
    for r in board.rounds:
        for p in r.points:
            if p.status == rule.MISSED:
                missed[p.equipment] = missed.get(p.equipment, 0) + 1
    odd: dict[str, int] = {}
    for s in board.suspicions:
        odd[s.equipment] = odd.get(s.equipment, 0) + 1
    open_orders: dict[str, list[WorkOrderView]] = {}
    for o in orders:
        if o.equipment:
            open_orders.setdefault(o.equipment, []).append(o)
    marks = []
    for code in sorted(set(missed) | set(odd) | set(open_orders)):
        place = board.places.get(code)
        if place is None:
            continue  # not on the plan
        site, area, x, y = place
        mine = open_orders.get(code, [])
        worst = min((_WORST.get(o.severity, 2) for o in mine), default=None)
        marks.append(
            PointMark(
                code,
                board.names.get(code, code),
                site,
                area,
                x,
                y,
                worst,
                tuple(o.id for o in mine),
                missed.get(code, 0),
                odd.get(code, 0),
            )
        )
    return marks


class InspectionMap:
    def __init__(self, rounds: RoundsReads, orders: WorkOrderService) -> None:
        self._rounds = rounds
        self._orders = orders

    def marks(self) -> list[PointMark]:
        return point_marks(self._rounds.board(), self._orders.queue())
