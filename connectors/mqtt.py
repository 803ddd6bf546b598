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

import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from connectors.mqtt_link import (
    DEFAULT_PORTS,
    BrokerUrl,
    LinkCause,
    LinkCounters,
    LinkState,
    LinkStatus,
    TlsOptions,
    fill_reason,
)
from connectors.mqtt_socket import (
    RETRY_SOON_S,
    BufferedSocket,
    _broker_down,
    _describe_error,
    _PahoClient,
)
from models.errors import UserError

log = logging.getLogger(__name__)

# The link's vocabulary and paho's client live beside this module; they are imported from here as before.
__all__ = [
    "DEFAULT_PORTS",
    "RETRY_SOON_S",
    "BrokerUrl",
    "BufferedSocket",
    "LinkCause",
    "LinkCounters",
    "LinkState",
    "LinkStatus",
    "MqttConnector",
    "TlsOptions",
    "fill_reason",
]

# How long an MQTT 5 broker keeps our session while we are away (MQTT 3.1.1 sessions never expire).
SESSION_EXPIRY_S = 7 * 24 * 3600

# Mosquitto's count of publishes it dropped for full queues or in-flight limits (mosquitto(8)), every
# sys_interval: a slow console's lost QoS 1 messages show here and nowhere else. Other brokers may not
# answer; the subscription is one of its own, so a refusal does not mark the link as deaf.
SYS_DROPPED = "$SYS/broker/publish/messages/dropped"

MessageCallback = Callable[[str, bytes, float], None]
Will = tuple[str, bytes, int, bool]


class MqttConnector:
    """One MQTT connection with a persistent session, self-healing, publishing and receiving.

    ``on_message(topic, payload, arrival_epoch_s)`` and ``on_link_change(state)`` run on paho's network
    thread and must stay cheap (the cockpit appends to a batch and returns). ``on_read()`` runs there
    too, after each read of the socket that delivered messages, outside paho's locks: the consumer
    may act on the batch right there (the core's cycle, ``CoreLoop.offer``, cockpit/core_loop.py).
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
        birth: Will | None = None,  # published on every connect before subscribing (a Sparkplug host's STATE)
        subscriptions: Sequence[tuple[str, int]] = (),
        on_message: MessageCallback | None = None,
        on_link_change: Callable[[LinkState], None] | None = None,
        on_read: Callable[[], None] | None = None,
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
        self._birth = birth
        self._login = (username, password, tls, keepalive)  # for a sibling connection (``sibling``)
        self._on_message_cb = on_message
        self._on_link_cb = on_link_change
        self._on_read_cb = on_read
        self._read_mark = 0  # ``_messages_in`` at the last ``on_read``
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
        client.on_incoming = self._handle_incoming
        client.on_read = self._handle_read if self._on_read_cb is not None else None
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

    def sibling(
        self,
        client_id: str,
        *,
        will: Will | None,
        birth: Will | None,
        subscriptions: Sequence[tuple[str, int]],
        on_message: MessageCallback | None,
        on_read: Callable[[], None] | None = None,
    ) -> MqttConnector:
        """Another connection to this broker with the same login and TLS, a will and a birth of its own
        (MQTT gives a connection one will: the Sparkplug host's STATE cannot share the console's)."""
        username, password, tls, keepalive = self._login
        return MqttConnector(
            str(self.url),
            client_id,
            username=username,
            password=password,
            tls=tls,
            will=will,
            birth=birth,
            subscriptions=subscriptions,
            on_message=on_message,
            on_read=on_read,
            keepalive=keepalive,
        )

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

    def send_now(self) -> None:
        """Write what was just published from this thread now, not at paho's network thread's next
        turn (``_PahoClient.send_now``): for a stop-work command. Never blocks."""
        self._client.send_now()

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        on_delivered: Callable[[], None] | None = None,
        *,
        written_here: bool = False,
    ) -> bool:
        """Publish from any thread without blocking.

        ``written_here``: the calling thread writes the message itself with ``send_now`` right after
        (a stop-work command): paho's network thread is not woken for it, unless ``send_now`` cannot
        write it then.

        QoS 1 and 2 messages are queued by paho while the link is down and sent when it returns;
        ``on_delivered`` runs (on the network thread) when the broker acknowledges. A QoS 0 message has
        no acknowledgement in MQTT: it counts as delivered once handed to the connected link, and it
        cannot be queued: while offline it is dropped, counted, and False is returned.
        """
        publish = self._client.publish_quietly if written_here else self._client.publish
        if qos == 0:
            if on_delivered is not None:
                raise ValueError("a QoS 0 message has no acknowledgement: on_delivered needs QoS 1 or 2")
            sent = publish(topic, payload, qos=0, retain=retain).rc == MQTTErrorCode.MQTT_ERR_SUCCESS
            with self._lock:
                if sent:
                    self._published += 1
                    self._delivered += 1
                else:
                    self._dropped_offline += 1
            return sent
        sent_at = time.time()
        info = publish(topic, payload, qos=qos, retain=retain)
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
        if self._birth is not None:  # before the SUBSCRIBE: paho sends in order
            topic, payload, qos, retain = self._birth
            client.publish(topic, payload, qos, retain)
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
        self._handle_incoming(message._topic, bytes(message.payload), time.time())  # bytes already: no copy

    def _handle_incoming(self, raw_topic: bytes, payload: bytes, arrived: float) -> None:
        """Every PUBLISH, whether paho read it (``_handle_message``) or the client's block reader did
        (``_PahoClient._take_publishes``). The topic comes raw: decoding it is for the rare case."""
        if raw_topic[:1] == b"$":
            self._broker_count(raw_topic, payload)
            return
        self._messages_in += 1  # written by this thread only
        if self._on_message_cb is None:
            return
        try:
            topic = raw_topic.decode()
        except UnicodeDecodeError:
            with self._lock:
                self._callback_errors += 1
            log.warning("MQTT message with a topic that is not UTF-8 ignored")
            return
        self._safe_call(self._on_message_cb, topic, payload, arrived)

    def _handle_read(self) -> None:
        if self._messages_in != self._read_mark and self._on_read_cb is not None:
            self._read_mark = self._messages_in
            self._safe_call(self._on_read_cb)

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

    def _broker_count(self, raw_topic: bytes, payload: bytes) -> None:
        try:
            topic, dropped = raw_topic.decode(), int(payload)
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
