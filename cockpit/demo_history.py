"""The demo plant's three months of permits behind the live month (issue 21): what the monthly report,
the alarm figures and contractor performance show must have something true to show.

Every history permit lies wholly in the past (it ended two hours before the demo's ``now`` at the
latest), so nothing here touches the live screens: the approval queue, the active permits and the
alarms start as ``cockpit.demo_permits`` leaves them. The permits are drawn from a generator of their
own (derived from the seed), so the live month stays exactly as it was for a given seed.

What they carry, as the cockpit itself writes it:
- every type and grade (the grade raised for night and rest days by the rules), approvals from the levels
  the rules require, with a lead time from submission (most within hours, a tail of a day and more, some
  signed after the planned start); ``escalated`` events for the long waits, one per step of the chain;
- rejections and send-backs with a coded reason (``code: sentence``), a send-back followed by the
  corrected application's approval;
- the green channel: the shift lead's signature with its reason, the ``permit.approve_green_channel``
  audit entry and the next working day's review (accepted, or with a finding);
- gas tests before hot work and confined-space entry, most within the 30 minutes GB 30871 allows, some
  late; extensions (``extended`` events) of long jobs within the type's maximum validity.
Stop-works, the alarm journal, near misses and violations follow in ``cockpit.demo_events``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from cockpit.demo_permits import _TYPE_PREFIX, _TYPE_WEIGHTS, PermitSeeder, _Draft, _Event
from cockpit.permits.escalation import ESCALATED_EVENT
from cockpit.permits.records import DEFAULT_CHAIN
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType
from models.rules.approval import required_approvals
from models.rules.grading import effective_grade
from models.rules.validity import gb_max_validity
from models.schema import Approval, Permit

HISTORY_DAYS = 92  # three months back from the demo's now
PERMITS_PER_DAY = 5
QUIET_BEFORE_NOW = timedelta(hours=2)  # every history permit ended this long before now
SEED_SALT = 21_0_21  # the history's own generator: seed * this, so the live month stays as it was

# Coded reasons (``code: sentence``): the monthly report counts them by code; weights make top reasons.
REJECT_REASONS: tuple[tuple[str, str, int], ...] = (
    ("isolation", "能量隔离方案不完整", 6),
    ("jsa", "JSA 未识别交叉作业风险", 5),
    ("supervisor", "监护人资格不符", 3),
    ("certificate", "作业人员特种作业证过期", 2),
    ("gas_test", "气体检测项目不全", 2),
)
SEND_BACK_REASONS: tuple[tuple[str, str, int], ...] = (
    ("attachments", "缺少作业示意图和工艺处置单", 6),
    ("jsa", "JSA 风险识别不全，补充后重报", 5),
    ("crew", "作业人员名单与现场不符", 3),
    ("validity", "作业时间超出级别上限，分段申请", 2),
    ("coordinator", "交叉作业未指定协调人", 2),
)
_GREEN_WHY = ("泄漏抢修,不能等待常规审批", "联锁失效,需立即处理以恢复保护", "降雨前必须完成封堵")
_REVIEW_FINDINGS = ("事后审查：未附气体检测记录照片", "事后审查：监护人交接未登记")
_EXTEND_WHY = ("材料未到，工期顺延", "天气原因停工，申请延期", "检修范围扩大")
_OUTCOMES: tuple[tuple[PermitStatus, int], ...] = (
    (PermitStatus.CLOSED, 80),
    (PermitStatus.EXPIRED, 5),
    (PermitStatus.CANCELLED, 5),
    (PermitStatus.REJECTED, 7),
)
_STEP = timedelta(hours=4)  # an approval waiting longer climbs the chain one step per this


@dataclass(frozen=True)
class PastPermit:
    """A history permit's work, for the stop-works, near misses and violations drawn after it."""

    permit_id: str
    ptype: PermitType
    site: str
    area: str
    begin: datetime
    end: datetime
    contractor: str | None
    crew: tuple[str, ...]
    supervisor: str


def pick_reason(reasons: tuple[tuple[str, str, int], ...], rng: random.Random) -> str:
    code, text, _weight = rng.choices(reasons, weights=[r[2] for r in reasons])[0]
    return f"{code}: {text}"


class HistorySeeder(PermitSeeder):
    """The three months of permits, into the demo's shared rows (its own generator)."""

    past: list[PastPermit]
    audits: list[tuple[datetime, str, str, str, dict[str, Any]]]  # ts, actor, action, subject, details

    def begin_history(self, seed: int) -> None:
        self.rng = random.Random(seed * SEED_SALT)
        self.past, self.audits = [], []

    def history_permits(self) -> None:
        rng = self.rng
        first = self.now - timedelta(days=HISTORY_DAYS)
        types, weights = list(_TYPE_WEIGHTS), list(_TYPE_WEIGHTS.values())
        outcomes, outcome_weights = [o for o, _ in _OUTCOMES], [w for _, w in _OUTCOMES]
        count = HISTORY_DAYS * PERMITS_PER_DAY
        moments = sorted(
            first + timedelta(minutes=rng.uniform(0, (HISTORY_DAYS - 3) * 1440)) for _ in range(count)
        )
        for created in moments:
            ptype = rng.choices(types, weights=weights)[0]
            status = rng.choices(outcomes, weights=outcome_weights)[0]
            urgent = ptype in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE) and rng.random() < 0.12
            self._past_permit(ptype, status, urgent, created.replace(second=0, microsecond=0))

    # ---------------------------------------------------------- one permit

    def _past_permit(self, ptype: PermitType, status: PermitStatus, urgent: bool, created: datetime) -> None:
        rng = self.rng
        area = self._area_for(ptype, False)
        lead = timedelta(minutes=rng.randint(20, 90)) if urgent else timedelta(minutes=rng.randint(120, 2880))
        start = created + lead
        start = start.replace(minute=start.minute // 15 * 15)
        grade, effective, reasons, end = self._grade_and_end(ptype, area, start)
        contractor = rng.choice(self.contractors_ok) if rng.random() < 0.85 else None
        contractor, crew = self._crew(ptype, contractor)
        supervisor = rng.choice([s for s in self.supervisors if s not in crew])
        local_day = created.astimezone(self.calendars[area.site_id].zone).strftime("%Y%m%d")
        prefix = _TYPE_PREFIX[ptype]
        self.permit_seq[f"{prefix}-{local_day}"] += 1
        draft = _Draft(
            permit_id=f"{prefix}-{local_day}-{self.permit_seq[f'{prefix}-{local_day}']:03d}",
            ptype=ptype,
            status=status,
            urgent=urgent,
            area=area,
            grade=grade,
            effective=effective,
            reasons=reasons,
            start=start,
            end=end,
            created=created,
            contractor=contractor,
            crew=crew,
            supervisor=supervisor,
            description=self._description(ptype, area),
            prerequisites={"jsa": True, "isolation": True, "gas_test": ptype in _GAS_TESTED},
        )
        xy = area.point(rng)
        events: list[_Event] = [(created, "submitted", crew[0], {"urgent": urgent})]
        green = (
            urgent and ptype is PermitType.HOT_WORK and status is PermitStatus.CLOSED and rng.random() < 0.5
        )
        approved_at = self._history_approvals(draft, events, green)
        draft = self._history_work(draft, approved_at, events)
        self._rows(draft, events, xy, green)
        self.rows[Permit][-1]["green_channel_review"] = False  # reviewed the next working day (below)
        if green:
            self._green_audits(draft, approved_at)

    def _grade_and_end(
        self, ptype: PermitType, area: Any, start: datetime
    ) -> tuple[HotWorkGrade | None, HotWorkGrade | None, list[str], datetime]:
        rng = self.rng
        low, high = _HOURS_PAST[ptype]
        hours = round(rng.uniform(low, high) * 2) / 2
        grade = effective = None
        reasons: list[str] = []
        if ptype is PermitType.HOT_WORK:
            if area.hazard:
                grade = HotWorkGrade.SPECIAL if rng.random() < 0.25 else HotWorkGrade.GRADE_1
                hours = min(hours, 8.0)
            else:
                grade = HotWorkGrade.GRADE_2
            calendar = self.calendars[area.site_id]
            decision = effective_grade(grade, start, start + timedelta(hours=hours), calendar, None)
            if decision.grade is not HotWorkGrade.GRADE_2:
                hours = min(hours, 8.0)
                decision = effective_grade(grade, start, start + timedelta(hours=hours), calendar, None)
            effective, reasons = decision.grade, list(decision.raised_by)
        latest = self.now - QUIET_BEFORE_NOW - timedelta(hours=2)
        end = min(start + timedelta(hours=hours), max(latest, start + timedelta(hours=1)))
        return grade, effective, reasons, end

    def _history_approvals(self, d: _Draft, events: list[_Event], green: bool) -> datetime:
        """A send-back first now and then, the signatures the rules require (or one rejection), escalation
        steps while the approval waited; when the last signature was made."""
        rng = self.rng
        levels = required_approvals(d.ptype, d.effective or d.grade)
        content = d.content_hash()
        at = d.created
        latest = d.start + (d.end - d.start) * 0.4  # a late signature leaves the crew most of its window
        back, again = timedelta(minutes=rng.randint(15, 180)), timedelta(minutes=rng.randint(20, 240))
        if (
            d.status is not PermitStatus.REJECTED
            and not d.urgent
            and rng.random() < 0.1
            and at + back + again < latest
        ):
            at += back
            reason = pick_reason(SEND_BACK_REASONS, rng)
            self._sign(d, levels[0], at, "send_back", reason, content)
            events.append((at, "send_back", self.rows[Approval][-1]["signer"], {"reason": reason}))
            at += again
            events.append((at, "resubmitted", d.crew[0], {}))
        wait = timedelta(minutes=rng.randint(5, 40)) if d.urgent else _lead_time(rng)
        done = max(min(at + wait, latest), at + timedelta(minutes=2))
        for step in range(int((done - d.created) / _STEP)):
            when = d.created + _STEP * (step + 1)
            detail = {"to": DEFAULT_CHAIN[min(step, 2)], "step": step, "deadline": d.created.isoformat()}
            events.append((when, ESCALATED_EVENT, "system", detail))
        if d.status is PermitStatus.REJECTED:
            reason = pick_reason(REJECT_REASONS, rng)
            self._sign(d, levels[0], done, "reject", reason, content)
            events.append((done, "rejected", self.rows[Approval][-1]["signer"], {"reason": reason}))
            return done
        for n, level in enumerate(levels):
            when = done - timedelta(minutes=3 * (len(levels) - 1 - n))
            why = f"green channel: {rng.choice(_GREEN_WHY)}" if green and n == 0 else ""
            self._sign(d, level, max(when, at + timedelta(minutes=1)), "approve", why, content)
        events.append((done, "approved", self.rows[Approval][-1]["signer"], {"green_channel": green}))
        return done

    def _sign(
        self, d: _Draft, level: ApprovalLevel, at: datetime, decision: str, reason: str, content: str
    ) -> None:
        signer, role = self._signer(level)
        self.add(
            Approval,
            permit_id=d.permit_id,
            level=level,
            signer=signer,
            role=str(role),
            signed_at=at,
            decision=decision,
            reason=reason,
            content_hash=content,
        )

    def _history_work(self, d: _Draft, approved_at: datetime, events: list[_Event]) -> _Draft:
        """Cancelled, or worked: the gas test (on time or late), start, an extension, the end."""
        rng = self.rng
        if d.status is PermitStatus.REJECTED:
            return d
        if d.status is PermitStatus.CANCELLED:
            events.append((approved_at + timedelta(minutes=rng.randint(10, 120)), "cancelled", d.crew[0], {}))
            return d
        begin = max(d.start, approved_at) + timedelta(minutes=rng.randint(0, 10))
        end = d.end
        if d.ptype in _GAS_TESTED:
            late = rng.random() < 0.15
            before = timedelta(minutes=rng.randint(35, 120) if late else rng.randint(5, 25))
            self._gas_test(d.permit_id, begin - before, d.area, passed=True)
        events.append((begin, "started", d.supervisor, {}))
        limit = gb_max_validity(d.ptype, d.effective or d.grade)
        more = timedelta(hours=rng.choice((4, 8, 12, 24)))
        room = self.now - QUIET_BEFORE_NOW - end
        can_extend = d.ptype not in _ONE_SHIFT and (limit is None or end + more - d.start <= limit)
        if d.status is PermitStatus.CLOSED and can_extend and room > more and rng.random() < 0.12:
            detail = {
                "from": end.isoformat(),
                "to": (end + more).isoformat(),
                "reason": rng.choice(_EXTEND_WHY),
            }
            events.append((end - timedelta(hours=1), "extended", "lead.wang", detail))
            end += more
        if d.status is PermitStatus.CLOSED:
            events.append((end - timedelta(minutes=rng.randint(0, 60)), "completed", d.supervisor, {}))
            events.append((end, "closed", "lead.wang", {}))
        else:
            events.append((end, "expired", "system", {}))
        self.past.append(
            PastPermit(
                d.permit_id,
                d.ptype,
                d.area.site_id,
                d.area.area_id,
                begin,
                end,
                d.contractor,
                tuple(d.crew),
                d.supervisor,
            )
        )
        return _with_end(d, end)

    def _green_audits(self, d: _Draft, approved_at: datetime) -> None:
        """The green-channel approval's audit entry and the review the next working day."""
        rng = self.rng
        first = next(
            r
            for r in self.rows[Approval]
            if r["permit_id"] == d.permit_id and r["reason"].startswith("green")
        )
        why = first["reason"].removeprefix("green channel: ")
        details = {
            "level": str(first["level"]),
            "green_channel_reason": why,
            "from": "submitted",
            "to": "approved",
        }
        self.audits.append(
            (first["signed_at"], first["signer"], "permit.approve_green_channel", d.permit_id, details)
        )
        local = approved_at.astimezone(self.calendars[d.area.site_id].zone)
        review = (local + timedelta(days=1)).replace(hour=rng.randint(9, 11), minute=rng.choice((0, 20, 40)))
        review_at = min(review, self.now - QUIET_BEFORE_NOW)
        finding = rng.random() < 0.3
        note = rng.choice(_REVIEW_FINDINGS) if finding else "事后审查：紧急理由成立，手续完整"
        outcome = {"note": note, "outcome": "finding" if finding else "accepted"}
        reviewer = rng.choice(("safety.chen", "safety.sun"))
        self.audits.append((review_at, reviewer, "permit.green_channel_reviewed", d.permit_id, outcome))


_GAS_TESTED = (PermitType.HOT_WORK, PermitType.CONFINED_SPACE)
_ONE_SHIFT = (PermitType.HOT_WORK, PermitType.CONFINED_SPACE, PermitType.BLINDING)
_HOURS_PAST: dict[PermitType, tuple[float, float]] = {
    PermitType.HOT_WORK: (3, 8),
    PermitType.CONFINED_SPACE: (4, 12),
    PermitType.BLINDING: (2, 6),
    PermitType.WORK_AT_HEIGHT: (6, 48),
    PermitType.LIFTING: (4, 10),
    PermitType.TEMPORARY_POWER: (24, 120),
    PermitType.EXCAVATION: (8, 48),
    PermitType.ROAD_CLOSURE: (6, 24),
}


def _lead_time(rng: random.Random) -> timedelta:
    """Submission to the last signature: most within a few hours, a long tail (log-normal, 5 min-36 h)."""
    minutes = min(max(rng.lognormvariate(4.4, 1.0), 5.0), 36 * 60.0)
    return timedelta(minutes=round(minutes))


def _with_end(d: _Draft, end: datetime) -> _Draft:
    return replace(d, end=end)
