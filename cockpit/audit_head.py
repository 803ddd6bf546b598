"""The audit head outside the database: a file in the data folder and a retained message on the broker.

The audit log's chain shows an edited or removed row, but not a cut tail: delete the newest rows and
what is left still verifies. So after every commit that appended audit entries, the newest entry's
``seq`` and hash are written to ``audit-head.json`` in the data folder (written to a temporary file,
fsync'd, then renamed over the old one: a reader sees the old head or the new one, whole) and, where
a broker is connected, published retained on ``{root}/_cockpit/audit-head``. ``python main.py audit
verify`` reads the file (or ``--head HASH``, ``--head-file PATH``, or with ``--head-broker`` the retained
message: ``broker_head``) and fails when that entry is gone.

The file names the database it belongs to (its URL, password masked); a head of another database is
not used. Heads only move forward: the window's process and the field process write the same file,
under a lock, and an older head never replaces a newer one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cockpit.config import Config
from cockpit.wire import dumps, epoch_ms
from connectors.database import Database
from models.errors import UserError

log = logging.getLogger(__name__)

HEAD_FILE = "audit-head.json"
BROKER_WAIT_S = 5.0  # a retained message comes right after the SUBSCRIBE; this covers connecting


@dataclass(frozen=True)
class KeptHead:
    database: str
    seq: int
    hash: str
    ts: str


def head_path(data_dir: Path) -> Path:
    return Path(data_dir) / HEAD_FILE


def read_head(path: Path) -> KeptHead | None:
    """The head in ``path``; None when there is no file. A damaged file is a ``UserError``."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"cannot read the audit head file {path} ({exc.strerror or exc})") from None
    try:
        obj = json.loads(raw)
        return KeptHead(str(obj["database"]), int(obj["seq"]), str(obj["hash"]), str(obj.get("ts", "")))
    except (ValueError, KeyError, TypeError):
        raise UserError(
            f"the audit head file {path} is not readable (not the JSON the cockpit writes): "
            "give the head with --head HASH instead"
        ) from None


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: the rename is still atomic; two writers at once may lose a step
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class AuditHeadKeeper:
    """Registered on a ``Database``: called after each commit that appended audit entries (any thread)."""

    def __init__(
        self,
        db: Database,
        data_dir: Path,
        *,
        publish: Callable[[str, bytes, int, bool], object] | None = None,
        topic: str = "",
        console: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = db.url
        self.path = head_path(data_dir)
        self.publish = publish
        self.topic = topic
        self.console = console
        self.clock = clock
        self._lock = threading.Lock()
        self._seq = 0
        self._published = 0
        db.audit_listeners.append(self.on_commit)

    def on_commit(self, seq: int, hash_: str) -> None:
        with self._lock:
            if seq <= self._seq:
                return
            self._seq = seq
            try:
                self._write(seq, hash_)
            except OSError as exc:
                log.error("the audit head could not be written to %s: %s", self.path, exc)
            self._publish(seq, hash_)

    def poll(self) -> None:
        """Publish a head another process of this console wrote to the file (the window's approvals)."""
        if self.publish is None:
            return
        try:
            kept = read_head(self.path)
        except UserError:
            return
        if kept is not None and kept.database == self.database:
            with self._lock:
                self._publish(kept.seq, kept.hash)

    def _write(self, seq: int, hash_: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.path):
            try:
                kept = read_head(self.path)
            except UserError:
                kept = None
            if kept is not None and kept.database == self.database and kept.seq >= seq:
                return
            body: dict[str, Any] = {
                "database": self.database,
                "seq": seq,
                "hash": hash_,
                "ts": self.clock().isoformat(),
            }
            tmp = self.path.with_name(self.path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(body, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)

    def _publish(self, seq: int, hash_: str) -> None:
        if self.publish is None or seq <= self._published:
            return
        self._published = seq
        body = {"ts": epoch_ms(self.clock()), "seq": seq, "hash": hash_, "console": self.console}
        try:
            self.publish(self.topic, dumps(body), 1, True)
        except Exception:
            log.exception("the audit head could not be published")


def broker_head(config: Config) -> tuple[int, str]:
    """The head (``seq``, hash) the cockpit keeps retained on the configured broker.

    A broker that cannot be reached, a topic with no retained head, or a head that is not one are each
    one ``UserError`` line: `audit verify` then says so instead of verifying without a head.
    """
    from cockpit.connection import read_retained
    from connectors.secrets import get_secret
    from connectors.topics import Topics

    if not config.mqtt.url:
        raise UserError("--head-broker needs the plant's broker: mqtt.url in the configuration, or --broker")
    password = get_secret("mqtt", config.mqtt.username) if config.mqtt.username else None
    topic = Topics(config.mqtt.root).audit_head()
    payload = read_retained(config, topic, f"audit-verify-{os.getpid()}", password, BROKER_WAIT_S)
    if payload is None:
        raise UserError(
            f"no audit head retained on {topic} at {config.mqtt.url} within {BROKER_WAIT_S:.0f} s "
            "(is the broker reachable, and has a cockpit with this database published since?)"
        )
    try:
        body = json.loads(payload)
        seq, hash_ = int(body["seq"]), str(body["hash"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"the audit head retained on {topic} is not one: {exc}") from None
    return seq, hash_
