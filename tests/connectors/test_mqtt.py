"""The MQTT connector against real Mosquitto processes: traffic, self-healing, persistence, the will."""

from __future__ import annotations

import contextlib
import inspect
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from paho.mqtt.enums import CallbackAPIVersion

from connectors.mqtt import BufferedSocket, LinkCause, LinkState, LinkStatus, MqttConnector, fill_reason
from tests.support.broker import MosquittoProcess, PahoPeer, mosquitto, needs_mosquitto, wait_until

pytestmark = [pytest.mark.broker, needs_mosquitto]
__all__ = ["mosquitto"]  # the fixture, imported for this module's tests

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """What the cockpit's on_message callback would have seen."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[tuple[str, bytes, float]] = []
        self.threads: set[str] = set()

    def __call__(self, topic: str, payload: bytes, t: float) -> None:
        with self.lock:
            self.items.append((topic, payload, t))
            self.threads.add(threading.current_thread().name)

    def payloads(self, topic: str | None = None) -> list[bytes]:
        with self.lock:
            return [p for t, p, _ in self.items if topic is None or t == topic]


def make_connector(
    url: str, client_id: str, inbox: Inbox, states: list[LinkState], **kw: object
) -> MqttConnector:
    return MqttConnector(
        url,
        client_id,
        subscriptions=kw.pop("subscriptions", [("plant/#", 1)]),  # type: ignore[arg-type]
        on_message=inbox,
        on_link_change=states.append,
        **kw,  # type: ignore[arg-type]
    )


def test_qos0_and_qos1_messages_arrive_with_arrival_time(mosquitto: MosquittoProcess) -> None:
    inbox, states = Inbox(), list[LinkState]()
    conn = make_connector(mosquitto.url, "console-a", inbox, states)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        peer = PahoPeer(mosquitto.url, "gateway-1")
        peer.wait_connected()
        # The subscription is made by the connector on connect; a retained marker proves it is active.
        before = time.time()
        peer.publish("plant/s1/a1/sensor/d1", b'{"q":0}', qos=0).wait_for_publish(5)
        peer.publish("plant/s1/a1/sensor/d1", b'{"q":1}', qos=1).wait_for_publish(5)
        peer.publish("elsewhere/x", b"not subscribed", qos=1).wait_for_publish(5)
        assert wait_until(lambda: len(inbox.payloads()) >= 2)
        assert inbox.payloads() == [b'{"q":0}', b'{"q":1}']
        assert all(before - 1 <= t <= time.time() for _, _, t in inbox.items)
        assert conn.messages_in == 2
        assert "MainThread" not in inbox.threads  # delivered on paho's thread, never the caller's
        peer.close()
    finally:
        conn.stop()
    # Connected only once the broker has taken the subscriptions: a message published earlier is lost.
    assert [(s.status, s.cause) for s in states] == [
        (LinkStatus.CONNECTING, LinkCause.CONNECTING),
        (LinkStatus.CONNECTING, LinkCause.SUBSCRIBING),
        (LinkStatus.CONNECTED, LinkCause.CONNECTED_NEW),
        (LinkStatus.DISCONNECTED, LinkCause.STOPPED),
    ]
    assert states[-1].reason == "stopped"


def test_publish_reports_delivery_on_puback_and_reaches_a_subscriber(mosquitto: MosquittoProcess) -> None:
    peer = PahoPeer(mosquitto.url, "gateway-2")
    peer.subscribe("plant/+/+/cmd/stop-work")
    conn = make_connector(mosquitto.url, "console-b", Inbox(), [])
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        delivered = threading.Event()
        assert conn.publish(
            "plant/s1/a1/cmd/stop-work", b'{"command_id":"c1"}', qos=1, on_delivered=delivered.set
        )
        assert delivered.wait(5)
        assert wait_until(lambda: len(peer.received()) == 1)
        got = peer.received()[0]
        assert (got.topic, got.payload, got.qos) == ("plant/s1/a1/cmd/stop-work", b'{"command_id":"c1"}', 1)
        counters = conn.counters()
        assert counters.delivered == 1
        assert counters.pending_deliveries == 0
        assert counters.last_delivery_s is not None
    finally:
        conn.stop()
        peer.close()


def test_the_delivery_counters_add_up_over_both_qos_levels(mosquitto: MosquittoProcess) -> None:
    """What the diagnostics view shows: published = delivered + waiting, QoS 0 counted when handed over."""
    peer = PahoPeer(mosquitto.url, "gateway-c")
    peer.subscribe("plant/#")
    conn = make_connector(mosquitto.url, "console-c", Inbox(), [], subscriptions=[])
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        with pytest.raises(ValueError, match="QoS 0"):  # nothing would ever call it back
            conn.publish("plant/s1/a1/x", b"0", qos=0, on_delivered=lambda: None)
        acked: list[int] = []
        for i in range(200):
            if i % 2:
                assert conn.publish(f"plant/s1/a1/q1/{i}", b"1", qos=1, on_delivered=partial(acked.append, i))
            else:
                assert conn.publish(f"plant/s1/a1/q0/{i}", b"0", qos=0)
        assert wait_until(lambda: len(acked) == 100 and len(peer.received()) == 200)
        assert sorted(acked) == list(range(1, 200, 2))
        counters = conn.counters()
        assert (counters.published, counters.delivered, counters.pending_deliveries) == (200, 200, 0)
    finally:
        conn.stop()
        peer.close()


def test_socket_has_tcp_nodelay(mosquitto: MosquittoProcess) -> None:
    conn = make_connector(mosquitto.url, "console-c", Inbox(), [])
    assert conn.nodelay is None  # no socket before start
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        sock: Any = conn._client.socket()
        assert sock is not None
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert conn.nodelay is True
    finally:
        conn.stop()


def test_buffered_socket_serves_any_split_of_the_stream_and_passes_errors_on() -> None:
    a, b = socket.socketpair()
    a.setblocking(False)
    sock = BufferedSocket(a)
    try:
        with pytest.raises(BlockingIOError):  # nothing sent yet: paho sees what the socket says
            sock.recv(1)
        stream = bytes(range(256)) * 1200  # more than one 64 KiB block
        sender = threading.Thread(target=b.sendall, args=(stream,))  # more than the socket buffers
        sender.start()
        got = bytearray()
        sizes = [1, 1, 2, 7, 300, 65536, 5, 70000, 1]
        i = 0
        while len(got) < len(stream):
            try:
                chunk = sock.recv(sizes[i % len(sizes)])
            except BlockingIOError:
                time.sleep(0.01)
                continue
            assert 0 < len(chunk) <= sizes[i % len(sizes)]
            got += chunk
            i += 1
            assert sock.pending() >= 0
        sender.join()
        assert bytes(got) == stream and sock.pending() == 0
        assert sock.fileno() == a.fileno()  # the rest is the socket's own
        b.close()
        assert wait_until(lambda: _eof(sock))
    finally:
        a.close()


def _eof(sock: BufferedSocket) -> bool:
    try:
        return sock.recv(10) == b""
    except BlockingIOError:
        return False


def test_a_burst_arrives_whole_and_in_order_through_the_buffered_socket(mosquitto: MosquittoProcess) -> None:
    inbox, states = Inbox(), list[LinkState]()
    conn = make_connector(mosquitto.url, "console-burst", inbox, states)
    conn.start()
    peer = PahoPeer(mosquitto.url, "burst-publisher")
    peer.wait_connected()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        # A paho upgrade must not turn the connector's speed-ups into dead code silently.
        assert isinstance(conn._client.socket(), BufferedSocket)
        time.sleep(0.2)
        payloads = [bytes([65 + i % 26]) * (1 + (i * 37) % 3000) + str(i).encode() for i in range(3000)]
        for i, payload in enumerate(payloads):
            peer.publish(f"plant/S1/A1/sensor/D{i % 7}", payload, qos=i % 2)
        assert wait_until(lambda: len(inbox.payloads()) == len(payloads), timeout=30)
        got = inbox.payloads()
        assert sorted(got) == sorted(payloads)
        for qos in (0, 1):  # MQTT orders messages within one QoS, not across them
            sent = [p for i, p in enumerate(payloads) if i % 2 == qos]
            assert [p for p in got if p in set(sent)] == sent
    finally:
        conn.stop()
        peer.close()


def _sequenced(i: int, size: int) -> bytes:
    return f"{i:08d}".encode() + bytes([65 + i % 26]) * size


class CountingSocket:
    """Wraps the real socket under ``BufferedSocket``: how many bytes each ``send`` was offered and took."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.sends: list[tuple[int, int]] = []  # (offered, taken)

    def send(self, data: bytes | bytearray | memoryview) -> int:
        try:
            taken: int = self.sock.send(data)
        except BlockingIOError:
            taken = 0
            self.sends.append((len(data), taken))
            raise
        self.sends.append((len(data), taken))
        return taken

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def test_a_publishing_burst_goes_out_in_few_writes_whole_and_in_order(mosquitto: MosquittoProcess) -> None:
    """Messages queued while paho's network thread is busy go out in one gathered write.

    The verdict must not depend on the machine's speed (638 writes against a limit of 600 once, on a
    loaded machine: how many messages a free-running loop finds queued is a matter of timing). So the
    network thread is held in a message callback while the burst is published from this thread; then
    gathering guarantees the first write carries the whole burst, and every further write only sends
    what the socket did not take the time before.
    """
    peer = PahoPeer(mosquitto.url, "burst-reader")
    peer.subscribe("plant/#", qos=1)
    hold, holding = threading.Event(), threading.Event()

    def on_message(topic: str, payload: bytes, t: float) -> None:
        holding.set()
        hold.wait(30)  # paho's network thread: nothing is written meanwhile

    conn = MqttConnector(
        mosquitto.url, "simulator-burst", subscriptions=[("hold/#", 0)], on_message=on_message
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        sock = conn._client.socket()
        assert isinstance(sock, BufferedSocket)
        peer.publish("hold/now", b"", qos=0)
        assert holding.wait(10), "the connector never got the message that holds its network thread"
        counting = CountingSocket(sock.sock)
        sock.sock = counting  # safe: the network thread waits in on_message
        payloads = [_sequenced(i, 200 + (i * 53) % 700) for i in range(3000)]
        try:
            for i, payload in enumerate(payloads):
                assert conn.publish(f"plant/S1/A1/sensor/D{i % 7}", payload, qos=0)
        finally:
            hold.set()
        assert wait_until(lambda: len(peer.received()) == len(payloads), timeout=30)
        assert [m.payload for m in peer.received()] == payloads
        # One send per message would be 3,000 writes (and 3,000 TCP segments for the broker to read).
        sends = counting.sends
        assert sends and sends[0][0] > sum(map(len, payloads)), "the first write did not carry the burst"
        for (offered, taken), (next_offered, _) in itertools.pairwise(sends):
            assert taken < offered and next_offered == offered - taken, "a write that was not a rest"
    finally:
        hold.set()
        conn.stop()
        peer.close()


def test_every_paho_method_the_client_overrides_still_exists_with_a_compatible_signature() -> None:
    """The speed-ups live in overrides of paho's private methods (``_PahoClient``): a paho release that
    renames one, or calls it with other arguments, must fail here rather than turn it into dead code."""
    import paho.mqtt.client as paho

    from connectors.mqtt import _PahoClient

    own = {"send_now", "_gathered_write", "publish_quietly", "_wake"}  # the client's own, not paho's
    overridden = {
        name
        for name, value in vars(_PahoClient).items()
        if inspect.isfunction(value) and not name.startswith("__") and name not in own
    }
    private_hooks = {
        "_create_socket",
        "_handle_on_message",
        "_packet_write",
        "_sock_close",
        "_do_on_publish",
        "_reconnect_wait",
        "_packet_read",
    }
    assert private_hooks <= overridden
    for name in sorted(overridden):
        theirs = getattr(paho.Client, name, None)
        assert callable(theirs), f"paho.Client.{name} is gone: the override is dead code"
        assert _accepts_every_call_of(
            inspect.signature(getattr(_PahoClient, name)), inspect.signature(theirs)
        ), (
            f"_PahoClient.{name}{inspect.signature(getattr(_PahoClient, name))} "
            f"no longer fits paho's {name}{inspect.signature(theirs)}"
        )
    # State of paho's the overrides read, and the TLS hook BufferedSocket answers (paho asks the
    # socket for pending() before it waits in select).
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="hooks")
    for attribute in (
        "_sock",
        "_in_callback_mutex",
        "_userdata",
        "_thread",
        "on_message",
        "_reconnect_delay",
        "_reconnect_delay_mutex",
        "_state",
        "_thread_terminate",
        "_in_packet",  # the block reader (_take_publishes) reads these and writes the last three
        "_manual_ack",
        "_protocol",
        "_out_packet",
        "_msgtime_mutex",
        "_last_bytes_received",
    ):
        assert hasattr(client, attribute), f"paho.Client has no {attribute} any more"
    assert client._in_packet["command"] == 0, "paho marks 'no packet in progress' another way now"
    assert ".pending()" in inspect.getsource(paho.Client), "paho no longer asks its socket for pending()"
    # publish_quietly: paho wakes its network thread through _sockpairW, which the client wraps
    assert "self._sockpairW.send(" in inspect.getsource(paho.Client._packet_queue), (
        "paho wakes its network thread another way now: publish_quietly no longer keeps it asleep"
    )
    assert hasattr(client, "_sockpairW") and hasattr(client, "_sockpairR")


def _accepts_every_call_of(ours: inspect.Signature, theirs: inspect.Signature) -> bool:
    """Whether every call paho's signature admits (by position or by name) is one ours admits too."""
    kinds = inspect.Parameter
    mine = list(ours.parameters.values())
    variadic = {p.kind for p in mine} & {kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD}
    if len(variadic) == 2:
        return True
    positional = [p.name for p in mine if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    by_name = {p.name for p in mine if p.kind is not kinds.POSITIONAL_ONLY}
    used: set[str] = set()
    for param in theirs.parameters.values():
        if param.kind in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD):
            if param.kind not in variadic:
                return False
        elif param.kind is kinds.KEYWORD_ONLY:
            if param.name not in by_name:
                return False
            used.add(param.name)
        else:  # positional: the same name at the same place
            if len(used) >= len(positional) or positional[len(used)] != param.name:
                return False
            used.add(param.name)
    # Anything more that ours takes must have a default: paho's own calls will not pass it.
    return all(p.name in used or p.default is not kinds.empty or p.kind in variadic for p in mine)


def test_a_broker_that_stops_reading_loses_nothing_and_gets_it_all_in_order_later(
    mosquitto: MosquittoProcess,
) -> None:
    """The socket fills (the broker is SIGSTOPped): the gathered bytes wait, nothing is lost or reordered.
    A stop command published meanwhile comes after the readings queued before it, once the broker reads."""
    peer = PahoPeer(mosquitto.url, "stalled-reader")
    peer.subscribe("plant/#", qos=1)
    conn = MqttConnector(mosquitto.url, "simulator-stalled", keepalive=60)
    conn.start()
    assert wait_until(lambda: conn.link_state.connected)
    sock = conn._client.socket()
    assert isinstance(sock, BufferedSocket)
    payloads = [_sequenced(i, 8000) for i in range(3000)]  # 24 MB: more than both ends' socket buffers
    delivered = threading.Event()
    mosquitto.pause()
    try:
        for i, payload in enumerate(payloads):
            conn.publish(f"plant/S1/A1/sensor/D{i % 5}", payload, qos=0)
        conn.publish("plant/S1/A1/cmd/stop-work", b"stop", qos=1, on_delivered=delivered.set)
        assert wait_until(lambda: sock.unsent() > 0, timeout=10), "the socket never filled"
        assert conn._client.want_write()  # paho keeps asking to write while bytes wait here
    finally:
        mosquitto.resume()
    try:
        assert wait_until(lambda: len(peer.received()) == len(payloads) + 1, timeout=60)
        got = peer.received()
        assert [m.payload for m in got[:-1]] == payloads
        assert got[-1].topic == "plant/S1/A1/cmd/stop-work"
        assert delivered.wait(10) and sock.unsent() == 0
        assert conn.link_state.connected
    finally:
        conn.stop()
        peer.close()


def test_a_link_reason_is_english_for_the_log_and_keeps_its_cause_for_the_screens() -> None:
    state = LinkState.because(
        LinkStatus.DISCONNECTED, LinkCause.UNREACHABLE, "mqtt://h:1883", "Connection refused"
    )
    assert state.reason == "cannot reach mqtt://h:1883: Connection refused; retrying"
    assert (state.cause, state.args) == (LinkCause.UNREACHABLE, ("mqtt://h:1883", "Connection refused"))
    # Details are put in once: a detail that itself holds "%2" stays as it is.
    assert (
        fill_reason(LinkCause.LOST.value, ["mqtt://a%2b:1", "x"])
        == "connection to mqtt://a%2b:1 lost (x); retrying"
    )
    # Every cause's text names only the details it is given.
    for cause in LinkCause:
        assert "%" not in fill_reason(cause.value, ["a", "b"])


def test_start_with_broker_down_returns_and_connects_when_it_comes_up(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path)  # configured, not started: nothing listens on its port
    inbox, states = Inbox(), list[LinkState]()
    conn = make_connector(broker.url, "console-d", inbox, states)
    conn.start()  # must neither raise nor wait for the broker
    try:
        assert not conn.link_state.connected
        assert wait_until(lambda: "cannot reach" in conn.link_state.reason, timeout=5)
        assert "refused" in conn.link_state.reason.lower()
        # What a screen needs to say it in its language: the cause and its details.
        assert conn.link_state.cause is LinkCause.UNREACHABLE
        assert conn.link_state.args[0] == broker.url
        broker.start()
        assert wait_until(lambda: conn.link_state.connected, timeout=15), conn.link_state
        connected = conn.link_state  # a new state: the property is read again
        assert connected.cause is LinkCause.CONNECTED_NEW
        peer = PahoPeer(broker.url, "gateway-3")
        assert wait_until(
            lambda: peer.publish("plant/s/a/sensor/d", b"up").rc == 0 and bool(inbox.payloads())
        )
        peer.close()
    finally:
        conn.stop()
        broker.stop()


def test_stop_returns_promptly_while_the_broker_is_unreachable(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path)
    conn = make_connector(broker.url, "console-e", Inbox(), [])
    conn.start()
    assert wait_until(lambda: "cannot reach" in conn.link_state.reason, timeout=5)
    conn.stop()
    assert conn.link_state.status is LinkStatus.DISCONNECTED
    assert conn.link_state.reason == "stopped"
    assert not conn._client._thread  # the network thread was joined


def test_reconnects_after_broker_sigkill_and_gets_messages_published_meanwhile(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path, autosave_on_changes=True).start()
    inbox, states = Inbox(), list[LinkState]()
    conn = make_connector(broker.url, "console-f", inbox, states)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        gateway = PahoPeer(broker.url, "gateway-4")
        gateway.wait_connected()
        for n in range(3):
            gateway.publish("plant/s/a/worker/w1/event", f"before-{n}".encode())
        assert wait_until(lambda: len(inbox.payloads()) == 3)
        gateway.close()
        # Wait until the session (client id + subscription) is in the store, then crash the broker.
        assert wait_until((broker.dir / "mosquitto.db").exists, timeout=5)
        broker.kill()
        assert wait_until(lambda: conn.link_state.status is LinkStatus.DISCONNECTED, timeout=5)
        assert "lost" in conn.link_state.reason or "cannot reach" in conn.link_state.reason
        broker.restart()
        assert shutil.which("mosquitto_pub"), "mosquitto_pub (package mosquitto-clients) is needed"
        # Another client publishes at once, while the connector is still waiting out its backoff.
        sender = subprocess.run(
            [
                "mosquitto_pub", "-p", str(broker.port), "-h", "127.0.0.1", "-q", "1", "-i", "gateway-5",
                "-t", "plant/s/a/worker/w1/event", "-m", "during-outage",
            ],
            capture_output=True,
            timeout=10,
        )  # fmt: skip
        assert sender.returncode == 0, sender.stderr
        assert wait_until(lambda: conn.link_state.connected, timeout=15), conn.link_state
        assert wait_until(lambda: b"during-outage" in inbox.payloads(), timeout=5)
        assert conn.reconnects >= 1
        assert "reconnected" in conn.link_state.reason
        # Resubscribed: new traffic flows as before.
        after = PahoPeer(broker.url, "gateway-6")
        after.wait_connected()
        after.publish("plant/s/a/worker/w1/event", b"after").wait_for_publish(5)
        assert wait_until(lambda: b"after" in inbox.payloads(), timeout=5)
        after.close()
        assert inbox.payloads().count(b"during-outage") == 1
    finally:
        conn.stop()
        broker.stop()


def test_persistent_session_delivers_what_was_published_while_the_console_was_closed(
    mosquitto: MosquittoProcess,
) -> None:
    inbox = Inbox()
    first = make_connector(mosquitto.url, "console-g", inbox, [])
    first.start()
    assert wait_until(lambda: first.link_state.connected)
    first.stop()
    peer = PahoPeer(mosquitto.url, "gateway-7")
    peer.wait_connected()
    for n in range(20):
        peer.publish("plant/s/a/permit/p1/event", f"m{n}".encode(), qos=1).wait_for_publish(5)
    peer.publish("plant/s/a/sensor/d", b"qos0 while away", qos=0).wait_for_publish(5)
    peer.close()
    inbox2 = Inbox()
    second = make_connector(mosquitto.url, "console-g", inbox2, [])
    second.start()
    try:
        assert wait_until(lambda: len(inbox2.payloads()) >= 20)
        assert inbox2.payloads()[:20] == [f"m{n}".encode() for n in range(20)]  # all, in order
        assert wait_until(lambda: second.link_state.connected)  # the messages may come before the SUBACK
        assert "session resumed" in second.link_state.reason
    finally:
        second.stop()
    assert inbox.payloads() == []


def test_mqtt5_session_also_survives_a_closed_console(mosquitto: MosquittoProcess) -> None:
    first = make_connector(mosquitto.url, "console-v5", Inbox(), [], protocol="5")
    first.start()
    assert wait_until(lambda: first.link_state.connected)
    first.stop()
    peer = PahoPeer(mosquitto.url, "gateway-v5")
    peer.wait_connected()
    peer.publish("plant/s/a/worker/w9/event", b"man_down while away", qos=1).wait_for_publish(5)
    peer.close()
    inbox = Inbox()
    second = make_connector(mosquitto.url, "console-v5", inbox, [], protocol="5")
    second.start()
    try:
        assert wait_until(lambda: inbox.payloads() == [b"man_down while away"])
        assert wait_until(lambda: second.link_state.connected)  # the messages may come before the SUBACK
        assert "session resumed" in second.link_state.reason
    finally:
        second.stop()


def test_qos1_publish_while_offline_is_queued_and_sent_on_reconnect(tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path)
    conn = make_connector(broker.url, "console-h", Inbox(), [])
    conn.start()
    try:
        delivered = threading.Event()
        assert conn.publish("plant/s/a/cmd/stop-work", b"queued", qos=1, on_delivered=delivered.set)
        assert conn.publish("plant/_cockpit/console/c/health", b"lost", qos=0) is False
        assert conn.counters().dropped_offline == 1
        broker.start()
        watcher = PahoPeer(broker.url, "watcher-h")
        watcher.subscribe("plant/#")
        assert delivered.wait(15)
        assert wait_until(lambda: [m.payload for m in watcher.received()] == [b"queued"])
        watcher.close()
    finally:
        conn.stop()
        broker.stop()


_WILL_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from connectors.mqtt import MqttConnector
will = ("plant/_cockpit/console/c1/health", b'{{"state":"offline"}}', 1, True)
conn = MqttConnector({url!r}, "console-will", will=will)
conn.start()
while not conn.link_state.connected:
    time.sleep(0.01)
print("connected", flush=True)
time.sleep(60)
"""


def test_will_is_published_when_the_console_process_dies(mosquitto: MosquittoProcess) -> None:
    watcher = PahoPeer(mosquitto.url, "watcher-w")
    watcher.subscribe("plant/_cockpit/#")
    child = subprocess.Popen(
        [sys.executable, "-c", _WILL_CHILD.format(root=str(ROOT), url=mosquitto.url)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "connected"
        assert watcher.received() == []
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        assert wait_until(lambda: len(watcher.received()) == 1, timeout=10)
        will = watcher.received()[0]
        assert (will.topic, will.payload) == ("plant/_cockpit/console/c1/health", b'{"state":"offline"}')
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        watcher.close()


def test_clean_stop_does_not_publish_the_will(mosquitto: MosquittoProcess) -> None:
    watcher = PahoPeer(mosquitto.url, "watcher-s")
    watcher.subscribe("plant/_cockpit/#")
    conn = MqttConnector(
        mosquitto.url, "console-s", will=("plant/_cockpit/console/c2/health", b"offline", 1, False)
    )
    conn.start()
    assert wait_until(lambda: conn.link_state.connected)
    conn.publish("plant/_cockpit/console/c2/health", b"bye", qos=1)
    conn.stop()
    # The explicit message published before stop() is drained; a will would come after it.
    assert wait_until(lambda: len(watcher.received()) >= 1)
    marker = PahoPeer(mosquitto.url, "marker-s")
    marker.wait_connected()
    marker.publish("plant/_cockpit/marker", b"end").wait_for_publish(5)
    assert wait_until(lambda: any(m.topic == "plant/_cockpit/marker" for m in watcher.received()))
    assert [m.payload for m in watcher.received("plant/_cockpit/console/c2/health")] == [b"bye"]
    marker.close()
    watcher.close()


def _open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed meanwhile
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def test_a_client_whose_network_thread_ended_by_itself_still_closes_its_wake_up_pair(
    mosquitto: MosquittoProcess,
) -> None:
    """After a DISCONNECT paho's network thread may end by itself, and paho then forgets it
    (``_thread`` None) before ``loop_stop`` joins it: the socket pair was left open then (the
    descriptor test below failed once on that race, in a loaded run)."""
    conn = MqttConnector(mosquitto.url, "console-ended")
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        client = conn._client
        client.disconnect()
        assert wait_until(lambda: client._thread is None), "paho's thread did not end after DISCONNECT"
        pair = client._sockpairR
        assert pair is not None and pair.fileno() != -1
        client.loop_stop()
        assert client._sockpairR is None and pair.fileno() == -1
    finally:
        conn.stop()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors through /proc")
def test_a_stopped_connector_holds_no_socket_even_while_it_is_still_referenced(
    mosquitto: MosquittoProcess,
) -> None:
    """paho leaves its wake-up socket pair to the garbage collector. A stopped client still referenced
    (a cycle, a kept Qt part) held two descriptors for good; past descriptor 1023 paho's ``select()``
    fails and no client in the process connects again (a CI run lost a whole test module to it)."""
    before = _open_sockets()
    kept = []
    for n in range(3):  # started and stopped again, as a console's core is
        conn = MqttConnector(mosquitto.url, f"console-fd-{n}")
        conn.start()
        assert wait_until(lambda c=conn: c.link_state.connected)  # type: ignore[misc]
        conn.stop()
        kept.append(conn)
    assert _open_sockets() <= before
    late = MqttConnector(mosquitto.url, "console-fd-late")  # and the process still connects
    late.start()
    try:
        assert wait_until(lambda: late.link_state.connected)
    finally:
        late.stop()


def test_a_failing_message_callback_does_not_break_the_link(mosquitto: MosquittoProcess) -> None:
    seen: list[bytes] = []

    def fragile(topic: str, payload: bytes, t: float) -> None:
        if payload == b"boom":
            raise RuntimeError("decoder bug")
        seen.append(payload)

    conn = MqttConnector(mosquitto.url, "console-x", subscriptions=[("plant/#", 1)], on_message=fragile)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        peer = PahoPeer(mosquitto.url, "gateway-x")
        peer.wait_connected()
        for payload in (b"one", b"boom", b"two"):
            peer.publish("plant/s/a/sensor/d", payload).wait_for_publish(5)
        assert wait_until(lambda: seen == [b"one", b"two"])
        assert conn.counters().callback_errors == 1
        assert conn.messages_in == 3
        assert conn.link_state.connected
        peer.close()
    finally:
        conn.stop()


def test_many_publishes_from_threads_are_all_delivered(mosquitto: MosquittoProcess) -> None:
    watcher = PahoPeer(mosquitto.url, "watcher-t")
    watcher.subscribe("plant/#")
    conn = MqttConnector(mosquitto.url, "console-t")
    conn.start()
    assert wait_until(lambda: conn.link_state.connected)
    delivered: list[int] = []
    lock = threading.Lock()

    def worker(base: int) -> None:
        for n in range(200):

            def mark(value: int = base + n) -> None:
                with lock:
                    delivered.append(value)

            conn.publish(f"plant/s/a{base}/x", str(base + n).encode(), qos=1, on_delivered=mark)

    threads = [threading.Thread(target=worker, args=(k * 1000,)) for k in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert wait_until(lambda: len(delivered) == 800, timeout=15), len(delivered)
        assert sorted(delivered) == sorted(k * 1000 + n for k in range(4) for n in range(200))
        assert wait_until(lambda: len(watcher.received()) == 800, timeout=15)
        assert conn.counters().pending_deliveries == 0
    finally:
        conn.stop()
        watcher.close()


def test_send_now_writes_a_command_while_the_network_thread_is_busy(mosquitto: MosquittoProcess) -> None:
    """A stop-work command goes out from the thread that published it (``send_now``), not at paho's
    network thread's next turn: with that thread held inside a message callback the command still
    reaches the field, once; without ``send_now`` it waits for the thread."""
    field = PahoPeer(mosquitto.url, "send-now-field")
    field.subscribe("plant/+/+/cmd/#", qos=1)
    hold, holding = threading.Event(), threading.Event()

    def on_message(topic: str, payload: bytes, t: float) -> None:
        holding.set()
        hold.wait(30)

    conn = MqttConnector(mosquitto.url, "send-now", subscriptions=[("hold/#", 0)], on_message=on_message)
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        field.publish("hold/now", b"", qos=0)
        assert holding.wait(10)
        assert conn.publish("plant/S1/A1/cmd/later", b"queued", qos=1)
        time.sleep(0.5)
        assert field.received() == [], "paho's network thread wrote while it was held"
        assert conn.publish("plant/S1/A1/cmd/stop-work", b"now", qos=1)
        conn.send_now()
        assert wait_until(lambda: len(field.received()) == 2, timeout=5), "send_now did not write"
        assert [m.payload for m in field.received()] == [b"queued", b"now"]  # in the order published
        hold.set()
        time.sleep(0.5)
        assert len(field.received()) == 2  # and each once
    finally:
        hold.set()
        conn.stop()
        field.close()
