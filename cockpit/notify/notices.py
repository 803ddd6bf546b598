"""What deserves a notice, decided once per cause from the alarm transitions and the escalation steps.

Kinds (``NOTICE_KINDS``):
- ``priority1``: an alarm of priority 1 became active (or rose to priority 1);
- ``unacked``: an alarm of a configured priority still unacknowledged ``unacked_after`` after it
  became so (active or returned to normal, not acknowledged, not shelved);
- ``escalation``: a late approval reached a step of its chain. Not an alarm (docs/ALARMS.md): the
  permit timers step by the deadline and record each (permit, step) once as a permit event
  (``cockpit/permits/escalation.py``); the new steps come here as ``Escalation`` records
  (:meth:`NoticeBook.on_escalations`), one notice each, to the role the step names;
- ``review``: a green-channel review not done by the end of its plant day. Paperwork too: the permit
  timers record each (permit, due day, plant days past it) once as a permit event ``review_overdue``
  (``cockpit/permits/review.py``) and hand the new ones here as ``ReviewOverdue`` records: the day
  after the due day one notice to ``review_roles`` (the safety manager) of the permit's site, and each
  further day the review stays undone one to them and to ``review_escalate_roles`` (the senior
  leader), until it is done. An alarm of a condition in ``review_conditions`` is told as a review
  too (none is raised by the cockpit itself).

Once per cause for alarms: a cause is the alarm id, the kind and the alarm's episode, which begins
when the alarm leaves NORMAL and ends when it returns there. A second transition of the same alarm
in the same episode adds nothing; the same alarm raised again after it returned to normal is a new
episode and so a new cause. What is remembered is only the alarms not in NORMAL, so memory is
bounded by the engine's own alarms. For escalations the database remembers (the event row), so
once per (permit, step) survives a restart.

Runs on the notifier's worker thread, never the core's; the clock is the core's (injected in tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cockpit.permits.records import Escalation
from cockpit.permits.review import ReviewOverdue
from models.alarms import AlarmState, AlarmTransition
from models.records import Priority

NOTICE_KINDS = ("priority1", "unacked", "escalation", "review")
UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})
ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED})


@dataclass(frozen=True)
class Notice:
    """One cause to tell people about: routed by ``roles`` and ``site``, written from the rest."""

    cause: str  # alarm id | kind | episode start, or permit | escalation:step: the once-per-cause key
    kind: str
    roles: tuple[str, ...]
    site: str
    area: str
    at: datetime  # when the cause arose (for unacked: when the wait ran out)
    transition: AlarmTransition | None = None  # the alarm as it was when the cause arose (alarm kinds)
    permit: str = ""  # the permit an escalation is about
    step: int = 0
    escalated_to: str = ""
    unacked_min: int = 0
    subject: str = "permit"  # what an escalation is about: permit | work_order (``permit`` holds its id)


def _prefix(subject: str) -> str:
    """A work order's escalation never shares a cause with a permit of the same name."""
    return "" if subject == "permit" else f"{subject}:"


@dataclass
class _Episode:
    start: datetime
    last: AlarmTransition
    unacked_since: datetime | None = None
    sent: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class NoticeRules:
    """The settings of :class:`NoticeBook` (from ``[notify]`` and the permit escalation rules)."""

    priority1_roles: tuple[str, ...] = ("shift_lead", "incident_commander")
    unacked_roles: tuple[str, ...] = ("shift_lead",)
    unacked_after: timedelta = timedelta(minutes=10)
    unacked_priorities: frozenset[int] = frozenset({1, 2})
    review_roles: tuple[str, ...] = ("safety_manager",)
    review_escalate_roles: tuple[str, ...] = ("senior_leader",)  # from the second day overdue on
    review_conditions: frozenset[str] = frozenset({"GREEN_CHANNEL_REVIEW_OVERDUE"})


class NoticeBook:
    """The episodes of alarms not in NORMAL and the causes already told (worker thread only)."""

    def __init__(self, rules: NoticeRules) -> None:
        self.rules = rules
        self._episodes: dict[str, _Episode] = {}

    def tracked(self) -> int:
        return len(self._episodes)

    def on_transitions(self, transitions: Iterable[AlarmTransition]) -> list[Notice]:
        out: list[Notice] = []
        for t in transitions:
            self._on_transition(t, out)
        return out

    def due(self, now: datetime) -> list[Notice]:
        """Causes whose time came: unacknowledged too long."""
        out: list[Notice] = []
        for alarm_id, ep in self._episodes.items():
            self._due_unacked(alarm_id, ep, now, out)
        return out

    def on_escalations(self, escalations: Iterable[Escalation | ReviewOverdue]) -> list[Notice]:
        """One notice per (permit, step), to the role the step names (a chain name is a role:
        shift_lead, safety_department, senior_leader), and per overdue review, to ``review_roles``.
        The permit timers hand only causes not recorded before, so nothing needs remembering here;
        a batch naming one twice sends it once."""
        out: list[Notice] = []
        seen: set[tuple[object, ...]] = set()
        for e in escalations:
            if isinstance(e, ReviewOverdue):
                if (e.permit_id, e.review_due, e.days) not in seen:
                    seen.add((e.permit_id, e.review_due, e.days))
                    out.append(self._review(e))
                continue
            if (e.subject, e.permit_id, e.step) in seen:
                continue
            seen.add((e.subject, e.permit_id, e.step))
            out.append(
                Notice(
                    cause=f"{_prefix(e.subject)}{e.permit_id}|escalation:{e.step}",
                    kind="escalation",
                    roles=(e.escalated_to,),
                    site=e.site,
                    area=e.area,
                    at=e.deadline + e.overdue,  # the moment the permit timers found the step
                    permit=e.permit_id,
                    step=e.step,
                    escalated_to=e.escalated_to,
                    subject=e.subject,
                )
            )
        return out

    def _review(self, r: ReviewOverdue) -> Notice:
        """The day after the due day: the safety manager; each further day: him and up the line."""
        roles = self.rules.review_roles
        cause = f"{r.permit_id}|review:{r.review_due.isoformat()}"
        if r.days > 1:
            roles += tuple(x for x in self.rules.review_escalate_roles if x not in roles)
            cause += f":{r.days}"
        return Notice(
            cause=cause,
            kind="review",
            roles=roles,
            site=r.site,
            area=r.area,
            at=r.found_at,
            permit=r.permit_id,
            step=r.days - 1,  # 0 the day after the due day
            escalated_to=r.approver,  # who approved on the green channel: the notice names him
        )

    # --- the rules ------------------------------------------------------------------------------------

    def _on_transition(self, t: AlarmTransition, out: list[Notice]) -> None:
        if t.to_state is AlarmState.NORMAL:
            self._episodes.pop(t.alarm_id, None)  # the episode is over: a new one is a new cause
            return
        ep = self._episodes.get(t.alarm_id)
        if ep is None or t.from_state is AlarmState.NORMAL:
            ep = self._episodes[t.alarm_id] = _Episode(start=t.ts, last=t)
        ep.last = t
        if t.to_state in UNACKED_STATES:
            if ep.unacked_since is None:
                ep.unacked_since = t.ts
        else:  # acknowledged, shelved, out of service: nobody is left waiting
            ep.unacked_since = None
        if t.to_state not in ACTIVE_STATES:
            return
        rules = self.rules
        if t.condition in rules.review_conditions:
            self._once(t.alarm_id, ep, "review", rules.review_roles, t.ts, out)
        elif t.priority is Priority.CRITICAL:
            self._once(t.alarm_id, ep, "priority1", rules.priority1_roles, t.ts, out)

    def _unacked_kind(self, t: AlarmTransition) -> bool:
        rules = self.rules
        return t.condition not in rules.review_conditions and int(t.priority) in rules.unacked_priorities

    def _due_unacked(self, alarm_id: str, ep: _Episode, now: datetime, out: list[Notice]) -> None:
        since = ep.unacked_since
        if since is None or "unacked" in ep.sent or not self._unacked_kind(ep.last):
            return
        if now - since >= self.rules.unacked_after:
            minutes = int((now - since).total_seconds() // 60)
            self._once(alarm_id, ep, "unacked", self.rules.unacked_roles, now, out, unacked_min=minutes)

    def _once(
        self,
        alarm_id: str,
        ep: _Episode,
        key: str,
        roles: Sequence[str],
        at: datetime,
        out: list[Notice],
        *,
        unacked_min: int = 0,
    ) -> None:
        if key in ep.sent:
            return
        ep.sent.add(key)
        last = ep.last
        cause = f"{alarm_id}|{key}|{ep.start.isoformat()}"
        out.append(Notice(cause, key, tuple(roles), last.site, last.area, at, last, unacked_min=unacked_min))
