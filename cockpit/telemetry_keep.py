"""Trends that survive a restart: the core's store kept in a file of the data folder (issue 19, part 7).

The window's trends come from its mirror of the core's store, and both live in memory: a console
restarted during an incident showed empty trends. ``TrendKeeper`` (built by the core, so it runs in
the field process, in process, or in ``serve``) writes the store's history to ``trends-<console>.npz``
in the data folder every ``SAVE_EVERY_S`` and when the core stops in order, and loads what is younger
than the tiers keep when the core starts, before its thread runs. The first export after that carries
the history to the window's mirror (``StoreExport.seeds``), so the first trends have their past.

What is kept, per channel: the 60 s tier (min, max, mean as float32: 12 bytes a bucket, 1,441 buckets
for 24 h, 17 kB) and the newest native samples of the last 2 h, at most ``KEEP_NATIVE_MAX`` (t float64,
v float32, quality int8: 13 bytes a sample, 94 kB). At most about 111 kB a channel: 400 channels (a
100-detector plant), 44 MB. A file of narrower buckets that divide the store's (the 10 s tier before
issue 20) is merged into the store's width when read, so the trends survive that upgrade too.
Written to a temporary file, fsync'd, renamed over the old one: a crash
leaves the old file or the new one, whole. A file that cannot be read (corrupt, truncated, another
program's, another console's, another bucket width) is one log line and ignored; starting never fails
for it. The database is never read or written for it: nothing on the hot path.

One file per console id, as the outbox (``cockpit/outbox.py``): two consoles on one machine never
write each other's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from cockpit.telemetry import TelemetryStore
from cockpit.telemetry_buffers import BUCKET_S, HISTORY_S
from cockpit.telemetry_kept import KeptChannel, rebucket
from models.records import ChannelKey

log = logging.getLogger(__name__)

FORMAT = "cockpit-trends/1"
SAVE_EVERY_S = 60.0
KEEP_NATIVE_S = 7200.0  # the native ring's span
KEEP_NATIVE_MAX = 7200  # samples a channel at most: 2 h at 1 Hz; a 10 Hz channel keeps its last 12 min
# HISTORY_S and BUCKET_S: the store's defaults, which the core uses (``cockpit.telemetry_buffers``).


def trends_path(data_dir: Path, console: str) -> Path:
    """One file per console id: two consoles on one machine never share one."""
    return Path(data_dir) / f"trends-{console}.npz"


def write_kept(
    path: Path, items: Sequence[KeptChannel], *, console: str, bucket_s: float, now_s: float
) -> int:
    """Write ``items`` to ``path`` whole (temporary file, fsync, rename); returns the bytes written."""
    meta = {
        "format": FORMAT,
        "console": console,
        "bucket_s": bucket_s,
        "saved": now_s,
        "keys": [[*item.key, item.unit] for item in items],
    }
    arrays: dict[str, np.ndarray] = {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "first": np.array([item.first for item in items], dtype=np.int64),
        "buckets": np.array([len(item.mx) for item in items], dtype=np.int64),
        "samples": np.array([len(item.t) for item in items], dtype=np.int64),
        "mn": _join([item.mn for item in items], np.float32),
        "mx": _join([item.mx for item in items], np.float32),
        "mean": _join([item.mean for item in items], np.float32),
        "t": _join([item.t for item in items], np.float64),
        "v": _join([item.v for item in items], np.float32),
        "q": _join([item.q for item in items], np.int8),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        np.savez(out, **arrays)  # type: ignore[arg-type]  # numpy stubs: the names as allow_pickle
        out.flush()
        os.fsync(out.fileno())
        size = out.tell()
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # the rename itself on disk (POSIX; Windows has no directory fd)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return size


def _join(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


class ForeignFile(ValueError):
    """The file is not this console's kept trends (said in one line, then ignored)."""


def read_kept(path: Path, *, console: str, bucket_s: float) -> list[KeptChannel]:
    """The channels in ``path``; raises ``OSError``/``ValueError`` (``ForeignFile``) if it is not ours."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    missing = {"meta", "first", "buckets", "samples", "mn", "mx", "mean", "t", "v", "q"} - set(arrays)
    if missing:
        raise ForeignFile(f"not a trends file (no {', '.join(sorted(missing))})")
    meta = json.loads(arrays["meta"].tobytes().decode())
    if meta.get("format") != FORMAT:
        raise ForeignFile(f"format {meta.get('format')!r}, not {FORMAT!r}")
    if meta.get("console") != console:
        raise ForeignFile(f"console {meta.get('console')!r}'s, not {console!r}'s")
    kept_s = meta.get("bucket_s")
    factor = round(bucket_s / kept_s) if isinstance(kept_s, int | float) and kept_s > 0 else 0
    if factor < 1 or factor * kept_s != bucket_s:  # merged when they divide ours (``rebucket``)
        raise ForeignFile(f"{kept_s} s buckets, not {bucket_s} s")
    keys, first, buckets, samples = meta["keys"], arrays["first"], arrays["buckets"], arrays["samples"]
    n = len(keys)
    if not (len(first) == len(buckets) == len(samples) == n):
        raise ForeignFile("its channel tables differ in length")
    if (buckets < 0).any() or (samples < 0).any():
        raise ForeignFile("negative lengths")
    b_total, s_total = int(buckets.sum()), int(samples.sum())
    if not (len(arrays["mn"]) == len(arrays["mx"]) == len(arrays["mean"]) == b_total):
        raise ForeignFile("its bucket arrays do not match its table")
    if not (len(arrays["t"]) == len(arrays["v"]) == len(arrays["q"]) == s_total):
        raise ForeignFile("its sample arrays do not match its table")
    b_end, s_end = np.cumsum(buckets), np.cumsum(samples)
    out: list[KeptChannel] = []
    for i, (site, area, device, ch, unit) in enumerate(keys):
        b, s = (
            slice(int(b_end[i] - buckets[i]), int(b_end[i])),
            slice(int(s_end[i] - samples[i]), int(s_end[i])),
        )
        t = arrays["t"][s]
        if len(t) > 1 and (np.diff(t) < 0).any():
            raise ForeignFile(f"the samples of {site}/{area}/{device}/{ch} are not in time order")
        key = ChannelKey(str(site), str(area), str(device), str(ch))
        out.append(
            KeptChannel(
                key,
                str(unit),
                int(first[i]),
                arrays["mn"][b],
                arrays["mx"][b],
                arrays["mean"][b],
                t,
                arrays["v"][s],
                arrays["q"][s],
            )
        )
    return [rebucket(item, factor) for item in out] if factor > 1 else out


class TrendKeeper:
    """Loads the store's kept history at start, saves it every ``every_s`` and at stop (module docstring)."""

    def __init__(
        self,
        store: TelemetryStore,
        data_dir: Path,
        console: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        every_s: float = SAVE_EVERY_S,
    ) -> None:
        self.store = store
        self.path = trends_path(data_dir, console)
        self.console = console
        self.clock = clock
        self.every_s = every_s
        self.loaded = 0  # channels seeded at start
        self.saved = 0  # channels in the last file written
        self.save_s = 0.0  # how long the last save took (copy and write)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = ""  # the last save's failure, said once until it changes

    def start(self) -> None:
        """Load (before the core thread runs: no reading races it), then save on a thread of its own."""
        self.load()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cockpit-trends", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """After the core thread ended: the last save holds everything it wrote."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.save()

    def load(self) -> int:
        if not self.path.exists():
            return 0
        now_s = self.clock().timestamp()
        try:
            items = read_kept(self.path, console=self.console, bucket_s=BUCKET_S)
        except Exception as exc:  # whatever the file holds, starting goes on without it
            log.warning(
                "trends: %s ignored, the trends start empty (%s: %s)", self.path, type(exc).__name__, exc
            )
            return 0
        young = [
            kept
            for item in items
            if (kept := item.since(now_s - HISTORY_S, now_s - KEEP_NATIVE_S, now_s, BUCKET_S)) is not None
        ]
        self.loaded = self.store.restore(young)
        log.info(
            "trends: %d channels' history taken from %s (%d older dropped)",
            self.loaded,
            self.path,
            len(items) - len(young),
        )
        return self.loaded

    def save(self) -> bool:
        start = time.perf_counter()
        try:
            items = self.store.kept(KEEP_NATIVE_S, KEEP_NATIVE_MAX)
            write_kept(
                self.path, items, console=self.console, bucket_s=BUCKET_S, now_s=self.clock().timestamp()
            )
        except OSError as exc:
            text = f"{type(exc).__name__}: {exc}"
            if text != self._failing:
                log.warning("trends: could not keep the trends in %s (%s); trying again", self.path, text)
                self._failing = text
            return False
        if self._failing:
            log.info("trends: kept in %s again", self.path)
            self._failing = ""
        self.saved = len(items)
        self.save_s = time.perf_counter() - start
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.save()
