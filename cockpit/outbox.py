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

Bounded: a file larger than ``max_bytes`` takes nothing more (``OutboxFull``: the caller logs which
record it could not keep, and the count shows in diagnostics); a record the database refuses for any
reason other than being unreachable is moved to a ``.failed`` file beside it, never retried forever
and never dropped silently.

Line format: ``<crc32 hex> <json>``; a record ``{"n": 7, "k": "journal", "b": {...}}``, a done mark
``{"d": 7}``. A torn last line (a crash mid-append) fails its checksum and is cut off at start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from connectors.database import Database
from models.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about 100,000 stop-work records; hours of an alarm flood's journal
RETRY_S = 2.0  # how often the database worker tries again while records wait

RecordWriter = Callable[[Session, dict[str, Any], bool], None]
"""Writes one record in the caller's transaction; the flag says it is a replay (look for the key first)."""


class OutboxFull(Exception):
    """The outbox file reached its limit: the record was not kept."""


def db_unreachable(exc: BaseException) -> bool:
    """A failure that says the database cannot be reached now (worth trying again), not that it refused."""
    if isinstance(exc, OperationalError | InterfaceError | DisconnectionError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


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
    """Used on one thread only (the core's database worker), except ``waiting`` and the counters,
    which any thread may read."""

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
        self._pending: deque[tuple[int, str, dict[str, Any]]] = deque()
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
        self._pending = deque(r for r in records if r[0] not in done)
        if good != os.fstat(self._fd).st_size:
            os.ftruncate(self._fd, good)
            os.fsync(self._fd)
        if not self._pending and good:
            os.ftruncate(self._fd, 0)
            good = 0
        return good

    # --- the database worker ---------------------------------------------------------------------------

    def put(self, kind: str, body: dict[str, Any]) -> None:
        """Write the record now, or keep it in the file when the database cannot take it.

        Raises ``OutboxFull`` when it could be neither written nor kept."""
        if kind not in self.writers:
            raise ValueError(f"no writer for outbox records of kind {kind!r}")
        if not self._pending:
            try:
                self._write(kind, body, replay=False)
                return
            except Exception as exc:
                if not db_unreachable(exc):
                    self._fail(kind, body, exc)
                    return
                log.warning("the database is unreachable (%s): keeping records in %s", _first(exc), self.path)
        self._append(kind, body)

    def drain(self) -> int:
        """Write what waits, in order, until the file is empty or the database fails again; returns
        how many records were written."""
        written = 0
        while self._pending:
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
            self._pending.popleft()
            self.waiting = len(self._pending)
            self._mark_done(n)
            written += 1
            self.written_late += 1
        if written:
            log.info("the database is back: %d waiting records written", written)
        self._compact()
        return written

    def pending(self, kind: str) -> list[dict[str, Any]]:
        """The bodies of the waiting records of one kind, in order (at start: the stops not yet on record)."""
        return [body for _n, k, body in self._pending if k == kind]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    # --- inside -----------------------------------------------------------------------------------------

    def _write(self, kind: str, body: dict[str, Any], *, replay: bool) -> None:
        with self.db.session() as session:
            self.writers[kind](session, body, replay)

    def _append(self, kind: str, body: dict[str, Any]) -> None:
        line = _line({"n": self._next, "k": kind, "b": body})
        if self._size + len(line) > self.max_bytes:
            self.refused += 1
            raise OutboxFull(
                f"the outbox {self.path} is full ({self._size // 1024} KiB, {self.waiting} records waiting "
                f"for the database): a {kind} record could not be kept"
            )
        os.write(self._fd, line)
        os.fsync(self._fd)
        self._size += len(line)
        self._pending.append((self._next, kind, body))
        self._next += 1
        self.waiting = len(self._pending)

    def _mark_done(self, n: int) -> None:
        # Not fsync'd: a done mark lost in a crash only makes the record's writer find its key again.
        line = _line({"d": n})
        os.write(self._fd, line)
        self._size += len(line)

    def _compact(self) -> None:
        if not self._pending and self._size:
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


class OutboxPump:
    """The core's side of its outbox: records go to the database worker in the order they are handed
    over, and while some wait the worker tries the database again every ``RETRY_S``."""

    def __init__(self, outbox: Outbox, worker: ThreadPoolExecutor) -> None:
        self.outbox = outbox
        self.worker = worker
        self._draining: Future[int] | None = None
        self._last_drain = 0.0

    def record(self, kind: str, body: dict[str, Any]) -> Future[None]:
        """Any thread (the core's): the record joins the worker's queue; the future is done once it is
        written or kept in the file."""
        try:
            return self.worker.submit(self._put, kind, body)
        except RuntimeError:  # the worker has shut down (a stop that outwaited the core thread): here
            fut: Future[None] = Future()
            self._put(kind, body)
            fut.set_result(None)
            return fut

    def _put(self, kind: str, body: dict[str, Any]) -> None:
        try:
            self.outbox.put(kind, body)
        except OutboxFull as exc:
            log.error("%s: %s", exc, body)
        except Exception:
            log.exception("a %s record could be neither written nor kept", kind)

    def tick(self) -> None:
        """Core thread: while records wait, one drain on the worker at a time, every ``RETRY_S``."""
        mono = time.monotonic()
        if not self.outbox.waiting or mono - self._last_drain < RETRY_S:
            return
        if self._draining is not None and not self._draining.done():
            return
        self._last_drain = mono
        with contextlib.suppress(RuntimeError):  # the worker has shut down: the next start drains
            self._draining = self.worker.submit(self.outbox.drain)


def _first(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
