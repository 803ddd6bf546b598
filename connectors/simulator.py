"""A believable plant on the wire: the simulator publishes through the field contract.

It plays every field system the cockpit meets: gas detectors with drift and noise,
now and then a leak that climbs through HI to HIHI and decays, a detector that drops
out, a man-down, supervisor check-ins, permit events with gas tests (some failing),
and the field gateway that acknowledges stop-work commands (received at once,
executed a few seconds later, now and then never).

The plant comes from the database (``plant_from_database``) or is given directly
(tests). ``PlantSimulator.step(now)`` is pure: it returns the messages due at
``now``; ``run_simulator`` drives it against a broker in real time.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

log = logging.getLogger(__name__)

# Typical clean-air values and the size of their noise.
BASELINE: dict[str, tuple[float, float, str]] = {
    "LEL": (0.5, 0.3, "%LEL"),
    "CH4": (0.01, 0.005, "%VOL"),
    "O2": (20.9, 0.05, "%VOL"),
    "H2S": (0.2, 0.15, "ppm"),
    "CO": (2.0, 0.8, "ppm"),
    "SO2": (0.1, 0.05, "ppm"),
    "NH3": (1.0, 0.5, "ppm"),
    "CL2": (0.02, 0.01, "ppm"),
    "TEMP": (18.0, 0.2, "C"),
    "WIND": (3.0, 0.8, "m/s"),
}
# Where a leak takes a channel at its peak (beyond the cn HIHI limit).
LEAK_PEAK: dict[str, float] = {"LEL": 32.0, "CH4": 1.6, "H2S": 19.0, "CO": 45.0, "NH3": 60.0, "CL2": 1.4}


def _encode(body: dict[str, Any]) -> bytes:
    """Compact JSON, as a field gateway sends it (orjson: a tenth of ``json.dumps``'s cost)."""
    return orjson.dumps(body)


@dataclass(frozen=True)
class SimDetector:
    site: str
    area: str
    device: str
    channels: tuple[str, ...]


@dataclass(frozen=True)
class SimPermit:
    permit: str
    site: str
    area: str
    type: str
    supervisor: str
    workers: tuple[str, ...]


@dataclass
class SimPlant:
    detectors: list[SimDetector]
    permits: list[SimPermit] = field(default_factory=list)


@dataclass
class _Leak:
    site: str
    area: str
    ch: str
    start: float
    rise_s: float = 45.0
    hold_s: float = 20.0
    fall_s: float = 60.0

    def level(self, t: float) -> float:
        """0 → 1 → 0 over the leak's life."""
        dt = t - self.start
        if dt < 0:
            return 0.0
        if dt < self.rise_s:
            return dt / self.rise_s
        if dt < self.rise_s + self.hold_s:
            return 1.0
        dt -= self.rise_s + self.hold_s
        return max(0.0, 1.0 - dt / self.fall_s)

    def over(self, t: float) -> bool:
        return t - self.start > self.rise_s + self.hold_s + self.fall_s


@dataclass(frozen=True)
class Outgoing:
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False


@dataclass
class SimOptions:
    root: str = "plant"
    rate: float = 1.0  # messages per second per detector
    seed: int = 1
    leak_every_s: float = 150.0  # mean time between leaks
    dropout_every_s: float = 240.0
    man_down_every_s: float = 600.0
    checkin_every_s: float = 300.0
    # The first round of check-ins: after the cockpit has subscribed (it starts beside the simulator and
    # its subscription is not there at the simulator's first step), within its minute of settling.
    first_checkin_s: float = 20.0
    gas_test_every_s: float = 180.0
    gas_test_fail_ratio: float = 0.2
    never_execute_ratio: float = 0.1
    # The field gate: a worker asks to enter about this often; allowed, he goes in and later out; one
    # refused in ten goes in all the same (an unauthorised entry). Its own random stream: the other
    # events stay as they were.
    gate_every_s: float = 40.0
    tailgate_ratio: float = 0.1
    max_age_s: float = 10.0


class PlantSimulator:
    """The plant's field side as a pure state machine: ``step(now)`` gives what is due."""

    def __init__(self, plant: SimPlant, options: SimOptions | None = None) -> None:
        self.plant = plant
        self.opt = options or SimOptions()
        self.rng = random.Random(self.opt.seed)
        self._seq: dict[str, int] = {}
        self._drift: dict[tuple[str, str], float] = {}
        self._next_due: dict[str, float] = {}
        self._leaks: list[_Leak] = []
        self._silent_until: dict[str, float] = {}
        self._pending_acks: list[tuple[float, Outgoing]] = []
        self._next_event: dict[str, float] = {}
        self._started = False
        self._gate_rng = random.Random(self.opt.seed * 7919 + 1)
        self._next_gate = math.inf
        self._gate_asks: dict[str, tuple[str, str, str, str]] = {}  # request id -> site, area, worker, permit
        self._gas_by_area: dict[tuple[str, str], list[str]] = {}
        for det in plant.detectors:
            chans = self._gas_by_area.setdefault((det.site, det.area), [])
            chans.extend(c for c in det.channels if c in LEAK_PEAK and c not in chans)

    # --- public -----------------------------------------------------------------------------------

    def start(self, now: float) -> list[Outgoing]:
        """Detectors announce themselves online (retained, as their gateway's will would)."""
        self._started = True
        period = 1.0 / max(self.opt.rate, 1e-6)
        for det in self.plant.detectors:
            self._next_due[det.device] = now + self.rng.random() * period
        for kind, every in (
            ("leak", self.opt.leak_every_s),
            ("dropout", self.opt.dropout_every_s),
            ("man_down", self.opt.man_down_every_s),
            ("checkin", self.opt.checkin_every_s),
            ("gas_test", self.opt.gas_test_every_s),
        ):
            self._next_event[kind] = now + self.rng.expovariate(1.0 / every) if every > 0 else math.inf
        if self.opt.checkin_every_s > 0:
            self._next_event["checkin"] = now + self.opt.first_checkin_s  # as the field comes up
        if self.opt.gate_every_s > 0:
            self._next_gate = (
                now + self.opt.first_checkin_s + self._gate_rng.expovariate(1 / self.opt.gate_every_s)
            )
        return [self._status(det, "online", now) for det in self.plant.detectors]

    def step(self, now: float) -> list[Outgoing]:
        """Everything due at ``now`` (epoch seconds)."""
        if not self._started:
            return self.start(now)
        out: list[Outgoing] = []
        self._events(now, out)
        if now >= self._next_gate:
            self._next_gate = now + self._gate_rng.expovariate(1.0 / self.opt.gate_every_s)
            self._gate_request(now, out)
        period = 1.0 / max(self.opt.rate, 1e-6)
        for det in self.plant.detectors:
            due = self._next_due[det.device]
            if due > now:
                continue
            self._next_due[det.device] = max(due + period, now - period)
            silent = self._silent_until.get(det.device)
            if silent is not None:
                if now < silent:
                    continue
                del self._silent_until[det.device]
                out.append(self._status(det, "online", now))
            out.append(self._reading(det, now))
        while self._pending_acks and self._pending_acks[0][0] <= now:
            out.append(self._pending_acks.pop(0)[1])
        self._leaks = [leak for leak in self._leaks if not leak.over(now)]
        return out

    def next_due(self) -> float:
        due = min(self._next_due.values(), default=math.inf)
        due = min(due, min(self._next_event.values(), default=math.inf), self._next_gate)
        return min(due, self._pending_acks[0][0]) if self._pending_acks else due

    def on_command(self, topic: str, payload: bytes, now: float) -> None:
        """The field gateway: acknowledge a stop- or resume-work command from the cockpit."""
        parts = topic.split("/")
        if len(parts) >= 6 and parts[-3] == "gate" and parts[-1] == "reply":
            self._gate_answered(payload, now)
            return
        try:
            body = json.loads(payload)
            command_id = str(body["command_id"])
        except (ValueError, KeyError, TypeError):
            return
        if len(parts) < 5 or parts[-2] != "cmd":
            return
        site, area = parts[1], parts[2]
        ack_topic = f"{self.opt.root}/{site}/{area}/cmd/ack"
        gateway = f"GW-{area}"[:64]
        self._queue_ack(now + 0.2, ack_topic, command_id, "received", gateway)
        if self.rng.random() >= self.opt.never_execute_ratio:
            self._queue_ack(now + self.rng.uniform(2.0, 6.0), ack_topic, command_id, "executed", gateway)

    def active_leaks(self) -> list[tuple[str, str, str]]:
        return [(leak.site, leak.area, leak.ch) for leak in self._leaks]

    def start_leak(self, site: str, area: str, ch: str, now: float) -> None:
        self._leaks.append(_Leak(site, area, ch, now))

    # --- internals -----------------------------------------------------------------------------------

    def _queue_ack(self, at: float, topic: str, command_id: str, status: str, by: str) -> None:
        body = {"command_id": command_id, "ts": int(at * 1000), "status": status, "by": by, "detail": ""}
        self._pending_acks.append((at, Outgoing(topic, _encode(body), qos=1)))
        self._pending_acks.sort(key=lambda item: item[0])

    def _queue(self, at: float, msg: Outgoing) -> None:
        self._pending_acks.append((at, msg))
        self._pending_acks.sort(key=lambda item: item[0])

    def _gate_request(self, now: float, out: list[Outgoing]) -> None:
        """A worker of a permit asks at his area's gate; now and then one from another area's permit."""
        permits = [p for p in self.plant.permits if p.workers]
        if not permits:
            return
        rng = self._gate_rng
        permit = rng.choice(permits)
        worker = rng.choice(permit.workers)
        site, area = permit.site, permit.area
        if rng.random() < 0.15:  # at the wrong gate: refused, not on a permit of this area
            other = rng.choice(permits)
            site, area = other.site, other.area
        if len(self._gate_asks) > 1000:  # no cockpit answering: forget the oldest questions
            self._gate_asks.clear()
        request_id = f"sim-{int(now * 1000)}-{len(self._gate_asks)}"
        self._gate_asks[request_id] = (site, area, worker, permit.permit)
        body = {"ts": int(now * 1000), "request_id": request_id, "badge": worker, "permit": permit.permit}
        out.append(
            Outgoing(f"{self.opt.root}/{site}/{area}/gate/G-{area}/request"[:200], _encode(body), qos=1)
        )

    def _gate_answered(self, payload: bytes, now: float) -> None:
        """The gate's answer: an allowed worker goes in, and out again later; a refused one may not."""
        try:
            body = json.loads(payload)
            asked = self._gate_asks.pop(str(body["request_id"]), None)
            allowed = body["allowed"] is True
        except (ValueError, KeyError, TypeError):
            return
        if asked is None:
            return
        site, area, worker, permit = asked
        rng = self._gate_rng
        if not allowed and rng.random() >= self.opt.tailgate_ratio:
            return
        topic = f"{self.opt.root}/{site}/{area}/worker/{worker}/event"
        entry_at = now + rng.uniform(2.0, 5.0)
        exit_at = entry_at + rng.uniform(60.0, 600.0)
        for at, kind in ((entry_at, "entry"), (exit_at, "exit")):
            event = {"ts": int(at * 1000), "type": kind, "permit": permit}
            self._queue(at, Outgoing(topic, _encode(event), qos=1))

    def _status(self, det: SimDetector, state: str, now: float) -> Outgoing:
        topic = f"{self.opt.root}/{det.site}/{det.area}/device/{det.device}/status"
        body = {"ts": int(now * 1000), "state": state, "battery": 80 + self.rng.randint(0, 20), "detail": ""}
        return Outgoing(topic, _encode(body), qos=1, retain=True)

    def _reading(self, det: SimDetector, now: float) -> Outgoing:
        seq = self._seq.get(det.device, 0) + 1
        self._seq[det.device] = seq
        readings = []
        for ch in det.channels:
            base, noise, unit = BASELINE.get(ch, (1.0, 0.1, "unit"))
            key = (det.device, ch)
            drift = self._drift.get(key, 0.0) * 0.995 + self.rng.gauss(0.0, noise * 0.05)
            self._drift[key] = drift
            value = base + drift + self.rng.gauss(0.0, noise * 0.3)
            for leak in self._leaks:
                if leak.site == det.site and leak.area == det.area and leak.ch == ch:
                    value += (LEAK_PEAK[ch] - base) * leak.level(now)
                if ch == "O2" and leak.site == det.site and leak.area == det.area:
                    value -= 1.2 * leak.level(now)  # a leak displaces some oxygen
            value = max(0.0, value)
            readings.append({"ch": ch, "v": round(value, 3), "u": unit})
        body = {"ts": int(now * 1000), "seq": seq, "max_age_s": self.opt.max_age_s, "readings": readings}
        topic = f"{self.opt.root}/{det.site}/{det.area}/sensor/{det.device}"
        return Outgoing(topic, _encode(body), qos=0)

    def _events(self, now: float, out: list[Outgoing]) -> None:
        for kind, every in (
            ("leak", self.opt.leak_every_s),
            ("dropout", self.opt.dropout_every_s),
            ("man_down", self.opt.man_down_every_s),
            ("checkin", self.opt.checkin_every_s),
            ("gas_test", self.opt.gas_test_every_s),
        ):
            if self._next_event[kind] > now:
                continue
            # check-ins come at most ``every`` apart (a supervisor's limit is 30 min); the rest at random
            gap = (
                every * (0.5 + self.rng.random() / 2)
                if kind == "checkin"
                else self.rng.expovariate(1.0 / every)
            )
            self._next_event[kind] = now + gap
            getattr(self, f"_event_{kind}")(now, out)

    def _event_leak(self, now: float, out: list[Outgoing]) -> None:
        # Prefer areas with active permits: that is where a leak matters.
        permit_areas = {(p.site, p.area) for p in self.plant.permits}
        candidates = [k for k, chans in self._gas_by_area.items() if chans and k in permit_areas]
        candidates = candidates or [k for k, chans in self._gas_by_area.items() if chans]
        if not candidates:
            return
        site, area = self.rng.choice(sorted(candidates))
        ch = self.rng.choice(self._gas_by_area[(site, area)])
        log.info("simulator: leak of %s starting in %s/%s", ch, site, area)
        self.start_leak(site, area, ch, now)

    def _event_dropout(self, now: float, out: list[Outgoing]) -> None:
        if not self.plant.detectors:
            return
        det = self.rng.choice(self.plant.detectors)
        silent_s = self.rng.uniform(30.0, 90.0)
        self._silent_until[det.device] = now + silent_s
        if self.rng.random() < 0.5:
            out.append(self._status(det, "offline", now))

    def _event_man_down(self, now: float, out: list[Outgoing]) -> None:
        if not self.plant.permits:
            return
        permit = self.rng.choice(self.plant.permits)
        if not permit.workers:
            return
        worker = self.rng.choice(permit.workers)
        body = {
            "ts": int(now * 1000),
            "type": self.rng.choice(["man_down", "man_down", "fall", "sos"]),
            "permit": permit.permit,
            "role": "worker",
            "x": round(self.rng.uniform(0, 50), 1),
            "y": round(self.rng.uniform(0, 50), 1),
        }
        out.append(
            Outgoing(
                f"{self.opt.root}/{permit.site}/{permit.area}/worker/{worker}/event",
                _encode(body),
                qos=1,
            )
        )

    def _event_checkin(self, now: float, out: list[Outgoing]) -> None:
        for permit in self.plant.permits:
            body = {"ts": int(now * 1000), "type": "checkin", "permit": permit.permit, "role": "supervisor"}
            out.append(
                Outgoing(
                    f"{self.opt.root}/{permit.site}/{permit.area}/worker/{permit.supervisor}/event",
                    _encode(body),
                    qos=1,
                )
            )

    def _event_gas_test(self, now: float, out: list[Outgoing]) -> None:
        tested = [p for p in self.plant.permits if p.type in ("hot_work", "confined_space")]
        if not tested:
            return
        permit = self.rng.choice(tested)
        failing = self.rng.random() < self.opt.gas_test_fail_ratio
        lel = round(self.rng.uniform(12.0, 20.0) if failing else self.rng.uniform(0.0, 2.0), 1)
        readings = [
            {"ch": "LEL", "v": lel, "u": "%LEL"},
            {"ch": "O2", "v": round(self.rng.uniform(20.5, 20.9), 1), "u": "%VOL"},
            {"ch": "H2S", "v": round(self.rng.uniform(0.0, 1.0), 1), "u": "ppm"},
            {"ch": "CO", "v": round(self.rng.uniform(0.0, 5.0), 1), "u": "ppm"},
        ]
        body = {
            "ts": int(now * 1000),
            "type": "gas_test",
            "by": permit.supervisor,
            "gas_test": {"readings": readings},
        }
        out.append(
            Outgoing(
                f"{self.opt.root}/{permit.site}/{permit.area}/permit/{permit.permit}/event",
                _encode(body),
                qos=1,
            )
        )


def plant_from_database(db: Any) -> SimPlant:
    """The detectors and active permits of the plant in the database (``connectors.database.Database``)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from models.queries import plant_detectors
    from models.records import PermitStatus
    from models.schema import Permit

    with db.session() as session:
        detectors = [
            SimDetector(d.site_id, d.area_id, d.device_id, tuple(c.ch for c in d.channels))
            for d in plant_detectors(session)
            if d.channels
        ]
        rows = session.scalars(
            select(Permit)
            .where(Permit.status == PermitStatus.ACTIVE)
            .options(selectinload(Permit.workers))
            .order_by(Permit.id)
        )
        permits = [
            SimPermit(
                p.id, p.site_id, p.area_id, p.type.value, p.supervisor, tuple(w.worker_id for w in p.workers)
            )
            for p in rows
        ]
    return SimPlant(detectors, permits)


MIN_STEP_S = 0.005


@dataclass
class SimStats:
    published: int = 0
    acks_sent: int = 0
    seconds: float = 0.0


def run_simulator(
    sim: PlantSimulator,
    publish: Callable[[str, bytes, int, bool], None],
    *,
    stop: threading.Event,
    seconds: float = 0.0,
    clock: Callable[[], float] = time.time,
    command_inbox: Iterable[tuple[str, bytes]] | None = None,
) -> SimStats:
    """Publish in real time until ``stop`` is set (or ``seconds`` have passed, when > 0).

    Steps come at most every ``MIN_STEP_S``: at high rates the messages due meanwhile go out together
    (stamped with their step's time), as a field gateway batches them, instead of one wake-up each.
    """
    stats = SimStats()
    start = clock()
    for msg in sim.start(start):
        publish(msg.topic, msg.payload, msg.qos, msg.retain)
        stats.published += 1
    while not stop.is_set():
        now = clock()
        if seconds and now - start >= seconds:
            break
        for msg in sim.step(now):
            publish(msg.topic, msg.payload, msg.qos, msg.retain)
            stats.published += 1
            if msg.topic.endswith("/cmd/ack"):
                stats.acks_sent += 1
        wait = min(sim.next_due() - clock(), 0.05)
        if wait > 0:
            stop.wait(max(wait, MIN_STEP_S))
    stats.seconds = clock() - start
    return stats


def utc_now_epoch() -> float:
    return datetime.now(UTC).timestamp()
