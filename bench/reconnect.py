"""How soon the cockpit's MQTT link is back after the broker returns, and how often it knocks meanwhile.

The broker (Mosquitto, persistence on) is SIGKILLed while a console's connector is connected, stays down
for each outage in turn, and is started again on the same port. Measured: seconds from the broker
listening again to the link counting as connected (subscriptions answered), and connection attempts
per second while it was down (the broker's port is watched by a counting TCP proxy in front of it).

    python bench/reconnect.py [outage seconds ...]     (default 5 20)

Ends with one line: reconnect_s_after_<N>s=... attempts_per_s_<N>s=... for each outage.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time

from _common import BenchBroker

from connectors.broker import port_open
from connectors.mqtt import MqttConnector


class CountingProxy:
    """Accepts on a port of its own and forwards to the broker; counts the connections it was offered."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.sock.accept()
            self.accepted += 1
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=1)
            except OSError:
                client.close()  # the broker is down: as a refused connection would end
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def measure(outage_s: float) -> tuple[float, float]:
    with BenchBroker() as broker:
        proxy = CountingProxy(broker.port)
        conn = MqttConnector(f"mqtt://127.0.0.1:{proxy.port}", "bench-reconnect", subscriptions=[("b/#", 1)])
        conn.start()
        try:
            while not conn.link_state.connected:
                time.sleep(0.01)
            broker.server.kill()
            while conn.link_state.connected:
                time.sleep(0.01)
            before = proxy.accepted
            time.sleep(outage_s)
            attempts = proxy.accepted - before
            broker.server.start()
            back = time.monotonic()
            assert port_open("127.0.0.1", broker.port)
            while not conn.link_state.connected:
                time.sleep(0.005)
            return time.monotonic() - back, attempts / outage_s
        finally:
            conn.stop()


def main() -> None:
    outages = [float(a) for a in sys.argv[1:]] or [5.0, 20.0]
    parts = []
    for outage in outages:
        after, rate = measure(outage)
        print(f"outage {outage:g} s: connected {after:.2f} s after the broker listened; {rate:.2f} tries/s")
        parts += [f"reconnect_s_after_{outage:g}s={after:.2f}", f"attempts_per_s_{outage:g}s={rate:.2f}"]
    print(" ".join(parts))


if __name__ == "__main__":
    main()
