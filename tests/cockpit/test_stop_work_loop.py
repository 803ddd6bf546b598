"""The closed loop against a real Mosquitto and a real database:
HIHI in an area with active hot work → one stop-work command → permit suspended and published →
work state retained → field acknowledgements → resume only by a shift lead after a passing gas test.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.core_state import CoreDelta
from cockpit.roles import PermissionRefused
from cockpit.stopwork import ResumeRefused
from connectors.database import Database
from models.alarms import AlarmState
from models.audit import verify_chain
from models.records import ChannelKey, PermitStatus
from models.rules.alarm_texts import english
from models.schema import AuditEntry, Command, Permit
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.sessions import TEST_KEYS, signed

pytestmark = pytest.mark.broker

OPERATOR = signed("op.li")
LEAD = signed("lead.wang")


def ms(t: float | None = None) -> int:
    return int((t or time.time()) * 1000)


def reading(lel: float, seq: int = 1) -> bytes:
    return json.dumps(
        {
            "ts": ms(),
            "seq": seq,
            "readings": [
                {"ch": "LEL", "v": lel, "u": "%LEL"},
                {"ch": "O2", "v": 20.9, "u": "%VOL"},
                {"ch": "H2S", "v": 0.0, "u": "ppm"},
            ],
        }
    ).encode()


class Console:
    def __init__(self, config: Config, db: Database, name: str) -> None:
        self.deltas: list[CoreDelta] = []
        self.core = CockpitCore(config, db, console=name, listener=self.deltas.append, sessions=TEST_KEYS)
        self.core.start()
        assert wait_until(lambda: self.core.connector.link_state.connected, 10)

    def alarm(self, alarm_id: str):  # type: ignore[no-untyped-def]
        return self.core.call(lambda: self.core.engine.get(alarm_id)).result(5)

    def close(self) -> None:
        self.core.stop()


def make_config(broker: MosquittoProcess, timeout_s: float = 60.0) -> Config:
    config = Config()
    config.mqtt.url = broker.url
    config.alarms.stop_ack_timeout_s = timeout_s
    return config


@pytest.fixture
def field(broker: MosquittoProcess) -> Iterator[PahoPeer]:
    peer = PahoPeer(broker.url, "field-gateway")
    peer.subscribe("plant/+/+/cmd/#")
    peer.subscribe("plant/+/+/work-state")
    peer.subscribe("plant/+/+/permit/+/state")
    yield peer
    peer.close()


def stops(peer: PahoPeer) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(m.payload) for m in peer.received("plant/S1/A1/cmd/stop-work")]


def test_hihi_with_active_hot_work_stops_the_area_once(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    console = Console(make_config(broker), db, "c1")
    try:
        for seq, lel in enumerate((3.0, 31.0, 33.0, 35.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        assert wait_until(lambda: len(stops(field)) >= 1, 10)
        time.sleep(0.5)  # further HIHI readings of the same alarm must not send more commands
        commands = stops(field)
        assert len(commands) == 1
        cmd = commands[0]
        assert cmd["permits"] == ["HW-1"]
        assert cmd["auto"] is True
        assert cmd["alarm_id"] == "S1/A1/GD-1/LEL:LEVEL" or cmd["alarm_id"].startswith("S1/A1/GD-1/LEL")
        # the contract's free text: the alarm's English sentence, not the code the database keeps
        assert cmd["reason"].startswith("LEL 31 %LEL HIHI (limit 25 %LEL) at S1/A1/GD-1/LEL"), cmd["reason"]
        with db.session() as s:
            stored = s.get(Command, cmd["command_id"])
            assert stored is not None and stored.reason.startswith("level.active(ch=LEL, value=31,")
            assert english(stored.reason) == cmd["reason"]
        # the area's work state, retained: a gateway that connects later learns it
        late = PahoPeer(broker.url, "late-gateway")
        late.subscribe("plant/S1/A1/work-state")
        assert wait_until(lambda: late.received("plant/S1/A1/work-state"), 5)
        state = late.received("plant/S1/A1/work-state")[0]
        assert state.retain
        assert json.loads(state.payload)["state"] == "stopped"
        assert json.loads(state.payload)["command_id"] == cmd["command_id"]
        late.close()

        # the permit suspended in the database (written just after the publish) and on the wire
        def suspended() -> bool:
            with db.session() as s:
                return s.get(Permit, "HW-1").status.value == "suspended"

        assert wait_until(suspended, 5)
        with db.session() as s:
            actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
            assert "stop_work.issued" in actions and "permit.suspended" in actions
            assert verify_chain(s).ok
        assert wait_until(lambda: field.received("plant/S1/A1/permit/HW-1/state"), 5)
        assert (
            json.loads(field.received("plant/S1/A1/permit/HW-1/state")[-1].payload)["status"] == "suspended"
        )
        # the field acknowledges: received, then executed
        for status in ("received", "executed"):
            field.publish(
                "plant/S1/A1/cmd/ack",
                json.dumps(
                    {"command_id": cmd["command_id"], "ts": ms(), "status": status, "by": "GW-07"}
                ).encode(),
            )
        assert wait_until(lambda: console.core.stopwork.commands[cmd["command_id"]].state == "executed", 5)

        def executed_on_record() -> bool:  # written by the database worker just after the core saw it
            with db.session() as s:
                row = s.get(Command, cmd["command_id"])
                return row.state.value == "executed" and [a.status for a in row.acks] == [
                    "received",
                    "executed",
                ]

        assert wait_until(executed_on_record, 10)
    finally:
        console.close()


def test_missing_executed_raises_an_alarm(broker: MosquittoProcess, db: Database, field: PahoPeer) -> None:
    console = Console(make_config(broker, timeout_s=1.0), db, "c1")
    try:
        view = console.core.stop_work(OPERATOR, "S1", "A1", "operator saw smoke").result(5)
        assert view is not None and view.auto is False
        assert wait_until(lambda: len(stops(field)) == 1, 5)
        field.publish(
            "plant/S1/A1/cmd/ack",
            json.dumps(
                {"command_id": view.command_id, "ts": ms(), "status": "received", "by": "GW-07"}
            ).encode(),
        )
        alarm_id = f"cmd:{view.command_id}:STOP_NOT_EXECUTED"
        assert wait_until(lambda: console.alarm(alarm_id) is not None, 5)
        alarm = console.alarm(alarm_id)
        assert alarm.state is AlarmState.UNACK
        assert int(alarm.priority) == 2
        assert console.core.stopwork.commands[view.command_id].state == "timeout"
    finally:
        console.close()


def test_resume_needs_a_shift_lead_and_a_passing_gas_test(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    console = Console(make_config(broker), db, "c1")
    try:
        stop = console.core.stop_work(OPERATOR, "S1", "A1", "test stop").result(5)
        assert stop is not None
        with pytest.raises(PermissionRefused):
            console.core.resume_work(OPERATOR, "S1", "A1", "all clear").result(5)
        with pytest.raises(ResumeRefused, match="gas test"):
            console.core.resume_work(LEAD, "S1", "A1", "all clear").result(5)

        def gas_test(lel: float) -> None:
            field.publish(
                "plant/S1/A1/permit/HW-1/event",
                json.dumps(
                    {
                        "ts": ms(),
                        "type": "gas_test",
                        "by": "W-2",
                        "gas_test": {
                            "readings": [
                                {"ch": "LEL", "v": lel, "u": "%LEL"},
                                {"ch": "O2", "v": 20.8, "u": "%VOL"},
                            ]
                        },
                    }
                ).encode(),
            )

        gas_test(18.0)  # 0.9 %VOL methane: fails the hot-work limit
        assert wait_until(lambda: console.alarm("permit:HW-1:GAS_TEST_FAILED") is not None, 5)
        with pytest.raises(ResumeRefused, match="failed"):
            console.core.resume_work(LEAD, "S1", "A1", "all clear").result(5)
        gas_test(1.0)
        time.sleep(0.5)

        def resume() -> bool:
            try:
                console.core.resume_work(LEAD, "S1", "A1", "leak fixed, gas test passed").result(5)
                return True
            except ResumeRefused:
                return False

        assert wait_until(resume, 5)
        assert wait_until(lambda: field.received("plant/S1/A1/cmd/resume-work"), 5)
        body = json.loads(field.received("plant/S1/A1/cmd/resume-work")[0].payload)
        assert body["ends"] == stop.command_id
        assert body["issued_by"] == "lead.wang"
        with db.session() as s:
            assert s.get(Permit, "HW-1").status.value == "active"
        assert console.core.stopwork.work_state("S1", "A1") == "normal"
    finally:
        console.close()


def test_two_consoles_stay_in_step(broker: MosquittoProcess, db: Database, field: PahoPeer) -> None:
    one = Console(make_config(broker), db, "c1")
    two = Console(make_config(broker), db, "c2")
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(40.0), qos=1)
        alarm_id = "S1/A1/GD-1/LEL"
        assert wait_until(lambda: len(stops(field)) >= 1, 10)
        time.sleep(1.0)
        assert len(stops(field)) == 1, "one command per cause, however many consoles see it"
        found = [a for a in one.core.call(one.core.engine.active).result(5) if a.source.startswith(alarm_id)]
        assert found
        one.core.acknowledge(OPERATOR, [found[0].alarm_id], "seen").result(5)
        started = time.monotonic()
        assert wait_until(lambda: two.alarm(found[0].alarm_id).state is AlarmState.ACKED, 5)
        assert time.monotonic() - started < 1.0
        assert two.alarm(found[0].alarm_id).acked_by == "op.li"
    finally:
        one.close()
        two.close()


def test_invalid_permit_application_is_answered_with_its_errors(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    console = Console(make_config(broker), db, "c1")
    try:
        field.subscribe("plant/S1/A1/permit/+/reply")
        field.publish(
            "plant/S1/A1/permit/HW-9/request",
            json.dumps(
                {
                    "ts": ms(),
                    "type": "hot_work",
                    "applicant": "W-1",
                    "workers": ["W-1"],
                    "supervisor": "W-2",
                    "valid_from": "2026-11-23T22:00:00+08:00",
                    "valid_to": "2026-11-24T06:00:00+08:00",
                }
            ).encode(),
        )
        assert wait_until(lambda: field.received("plant/S1/A1/permit/HW-9/reply"), 5)
        reply = json.loads(field.received("plant/S1/A1/permit/HW-9/reply")[0].payload)
        assert reply["accepted"] is False
        assert any(e["field"] == "grade" for e in reply["errors"])
    finally:
        console.close()


def test_a_second_excursion_after_resume_stops_the_area_again(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    config = make_config(broker)
    config.alarms.limits = {"LEL": {"off_delay_s": 0.0}}  # return to normal at once, to keep the test short
    console = Console(config, db, "c1")
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(30.0, 1), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        with pytest.raises(ResumeRefused, match="still in HIHI"):
            console.core.resume_work(LEAD, "S1", "A1", "too early").result(5)
        for seq in range(2, 5):
            field.publish("plant/S1/A1/sensor/GD-1", reading(1.0, seq), qos=1)
        field.publish(
            "plant/S1/A1/permit/HW-1/event",
            json.dumps(
                {
                    "ts": ms(),
                    "type": "gas_test",
                    "by": "W-2",
                    "gas_test": {
                        "readings": [
                            {"ch": "LEL", "v": 0.5, "u": "%LEL"},
                            {"ch": "O2", "v": 20.8, "u": "%VOL"},
                        ]
                    },
                }
            ).encode(),
        )

        def resume() -> bool:
            try:
                console.core.resume_work(LEAD, "S1", "A1", "leak isolated").result(5)
                return True
            except ResumeRefused:
                return False

        assert wait_until(resume, 5)
        time.sleep(0.2)
        field.publish("plant/S1/A1/sensor/GD-1", reading(36.0, 5), qos=1)
        assert wait_until(lambda: len(stops(field)) == 2, 10), "the new excursion must stop work again"
        first, second = stops(field)
        assert first["command_id"] != second["command_id"]
        assert second["permits"] == ["HW-1"]
    finally:
        console.close()


def test_hot_work_the_field_just_started_is_stopped_by_a_gas_alarm(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    """An approved permit turns active when the field reports "started" (contract §4): from then on a
    HIHI in its area must stop it, and the field hears the permit is active (§6). The core's permit
    cache used to keep it "approved", so the automatic stop skipped it."""
    with db.session() as s:
        s.get(Permit, "HW-1").status = PermitStatus.APPROVED
    console = Console(make_config(broker), db, "c1")
    try:
        started = {"ts": ms(), "type": "started", "by": "W-10023"}
        field.publish("plant/S1/A1/permit/HW-1/event", json.dumps(started).encode(), qos=1)

        def active_on_the_wire() -> bool:
            states = field.received("plant/S1/A1/permit/HW-1/state")
            return bool(states) and json.loads(states[-1].payload)["status"] == "active"

        assert wait_until(active_on_the_wire, 10)
        assert console.core.call(lambda: console.core.permits["HW-1"].status).result(5) is PermitStatus.ACTIVE
        for seq, lel in enumerate((3.0, 31.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        assert wait_until(lambda: len(stops(field)) >= 1, 10)
        assert stops(field)[0]["permits"] == ["HW-1"]
        assert stops(field)[0]["auto"] is True
    finally:
        console.close()


@pytest.mark.parametrize("lane_up", [True, False], ids=["on-its-lane", "lane-down"])
def test_a_stop_goes_out_on_the_command_lane_or_on_the_console_link_when_the_lane_is_down(
    broker: MosquittoProcess, db: Database, field: PahoPeer, lane_up: bool
) -> None:
    """Commands have a connection of their own (cockpit/connection.CommandLane), so that they do not
    queue at the broker behind the acknowledgements of the readings; a lane that is down never holds
    a stop back: it goes on the console's own connection."""
    console = Console(make_config(broker), db, "c1")
    try:
        lane = console.core.command_lane
        assert wait_until(lambda: lane.lane.link_state.connected, 10)
        if not lane_up:
            lane.stop()
        main_before = console.core.connector.counters().published
        field.publish("plant/S1/A1/sensor/GD-1", reading(40.0), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        assert wait_until(lambda: field.received("plant/S1/A1/permit/HW-1/state"), 5)
        on_lane = lane.lane.counters().published
        on_main = console.core.connector.counters().published - main_before
        # the command, the area's work state and the permit's state: all on one connection
        assert on_lane >= 3 if lane_up else (on_lane == 0 and on_main >= 3)
    finally:
        console.close()


@pytest.mark.parametrize(
    ("beside_gui", "thread"), [(False, "paho-mqtt-client-cockpit-c1"), (True, "cockpit-core")]
)
def test_a_hihi_is_judged_and_stopped_on_the_thread_that_read_it(
    broker: MosquittoProcess, db: Database, field: PahoPeer, beside_gui: bool, thread: str
) -> None:
    """The core's cycle runs on paho's network thread right after the read that brought the reading
    (``CoreLoop.offer``, cockpit/core_loop.py): reading, judging, the claim and the stop without
    handing the interpreter to another thread, which under 5,000 readings/s cost a scheduling wait at
    each hand-over (issue 20). Beside a GUI (the window's own process) the core thread runs it, so the
    GUI thread is not kept waiting. Readings that come while another thread holds the cycle (an
    operator's call here) wait for it, and none is lost.

    Without a GUI the core thread may still run the HIHI's cycle: it wakes every 0.1 s for its ticks
    and takes the inbox when it finds readings there, and paho's offer then finds the cycle taken (a
    full run's load made it so once). What must hold is that paho's thread runs the cycles after its
    reads, and beside a GUI never does."""
    core = CockpitCore(make_config(broker), db, console="c1", sessions=TEST_KEYS, beside_gui=beside_gui)
    core.start()
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    seen: list[str] = []
    claim = core.stopwork.claims.claim
    cycles: list[str] = []  # the thread of every cycle that took readings
    cycle = core.loop._cycle

    def claiming(body: dict) -> bool | None:  # type: ignore[type-arg]
        seen.append(threading.current_thread().name)
        return claim(body)

    def counted() -> None:
        if core.loop.inbox:
            cycles.append(threading.current_thread().name)
        cycle()

    core.stopwork.claims.claim = claiming  # type: ignore[method-assign]
    core.loop._cycle = counted
    try:
        field.publish("plant/S1/A1/sensor/GD-1", reading(31.0), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        assert wait_until(lambda: seen, 5)  # the claim follows the command (StopWorkService.stop)
        assert len(seen) == 1 and seen[0] in (thread, "cockpit-core")

        before = core.call(lambda: core.stats.messages_in).result(5)
        held = threading.Event()

        def hold() -> None:
            held.set()
            time.sleep(0.5)

        busy = core.call(hold)
        assert held.wait(5)
        for seq in range(2, 52):
            field.publish("plant/S1/A2/sensor/GD-2", reading(3.0, seq), qos=1)
        busy.result(5)
        assert wait_until(lambda: core.call(lambda: core.stats.messages_in).result(5) >= before + 50, 10)
        for seq in range(52, 102):  # nothing holds the cycle now: paho's thread runs it after its reads
            field.publish("plant/S1/A2/sensor/GD-2", reading(3.0, seq), qos=1)
        assert wait_until(lambda: core.call(lambda: core.stats.messages_in).result(5) >= before + 100, 10)
        if beside_gui:
            assert set(cycles) == {thread}
        else:
            assert thread in cycles and set(cycles) <= {thread, "cockpit-core"}
    finally:
        core.stop()


def test_a_stop_names_the_areas_active_permits_as_the_cache_has_them_after_a_reload(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    """The permits a stop names come from the core's cache by area (cockpit/permit_monitor.in_area):
    permits that went active elsewhere are named once the cache is read again, and another area's
    are not."""
    from datetime import UTC, datetime, timedelta

    from models.records import HotWorkGrade, PermitType

    console = Console(make_config(broker), db, "c1")
    try:
        now = datetime.now(UTC)
        with db.session() as s:
            for pid, area in (("HW-2", "A1"), ("HW-3", "A2")):
                s.add(
                    Permit(
                        id=pid,
                        type=PermitType.HOT_WORK,
                        grade=HotWorkGrade.GRADE_2,
                        status=PermitStatus.ACTIVE,
                        site_id="S1",
                        area_id=area,
                        valid_from=now - timedelta(hours=1),
                        valid_to=now + timedelta(hours=5),
                        applicant="W-1",
                        supervisor="W-2",
                        created_at=now,
                        updated_at=now,
                    )
                )
        core = console.core
        core.call(core.permit_monitor.reload).result(5)  # as when another console's change is seen
        for seq, lel in enumerate((3.0, 31.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        assert wait_until(lambda: len(stops(field)) >= 1, 10)
        assert sorted(stops(field)[0]["permits"]) == ["HW-1", "HW-2"]
        assert not field.received("plant/S1/A2/cmd/stop-work")
    finally:
        console.close()


def test_a_hihi_in_a_burst_is_stopped_before_the_readings_after_it_are_decoded(
    broker: MosquittoProcess, db: Database, field: PahoPeer
) -> None:
    """A burst of readings is taken in chunks of up to 128 (cockpit/core.py). The HIHI's stop goes out
    as soon as the HIHI is judged, not after the readings that came behind it in the same read are
    decoded: under 5,000 readings/s that was up to a chunk's decoding added to the stop (issue 20)."""
    with db.session() as s:  # hot work in A2 as in A1, for the lone HIHI at the end
        hw1 = s.get(Permit, "HW-1")
        columns = {a.key: getattr(hw1, a.key) for a in sa_inspect(Permit).column_attrs}
        s.add(Permit(**{**columns, "id": "HW-2", "area_id": "A2"}))
    console = Console(make_config(broker), db, "c1")
    core = console.core
    areas = (("A1", "GD-1"), ("A2", "GD-2"))
    order: list[str] = []
    decode, publish = core.sparkplug.decode, core.stopwork.publish

    def decoding(topic: str, payload: bytes, now: object) -> object:
        order.append(f"decode {topic}")
        return decode(topic, payload, now)  # type: ignore[arg-type]

    def publishing(topic: str, payload: bytes, qos: int, retain: bool) -> object:
        order.append(f"publish {topic}")
        return publish(topic, payload, qos, retain)

    core.sparkplug.decode = decoding  # type: ignore[method-assign]
    core.stopwork.publish = publishing
    settled: list[tuple[bool, int]] = []  # whether the stop's thread waited for the broker, and the inbox
    settle = core.command_lane.settle

    def settling(wait: bool = True) -> None:
        settled.append((wait, len(core.loop.inbox)))
        settle(wait)

    core.command_lane.settle = settling  # type: ignore[method-assign]
    try:
        burst = [("plant/S1/A1/sensor/GD-1", reading(31.0), time.time())]
        burst += [("plant/S1/A2/sensor/GD-2", reading(3.0, seq), time.time()) for seq in range(1, 41)]
        core.call(lambda: core._process(burst)).result(5)
        assert wait_until(lambda: len(stops(field)) == 1, 10)  # and the field has it
        stop_at = order.index("publish plant/S1/A1/cmd/stop-work")
        assert order[:stop_at] == ["decode plant/S1/A1/sensor/GD-1"]
        assert order.count("decode plant/S1/A2/sensor/GD-2") == 40  # every reading of the burst taken
        kept = core.call(
            lambda: [core.store.channel(ChannelKey("S1", a, d, "LEL")) for a, d in areas]
        ).result(5)
        assert [c.value if c is not None else None for c in kept] == [31.0, 3.0]  # the store kept both
        # 40 readings were still to judge: they came first, the broker was not waited for
        assert [wait for wait, _ in settled] == [False]
        assert wait_until(lambda: not core.loop.inbox, 5)  # the console's own messages taken
        core.call(
            lambda: core._process([("plant/S1/A2/sensor/GD-2", reading(31.0, 41), time.time())])
        ).result(5)
        assert wait_until(lambda: len(field.received("plant/S1/A2/cmd/stop-work")) == 1, 10)
        # alone, with nothing behind it, the broker took it first (unless a message of the console's
        # own, its health, had come in meanwhile: then that came first)
        assert len(settled) == 2 and settled[1][0] is (settled[1][1] == 0)
    finally:
        console.close()
