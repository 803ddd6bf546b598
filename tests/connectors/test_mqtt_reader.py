"""The client's own reader of incoming PUBLISH packets (``connectors/mqtt_socket._take_publishes``).

It replaces paho's per-packet reader for QoS 0 and 1 PUBLISH while the bytes are in the socket's block, and
answers QoS 1 with PUBACKs of its own: a mistake here loses, doubles or corrupts field messages, or leaves
the broker resending them. So it is checked byte by byte against a scripted broker on a real TCP socket
(every packet kind and split a broker may send), and end to end against Mosquitto.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time

import pytest

from connectors.mqtt import LinkState, MqttConnector
from tests.support.broker import MosquittoProcess, PahoPeer, mosquitto, needs_mosquitto, wait_until

__all__ = ["mosquitto"]

CONNACK = b"\x20\x02\x00\x00"
PINGRESP = b"\xd0\x00"


def _length(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def publish_packet(topic: bytes, payload: bytes, qos: int, mid: int = 0, *, dup: bool = False) -> bytes:
    body = struct.pack("!H", len(topic)) + topic + (struct.pack("!H", mid) if qos else b"") + payload
    return bytes([0x30 | (0x08 if dup else 0) | qos << 1]) + _length(len(body)) + body


class ScriptedBroker:
    """One connection on a real TCP socket: CONNACK, SUBACK, then the test's bytes in the test's splits;
    every packet the client sends is kept (type byte, body)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None
        self.received: list[tuple[int, bytes]] = []
        self.subscribed = threading.Event()
        self.closed = threading.Event()
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn = conn
        buf = b""
        while True:
            try:
                data = conn.recv(65536)
            except OSError:  # closed by ``close`` while waiting here (the test is over)
                data = b""
            if not data:
                self.closed.set()
                return
            buf += data
            while True:
                packet = _whole_packet(buf)
                if packet is None:
                    break
                header, body, buf = packet
                with self._lock:
                    self.received.append((header, body))
                kind = header & 0xF0
                if kind == 0x10:  # CONNECT
                    self.send(CONNACK)
                elif kind == 0x80:  # SUBSCRIBE: grant every filter QoS 1
                    filters = _count_filters(body[2:])
                    self.send(bytes([0x90]) + _length(2 + filters) + body[:2] + b"\x01" * filters)
                    self.subscribed.set()
                elif kind == 0xC0:  # PINGREQ
                    self.send(PINGRESP)
                elif kind == 0x50:  # PUBREC of a QoS 2 message: release it
                    self.send(b"\x62\x02" + body[:2])

    def send(self, data: bytes) -> None:
        """Whole packets from either thread: one ``sendall`` at a time."""
        assert self.conn is not None
        with self._send_lock:
            self.conn.sendall(data)

    def send_in_pieces(self, stream: bytes, rng: random.Random) -> None:
        """The stream cut at random places, some single bytes, with pauses so the client reads a part.
        The whole stream holds the lock: the serving thread's answers may not land inside a packet."""
        assert self.conn is not None
        pos = 0
        with self._send_lock:
            while pos < len(stream):
                size = rng.choice((1, 2, 3, 7, 50, 700, 5000, 70000))
                self.conn.sendall(stream[pos : pos + size])
                pos += size
                if rng.random() < 0.2:
                    time.sleep(0.002)

    def acks(self) -> list[int]:
        with self._lock:
            return [struct.unpack("!H", body[:2])[0] for header, body in self.received if header == 0x40]

    def kinds(self) -> list[int]:
        with self._lock:
            return [header & 0xF0 for header, _ in self.received]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


def _whole_packet(buf: bytes) -> tuple[int, bytes, bytes] | None:
    if len(buf) < 2:
        return None
    length, mult, i = 0, 1, 1
    while True:
        if i >= len(buf):
            return None
        byte = buf[i]
        length += (byte & 0x7F) * mult
        mult *= 128
        i += 1
        if not byte & 0x80:
            break
    if len(buf) < i + length:
        return None
    return buf[0], buf[i : i + length], buf[i + length :]


def _count_filters(payload: bytes) -> int:
    count, pos = 0, 0
    while pos < len(payload):
        (n,) = struct.unpack_from("!H", payload, pos)
        pos += 2 + n + 1
        count += 1
    return count


class Inbox:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[tuple[str, bytes]] = []

    def __call__(self, topic: str, payload: bytes, t: float) -> None:
        with self.lock:
            self.items.append((topic, payload))

    def got(self) -> list[tuple[str, bytes]]:
        with self.lock:
            return list(self.items)


def _connect(broker: ScriptedBroker, inbox: Inbox) -> MqttConnector:
    states: list[LinkState] = []
    conn = MqttConnector(
        broker.url,
        "reader-test",
        subscriptions=[("plant/#", 1)],
        on_message=inbox,
        on_link_change=states.append,
    )
    conn.start()
    assert broker.subscribed.wait(10), "the client never subscribed"
    return conn


def test_every_split_of_a_mixed_stream_arrives_whole_in_order_and_each_qos1_is_acknowledged_once() -> None:
    """QoS 0 and 1 PUBLISH of every size (a one- to three-byte remaining length, payloads over the 64 KiB
    block), topics with Chinese names, a redelivery marked dup, PINGRESPs between them, all cut at random
    places; then QoS 2 messages, which paho reads itself: the console sees each message once, the QoS 0
    and 1 in the broker's order (QoS 2 ones when the broker releases them), and the broker gets one PUBACK
    per QoS 1 message, in order, and the QoS 2 handshake as paho does it."""
    rng = random.Random(20)
    broker, inbox = ScriptedBroker(), Inbox()
    conn = _connect(broker, inbox)
    try:
        stream = bytearray()
        expected: list[tuple[str, bytes]] = []
        qos1_mids: list[int] = []
        for n in range(3000):
            topic = f"plant/S{n % 3}/区域{n % 5}/sensor/D{n}"
            size = (
                rng.choice((0, 1, 60, 126, 127, 128, 300, 16383, 16384, 70000))
                if n % 50 == 0
                else 40 + n % 90
            )
            payload = bytes([48 + n % 10]) * size + str(n).encode()
            qos, mid = (0, 1, 1)[n % 3], 1 + n % 65535
            stream += publish_packet(topic.encode(), payload, qos, mid, dup=n % 97 == 0)
            expected.append((topic, payload))
            if qos == 1:
                qos1_mids.append(mid)
            if n % 211 == 0:
                stream += PINGRESP
        broker.send_in_pieces(bytes(stream), rng)
        released = [(f"plant/S/A/sensor/Q{k}", f"exactly once {k}".encode()) for k in range(20)]
        for k, (topic, payload) in enumerate(released):
            broker.send(publish_packet(topic.encode(), payload, 2, 60_000 + k))
        everything = len(expected) + len(released)
        assert wait_until(lambda: len(inbox.got()) >= everything, timeout=60)
        assert wait_until(lambda: len(broker.acks()) >= len(qos1_mids), timeout=10)
        time.sleep(0.2)  # nothing more may come
        got = inbox.got()
        assert got[: len(expected)] == expected
        assert sorted(got[len(expected) :]) == sorted(released)
        assert broker.acks() == qos1_mids
        kinds = broker.kinds()
        assert kinds.count(0x50) == kinds.count(0x70) == len(released)  # PUBREC and PUBCOMP, as paho does
        assert conn.link_state.connected
    finally:
        conn.stop()
        broker.close()


def test_a_publish_with_an_empty_topic_is_refused_as_paho_refuses_it_and_nothing_after_it_is_taken() -> None:
    """MQTT 3.1.1 forbids an empty topic: paho ends the connection on it. The reader leaves such a packet
    to paho, so the messages before it arrive and the bad one and those behind it on that connection
    do not."""
    broker, inbox = ScriptedBroker(), Inbox()
    conn = _connect(broker, inbox)
    try:
        good = [publish_packet(f"plant/S/A/sensor/D{i}".encode(), b"x" * i, 1, i + 1) for i in range(20)]
        bad = publish_packet(b"", b"no topic", 1, 99)
        after = publish_packet(b"plant/S/A/sensor/after", b"late", 1, 100)
        broker.send(b"".join(good) + bad + after)
        assert broker.closed.wait(10), "the client kept a connection that sent a malformed packet"
        assert wait_until(lambda: len(inbox.got()) == 20)
        time.sleep(0.2)
        assert [t for t, _ in inbox.got()] == [f"plant/S/A/sensor/D{i}" for i in range(20)]
        assert 99 not in broker.acks() and 100 not in broker.acks()
    finally:
        conn.stop()
        broker.close()


@pytest.mark.broker
@needs_mosquitto
def test_mosquitto_resends_nothing_after_a_burst_so_every_qos1_was_acknowledged(
    mosquitto: MosquittoProcess,
) -> None:
    """20,000 QoS 1 readings through a real broker to a persistent session: each arrives once, and after
    the console closes and comes back the broker has nothing left to resend (an unacknowledged one would
    come again, marked dup)."""
    inbox = Inbox()
    conn = MqttConnector(mosquitto.url, "reader-burst", subscriptions=[("plant/#", 1)], on_message=inbox)
    conn.start()
    peer = PahoPeer(mosquitto.url, "reader-burst-publisher")
    peer.wait_connected()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        time.sleep(0.2)
        sent = [f"{i:06d}".encode() * 8 for i in range(20_000)]
        for i, payload in enumerate(sent):
            peer.publish(f"plant/S1/A{i % 9}/sensor/D{i % 200}", payload, qos=1)
        assert wait_until(lambda: len(inbox.got()) == len(sent), timeout=60)
        time.sleep(0.5)  # the last PUBACKs reach the broker
        conn.stop()
        assert sorted(p for _, p in inbox.got()) == sent
        again = Inbox()
        conn = MqttConnector(mosquitto.url, "reader-burst", subscriptions=[("plant/#", 1)], on_message=again)
        conn.start()
        assert wait_until(lambda: conn.link_state.connected)
        time.sleep(1.0)
        assert again.got() == [], f"the broker resent {len(again.got())} messages it never saw acknowledged"
    finally:
        conn.stop()
        peer.close()


def test_readings_that_come_one_at_a_time_are_taken_by_the_clients_reader_and_the_end_is_seen() -> None:
    """At a plant's steady rate each read brings one reading. The first packet of a read was paho's
    to parse (and to answer with a PUBACK that also woke its own thread): at 5,000 readings/s that was
    every reading. The block is read ahead of paho now, so paho's reader takes none of them; each is
    acknowledged once, in order; and the broker closing the connection is still seen as its end."""
    broker, inbox = ScriptedBroker(), Inbox()
    conn = _connect(broker, inbox)
    client = conn._client
    by_paho: list[int] = []
    handle = client._handle_publish

    def counted() -> object:
        by_paho.append(1)
        return handle()

    client._handle_publish = counted  # type: ignore[method-assign]
    try:
        mids = list(range(1, 41))
        for mid in mids:
            broker.send(publish_packet(f"plant/S/A/sensor/D{mid}".encode(), b'{"v": 1}', 1, mid))
            assert wait_until(lambda m=mid: len(inbox.got()) == m, timeout=5)  # type: ignore[misc]
        assert wait_until(lambda: len(broker.acks()) == len(mids), timeout=5)
        assert [t for t, _ in inbox.got()] == [f"plant/S/A/sensor/D{m}" for m in mids]
        assert broker.acks() == mids
        assert by_paho == [], f"paho's reader took {len(by_paho)} of {len(mids)} readings"
        assert conn.link_state.connected
        assert broker.conn is not None
        broker.conn.shutdown(socket.SHUT_RDWR)  # the broker ends the connection
        assert wait_until(lambda: not conn.link_state.connected, timeout=10)
    finally:
        conn.stop()
        broker.close()
