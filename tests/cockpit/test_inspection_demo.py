"""The demo plant has inspection to show: equipment on the plan, a route per area, this morning's
round read by the rounds screen's service, and defect work orders in the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cockpit.demo_seed import seed_demo
from cockpit.inspection.rounds import RoundsReads
from cockpit.inspection.work_orders import WorkOrderService
from models.rules import rounds as rule
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # noon in Shanghai: the morning round is over


def test_the_demo_plant_has_rounds_and_defects(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        summary = seed_demo(db, seed=1, now=NOW)
        board = RoundsReads(db).board(NOW)
        assert len(board.rounds) == 2 * summary.areas  # 08:00 and 20:00 in every area
        assert len(board.places) >= 2 * summary.areas  # every point has its place on the plan
        morning = [r for r in board.rounds if r.starts < NOW]
        scanned = sum(r.scanned for r in morning)
        total = sum(len(r.points) for r in morning)
        assert 0.7 * total <= scanned < total  # most points walked, some missed
        assert any(r.count(rule.MISSED) for r in morning)
        orders = WorkOrderService(db, TEST_KEYS).queue()
        assert orders and all(o.owner for o in orders)
        assert {o.severity for o in orders} <= {"minor", "major", "critical"}
        late = [o for o in orders if o.overdue(NOW)]
        assert late and all(o.escalated_to for o in late)  # yesterday's defect, escalated by now
        assert WorkOrderService(db, TEST_KEYS).queue() == orders  # read twice, the same queue
    finally:
        db.dispose()


def test_the_demo_has_a_month_of_rounds_behind_today(tmp_path: Path) -> None:
    """The month before today: rounds every day, closed orders verified by someone other than the
    repairer, and one point ticked with the same readings every round (the same-answers suspicion)."""
    from sqlalchemy import func, select

    from models.schema import InspectionScan

    db = open_fresh(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        summary = seed_demo(db, seed=1, now=NOW)
        with db.session() as s:
            days = s.scalar(select(func.count(func.distinct(func.date(InspectionScan.ts)))))
            oldest = s.scalar(select(func.min(InspectionScan.ts)))
        assert days is not None and days >= 29 and oldest is not None
        assert (NOW - oldest.replace(tzinfo=UTC)).days == 29
        board = RoundsReads(db).board(NOW)
        same = [x for x in board.suspicions if x.kind == rule.SAME_ANSWERS]
        assert [(x.worker, x.runs) for x in same] == [(same[0].worker, rule.SAME_ANSWERS_RUN)]
        assert {x.kind for x in board.suspicions} == {rule.SAME_ANSWERS, rule.TOO_FAST}
        closed = WorkOrderService(db, TEST_KEYS).queue(closed=True)
        assert len(closed) > summary.areas  # defects found over the month, each repaired and verified
        assert all(o.verified_by and o.verified_by != o.fixed_by for o in closed)
        assert all(o.closed_at is not None and o.closed_at < NOW and o.fixed_by == o.owner for o in closed)
        open_orders = WorkOrderService(db, TEST_KEYS).queue()
        assert all(o.created_at >= NOW - timedelta(days=2) for o in open_orders)  # the month's are closed
    finally:
        db.dispose()
