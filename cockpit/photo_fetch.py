"""Fetching key-step photos from the plant's file store (issue 23): size cap, time-out, retries, a cache.

The field app uploads a photo to the file store and sends its URL and the SHA-256 of its content
(contract §4 and the inspection results, ``photos``). ``PhotoFetcher.fetch`` downloads it over HTTP(S)
and checks the hash: only a file whose content matches is **verified** and kept in the cache folder
(the data folder's ``photos/``, named by its hash, written whole or not at all); a file that does not
match is **tampered** and never kept or shown. A file over the size cap (the announced length or what
arrived) is **too_large**, a 4xx answer **not_found**, no answer (refused, time-out, a 5xx, a broken
connection) **unreachable** after the retries. Each outcome is counted (``counts``).

It blocks for the time-out and the retries: callers run it off the GUI thread and away from the core
thread (the permit detail's own worker, ``views/permit_detail_view.py``). Only http and https are
fetched, redirects included; never a local file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from models.records import PhotoRef
from models.rules.photo_evidence import NOT_FOUND, TAMPERED, TOO_LARGE, UNREACHABLE, VERIFIED

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CACHE_DIR = "photos"


@dataclass(frozen=True, slots=True)
class FetchedPhoto:
    """One photo reference and what its fetch came to; ``path`` only for a verified file."""

    ref: PhotoRef
    state: str
    path: Path | None = None
    size: int = 0  # bytes read (for too_large: the announced or read length past the cap)
    attempts: int = 0  # network tries (0: from the cache)

    @property
    def verified(self) -> bool:
        return self.state == VERIFIED


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _opener() -> urllib.request.OpenerDirector:
    """http and https only (redirects included); no file:, ftp: or data: handler."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class PhotoFetcher:
    """Fetches, checks and caches photos; thread-safe (the counts under a lock, the cache by rename)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout_s: float = 10.0,
        retries: int = 2,
        retry_wait_s: float = 0.5,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self.retries = retries
        self.retry_wait_s = retry_wait_s
        self._opener = _opener()
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        # Outcomes that another fetch would give again (tampered, not found, too large), by reference:
        # what the approval queue's marks read without the network (``known``).
        self._settled: dict[tuple[str, str], str] = {}

    @property
    def counts(self) -> dict[str, int]:
        """Outcomes since this fetcher was made, by state, and ``cached`` for files found in the cache."""
        with self._lock:
            return dict(self._counts)

    def _count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def cached(self, sha256: str) -> Path | None:
        """The verified file of this hash in the cache, if it is there and still matches."""
        path = self.cache_dir / f"{sha256}.photo"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha256:  # damaged on disk: fetch it again
            log.warning("cached photo %s does not match its hash; fetching it again", path.name)
            path.unlink(missing_ok=True)
            return None
        return path

    def known(self, ref: PhotoRef) -> str | None:
        """What a fetch of ``ref`` came to, without the network: verified (in the cache), or a failure
        another fetch would give again (tampered, not found, too large) seen since the program started;
        None when it was never fetched, or its store did not answer."""
        if self.cached(ref.sha256) is not None:
            return VERIFIED
        with self._lock:
            return self._settled.get((ref.url, ref.sha256))

    def fetch(self, ref: PhotoRef) -> FetchedPhoto:
        """The photo from the cache, else from the store, its hash checked; never raises for the store."""
        path = self.cached(ref.sha256)
        if path is not None:
            self._count("cached")
            self._count(VERIFIED)
            return FetchedPhoto(ref, VERIFIED, path, path.stat().st_size, 0)
        result = self._download(ref)
        self._count(result.state)
        if result.state in (TAMPERED, NOT_FOUND, TOO_LARGE):
            with self._lock:
                self._settled[(ref.url, ref.sha256)] = result.state
        return result

    def fetch_all(self, refs: Sequence[PhotoRef]) -> list[FetchedPhoto]:
        """Each of ``refs`` in order; a host that did not answer is not tried again for the rest (a dead
        store costs one time-out, not one per photo), though what the cache holds still counts."""
        out: list[FetchedPhoto] = []
        dead: set[str] = set()
        for ref in refs:
            host = urlsplit(ref.url).netloc
            if host in dead and self.cached(ref.sha256) is None:
                out.append(FetchedPhoto(ref, UNREACHABLE))
                continue
            fetched = self.fetch(ref)
            if fetched.state == UNREACHABLE:
                dead.add(host)
            out.append(fetched)
        return out

    def _download(self, ref: PhotoRef) -> FetchedPhoto:
        if urlsplit(ref.url).scheme not in ("http", "https"):
            return FetchedPhoto(ref, NOT_FOUND)
        attempts = 0
        while True:
            attempts += 1
            try:
                data = self._read(ref.url)
            except _TooLarge as exc:
                return FetchedPhoto(ref, TOO_LARGE, size=exc.size, attempts=attempts)
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    log.info("photo %s: the store answered %s", ref.url, exc.code)
                    return FetchedPhoto(ref, NOT_FOUND, attempts=attempts)
                reason = f"HTTP {exc.code}"
            except (OSError, ValueError) as exc:  # URLError, refused, time-out, reset, a bad URL
                reason = type(exc).__name__
            else:
                if hashlib.sha256(data).hexdigest() != ref.sha256:
                    log.warning("photo %s does not match its hash %s: flagged", ref.url, ref.sha256)
                    return FetchedPhoto(ref, TAMPERED, size=len(data), attempts=attempts)
                return FetchedPhoto(ref, VERIFIED, self._keep(ref.sha256, data), len(data), attempts)
            if attempts > self.retries:
                log.warning(
                    "photo %s: the store could not be reached (%s, %d tries)", ref.url, reason, attempts
                )
                return FetchedPhoto(ref, UNREACHABLE, attempts=attempts)
            time.sleep(self.retry_wait_s * attempts)

    def _read(self, url: str) -> bytes:
        """The body, at most ``max_bytes``, within ``timeout_s`` per read and twice that in all."""
        deadline = time.monotonic() + 2 * self.timeout_s
        with self._opener.open(url, timeout=self.timeout_s) as answer:
            announced = answer.headers.get("Content-Length")
            if announced is not None and announced.isdigit() and int(announced) > self.max_bytes:
                raise _TooLarge(int(announced))
            parts: list[bytes] = []
            size = 0
            while chunk := answer.read(CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise _TooLarge(size)
                if time.monotonic() > deadline:  # a store that trickles is as good as none
                    raise TimeoutError("the photo took longer than its deadline")
                parts.append(chunk)
            return b"".join(parts)

    def _keep(self, sha256: str, data: bytes) -> Path:
        """Into the cache whole (a temporary file renamed), named by its hash."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / f"{sha256}.photo"
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return path
