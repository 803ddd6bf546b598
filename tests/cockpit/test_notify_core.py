"""The notifier wired into the core, against a real Mosquitto and database (SQLite and PostgreSQL):
a HIHI while the notifier's server is down still stops the work as usual, and the failure is counted
with its retries in the console's health; a working robot hears of the alarm once, however often it
repeats; a late approval's escalation steps, recorded by the permit timers, reach each role once."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.config import Config, NotifyChannelConfig, NotifyRouteConfig
from cockpit.core import CockpitCore
from connectors.database import Database
from connectors.secrets import set_secret
from models.records import PermitStatus, PermitType
from models.schema import Permit, PermitEventRow
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.notify_servers import RobotServer, free_port
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, signed

pytestmark = pytest.mark.broker


def reading(lel: float, seq: int) -> bytes:
    return json.dumps(
        {"ts": int(time.time() * 1000), "seq": seq, "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
    ).encode()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Each test on a SQLite file and on a PostgreSQL schema of its own."""
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    build_small_plant(database, datetime.now(UTC))
    yield database
    database.dispose()


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    server = RobotServer().start()
    yield server
    server.stop()


@pytest.fixture
def silent() -> Iterator[socket.socket]:
    """A listening socket nobody accepts on: a connection is made, and no byte ever comes back."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server
    server.close()


def test_hihi_with_the_notifier_server_down_stops_work_and_counts_the_failure(
    broker: MosquittoProcess, db: Database, robots: RobotServer, silent: socket.socket
) -> None:
    config = Config()
    config.mqtt.url = broker.url
    n = config.notify
    n.attempts, n.retry_base_s, n.timeout_s = 3, 0.1, 2.0
    n.channels = {
        "down": NotifyChannelConfig(type="dingtalk", url=f"http://127.0.0.1:{free_port()}/robot/send"),
        # a mail server that takes the connection and never says a word: each try waits out timeout_s
        "mute": NotifyChannelConfig(type="smtp", host="127.0.0.1", port=silent.getsockname()[1]),
        "up": NotifyChannelConfig(type="wecom", url=f"{robots.url}/cgi-bin/webhook/send"),
    }
    n.routes = {
        "leads": NotifyRouteConfig(
            role="shift_lead", channels=["down", "mute", "up"], to=["lead@plant.example"], language="zh_CN"
        )
    }
    set_secret("notify", "down", "ding-token")
    set_secret("notify", "mute", "mail-pw")
    set_secret("notify", "up", "wecom-key")
    field = PahoPeer(broker.url, "field-gateway")
    field.subscribe("plant/+/+/cmd/#")
    core = CockpitCore(config, db, console="c1", sessions=TEST_KEYS)
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        for seq, lel in enumerate((3.0, 31.0, 33.0, 35.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        # the stop-work goes out as ever, whatever the notifier's servers do
        assert wait_until(lambda: field.received("plant/S1/A1/cmd/stop-work"), 10)
        stop = json.loads(field.received("plant/S1/A1/cmd/stop-work")[0].payload)
        assert stop["permits"] == ["HW-1"] and stop["auto"] is True
        # the working robot hears once, with the names from the database
        assert wait_until(lambda: len(robots.posts) == 1, 20)
        text = robots.posts[0].body["text"]["content"]
        assert text.startswith("【一级报警】示范化工园区 一号厂区 / 加氢装置")
        # the dead one and the mute one are tried three times each, then counted, and the console's
        # health says so
        assert wait_until(lambda: core.health_payload()["notify"]["failed"] == 2, 40)
        health = core.health_payload()["notify"]
        assert health["retries"] == 4 and health["sent"] == 1
        assert health["channels"]["down"]["last_error"] == "network"
        assert health["channels"]["mute"]["last_error"] == "timeout"
        assert "ding-token" not in json.dumps(health) and "mail-pw" not in json.dumps(health)
        # acknowledged and read again: the same cause, nothing more
        alarm_id = next(a.alarm_id for a in core.state.alarms if a.condition == "HIHI")
        core.acknowledge(signed("lead.wang"), [alarm_id]).result(5)
        field.publish("plant/S1/A1/sensor/GD-1", reading(36.0, 5), qos=1)
        assert wait_until(lambda: core.stats.messages_in >= 5, 10)
        wait_until(lambda: False, 1.5)
        assert len(robots.posts) == 1
    finally:
        core.stop()
        field.close()


class Clock:
    """The core's clock, injected: the test moves it past the approval deadline step by step."""

    def __init__(self, now: datetime) -> None:
        self._lock, self._now = threading.Lock(), now

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, minutes: float) -> None:
        with self._lock:
            self._now += timedelta(minutes=minutes)


def add_late_permit(db: Database, start: datetime) -> None:
    with db.session() as s:
        s.add(
            Permit(
                id="CS-9",
                type=PermitType.CONFINED_SPACE,
                status=PermitStatus.SUBMITTED,
                site_id="S1",
                area_id="A2",
                valid_from=start + timedelta(minutes=20),
                valid_to=start + timedelta(hours=8),
                applicant="W-1",
                supervisor="W-2",
                urgent=True,  # 15 min to decide from submission, 16 min ago: one minute late
                prerequisites={"jsa": True},
                created_at=start - timedelta(minutes=16),
                updated_at=start - timedelta(minutes=16),
            )
        )


def escalation_config(broker: MosquittoProcess, robots: RobotServer) -> Config:
    """One robot per role of the chain."""
    config = Config()
    config.mqtt.url = broker.url
    n = config.notify
    n.channels = {
        "wx": NotifyChannelConfig(type="wecom", url=f"{robots.url}/wecom"),
        "ding": NotifyChannelConfig(type="dingtalk", url=f"{robots.url}/ding"),
        "fs": NotifyChannelConfig(type="feishu", url=f"{robots.url}/feishu"),
    }
    n.routes = {
        "lead": NotifyRouteConfig(role="shift_lead", channels=["wx"], kinds=["escalation"]),
        "safety": NotifyRouteConfig(role="safety_department", channels=["ding"]),
        "leader": NotifyRouteConfig(role="senior_leader", channels=["fs"]),
    }
    for name in ("wx", "ding", "fs"):
        set_secret("notify", name, f"{name}-key")
    return config


def escalated_steps(db: Database) -> list[int]:
    with db.session() as s:
        rows = s.query(PermitEventRow).filter_by(permit_id="CS-9", type="escalated")
        return sorted(int(r.detail["step"]) for r in rows)


def run_timers(core: CockpitCore) -> None:
    """One round of the real permit timers at the injected time (the core runs them every 10 s too),
    waited for: the database worker answers a job handed to it after the round."""
    core.call(lambda: core.permit_monitor.check(core.clock())).result(5)
    core.call(lambda: core._db_worker.submit(lambda: None)).result(5).result(20)


def test_a_late_approval_climbs_the_chain_until_the_permit_is_decided(
    broker: MosquittoProcess, db: Database, robots: RobotServer
) -> None:
    """Through the real permit timers: each step they record is posted once to its role, step by
    step as the (injected) clock passes the deadline; once the permit is approved nothing more goes,
    and a console started again on the same database does not post a recorded step a second time."""
    clock = Clock(datetime.now(UTC))
    add_late_permit(db, clock())
    config = escalation_config(broker, robots)
    core = CockpitCore(config, db, console="c2", clock=clock, sessions=TEST_KEYS)
    core.start()
    try:
        run_timers(core)
        assert wait_until(lambda: len(robots.on("/wecom")) == 1, 20)
        text = robots.on("/wecom")[0].body["text"]["content"]
        assert text.startswith("【审批超时升级】示范化工园区 一号厂区 / 罐区")
        assert "作业票 CS-9 超过审批时限未审批，已升级至值班长（第 1 级）" in text
        assert robots.on("/ding") == [] and robots.on("/feishu") == []
        assert escalated_steps(db) == [0]
        clock.advance(15)
        run_timers(core)
        assert wait_until(lambda: len(robots.on("/ding")) == 1, 20)  # still waiting: the next role
        next_text = robots.on("/ding")[0].body["text"]["content"]
        assert "作业票 CS-9 超过审批时限未审批，已升级至安全部门（第 2 级）" in next_text
        assert escalated_steps(db) == [0, 1] and len(robots.on("/wecom")) == 1
    finally:
        core.stop()
    # Started again on the same database at the same moment: the steps are recorded, none re-sent.
    again = CockpitCore(config, db, console="c2", clock=clock, sessions=TEST_KEYS)
    again.start()
    try:
        run_timers(again)
        with db.session() as s:
            s.get(Permit, "CS-9").status = PermitStatus.APPROVED  # decided (on another console)
        clock.advance(15)
        run_timers(again)
        wait_until(lambda: False, 1.5)  # the notifier looks four times a second: it had its chances
        assert robots.on("/feishu") == []
        assert len(robots.on("/wecom")) == 1 and len(robots.on("/ding")) == 1
        assert escalated_steps(db) == [0, 1]
        assert again.health_payload()["notify"]["sent"] == 0
    finally:
        again.stop()
