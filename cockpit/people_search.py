"""The workers register's search at a large plant's size (issue 16: p95 at most 50 ms at 100,000 workers
with 150,000 certificates; ``bench/register_search.py``).

A substring match (``ILIKE '%text%'``) on the name, the ID and the employer's name cannot use a b-tree:
the database read every worker for a search that found few (SQLite and PostgreSQL alike). This index
keeps the searched words in memory as two strings, one line per worker in ID order: the ID, the name
and the employer's name in one (a substring anywhere), the certificate numbers in the other (each
behind a mark, so a search is a prefix of a number, as before). ``str.find`` walks a string of a few
megabytes in a few milliseconds, and a hit's worker is a bisection away; a search stops at ``limit``
workers. The database then reads those workers' rows by primary key.

It follows the register as the running core does (cockpit/register_live.py): every change of a worker,
a certificate or a contractor writes a ``register.*`` audit entry, and each search first reads the audit
log's newest ``seq`` (the primary key's end); an entry of a worker, certificate, contractor or import
after the one the index was built at rebuilds it (1.0-1.3 s at that size, on the screen's worker thread,
never the GUI's).
"""

from __future__ import annotations

import bisect
import threading
from array import array

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from connectors.database import Database
from models.schema import AuditEntry, Certificate, Contractor, Worker

_CERT = "\v"  # before each certificate number: a search for it is a prefix
_CUT = str.maketrans("", "", "\n\t\v")
# The audited changes that can change what a search finds: workers, certificates, contractors' names,
# imports (a detector or an area changed leaves the index as it is).
_SEARCHED = ("register.worker%", "register.certificate%", "register.contractor_%", "register.import")


def _words(text: str) -> str:
    return text.translate(_CUT).lower()


class WorkerSearch:
    """IDs of the workers matching a search text, in ID order (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._seen: int | None = None  # the newest audit entry when last checked (None: never built)
        self._ids: list[str] = []
        self._main, self._main_at = "", array("q")
        self._certs, self._certs_at = "", array("q")
        self._names, self._names_at = "", array("q")
        self._codes: list[str] = []  # the contractors, in (name, code) order
        self._firms, self._firms_at = "", array("q")

    def ids(self, text: str, limit: int) -> list[str]:
        """Up to ``limit`` worker IDs whose ID, name or employer's name holds ``text``, or one of whose
        certificate numbers starts with it; case is ignored."""
        needle = _words(text.strip())
        with self._lock:
            self._follow()
            if not needle:
                return self._ids[:limit]
            rows = set(_rows(self._main, self._main_at, needle, limit))
            rows.update(_rows(self._certs, self._certs_at, _CERT + needle, limit))
            return [self._ids[r] for r in sorted(rows)[:limit]]

    def ids_by_name(self, text: str, limit: int) -> list[str]:
        """Up to ``limit`` worker IDs whose name holds ``text`` (case ignored), in ID order: the contractor
        panel's substring step, which scanned every worker's name in SQL."""
        return self.by_name(text, limit)[0]

    def by_name(
        self, text: str, limit: int, *, workers: bool = True, session: Session | None = None
    ) -> tuple[list[str], list[str]]:
        """The contractor panel's substring steps: up to ``limit`` worker IDs (in ID order; none unless
        ``workers``) and contractor codes (in name and code order) whose name holds ``text``, case
        ignored. A scan of the 5,000 contractors' names was a twentieth of a keystroke on PostgreSQL.
        With ``session`` (the search's own) the register is followed in it: a transaction of its own
        was two more round trips a keystroke."""
        needle = _words(text.strip())
        with self._lock:
            self._follow(session)
            if not needle:
                return [], []
            ids = [self._ids[r] for r in _rows(self._names, self._names_at, needle, limit)] if workers else []
            codes = self._codes
            return ids, [codes[r] for r in _rows(self._firms, self._firms_at, needle, limit)]

    def _follow(self, session: Session | None = None) -> None:
        """Rebuild when a register change was audited since the last build (or never built)."""
        if session is not None:
            self._follow_in(session)
            return
        with self._db.session() as s:
            self._follow_in(s)

    def _follow_in(self, s: Session) -> None:
        newest = s.execute(select(func.max(AuditEntry.seq))).scalar() or 0
        if self._seen is not None and newest == self._seen:
            return
        if self._seen is not None:
            changed = s.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.seq > self._seen, or_(*(AuditEntry.action.like(a) for a in _SEARCHED)))
            ).scalar()
            if not changed:
                self._seen = newest
                return
        self._build(s)
        self._seen = newest

    def _build(self, s: Session) -> None:
        employer = aliased(Contractor)
        workers = sorted(  # in Python's order of the IDs: the lines and the bisection agree
            s.execute(
                select(Worker.id, Worker.name, employer.name).join(
                    employer, employer.code == Worker.contractor_code, isouter=True
                )
            ).all(),
            key=lambda row: row[0],
        )
        certs: dict[str, list[str]] = {}
        for worker_id, number in s.execute(select(Certificate.worker_id, Certificate.number)):
            certs.setdefault(worker_id, []).append(number)
        ids: list[str] = []
        main: list[str] = []
        certs_text: list[str] = []
        names: list[str] = []
        for worker_id, name, employer_name in workers:
            ids.append(worker_id)
            names.append(_words(name))
            main.append("\t".join(_words(w) for w in (worker_id, name, employer_name or "")))
            certs_text.append("".join(_CERT + _words(n) for n in certs.get(worker_id, ())))
        self._ids = ids
        self._main, self._main_at = _lines(main)
        self._certs, self._certs_at = _lines(certs_text)
        self._names, self._names_at = _lines(names)
        firms = sorted((name, code) for name, code in s.execute(select(Contractor.name, Contractor.code)))
        self._codes = [code for _, code in firms]
        self._firms, self._firms_at = _lines([_words(name) for name, _ in firms])


def _lines(parts: list[str]) -> tuple[str, array[int]]:
    """The parts as one string, each after a newline, and where each line starts."""
    starts, at = array("q"), 0
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    return "".join("\n" + p for p in parts), starts


def _rows(text: str, starts: array[int], needle: str, limit: int) -> list[int]:
    """The lines (by number) holding ``needle``, in order, at most ``limit``."""
    found: list[int] = []
    at = text.find(needle)
    while at >= 0 and len(found) < limit:
        row = bisect.bisect_right(starts, at) - 1
        found.append(row)
        if row + 1 >= len(starts):
            break
        at = text.find(needle, starts[row + 1])
    return found
