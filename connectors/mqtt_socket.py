"""paho's client as the cockpit runs it: its socket read in blocks and written in gathered sends, an
attempt every ``RETRY_SOON_S`` while the broker is down, and the per-message work paho does for
features the cockpit does not use left out. ``MqttConnector`` (connectors/mqtt.py) drives it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.client import time_func
from paho.mqtt.enums import MQTTErrorCode, _ConnectionState

log = logging.getLogger("connectors.mqtt")  # one logger for the link, as before the split

# While the broker is down (connection refused, reset, timed out), the next attempt comes this soon:
# the link is back within a second of the broker's return (bench/reconnect), and a broker that stays
# down sees two refused TCP connections a second per console, no TLS, no MQTT.
RETRY_SOON_S = 0.5
_PUBLISH = 0x30
_PUBACK = b"\x40\x02"  # PUBACK, remaining length 2; the message id follows
_ENDED_STATES = (_ConnectionState.MQTT_CS_DISCONNECTING, _ConnectionState.MQTT_CS_DISCONNECTED)
_TRANSPORT_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH}
)


class BufferedSocket:
    """The broker socket, read in blocks of up to 64 KiB and written in gathered blocks.

    Reading: paho reads each packet with several small ``recv`` calls (the type byte, the length bytes
    one by one, then the body), each a system call, and runs a ``select`` and its housekeeping before
    every packet. Reading a block at once and serving those calls from memory takes a fifth off paho's
    cost per message under load (bench/ingest). ``pending()`` is paho's own hook for bytes already read
    (it uses it for TLS's buffer): it then does not wait in ``select``.

    Writing: paho sends every queued packet with a ``send`` of its own, and with TCP_NODELAY each goes
    out as a TCP segment of its own that the broker must read on its own. While ``gathering`` is set
    (``_PahoClient._packet_write``), ``send`` keeps the bytes and ``flush`` sends them with one call:
    at 10,000 msg/s that halves the broker's cost per message and takes a third off the publisher's
    (bench/publish). Bytes the socket did not take yet stay here, in order, for the next ``flush``.

    Everything else goes to the socket itself.
    """

    __slots__ = ("_buf", "_inner_pending", "_left", "_out", "_pos", "gathering", "sock", "writes")

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        # TLS's own buffer (an SSLSocket's ``pending``); looked up once: paho asks twice a read
        self._inner_pending: Callable[[], int] | None = getattr(sock, "pending", None)
        self._buf = b""
        self._pos = 0
        self._left: OSError | bytes | None = None  # what ``fill`` found instead of bytes, for ``recv``
        self._out: list[bytes | bytearray | memoryview] = []  # paho hands over a fresh slice each time
        self.gathering = False
        self.writes = 0  # sends that reached the socket: a check that gathering works

    def fill(self) -> bool:
        """Read the next block now, ahead of paho's reader (``_PahoClient._packet_read``); True when
        there are bytes. Nothing yet (a wake-up without data) is left for paho's own read to find
        again; the end of the connection or an error is kept and given to that read, as paho would
        have had it."""
        try:
            data: bytes = self.sock.recv(65536)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return False
        except OSError as exc:
            self._left = exc
            return False
        if not data:
            self._left = b""
            return False
        self._buf, self._pos = data, 0
        return True

    def recv(self, size: int) -> bytes:
        pos, buf = self._pos, self._buf
        if self._left is not None:
            left, self._left = self._left, None
            if isinstance(left, OSError):
                raise left
            return left  # the connection's end: b""
        if pos >= len(buf):
            data: bytes = self.sock.recv(max(size, 65536))  # BlockingIOError etc. go to paho as before
            if len(data) <= size:
                return data
            self._buf, self._pos = data, size
            return data[:size]
        end = pos + size
        if end >= len(buf):
            self._buf, self._pos = b"", 0
            return buf[pos:]
        self._pos = end
        return buf[pos:end]

    def pending(self) -> int:
        inner = self._inner_pending
        return len(self._buf) - self._pos + (inner() if inner is not None else 0)

    def send(self, data: bytes | bytearray) -> int:
        if self.gathering:
            self._out.append(data)
            return len(data)
        self.writes += 1
        sent: int = self.sock.send(data)
        return sent

    def unsent(self) -> int:
        """Bytes handed to ``send`` that the socket has not taken yet."""
        return sum(len(chunk) for chunk in self._out)

    def flush(self) -> MQTTErrorCode:
        """Send what was gathered: SUCCESS when all of it went, AGAIN when the socket is full (the rest
        is kept, and retried alone first, as TLS asks), CONN_LOST when the socket failed."""
        out = self._out
        if not out:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        data = out[0] if len(out) == 1 else b"".join(out)
        try:
            self.writes += 1
            sent: int = self.sock.send(data)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            sent = 0
        except OSError as exc:
            out.clear()  # the connection is gone; paho resends QoS 1 after reconnecting
            log.warning("MQTT write failed: %s", _describe_error(exc))
            return MQTTErrorCode.MQTT_ERR_CONN_LOST
        # The rest as a view: a stalled broker can leave megabytes here, taken a little at a time.
        self._out = [memoryview(data)[sent:]] if sent < len(data) else []
        return MQTTErrorCode.MQTT_ERR_AGAIN if self._out else MQTTErrorCode.MQTT_ERR_SUCCESS

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class _WakeSocket:
    """paho's wake-up socket (``_sockpairW``): paho writes a byte to it for every packet it queues, so
    that its network thread leaves ``select`` and writes the packet. A thread that writes its packets
    itself (``_PahoClient.publish_quietly``, then ``send_now``) skips that byte: on the stop's path it
    was a system call before the command's own write (0.1 ms on this project's machines), and then a
    second thread woken and wanting the interpreter while the first goes on."""

    __slots__ = ("quiet", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.quiet = 0  # the thread publishing quietly now, by ``threading.get_ident()``

    def send(self, data: bytes) -> int:
        if self.quiet == threading.get_ident():
            return len(data)
        return self.sock.send(data)

    def wake(self) -> None:
        with contextlib.suppress(OSError):  # full: the thread is woken already; closed: it is ending
            self.sock.send(b"0")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class _PahoClient(paho.Client):
    """paho's client, keeping the error of the last failed connection attempt for the link reason,
    reading its socket in blocks, every packet already read in one pass, and writing every packet
    queued in one ``send`` (``BufferedSocket``)."""

    last_connect_error: BaseException | None = None
    MAX_PACKETS_PER_PASS = 512  # then paho's keepalive and writes get their turn
    _disconnecting = False

    # Set by MqttConnector: whether the next connection attempt should come soon (the broker is
    # down or was lost) rather than after paho's back-off (the broker refused us).
    retry_soon: Callable[[], bool] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Held by whoever writes to the socket or replaces it: paho's network thread, and a thread that
        # sends what it just published itself (``send_now``).
        self._write_lock = threading.RLock()
        super().__init__(*args, **kwargs)

    def reconnect(self) -> MQTTErrorCode:
        self._disconnecting = False
        self.last_connect_error = None  # this attempt's, not an older one's
        try:
            with self._write_lock:  # a new socket: nobody writes to the old one meanwhile
                return super().reconnect()
        except OSError as exc:
            self.last_connect_error = exc
            raise

    def send_now(self) -> None:
        """Write what is queued from the calling thread, now. paho's ``publish`` from another thread
        only queues the packet and wakes the network thread through a socket pair; that thread then
        needs the interpreter, which the publishing thread keeps for up to the switch interval (5 ms)
        while it carries on. A stop-work command is sent this way the moment it is published.
        Never waits: when paho's thread is writing or connecting, or the socket takes only part,
        that thread is woken and writes the rest (it was not woken for a packet published quietly).
        Only on a connection whose CONNACK came (a packet before CONNECT would end the connection)."""
        if not self._out_packet:
            return
        if self._write_lock.acquire(blocking=False):
            try:
                if self._state == _ConnectionState.MQTT_CS_CONNECTED and not self._disconnecting:
                    self._packet_write()
            finally:
                self._write_lock.release()
        if self._out_packet or self.want_write():
            self._wake()

    # paho's wake-up socket, kept as a ``_WakeSocket`` (paho assigns it in ``__init__``, ``loop_start``
    # and ``loop``, and closes it in ``_reset_sockets``); its type differs from paho's annotation
    @property  # type: ignore[override]
    def _sockpairW(self) -> _WakeSocket | None:
        wake: _WakeSocket | None = self.__dict__.get("_wake_socket")
        return wake

    @_sockpairW.setter
    def _sockpairW(self, sock: socket.socket | None) -> None:
        self.__dict__["_wake_socket"] = None if sock is None else _WakeSocket(sock)

    def publish_quietly(self, topic: str, payload: bytes, qos: int, retain: bool) -> paho.MQTTMessageInfo:
        """paho's ``publish`` without the wake-up byte for its network thread: the caller writes the
        packet itself with ``send_now`` right after (which wakes that thread when it cannot)."""
        wake = self._sockpairW
        if wake is None:
            return self.publish(topic, payload, qos=qos, retain=retain)
        wake.quiet = threading.get_ident()
        try:
            return self.publish(topic, payload, qos=qos, retain=retain)
        finally:
            wake.quiet = 0

    def _wake(self) -> None:
        wake = self._sockpairW
        if wake is not None:
            wake.wake()

    def loop_stop(self) -> MQTTErrorCode:
        """Join the network thread, then close its wake-up socket pair. paho leaves the pair to the
        garbage collector: a client still referenced (a cycle, a kept Qt part) held two descriptors
        for good, and once descriptors pass 1023 paho's ``select()`` fails and no client of the
        process connects again (DEVELOPERS.md). Closed too when the thread had ended by itself (after
        a DISCONNECT paho's loop returns and sets ``_thread`` to None before anyone joins it)."""
        thread = self._thread
        rc = super().loop_stop()
        if thread is not threading.current_thread():  # joined, or ended already: nobody uses them
            with self._write_lock:
                self._reset_sockets()
        return rc

    def disconnect(self, *args: Any, **kwargs: Any) -> MQTTErrorCode:
        self._disconnecting = True  # before paho queues the DISCONNECT packet
        return super().disconnect(*args, **kwargs)

    def _create_socket(self) -> Any:
        return BufferedSocket(super()._create_socket())

    def _reconnect_wait(self) -> None:
        """paho doubles its wait after every failed attempt (1, 2, 4 … 30 s), so a broker back after
        20 s was found 11 s later (bench/reconnect). While the broker is only down, an attempt costs
        a refused TCP connection: try every ``RETRY_SOON_S`` instead. A broker that refuses us, or a
        TLS failure, still gets paho's back-off: retrying those fast would only load a live broker."""
        retry_soon = self.retry_soon
        if retry_soon is None or not retry_soon():
            super()._reconnect_wait()
            return
        with self._reconnect_delay_mutex:
            self._reconnect_delay = None  # a refusal later backs off from the minimum again
        deadline = time.monotonic() + RETRY_SOON_S
        while not self._thread_terminate and self._state not in _ENDED_STATES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(min(remaining, 0.05))

    def want_write(self) -> bool:
        sock = self._sock
        return super().want_write() or (isinstance(sock, BufferedSocket) and bool(sock._out))

    def _packet_write(self) -> MQTTErrorCode:
        with self._write_lock:
            return self._gathered_write()

    def _gathered_write(self) -> MQTTErrorCode:
        sock = self._sock
        if not isinstance(sock, BufferedSocket):
            return super()._packet_write()
        rc = sock.flush()  # what the socket did not take last time goes first
        if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return rc
        if self._disconnecting:
            # paho closes the socket as soon as it has written DISCONNECT: write it the plain way.
            return super()._packet_write()
        sock.gathering = True
        try:
            rc = super()._packet_write()
        finally:
            sock.gathering = False
        flushed = sock.flush()
        return rc if rc != MQTTErrorCode.MQTT_ERR_SUCCESS else flushed

    on_acknowledged: Callable[[int], None] | None = None

    def _do_on_publish(self, mid: int, reason_code: Any, properties: Any) -> MQTTErrorCode:
        # paho comes here only for a QoS 1 or 2 message the broker acknowledged. The client has no
        # on_publish: paho would call that for every QoS 0 message too, building two objects for it each
        # time (a quarter of the simulator's publishing cost), and QoS 0 has nothing to acknowledge.
        acknowledged = self.on_acknowledged
        if acknowledged is not None:
            acknowledged(mid)  # MqttConnector's handler never raises
        return super()._do_on_publish(mid, reason_code, properties)

    def _sock_close(self) -> None:
        with self._write_lock:
            sock = self._sock
            if isinstance(sock, BufferedSocket) and sock._out:
                # A DISCONNECT that slipped into a gathered write while disconnect() was being called.
                sock.flush()
            super()._sock_close()

    def message_callback_add(self, sub: str, callback: Any) -> None:
        raise NotImplementedError("the cockpit's client takes every message through on_message")

    def _handle_on_message(self, message: paho.MQTTMessage) -> None:
        # paho first matches every message against the message_callback_add() filters (a tenth of its
        # time per message); this client has none, so straight to on_message, under paho's own lock.
        on_message = self.on_message
        if on_message is None:
            return
        with self._in_callback_mutex:
            on_message(self, self._userdata, message)  # MqttConnector's handler never raises

    # Set by MqttConnector: ``(topic, payload, arrival)`` for every QoS 0 and 1 PUBLISH taken whole from
    # the socket's block (``_take_publishes``); without it every packet goes through paho's own reader.
    on_incoming: Callable[[bytes, bytes, float], None] | None = None

    def _packet_read(self) -> MQTTErrorCode:
        sock = self._sock
        if (
            type(sock) is BufferedSocket
            and self.on_incoming is not None
            and self._in_packet["command"] == 0  # paho is not in the middle of a packet of its own
            and self._protocol != paho.MQTTv5  # v5 PUBLISH carries properties: paho reads those
            and not self._manual_ack
            # the block is read here when it is empty: the first packet of every read too (at a
            # plant's steady rate, one reading a read), not paho's (bench/peer's CPU at 5,000/s)
            and (sock._pos < len(sock._buf) or sock.fill())
            and _take_publishes(self, sock)
        ):
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return super()._packet_read()  # nothing read, a partial packet, another kind, or a bad one

    # Set by MqttConnector: called after every read, outside paho's locks (the consumer may act on what
    # it was handed right here, on this thread).
    on_read: Callable[[], None] | None = None

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        rc = super().loop_read(max_packets)
        passes = 1
        while rc == MQTTErrorCode.MQTT_ERR_SUCCESS and passes < self.MAX_PACKETS_PER_PASS:
            sock = self.socket()
            if not isinstance(sock, BufferedSocket) or sock.pending() <= 0:
                break
            rc = super().loop_read()
            passes += 1
        on_read = self.on_read
        if on_read is not None:
            on_read()  # MqttConnector's handler never raises
        return rc


def _take_publishes(client: _PahoClient, sock: BufferedSocket) -> int:
    """Every whole QoS 0/1 PUBLISH at the front of the socket's block, handed to ``on_incoming``, and
    their PUBACKs queued as one write. paho reads and answers a packet in about 40 us of Python (a
    dict of counters, five ``recv`` calls, an MQTTMessage, two log calls, a PUBACK packet queued
    with a wake-up byte through a socket pair): at 10,000 readings/s that was 40 % of a core on
    the network thread alone (bench/peer, py-spy). Here it is a few slices of the block. What this
    does not take (another packet type, QoS 2, a packet not yet whole, a malformed one: an empty
    topic, lengths that do not add up) stays in the block for paho's reader, which decides as
    before. Returns the number of packets taken."""
    buf, pos = sock._buf, sock._pos
    end = len(buf)
    deliver = client.on_incoming
    assert deliver is not None
    acks = bytearray()
    taken = 0
    arrival = time.time()
    with client._in_callback_mutex:  # as paho holds it around on_message
        try:
            while pos < end and taken < client.MAX_PACKETS_PER_PASS:
                found = _publish_at(buf, pos, end)
                if found is None:
                    break
                topic, topic_end, body, pos = found  # taken before it is handed over: never seen twice
                taken += 1
                if body > topic_end:  # QoS 1: its message id
                    acks += _PUBACK
                    acks += buf[topic_end:body]
                deliver(buf[topic:topic_end], buf[body:pos], arrival)
        finally:
            if pos >= end:
                sock._buf, sock._pos = b"", 0
            else:
                sock._pos = pos
    if taken:
        with client._msgtime_mutex:
            client._last_bytes_received = time_func()
    if acks:
        _send_acks(client, bytes(acks))
    return taken


def _publish_at(buf: bytes, pos: int, end: int) -> tuple[int, int, int, int] | None:
    """The QoS 0/1 PUBLISH whole at ``pos``: where its topic starts and ends, where its payload starts
    and where the packet ends; None for anything else."""
    header = buf[pos]
    qos = (header >> 1) & 3
    if header & 0xF0 != _PUBLISH or qos > 1:
        return None
    i, length, shift = pos + 1, 0, 0  # the remaining length: one to four bytes, seven bits each
    while i < end and shift < 28:
        byte = buf[i]
        i += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    else:
        return None  # cut off by the block's end, or longer than four bytes
    stop = i + length
    if stop > end or length < 2:
        return None
    topic_end = i + 2 + ((buf[i] << 8) | buf[i + 1])
    body = topic_end + 2 * qos
    if topic_end == i + 2 or body > stop:
        return None  # paho refuses it: an empty topic, or one longer than the packet
    return i + 2, topic_end, body, stop


def _send_acks(client: _PahoClient, acks: bytes) -> None:
    """PUBACKs, four bytes each, out now as one packet of paho's out-queue: after any PUBACK paho's own
    reader queued (MQTT 3.1.1 4.6: PUBACKs go in the order the PUBLISH packets came), written the way
    paho writes everything (gathered, a partial write kept and retried, TLS included). With nothing
    queued before them, straight to the socket's gathered write: what it does not take stays there,
    first for the next write (``want_write``), as a partial write of paho's queue would."""
    with client._write_lock:
        sock = client._sock
        if type(sock) is BufferedSocket and not client._out_packet and not sock._out:
            sock._out.append(acks)
            sock.flush()  # a failed connection is paho's to find at its next read or write
            return
    client._out_packet.append(
        {"command": 0x40, "mid": 0, "qos": 0, "pos": 0, "to_process": len(acks), "packet": acks, "info": None}
    )
    client._packet_write()  # this thread is paho's only writer: no wake-up through the socket pair


def _broker_down(exc: BaseException) -> bool:
    """An error that says the broker is not there (yet), not that it or its certificate refused us."""
    if isinstance(exc, ssl.SSLError | ssl.CertificateError | socket.gaierror):
        return False
    return isinstance(exc, ConnectionError | TimeoutError) or (
        isinstance(exc, OSError) and exc.errno in _TRANSPORT_ERRNOS
    )


def _describe_error(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
