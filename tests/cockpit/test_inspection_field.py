"""The field side of inspection over a real Mosquitto, into a real database through the core: a tag
scan and a checklist result stored as typed records, a defect opening its work order with the right
owner and due time, a repeated message stored once, malformed messages counted and never stored; then
the work order's life: overdue, escalated up the chain by the permit timers (told to the notifier),
closed only with a verification by someone else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.inspection.problems import InspectionError, InspectionProblem
from cockpit.inspection.work_orders import WorkOrderService
from cockpit.notify.notices import NoticeBook
from cockpit.notify.notifier import rules_from
from cockpit.notify.texts import PlantNames, render
from cockpit.permits.records import Escalation
from connectors.database import Database
from models.schema import AuditEntry, InspectionResult, InspectionScan, WorkOrder, WorkOrderEvent
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.inspection import build_inspected_plant
from tests.support.sessions import TEST_KEYS, signed

pytestmark = pytest.mark.broker

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
HASH = "ab" * 32


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


@dataclass
class Field:
    db: Database
    peer: PahoPeer
    core: CockpitCore
    clock: list[datetime]
    escalated: list[Escalation]

    def send(self, tag: str, kind: str, body: dict[str, Any], area: str = "A1") -> None:
        self.peer.publish(f"plant/S1/{area}/inspection/{tag}/{kind}", json.dumps(body).encode(), qos=1)

    def count(self, table: Any) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(table)).all())


@pytest.fixture
def field(tmp_path: Path) -> Iterator[Field]:
    broker = MosquittoProcess(tmp_path).start()
    db = open_fresh(f"sqlite:///{tmp_path / 'inspection.db'}")
    build_inspected_plant(db, NOW)
    peer = PahoPeer(broker.url, "handheld-1")
    config = Config()
    config.mqtt.url = broker.url
    clock = [NOW]
    core = CockpitCore(
        config, db, console="insp", clock=lambda: clock[0], data_dir=tmp_path, sessions=TEST_KEYS
    )
    escalated: list[Escalation] = []
    core.inspections.on_escalations = escalated.extend  # what the notifier is handed
    core.start()
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    try:
        yield Field(db, peer, core, clock, escalated)
    finally:
        core.stop()
        peer.close()
        db.dispose()
        broker.stop()


def defect(result_id: str, severity: str = "critical", tag: str = "TAG-101") -> dict[str, Any]:
    return {
        "ts": ms(NOW),
        "result_id": result_id,
        "scan_id": "s-1",
        "worker": "W-1",
        "answers": [
            {"item": "泄漏 leak?", "ok": False},
            {"item": "压力 pressure (MPa)", "ok": True, "value": 1.2},
        ],
        "defect": True,
        "severity": severity,
        "note": "机封泄漏 seal leaking",
        "photos": [{"url": "https://files.plant.example/p/1.jpg", "sha256": HASH, "step": "defect"}],
    }


def test_a_scan_and_a_defect_result_are_stored_and_open_a_work_order(field: Field) -> None:
    field.send("TAG-101", "scan", {"ts": ms(NOW), "scan_id": "s-1", "worker": "W-1"})
    field.send("TAG-101", "result", defect("r-1"))
    field.send("TAG-101", "result", defect("r-1"))  # a redelivery: stored once, one order
    assert wait_until(
        lambda: field.count(WorkOrder) == 1 and field.core.inspections.counts["repeated"] == 1, 15
    )
    with field.db.session() as s:
        scan = s.scalars(select(InspectionScan)).one()
        assert (scan.equipment_code, scan.worker, scan.ts) == ("P-101", "W-1", NOW)
        result = s.scalars(select(InspectionResult)).one()
        assert result.defect and result.severity == "critical"
        assert result.answers[1] == {"item": "压力 pressure (MPa)", "ok": True, "value": 1.2}
        assert result.photos == [
            {"url": "https://files.plant.example/p/1.jpg", "sha256": HASH, "step": "defect"}
        ]
        order = s.scalars(select(WorkOrder)).one()
        assert order.owner == "lead.wang"  # the equipment's owner
        assert order.due_at == NOW + timedelta(hours=4)  # critical: 4 h
        assert order.id == "WO-20261202-001" and order.status == "open"
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.subject == order.id)).all() == [
            "workorder.create"
        ]


def test_a_defect_without_an_owner_on_the_equipment_goes_to_the_area_owner(field: Field) -> None:
    field.send("TAG-102", "result", defect("r-2", "minor", "TAG-102"))
    assert wait_until(lambda: field.count(WorkOrder) == 1, 15)
    with field.db.session() as s:
        order = s.scalars(select(WorkOrder)).one()
        assert (order.owner, order.due_at) == ("mgr.sun", NOW + timedelta(hours=72))


@pytest.mark.parametrize(
    ("kind", "body", "reason"),
    [
        ("scan", {"ts": ms(NOW), "scan_id": "s-9"}, "missing_field"),  # no worker
        ("scan", {"ts": ms(NOW), "scan_id": "s-9", "worker": "W 1"}, "bad_identifier"),
        ("result", {**defect("r-9"), "severity": "awful"}, "bad_enum"),
        ("result", {**defect("r-9"), "severity": None}, "missing_field"),  # a defect needs its severity
        ("result", {**defect("r-9"), "answers": "all fine"}, "wrong_type"),
        ("result", {**defect("r-9"), "photos": [{"url": "ftp://x/1.jpg", "sha256": HASH}]}, "bad_value"),
        ("result", {**defect("r-9"), "photos": [{"url": "https://x/1.jpg", "sha256": "abc"}]}, "bad_value"),
        ("result", {**defect("r-9"), "answers": [{"item": "泄漏", "ok": "yes"}]}, "wrong_type"),
    ],
)
def test_malformed_inspection_messages_are_counted_and_never_stored(
    field: Field, kind: str, body: dict[str, Any], reason: str
) -> None:
    field.send("TAG-101", kind, body)
    assert wait_until(lambda: field.core.rejections.total >= 1, 15)
    assert reason in field.core.rejections.by_reason(), field.core.rejections.by_reason()
    field.send("TAG-103", "scan", {"ts": ms(NOW), "scan_id": "s-ok", "worker": "W-1"})  # a good one after
    assert wait_until(lambda: field.count(InspectionScan) == 1, 15)
    assert field.count(InspectionResult) == 0 and field.count(WorkOrder) == 0


def test_defect_order_overdue_escalated_and_closed_only_when_verified(field: Field) -> None:
    field.send("TAG-101", "result", defect("r-1"))
    assert wait_until(lambda: field.count(WorkOrder) == 1, 15)
    core = field.core
    service = WorkOrderService(field.db, TEST_KEYS, clock=lambda: field.clock[0])
    [order] = service.queue()

    def timers_at(moment: datetime) -> None:
        field.clock[0] = moment
        core.call(lambda: core.permit_monitor.check(moment)).result(15)  # the permit timers' run

    timers_at(NOW + timedelta(hours=3))  # not yet due
    timers_at(NOW + timedelta(hours=4, minutes=30))  # due at 4 h: 30 min late, the first step
    assert wait_until(lambda: len(field.escalated) == 1, 15)
    first = field.escalated[0]
    assert (first.permit_id, first.subject, first.step, first.escalated_to) == (
        order.id,
        "work_order",
        0,
        "shift_lead",
    )
    timers_at(NOW + timedelta(hours=4, minutes=40))  # the same step is told once
    timers_at(NOW + timedelta(hours=6, minutes=30))  # two hours later: the safety department
    assert wait_until(lambda: len(field.escalated) == 2, 15)
    assert field.escalated[1].escalated_to == "safety_department"
    [late] = service.queue()
    assert late.overdue(field.clock[0]) and late.escalated_to == "safety_department"

    # The notifier words it as a work order, not as an approval.
    [notice] = NoticeBook(rules_from(Config())).on_escalations([field.escalated[1]])
    subject, text = render(notice, PlantNames(), "zh_CN")
    assert "缺陷工单超期升级" in subject and order.id in text
    assert "Defect work order overdue" in render(notice, PlantNames(), "en")[0]

    lead, manager = signed("lead.wang"), signed("mgr.sun")
    with pytest.raises(InspectionError) as refused:  # not repaired yet: nothing to verify
        service.verify_close(manager, order.id, "看过了")
    assert refused.value.code is InspectionProblem.NOT_FIXED
    with pytest.raises(InspectionError) as refused:
        service.report_fixed(signed("op.li"), order.id, "换了")  # neither owner nor a verifier
    assert refused.value.code is InspectionProblem.NOT_ALLOWED
    service.report_fixed(lead, order.id, "更换机封 seal replaced")
    with pytest.raises(InspectionError) as refused:  # who repaired does not verify
        service.verify_close(lead, order.id, "好了")
    assert refused.value.code is InspectionProblem.SAME_PERSON
    with pytest.raises(InspectionError) as refused:
        service.verify_close(manager, order.id, "   ")
    assert refused.value.code is InspectionProblem.NOTE_NEEDED
    service.verify_close(manager, order.id, "现场确认无泄漏 no leak on site")
    assert service.queue() == []
    [closed] = service.queue(closed=True)
    assert (closed.status, closed.fixed_by, closed.verified_by) == ("closed", "lead.wang", "mgr.sun")
    timers_at(NOW + timedelta(hours=12))  # closed: no more steps
    with field.db.session() as s:
        kinds = s.scalars(select(WorkOrderEvent.type).order_by(WorkOrderEvent.id)).all()
    assert kinds == ["created", "escalated", "escalated", "fixed", "closed"]
    assert len(field.escalated) == 2
