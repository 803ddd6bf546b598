"""The demo's month of permits in every state, after the places and people exist.

The GB 30871 rules of ``models.rules`` shape them: hot-work grades are raised for night and rest days,
validity never exceeds the maximum of the (effective) grade, approvals come from the level the rules
require, gas tests are taken less than 30 minutes before work starts, and nobody with an expired
certificate is on a live permit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cockpit.demo_state import AreaPlan, SeedState, floor_hour
from cockpit.permits.hashing import hash_fields, signed_fields
from models.records import (
    CANONICAL_UNITS,
    SAFETY_CHANNELS,
    ApprovalLevel,
    HotWorkGrade,
    PermitStatus,
    PermitType,
    Role,
)
from models.rules.approval import required_approvals
from models.rules.grading import effective_grade
from models.schema import Approval, GasTest, Permit, PermitEventRow, PermitWorker

# the trade a permit type needs among its workers (None: any)
_TYPE_TRADE: dict[PermitType, str | None] = {
    PermitType.HOT_WORK: "焊工",
    PermitType.TEMPORARY_POWER: "电工",
    PermitType.WORK_AT_HEIGHT: "架子工",
    PermitType.LIFTING: "起重工",
    PermitType.CONFINED_SPACE: None,
    PermitType.BLINDING: "管工",
    PermitType.EXCAVATION: "普工",
    PermitType.ROAD_CLOSURE: None,
}
_TYPE_PREFIX = {
    PermitType.HOT_WORK: "HW",
    PermitType.CONFINED_SPACE: "CS",
    PermitType.BLINDING: "BL",
    PermitType.WORK_AT_HEIGHT: "WH",
    PermitType.LIFTING: "LF",
    PermitType.TEMPORARY_POWER: "TP",
    PermitType.EXCAVATION: "EX",
    PermitType.ROAD_CLOSURE: "RC",
}
_TYPE_WEIGHTS = {
    PermitType.HOT_WORK: 30,
    PermitType.CONFINED_SPACE: 14,
    PermitType.BLINDING: 7,
    PermitType.WORK_AT_HEIGHT: 18,
    PermitType.LIFTING: 8,
    PermitType.TEMPORARY_POWER: 10,
    PermitType.EXCAVATION: 8,
    PermitType.ROAD_CLOSURE: 5,
}
# validity range in hours per type (GB maxima: hot work special/1 8 h, 2 72 h; confined 24 h;
# height 7 days; temporary power 15 days); blinding, lifting, excavation, road closure: one job.
_HOURS: dict[PermitType, tuple[float, float]] = {
    PermitType.HOT_WORK: (4, 8),
    PermitType.CONFINED_SPACE: (6, 24),
    PermitType.BLINDING: (4, 8),
    PermitType.WORK_AT_HEIGHT: (8, 168),
    PermitType.LIFTING: (6, 12),
    PermitType.TEMPORARY_POWER: (48, 360),
    PermitType.EXCAVATION: (8, 72),
    PermitType.ROAD_CLOSURE: (8, 48),
}
_STATUS_QUOTA: tuple[tuple[PermitStatus, int], ...] = (
    (PermitStatus.CLOSED, 118),
    (PermitStatus.EXPIRED, 14),
    (PermitStatus.CANCELLED, 12),
    (PermitStatus.REJECTED, 10),
    (PermitStatus.ACTIVE, 48),
    (PermitStatus.SUSPENDED, 6),
    (PermitStatus.APPROVED, 40),
    (PermitStatus.SUBMITTED, 52),
)
_URGENT_SUBMITTED = 8
# Of the urgent permits, this many are ready for the demo's shift lead: confined-space entries
# (his level signs them) with their JSA and isolation done and a coordinator named. The others
# show why he cannot: special-grade hot work (senior leader), a missing JSA or LOTO, a conflict.
_URGENT_READY = 3

_DESCRIPTIONS: dict[PermitType, tuple[str, ...]] = {
    PermitType.HOT_WORK: (
        "更换{eq}出口管线法兰垫片，气割旧螺栓",
        "{eq}进口管线补焊漏点",
        "{eq}支架切割改造",
        "{eq}平台护栏焊接修复",
        "{eq}出口阀门更换，电焊作业",
    ),
    PermitType.CONFINED_SPACE: (
        "{eq}内部检查清理",
        "{eq}塔盘检修",
        "{eq}内壁防腐检测",
        "污水井清淤（{eq}）",
    ),
    PermitType.BLINDING: ("{eq}入口管线加盲板（DN{dn}）", "{eq}出口管线抽盲板，恢复流程"),
    PermitType.WORK_AT_HEIGHT: (
        "{eq}顶部平台保温拆除（约{h}米）",
        "管廊电缆桥架安装（{h}米）",
        "搭设脚手架检修{eq}（{h}米）",
    ),
    PermitType.LIFTING: (
        "{t}吨汽车吊吊装{eq}换热器管束",
        "吊装钢结构梁（{t}吨）",
        "{eq}电机吊装更换（{t}吨）",
    ),
    PermitType.TEMPORARY_POWER: ("检修临时用电接入（{kw}kW）", "焊机临时电源接线（{kw}kW）"),
    PermitType.EXCAVATION: ("地下管线开挖（深{d}米）", "设备基础开挖（深{d}米）", "电缆沟开挖（深{d}米）"),
    PermitType.ROAD_CLOSURE: ("厂内{road}道路断路施工", "{road}路段吊车占道作业断路"),
}
_ROADS = ("一号路", "二号路", "三号路", "纬二路", "经三路", "环厂路")
_EQ_KINDS = ("P", "E", "V", "T", "C", "R", "K")


# (when, event type, by whom, detail) of a permit event row
_Event = tuple[datetime, str, str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _Draft:
    """One permit as drawn so far: what its approvals, work events and rows are made from."""

    permit_id: str
    ptype: PermitType
    status: PermitStatus
    urgent: bool
    area: AreaPlan
    grade: HotWorkGrade | None
    effective: HotWorkGrade | None
    reasons: list[str]
    start: datetime
    end: datetime
    created: datetime
    contractor: str | None
    crew: list[str]
    supervisor: str
    description: str
    prerequisites: dict[str, bool]

    def content_hash(self) -> str:
        """The hash the permit service signs and checks, so a seeded signature is valid."""
        return hash_fields(
            signed_fields(
                permit_id=self.permit_id,
                type=self.ptype,
                grade=self.grade,
                valid_from=self.start,
                valid_to=self.end,
                site=self.area.site_id,
                area=self.area.area_id,
                workers=self.crew,
                supervisor=self.supervisor,
                contractor=self.contractor,
                prerequisites=self.prerequisites,
                description=self.description,
            )
        )


# Why an urgent job could not wait for the full approval matrix (the green channel's reason).
_GREEN_REASONS = (
    "泄漏抢修,不能等待常规审批",
    "联锁失效,需立即处理以恢复保护",
    "降雨前必须完成封堵",
)


@dataclass
class PermitSeeder(SeedState):
    """Permits, their crews, gas tests, approvals and events, drawn into a :class:`SeedState`."""

    def _crew(self, ptype: PermitType, contractor: str | None) -> tuple[str | None, list[str]]:
        """A contractor (possibly changed to one that has the needed trade) and its workers, lead first."""
        trade = _TYPE_TRADE[ptype]
        lead_pool = self.valid_by_trade.get((contractor, trade), []) if trade else []
        if trade and not lead_pool:
            lead_pool = self.valid_by_trade.get(("*", trade), []) or self.valid_by_trade.get(
                (None, trade), []
            )
            if lead_pool:
                lead = self.rng.choice(lead_pool)
                contractor = self.contractor_of[lead]
                lead_pool = [lead]
        pool = self.valid_by_contractor.get(contractor, [])
        lead = self.rng.choice(lead_pool) if lead_pool else self.rng.choice(pool)
        others = [w for w in pool if w != lead]
        extra = self.rng.sample(others, min(len(others), self.rng.randint(0, 3)))
        return contractor, [lead, *sorted(extra)]

    def _area_for(self, ptype: PermitType, live: bool) -> AreaPlan:
        if ptype in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE, PermitType.BLINDING) and (
            live or self.rng.random() < 0.9
        ):
            # hot work wants a combustible-gas detector; confined space any safety channel
            wanted = {"LEL", "CH4"} if ptype is PermitType.HOT_WORK else SAFETY_CHANNELS
            return self.rng.choice([a for a in self.areas if wanted.intersection(a.gases)])
        if ptype in (PermitType.EXCAVATION, PermitType.LIFTING) and self.rng.random() < 0.6:
            return self.rng.choice([a for a in self.areas if a.site_id == "SITE-C"])
        return self.rng.choice(self.areas)

    def _window(
        self, hour_range: tuple[float, float], status: PermitStatus, urgent: bool
    ) -> tuple[datetime, float]:
        low, high = hour_range
        hours = round(self.rng.uniform(low, high) * 2) / 2
        minute = timedelta(minutes=self.rng.choice((0, 15, 30, 45)))
        if status in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED):
            ran = self.rng.uniform(0.5, max(0.6, min(hours - 1.5, 6)))
            start = self.now - timedelta(hours=ran)
            start = start.replace(minute=(start.minute // 15) * 15, second=0, microsecond=0)
        elif status in (PermitStatus.APPROVED, PermitStatus.SUBMITTED):
            ahead = self.rng.uniform(0.5, 3) if urgent else self.rng.uniform(1, 72)
            start = floor_hour(self.now + timedelta(hours=ahead)) + minute
            if start <= self.now:  # rounded down to now: a permit waiting for approval starts later
                start += timedelta(hours=1)
        else:
            back = self.rng.uniform(hours + 2, 30 * 24)
            start = floor_hour(self.now - timedelta(hours=back)) + minute
        return start, hours

    def permits(self) -> None:
        statuses = [s for s, n in _STATUS_QUOTA for _ in range(n)]
        types = list(_TYPE_WEIGHTS)
        weights = list(_TYPE_WEIGHTS.values())
        live_types = [t for t in types if t is not PermitType.BLINDING]
        urgent_left = _URGENT_SUBMITTED
        forced_active = [PermitType.HOT_WORK] * 10 + [PermitType.CONFINED_SPACE] * 6
        for status in statuses:
            urgent = False
            if status is PermitStatus.ACTIVE and forced_active:
                ptype = forced_active.pop()
            elif status in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED):
                ptype = self.rng.choices(live_types, weights=[_TYPE_WEIGHTS[t] for t in live_types])[0]
            else:
                ptype = self.rng.choices(types, weights=weights)[0]
            ready = False
            if status is PermitStatus.SUBMITTED and urgent_left > 0:
                urgent, urgent_left = True, urgent_left - 1
                ptype = self.rng.choice((PermitType.HOT_WORK, PermitType.HOT_WORK, PermitType.CONFINED_SPACE))
                if urgent_left >= _URGENT_SUBMITTED - _URGENT_READY:
                    ptype, ready = PermitType.CONFINED_SPACE, True
            self.permit(ptype, status, urgent, ready=ready)
        self._coordinators()
        self._coordinate_ready()

    def permit(self, ptype: PermitType, status: PermitStatus, urgent: bool, *, ready: bool = False) -> None:
        """One permit with its crew, approvals, gas tests and events (every draw in a fixed order)."""
        rng = self.rng
        live = status in (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
        area = self._area_for(ptype, live)
        grade, effective, reasons, start, end = self._validity(ptype, status, urgent, area, live)
        if ready:  # starts within the half hour its gas test (below) holds for
            start, end = self.now + timedelta(minutes=20), self.now + timedelta(minutes=20) + (end - start)
        contractor = rng.choice(self.contractors_ok) if rng.random() < 0.85 else None
        contractor, crew = self._crew(ptype, contractor)
        supervisor = rng.choice([s for s in self.supervisors if s not in crew])
        lead_time = (
            timedelta(minutes=rng.randint(20, 90)) if urgent else timedelta(minutes=rng.randint(120, 2880))
        )
        created = min(start - lead_time, self.now - timedelta(minutes=rng.randint(5, 60)))
        if ready:  # just filed: its approval deadline is still ahead when the demo opens
            created = self.now - timedelta(minutes=5)
        local_day = created.astimezone(self.calendars[area.site_id].zone).strftime("%Y%m%d")
        prefix = _TYPE_PREFIX[ptype]
        self.permit_seq[f"{prefix}-{local_day}"] += 1
        permit_id = f"{prefix}-{local_day}-{self.permit_seq[f'{prefix}-{local_day}']:03d}"
        description = self._description(ptype, area)
        needs_gas = ptype in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE)
        done = ready or status not in (PermitStatus.SUBMITTED, PermitStatus.REJECTED)
        prerequisites = {
            "jsa": True if done else rng.random() < 0.8,
            "isolation": True if done else rng.random() < 0.7,
            "gas_test": needs_gas
            and (status is not PermitStatus.SUBMITTED and status is not PermitStatus.APPROVED),
        }
        draft = _Draft(
            permit_id=permit_id,
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
            description=description,
            prerequisites=prerequisites,
        )
        x, y = area.point(rng)
        # a live urgent job approved through the green channel, to be reviewed the next working day
        green_channel = live and rng.random() < 0.1
        events: list[_Event] = [(created, "submitted", crew[0], {"urgent": urgent})]
        approved_at = self._approvals(draft, events) if status is not PermitStatus.SUBMITTED else None
        self._work(draft, approved_at, events)
        if ready:
            self._gas_test(permit_id, self.now - timedelta(minutes=5), area, passed=True)
        self._rows(draft, events, (x, y), green_channel)

    def _validity(
        self, ptype: PermitType, status: PermitStatus, urgent: bool, area: AreaPlan, live: bool
    ) -> tuple[HotWorkGrade | None, HotWorkGrade | None, list[str], datetime, datetime]:
        """Grade, effective grade (and why raised), start and end: within the grade's maximum."""
        rng = self.rng
        grade = effective = None
        reasons: list[str] = []
        hour_range = _HOURS[ptype]
        if ptype is PermitType.HOT_WORK:
            if area.hazard:
                grade = HotWorkGrade.SPECIAL if rng.random() < 0.25 else HotWorkGrade.GRADE_1
            else:
                grade = HotWorkGrade.GRADE_2
                hour_range = (8, 72)
        start, hours = self._window(hour_range, status, urgent)
        if grade is not None:
            decision = effective_grade(
                grade, start, start + timedelta(hours=hours), self.calendars[area.site_id], None
            )
            if decision.grade is not HotWorkGrade.GRADE_2:
                hours = min(hours, 8.0)
                decision = effective_grade(
                    grade, start, start + timedelta(hours=hours), self.calendars[area.site_id], None
                )
            effective, reasons = decision.grade, list(decision.raised_by)
        end = start + timedelta(hours=hours)
        if live and end <= self.now + timedelta(minutes=30):
            end = self.now + timedelta(minutes=30 + 15 * rng.randint(1, 8))
            if ptype is PermitType.HOT_WORK and effective is not HotWorkGrade.GRADE_2:
                start = max(start, end - timedelta(hours=8))
        return grade, effective, reasons, start, end

    def _description(self, ptype: PermitType, area: AreaPlan) -> str:
        rng = self.rng
        eq = f"{rng.choice(_EQ_KINDS)}-{area.area_id[-3:]}{rng.randint(1, 9)}"
        return rng.choice(_DESCRIPTIONS[ptype]).format(
            eq=eq,
            dn=rng.choice((50, 80, 100, 150, 200, 300)),
            h=rng.choice((3, 5, 8, 12, 18, 25)),
            t=rng.choice((8, 16, 25, 50, 80)),
            kw=rng.choice((15, 30, 45, 60)),
            d=rng.choice((0.8, 1.2, 1.5, 2.0, 3.0)),
            road=rng.choice(_ROADS),
        )

    def _approvals(self, d: _Draft, events: list[_Event]) -> datetime:
        """The signatures the rules require (the first one only, for a rejection); when they were made."""
        rng = self.rng
        levels = required_approvals(d.ptype, d.effective or d.grade)
        signed_at = min(d.created + timedelta(minutes=rng.randint(10, 120)), d.start - timedelta(minutes=5))
        signed_at = max(signed_at, d.created + timedelta(minutes=1))
        signed_at = min(signed_at, self.now - timedelta(minutes=1))
        content_hash = d.content_hash()
        verdict = "reject" if d.status is PermitStatus.REJECTED else "approve"
        for level in levels if verdict == "approve" else levels[:1]:
            signer = self._signer(level)
            self.add(
                Approval,
                permit_id=d.permit_id,
                level=level,
                signer=signer[0],
                role=str(signer[1]),
                signed_at=signed_at,
                decision=verdict,
                reason=(
                    rng.choice(
                        (
                            "jsa: JSA 未识别交叉作业风险",
                            "supervisor: 监护人资格不符",
                            "isolation: 能量隔离方案不完整",
                        )
                    )
                    if verdict == "reject"
                    else ""
                ),
                content_hash=content_hash,
            )
            events.append((signed_at, "approved" if verdict == "approve" else "rejected", signer[0], {}))
        return signed_at

    def _work(self, d: _Draft, approved_at: datetime | None, events: list[_Event]) -> None:
        """Cancellation, or the work itself: gas tests, start, and suspension or end."""
        rng, status, end = self.rng, d.status, d.end
        started = status in (
            PermitStatus.ACTIVE,
            PermitStatus.SUSPENDED,
            PermitStatus.CLOSED,
            PermitStatus.EXPIRED,
        )
        if status is PermitStatus.CANCELLED:
            at = min((approved_at or d.created) + timedelta(minutes=30), self.now - timedelta(minutes=1))
            events.append((at, "cancelled", d.crew[0], {}))
        if started:
            begin = d.start + timedelta(minutes=rng.randint(0, 10))
            if d.ptype in (PermitType.HOT_WORK, PermitType.CONFINED_SPACE):
                self._gas_test(
                    d.permit_id, begin - timedelta(minutes=rng.randint(5, 25)), d.area, passed=True
                )
                if d.ptype is PermitType.CONFINED_SPACE:
                    stop = min(end, self.now)
                    tick = begin + timedelta(hours=2)
                    while tick < stop:
                        self._gas_test(
                            d.permit_id, tick - timedelta(minutes=rng.randint(0, 10)), d.area, passed=True
                        )
                        tick += timedelta(hours=2)
                    if status is PermitStatus.ACTIVE and begin < self.now - timedelta(minutes=30):
                        # The demo starts quiet (docs/ALARMS.md): the crew inside has just recorded its
                        # reading, so no re-test is overdue the moment the window opens.
                        self._gas_test(
                            d.permit_id, self.now - timedelta(minutes=rng.randint(5, 25)), d.area, passed=True
                        )
            events.append((begin, "started", d.supervisor, {}))
            if status is PermitStatus.ACTIVE:
                # The supervisor checks in every 25 min (the limit is 30): the demo starts quiet.
                tick = begin + timedelta(minutes=25)
                while tick < self.now:
                    events.append((tick, "checkin", d.supervisor, {}))
                    tick += timedelta(minutes=25)
            if status is PermitStatus.SUSPENDED:
                at = max(begin + timedelta(minutes=10), self.now - timedelta(minutes=rng.randint(5, 40)))
                events.append((at, "suspended", "op.li", {"reason": "区域气体报警，停工待复测"}))
            elif status is PermitStatus.CLOSED:
                events.append((end - timedelta(minutes=rng.randint(0, 60)), "completed", d.supervisor, {}))
                events.append((end, "closed", "lead.wang", {}))
            elif status is PermitStatus.EXPIRED:
                events.append((end, "expired", "system", {}))

    def _rows(self, d: _Draft, events: list[_Event], xy: tuple[float, float], green_channel: bool) -> None:
        """The permit's events in time order, its row and its workers."""
        events.sort(key=lambda e: e[0])
        for ts, etype, by, detail in events:
            self.add(PermitEventRow, permit_id=d.permit_id, ts=ts, type=etype, by=by, detail=detail)
        self.add(
            Permit,
            id=d.permit_id,
            type=d.ptype,
            grade=d.grade,
            effective_grade=d.effective,
            grade_reasons=d.reasons,
            status=d.status,
            site_id=d.area.site_id,
            area_id=d.area.area_id,
            valid_from=d.start,
            valid_to=d.end,
            applicant=d.crew[0],
            supervisor=d.supervisor,
            coordinator=None,
            contractor_code=d.contractor,
            description=d.description,
            urgent=d.urgent or green_channel,
            green_channel_review=green_channel,
            prerequisites=d.prerequisites,
            x=xy[0],
            y=xy[1],
            created_at=d.created,
            updated_at=max(e[0] for e in events),
            version=1,
        )
        for worker in d.crew:
            self.add(PermitWorker, permit_id=d.permit_id, worker_id=worker)
        if green_channel:
            self._green_channel_reason(d.permit_id)

    def _green_channel_reason(self, permit_id: str) -> None:
        """The reason on the green-channel signature, as the approval panel writes it (no draw from the
        generator, so the rest of the demo stays as it was)."""
        signed = [
            r for r in self.rows[Approval] if r["permit_id"] == permit_id and r["decision"] == "approve"
        ]
        if signed:
            why = _GREEN_REASONS[sum(map(ord, permit_id)) % len(_GREEN_REASONS)]
            signed[0]["reason"] = f"green channel: {why}"

    def _signer(self, level: ApprovalLevel) -> tuple[str, Role]:
        by_level = {
            ApprovalLevel.OPERATING_UNIT: (("lead.wang", Role.SHIFT_LEAD), ("unit.liu", Role.SHIFT_LEAD)),
            ApprovalLevel.SAFETY_DEPARTMENT: (
                ("safety.chen", Role.SAFETY_MANAGER),
                ("safety.sun", Role.SAFETY_MANAGER),
            ),
            ApprovalLevel.SENIOR_LEADER: (("leader.zhou", Role.SAFETY_MANAGER),),
        }
        return self.rng.choice(by_level[level])

    def _gas_test(self, permit_id: str, taken_at: datetime, area: AreaPlan, *, passed: bool) -> None:
        rng = self.rng
        values = {
            "LEL": round(rng.uniform(0, 3), 1),
            "CH4": round(rng.uniform(0, 0.1), 2),
            "O2": round(rng.uniform(20.5, 20.9), 1),
            "H2S": round(rng.uniform(0, 2), 1),
            "CO": float(rng.randint(0, 6)),
            "SO2": round(rng.uniform(0, 0.5), 1),
            "NH3": float(rng.randint(0, 8)),
            "CL2": round(rng.uniform(0, 0.2), 1),
        }
        channels = [ch for ch in area.gases if ch in values] or ["LEL", "O2"]
        if "O2" not in channels:
            channels.append("O2")
        readings = [{"ch": ch, "v": values[ch], "u": CANONICAL_UNITS[ch]} for ch in channels]
        tester = rng.choice(self.supervisors)
        self.add(GasTest, permit_id=permit_id, taken_at=taken_at, by=tester, passed=passed, readings=readings)

    def _coordinate_ready(self) -> None:
        """The urgent permits ready for the shift lead share a coordinator with the jobs they overlap."""
        rows = self.rows[Permit]
        for row in rows:
            ready = row["prerequisites"].get("jsa") and row["prerequisites"].get("isolation")
            urgent_entry = row["urgent"] and row["type"] is PermitType.CONFINED_SPACE
            if not (urgent_entry and ready and row["status"] is PermitStatus.SUBMITTED):
                continue
            others = [
                o
                for o in rows
                if o is not row
                and (o["site_id"], o["area_id"]) == (row["site_id"], row["area_id"])
                and o["valid_from"] < row["valid_to"]
                and row["valid_from"] < o["valid_to"]
            ]
            if not others:
                continue
            named = next((o["coordinator"] for o in others if o.get("coordinator")), None)
            coordinator = named or self.supervisors[0]
            for o in (row, *others):
                o["coordinator"] = coordinator

    def _coordinators(self) -> None:
        """Simultaneous live jobs in one area need a named coordinator (GB 30871 §4)."""
        live = (PermitStatus.ACTIVE, PermitStatus.SUSPENDED)
        by_area: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows[Permit]:
            if row["status"] in live:
                by_area[(row["site_id"], row["area_id"])].append(row)
        for key in sorted(by_area):
            rows = by_area[key]
            if len(rows) > 1:
                coordinator = self.rng.choice(self.supervisors)
                for row in rows:
                    row["coordinator"] = coordinator
