"""Fetching key-step photos (issue 23 part 6): what the size cap, the hash check and the cache cost.

Run: ``.venv/bin/python bench/photo_fetch.py [--mib 5] [--rounds 10]``. A real ``http.server`` on
127.0.0.1 (the tests' file store) serves one photo of ``--mib`` MiB. Timed, each ``--rounds`` times:
the baseline, a bare ``urllib.request.urlopen(...).read()`` of the same URL; ``PhotoFetcher.fetch`` into
an empty cache (download in chunks against the cap and the deadline, SHA-256, write and rename); and
``fetch`` from the cache (the file read and hashed again). The last line is one ``key=value`` line with
the medians and the ratios against the baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cockpit.photo_fetch import PhotoFetcher
from models.records import PhotoRef
from tests.support.file_store import FileStore, sha256


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    data = os.urandom(int(args.mib * 1024 * 1024))
    store = FileStore().start()
    folder = Path(tempfile.mkdtemp(prefix="photo-bench-"))
    try:
        ref = PhotoRef(store.put("photo.jpg", data), sha256(data), "site_cleared")
        fetcher = PhotoFetcher(folder / "photos", max_bytes=len(data) + 1)

        def bare() -> bytes:
            with urllib.request.urlopen(ref.url, timeout=10) as answer:
                return bytes(answer.read())

        def fresh() -> None:
            shutil.rmtree(folder / "photos", ignore_errors=True)
            assert fetcher.fetch(ref).verified

        def cached() -> None:
            assert fetcher.fetch(ref).attempts == 0

        baseline = median_ms(bare, args.rounds)
        fetched = median_ms(fresh, args.rounds)
        fetcher.fetch(ref)
        from_cache = median_ms(cached, args.rounds)
    finally:
        store.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.mib:g} MiB, median of {args.rounds}: bare read {baseline:.1f} ms,")
    print(f"fetch and check {fetched:.1f} ms, from the cache {from_cache:.1f} ms")
    print(
        f"photo_mib={args.mib:g} bare_ms={baseline:.1f} fetch_ms={fetched:.1f} cached_ms={from_cache:.1f} "
        f"fetch_ratio={fetched / baseline:.2f} cached_ratio={from_cache / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
