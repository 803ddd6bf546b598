"""The telemetry history's memory bound (issue 20, "Memory bounded"): RSS of a process whose store holds
CHANNELS channels with full history, against the bound's formula, and against the layout before it.

Each side runs in a process of its own (RSS is per process): this tree, and the tree of ``--before``
(the last commit with the unbounded layout: 72,000 float64 native samples, 10 s buckets) exported
with ``git archive``. A process imports the store, measures its RSS (the base), creates CHANNELS
channels (four a detector, as the field sends) by ``ingest``, then writes 26 h of synthetic samples
straight into the store's two tiers, an hour at a time (``_write``, as a flush does; not over MQTT):
90 % of the channels at 1 Hz, 10 % at 10 Hz (both fill the native cap), gas readings 0-5 %LEL.
RSS is read after 2 h (native rings full), 24 h (the 24 h tier full), 25 h and 26 h: once full it
must stay flat. Then one more detector reports: its channels are over the bound (counted, not kept).

The formula (``cockpit.telemetry_buffers.bound_bytes``): channels x (native_capacity x 13 + buckets x 16)
bytes with float32 values (17 a sample where a channel's values reach +-65,536), buckets =
24 h / 60 s + 1; predicted RSS = the process with its channels created (their objects, measured)
+ the bound. The final line: the ratio RSS / predicted
(<= 1.0: the bound holds) and RSS after / before.

Usage: PYTHONPATH=. .venv/bin/python bench/memory_bound.py [CHANNELS] [--before REV]
       [--before-channels N]   (the layout before at fewer channels, scaled per channel; default all)
       [--window]              (also a process with Qt and every screen's module, as the window's)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BEFORE = "3b936f6"  # the last commit before the bound: its store is the baseline
HOURS = 26
CHECK_AT = (2, 24, 25, 26)  # hours after which RSS is read
MIB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def fill(store, held: list, start: float) -> tuple[dict[int, int], float]:  # type: ignore[no-untyped-def, type-arg]
    """Write HOURS of samples into ``held`` channels, an hour at a time; RSS at the CHECK_AT hours."""
    import numpy as np

    rates = [10.0 if i % 10 == 9 else 1.0 for i in range(len(held))]
    rng = np.random.default_rng(20)
    values = {r: (rng.random(int(3600 * r)) * 5.0) for r in set(rates)}
    steps = {r: np.arange(int(3600 * r), dtype=np.float64) / r for r in set(rates)}
    quality = {r: np.zeros(int(3600 * r), dtype=np.int8) for r in set(rates)}
    rss_at: dict[int, int] = {}
    began = time.perf_counter()
    for hour in range(HOURS):
        for channel, rate in zip(held, rates, strict=True):
            t = steps[rate] + (start + hour * 3600.0)
            with store._lock:
                store._write(channel, t, values[rate], quality[rate])
        if hour + 1 in CHECK_AT:
            rss_at[hour + 1] = rss_bytes()
    return rss_at, time.perf_counter() - began


def array_bytes(held: list) -> int:  # type: ignore[type-arg]
    total = 0
    for channel in held:
        ring, buckets = channel.ring, channel.buckets
        total += ring.t.nbytes + ring.v.nbytes + ring.q.nbytes
        names = [n for n in ("bno", "mn", "mx", "mean", "cnt") if hasattr(buckets, n)]  # "cnt": before
        total += sum(getattr(buckets, n).nbytes for n in names)
    return total


def bounds(store, channels: int) -> tuple[int | None, int | None]:  # type: ignore[no-untyped-def]
    """The formula's bound (float32 values, and every value float64); None before the bound existed."""
    try:
        from cockpit.telemetry_buffers import bound_bytes
    except ImportError:
        return None, None
    n = min(channels, store.max_channels)
    return bound_bytes(n), bound_bytes(n, wide=True)


def child(channels: int, window: bool) -> None:
    """Fill a store of the ``cockpit`` on ``sys.path`` and print one JSON line of figures; ``window``:
    in a process that has the window's modules and a QApplication (the mirror's process)."""
    if window:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        app = QApplication([])  # noqa: F841  (held for the run)
        import views.main_window  # noqa: F401  (every screen's module, as the window imports them)

    from cockpit.telemetry import TelemetryStore
    from models.records import Reading, SensorMessage

    store = TelemetryStore(default_max_age_s=30.0)
    base = rss_bytes()
    names = ("LEL", "O2", "CO", "H2S")
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    devices = (channels + len(names) - 1) // len(names)

    def report(device: int, at: datetime) -> None:
        readings = tuple(Reading(name, 1.0, "%LEL") for name in names)
        message = SensorMessage("S1", f"A{device % 20}", f"GD-{device}", at, readings, None, 30.0)
        store.ingest([message], at)

    for d in range(devices):
        report(d, t0)
    created = rss_bytes()  # the channels' objects (key, device, state, empty buffers)
    held = list(store._channels.values())[:channels]
    rss_at, fill_s = fill(store, held, t0.timestamp() + 1.0)
    arrays = array_bytes(held)
    end = t0 + timedelta(hours=HOURS, seconds=2)
    report(devices, end)  # one detector more: over the bound where there is one
    over = getattr(store, "without_history", None)
    trimmed = None
    try:  # what of the RSS is the allocator's free memory (glibc), not the store's
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        trimmed = rss_bytes()
    except OSError:
        pass
    bound, bound_wide = bounds(store, channels)
    history = store.history(held[-1].key, end - timedelta(hours=24), end)[0]
    figures = {
        "channels": len(held),
        "base": base,
        "created": created,
        "rss_at": rss_at,
        "arrays": arrays,
        "trimmed": trimmed,
        "bound": bound,
        "bound_wide": bound_wide,
        "over_bound": over,
        "native_last": len(store.recent(held[-1].key, 7200, end)[0]),
        "buckets_24h": len(history),
        "fill_s": round(fill_s, 1),
    }
    print(json.dumps(figures))


def run_side(tree: Path, channels: int, window: bool = False) -> dict:  # type: ignore[type-arg]
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(channels)]
        + (["--window"] if window else []),
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"memory_bound: the run in {tree} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_tree(rev: str, into: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", rev, "cockpit", "models", "connectors"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        sys.exit(f"memory_bound: cannot export {rev}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def show(name: str, f: dict) -> None:  # type: ignore[type-arg]
    at = ", ".join(f"{h} h {v / MIB:.0f}" for h, v in f["rss_at"].items())
    per = (f["rss_at"][str(HOURS)] - f["base"]) / f["channels"] / 1024
    objects = (f["created"] - f["base"]) / f["channels"] / 1024
    print(
        f"{name}: {f['channels']:,} channels, base {f['base'] / MIB:.0f} MiB, with the channels "
        f"{f['created'] / MIB:.0f} MiB ({objects:.1f} kB each), RSS after {at} MiB "
        f"({per:.0f} kB a channel over the base); arrays {f['arrays'] / MIB:.0f} MiB; "
        f"RSS after malloc_trim {(f['trimmed'] or 0) / MIB:.0f} MiB; "
        f"native of a 10 Hz channel {f['native_last']:,} samples, 24 h tier {f['buckets_24h']:,} buckets; "
        f"over the bound {f['over_bound']}; filled in {f['fill_s']} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("channels", nargs="?", type=int, default=5000)
    parser.add_argument("--before", default=BEFORE, help="the commit whose store is the baseline")
    parser.add_argument("--before-channels", type=int, default=0, help="baseline channels (default: all)")
    parser.add_argument("--window", action="store_true", help="also in a process with Qt and the screens")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.channels < 10:
        sys.exit("memory_bound: CHANNELS must be at least 10")
    if args.child:
        child(args.channels, args.window)
        return
    root = Path(__file__).resolve().parent.parent
    print(f"memory_bound: {args.channels:,} channels, {HOURS} h written an hour at a time", flush=True)
    after = run_side(root, args.channels)
    show("after", after)
    window = run_side(root, args.channels, window=True) if args.window else None
    if window is not None:
        show("after, in a process with Qt and the screens (the window's mirror)", window)
    before_n = args.before_channels or args.channels
    with tempfile.TemporaryDirectory(prefix="memory-bound-") as folder:
        tree = Path(folder)
        export_tree(args.before, tree)
        (tree / "bench").mkdir(exist_ok=True)
        before = run_side(tree, before_n)
    show(f"before ({args.before})", before)
    last = str(HOURS)
    rss = after["rss_at"][last]
    predicted = after["created"] + after["bound"]
    flat = after["rss_at"][last] / after["rss_at"]["24"]
    before_per = (before["rss_at"][last] - before["base"]) / before["channels"]
    before_rss = before["base"] + before_per * args.channels  # scaled when run at fewer channels
    print(
        f"formula: {after['channels']:,} x (8,192 x 13 + 1,441 x 16) = {after['bound'] / MIB:.0f} MiB "
        f"+ the process with its channels {after['created'] / MIB:.0f} = {predicted / MIB:.0f} MiB "
        f"predicted; RSS {rss / MIB:.0f} MiB (worst case, every value float64: "
        f"{(after['created'] + after['bound_wide']) / MIB:.0f} MiB)"
    )
    print(
        f"channels={after['channels']} rss_mib={rss / MIB:.0f} predicted_mib={predicted / MIB:.0f} "
        f"ratio={rss / predicted:.3f} flat_24h_to_{HOURS}h={flat:.3f} over_bound={after['over_bound']} "
        f"before_rss_mib={before_rss / MIB:.0f} after_over_before={rss / before_rss:.3f} "
        f"goal_1gib={'met' if rss <= 1024 * MIB else 'missed'}"
        + (f" window_rss_mib={window['rss_at'][last] / MIB:.0f}" if window is not None else "")
    )


if __name__ == "__main__":
    main()
