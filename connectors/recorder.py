"""Record the broker's traffic to a file and play it back later.

An incident is investigated, and the cockpit demonstrated or tested, with the very messages the field
sent: one JSON line per message with its arrival time, in the order received. A line is readable text
when the payload is UTF-8 (almost always: the contract's payloads are JSON), base64 otherwise.
The file stays usable after a crash: the recorder flushes at least every second, and the reader skips
a truncated last line instead of failing.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from models.errors import UserError

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 0.5
PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class RecordedMessage:
    t: float  # arrival, Unix epoch seconds
    topic: str
    payload: bytes


def encode_line(t: float, topic: str, payload: bytes) -> str:
    """One recording line (with its newline) for a message."""
    record: dict[str, object] = {"t": t, "topic": topic}
    try:
        record["payload"] = payload.decode("utf-8")
    except UnicodeDecodeError:
        record["payload_b64"] = base64.b64encode(payload).decode("ascii")
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def decode_line(line: str) -> RecordedMessage:
    """The message on one recording line; ValueError when the line is not one."""
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    t, topic = record.get("t"), record.get("topic")
    if isinstance(t, bool) or not isinstance(t, int | float) or not isinstance(topic, str):
        raise ValueError("missing t or topic")
    if isinstance(record.get("payload"), str):
        payload = record["payload"].encode("utf-8")
    elif isinstance(record.get("payload_b64"), str):
        try:
            payload = base64.b64decode(record["payload_b64"], validate=True)
        except binascii.Error as exc:
            raise ValueError(f"bad base64: {exc}") from None
    else:
        raise ValueError("no payload")
    return RecordedMessage(float(t), topic, payload)


def _ends_without_newline(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        return fh.read(1) != b"\n"


class Recorder:
    """Appends every message handed to :meth:`record` to a JSON-lines file.

    ``record`` has the MQTT connector's ``on_message`` signature and is cheap (a list append under a
    lock), so it can be called on the network thread; a background thread writes the lines out.
    """

    def __init__(self, path: Path, *, flush_interval: float = FLUSH_INTERVAL_S) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            needs_newline = _ends_without_newline(self.path)
            self._file: IO[str] = self.path.open("a", encoding="utf-8", newline="\n")
            if needs_newline:
                # A recorder killed mid-line left a partial last line: end it so ours stay whole.
                self._file.write("\n")
        except OSError as exc:
            raise UserError(
                f"Cannot write the recording {self.path}: {exc.strerror}; choose another folder"
            ) from None
        self._lock = threading.Lock()
        self._buffer: list[str] = []
        self._write_lock = threading.Lock()  # keeps lines in order between the flusher and close()
        self._count = 0
        self._closed = False
        self._wake = threading.Event()
        self._flush_interval = flush_interval
        self._thread = threading.Thread(target=self._flusher, name="mqtt-recorder", daemon=True)
        self._thread.start()

    @property
    def count(self) -> int:
        """Messages recorded so far (written or still buffered)."""
        with self._lock:
            return self._count

    def record(self, topic: str, payload: bytes, t: float | None = None) -> None:
        line = encode_line(time.time() if t is None else t, topic, payload)
        with self._lock:
            if self._closed:
                return
            self._buffer.append(line)
            self._count += 1

    def flush(self) -> None:
        """Write everything buffered so far and hand it to the operating system."""
        with self._write_lock:
            with self._lock:
                lines, self._buffer = self._buffer, []
            if lines and not self._file.closed:
                self._file.write("".join(lines))
                self._file.flush()

    def _flusher(self) -> None:
        while not self._wake.wait(self._flush_interval):
            try:
                self.flush()
            except OSError:
                log.exception("Writing the recording %s failed", self.path)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._wake.set()
        self._thread.join()
        self.flush()
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class RecordingReader:
    """Iterates over a recording's messages, counting the lines it had to skip.

    A truncated last line (the recorder was killed mid-write) is normal and only counted; a damaged
    line elsewhere is counted separately so a report can say the file was altered.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise UserError(f"The recording {self.path} does not exist; choose a recording file (*.jsonl)")
        self.truncated_tail = 0
        self.bad_lines = 0

    def __iter__(self) -> Iterator[RecordedMessage]:
        self.truncated_tail = 0
        self.bad_lines = 0
        pending_error: str | None = None
        with self.path.open("r", encoding="utf-8", errors="replace", newline="\n") as fh:
            for number, line in enumerate(fh, start=1):
                if pending_error is not None:  # the bad line was not the last one after all
                    self.bad_lines += 1
                    log.warning("Recording %s: %s", self.path, pending_error)
                    pending_error = None
                if not line.strip():
                    continue
                try:
                    message = decode_line(line)
                except ValueError as exc:
                    if line.endswith("\n"):
                        self.bad_lines += 1
                        log.warning("Recording %s line %d skipped: %s", self.path, number, exc)
                    else:
                        pending_error = f"line {number} skipped: {exc}"
                    continue
                yield message
        if pending_error is not None:
            self.truncated_tail += 1

    @property
    def skipped(self) -> int:
        return self.truncated_tail + self.bad_lines


def read_recording(path: Path) -> RecordingReader:
    """The messages of a recording, in recorded order (an iterable that counts skipped lines)."""
    return RecordingReader(path)


@dataclass(frozen=True)
class ReplayStats:
    published: int
    total: int
    skipped: int
    duration_s: float  # wall-clock time the replay took
    recorded_span_s: float  # time between the first and the last recorded message
    stopped: bool  # True when the stop event ended it early


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def replay(
    path: Path,
    publish: Callable[[str, bytes], None],
    *,
    speed: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> ReplayStats:
    """Publish a recording's messages again, keeping their relative timing divided by ``speed``.

    ``speed=0`` publishes as fast as possible. ``progress(done, total)`` is called at most ten times a
    second and once at the end; ``total`` counts lines, so it can exceed ``done`` by skipped lines.
    Setting ``stop`` ends the replay promptly, even in the middle of a long gap.
    """
    if not (speed >= 0 and math.isfinite(speed)):
        raise UserError(
            f"Replay speed {speed} is not valid; use 0 (as fast as possible) or a positive factor"
        )
    reader = read_recording(path)
    total = _count_lines(reader.path)
    stop = stop or threading.Event()
    started = time.monotonic()
    first_t: float | None = None
    last_t: float | None = None
    done = 0
    last_progress = 0.0
    stopped = False
    for message in reader:
        if first_t is None:
            first_t = message.t
        if speed > 0:
            due = started + max(0.0, message.t - first_t) / speed
            remaining = due - time.monotonic()
            if remaining > 0 and stop.wait(remaining):
                stopped = True
                break
        if stop.is_set():
            stopped = True
            break
        publish(message.topic, message.payload)
        last_t = message.t
        done += 1
        if progress is not None and time.monotonic() - last_progress >= PROGRESS_INTERVAL_S:
            last_progress = time.monotonic()
            progress(done, total)
    if progress is not None:
        progress(done, total)
    span = (last_t - first_t) if first_t is not None and last_t is not None else 0.0
    return ReplayStats(
        published=done,
        total=total,
        skipped=reader.skipped,
        duration_s=time.monotonic() - started,
        recorded_span_s=span,
        stopped=stopped,
    )


def open_recorder(record_file: str) -> Recorder | None:
    """The raw-message recorder ``[mqtt] record_file`` asks for, or None when it is not set."""
    return Recorder(Path(record_file)) if record_file else None
