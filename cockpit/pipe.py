"""The field process's half of the pipe to the window, written without ever waiting.

Field → GUI messages are pickled and framed here (an 8-byte length, then the pickle) and written
with ``MSG_DONTWAIT``: whatever the socket does not take now stays in ``PipeWriter``'s outbox and goes
with the next write or ``flush`` (the core thread's tick, ten times a second). The core thread writes
its updates itself, so the writer must never block it: a window that is slow to read (a long paint, a
debugger) fills the socket, the outbox holds the rest, ``busy()`` turns true and the update builder
stops building (it merges its deltas, the store keeps the samples) until the outbox is empty again.

The socket's send buffer is asked to be ``SEND_BUFFER`` (4 MiB) so that a window that stalls briefly
costs nothing. Measured with bench/ui_frame at 10,000 msg/s (the field process logs it when it stops):
about ten updates a second, 62 KB each on average, the largest 105 KB. What the socket holds depends on
what the system grants: Linux caps the request at ``net.core.wmem_max`` (its default, 212992, grants
about 416 KiB: about half a second of those updates); only where ``wmem_max`` is raised to 4 MiB or
more does the buffer hold several seconds. Whatever is granted works, the builder only starts merging
sooner; the field process logs the granted size once when it starts (``PipeWriter.send_buffer``).

A frame the window cannot unpickle means the two processes no longer understand each other:
``FrameReader`` consumes each frame before it unpickles it, keeps every frame that reads, says why one
did not (``fault``) and reads nothing more from the socket; the window then treats the field process
as lost (``cockpit/field_link.py``).

The pipe must be a socket (``select``, ``MSG_DONTWAIT``, ``QSocketNotifier``): on Windows a
``multiprocessing`` pipe is a named pipe, so there the window runs the core in its own process, the
in-process shape (``cockpit/runtime.py``).

GUI → field messages (``start``, ``call``, ``stop``) are few and small: they use the
``multiprocessing`` connection's own framing, read by the field process's main thread.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import struct
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

HEADER = struct.Struct("!Q")
SEND_BUFFER = 4 * 1024 * 1024
READ_BLOCK = 256 * 1024
MAX_FRAME = 1024 * 1024 * 1024  # a longer frame is a corrupt header, not an update (the largest: ~105 KB)


def socket_of(conn: Any) -> socket.socket:
    """A socket object on a duplicate of ``conn``'s descriptor (``conn`` itself stays usable)."""
    return socket.socket(fileno=os.dup(conn.fileno()))


def frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class PipeWriter:
    """Field side: frames messages and writes them without blocking (see the module docstring)."""

    def __init__(self, conn: Any) -> None:
        self._sock = socket_of(conn)
        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        self.send_buffer = self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)  # what was granted
        self._lock = threading.Lock()
        self._out = bytearray()
        self.broken = False
        self.frames = 0  # what went out, for the log at the end (the buffer size above was chosen by it)
        self.sent_bytes = 0
        self.largest = 0

    def busy(self) -> bool:
        """True while bytes wait that the socket does not take now: the window has not read what it has.

        It tries to write the outbox first (without waiting), so an update held back goes as soon as
        the window has read, not only after the next tick's ``flush``."""
        if self._out and not self.broken:
            with self._lock, contextlib.suppress(OSError):
                self._flush()
        return bool(self._out) or self.broken

    def send(self, message: object) -> None:
        """Any thread; never waits for the window. Raises ``OSError`` once the window is gone, and
        whatever pickling raises (nothing is written then)."""
        data = frame(message)
        with self._lock:
            self.frames += 1
            self.sent_bytes += len(data)
            self.largest = max(self.largest, len(data))
            self._out += data
            self._flush()

    def flush(self) -> None:
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        if self.broken:
            raise BrokenPipeError("the window's end of the pipe is closed")
        while self._out:
            try:
                n = self._sock.send(self._out, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            except OSError:
                self.broken = True
                self._out.clear()
                raise
            del self._out[:n]

    def close(self) -> None:
        self._sock.close()


class FrameReader:
    """GUI side: reads what the field process wrote, as whole messages, without blocking."""

    def __init__(self, conn: Any) -> None:
        self._sock = socket_of(conn)
        with contextlib.suppress(OSError):
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SEND_BUFFER)
        self._buf = bytearray()
        self.ended = False
        self.fault: str | None = None  # why a frame could not be read; the socket is not read after it

    def fileno(self) -> int:
        return self._sock.fileno()

    def read(self) -> list[Any]:
        """Every whole message that has arrived (none if none); ``ended`` once the field end closed.

        A frame that cannot be read sets ``fault``: the frames around it that read are returned, and
        nothing more is read from the socket (the caller treats the field process as lost)."""
        while not self.ended and self.fault is None:
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
        """The whole frames in the buffer, each consumed before it is unpickled (a bad one is never
        read twice); one that cannot be read is skipped and named in ``fault`` (the first only)."""
        out: list[Any] = []
        while len(self._buf) >= HEADER.size:
            (n,) = HEADER.unpack_from(self._buf, 0)
            if n > MAX_FRAME:
                self._failed(f"a frame header claims {n} bytes: the stream is out of step")
                self._buf.clear()
                break
            if len(self._buf) - HEADER.size < n:
                break
            with memoryview(self._buf) as view:
                data = bytes(view[HEADER.size : HEADER.size + n])
            del self._buf[: HEADER.size + n]
            try:
                out.append(pickle.loads(data))
            except Exception as exc:
                self._failed(f"a message of {n} bytes could not be read ({type(exc).__name__}: {exc})")
        return out

    def _failed(self, why: str) -> None:
        if self.fault is None:
            self.fault = " ".join(why.split())  # one line, whatever the exception said

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
