"""QoS 1 messages queued for an absent console when the broker is SIGKILLed: how many survive?

A console's persistent session is away; a gateway publishes QoS 1 at a steady rate (every message
acknowledged by the broker); the broker is killed right after the last acknowledgement, started again
on the same store, and the console collects what was kept. Run for the shipped autosave (every 1 s)
and for the 60 s the issue's drill had.

    python bench/broker_kill.py [RATE] [SECONDS]      (default 2000 10)

Ends with one line: lost_autosave_1s=… lost_autosave_60s=… sent=…
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

import _common  # noqa: F401  (puts the project on the path)
import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from connectors.broker import MosquittoServer, find_mosquitto, free_port, mosquitto_config


def client(port: int, cid: str, clean: bool) -> paho.Client:
    c = paho.Client(CallbackAPIVersion.VERSION2, client_id=cid, clean_session=clean)
    c.max_inflight_messages_set(1000)
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def run(autosave_s: int, rate: float, seconds: float) -> tuple[int, int]:
    folder = Path(tempfile.mkdtemp(prefix="bench-kill-"))
    port = free_port()
    conf = folder / "mosquitto.conf"
    conf.write_text(mosquitto_config(port=port, data_dir=folder, autosave_interval=autosave_s), "utf-8")
    binary = find_mosquitto()
    assert binary is not None
    server = MosquittoServer(binary, conf, folder / "log", host="127.0.0.1", port=port)
    server.start()
    console = client(port, "bench-console", clean=False)
    subscribed = threading.Event()
    console.on_subscribe = lambda *a: subscribed.set()
    console.subscribe("plant/#", 1)
    subscribed.wait(5)
    time.sleep(1.5)  # the session itself is in the store
    console.disconnect()
    console.loop_stop()
    gateway = client(port, "bench-gateway", clean=True)
    n = int(rate * seconds)
    start = time.monotonic()
    infos = []
    for i in range(n):
        infos.append(gateway.publish("plant/S1/A1/worker/W1/event", b"%d" % i, qos=1))
        ahead = start + (i + 1) / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    for info in infos:
        info.wait_for_publish(30)
    server.kill()
    gateway.loop_stop()
    server.start()
    got: set[bytes] = set()
    console = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-console", clean_session=False)
    console.on_message = lambda c, u, m: got.add(bytes(m.payload))
    console.connect("127.0.0.1", port)
    console.loop_start()
    last, still = -1, 0
    while still < 20:
        time.sleep(0.1)
        still = still + 1 if len(got) == last else 0
        last = len(got)
    console.loop_stop()
    server.stop()
    return n, n - len(got)


def main() -> None:
    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 2000.0
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    sent, lost_1 = run(1, rate, seconds)
    _, lost_60 = run(60, rate, seconds)
    print(f"lost_autosave_1s={lost_1} lost_autosave_60s={lost_60} sent={sent} rate={rate:g}")


if __name__ == "__main__":
    main()
