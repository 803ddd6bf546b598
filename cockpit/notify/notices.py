"""What deserves a notice, decided once per cause from the alarm transitions.

Kinds (``NOTICE_KINDS``):
- ``priority1``: an alarm of priority 1 became active (or rose to priority 1);
- ``unacked``: an alarm of a configured priority still unacknowledged ``unacked_after`` after it
  became so (active or returned to normal, not acknowledged, not shelved);
- ``escalation``: a late approval (``APPROVAL_ESCALATED``): step 0 at once to the chain's first
  role, then one step per ``escalation_step`` to the next (shift lead → safety department → senior
  leader) while the escalation alarm stands, counted from when it was raised (the notifier drops a
  later step once the database says the permit no longer waits);
- ``review``: an overdue green-channel review (the conditions in ``review_conditions``).

Once per cause: a cause is the alarm id, the kind (with the step for escalations) and the alarm's
episode, which begins when the alarm leaves NORMAL and ends when it returns there. A second
transition of the same alarm in the same episode adds nothing; the same alarm raised again after it
returned to normal is a new episode and so a new cause. What is remembered is only the alarms not in
NORMAL, so memory is bounded by the engine's own alarms.

Runs on the notifier's worker thread, never the core's; the clock is the core's (injected in tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models.alarms import AlarmState, AlarmTransition
from models.records import Priority

NOTICE_KINDS = ("priority1", "unacked", "escalation", "review")
UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})
ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED})


@dataclass(frozen=True)
class Notice:
    """One cause to tell people about: routed by ``roles`` and ``site``, written from the rest."""

    cause: str  # alarm id | kind[:step] | episode start: the once-per-cause key
    kind: str
    roles: tuple[str, ...]
    transition: AlarmTransition  # the alarm as it was when the cause arose
    at: datetime  # when the cause arose (for unacked: when the wait ran out)
    step: int = 0
    escalated_to: str = ""
    unacked_min: int = 0


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
    escalation_conditions: frozenset[str] = frozenset({"APPROVAL_ESCALATED"})
    review_conditions: frozenset[str] = frozenset({"GREEN_CHANNEL_REVIEW_OVERDUE"})
    escalation_chain: tuple[str, ...] = ("shift_lead", "safety_department", "senior_leader")
    escalation_step: timedelta = timedelta(minutes=15)


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
        """Causes whose time came: unacknowledged too long, the next escalation step."""
        out: list[Notice] = []
        for alarm_id, ep in self._episodes.items():
            self._due_unacked(alarm_id, ep, now, out)
            self._due_escalation(alarm_id, ep, now, out)
        return out

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
        if t.condition in rules.escalation_conditions:
            self._escalate(t.alarm_id, ep, 0, t.ts, out)
        elif t.condition in rules.review_conditions:
            self._once(t.alarm_id, ep, "review", rules.review_roles, t.ts, out)
        elif t.priority is Priority.CRITICAL:
            self._once(t.alarm_id, ep, "priority1", rules.priority1_roles, t.ts, out)

    def _unacked_kind(self, t: AlarmTransition) -> bool:
        rules = self.rules
        special = t.condition in rules.escalation_conditions or t.condition in rules.review_conditions
        return not special and int(t.priority) in rules.unacked_priorities

    def _due_unacked(self, alarm_id: str, ep: _Episode, now: datetime, out: list[Notice]) -> None:
        since = ep.unacked_since
        if since is None or "unacked" in ep.sent or not self._unacked_kind(ep.last):
            return
        if now - since >= self.rules.unacked_after:
            minutes = int((now - since).total_seconds() // 60)
            self._once(alarm_id, ep, "unacked", self.rules.unacked_roles, now, out, unacked_min=minutes)

    def _next_step(self, ep: _Episode) -> int | None:
        for step in range(len(self.rules.escalation_chain)):
            if f"escalation:{step}" not in ep.sent:
                return step
        return None

    def _due_escalation(self, alarm_id: str, ep: _Episode, now: datetime, out: list[Notice]) -> None:
        if ep.last.condition not in self.rules.escalation_conditions:
            return
        step = self._next_step(ep)
        if step is not None and now >= ep.start + step * self.rules.escalation_step:
            self._escalate(alarm_id, ep, step, now, out)

    def _escalate(self, alarm_id: str, ep: _Episode, step: int, at: datetime, out: list[Notice]) -> None:
        chain = self.rules.escalation_chain
        if step >= len(chain):
            return
        role = chain[step]
        self._once(alarm_id, ep, f"escalation:{step}", (role,), at, out, step=step, escalated_to=role)

    def _once(
        self,
        alarm_id: str,
        ep: _Episode,
        key: str,
        roles: Sequence[str],
        at: datetime,
        out: list[Notice],
        *,
        step: int = 0,
        escalated_to: str = "",
        unacked_min: int = 0,
    ) -> None:
        if key in ep.sent:
            return
        ep.sent.add(key)
        kind = key.split(":", maxsplit=1)[0]
        cause = f"{alarm_id}|{key}|{ep.start.isoformat()}"
        out.append(Notice(cause, kind, tuple(roles), ep.last, at, step, escalated_to, unacked_min))
