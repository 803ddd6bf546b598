"""The outbox: what the cockpit decided while the database was unreachable, kept until it can be written.

A stop-work's record (its command row, the permits it suspended with their event rows, the audit
entries), alarm journal entries and the audit entries of the field's acknowledgements are written by
the core's database worker. When the database cannot be reached, the record goes into a write-ahead
file in the data folder instead (one line each, appended and fsync'd before ``put`` returns), and
everything after it follows it there, so the database later receives them in the order they were
decided. The worker tries again every few seconds (``drain``); a record leaves the file once its
transaction committed. The file survives a restart of the process: the next start writes it first.

Exactly once: a record's writer first looks for its own key (a command id, an audit entry's action,
subject and time, a journal entry's alarm, time and states) and writes nothing when it is there, so a
record whose commit succeeded but whose "done" mark was lost (a crash in between, or a commit whose
answer the broken connection swallowed) is not written twice.

The audit chain: entries are chained when they are actually written (``models.audit.append_audit``
at drain time), never in the file: consoles sharing a PostgreSQL may write entries meanwhile, and only
the database knows the head. An entry keeps the time it was decided, so after an outage the log's
times are not in ``seq`` order; the chain (``seq``, hashes) is.

A database that hangs rather than refuses (a frozen link: no error ever comes) holds the worker inside
one write. The core then keeps what it handed over, the record in the worker's hands included, in the
file itself (``OutboxPump.tick`` after ``HANG_S``): a crash during the hang loses nothing. Records are
numbered when handed over, so the file is written in that order whoever wrote the line; the record in
hand, once its write answers, is either marked done (it committed) or simply left waiting.

Bounded: a file larger than ``max_bytes`` takes nothing more (``OutboxFull``: the caller logs which
record it could not keep, and the count shows in diagnostics); a record the database refuses for any
reason other than being unreachable is moved to a ``.failed`` file beside it, never retried forever
and never dropped silently.

Line format: ``<crc32 hex> <json>``; a record ``{"n": 7, "k": "journal", "b": {...}}``, a done mark
``{"d": 7}``. A torn last line (a crash mid-append) fails its checksum and is cut off at start.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import os
import queue
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cockpit.db_errors import db_unreachable
from connectors.database import Database
from models.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about 100,000 stop-work records; hours of an alarm flood's journal
RETRY_S = 2.0  # how often the database worker tries again while records wait
HANG_S = 2.0  # a record handed over this long ago and not yet written or kept: the database hangs
STOP_WAIT_S = 5.0  # how long a stopping core waits for the database worker before keeping what it holds

RecordWriter = Callable[[Session, dict[str, Any], bool], None]
"""Writes one record in the caller's transaction; the flag says it is a replay (look for the key first)."""


class OutboxFull(Exception):
    """The outbox file reached its limit: the record was not kept."""


def outbox_path(data_dir: Path, console: str) -> Path:
    """One file per console id: two consoles on one machine never share one."""
    return Path(data_dir) / f"outbox-{console}.wal"


def _line(obj: Mapping[str, Any]) -> bytes:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    raw = text.encode("utf-8")
    return f"{zlib.crc32(raw):08x} ".encode() + raw + b"\n"


def _parse(line: bytes) -> dict[str, Any] | None:
    if not line.endswith(b"\n") or len(line) < 10 or line[8:9] != b" ":
        return None
    raw = line[9:-1]
    try:
        if int(line[:8], 16) != zlib.crc32(raw):
            return None
        obj = json.loads(raw)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


class Outbox:
    """Written and drained on one thread (the core's database worker); ``number`` and ``keep`` may be
    called from another (the core's, when the worker hangs); ``waiting`` and the counters are read
    by any thread."""

    def __init__(
        self,
        path: Path,
        db: Database,
        writers: Mapping[str, RecordWriter],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.path = Path(path)
        self.db = db
        self.writers = dict(writers)
        self.max_bytes = max_bytes
        self._pending: deque[tuple[int, str, dict[str, Any]]] = deque()  # in number order
        self._numbers: set[int] = set()  # the pending records' numbers (a keep looks each one up)
        self._lock = threading.Lock()  # the file, the pending records and the numbers
        self._closed = False
        self._next = 1
        self.waiting = 0  # records in the file not yet in the database
        self.refused = 0  # records not kept: the file was full
        self.failed = 0  # records the database refused (moved to the .failed file)
        self.written_late = 0  # records written from the file since start
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise UserError(
                f"cannot open the outbox file {self.path} ({exc.strerror or exc}); "
                "the data folder must be writable"
            ) from None
        self._lock_file()
        self._size = self._load()
        self.waiting = len(self._pending)
        if self.waiting:
            log.warning("%d records from before the restart wait for the database (%s)", self.waiting, path)

    def _lock_file(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: one process per console id is the installer's rule there
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            raise UserError(
                f"the outbox file {self.path} is in use by another cockpit with the same console id; "
                "give each console on this machine its own id (--console)"
            ) from None

    def _load(self) -> int:
        """Read the file: records without a done mark wait; a torn tail is cut off."""
        good = 0
        records: list[tuple[int, str, dict[str, Any]]] = []
        done: set[int] = set()
        with open(self.path, "rb") as f:
            for line in f:
                obj = _parse(line)
                if obj is None:
                    log.warning(
                        "outbox %s: unreadable line at byte %d cut off (a crash mid-write)", self.path, good
                    )
                    break
                good += len(line)
                if "d" in obj:
                    done.add(int(obj["d"]))
                else:
                    n = int(obj["n"])
                    records.append((n, str(obj["k"]), dict(obj["b"])))
                    self._next = max(self._next, n + 1)
        self._pending = deque(sorted((r for r in records if r[0] not in done), key=lambda r: r[0]))
        self._numbers = {r[0] for r in self._pending}
        if good != os.fstat(self._fd).st_size:
            os.ftruncate(self._fd, good)
            os.fsync(self._fd)
        if not self._pending and good:
            os.ftruncate(self._fd, 0)
            good = 0
        return good

    # --- the database worker ---------------------------------------------------------------------------

    def number(self) -> int:
        """The next record's number: records are written in the order they were numbered."""
        with self._lock:
            n = self._next
            self._next += 1
            return n

    def put(self, kind: str, body: dict[str, Any], n: int | None = None) -> None:
        """Write the record now, or keep it in the file when the database cannot take it.

        Raises ``OutboxFull`` when it could be neither written nor kept."""
        if kind not in self.writers:
            raise ValueError(f"no writer for outbox records of kind {kind!r}")
        n = self.number() if n is None else n
        if not self._waiting_before(n):
            try:
                self._write(kind, body, replay=False)
            except Exception as exc:
                if not db_unreachable(exc):
                    self._settle(n)
                    self._fail(kind, body, exc)
                    return
                log.warning("the database is unreachable (%s): keeping records in %s", _first(exc), self.path)
            else:
                self._settle(n)  # kept meanwhile by a hang's keep: it is on record now
                return
        self.keep([(n, kind, body)])

    def keep(self, records: list[tuple[int, str, dict[str, Any]]]) -> int:
        """Put numbered records in the file (one fsync), behind or between the waiting ones by number;
        a record already kept is not kept twice. Returns how many were kept now; raises ``OutboxFull``
        at the first that does not fit."""
        with self._lock:
            if self._closed:
                return 0  # a worker answering after the stop: the stop kept what it held (keep_handed)
            lines: list[bytes] = []
            size = self._size
            try:
                for n, kind, body in records:
                    if n in self._numbers:
                        continue
                    line = _line({"n": n, "k": kind, "b": body})
                    if size + len(line) > self.max_bytes:
                        self.refused += 1
                        raise OutboxFull(
                            f"the outbox {self.path} is full ({size // 1024} KiB, {len(self._pending)} "
                            f"records waiting for the database): a {kind} record could not be kept"
                        )
                    lines.append(line)
                    size += len(line)
                    bisect.insort(self._pending, (n, kind, body), key=lambda r: r[0])
                    self._numbers.add(n)
            finally:
                if lines:
                    os.write(self._fd, b"".join(lines))
                    os.fsync(self._fd)
                    self._size = size
                self.waiting = len(self._pending)
        return len(lines)

    def _waiting_before(self, n: int) -> bool:
        with self._lock:
            return bool(self._pending) and self._pending[0][0] < n

    def _settle(self, n: int) -> None:
        """The record ``n`` has its answer: if a hang's keep put it in the file meanwhile, it leaves."""
        with self._lock:
            if self._closed or n not in self._numbers:
                return  # closed: the next start finds it waiting, and its writer finds its key
            self._numbers.discard(n)
            for i, r in enumerate(self._pending):
                if r[0] == n:
                    del self._pending[i]
                    self.waiting = len(self._pending)
                    self._mark_done(n)
                    break

    def drain(self) -> int:
        """Write what waits, in order, until the file is empty or the database fails again; returns
        how many records were written."""
        written = 0
        while True:
            with self._lock:
                if not self._pending:
                    break
                n, kind, body = self._pending[0]
            try:
                self._write(kind, body, replay=True)
            except Exception as exc:
                if db_unreachable(exc):
                    if written:
                        log.info(
                            "%d records written; the database failed again, %d wait", written, self.waiting
                        )
                    return written
                self._fail(kind, body, exc)
            self._settle(n)
            written += 1
            self.written_late += 1
        if written:
            log.info("the database is back: %d waiting records written", written)
        self._compact()
        return written

    def pending(self, kind: str) -> list[dict[str, Any]]:
        """The bodies of the waiting records of one kind, in order (at start: the stops not yet on record)."""
        with self._lock:
            return [body for _n, k, body in self._pending if k == kind]

    def close(self) -> None:
        """No more writes to the file (a worker still hung in the database may answer later: it then
        leaves the file alone, and the next start writes what waits)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(OSError):
                os.close(self._fd)

    # --- inside -----------------------------------------------------------------------------------------

    def _write(self, kind: str, body: dict[str, Any], *, replay: bool) -> None:
        with self.db.session() as session:
            self.writers[kind](session, body, replay)

    def _mark_done(self, n: int) -> None:
        # Not fsync'd: a done mark lost in a crash only makes the record's writer find its key again.
        line = _line({"d": n})
        os.write(self._fd, line)
        self._size += len(line)

    def _compact(self) -> None:
        with self._lock:
            if not self._closed and not self._pending and self._size:
                os.ftruncate(self._fd, 0)
                os.fsync(self._fd)
                self._size = 0

    def _fail(self, kind: str, body: dict[str, Any], exc: BaseException) -> None:
        """The database refused the record (not an outage): keep it aside with the reason, never retry."""
        self.failed += 1
        failed = self.path.with_name(self.path.name + ".failed")
        log.error("a %s record was refused by the database (%s); kept in %s", kind, _first(exc), failed)
        try:
            with open(failed, "ab") as f:
                f.write(_line({"k": kind, "b": body, "error": _first(exc)}))
                f.flush()
                os.fsync(f.fileno())
        except OSError as err:
            log.error("cannot keep the refused %s record in %s (%s): %s", kind, failed, err, body)


class SerialWorker:
    """One daemon thread running jobs in order (the core's database worker).

    Not a ``ThreadPoolExecutor``: its threads are joined when the interpreter exits, so a database that
    hangs would hold a closing cockpit forever. What this worker holds when the process ends is in the
    outbox file already (``OutboxPump.keep_handed``)."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        if self._closed:
            raise RuntimeError("the database worker has shut down")
        fut: Future[Any] = Future()
        self._jobs.put((fn, args, fut))
        return fut

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> bool:
        """No new jobs; the queued ones still run. Returns False when the worker outlived ``timeout``."""
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
        if wait:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, args, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:  # the caller's future says it; the worker goes on
                fut.set_exception(exc)


class OutboxPump:
    """The core's side of its outbox: records go to the database worker in the order they are handed
    over, and while some wait the worker tries the database again every ``RETRY_S``. A record handed
    over ``HANG_S`` ago and not yet written or kept means the database hangs: the core thread then keeps
    everything handed over in the file (``tick``).

    ``hang_s`` and ``stop_wait_s`` are the module's constants; a test that waits out a hang sets them
    shorter on its pump instead of spending seconds of the suite on each."""

    hang_s = HANG_S
    stop_wait_s = STOP_WAIT_S

    def __init__(self, outbox: Outbox, worker: SerialWorker) -> None:
        self.outbox = outbox
        self.worker = worker
        self._lock = threading.Lock()
        self._handed: deque[tuple[int, str, dict[str, Any], Future[None], float]] = deque()
        self._in_hand: tuple[int, str, dict[str, Any], float] | None = None  # the worker's record, since
        self._in_hand_kept = False
        self._draining: Future[int] | None = None
        self._last_drain = 0.0

    def record(self, kind: str, body: dict[str, Any]) -> Future[None]:
        """Any thread (the core's): the record joins the worker's queue; the future is done once it is
        written or kept in the file."""
        fut: Future[None] = Future()
        with self._lock:
            self._handed.append((self.outbox.number(), kind, body, fut, time.monotonic()))
        try:
            self.worker.submit(self._put_next)
        except RuntimeError:  # the worker has shut down (a stop that outwaited the core thread): here
            self._put_next()
        return fut

    def _put_next(self) -> None:
        with self._lock:
            if not self._handed:
                return  # kept in the file meanwhile (a hang)
            n, kind, body, fut, _since = self._handed.popleft()
            self._in_hand = (n, kind, body, time.monotonic())
            self._in_hand_kept = False
        try:
            self.outbox.put(kind, body, n)
        except OutboxFull as exc:
            log.error("%s: %s", exc, body)
        except Exception:
            log.exception("a %s record could be neither written nor kept", kind)
        finally:
            with self._lock:
                self._in_hand = None
            fut.set_result(None)

    def tick(self) -> None:
        """Core thread: while the worker hangs, keep what it was handed; while records wait, one drain
        on the worker at a time, every ``RETRY_S``."""
        mono = time.monotonic()
        self._keep_if_hung(mono)
        if not self.outbox.waiting or mono - self._last_drain < RETRY_S:
            return
        if self._draining is not None and not self._draining.done():
            return
        self._last_drain = mono
        with contextlib.suppress(RuntimeError):  # the worker has shut down: the next start drains
            self._draining = self.worker.submit(self.outbox.drain)

    def keep_handed(self) -> int:
        """Keep in the file every record handed over and not yet written (the one in the worker's hands
        too: its writer finds its key if the write went through after all); returns how many."""
        with self._lock:
            handed = list(self._handed)
            self._handed.clear()
            in_hand = None if self._in_hand_kept else self._in_hand
            self._in_hand_kept = self._in_hand is not None
        records = [(n, kind, body) for n, kind, body, _fut, _since in handed]
        if in_hand is not None:
            records.insert(0, in_hand[:3])
        kept = 0
        try:
            kept = self.outbox.keep(records) if records else 0
        except OutboxFull as exc:
            log.error("%s", exc)
        for *_rest, fut, _since in handed:
            fut.set_result(None)
        return kept

    def close(self) -> None:
        """The worker finishes what it was handed (at most ``STOP_WAIT_S`` while the database hangs: then
        what it holds is kept in the file for the next start), and the file is closed."""
        if not self.worker.shutdown(wait=True, timeout=self.stop_wait_s):
            log.warning("the database hangs: %d records kept for the next start", self.keep_handed())
        if self.outbox.waiting:
            log.warning("%d records still wait for the database in %s", self.outbox.waiting, self.outbox.path)
        self.outbox.close()

    def _keep_if_hung(self, mono: float) -> None:
        with self._lock:
            oldest = self._handed[0][4] if self._handed else None
            if self._in_hand is not None and not self._in_hand_kept:
                oldest = self._in_hand[3] if oldest is None else min(oldest, self._in_hand[3])
        if oldest is not None and mono - oldest > self.hang_s:
            kept = self.keep_handed()
            if kept:
                log.warning(
                    "the database has not answered for %.0f s: %d records kept in %s",
                    mono - oldest,
                    kept,
                    self.outbox.path,
                )


def _first(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
