"""The field process's half of the pipe to the window, written without ever waiting.

Field → GUI messages are pickled and framed here (an 8-byte length, then the pickle) and written
with ``MSG_DONTWAIT``: whatever the socket does not take now stays in ``PipeWriter``'s outbox and goes
with the next write or ``flush`` (the core thread's tick, ten times a second). The core thread writes
its updates itself, so the writer must never block it: a window that is slow to read (a long paint, a
debugger) fills the socket, the outbox holds the rest, ``busy()`` turns true and the update builder
stops building (it merges its deltas, the store keeps the samples) until the outbox is empty again.

The socket's send buffer is raised to ``SEND_BUFFER`` so that a window that stalls briefly costs
nothing at all. Measured with bench/ui_frame at 10,000 msg/s (the field process logs it when it
stops): about ten updates a second, 62 KB each on average, the largest 105 KB. The default Unix
socket buffer (about 200 KB) holds a third of a second of that; 4 MiB holds six seconds, so only a
window stalled longer than that makes the builder merge. Linux caps the request at
``net.core.wmem_max``; whatever it grants works, the merging only starts sooner.

GUI → field messages (``start``, ``call``, ``stop``) are few and small: they use the
``multiprocessing`` connection's own framing, read by the field process's main thread.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

HEADER = struct.Struct("!Q")
SEND_BUFFER = 4 * 1024 * 1024
READ_BLOCK = 256 * 1024


def socket_of(conn: Any) -> socket.socket:
    """A socket object on a duplicate of ``conn``'s descriptor (``conn`` itself stays usable)."""
    return socket.socket(fileno=os.dup(conn.fileno()))


def frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class PipeWriter:
    """Field side: frames messages and writes them without blocking (see the module docstring)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._sock: socket.socket | None = None
        if sys.platform != "win32":  # there the pipe is a named pipe: written as before, blocking
            self._sock = socket_of(conn)
            with contextlib.suppress(OSError):
                self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        self._lock = threading.Lock()
        self._out = bytearray()
        self.broken = False
        self.frames = 0  # what went out, for the log at the end (the buffer size above was chosen by it)
        self.sent_bytes = 0
        self.largest = 0

    def busy(self) -> bool:
        """True while bytes wait: the window has not read what it has."""
        return bool(self._out) or self.broken

    def send(self, message: object) -> None:
        """Any thread; never waits for the window. Raises ``OSError`` once the window is gone."""
        data = frame(message)
        with self._lock:
            self.frames += 1
            self.sent_bytes += len(data)
            self.largest = max(self.largest, len(data))
            if self._sock is None:
                self._conn.send_bytes(data)
                return
            self._out += data
            self._flush()

    def flush(self) -> None:
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        sock = self._sock
        if self.broken:
            raise BrokenPipeError("the window's end of the pipe is closed")
        while self._out and sock is not None:
            try:
                n = sock.send(self._out, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:
                self.broken = True
                self._out.clear()
                raise
            del self._out[:n]

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()


class FrameReader:
    """GUI side: reads what the field process wrote, as whole messages, without blocking."""

    def __init__(self, conn: Any) -> None:
        self._sock = socket_of(conn)
        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SEND_BUFFER)
        self._buf = bytearray()
        self.ended = False

    def fileno(self) -> int:
        return self._sock.fileno()

    def read(self) -> list[Any]:
        """Every whole message that has arrived (none if none); ``ended`` once the field end closed."""
        while not self.ended:
            try:
                block = self._sock.recv(READ_BLOCK, socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            except OSError:
                block = b""
            if not block:
                self.ended = True
                break
            self._buf += block
            if len(block) < READ_BLOCK:
                break
        return self._messages()

    def _messages(self) -> list[Any]:
        out: list[Any] = []
        view = memoryview(self._buf)
        at = 0
        while len(view) - at >= HEADER.size:
            (n,) = HEADER.unpack_from(view, at)
            if len(view) - at - HEADER.size < n:
                break
            start = at + HEADER.size
            out.append(pickle.loads(view[start : start + n]))
            at = start + n
        view.release()
        del self._buf[:at]
        return out

    def close(self) -> None:
        self._sock.close()


class PumpedFuture(Future[Any]):
    """A call's future: waited for on the GUI thread, it reads the pipe itself while it waits.

    The answer arrives on the pipe, which only the GUI thread reads; a test or a tool that waits with
    ``result()`` on that thread would otherwise wait for itself.
    """

    def __init__(self, pump: Callable[[float], bool]) -> None:
        super().__init__()
        self._pump = pump

    def _pumped(self, timeout: float | None) -> bool:
        """Read the pipe until done or ``timeout``; False when not on the GUI thread (wait as usual)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            remaining = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if remaining <= 0:
                break
            if not self._pump(remaining):
                return False
        return True

    def result(self, timeout: float | None = None) -> Any:
        if self._pumped(timeout):
            return super().result(0)
        return super().result(timeout)

    def exception(self, timeout: float | None = None) -> BaseException | None:
        if self._pumped(timeout):
            return super().exception(0)
        return super().exception(timeout)
