"""``PermitService``: the one object the screens and the core hold, composing the permit parts.

The parts (queue, detail, board, signing, intake) share the database, the clock and the settings;
this facade keeps the methods callers used before the split and turns ``now=None`` into the clock's
time in UTC. Whoever acts on a permit is a login's session (``cockpit.sessions.LoginSession``), judged
with the runtime's ``keys``; a service built without them (the field's permit intake) refuses every act
of a person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cockpit.permits.active import ActiveBoard, LastCheckin
from cockpit.permits.blockers import Blocker, Mark, approval_blockers, queue_mark
from cockpit.permits.detail import PermitReader
from cockpit.permits.escalation import deadline_for
from cockpit.permits.evidence import PermitEvidence, PhotoMark
from cockpit.permits.facts import Wind, aware
from cockpit.permits.intake import PermitIntake
from cockpit.permits.queue import ApprovalQueue
from cockpit.permits.records import (
    ActivePermit,
    Escalation,
    PermitConfig,
    PermitDetail,
    PermitStateChange,
    QueueItem,
    SessionSource,
    UserInfo,
)
from cockpit.permits.review import GreenChannelItem, GreenChannelReview
from cockpit.permits.signing import Signing, approve_refusal
from cockpit.sessions import SessionKeys
from models.errors import UserError
from models.records import PermitRequest
from models.rules.findings import Finding
from models.schema import ApprovalDecision


class PermitService:
    """Approval queue, permit detail, approve / reject / send back, active permits, escalations."""

    def __init__(
        self,
        db: SessionSource,
        *,
        clock: Callable[[], datetime],
        keys: SessionKeys | None = None,  # the runtime's, that its logins are signed with
        config: PermitConfig | None = None,
        on_permit_changed: Callable[[PermitStateChange], None] = lambda c: None,
        wind: Wind = lambda site, area: None,
        last_checkin: LastCheckin = lambda permit: None,  # the live link's check-ins (not in the database)
        evidence: PermitEvidence | None = None,  # the key-step photos (issue 23), for the permit detail
    ) -> None:
        self._clock = clock
        self.evidence = evidence
        self._config = config or PermitConfig()
        keys = keys or SessionKeys()  # a secret no login holds: nobody acts through this service
        self.queue = ApprovalQueue(db, self._config)
        self.reader = PermitReader(db, self._config, wind)
        self.board = ActiveBoard(db, self._config, last_checkin)
        self.signing = Signing(db, keys, self._config, self.reader, on_permit_changed)
        self.intake = PermitIntake(db, self._config, wind, on_permit_changed)
        self.review = GreenChannelReview(db, keys, self._config)

    @property
    def config(self) -> PermitConfig:
        return self._config

    def _now(self, now: datetime | None) -> datetime:
        return aware(now if now is not None else self._clock())

    # ------------------------------------------------------------ reading

    def user_info(self, session: object) -> UserInfo:
        """The logged-in user as the database has them now: read from the session, never from a name."""
        return self.signing.user_info(session)

    def approval_queue(self, now: datetime | None = None) -> list[QueueItem]:
        """Submitted permits: urgent first, then by start time; each with its deadline and escalation."""
        return self.queue.approval_queue(self._now(now))

    def escalations(self, now: datetime | None = None) -> list[Escalation]:
        """Permits waiting past their approval deadline, for the alarm service (priority 3)."""
        return self.queue.escalations(self._now(now))

    def deadline_for(self, urgent: bool, submitted_at: datetime, valid_from: datetime) -> datetime:
        """The approval deadline (``cockpit.permits.escalation`` has the rule)."""
        return deadline_for(self._config, urgent, submitted_at, valid_from)

    def permit_detail(self, permit_id: str, now: datetime | None = None) -> PermitDetail:
        return self.reader.permit_detail(permit_id, self._now(now))

    def signature_valid(self, permit_id: str) -> bool:
        """True while every approval on the permit signed its current content (False with none)."""
        return self.reader.signature_valid(permit_id)

    def active_permits(self, now: datetime | None = None) -> list[ActivePermit]:
        """Approved, active and suspended permits with their timers; soonest to expire first."""
        return self.board.active_permits(self._now(now))

    def green_channel_pending(self) -> list[str]:
        """Permits approved on the green channel and not yet reviewed."""
        return self.review.pending()

    def green_channel_queue(self, session: object, now: datetime | None = None) -> list[GreenChannelItem]:
        """The green-channel approvals waiting for the safety manager's review, overdue first."""
        return self.review.queue(session, self._now(now))

    # ------------------------------------------------------------ what a user may do, and doing it

    def approve_refusal(
        self, detail: PermitDetail, user: UserInfo | None, *, green_channel: bool = False
    ) -> UserError | None:
        """Why ``user`` may not approve ``detail`` now (a coded refusal, ``str()`` in English), or None;
        :meth:`approve` applies the same rule."""
        return approve_refusal(detail, user, green_channel=green_channel)

    def approval_blockers(
        self, detail: PermitDetail, user: UserInfo | None, *, green_channel: bool = False
    ) -> list[Blocker]:
        """Every reason ``user`` cannot approve ``detail`` now, each with what clears it (empty: go ahead)."""
        return approval_blockers(detail, user, green_channel=green_channel)

    def queue_marks(
        self, session: object, permit_ids: list[str], now: datetime | None = None
    ) -> dict[str, Mark]:
        """For each permit: may the session's user approve it (or only on the green channel), is it
        blocked, or is it another signer's. The user is read from the session, checked in the database."""
        user = self.user_info(session)
        at = self._now(now)
        return {pid: queue_mark(self.permit_detail(pid, at), user) for pid in permit_ids}

    def queue_photo_marks(self, permit_ids: list[str]) -> dict[str, PhotoMark]:
        """The permits whose required key-step photo is missing or known tampered (no network)."""
        return self.evidence.queue_marks(permit_ids) if self.evidence is not None else {}

    def check_queue_photos(self, permit_ids: list[str]) -> int:
        """Fetch the queue's required photos never fetched (network: a worker of its own); how many are
        known now, so the marks are worth reading again."""
        return self.evidence.check_unknown(permit_ids) if self.evidence is not None else 0

    def approve(
        self,
        permit_id: str,
        session: object,
        password: str,
        *,
        green_channel_reason: str | None = None,
        now: datetime | None = None,
    ) -> PermitDetail:
        """Sign the permit; it becomes approved once the matrix is satisfied. Returns the new detail."""
        return self.signing.approve(
            permit_id, session, password, green_channel_reason=green_channel_reason, now=self._now(now)
        )

    def reject(self, permit_id: str, session: object, reason: str, *, now: datetime | None = None) -> None:
        """Refuse the application for good (a new one is needed)."""
        self.signing.decide(permit_id, session, reason, ApprovalDecision.REJECT, self._now(now))

    def send_back(self, permit_id: str, session: object, reason: str, *, now: datetime | None = None) -> None:
        """Return the application to the applicant to correct; it stays submitted, not escalating."""
        self.signing.decide(permit_id, session, reason, ApprovalDecision.SEND_BACK, self._now(now))

    def suspend(self, permit_id: str, session: object, reason: str, *, now: datetime | None = None) -> None:
        """Stop the work on an active permit (it can resume later)."""
        self.signing.suspend(permit_id, session, reason, now=self._now(now))

    def close(self, permit_id: str, session: object, *, now: datetime | None = None) -> None:
        """Work done and the site checked (完工验收)."""
        self.signing.close(permit_id, session, now=self._now(now))

    def review_green_channel(
        self,
        permit_id: str,
        session: object,
        note: str,
        *,
        finding: bool = False,
        now: datetime | None = None,
    ) -> None:
        """The next-day review of a green-channel approval: accepted, or a finding (safety manager)."""
        self.review.review(permit_id, session, note, finding=finding, now=self._now(now))

    def create_from_request(self, request: PermitRequest, now: datetime | None = None) -> list[Finding]:
        """Check an application and, when nothing blocks, file it as a submitted permit (contract §5)."""
        return self.intake.create_from_request(request, self._now(now))
