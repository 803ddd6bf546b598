"""Issue 19's broker drill: the broker SIGKILLed for 5 s while a gateway publishes QoS 1 at 2,000 msg/s
to a connected console. Does the console miss any message the broker acknowledged?

The console is the cockpit's own connector (`connectors/mqtt.MqttConnector`: persistent session,
QoS 1, its reconnect); the gateway is a plain paho client with a persistent session too. The broker
runs the shipped persistence (every 1 s) and is started again on the same store. A message the broker
acknowledged to the gateway must reach the console (``lost``); one the gateway's library never had
acknowledged (it was published while the broker was away) is the gateway's to send again
(``unacked``), which is the gateway's library's business, not the cockpit's. QoS 1 is at least once:
duplicates are counted apart.

    python bench/broker_kill_live.py [RATE] [SECONDS] [DOWN_S]      (default 2000 20 5)

Ends with one line: sent=… received=… lost=… unacked=… duplicates=… reconnect_s=…
"""

from __future__ import annotations

import math
import sys
import threading
import time

import _common  # noqa: F401  (puts the project on the path)
import paho.mqtt.client as paho
from _common import BenchBroker
from paho.mqtt.enums import CallbackAPIVersion

from connectors.broker import port_open
from connectors.mqtt import MqttConnector


class Console:
    """The cockpit's connector, counting what it receives."""

    def __init__(self, url: str) -> None:
        self.got: set[int] = set()
        self.duplicates = 0
        self._lock = threading.Lock()
        self.link = MqttConnector(url, "drill-console", subscriptions=[("plant/#", 1)], on_message=self._on)
        self.link.start()
        while not self.link.link_state.connected:
            time.sleep(0.01)

    def _on(self, topic: str, payload: bytes, arrival: float) -> None:
        with self._lock:
            seq = int(payload)
            self.duplicates += seq in self.got
            self.got.add(seq)

    def settle(self, n: int) -> None:
        last, still = -1, 0
        while still < 50 and len(self.got) < n:  # 5 s without news, or all of them
            time.sleep(0.1)
            still = still + 1 if len(self.got) == last else 0
            last = len(self.got)


def gateway_client(port: int) -> paho.Client:
    gateway = paho.Client(CallbackAPIVersion.VERSION2, client_id="drill-gateway", clean_session=False)
    gateway.max_inflight_messages_set(1000)
    gateway.max_queued_messages_set(0)  # keep everything while the broker is away
    gateway.reconnect_delay_set(1, 1)  # paho takes whole seconds
    gateway.connect("127.0.0.1", port)
    gateway.loop_start()
    return gateway


def acknowledged(info: paho.MQTTMessageInfo) -> bool:
    try:
        return info.is_published()
    except RuntimeError:  # paho refused it at once: published while not connected, never sent
        return False


def main() -> None:
    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 2000.0
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    down_s = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    with BenchBroker() as broker:
        console = Console(broker.url)
        gateway = gateway_client(broker.port)
        n = int(rate * seconds)
        kill_at, back_at = n // 3, n // 3 + int(rate * down_s)
        infos: list[paho.MQTTMessageInfo] = []
        start = listening = time.monotonic()
        reconnect_s = math.nan
        for i in range(n):
            if i == kill_at:
                broker.server.kill()
            if i == back_at:
                broker.server.start()
                listening = time.monotonic()
                while not port_open("127.0.0.1", broker.port):
                    time.sleep(0.01)
            infos.append(gateway.publish("plant/S1/A1/worker/W1/event", b"%d" % i, qos=1))
            if i > back_at and math.isnan(reconnect_s) and console.link.link_state.connected:
                reconnect_s = time.monotonic() - listening
            ahead = start + (i + 1) / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        console.settle(n)
        acked = {i for i, info in enumerate(infos) if acknowledged(info)}
        gateway.loop_stop()
        console.link.stop()
    lost = sorted(acked - console.got)
    if lost:
        print(f"lost after the broker's acknowledgement: {len(lost)}, first {lost[:3]} last {lost[-3:]}")
    print(
        f"sent={n} received={len(console.got)} lost={len(lost)} unacked={n - len(acked)} "
        f"duplicates={console.duplicates} rate={rate:g} down_s={down_s:g} reconnect_s={reconnect_s:.2f}"
    )


if __name__ == "__main__":
    main()
