"""A plant file store for the photo-evidence tests: a real ``http.server`` on 127.0.0.1 in a thread.

``put(name, data)`` serves ``data`` at ``/p/{name}``; ``fail(name, n)`` answers 500 to the next ``n``
requests of it; ``chunked(name)`` sends it without a length (so only what arrives tells its size).
``requests`` counts every request by path.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tiny_png(color: tuple[int, int, int] = (200, 60, 20), size: int = 64) -> bytes:
    """A real PNG made by Qt (an image the pane can draw)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(*color))
    raw = QByteArray()
    buffer = QBuffer(raw)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; PySide6 wants str
    return bytes(raw.data())


class FileStore:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.failing: Counter[str] = Counter()
        self.no_length: set[str] = set()
        self.requests: Counter[str] = Counter()
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                store.requests[self.path] += 1
                name = self.path.removeprefix("/p/")
                if store.failing[name] > 0:
                    store.failing[name] -= 1
                    self.send_error(500)
                    return
                data = store.files.get(name)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                if name in store.no_length:
                    self.send_header("Connection", "close")
                else:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FileStore:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/p/{name}"

    def put(self, name: str, data: bytes) -> str:
        self.files[name] = data
        return self.url(name)
