"""Sparkplug B against the JSON contract, through a real broker into the real core, in one run (issue 22).

A publisher process sends, flat out (QoS 1), pre-encoded messages: JSON sensor messages of 4 readings
(the contract's usual message), JSON messages of 50 readings, and Sparkplug DDATA of 50 metrics by
alias (after the births). The core decodes, maps, stores and judges each; the time is from the first
publish to the last message counted by the core. Rounds interleave; the best round of each counts (the
machine is shared). The summary line's ``ratio`` is Sparkplug metrics/s over the JSON path's
readings/s (4 a message): the issue asks for at least 1.

    .venv/bin/python bench/sparkplug.py [messages] [rounds]
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.synchronize import Event
from pathlib import Path

from _common import BenchBroker  # puts the repository on the path

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.sparkplug_config import SparkplugConfig, SparkplugMap
from connectors.database import open_database
from connectors.sparkplug import sparkplug_b_pb2 as pb

METRICS, DEVICES = 50, 20
GROUP, NODE = "Bench", "GW-1"
Message = tuple[str, bytes]


def now_ms() -> int:
    return int(time.time() * 1000)


def json_messages(n: int, readings: int) -> list[Message]:
    out = []
    for i in range(n):
        d = i % DEVICES
        chans = (
            [
                ("LEL", 1.0 + (i % 7) * 0.1, "%LEL"),
                ("O2", 20.9, "%VOL"),
                ("H2S", 0.1, "ppm"),
                ("CO", 2.0, "ppm"),
            ]
            if readings == 4
            else [(f"M{k:02d}", float(i % 50 + k), "u") for k in range(readings)]
        )
        body = {
            "ts": now_ms(),
            "seq": i // DEVICES + 1,
            "readings": [{"ch": c, "v": v, "u": u} for c, v, u in chans],
        }
        out.append((f"plant/S1/A{d % 10}/sensor/J{readings}-{d}", json.dumps(body).encode()))
    return out


def _payload(seq: int, metrics: Sequence[tuple[str | None, int, float]], birth: bool) -> bytes:
    message = pb.Payload()
    message.timestamp = now_ms()
    message.seq = seq
    for name, alias, value in metrics:
        m = message.metrics.add()
        if name is not None:
            m.name = name
            m.datatype = 10  # Double
        m.alias = alias
        m.double_value = value
        if birth:
            m.properties.keys.append("engUnit")
            v = m.properties.values.add()
            v.type, v.string_value = 12, "u"
    return bytes(message.SerializeToString())


def sparkplug_births() -> list[Message]:
    nbirth = pb.Payload()
    nbirth.timestamp, nbirth.seq = now_ms(), 0
    bd = nbirth.metrics.add()
    bd.name, bd.datatype, bd.long_value = "bdSeq", 4, 0
    out = [(f"spBv1.0/{GROUP}/NBIRTH/{NODE}", bytes(nbirth.SerializeToString()))]
    for d in range(DEVICES):
        metrics = [(f"M{k:02d}", d * METRICS + k + 1, 0.0) for k in range(METRICS)]
        out.append((f"spBv1.0/{GROUP}/DBIRTH/{NODE}/SD-{d}", _payload(d + 1, metrics, birth=True)))
    return out


def sparkplug_data(n: int, first_seq: int) -> list[Message]:
    """DDATA by alias, ``seq`` going on from ``first_seq`` (the births once, then round after round)."""
    out = []
    for i in range(n):
        d = i % DEVICES
        metrics = [(None, d * METRICS + k + 1, float(i % 50 + k)) for k in range(METRICS)]
        out.append((f"spBv1.0/{GROUP}/DDATA/{NODE}/SD-{d}", _payload((first_seq + i) % 256, metrics, False)))
    return out


def _publish(url: str, messages: list[Message], ready: Event, go: Event) -> None:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    host, port = url.removeprefix("mqtt://").rsplit(":", 1)
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-spb-{os.getpid()}")
    client.max_inflight_messages_set(1000)
    client.connect(host, int(port))
    client.loop_start()
    ready.set()
    go.wait()
    infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(30)
    client.loop_stop()
    client.disconnect()


def send(url: str, messages: list[Message]) -> float:
    """Publish from another process; the seconds from the go until the core counted them all."""
    ctx = mp.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_publish, args=(url, messages, ready, go), daemon=True)
    proc.start()
    ready.wait(30)
    target = CORE.stats.messages_in + len(messages)
    start = time.perf_counter()
    go.set()
    while CORE.stats.messages_in < target:
        time.sleep(0.001)
        if time.perf_counter() - start > 120:
            raise SystemExit(f"the core counted {CORE.stats.messages_in} of {target}")
    took = time.perf_counter() - start
    proc.join(30)
    return took


def config(url: str) -> Config:
    cfg = Config()
    cfg.mqtt.url = url
    entries = [
        SparkplugMap(
            group=GROUP,
            node=NODE,
            device="SD-*",
            metric=f"M{k:02d}",
            site="S1",
            area="A1",
            channel=f"M{k:02d}",
            unit="u",
        )
        for k in range(METRICS)
    ]
    cfg.sparkplug = SparkplugConfig(enabled=True, host_id="bench", map=entries)
    return cfg


CORE: CockpitCore


def main() -> None:
    global CORE  # the one core of this run, read by send()
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with BenchBroker("max_queued_messages 1000000\n") as broker:
        db = open_database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        CORE = CockpitCore(config(broker.url), db, console="bench", data_dir=Path(tempfile.mkdtemp()))
        CORE.start()
        while not (CORE.connector.link_state.connected and CORE.sparkplug.connector.link_state.connected):  # type: ignore[union-attr]
            time.sleep(0.05)
        best: dict[str, float] = {}
        send(broker.url, sparkplug_births())  # once: a rebirth per round would end every value each time
        seq = DEVICES + 1
        for r in range(rounds):
            for kind in ("json4", "json50", "spb50"):
                if kind == "spb50":
                    messages = sparkplug_data(n, seq)
                    seq += n
                else:
                    messages = json_messages(n, 4 if kind == "json4" else 50)
                took = send(broker.url, messages)
                per_msg = 4 if kind == "json4" else METRICS
                rate = n * per_msg / took
                best[kind] = max(best.get(kind, 0.0), rate)
                print(f"round={r + 1} kind={kind} messages={n} seconds={took:.3f} values_per_s={rate:.0f}")
        health = CORE.call(CORE.sparkplug.snapshot).result(5)
        CORE.stop()
    print(
        f"messages={n} rounds={rounds} json4_readings_per_s={best['json4']:.0f} "
        f"json50_readings_per_s={best['json50']:.0f} spb50_metrics_per_s={best['spb50']:.0f} "
        f"ratio={best['spb50'] / best['json4']:.2f} ratio_json50={best['spb50'] / best['json50']:.2f} "
        f"seq_gaps={health['seq_gaps']} rebirths={health['rebirths_asked']}"
    )


if __name__ == "__main__":
    main()
