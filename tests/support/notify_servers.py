"""Real receivers for the notifier's tests: an SMTP server (aiosmtpd, STARTTLS with a throw-away
certificate, a login checked against a password) and a local HTTP server standing in for the chat
robots' webhooks (it records each post and answers as the robot would)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.certs import Pki, make_pki


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool  # the session was encrypted (STARTTLS) when the mail came


class _MailBox:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(
            Mail(
                envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content), session.ssl is not None
            )
        )
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a free port with a login (user, password) required, and ``mode``: "starttls"
    (required before the login), "tls" (implicit TLS from the first byte) or "plain" (no TLS offered)."""

    def __init__(self, directory: Path, user: str, password: str, mode: str = "starttls") -> None:
        self.pki: Pki = make_pki(directory)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        self.box = _MailBox()
        self.logins: list[str] = []

        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (
                user,
                password,
            )
            if ok:
                self.logins.append(user)
            return AuthResult(success=ok)

        self.port = free_port()
        self.controller = Controller(
            self.box,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticate,
            auth_required=mode != "plain",
            # aiosmtpd counts only STARTTLS as TLS: on an implicit-TLS port it would hide AUTH
            auth_require_tls=mode == "starttls",
            **({"tls_context": context, "require_starttls": True} if mode == "starttls" else {}),
            **({"ssl_context": context} if mode == "tls" else {}),
        )

    @property
    def mails(self) -> list[Mail]:
        return self.box.mails

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Post:
    path: str
    query: dict[str, str]
    body: dict[str, Any]


class RobotServer:
    """A webhook receiver: records every POST; answers ``{"errcode": 0}`` (or ``status`` if set)."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                owner.posts.append(Post(parts.path, query, json.loads(raw.decode("utf-8"))))
                answer = json.dumps({"errcode": 0, "errmsg": "ok", "code": 0}).encode()
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> RobotServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def on(self, path_prefix: str) -> list[Post]:
        return [p for p in self.posts if p.path.startswith(path_prefix)]
