"""Contractor and worker lookup: search as you type, the two cards, and the plant's expiring certificates.

Why it is built this way:
- Search is for a person at a console typing a few characters, so every query is an index range
  (``col >= text AND col < text + U+FFFF``: a prefix match that SQLite and PostgreSQL both serve from
  a plain b-tree index, whatever the collation) before anything scans; a substring scan (``LIKE
  %text%``) runs only when the prefixes found fewer hits than asked for, and always with a LIMIT.
- Chinese names are matched as typed (prefix, then substring). Pinyin initials ("zs" for 张三) come
  from an in-memory :class:`InitialsIndex` built once with pypinyin (the schema has no initials
  column yet); it is optional, so a console that never types Latin letters never pays for it.
- The functions take a session and return plain records built inside it (no ORM object escapes).
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from cockpit.people_search import WorkerSearch
from cockpit.search_union import (
    Row,
    Step,
    certificate_step,
    contractor_step,
    run_union,
    union_of,
    worker_step,
)
from models.records import HotWorkGrade, PermitStatus, PermitType
from models.rules.permit_state import LIVE_STATUSES
from models.rules.workers import WARN_DAYS_FIRST, WARN_DAYS_SECOND
from models.schema import (
    Area,
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    Permit,
    PermitWorker,
    Worker,
    WorkerTraining,
)

HitKind = Literal["contractor", "worker", "certificate"]
Matched = Literal["code", "name", "worker_id", "certificate", "initials"]
CertState = Literal["valid", "expiring_60", "expiring_30", "expired"]

_HIGH = "\uffff"  # above every character a name or code holds: the end of a prefix range


@dataclass(frozen=True)
class SearchHit:
    """One result row; ``key`` opens the card (contractor code, or worker id for worker/certificate)."""

    kind: HitKind
    key: str
    title: str
    detail: str
    matched: Matched


@dataclass(frozen=True)
class CertificateRow:
    worker_id: str
    worker_name: str
    contractor: str | None
    number: str
    trade: str
    valid_from: date | None
    valid_to: date
    review_due: date | None
    state: CertState
    days_left: int


@dataclass(frozen=True)
class QualificationRow:
    name: str
    number: str
    valid_to: date | None
    state: CertState | Literal["no_date"]
    days_left: int | None


@dataclass(frozen=True)
class PermitRow:
    permit_id: str
    type: PermitType
    grade: HotWorkGrade | None
    status: PermitStatus
    site: str
    area: str
    area_name: str
    valid_from: datetime
    valid_to: datetime

    @property
    def current(self) -> bool:
        return self.status in LIVE_STATUSES


@dataclass(frozen=True)
class WorkerRow:
    worker_id: str
    name: str
    trade: str
    worst_state: CertState | Literal["none"]  # the worst of the worker's current certificates
    next_expiry: date | None


@dataclass(frozen=True)
class ContractorCard:
    code: str
    name: str
    grade: str
    blacklisted: bool
    blacklist_reason: str
    qualifications: list[QualificationRow]
    violations: list[tuple[datetime, str, int]]
    violation_points: int
    workers: list[WorkerRow]
    permits: list[PermitRow]  # current (live) permits


@dataclass(frozen=True)
class WorkerCard:
    worker_id: str
    name: str
    contractor_code: str | None
    contractor_name: str
    trade: str
    phone: str
    certificates: list[CertificateRow]
    trainings: list[tuple[str, date, str]]  # name, trained on, authorised scope
    permits: list[PermitRow]  # current first, then the most recent past ones


# ---------------------------------------------------------------- helpers


def certificate_state(valid_to: date, today: date) -> tuple[CertState, int]:
    """The certificate's state on ``today`` and its days left (negative once expired)."""
    days = (valid_to - today).days
    if days < 0:
        return "expired", days
    if days <= WARN_DAYS_SECOND:
        return "expiring_30", days
    if days <= WARN_DAYS_FIRST:
        return "expiring_60", days
    return "valid", days


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _variants(text: str) -> list[str]:
    """The text as typed and, for identifiers typed in lower case, upper case (codes are upper case)."""
    out = [text]
    if text.upper() != text:
        out.append(text.upper())
    return out


def initials_of(name: str) -> str:
    """Pinyin initials of a name, lower case (张三 → zs); Latin letters and digits are kept as they are."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=list)  # type: ignore[arg-type]  # list: keep other characters one by one
    return "".join(p[:1] for p in parts if p).lower().replace(" ", "")


def _is_initials_query(text: str) -> bool:
    return len(text) >= 2 and text.isascii() and text.isalpha()


class InitialsIndex:
    """Pinyin initials of every contractor and worker name, sorted for prefix look-up (bisect).

    Built once from the database (about a second per 100,000 names); :meth:`refresh` rebuilds it, e.g.
    after an import. Thread-safe for readers while a rebuild swaps the tables in one assignment.
    """

    def __init__(self, entries: Iterable[tuple[str, HitKind, str, str, str]] = ()) -> None:
        rows = sorted(entries)
        self._keys = [r[0] for r in rows]
        self._rows = rows

    @classmethod
    def build(cls, session: Session) -> InitialsIndex:
        entries: list[tuple[str, HitKind, str, str, str]] = []
        cache: dict[str, str] = {}

        def initials(name: str) -> str:
            hit = cache.get(name)
            if hit is None:
                hit = cache[name] = initials_of(name)
            return hit

        for code, name in session.execute(select(Contractor.code, Contractor.name)):
            entries.append((initials(name), "contractor", code, name, code))
        for wid, name, trade in session.execute(select(Worker.id, Worker.name, Worker.trade)):
            entries.append((initials(name), "worker", wid, name, f"{wid} · {trade}" if trade else wid))
        return cls(entries)

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, text: str, limit: int) -> list[SearchHit]:
        key = text.lower()
        keys, rows = self._keys, self._rows
        start = bisect.bisect_left(keys, key)
        out: list[SearchHit] = []
        for i in range(start, len(rows)):
            if not keys[i].startswith(key) or len(out) >= limit:
                break
            _, kind, hit_key, title, detail = rows[i]
            out.append(SearchHit(kind, hit_key, title, detail, "initials"))
        return out


class ContractorDirectory:
    """Search with the pinyin index kept for the program's life (built lazily, on first use)."""

    def __init__(
        self, sessions: Callable[[], AbstractContextManager[Session]], *, names: WorkerSearch | None = None
    ) -> None:
        self._sessions = sessions
        self._names = names  # the workers' names in memory: the substring step reads no table
        self._index: InitialsIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> InitialsIndex:
        with self._lock:
            if self._index is None:
                with self._sessions() as s:
                    self._index = InitialsIndex.build(s)
            return self._index

    def refresh(self) -> None:
        with self._sessions() as s:
            fresh = InitialsIndex.build(s)
        with self._lock:
            self._index = fresh

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        index = self.index() if _is_initials_query(text.strip()) else None
        with self._sessions() as s:
            return search(s, text, limit, initials=index, names=self._names)

    def contractor_card(self, code: str, today: date) -> ContractorCard | None:
        with self._sessions() as s:
            return contractor_card(s, code, today=today)

    def worker_card(self, worker_id: str, today: date) -> WorkerCard | None:
        with self._sessions() as s:
            return worker_card(s, worker_id, today=today)

    def expiring_certificates(
        self, today: date
    ) -> tuple[list[CertificateRow], list[CertificateRow], list[CertificateRow]]:
        with self._sessions() as s:
            return expiring_certificates(s, today)


# ---------------------------------------------------------------- search


def search(
    session: Session,
    text: str,
    limit: int = 50,
    *,
    initials: InitialsIndex | None = None,
    names: WorkerSearch | None = None,
) -> list[SearchHit]:
    """Contractors, workers and certificates matching ``text``: exact and prefix matches first,
    then substrings of names, then pinyin initials (when an index is given). With ``names`` the
    workers' and contractors' name substrings are found in memory (``cockpit/people_search.py``), not
    by a table scan. The SQL steps run as one statement (``_search_statement``)."""
    text = text.strip()
    if not text or limit <= 0:
        return []
    variants = _variants(text)
    params: dict[str, object] = {"limit": limit, "text": text, "text_hi": text + _HIGH}
    for i, variant in enumerate(variants):
        params[f"v{i}"], params[f"v{i}_hi"] = variant, variant + _HIGH
    params["inside"] = f"%{_like_escape(text)}%"
    # Names hold no digits: text like "W-10" or "T3414" is an identifier, and scanning 100,000 names
    # for it would only cost time.
    identifier = text.isascii() and any(ch.isdigit() for ch in text)
    inside: Literal["like", "ids"] | None = None if identifier else "like"
    firms: Literal["like", "codes"] | None = "like"
    if names is not None:  # both substring steps from the names in memory
        params["ids"], params["codes"] = names.by_name(text, limit, workers=not identifier, session=session)
        inside = "ids" if params["ids"] else None
        firms = "codes" if params["codes"] else None
    stmt, kinds = _search_statement(len(variants), inside, firms)
    found = iter(run_union(session, stmt, len(kinds), params))
    hits = _Hits(limit)
    for n, (kind, matched) in enumerate(kinds):
        hits.add(_hits(kind, matched, next(found)))
        if n == _STEPS_A_VARIANT * len(variants) + 1 and initials is not None and _is_initials_query(text):
            hits.add(initials.lookup(text, limit))
    return hits.found


_STEPS_A_VARIANT = 3  # code, worker ID, certificate: the pinyin initials follow these and the 2 name prefixes


@functools.lru_cache(maxsize=8)
def _search_statement(
    variants: int, inside: Literal["like", "ids"] | None, firms: Literal["like", "codes"] | None
) -> tuple[Select[int, int, str, str, str, str], list[tuple[HitKind, Matched]]]:
    """The search's SQL steps as one statement (built once per shape), and each step's kind of hit: the
    steps in the order their hits count, each asking for ``limit`` rows (a step after others that found
    some would have asked for fewer, but those are the first of its rows, and the hits stop at
    ``limit`` all the same)."""
    limit = bindparam("limit", type_=Integer)
    steps: list[Step] = []
    kinds: list[tuple[HitKind, Matched]] = []

    def prefix(column: InstrumentedAttribute[str], name: str) -> ColumnElement[bool]:
        return and_(column >= bindparam(name), column < bindparam(f"{name}_hi"))

    for i in range(variants):
        steps.append(contractor_step(prefix(Contractor.code, f"v{i}"), limit))
        steps.append(worker_step(prefix(Worker.id, f"v{i}"), ("key",), limit))
        steps.append(certificate_step(prefix(Certificate.number, f"v{i}"), limit))
        kinds += [("contractor", "code"), ("worker", "worker_id"), ("certificate", "certificate")]
    steps.append(contractor_step(prefix(Contractor.name, "text"), limit, by_name=True))
    steps.append(worker_step(prefix(Worker.name, "text"), ("title", "key"), limit))
    kinds += [("contractor", "name"), ("worker", "name")]
    if firms == "like":
        inner = Contractor.name.like(bindparam("inside"), escape="\\")
        steps.append(contractor_step(inner, limit, by_name=True))
    elif firms == "codes":
        codes = Contractor.code.in_(bindparam("codes", expanding=True))
        steps.append(contractor_step(codes, limit, by_name=True))
    if firms is not None:
        kinds.append(("contractor", "name"))
    if inside == "like":
        steps.append(worker_step(Worker.name.like(bindparam("inside"), escape="\\"), (), limit))
    elif inside == "ids":
        steps.append(worker_step(Worker.id.in_(bindparam("ids", expanding=True)), ("key",), limit))
    if inside is not None:
        kinds.append(("worker", "name"))
    return union_of(steps), kinds


class _Hits:
    """The hits so far, each contractor, worker or certificate once, at most ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: list[SearchHit] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, rows: Iterable[SearchHit]) -> None:
        for hit in rows:
            ident = (hit.kind, hit.key) if hit.kind != "certificate" else ("certificate", hit.detail)
            if ident not in self._seen and len(self.found) < self.limit:
                self._seen.add(ident)
                self.found.append(hit)


def _hits(kind: HitKind, matched: Matched, rows: list[Row]) -> list[SearchHit]:
    if kind == "contractor":
        return [SearchHit(kind, key, title, key, matched) for key, title, _, _ in rows]
    if kind == "worker":
        return [
            SearchHit(kind, key, title, _worker_detail(key, a or "", b), matched) for key, title, a, b in rows
        ]
    return [SearchHit(kind, key, title, f"{a} · {b}", matched) for key, title, a, b in rows]


def _worker_detail(wid: str, trade: str, contractor: str | None) -> str:
    return " · ".join(part for part in (wid, trade, contractor or "") if part)


# ---------------------------------------------------------------- cards


def _permit_rows(session: Session, stmt: Select[Permit, str]) -> list[PermitRow]:
    return [
        PermitRow(
            p.id,
            p.type,
            p.effective_grade or p.grade,
            p.status,
            p.site_id,
            p.area_id,
            area_name,
            p.valid_from,
            p.valid_to,
        )
        for p, area_name in session.execute(stmt)
    ]


def _with_area(stmt: Select[Permit, str]) -> Select[Permit, str]:
    return stmt.join(Area, and_(Area.site_id == Permit.site_id, Area.id == Permit.area_id))


def contractor_card(session: Session, code: str, *, today: date) -> ContractorCard | None:
    """Grade, qualifications and their validity, violations, workers with certificates, current permits."""
    row = session.get(Contractor, code)
    if row is None:
        return None
    qualifications = []
    for q in session.scalars(
        select(ContractorQualification)
        .where(ContractorQualification.contractor_code == code)
        .order_by(ContractorQualification.name, ContractorQualification.valid_to)
    ):
        if q.valid_to is None:
            qualifications.append(QualificationRow(q.name, q.number, None, "no_date", None))
        else:
            state, days = certificate_state(q.valid_to, today)
            qualifications.append(QualificationRow(q.name, q.number, q.valid_to, state, days))
    violations = [
        (v.at, v.description, v.points)
        for v in session.scalars(
            select(ContractorViolation)
            .where(ContractorViolation.contractor_code == code)
            .order_by(ContractorViolation.at.desc())
        )
    ]
    workers = session.execute(
        select(Worker.id, Worker.name, Worker.trade)
        .where(Worker.contractor_code == code)
        .order_by(Worker.name, Worker.id)
        .limit(500)
    ).all()
    ids = [w.id for w in workers]
    latest: dict[tuple[str, str], date] = {}
    for wid, trade, valid_to in (
        session.execute(
            select(Certificate.worker_id, Certificate.trade, Certificate.valid_to).where(
                Certificate.worker_id.in_(ids)
            )
        )
        if ids
        else ()
    ):
        key = (wid, trade)
        if key not in latest or valid_to > latest[key]:
            latest[key] = valid_to
    per_worker: dict[str, list[date]] = {}
    for (wid, _trade), valid_to in latest.items():
        per_worker.setdefault(wid, []).append(valid_to)
    order: Sequence[str] = ("expired", "expiring_30", "expiring_60", "valid")
    worker_rows = []
    for w in workers:
        ends = per_worker.get(w.id, [])
        if not ends:
            worker_rows.append(WorkerRow(w.id, w.name, w.trade, "none", None))
            continue
        states = [certificate_state(e, today)[0] for e in ends]
        worker_rows.append(WorkerRow(w.id, w.name, w.trade, min(states, key=order.index), min(ends)))
    permits = _permit_rows(
        session,
        _with_area(select(Permit, Area.name))
        .where(Permit.contractor_code == code, Permit.status.in_(list(LIVE_STATUSES)))
        .order_by(Permit.valid_from),
    )
    return ContractorCard(
        code=row.code,
        name=row.name,
        grade=str(row.grade),
        blacklisted=row.blacklisted,
        blacklist_reason=row.blacklist_reason or "",
        qualifications=qualifications,
        violations=violations,
        violation_points=sum(v[2] for v in violations),
        workers=worker_rows,
        permits=permits,
    )


def worker_card(
    session: Session, worker_id: str, *, today: date, past_permits: int = 50
) -> WorkerCard | None:
    """Trade, certificates, training and authorised scope, permits present and past."""
    worker = session.get(Worker, worker_id)
    if worker is None:
        return None
    contractor = session.get(Contractor, worker.contractor_code) if worker.contractor_code else None
    certificates = []
    for c in session.scalars(
        select(Certificate).where(Certificate.worker_id == worker_id).order_by(Certificate.valid_to.desc())
    ):
        state, days = certificate_state(c.valid_to, today)
        certificates.append(
            CertificateRow(
                worker.id,
                worker.name,
                worker.contractor_code,
                c.number,
                c.trade,
                c.valid_from,
                c.valid_to,
                c.review_due,
                state,
                days,
            )
        )
    trainings = [
        (t.name, t.trained_on, t.scope)
        for t in session.scalars(
            select(WorkerTraining)
            .where(WorkerTraining.worker_id == worker_id)
            .order_by(WorkerTraining.trained_on.desc())
        )
    ]
    base = _with_area(select(Permit, Area.name).join(PermitWorker, PermitWorker.permit_id == Permit.id))
    current = _permit_rows(
        session,
        base.where(PermitWorker.worker_id == worker_id, Permit.status.in_(list(LIVE_STATUSES))).order_by(
            Permit.valid_from
        ),
    )
    past = _permit_rows(
        session,
        base.where(PermitWorker.worker_id == worker_id, Permit.status.not_in(list(LIVE_STATUSES)))
        .order_by(Permit.valid_from.desc())
        .limit(past_permits),
    )
    return WorkerCard(
        worker_id=worker.id,
        name=worker.name,
        contractor_code=worker.contractor_code,
        contractor_name=contractor.name if contractor else "",
        trade=worker.trade,
        phone=worker.phone,
        certificates=certificates,
        trainings=trainings,
        permits=current + past,
    )


def expiring_certificates(
    session: Session, today: date, *, expired_since_days: int = 365, limit: int = 2000
) -> tuple[list[CertificateRow], list[CertificateRow], list[CertificateRow]]:
    """Plant-wide: certificates expiring within 30 days, within 31–60 days, and expired.

    A certificate replaced by a later one of the same worker and trade is left out (renewed, nothing
    to do); expired ones are listed back to ``expired_since_days`` (a worker who left years ago is
    not news), most recently expired first.
    """
    newer = aliased(Certificate)
    renewed = exists().where(
        newer.worker_id == Certificate.worker_id,
        newer.trade == Certificate.trade,
        newer.valid_to > Certificate.valid_to,
    )
    rows = session.execute(
        select(Certificate, Worker.name, Worker.contractor_code)
        .join(Worker, Worker.id == Certificate.worker_id)
        .where(
            Certificate.valid_to >= today - timedelta(days=expired_since_days),
            Certificate.valid_to <= today + timedelta(days=WARN_DAYS_FIRST),
            ~renewed,
        )
        .order_by(Certificate.valid_to, Certificate.number)
        .limit(limit)
    ).all()
    within_30: list[CertificateRow] = []
    within_60: list[CertificateRow] = []
    expired: list[CertificateRow] = []
    for c, name, contractor in rows:
        state, days = certificate_state(c.valid_to, today)
        row = CertificateRow(
            c.worker_id,
            name,
            contractor,
            c.number,
            c.trade,
            c.valid_from,
            c.valid_to,
            c.review_due,
            state,
            days,
        )
        {"expired": expired, "expiring_30": within_30, "expiring_60": within_60}.get(state, []).append(row)
    expired.reverse()
    return within_30, within_60, expired
