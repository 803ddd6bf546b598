"""What the MQTT link is and says: the broker's address, the TLS files, the link's state and its reason
(in English for the logs, as a cause and its details for the screens to translate), and its counters.

Plain values, no paho: the views and the live model import these without the client.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from models.errors import UserError
from models.records import StrEnum

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}


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
