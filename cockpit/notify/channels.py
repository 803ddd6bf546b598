"""The ways out: e-mail over SMTP, and the webhook robots of WeCom, DingTalk and Feishu/Lark.

Each sender takes one message and either returns or raises :class:`SendFailed` with a short code
(``smtp_auth``, ``http_403``, ``robot_310000`` …). The code is what diagnostics show: never the
message of a library exception, which may carry a URL with the robot's key in it.

The robots (each group chat's "custom robot", a POST of JSON to its webhook):
- WeCom (企业微信群机器人): ``{url}?key=KEY``, body ``{"msgtype": "text", "text": {"content": …}}``,
  answers ``{"errcode": 0, …}``; text at most 2048 bytes.
- DingTalk (钉钉自定义机器人): ``{url}?access_token=TOKEN``, the same body, answers ``errcode``.
  With the "signature" security setting the URL also carries ``timestamp`` (ms) and ``sign``:
  Base64 of HMAC-SHA256 keyed with the secret over ``f"{timestamp}\\n{secret}"``, URL-encoded.
- Feishu/Lark (飞书自定义机器人): ``{url}/TOKEN``, body ``{"msg_type": "text", "content": {"text": …}}``,
  answers ``{"code": 0, …}``. With "signature" the body also carries ``timestamp`` (s, a string)
  and ``sign``: Base64 of HMAC-SHA256 keyed with ``f"{timestamp}\\n{secret}"`` over an empty message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from cockpit.config import NotifyChannelConfig

WECOM_MAX_BYTES = 2048


class SendFailed(Exception):
    """A message did not go out; ``code`` says why in a word diagnostics can show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Outgoing:
    """One message for one channel: the text (first line is the subject) and, for mail, the addresses."""

    subject: str
    text: str
    to: tuple[str, ...] = ()


class Sender(Protocol):
    def send(self, message: Outgoing) -> None: ...


SecretReader = Callable[[str], str | None]  # keyring account under "notify" -> secret


def _secret(read: SecretReader, account: str) -> str:
    from connectors.secrets import KeyringUnavailable  # keyring is imported only once a channel sends

    try:
        value = read(account)
    except KeyringUnavailable as exc:  # by the backend and its error's type: the code, never the detail
        raise SendFailed("keyring_locked" if exc.problem == "locked" else "keyring_unavailable") from None
    if not value:
        raise SendFailed("secret_missing")
    return value


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature, URL-encoded as its webhook wants it in the query."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature: the key is timestamp and secret, the message is empty."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _trim_utf8(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "..."


class SmtpSender:
    """E-mail through the plant's mail server: STARTTLS (587), implicit TLS (465) or, on a closed
    network only, none. The password is the keyring's ``notify CHANNEL``; no login without a user."""

    def __init__(self, name: str, config: NotifyChannelConfig, secrets: SecretReader, timeout: float) -> None:
        self.name = name
        self.config = config
        self._secrets = secrets
        self._timeout = timeout

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.tls_ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "tls":
            return smtplib.SMTP_SSL(c.host, c.port or 465, timeout=self._timeout, context=self._context())
        smtp = smtplib.SMTP(
            c.host, c.port or (587 if c.security == "starttls" else 25), timeout=self._timeout
        )
        if c.security == "starttls":
            try:
                smtp.starttls(context=self._context())
            except smtplib.SMTPNotSupportedError:
                smtp.close()  # never go on in clear text with the login and the message
                raise SendFailed("smtp_no_starttls") from None
            except BaseException:
                smtp.close()
                raise
        return smtp

    def send(self, message: Outgoing) -> None:
        c = self.config
        password = _secret(self._secrets, self.name) if c.username else ""
        mail = EmailMessage()
        mail["From"] = c.sender
        mail["To"] = ", ".join(message.to)
        mail["Subject"] = message.subject
        mail.set_content(message.text)
        try:
            with self._connect() as smtp:
                if c.username:
                    smtp.login(c.username, password)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise SendFailed("smtp_auth") from None
        except smtplib.SMTPNotSupportedError:  # STARTTLS is handled in _connect: this is AUTH
            raise SendFailed("smtp_no_auth") from None
        except smtplib.SMTPRecipientsRefused:
            raise SendFailed("smtp_recipients_refused") from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"smtp_{exc.smtp_code}") from None
        except smtplib.SMTPServerDisconnected as exc:  # smtplib's word for a read that timed out too
            raise SendFailed(_disconnect_code(exc)) from None
        except smtplib.SMTPException:
            raise SendFailed("smtp_error") from None
        except ssl.SSLError:
            raise SendFailed("tls") from None
        except TimeoutError:
            raise SendFailed("timeout") from None
        except OSError:
            raise SendFailed("network") from None


class RobotSender:
    """A chat robot's webhook: WeCom, DingTalk or Feishu (module docstring)."""

    def __init__(
        self,
        name: str,
        config: NotifyChannelConfig,
        secrets: SecretReader,
        timeout: float,
        wall_clock: Callable[[], float],
    ) -> None:
        self.name = name
        self.config = config
        self._secrets = secrets
        self._timeout = timeout
        self._wall = wall_clock  # the signature's timestamp: real time, or the robot refuses it

    def request(self, message: Outgoing) -> tuple[str, dict[str, Any]]:
        """The URL (with the key: never log it) and the JSON body for ``message``."""
        c = self.config
        token = _secret(self._secrets, self.name)
        sign_secret = _secret(self._secrets, f"{self.name}.sign") if c.sign else ""
        base = c.url
        if c.type == "wecom":
            body: dict[str, Any] = {
                "msgtype": "text",
                "text": {"content": _trim_utf8(message.text, WECOM_MAX_BYTES)},
            }
            return _with_query(base, f"key={urllib.parse.quote(token, safe='')}"), body
        if c.type == "dingtalk":
            body = {"msgtype": "text", "text": {"content": message.text}}
            query = f"access_token={urllib.parse.quote(token, safe='')}"
            if c.sign:
                ts = int(self._wall() * 1000)
                query += f"&timestamp={ts}&sign={dingtalk_sign(sign_secret, ts)}"
            return _with_query(base, query), body
        body = {"msg_type": "text", "content": {"text": message.text}}
        if c.sign:
            ts = int(self._wall())
            body = {"timestamp": str(ts), "sign": feishu_sign(sign_secret, ts), **body}
        return base.rstrip("/") + "/" + urllib.parse.quote(token, safe=""), body

    def send(self, message: Outgoing) -> None:
        url, body = self.request(message)
        data = json.dumps(body, ensure_ascii=False).encode()
        req = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self._timeout) as response:
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SendFailed(f"http_{exc.code}") from None
        except TimeoutError:
            raise SendFailed("timeout") from None
        except ssl.SSLError:
            raise SendFailed("tls") from None
        except urllib.error.URLError as exc:  # urllib wraps what went wrong on the way
            raise SendFailed(_reason_code(exc.reason)) from None
        except OSError:
            raise SendFailed("network") from None
        _check_answer(answer)


def _disconnect_code(exc: smtplib.SMTPServerDisconnected) -> str:
    """smtplib raises ``SMTPServerDisconnected`` for a reply that never came (a server that took the
    connection and stays silent: the read timed out) and for a network error while reading, not only
    for a server that hung up: the cause it was raised from says which."""
    cause = exc.__context__
    if isinstance(cause, TimeoutError):
        return "timeout"
    return "network" if isinstance(cause, OSError) else "smtp_error"


def _reason_code(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timeout"
    if isinstance(reason, ssl.SSLError):
        return "tls"
    return "network"


def _with_query(url: str, query: str) -> str:
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + query


def _check_answer(answer: bytes) -> None:
    """The robots answer HTTP 200 with their own code: 0 is accepted, anything else refused."""
    try:
        doc = json.loads(answer or b"{}")
    except ValueError:
        raise SendFailed("robot_bad_answer") from None
    if not isinstance(doc, dict):
        raise SendFailed("robot_bad_answer")
    code = doc.get("errcode", doc.get("code", doc.get("StatusCode", 0)))
    if code not in (0, "0", None):
        raise SendFailed(f"robot_{str(code)[:16]}")


def build_sender(
    name: str,
    config: NotifyChannelConfig,
    secrets: SecretReader,
    timeout: float,
    wall_clock: Callable[[], float],
) -> Sender:
    if config.type == "smtp":
        return SmtpSender(name, config, secrets, timeout)
    return RobotSender(name, config, secrets, timeout, wall_clock)
