"""Publishing cost: the cockpit's MQTT client against a bare paho client, in one run.

The plant simulator and the field link publish through ``connectors.mqtt.MqttConnector``. At the
benchmark's 10,000 msg/s the simulator's publishing is the largest share of the machine
(bench/ui_frame), so what it costs per message decides how much room the window has left.

Each round publishes N QoS 0 readings at RATE/s from a process of its own, in 5 ms batches as the
simulator sends them: (a) with a bare paho client, (b) with the cockpit's connector. It measures the
publishing process's CPU time per message, and the broker's (which reads what the publisher writes),
and checks that a subscriber got every message.
Usage: python bench/publish.py [N] [RATE] [ROUNDS]   (default 100000 10000 3)
The ratio is the median over rounds of (b)'s CPU per message over (a)'s: under 1 is cheaper than paho.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import threading
import time

from _common import BenchBroker, cpu_seconds

BATCH_S = 0.005  # connectors.simulator.MIN_STEP_S
PAYLOAD = (
    b'{"ts":1700000000000,"seq":1,"max_age_s":30,"readings":[{"ch":"LEL","v":1.2,"u":"%LEL"},'
    b'{"ch":"O2","v":20.9,"u":"%VOL"},{"ch":"H2S","v":0.1,"u":"ppm"},{"ch":"CO","v":2.0,"u":"ppm"}]}'
)


def _paced(publish, n: int, rate: float) -> None:  # type: ignore[no-untyped-def]
    batch = max(1, int(rate * BATCH_S))
    start = time.perf_counter()
    sent = 0
    while sent < n:
        for _ in range(min(batch, n - sent)):
            publish(f"plant/S1/A{sent % 20}/sensor/GD-{sent % 46}", PAYLOAD)
            sent += 1
        delay = start + sent / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)


def _publisher(kind: str, url: str, n: int, rate: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    if kind == "paho":
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        host, port = url.removeprefix("mqtt://").rsplit(":", 1)
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-paho")
        client.connect(host, int(port))
        client.loop_start()
        time.sleep(0.3)
        t0 = time.process_time()
        _paced(lambda topic, payload: client.publish(topic, payload, qos=0), n, rate)
        time.sleep(0.3)  # the network thread writes the last batch
        out.put(time.process_time() - t0)
        client.loop_stop()
        client.disconnect()
    else:
        from connectors.mqtt import MqttConnector

        conn = MqttConnector(url, "bench-connector")
        conn.start()
        while not conn.link_state.connected:
            time.sleep(0.01)
        t0 = time.process_time()
        _paced(lambda topic, payload: conn.publish(topic, payload, qos=0), n, rate)
        time.sleep(0.3)
        out.put(time.process_time() - t0)
        conn.stop()


def one(kind: str, broker: BenchBroker, n: int, rate: float) -> tuple[float, float]:
    """(publisher µs per message, broker µs per message); exits if the subscriber missed any."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    got = [0]
    lock = threading.Lock()

    def on_message(client, userdata, msg):  # type: ignore[no-untyped-def]
        with lock:
            got[0] += 1

    sub = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-sub-{kind}")
    sub.on_message = on_message
    sub.connect("127.0.0.1", broker.port)
    sub.subscribe("plant/#", qos=0)
    sub.loop_start()
    time.sleep(0.3)
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    pid = broker.server.pid
    assert pid is not None
    before = cpu_seconds(pid) or 0.0
    proc = ctx.Process(target=_publisher, args=(kind, broker.url, n, rate, out), daemon=True)
    proc.start()
    cpu = out.get(timeout=n / rate * 4 + 60)
    proc.join(30)
    broker_cpu = (cpu_seconds(pid) or 0.0) - before
    deadline = time.monotonic() + 10
    while got[0] < n and time.monotonic() < deadline:
        time.sleep(0.05)
    sub.loop_stop()
    sub.disconnect()
    if got[0] != n:
        raise SystemExit(f"{kind}: the subscriber got {got[0]} of {n} messages")
    return cpu / n * 1e6, broker_cpu / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 10_000.0
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    ratios, paho_us, conn_us, paho_broker, conn_broker = [], [], [], [], []
    with BenchBroker() as broker:
        for r in range(rounds):
            p, pb = one("paho", broker, n, rate)
            c, cb = one("connector", broker, n, rate)
            print(
                f"round {r + 1}: paho {p:.1f} us/msg (broker {pb:.1f}), "
                f"connector {c:.1f} us/msg (broker {cb:.1f})",
                flush=True,
            )
            ratios.append(c / p)
            paho_us.append(p)
            conn_us.append(c)
            paho_broker.append(pb)
            conn_broker.append(cb)
    med = statistics.median
    print(
        f"ratio={med(ratios):.2f} connector_us_per_msg={med(conn_us):.1f} paho_us_per_msg={med(paho_us):.1f} "
        f"broker_us_per_msg_connector={med(conn_broker):.1f} broker_us_per_msg_paho={med(paho_broker):.1f} "
        f"n={n} rate={rate:.0f}"
    )


if __name__ == "__main__":
    main()
