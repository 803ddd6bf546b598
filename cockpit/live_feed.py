"""The core thread's side of the one crossing: one update per tick, handed over without waiting.

The core thread builds ONE immutable ``Update`` per tick (``UpdateBuilder``, the core's listener):
what changed (``CoreDelta``), the store's new samples (``StoreExport``), the counters (``CoreStats``)
and, with every urgent update and at least once a second, the read model (``CoreState``, the one the
core thread publishes). Plain value changes go at most ten times a second, an alarm, a command, a
permit or a link change at once: this is the only throttle between the field and the screens.

The builder hands the update to one transport, and the transport's GUI end is ``cockpit/live.py``:

* the field process (``cockpit/field_process.py``): ``PipeWriter`` pickles and frames it (an 8-byte
  length, then the pickle) and writes it with ``MSG_DONTWAIT``; whatever the socket does not take
  now stays in the outbox and goes with the next write or ``flush`` (the core thread's tick, ten
  times a second). A window that is slow to read (a long paint, a debugger) fills the socket, the
  outbox holds the rest, ``busy()`` turns true and the builder stops building (it merges its deltas,
  the store keeps the samples) until the outbox is empty again;
* in process (``cockpit/local_core.py``): ``cockpit.live.GuiInbox.put``, a local queue.

The socket's send buffer is asked to be ``SEND_BUFFER`` (4 MiB) so that a window that stalls briefly
costs nothing. Measured with bench/ui_frame at 10,000 msg/s (the field process logs it when it stops):
about ten updates a second, 62 KB each on average, the largest 105 KB. What the socket holds depends on
what the system grants: Linux caps the request at ``net.core.wmem_max`` (its default, 212992, grants
about 416 KiB: about half a second of those updates); only where ``wmem_max`` is raised to 4 MiB or
more does the buffer hold several seconds. Whatever is granted works, the builder only starts merging
sooner; the field process logs the granted size once when it starts (``PipeWriter.send_buffer``).

The pipe must be a socket (``select``, ``MSG_DONTWAIT``, ``QSocketNotifier``): on Windows a
``multiprocessing`` pipe is a named pipe, so there the window runs the core in its own process, the
in-process shape (``cockpit/runtime.py``). GUI → field messages (``start``, ``call``, ``stop``) are
few and small: they use the ``multiprocessing`` connection's own framing.

Nothing here imports Qt: the field process runs it.
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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cockpit.core_state import CoreDelta, CoreState, CoreStats
from cockpit.telemetry import StoreExport

if TYPE_CHECKING:
    from cockpit.core import CockpitCore

SEND_INTERVAL_S = 0.1  # plain value changes reach the screens ten times a second
BOARD_INTERVAL_S = 1.0  # counters and the rest of the board at least once a second


@dataclass(frozen=True)
class Update:
    """One tick's worth for the screens: built on the core thread, never changed after."""

    delta: CoreDelta
    store: StoreExport
    stats: CoreStats  # with every update: the screens' message counters stay current
    board: CoreState | None  # the core's published read model, with every urgent update and once a second


class UpdateBuilder:
    """The core's listener: merges its deltas and hands one ``Update`` per tick to the transport.

    Everything here runs on the core thread: ``on_delta`` (the core calls it after a batch) and
    ``tick`` (queued with ``core.call`` ten times a second by whoever pumps: the field process's main
    thread, or the GUI's timer in-process), so that held values and the once-a-second board go out
    when no delta comes. While the transport is busy (``busy()``: the GUI has not read what it has)
    nothing is built: the deltas keep merging here and the store keeps the new samples for the next
    export, so a GUI that is slow to read costs the core neither a wait nor memory per update.
    """

    def __init__(self, send: Callable[[Update], None], busy: Callable[[], bool]) -> None:
        self.core: CockpitCore | None = None
        self._send = send
        self._busy = busy
        self._delta = CoreDelta()
        self._urgent = False
        self._last_send = 0.0
        self._last_board = 0.0
        self.held = 0  # times an update was due while the transport was busy (merged into the next)

    def on_delta(self, delta: CoreDelta) -> None:
        self._delta.merge(delta)
        self._urgent = self._urgent or delta.urgent()
        self._maybe_send()

    def tick(self) -> None:
        self._maybe_send()

    def _maybe_send(self) -> None:
        core = self.core
        if core is None:
            return
        mono = time.monotonic()
        board_due = mono - self._last_board >= BOARD_INTERVAL_S
        values_due = bool(self._delta) and mono - self._last_send >= SEND_INTERVAL_S
        if not (self._urgent or values_due or board_due):
            return
        if self._busy():
            self.held += 1
            return
        delta, self._delta = self._delta, CoreDelta()
        board = core.fresh_state() if self._urgent or board_due else None
        self._urgent = False
        self._last_send = mono
        if board is not None:
            self._last_board = mono
        export = core.store.take_export(delta.dirty_channels)
        self._send(Update(delta, export, replace(core.stats), board))


# --------------------------------------------------------------------------- the pipe

HEADER = struct.Struct("!Q")
SEND_BUFFER = 4 * 1024 * 1024


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
