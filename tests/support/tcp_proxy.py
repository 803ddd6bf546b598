"""A small TCP proxy in front of a server (PostgreSQL), to cut it off the way a plant sees an outage.

``cut()`` does what a killed proxy or a rebooted switch does: the listening port closes (new
connections are refused) and every open connection is reset, so the client's pooled connections die
mid-use. ``restore()`` listens on the same port again. The bench's database drill uses it too.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.connections = 0  # accepted since start
        self._frozen = False

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)
        self._thread.start()
        return self

    def cut(self) -> None:
        """Refuse new connections and reset every open one (a frozen link too)."""
        self._frozen = False
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    # linger 0: close sends RST, as a dead peer's kernel would on the next packet
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                with contextlib.suppress(OSError):
                    s.close()

    def restore(self) -> None:
        if self._frozen:
            self._frozen = False
            return
        self.start()

    def freeze(self) -> None:
        """A partition: connections stay open but nothing passes, and new ones get no answer (the
        kernel accepts them into the backlog; nobody speaks). No reset ever arrives."""
        self._frozen = True

    stop = cut

    def _run(self) -> None:
        sel = selectors.DefaultSelector()
        assert self._listener is not None
        self._listener.setblocking(False)
        sel.register(self._listener, selectors.EVENT_READ, None)
        peers: dict[socket.socket, socket.socket] = {}
        try:
            while not self._stop.is_set():
                if self._frozen:
                    self._stop.wait(0.05)
                    continue
                for key, _ in sel.select(0.05):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if key.data is None:
                        self._accept(sel, peers)
                    else:
                        self._pump(sel, peers, sock)
        finally:
            sel.close()

    def _accept(self, sel: selectors.BaseSelector, peers: dict[socket.socket, socket.socket]) -> None:
        assert self._listener is not None
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        self.connections += 1
        for s in (client, server):
            s.setblocking(True)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peers[client], peers[server] = server, client
        with self._lock:
            self._pairs.append((client, server))
        sel.register(client, selectors.EVENT_READ, "pipe")
        sel.register(server, selectors.EVENT_READ, "pipe")

    @staticmethod
    def _pump(
        sel: selectors.BaseSelector, peers: dict[socket.socket, socket.socket], sock: socket.socket
    ) -> None:
        other = peers.get(sock)
        try:
            data = sock.recv(65536)
            if data and other is not None:
                other.sendall(data)
                return
        except OSError:
            pass
        for s in (sock, other):
            if s is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                sel.unregister(s)
            peers.pop(s, None)
            with contextlib.suppress(OSError):
                s.close()
