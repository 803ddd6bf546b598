"""The demo plant's inspection (issue 23): two to four pieces of equipment in every area, one route per
area walked at 08:00 and 20:00, today's morning round (most points in time, some late or missed, one
pair scanned too fast), and a few defects with their work orders, one of them overdue and escalated.
Before today, the month's rounds: both rounds of every day, a point missed and a pair scanned too fast
now and then, their defects repaired and verified (the closed orders), and one point whose readings
never change: ticked, not read (the rounds screen's "same answers" suspicion, from the month's results).
Reproducible from the demo's seed and time, like the rest of the demo; the month is drawn after
everything else, so today's rows are what they were without it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from cockpit.demo_state import SeedState
from cockpit.inspection.work_orders import WorkOrderRules
from models.records import DefectSeverity
from models.schema import (
    AreaOwner,
    Equipment,
    InspectionResult,
    InspectionRoute,
    InspectionScan,
    RoutePoint,
    WorkOrder,
    WorkOrderEvent,
)

INSPECTION_ORDER = (
    Equipment,
    AreaOwner,
    InspectionRoute,
    RoutePoint,
    InspectionScan,
    InspectionResult,
    WorkOrder,
    WorkOrderEvent,
)
KINDS = (
    ("泵", "pump"),
    ("换热器", "exchanger"),
    ("压缩机", "compressor"),
    ("阀组", "valves"),
    ("储罐", "tank"),
)
CHECKLIST = ["泄漏 leak?", "异响或振动 noise or vibration?", "压力 pressure (MPa)", "温度 temperature (°C)"]
OWNERS = ("lead.wang", "unit.liu", "safety.chen")
ZONE = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 29  # the month before today
TICKED = 1.2  # the reading of the point that is ticked, not read (MPa)


class InspectionSeeder(SeedState):
    def inspection(self) -> None:
        rng, now = self.rng, self.now
        today = now.astimezone(ZONE).date()
        morning = datetime.combine(today, time(8, 0), ZONE).astimezone(UTC)
        n = 0
        for plan in self.areas:
            codes = []
            for k in range(rng.randint(2, 4)):
                n += 1
                code, (kind, _) = f"EQ-{n:04d}", KINDS[rng.randrange(len(KINDS))]
                x, y = plan.point(rng)
                owner = OWNERS[rng.randrange(len(OWNERS))] if k == 0 else ""
                self.add(
                    Equipment, code=code, site_id=plan.site_id, area_id=plan.area_id, name=f"{k + 1}号{kind}",
                    tag=f"TAG-{n:04d}", owner=owner, checklist=CHECKLIST, x=x, y=y, active=True,
                )  # fmt: skip
                codes.append(code)
            self.add(AreaOwner, site_id=plan.site_id, area_id=plan.area_id, owner="lead.wang")
            route = f"R-{plan.site_id}-{plan.area_id}"
            self.add(
                InspectionRoute, id=route, site_id=plan.site_id, area_id=plan.area_id,
                name=f"{plan.name}巡检", per_day=2, first_start=time(8, 0), round_minutes=60, active=True,
            )  # fmt: skip
            for seq, code in enumerate(codes):
                self.add(RoutePoint, route_id=route, seq=seq, equipment_code=code)
            if now > morning:
                self._walk(plan.site_id, plan.area_id, codes, morning)
        if self.areas:  # yesterday's defect, past its due time and escalated: what the queue is for
            plan, code = self.areas[0], self.rows[Equipment][0]["code"]
            found = now - timedelta(hours=30)
            self._order(
                plan.site_id,
                plan.area_id,
                code,
                self._result(plan, code, found, True),
                self._severity(),
                found,
            )
        self._month()

    def _month(self) -> None:
        """Both rounds of every route on each of the days before today; defects found then are closed."""
        today = self.now.astimezone(ZONE).date()
        routes = [
            (
                r["site_id"],
                r["area_id"],
                [p["equipment_code"] for p in self.rows[RoutePoint] if p["route_id"] == r["id"]],
            )
            for r in self.rows[InspectionRoute]
        ]
        for back in range(HISTORY_DAYS, 0, -1):
            for hour in (8, 20):
                start = datetime.combine(today - timedelta(days=back), time(hour, 0), ZONE).astimezone(UTC)
                for site, area, codes in routes:
                    self._walk(site, area, codes, start, past=True)

    def _walk(self, site: str, area: str, codes: list[str], start: datetime, *, past: bool = False) -> None:
        rng = self.rng
        worker = f"demo-{area}"
        at = start + timedelta(minutes=rng.randint(2, 10))
        fast = rng.random() < 0.15
        for i, code in enumerate(codes):
            fate = rng.random()
            if fate < 0.08:
                continue  # missed
            step = timedelta(seconds=6) if fast and i == 1 else timedelta(minutes=rng.randint(3, 9))
            at += step + (timedelta(minutes=70) if fate > 0.95 else timedelta())
            if at > self.now:
                return
            scan = f"{code}-{at:%m%d%H%M%S}" if past else f"{code}-{at:%H%M%S}"
            self.add(
                InspectionScan, scan_id=scan, site_id=site, area_id=area, tag=code.replace("EQ", "TAG"),
                equipment_code=code, worker=worker, ts=at,
            )  # fmt: skip
            defect = rng.random() < (0.03 if past else 0.08) and code != self._ticked
            result = self._result_row(site, area, code, scan, at, worker, defect)
            if defect:
                self._order(site, area, code, result, self._severity(), at, closed=past)

    def _severity(self) -> str:
        return str(self.rows[InspectionResult][-1]["severity"])  # the result just written

    def _result(self, plan: Any, code: str, at: datetime, defect: bool) -> str:
        return self._result_row(
            plan.site_id, plan.area_id, code, f"{code}-{at:%m%d%H%M}", at, "demo-old", defect
        )

    def _result_row(
        self, site: str, area: str, code: str, scan: str, at: datetime, worker: str, defect: bool
    ) -> str:
        rng = self.rng
        answers: list[dict[str, Any]] = [
            {"item": q, "ok": not (defect and j == 0), "value": None} for j, q in enumerate(CHECKLIST[:2])
        ]
        value = round(rng.uniform(0.8, 1.6), 2)  # drawn for every point: the stream stays as it was
        answers += [{"item": CHECKLIST[2], "ok": True, "value": TICKED if code == self._ticked else value}]
        severity = [DefectSeverity.MINOR, DefectSeverity.MAJOR, DefectSeverity.CRITICAL][rng.randrange(3)]
        self.add(
            InspectionResult, result_id=f"{scan}-r", scan_id=scan, site_id=site, area_id=area,
            equipment_code=code, tag=code.replace("EQ", "TAG"), worker=worker, ts=at, answers=answers,
            defect=defect, severity=severity.value if defect else None, note="轻微渗漏" if defect else "",
            photos=[],
        )  # fmt: skip
        return f"{scan}-r"

    @cached_property
    def _ticked(self) -> str:
        """The point whose readings never change: the first area's second piece of equipment (asked first
        on that area's round, when its equipment is all there)."""
        if not self.areas:
            return ""
        first = (self.areas[0].site_id, self.areas[0].area_id)
        codes = [e["code"] for e in self.rows[Equipment] if (e["site_id"], e["area_id"]) == first]
        return str(codes[1]) if len(codes) > 1 else ""

    def _order(
        self,
        site: str,
        area: str,
        code: str,
        result: str,
        severity: str,
        at: datetime,
        *,
        closed: bool = False,
    ) -> None:
        day = (at if closed else self.now).astimezone(ZONE)  # a closed order is named by its own day
        order = f"WO-{day:%Y%m%d}-{len(self.rows[WorkOrder]) + 1:03d}"
        due = at + WorkOrderRules().due_after(severity)  # as the intake would have set it
        owner = next(
            (e["owner"] for e in self.rows[Equipment] if e["code"] == code and e["owner"]), "lead.wang"
        )
        if closed:
            self._closed(order, result, site, area, code, severity, owner, at, due)
            return
        rules = WorkOrderRules()
        values: dict[str, Any] = {"escalation_step": -1, "escalated_to": ""}
        if due < self.now:  # the steps the permit timers would have written by now
            step = min(int((self.now - due) / rules.escalation_step), len(rules.escalation_chain) - 1)
            values = {"escalation_step": step, "escalated_to": rules.escalation_chain[step]}
        self.add(
            WorkOrder, id=order, result_id=result, site_id=site, area_id=area, equipment_code=code,
            severity=severity, description="轻微渗漏", owner=owner, status="open", created_at=at, due_at=due,
            fixed_note="", verification="", **values,
        )  # fmt: skip
        self.add(WorkOrderEvent, order_id=order, ts=at, type="created", by="", detail={"result": result})

    def _closed(
        self, order: str, result: str, site: str, area: str, code: str, severity: str, owner: str,
        at: datetime, due: datetime,
    ) -> None:  # fmt: skip
        """A past defect repaired by its owner before its due time and verified by someone else, both
        before now (the month ends with yesterday's evening round)."""
        end = max(min(due, self.now - timedelta(minutes=30)), at + timedelta(minutes=2))
        fixed = at + (end - at) * self.rng.uniform(0.2, 0.8)
        closed = fixed + timedelta(minutes=self.rng.randint(20, 180))
        if closed >= self.now:
            closed = fixed + (self.now - fixed) / 2
        verifier = "safety.chen" if owner != "safety.chen" else "lead.wang"
        self.add(
            WorkOrder, id=order, result_id=result, site_id=site, area_id=area, equipment_code=code,
            severity=severity, description="轻微渗漏", owner=owner, status="closed", created_at=at,
            due_at=due, escalation_step=-1, escalated_to="", fixed_at=fixed, fixed_by=owner,
            fixed_note="已紧固法兰，更换垫片", closed_at=closed, verified_by=verifier,
            verification="现场复查无泄漏",
        )  # fmt: skip
        self.add(WorkOrderEvent, order_id=order, ts=at, type="created", by="", detail={"result": result})
        self.add(WorkOrderEvent, order_id=order, ts=fixed, type="fixed", by=owner, detail={})
        self.add(WorkOrderEvent, order_id=order, ts=closed, type="closed", by=verifier, detail={})


def seed_inspection(state: SeedState) -> None:
    """The inspection rows beside the demo's plant (its areas must be seeded first)."""
    InspectionSeeder.sharing(state).inspection()


__all__ = ["INSPECTION_ORDER", "seed_inspection"]
