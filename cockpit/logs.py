"""Logging to the console and to a rotating file in the user's log folder, written on a thread of its own.

A log call never waits for the console or the disk. The records go into a bounded queue, and one
writer thread hands them to the console and file handlers. Before this, the thread that logged also
wrote: paho's network thread, which reads the gas readings and sends the automatic stop-work, spent
0.5-0.9 ms writing each "STOP WORK" line to stderr and the file. A console that stopped reading (a
terminal paused with Ctrl+S or scrolled back, a journal that fell behind, a full pipe) held that
thread at its next log line: no reading judged, no stop sent. Measured in `serve` with its stderr a
full pipe: no health and no stop at all (tests/cockpit/test_log_writer.py).

The queue holds ``QUEUE_RECORDS`` records. When it is full, a record is counted and dropped, and the
writer says how many were lost in one line once it can write again. The records of what was decided
are in the database; the log is for diagnosis.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import logging.handlers
import os
import queue
import select
import sys
import threading
from pathlib import Path
from typing import Any

from cockpit.config import Config, user_log_dir

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
QUEUE_RECORDS = 10_000  # about 3 MB of formatted lines: minutes of a busy console's log
CLOSE_WAIT_S = 2.0  # at exit, the writer gets this long to write what is queued
log = logging.getLogger(__name__)


class LogWriter:
    """The thread that writes the records for ``handlers``; ``handler`` is what loggers call."""

    def __init__(self, handlers: list[logging.Handler], capacity: int = QUEUE_RECORDS) -> None:
        self.handlers = handlers
        self.queue: queue.Queue[logging.LogRecord | None] = queue.Queue(capacity)
        self.handler = _HandOver(self)
        self._lock = threading.Lock()
        self._dropped = 0  # records a full queue turned away, not yet told
        self._thread = threading.Thread(target=self._run, name="log-writer", daemon=True)
        self._thread.start()

    def drop(self) -> None:
        with self._lock:
            self._dropped += 1

    def close(self, timeout: float = CLOSE_WAIT_S) -> bool:
        """Write what is queued, then end the thread; False when the console or the disk did not take
        it within ``timeout`` (the thread is left behind, a daemon)."""
        try:
            self.queue.put(None, timeout=timeout)
        except queue.Full:
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while (record := self.queue.get()) is not None:
            self._tell_dropped()
            self._write(record)
        self._tell_dropped()
        for handler in self.handlers:
            handler.flush()

    def _tell_dropped(self) -> None:
        with self._lock:
            lost, self._dropped = self._dropped, 0
        if lost:
            self._write(
                log.makeRecord(
                    log.name,
                    logging.WARNING,
                    __file__,
                    0,
                    "%d log lines were dropped: the console or the log file did not take them in time",
                    (lost,),
                    None,
                )
            )

    def _write(self, record: logging.LogRecord) -> None:
        for handler in self.handlers:
            if record.levelno >= handler.level:
                handler.handle(record)  # a handler's own failure goes to its handleError


class _HandOver(logging.handlers.QueueHandler):
    """Formats the record on the caller's thread (its arguments as they are now) and queues it; never
    waits: a full queue drops the record and counts it."""

    def __init__(self, writer: LogWriter) -> None:
        super().__init__(writer.queue)
        self.writer = writer

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        prepared = super().prepare(record)
        prepared.stack_info = None  # already in the formatted message
        return prepared

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            self.writer.drop()


_current: LogWriter | None = None


def setup_logging(
    config: Config, *, to_file: bool = True, log_dir: Path | None = None, file_name: str = "cockpit.log"
) -> Path | None:
    """Configure the root logger once; returns the log file's path (None without a file)."""
    global _current
    root = logging.getLogger()
    root.setLevel(config.logging.level.upper())
    if _current is not None:  # configured again: the earlier writer writes what it has, then ends
        root.removeHandler(_current.handler)
        if _current.close():
            for handler in _current.handlers:
                handler.close()
        _current = None
    console = logging.StreamHandler(_ConsoleStream.of_stderr())
    console.setFormatter(logging.Formatter(FORMAT))
    handlers: list[logging.Handler] = [console]
    path: Path | None = None
    problem: tuple[Path, OSError] | None = None
    if to_file:
        folder = log_dir or user_log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / file_name
            file = logging.handlers.RotatingFileHandler(
                path,
                maxBytes=config.logging.file_max_mb * 1024 * 1024,
                backupCount=config.logging.file_count,
                encoding="utf-8",
            )
        except OSError as exc:
            path, problem = None, (folder, exc)
        else:
            file.setFormatter(logging.Formatter(FORMAT))
            handlers.append(file)
    _current = LogWriter(handlers)
    root.addHandler(_current.handler)
    if problem is not None:
        log.warning("no log file in %s (%s); logging to the console only", *problem)
    return path


class _ConsoleStream:
    """The console as the writer thread writes it: its own descriptor, written with ``os.write`` and
    nothing buffered, so a write stalled on a console that stopped reading holds no lock of the
    interpreter's own ``sys.stderr`` (its final flush) and the process can still end."""

    def __init__(self, fd: int, encoding: str) -> None:
        self.fd = fd
        self.encoding = encoding

    @classmethod
    def of_stderr(cls) -> _ConsoleStream | Any:
        try:
            return cls(os.dup(sys.stderr.fileno()), sys.stderr.encoding or "utf-8")
        except (AttributeError, OSError, ValueError):  # no descriptor (a capture, a windowed launch)
            return sys.stderr

    def write(self, text: str) -> None:
        view = memoryview(text.encode(self.encoding, "backslashreplace"))
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # a console set non-blocking by another program: wait for room
                select.select([], [self.fd], [])
            except OSError:  # the console is gone (its pipe or terminal closed): nobody to tell
                return

    def flush(self) -> None:
        pass


@atexit.register
def _close_at_exit() -> None:
    """Registered after ``logging``'s own (which flushes and closes the handlers), so it runs first.
    When the console or the disk does not take what is queued in time, the handlers get new locks:
    logging's shutdown would otherwise wait for good on the one the stalled write holds."""
    if _current is not None and not _current.close():
        for handler in _current.handlers:
            with contextlib.suppress(Exception):
                handler.createLock()
