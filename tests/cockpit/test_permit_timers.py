"""Timers on live permits raise their alarms: overdue gas re-test, overdue check-in, late approval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.config import Config, SiteConfig
from cockpit.core import CockpitCore
from cockpit.permit_monitor import CHECKIN_SETTLE
from cockpit.permit_service import PermitConfig, PermitService
from cockpit.permits.escalation import record_escalations
from connectors.database import Database
from models.records import PermitStatus, PermitType
from models.schema import GasTest, Permit, PermitEventRow, PermitWorker
from tests.support.broker import MosquittoProcess, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS

pytestmark = pytest.mark.broker


@pytest.fixture
def core(tmp_path: Path) -> Iterator[tuple[CockpitCore, Database]]:
    broker = MosquittoProcess(tmp_path).start()
    now = datetime.now(UTC)
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(db, now)
    with db.session() as s:
        s.add(
            GasTest(
                permit_id="HW-1",
                taken_at=now - timedelta(hours=3),
                by="W-2",
                passed=True,
                readings=[{"ch": "LEL", "v": 0.0, "u": "%LEL"}],
            )
        )
        s.add(PermitEventRow(permit_id="HW-1", ts=now - timedelta(hours=3), type="started", by="W-2"))
        s.add(
            Permit(
                id="CS-9",
                type=PermitType.CONFINED_SPACE,
                status=PermitStatus.SUBMITTED,
                site_id="S1",
                area_id="A2",
                valid_from=now + timedelta(minutes=20),
                valid_to=now + timedelta(hours=8),
                applicant="W-1",
                supervisor="W-2",
                urgent=True,
                prerequisites={"jsa": True},
                created_at=now - timedelta(hours=1),
                updated_at=now - timedelta(hours=1),
            )
        )
        s.flush()
        s.add(PermitWorker(permit_id="CS-9", worker_id="W-1"))
    config = Config()
    config.mqtt.url = broker.url
    config.sites["S1"] = SiteConfig(periodic_gas_retest_min=30)
    c = CockpitCore(config, db, console="timers")
    c.start()
    yield c, db
    c.stop()
    db.dispose()
    broker.stop()


def alarm(core: CockpitCore, alarm_id: str):  # type: ignore[no-untyped-def]
    return core.call(lambda: core.engine.get(alarm_id)).result(5)


def test_an_overdue_gas_retest_is_an_alarm_and_a_late_approval_a_task(core) -> None:  # type: ignore[no-untyped-def]
    c, db = core
    c.call(lambda: c.permit_monitor.check(c.clock())).result(5)
    assert wait_until(lambda: alarm(c, "permit:HW-1:GAS_RETEST_OVERDUE") is not None, 10)
    retest = alarm(c, "permit:HW-1:GAS_RETEST_OVERDUE")
    assert int(retest.priority) == 3 and retest.active

    def escalated() -> list[dict]:  # type: ignore[type-arg]
        with db.session() as s:
            return [
                dict(e.detail) for e in s.query(PermitEventRow).filter_by(permit_id="CS-9", type="escalated")
            ]

    # The late approval is paperwork (docs/ALARMS.md): a permit event for the handover, no alarm.
    assert wait_until(lambda: len(escalated()) == 1, 10)
    assert escalated()[0]["to"] == "senior_leader"  # an hour late: the chain's last step
    assert alarm(c, "permit:CS-9:APPROVAL_ESCALATED") is None
    # The next rounds write no second event for the same step.
    service = PermitService(db, keys=TEST_KEYS, clock=c.clock, config=PermitConfig.from_config(c.config))
    with db.session() as s:
        assert record_escalations(s, service.escalations(c.clock()), c.clock()) == []
    assert len(escalated()) == 1


def test_a_missed_supervisor_checkin_raises_an_alarm_and_a_checkin_clears_it(core) -> None:  # type: ignore[no-untyped-def]
    c, _ = core

    start = c.clock()

    def set_checkin() -> None:
        c.permits["HW-1"].last_checkin = start - timedelta(minutes=45)
        c.permit_monitor.check(start)

    c.call(set_checkin).result(5)
    # In the first minute after a start the field's held check-ins may still come: absence is not judged.
    c.call(lambda: c.permit_monitor.check(start + CHECKIN_SETTLE / 2)).result(5)
    assert alarm(c, "permit:HW-1:CHECKIN_OVERDUE") is None
    c.call(lambda: c.permit_monitor.check(start + CHECKIN_SETTLE)).result(5)
    assert wait_until(lambda: alarm(c, "permit:HW-1:CHECKIN_OVERDUE") is not None, 5)
    assert alarm(c, "permit:HW-1:CHECKIN_OVERDUE").active
    from models.records import WorkerEvent, WorkerEventType

    checkin = WorkerEvent(
        "S1", "A1", "W-2", c.clock(), WorkerEventType.CHECKIN, permit="HW-1", role="supervisor"
    )
    c.call(lambda: c._worker_event(checkin, c.clock())).result(5)
    assert not alarm(c, "permit:HW-1:CHECKIN_OVERDUE").active
