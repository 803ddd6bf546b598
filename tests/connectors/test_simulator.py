"""The simulator speaks the contract and plays the plant that is in the database."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import UTC, datetime

import pytest

from connectors.contract import ContractDecoder, ContractRejection
from connectors.database import Database
from connectors.simulator import PlantSimulator, SimOptions, plant_from_database
from models.alarms import AlarmEngine
from models.limits import LimitResolver
from models.queries import list_sites_and_areas
from models.records import ChannelKey, CommandAck, SensorMessage, WorkerEvent
from tests.support.fresh_db import open_fresh

T0 = 1_790_000_000.0


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from cockpit.demo_seed import seed_demo

    db = open_fresh(f"sqlite:///{tmp_path_factory.mktemp('sim') / 'plant.db'}")
    seed_demo(db, seed=3, now=datetime(2026, 11, 23, 8, tzinfo=UTC))
    return db


def run(sim: PlantSimulator, seconds: float, step: float = 0.5) -> list:  # type: ignore[type-arg]
    out = []
    t = T0
    while t < T0 + seconds:
        out.extend(sim.step(t))
        t += step
    return out


def test_the_simulated_plant_is_the_database_plant(seeded: Database) -> None:
    plant = plant_from_database(seeded)
    with seeded.session() as s:
        areas = {(site.site_id, a.area_id) for site in list_sites_and_areas(s) for a in site.areas}
    assert plant.detectors, "the demo plant has detectors"
    assert {(d.site, d.area) for d in plant.detectors} <= areas
    assert plant.permits and all((p.site, p.area) in areas for p in plant.permits)


def test_every_message_is_valid_under_the_contract(seeded: Database) -> None:
    sim = PlantSimulator(
        plant_from_database(seeded),
        SimOptions(seed=5, leak_every_s=60, dropout_every_s=60, man_down_every_s=60, gas_test_every_s=30),
    )
    decoder = ContractDecoder("plant")
    kinds: Counter[str] = Counter()
    for msg in run(sim, 600):
        result = decoder.decode(msg.topic, msg.payload, datetime.fromtimestamp(T0 + 600, UTC))
        assert result is not None
        assert not isinstance(result, ContractRejection), (msg.topic, result.detail)
        kinds[type(result).__name__] += 1
    assert kinds["SensorMessage"] > 1000
    assert kinds["DeviceStatus"] >= len(sim.plant.detectors)
    assert kinds["WorkerEvent"] > 0 and kinds["PermitEvent"] > 0


def test_a_leak_climbs_through_hi_to_hihi_and_decays(seeded: Database) -> None:
    sim = PlantSimulator(
        plant_from_database(seeded),
        SimOptions(seed=1, leak_every_s=1e9, dropout_every_s=1e9, man_down_every_s=1e9),
    )
    sim.start(T0)
    det = next(d for d in sim.plant.detectors if "LEL" in d.channels)
    sim.start_leak(det.site, det.area, "LEL", T0 + 1)
    engine = AlarmEngine(LimitResolver("cn"))
    decoder = ContractDecoder("plant")
    conditions = []
    for msg in run(sim, 200):
        result = decoder.decode(msg.topic, msg.payload, datetime.fromtimestamp(T0 + 200, UTC))
        if isinstance(result, SensorMessage) and result.device == det.device:
            for r in result.readings:
                for tr in engine.process(
                    ChannelKey(det.site, det.area, det.device, r.ch), r.value, r.quality, result.ts
                ):
                    conditions.append((str(tr.condition), str(tr.to_state)))
    assert ("HI", "unack") in conditions
    assert ("HIHI", "unack") in conditions
    assert conditions[-1][1] == "rtn_unack", "the leak decays back below the limits"


def test_the_field_gateway_acknowledges_stop_work(seeded: Database) -> None:
    sim = PlantSimulator(plant_from_database(seeded), SimOptions(seed=2, never_execute_ratio=0.0))
    sim.start(T0)
    body = json.dumps(
        {
            "command_id": "c-1",
            "ts": int(T0 * 1000),
            "permits": [],
            "reason": "t",
            "alarm_id": "",
            "issued_by": "op",
            "auto": False,
        }
    ).encode()
    sim.on_command("plant/S1/A1/cmd/stop-work", body, T0)
    decoder = ContractDecoder("plant")
    acks = [
        decoder.decode(m.topic, m.payload, datetime.fromtimestamp(T0 + 10, UTC))
        for m in run(sim, 10)
        if m.topic.endswith("/cmd/ack")
    ]
    assert [a.status.value for a in acks if isinstance(a, CommandAck)] == ["received", "executed"]


def test_the_same_seed_gives_the_same_plant_on_the_wire(seeded: Database) -> None:
    a = [
        (m.topic, m.payload) for m in run(PlantSimulator(plant_from_database(seeded), SimOptions(seed=9)), 60)
    ]
    b = [
        (m.topic, m.payload) for m in run(PlantSimulator(plant_from_database(seeded), SimOptions(seed=9)), 60)
    ]
    assert a == b


def test_man_down_names_a_worker_on_an_active_permit(seeded: Database) -> None:
    sim = PlantSimulator(plant_from_database(seeded), SimOptions(seed=4, man_down_every_s=5))
    decoder = ContractDecoder("plant")
    events = [
        decoder.decode(m.topic, m.payload, datetime.fromtimestamp(T0 + 120, UTC))
        for m in run(sim, 120)
        if "/worker/" in m.topic
    ]
    downs = [e for e in events if isinstance(e, WorkerEvent) and e.type.value in ("man_down", "fall", "sos")]
    assert downs
    workers = {w for p in sim.plant.permits for w in p.workers}
    assert all(e.worker in workers for e in downs)


def test_every_supervisor_checks_in_as_the_field_comes_up_and_never_past_the_interval(
    seeded: Database,
) -> None:
    """The demo starts quiet: the live check-in rule (30 min) never sees a simulated supervisor late."""
    every = 60.0
    sim = PlantSimulator(plant_from_database(seeded), SimOptions(seed=5, checkin_every_s=every, rate=0.01))
    times: dict[str, list[float]] = {}
    t = T0
    while t < T0 + 20 * every:
        for m in sim.step(t):
            body = json.loads(m.payload)
            if "/worker/" in m.topic and body.get("type") == "checkin":
                times.setdefault(body["permit"], []).append(body["ts"] / 1000)
        t += 0.5
    assert set(times) == {p.permit for p in sim.plant.permits}
    for stamps in times.values():
        assert stamps[0] - T0 <= sim.opt.first_checkin_s + 0.5  # as the field comes up
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        assert gaps and max(gaps) <= every + 0.5


def test_workers_ask_at_the_gates_and_go_in_only_when_allowed(seeded: Database) -> None:
    options = SimOptions(seed=6, rate=0.01, gate_every_s=10, tailgate_ratio=0.0)
    sim = PlantSimulator(plant_from_database(seeded), options)
    decoder = ContractDecoder()
    asked = [m for m in run(sim, 300) if "/gate/" in m.topic]
    assert len(asked) >= 10
    now = datetime.fromtimestamp(T0 + 300, UTC)
    requests = [decoder.decode(m.topic, m.payload, now) for m in asked]
    assert not any(isinstance(r, ContractRejection) for r in requests)
    first, second = asked[0], asked[1]
    for request, allowed in ((first, True), (second, False)):
        body = json.loads(request.payload)
        reply = {"ts": 0, "request_id": body["request_id"], "allowed": allowed, "reasons": []}
        sim.on_command(request.topic.replace("/request", "/reply"), json.dumps(reply).encode(), T0 + 300)
    moves = [
        m for m in run_from(sim, T0 + 300, 700) if m.topic.endswith("/event") and b'"entry"' in m.payload
    ]
    walked = {m.topic.split("/")[-2] for m in moves}
    assert json.loads(first.payload)["badge"] in walked
    assert len(moves) == 1  # the refused one stays out (no tailgating in this run)


def run_from(sim: PlantSimulator, start: float, seconds: float, step: float = 0.5) -> list:  # type: ignore[type-arg]
    out = []
    t = start
    while t < start + seconds:
        out.extend(sim.step(t))
        t += step
    return out
