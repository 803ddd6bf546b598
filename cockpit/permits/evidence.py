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

from sqlalchemy import select

from cockpit.config import Config, user_data_dir
from cockpit.permits.records import SessionSource
from cockpit.photo_fetch import CACHE_DIR, FetchedPhoto, PhotoFetcher
from models.records import PermitStatus, PermitType
from models.rules.findings import Finding
from models.rules.photo_evidence import check_photo_steps, photos_of
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


class PermitEvidence:
    """Reads a permit's photo references from its events and checks them; ``steps`` by permit type."""

    def __init__(self, db: SessionSource, fetcher: PhotoFetcher, steps: Mapping[str, Sequence[str]]) -> None:
        self.db = db
        self.fetcher = fetcher
        self.steps = {kind: tuple(names) for kind, names in steps.items()}

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
