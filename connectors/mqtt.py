"""The cockpit's one link to the MQTT broker, on paho-mqtt 2.

Why it looks the way it does:
- ``start()`` never blocks: the control room must come up even when the broker is down, and the link
  heals by itself: every 0.5 s while the broker is down (back within a second of its return), with
  paho's 1..30 s back-off only when the broker refuses us (``_PahoClient._reconnect_wait``).
- A fixed client id with a persistent session (clean session off) and a resubscription on every connect,
  so QoS 1 field messages sent while the link was down still arrive when it returns.
- TCP_NODELAY on the socket: without it a stop-work command published right after an acknowledgement
  waits ~40 ms on Nagle's algorithm and the peer's delayed ACK.
- Callbacks run on paho's network thread while paho holds its own locks, so this module never holds its
  own lock while calling into paho, and never lets an exception escape into paho's loop (that would kill
  the network thread and the link with it).

No Qt here: the cockpit turns these plain callbacks into batched Qt signals.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, _ConnectionState
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from models.errors import UserError
from models.records import StrEnum

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}
# How long an MQTT 5 broker keeps our session while we are away (MQTT 3.1.1 sessions never expire).
SESSION_EXPIRY_S = 7 * 24 * 3600

# While the broker is down (connection refused, reset, timed out), the next attempt comes this soon:
# the link is back within a second of the broker's return (bench/reconnect), and a broker that stays
# down sees two refused TCP connections a second per console, no TLS, no MQTT.
RETRY_SOON_S = 0.5
_ENDED_STATES = (_ConnectionState.MQTT_CS_DISCONNECTING, _ConnectionState.MQTT_CS_DISCONNECTED)
_TRANSPORT_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH}
)

# Mosquitto's count of publishes it dropped for full queues or in-flight limits (mosquitto(8)), every
# sys_interval: a slow console's lost QoS 1 messages show here and nowhere else. Other brokers may not
# answer; the subscription is one of its own, so a refusal does not mark the link as deaf.
SYS_DROPPED = "$SYS/broker/publish/messages/dropped"

MessageCallback = Callable[[str, bytes, float], None]
Will = tuple[str, bytes, int, bool]


@dataclass(frozen=True)
class BrokerUrl:
    """A broker address as the user writes it: ``mqtt://host:port`` or ``mqtts://host:port``."""

    scheme: Literal["mqtt", "mqtts"]
    host: str
    port: int

    @property
    def tls(self) -> bool:
        return self.scheme == "mqtts"

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @classmethod
    def parse(cls, text: str) -> BrokerUrl:
        """Parse and check a broker URL; anything else is a UserError naming the expected form."""
        hint = "write it as mqtt://host:port or mqtts://host:port (default ports 1883 and 8883)"
        raw = (text or "").strip()
        try:
            parts = urlsplit(raw)
            port = parts.port
        except ValueError as exc:
            raise UserError(f"Broker URL {raw!r} is not valid ({exc}); {hint}") from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise UserError(f"Broker URL {raw!r} has an unsupported scheme; {hint}")
        if parts.username is not None or parts.password is not None:
            raise UserError(
                f"Broker URL {raw!r} contains credentials; remove them and store the password with "
                "`python main.py secret set mqtt <user>`"
            )
        if not parts.hostname:
            raise UserError(f"Broker URL {raw!r} has no host; {hint}")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise UserError(f"Broker URL {raw!r} has a path or query the broker cannot use; {hint}")
        if port == 0:
            raise UserError(f"Broker URL {raw!r} has port 0; {hint}")
        return cls(scheme=scheme, host=parts.hostname, port=port or DEFAULT_PORTS[scheme])  # type: ignore[arg-type]


@dataclass(frozen=True)
class TlsOptions:
    """Files for a TLS link: the CA that signed the broker's certificate, and an optional client pair."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None


class LinkStatus(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


class LinkCause(StrEnum):
    """Why the link is as it is. Each value is the English reason with ``%1``, ``%2`` for its details;
    the screens translate the same text (views/i18n.link_reason_text), the logs use it as it is."""

    NOT_STARTED = "not started"
    CONNECTING = "connecting to %1"
    CONNECTED_NEW = "connected to %1 (new session)"
    CONNECTED_RESUMED = "connected to %1 (session resumed)"
    RECONNECTED_NEW = "connected to %1 (new session), reconnected"
    RECONNECTED_RESUMED = "connected to %1 (session resumed), reconnected"
    REFUSED = "broker refused the connection: %1; retrying"
    UNREACHABLE = "cannot reach %1: %2; retrying"
    WRONG_PORT_NEEDS_MQTT = (
        "%1 closed the connection before answering (wrong port? a plain port needs mqtt://); retrying"
    )
    WRONG_PORT_NEEDS_MQTTS = (
        "%1 closed the connection before answering (wrong port? a TLS port needs mqtts://); retrying"
    )
    LOST = "connection to %1 lost (%2); retrying"
    SUBSCRIBING = "connected to %1, subscribing"
    SUBSCRIPTIONS_REFUSED = "connected to %1, but the broker refused the subscription to %2"
    STOPPED = "stopped"
    FIELD_STARTING = "field link process starting"
    FIELD_NOT_STARTED = "field link process could not start: %1; retrying"
    FIELD_ENDED = "field link process ended; restarting"
    FIELD_EXITED = "field link process ended (exit code %1); restarting"
    FIELD_UNREADABLE = "field link process sent what the window cannot read; restarting"
    FIELD_SILENT = "field link process silent for %1 s; restarting"


def fill_reason(template: str, args: Sequence[str]) -> str:
    """``%1``, ``%2`` … in ``template`` replaced by ``args``, in one pass (an argument may hold ``%2``)."""
    return re.sub(
        r"%(\d)",
        lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(args) else m.group(0),
        template,
    )


@dataclass(frozen=True)
class LinkState:
    """The link as the operator sees it: its status, why, and since when (UTC).

    ``reason`` is in English (logs, the health message); ``cause`` and ``args`` let a screen say it in
    its own language. A state made with ``LinkState.because`` has all three.
    """

    status: LinkStatus
    reason: str = ""
    since: datetime = field(default_factory=lambda: datetime.now(UTC))
    cause: LinkCause | None = None
    args: tuple[str, ...] = ()

    @classmethod
    def because(cls, status: LinkStatus, cause: LinkCause, *args: object) -> LinkState:
        texts = tuple(str(a) for a in args)
        return cls(status, fill_reason(cause.value, texts), cause=cause, args=texts)

    @property
    def connected(self) -> bool:
        return self.status is LinkStatus.CONNECTED


@dataclass(frozen=True)
class LinkCounters:
    """A snapshot of the link's counters, for the health message and the status bar.

    ``delivered``: QoS 1 and 2 messages the broker acknowledged, and QoS 0 messages handed to the
    connected link (MQTT acknowledges no QoS 0 message); ``pending_deliveries``: QoS 1 and 2 messages
    still waiting for their acknowledgement.
    """

    messages_in: int
    connects: int
    reconnects: int
    published: int
    delivered: int
    dropped_offline: int
    callback_errors: int
    pending_deliveries: int
    last_delivery_s: float | None
    # Mosquitto's count of messages it dropped for full queues ($SYS), None where the broker says nothing.
    broker_dropped: int | None = None


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

    __slots__ = ("_buf", "_out", "_pos", "gathering", "sock", "writes")

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self._buf = b""
        self._pos = 0
        self._out: list[bytes | bytearray | memoryview] = []  # paho hands over a fresh slice each time
        self.gathering = False
        self.writes = 0  # sends that reached the socket: a check that gathering works

    def recv(self, size: int) -> bytes:
        pos, buf = self._pos, self._buf
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
        inner = getattr(self.sock, "pending", None)
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

    def reconnect(self) -> MQTTErrorCode:
        self._disconnecting = False
        self.last_connect_error = None  # this attempt's, not an older one's
        try:
            return super().reconnect()
        except OSError as exc:
            self.last_connect_error = exc
            raise

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

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        rc = super().loop_read(max_packets)
        passes = 1
        while rc == MQTTErrorCode.MQTT_ERR_SUCCESS and passes < self.MAX_PACKETS_PER_PASS:
            sock = self.socket()
            if not isinstance(sock, BufferedSocket) or sock.pending() <= 0:
                break
            rc = super().loop_read()
            passes += 1
        return rc


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


class MqttConnector:
    """One MQTT connection with a persistent session, self-healing, publishing and receiving.

    ``on_message(topic, payload, arrival_epoch_s)`` and ``on_link_change(state)`` run on paho's network
    thread and must stay cheap (the cockpit appends to a batch and returns).
    """

    def __init__(
        self,
        url: str,
        client_id: str,
        *,
        username: str | None = None,
        password: str | None = None,
        tls: TlsOptions | None = None,
        will: Will | None = None,
        subscriptions: Sequence[tuple[str, int]] = (),
        on_message: MessageCallback | None = None,
        on_link_change: Callable[[LinkState], None] | None = None,
        keepalive: int = 30,
        protocol: Literal["3.1.1", "5"] = "3.1.1",
        connect_timeout: float = 5.0,
    ) -> None:
        self.url = BrokerUrl.parse(url)
        if not client_id or not client_id.strip():
            raise UserError(
                "The MQTT client id is empty; set a fixed console id so the broker keeps its session"
            )
        if tls is not None and not self.url.tls:
            raise UserError(f"TLS files are set but the broker URL {url!r} is plain mqtt://; use mqtts://")
        self.client_id = client_id
        self.keepalive = keepalive
        self._subscriptions = [(topic, int(qos)) for topic, qos in subscriptions]
        self._on_message_cb = on_message
        self._on_link_cb = on_link_change
        self._mqtt5 = protocol == "5"

        self._lock = threading.Lock()
        self._state = LinkState.because(LinkStatus.DISCONNECTED, LinkCause.NOT_STARTED)
        # Set by a refused CONNACK, kept through the disconnect that follows.
        self._refusal: tuple[LinkCause, str] | None = None
        # This connection's SUBSCRIBE and its cause; paho gives no mid (None) when the socket is already gone.
        self._subscribing: tuple[int | None, LinkCause] | None = None
        self._connack_seen = False  # on the current socket: a close before it means a protocol mismatch
        self._started = False
        self._stopping = False
        self._ever_connected = False
        self._pending: dict[int, tuple[float, Callable[[], None] | None]] = {}
        self._acked_early: set[int] = set()
        self._messages_in = 0
        self._connects = 0
        self._published = 0
        self._delivered = 0
        self._dropped_offline = 0
        self._callback_errors = 0
        self._last_delivery_s: float | None = None
        self._broker_dropped: int | None = None

        if self._mqtt5:
            client = _PahoClient(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=paho.MQTTv5)
        else:
            client = _PahoClient(
                CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False, protocol=paho.MQTTv311
            )
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.max_queued_messages_set(0)  # unlimited: a stop-work command is never dropped for lack of room
        client.connect_timeout = connect_timeout
        if username is not None:
            client.username_pw_set(username, password)
        if self.url.tls:
            self._set_tls(client, tls or TlsOptions())
        if will is not None:
            topic, payload, qos, retain = will
            client.will_set(topic, payload, qos, retain)
        self._client = client
        self._attach(client)

    def _attach(self, client: _PahoClient) -> None:
        client.on_connect = self._handle_connect
        client.on_connect_fail = self._handle_connect_fail
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.on_acknowledged = self._handle_acknowledged
        client.on_subscribe = self._handle_subscribe
        client.on_socket_open = self._handle_socket_open
        client.retry_soon = self._retry_soon

    @staticmethod
    def _set_tls(client: paho.Client, tls: TlsOptions) -> None:
        for label, path in (("CA", tls.ca_file), ("certificate", tls.cert_file), ("key", tls.key_file)):
            if path is not None and not Path(path).is_file():
                raise UserError(
                    f"The MQTT TLS {label} file {path} does not exist; fix the path in the settings"
                )
        if (tls.cert_file is None) != (tls.key_file is None):
            raise UserError("MQTT TLS needs both a client certificate and its key file, or neither")
        try:
            client.tls_set(
                ca_certs=str(tls.ca_file) if tls.ca_file else None,
                certfile=str(tls.cert_file) if tls.cert_file else None,
                keyfile=str(tls.key_file) if tls.key_file else None,
            )
        except (OSError, ValueError) as exc:
            raise UserError(
                f"The MQTT TLS files cannot be used ({exc}); check the CA, certificate and key"
            ) from None

    # -- public API -------------------------------------------------------------------------------

    @property
    def link_state(self) -> LinkState:
        with self._lock:
            return self._state

    @property
    def messages_in(self) -> int:
        return self._messages_in

    @property
    def reconnects(self) -> int:
        with self._lock:
            return max(0, self._connects - 1)

    def counters(self) -> LinkCounters:
        with self._lock:
            return LinkCounters(
                messages_in=self._messages_in,
                connects=self._connects,
                reconnects=max(0, self._connects - 1),
                published=self._published,
                delivered=self._delivered,
                dropped_offline=self._dropped_offline,
                callback_errors=self._callback_errors,
                pending_deliveries=len(self._pending),
                last_delivery_s=self._last_delivery_s,
                broker_dropped=self._broker_dropped,
            )

    @property
    def nodelay(self) -> bool | None:
        """Whether the live socket has TCP_NODELAY set (None while there is no socket)."""
        sock: Any = self._client.socket()
        if sock is None:
            return None
        try:
            return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        except OSError:
            return None

    def start(self) -> None:
        """Begin connecting in the background and return at once; the link then heals by itself."""
        with self._lock:
            if self._started:
                return
            self._started = True
            self._stopping = False
        self._set_state(LinkStatus.CONNECTING, LinkCause.CONNECTING, self.url)
        kwargs: dict[str, Any] = {}
        if self._mqtt5:
            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = SESSION_EXPIRY_S
            kwargs = {"clean_start": False, "properties": props}
        self._client.connect_async(self.url.host, self.url.port, keepalive=self.keepalive, **kwargs)
        self._client.loop_start()

    def stop(self, drain_timeout: float = 2.0) -> None:
        """Disconnect cleanly (the broker then keeps the will to itself) and join the network thread.

        Waits up to ``drain_timeout`` for QoS 1 messages still in flight, so a final state published just
        before stopping is not lost; that includes messages queued while the first connection is still
        being made (a fast `replay` lost all of them when the broker answered slowly).
        """
        with self._lock:
            if not self._started:
                return
        deadline = time.monotonic() + drain_timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = bool(self._pending) and self._state.status is not LinkStatus.DISCONNECTED
            if not busy:
                break
            time.sleep(0.01)
        with self._lock:
            self._stopping = True
        self._client.disconnect()
        self._client.loop_stop()
        with self._lock:
            self._started = False
            self._pending.clear()
            self._acked_early.clear()
        self._set_state(LinkStatus.DISCONNECTED, LinkCause.STOPPED)

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        on_delivered: Callable[[], None] | None = None,
    ) -> bool:
        """Publish from any thread without blocking.

        QoS 1 and 2 messages are queued by paho while the link is down and sent when it returns;
        ``on_delivered`` runs (on the network thread) when the broker acknowledges. A QoS 0 message has
        no acknowledgement in MQTT: it counts as delivered once handed to the connected link, and it
        cannot be queued: while offline it is dropped, counted, and False is returned.
        """
        if qos == 0:
            if on_delivered is not None:
                raise ValueError("a QoS 0 message has no acknowledgement: on_delivered needs QoS 1 or 2")
            sent = (
                self._client.publish(topic, payload, qos=0, retain=retain).rc
                == MQTTErrorCode.MQTT_ERR_SUCCESS
            )
            with self._lock:
                if sent:
                    self._published += 1
                    self._delivered += 1
                else:
                    self._dropped_offline += 1
            return sent
        sent_at = time.time()
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            with self._lock:
                self._dropped_offline += 1
            log.warning("MQTT publish to %s refused by the client: %s", topic, paho.error_string(info.rc))
            return False
        fire_now = False
        with self._lock:
            self._published += 1
            if info.mid in self._acked_early:
                # The acknowledgement overtook us: paho finished the publish before it returned the mid.
                self._acked_early.discard(info.mid)
                fire_now = True
                self._delivered += 1
                self._last_delivery_s = time.time() - sent_at
            else:
                self._pending[info.mid] = (sent_at, on_delivered)
        if fire_now and on_delivered is not None:
            self._safe_call(on_delivered)
        return True

    # -- paho callbacks (network thread) ----------------------------------------------------------

    def _handle_socket_open(self, client: paho.Client, userdata: Any, sock: Any) -> None:
        with self._lock:
            self._connack_seen = False
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):  # a socket without TCP (unix, websocket wrapper)
            log.debug("TCP_NODELAY not available on %r", sock)

    def _handle_connect(
        self, client: paho.Client, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        with self._lock:
            self._connack_seen = True
        if reason_code.is_failure:
            refusal = (LinkCause.REFUSED, str(reason_code))
            with self._lock:
                self._refusal = refusal
            self._set_state(LinkStatus.DISCONNECTED, *refusal)
            return
        with self._lock:
            self._refusal = None
            self._connects += 1
            first = self._connects == 1
        if first:
            cause = LinkCause.CONNECTED_RESUMED if flags.session_present else LinkCause.CONNECTED_NEW
        else:
            cause = LinkCause.RECONNECTED_RESUMED if flags.session_present else LinkCause.RECONNECTED_NEW
        if self._subscriptions:
            # Every connect, session present or not: a broker that lost its store (crash without
            # persistence, failover) must not leave us deaf. The link counts as connected once the
            # broker has answered: a field message published before that would not reach us.
            _, mid = client.subscribe(self._subscriptions)
            client.subscribe(SYS_DROPPED, 0)
            with self._lock:
                self._subscribing = (mid, cause)
            self._set_state(LinkStatus.CONNECTING, LinkCause.SUBSCRIBING, self.url)
            return
        self._set_state(LinkStatus.CONNECTED, cause, self.url)

    def _handle_subscribe(
        self, client: paho.Client, userdata: Any, mid: int, reason_codes: Any, properties: Any
    ) -> None:
        with self._lock:
            waiting = self._subscribing
            if waiting is None or waiting[0] != mid:
                return
            self._subscribing = None
        refused = [
            topic
            for (topic, _), code in zip(self._subscriptions, reason_codes, strict=False)
            if code.is_failure
        ]
        if refused:
            log.warning("the broker refused the subscription to %s: check its ACL", ", ".join(refused))
            self._set_state(
                LinkStatus.CONNECTED, LinkCause.SUBSCRIPTIONS_REFUSED, self.url, ", ".join(refused)
            )
        else:
            self._set_state(LinkStatus.CONNECTED, waiting[1], self.url)

    def _handle_connect_fail(self, client: paho.Client, userdata: Any) -> None:
        exc = getattr(client, "last_connect_error", None) or sys.exc_info()[1]
        self._set_state(LinkStatus.DISCONNECTED, LinkCause.UNREACHABLE, self.url, _describe_error(exc))

    def _handle_disconnect(
        self, client: paho.Client, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        with self._lock:
            stopping = self._stopping
            refusal = self._refusal
            answered = self._connack_seen
        if stopping:
            self._set_state(LinkStatus.DISCONNECTED, LinkCause.STOPPED)
        elif refusal is not None:
            self._set_state(LinkStatus.DISCONNECTED, *refusal)
        elif not answered:
            cause = LinkCause.WRONG_PORT_NEEDS_MQTT if self.url.tls else LinkCause.WRONG_PORT_NEEDS_MQTTS
            self._set_state(LinkStatus.DISCONNECTED, cause, self.url)
        else:
            self._set_state(LinkStatus.DISCONNECTED, LinkCause.LOST, self.url, reason_code)

    def _handle_message(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        arrived = time.time()
        if message._topic[:1] == b"$":  # paho keeps the raw topic; decoding it is for the rare case
            self._broker_count(message)
            return
        self._messages_in += 1  # written by this thread only
        if self._on_message_cb is None:
            return
        try:
            topic = message.topic
        except UnicodeDecodeError:
            with self._lock:
                self._callback_errors += 1
            log.warning("MQTT message with a topic that is not UTF-8 ignored")
            return
        self._safe_call(self._on_message_cb, topic, message.payload, arrived)

    def _handle_acknowledged(self, mid: int) -> None:
        with self._lock:
            entry = self._pending.pop(mid, None)
            if entry is None:
                self._acked_early.add(mid)
                return
            self._delivered += 1
            self._last_delivery_s = time.time() - entry[0]
        if entry[1] is not None:
            self._safe_call(entry[1])

    def _broker_count(self, message: paho.MQTTMessage) -> None:
        try:
            topic, dropped = message.topic, int(message.payload)
        except (UnicodeDecodeError, ValueError):
            return
        if topic != SYS_DROPPED:
            return
        with self._lock:
            before, self._broker_dropped = self._broker_dropped, dropped
        if before is not None and dropped > before:
            log.warning(
                "the broker dropped %d messages for full queues (%d since it started): a client, "
                "perhaps this console, is slower than the plant; see docs/DEPLOYMENT.md, max_queued_messages",
                dropped - before,
                dropped,
            )

    # -- helpers ----------------------------------------------------------------------------------

    def _retry_soon(self) -> bool:
        """paho's thread, before it waits to reconnect: soon when the broker was unreachable, or when a
        broker that accepted us before dropped the link; after paho's back-off when the broker refused
        us (CONNACK), a certificate failed, or a broker never answered (a wrong port)."""
        error = self._client.last_connect_error
        if error is not None:
            return _broker_down(error)
        with self._lock:
            return self._refusal is None and self._connects > 0

    def _safe_call(self, func: Callable[..., None], *args: Any) -> None:
        """Run a user callback; an exception is logged and counted, never allowed into paho's loop."""
        try:
            func(*args)
        except Exception:
            with self._lock:
                self._callback_errors += 1
            log.exception("MQTT callback %r failed", func)

    def _set_state(self, status: LinkStatus, cause: LinkCause, *args: object) -> None:
        state = LinkState.because(status, cause, *args)
        with self._lock:
            if self._state.status is status and self._state.reason == state.reason:
                return
            self._state = state
        if status is LinkStatus.CONNECTED:
            log.info("MQTT link: %s", state.reason)
        else:
            log.info("MQTT link %s: %s", status, state.reason)
        if self._on_link_cb is not None:
            self._safe_call(self._on_link_cb, state)
