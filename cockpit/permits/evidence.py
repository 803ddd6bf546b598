"""A permit's key-step photos as evidence (issue 23): the references its events carried, fetched and
checked, and the steps its type requires judged against them.

``PermitEvidence.read`` runs off the GUI thread (the permit detail's own worker): one database read of the
permit's events, then a fetch per photo (``cockpit/photo_fetch.py``: cache, size cap, time-out, retries).
Once a store's host did not answer, the permit's other photos on that host are not tried again in the
same read (``PhotoFetcher.fetch_all``): a dead store costs one time-out, and the screen says it once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from sqlalchemy import select

from cockpit.config import Config, user_data_dir
from cockpit.permits.records import SessionSource
from cockpit.photo_fetch import CACHE_DIR, FetchedPhoto, PhotoFetcher
from models.records import PermitStatus, PermitType, PhotoRef
from models.rules.findings import Finding
from models.rules.photo_evidence import UNREACHABLE, check_photo_steps, photos_of
from models.schema import Permit, PermitEventRow


@dataclass(frozen=True, slots=True)
class EvidencePhoto:
    """One photo a permit event referenced: the step it shows, when and by whom it was sent, its check."""

    step: str
    ts: datetime
    by: str
    event: str  # the event that carried it (started, gas_test …)
    fetched: FetchedPhoto


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    """Every photo of a permit with its check, the required steps' findings and the counts by outcome."""

    permit_id: str
    photos: list[EvidencePhoto]
    findings: list[Finding]
    counts: dict[str, int] = field(default_factory=dict)  # by fetch state (verified, tampered …)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]


class PhotoMark(Enum):
    """What the approval queue marks about a permit's required key-step photos (none: nothing to say)."""

    MISSING = "photo_missing"  # a required step has no photo yet
    TAMPERED = "photo_tampered"  # a required step's photo does not match its hash (and none does)


class PermitEvidence:
    """Reads a permit's photo references from its events and checks them; ``steps`` by permit type."""

    def __init__(self, db: SessionSource, fetcher: PhotoFetcher, steps: Mapping[str, Sequence[str]]) -> None:
        self.db = db
        self.fetcher = fetcher
        self.steps = {kind: tuple(names) for kind, names in steps.items()}
        self._tried: set[tuple[str, str]] = set()  # photos the queue's check fetched once already

    @classmethod
    def for_config(cls, db: SessionSource, config: Config) -> PermitEvidence:
        """With the configuration's steps and fetch settings; the cache in the data folder."""
        p = config.permits
        fetcher = PhotoFetcher(
            user_data_dir() / CACHE_DIR,
            max_bytes=int(p.photo_max_mb * 1024 * 1024),
            timeout_s=p.photo_timeout_s,
            retries=p.photo_retries,
        )
        return cls(db, fetcher, p.photo_steps)

    def read(self, permit_id: str) -> EvidenceReport:
        with self.db.session() as session:
            permit = session.get(Permit, permit_id)
            if permit is None:
                return EvidenceReport(permit_id, [], [])
            kind, status = PermitType(permit.type), PermitStatus(permit.status)
            rows = session.execute(
                select(PermitEventRow.ts, PermitEventRow.by, PermitEventRow.type, PermitEventRow.detail)
                .where(PermitEventRow.permit_id == permit_id)
                .order_by(PermitEventRow.ts, PermitEventRow.id)
            ).all()
        sent = [(ts, by, event, ref) for ts, by, event, detail in rows for ref in photos_of(detail or {})]
        fetched = self.fetcher.fetch_all([ref for *_, ref in sent])
        photos = [
            EvidencePhoto(ref.step, ts, by, event, f)
            for (ts, by, event, ref), f in zip(sent, fetched, strict=True)
        ]
        findings = check_photo_steps(kind, status, [(p.step, p.fetched.state) for p in photos], self.steps)
        counts = Counter(p.fetched.state for p in photos)
        return EvidenceReport(permit_id, photos, findings, dict(counts))

    def _refs(self, permit_ids: Sequence[str]) -> dict[str, tuple[PermitType, list[PhotoRef]]]:
        """Each permit's type and the photo references its events carried (one read)."""
        if not permit_ids:
            return {}
        with self.db.session() as session:
            kinds = dict(
                session.execute(select(Permit.id, Permit.type).where(Permit.id.in_(permit_ids))).all()
            )
            rows = session.execute(
                select(PermitEventRow.permit_id, PermitEventRow.detail)
                .where(PermitEventRow.permit_id.in_(list(kinds)))
                .order_by(PermitEventRow.ts, PermitEventRow.id)
            ).all()
        out: dict[str, tuple[PermitType, list[PhotoRef]]] = {
            pid: (PermitType(t), []) for pid, t in kinds.items()
        }
        for pid, detail in rows:
            out[pid][1].extend(photos_of(detail or {}))
        return out

    def queue_marks(self, permit_ids: Sequence[str]) -> dict[str, PhotoMark]:
        """The approval queue's photo marks, without the network: a required step with no photo is
        MISSING, one whose photos are known to fail their hash (and none verified) TAMPERED. A photo
        never fetched says nothing until ``check_unknown`` (or the permit's detail) has fetched it."""
        marks: dict[str, PhotoMark] = {}
        for pid, (kind, refs) in self._refs(permit_ids).items():
            states = [(r.step, self.fetcher.known(r) or UNREACHABLE) for r in refs]
            codes = {f.code for f in check_photo_steps(kind, PermitStatus.SUBMITTED, states, self.steps)}
            if "photo.tampered" in codes:
                marks[pid] = PhotoMark.TAMPERED
            elif "photo.needed" in codes:
                marks[pid] = PhotoMark.MISSING
        return marks

    def check_unknown(self, permit_ids: Sequence[str]) -> int:
        """Fetch the required steps' photos of ``permit_ids`` never fetched before (a store that does not
        answer costs one time-out a round); how many are known now. Blocks: run it on a worker of its own."""
        todo: list[PhotoRef] = []
        for kind, refs in self._refs(permit_ids).values():
            required = set(self.steps.get(kind.value, ()))
            todo += [r for r in refs if r.step in required and self.fetcher.known(r) is None]
        fresh = [r for r in dict.fromkeys(todo) if (r.url, r.sha256) not in self._tried]
        self._tried.update((r.url, r.sha256) for r in fresh)
        return sum(f.state != UNREACHABLE for f in self.fetcher.fetch_all(fresh))
