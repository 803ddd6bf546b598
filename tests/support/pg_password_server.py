"""A PostgreSQL front door that asks every login for a password, and never lets one in.

The test server trusts local logins, so its refusal of a login without a password cannot be seen
there. This speaks the first steps of PostgreSQL's protocol: it declines SSL and GSS encryption
(``N``) and answers the startup message with ``AuthenticationCleartextPassword``. The real driver
(libpq through psycopg2) then says what it says to a plant's server when it has no password
(``fe_sendauth: no password supplied``), or sends the password it has, which is refused with the
SQLSTATE a real server gives (28P01).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


def _read(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _refusal() -> bytes:
    fields = b"SFATAL\0C28P01\0Mpassword authentication failed for user\0\0"
    return b"E" + struct.pack("!I", 4 + len(fields)) + fields


class PasswordServer:
    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port: int = self._listener.getsockname()[1]
        self.asked = 0  # logins asked for a password
        self._thread = threading.Thread(target=self._serve, name="pg-password-server", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError, ConnectionError):
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        while True:
            length, code = struct.unpack("!II", _read(conn, 8))
            if code in (_SSL_REQUEST, _GSS_REQUEST):
                conn.sendall(b"N")
                continue
            _read(conn, length - 8)  # the startup message's parameters
            break
        self.asked += 1
        conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        if conn.recv(1) == b"p":  # a password came: refused as a real server refuses it
            conn.sendall(_refusal())

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept
        self._listener.close()
        self._thread.join(timeout=5)
