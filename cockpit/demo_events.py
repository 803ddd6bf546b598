"""The demo plant's three months of what happened around the work (issue 21): the alarm journal, stop-works,
near misses and contractor violations, drawn after the history permits (``cockpit.demo_history``) with
the same generator, and the audit entries the history needs, chained in time order.

All of it lies in the past and every alarm ends in ``normal`` before the demo's ``now``: the demo still
opens quiet (docs/ALARMS.md). The journal holds, besides a background of gas alarms acknowledged and
cleared:
- floods: a site's detectors losing their link together (``STALE`` on every channel within minutes);
- chattering alarms: one channel raised again and again within a minute;
- standing alarms (active for more than 24 h) and shelved alarms across each month's end, so each month's
  figures have them at its end.
Stop-works are automatic (after a ``HIHI`` in the journal) and manual, acknowledged ``received`` and
``executed`` by the field (some never executed: ``timeout``), each followed by its resume; the permits
in the area are suspended and resumed with them. Near misses come from operators (some from an alarm)
and from the field; violations are written against the crews of the history permits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cockpit.demo_history import HISTORY_DAYS, QUIET_BEFORE_NOW, HistorySeeder, PastPermit
from cockpit.demo_state import SeedState
from models.audit import GENESIS_HASH, canonical_json, entry_hash
from models.records import NearMissCategory
from models.schema import (
    AlarmJournalEntry,
    AuditEntry,
    Command,
    CommandAckRow,
    ContractorViolation,
    Detector,
    DetectorChannel,
    NearMiss,
    Permit,
    PermitEventRow,
)

CONSOLE = "console"  # the journal's console (the demo runs one)
OPERATORS = ("op.li", "op.zhang")
STOPS_PER_MONTH = 14
NEAR_MISSES_PER_MONTH = 22
VIOLATIONS_PER_MONTH = 12
_GASES = {"LEL", "CH4", "H2S", "CO", "O2", "NH3", "SO2", "CL2"}
# channel -> (HI value, HIHI value) as a reading at the alarm (O2: LO, LOLO)
_VALUES = {
    "LEL": (22.0, 48.0),
    "CH4": (0.6, 1.2),
    "H2S": (12.0, 24.0),
    "CO": (35.0, 80.0),
    "O2": (19.2, 18.1),
    "NH3": (32.0, 60.0),
    "SO2": (6.0, 12.0),
    "CL2": (1.2, 3.0),
}
_MARGIN = timedelta(minutes=1)
_PRIORITY = {"HI": 2, "HIHI": 1, "LO": 2, "LOLO": 1, "STALE": 3}
_NEAR_MISS_TEXTS: dict[NearMissCategory, tuple[str, ...]] = {
    NearMissCategory.GAS_RELEASE: (
        "法兰泄漏，可燃气体浓度短时升高，及时隔离",
        "取样口阀门未关严，硫化氢逸出",
    ),
    NearMissCategory.FIRE_IGNITION: ("焊渣引燃油布，监护人当即扑灭", "切割火花落入地沟，未引燃"),
    NearMissCategory.FALL_FROM_HEIGHT: (
        "安全带挂点松动，作业人员未坠落",
        "脚手板未绑扎，作业人员踩空扶住护栏",
    ),
    NearMissCategory.DROPPED_OBJECT: ("扳手从平台坠落，下方警戒区内无人", "吊装索具滑脱，管件落地"),
    NearMissCategory.CONFINED_SPACE_ATMOSPHERE: (
        "罐内氧含量降至 19.3%，人员及时撤出",
        "塔内复测硫化氢超标，暂停进入",
    ),
    NearMissCategory.ELECTRICAL: ("临时电缆破皮，漏电保护器动作", "配电箱未挂牌，险些误送电"),
    NearMissCategory.STRUCK_BY: ("叉车倒车险些撞到作业人员", "管线试压时盲板松动"),
    NearMissCategory.OTHER: ("作业区警戒带被移开，无关人员进入", "交叉作业未告知，险些相互干扰"),
}
_CATEGORY_WEIGHTS = (6, 4, 5, 5, 3, 3, 3, 2)
_VIOLATIONS = (
    ("动火作业未配备灭火器", 3),
    ("高处作业未系安全带", 5),
    ("监护人擅自离岗", 5),
    ("作业票超期未续", 2),
    ("受限空间作业未连续监测", 5),
    ("临时用电私拉乱接", 3),
    ("未按规定佩戴安全帽", 1),
)


# The history's own tables, in the order they are inserted (after the permits: violations name workers,
# near misses and suspensions permits; a resume names its stop).
HISTORY_ORDER = (Command, CommandAckRow, AlarmJournalEntry, NearMiss, AuditEntry)


def seed_history(state: SeedState, seed: int) -> dict[str, int]:
    """The three months behind the live month, into ``state``'s rows (a generator of their own); the
    rows added, by table."""
    live_permits = len(state.rows[Permit])
    history = EventSeeder.sharing(state)
    history.begin_history(seed)
    history.history_permits()
    history.history_events()
    history.audit_rows()
    counts = {m.__tablename__: len(state.rows[m]) for m in HISTORY_ORDER}
    return counts | {"permits": len(state.rows[Permit]) - live_permits}


class EventSeeder(HistorySeeder):
    """The journal, stop-works, near misses and violations of the three months; then the audit rows."""

    journal: list[dict[str, Any]]
    _busy: dict[str, list[tuple[datetime, datetime]]]  # alarm id -> when it is out of normal

    def _claim(self, alarm_id: str, start: datetime, end: datetime) -> bool:
        """Whether ``alarm_id`` is normal from ``start`` to ``end`` (a minute's margin); if so, taken."""
        spans = self._busy.setdefault(alarm_id, [])
        if any(s - _MARGIN < end and start < e + _MARGIN for s, e in spans):
            return False
        spans.append((start, end))
        return True

    def history_events(self) -> None:
        self.journal, self._busy = [], {}
        channels = self._channels()
        # the alarms a figure needs first; later ones skip an alarm already active at that time
        self._month_ends(channels)
        self._stops(channels)
        self._near_misses(channels)
        self._chatter(channels)
        self._floods(channels)
        self._background(channels)
        self._violations()
        self.journal.sort(key=lambda r: (r["ts"], r["alarm_id"], r["to_state"]))
        self.rows[AlarmJournalEntry].extend(self.journal)

    # ---------------------------------------------------------- the alarm journal

    def _channels(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(site, area) -> [(source, unit)] of the gas channels the demo registered."""
        where = {d["id"]: (d["site_id"], d["area_id"]) for d in self.rows[Detector]}
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for ch in self.rows[DetectorChannel]:
            if ch["ch"] in _GASES and ch["detector_id"] in where:
                site, area = where[ch["detector_id"]]
                out.setdefault((site, area), []).append(
                    (f"{site}/{area}/{ch['detector_id']}/{ch['ch']}", ch["unit"])
                )
        return dict(sorted(out.items()))

    def _row(
        self, source: str, cond: str, ts: datetime, states: tuple[str, str], who: str = "", **more: Any
    ) -> None:
        site, area = source.split("/")[:2]
        self.journal.append(
            {
                "alarm_id": f"{source}:{cond}",
                "ts": ts,
                "site_id": site,
                "area_id": area,
                "source": source,
                "condition": cond,
                "priority": _PRIORITY[cond],
                "from_state": states[0],
                "to_state": states[1],
                "value": more.get("value"),
                "unit": more.get("unit", ""),
                "who": who,
                "note": more.get("note", ""),
                "console": CONSOLE,
            }
        )

    def episode(
        self, source: str, unit: str, cond: str, raised: datetime, acked: timedelta, cleared: timedelta
    ) -> bool:
        """One alarm: raised, acknowledged, cleared (or cleared before the acknowledgement); False when
        that alarm is out of normal then already (nothing written)."""
        ch = source.rsplit("/", 1)[1]
        hi, hihi = _VALUES.get(ch, (0.0, 0.0))
        if ch == "O2" and cond in ("HI", "HIHI"):
            cond = "LO" if cond == "HI" else "LOLO"
        if not self._claim(f"{source}:{cond}", raised, raised + max(acked, cleared)):
            return False
        value = None if cond == "STALE" else (hi if cond in ("HI", "LO") else hihi)
        who = self.rng.choice(OPERATORS)
        self._row(source, cond, raised, ("normal", "unack"), value=value, unit=unit)
        if acked <= cleared:
            self._row(source, cond, raised + acked, ("unack", "acked"), who)
            self._row(source, cond, raised + cleared, ("acked", "normal"))
        else:
            self._row(source, cond, raised + cleared, ("unack", "rtn_unack"))
            self._row(source, cond, raised + acked, ("rtn_unack", "normal"), who)
        return True

    def _any_moment(self) -> datetime:
        first = self.now - timedelta(days=HISTORY_DAYS)
        span = (HISTORY_DAYS * 24 - 6) * 3600
        return (first + timedelta(seconds=self.rng.uniform(0, span))).replace(microsecond=0)

    def _background(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        rng, places = self.rng, list(channels.values())
        for day in range(HISTORY_DAYS - 1):
            start = self.now - timedelta(days=HISTORY_DAYS - day)
            for _ in range(rng.randint(4, 14)):
                source, unit = rng.choice(rng.choice(places))
                raised = (start + timedelta(seconds=rng.uniform(0, 86400))).replace(microsecond=0)
                if raised > self.now - QUIET_BEFORE_NOW - timedelta(hours=2):
                    continue
                cond = rng.choices(("HI", "HIHI", "STALE"), weights=(7, 2, 2))[0]
                acked = timedelta(seconds=rng.randint(20, 600))
                self.episode(source, unit, cond, raised, acked, timedelta(seconds=rng.randint(60, 3600)))

    def _floods(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        """About once a week a segment of a site's field network drops: every channel of five of its
        areas goes STALE within four minutes (a flood: ten alarms or more in ten minutes)."""
        rng = self.rng
        sites = sorted({site for site, _ in channels})
        for week in range(HISTORY_DAYS // 7):
            at = self.now - timedelta(days=HISTORY_DAYS - 7 * week - rng.uniform(0.5, 6.5))
            site = rng.choice(sites)
            areas = [key for key in channels if key[0] == site]
            back = timedelta(minutes=rng.randint(6, 25))
            for key in rng.sample(areas, min(5, len(areas))):
                for source, unit in channels[key]:
                    raised = at + timedelta(seconds=rng.randint(0, 240))
                    self.episode(source, unit, "STALE", raised, timedelta(seconds=rng.randint(30, 400)), back)

    def _chatter(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        """A few times a week one channel hovers at its HI limit: raised, returned, raised again."""
        rng, places = self.rng, list(channels.values())
        for _ in range(HISTORY_DAYS * 3 // 7):
            source, unit = rng.choice(rng.choice(places))
            ch = source.rsplit("/", 1)[1]
            cond = "LO" if ch == "O2" else "HI"
            t = self._any_moment()
            if not self._claim(f"{source}:{cond}", t, t + timedelta(minutes=3)):
                continue
            for n in range(rng.randint(4, 7)):
                self._row(
                    source,
                    cond,
                    t,
                    ("normal" if n == 0 else "rtn_unack", "unack"),
                    value=_VALUES[ch][0],
                    unit=unit,
                )
                t += timedelta(seconds=rng.randint(3, 8))
                self._row(source, cond, t, ("unack", "rtn_unack"))
                t += timedelta(seconds=rng.randint(2, 6))
            self._row(
                source,
                cond,
                t + timedelta(seconds=rng.randint(20, 90)),
                ("rtn_unack", "normal"),
                rng.choice(OPERATORS),
            )

    def _month_ends(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        """Across each month's end (plant time): standing alarms (active > 24 h) and shelved ones."""
        rng, places = self.rng, list(channels.values())
        zone = ZoneInfo("Asia/Shanghai")
        local = (self.now - timedelta(days=HISTORY_DAYS)).astimezone(zone)
        boundary = datetime(local.year, local.month, 1, tzinfo=zone)
        latest = self.now - QUIET_BEFORE_NOW
        while True:
            boundary = datetime(boundary.year + boundary.month // 12, boundary.month % 12 + 1, 1, tzinfo=zone)
            end = boundary.astimezone(UTC)
            if end + timedelta(hours=30) > latest:
                return
            for _ in range(rng.randint(1, 3)):  # standing: a detector in a stagnant corner, then fixed
                source, unit = rng.choice(rng.choice(places))
                raised = end - timedelta(hours=rng.randint(26, 60))
                self.episode(
                    source,
                    unit,
                    "HI",
                    raised,
                    timedelta(minutes=rng.randint(2, 20)),
                    end + timedelta(hours=rng.randint(1, 20)) - raised,
                )
            for _ in range(rng.randint(1, 2)):  # shelved while the sensor drifts, until calibrated
                source, unit = rng.choice(rng.choice(places))
                cond = "LO" if source.endswith("/O2") else "HI"
                raised = end - timedelta(hours=rng.randint(8, 40))
                back = end + timedelta(hours=rng.randint(2, 28))
                who = rng.choice(OPERATORS)
                if not self._claim(f"{source}:{cond}", raised, back):
                    continue
                self._row(
                    source,
                    cond,
                    raised,
                    ("normal", "unack"),
                    value=_VALUES[source.rsplit("/", 1)[1]][0],
                    unit=unit,
                )
                self._row(source, cond, raised + timedelta(minutes=3), ("unack", "acked"), who)
                note = "传感器漂移，搁置待校准"
                self._row(source, cond, raised + timedelta(minutes=10), ("acked", "shelved"), who, note=note)
                self._row(
                    source,
                    cond,
                    back,
                    ("shelved", "normal"),
                    "lead.wang",
                )

    # ---------------------------------------------------------- stop-works

    def _stops(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        rng = self.rng
        worked = [p for p in self.past if (p.site, p.area) in channels]
        for _ in range(STOPS_PER_MONTH * HISTORY_DAYS // 30):
            p = rng.choice(worked)
            at = (p.begin + (p.end - p.begin) * rng.uniform(0.1, 0.7)).replace(microsecond=0)
            auto = rng.random() < 0.6
            source, unit = rng.choice(channels[(p.site, p.area)])
            ch = source.rsplit("/", 1)[1]
            cond = "LOLO" if ch == "O2" else "HIHI"
            acked, cleared = timedelta(seconds=rng.randint(10, 90)), timedelta(minutes=rng.randint(5, 40))
            if auto and self.episode(source, unit, cond, at - timedelta(seconds=1), acked, cleared):
                reason, alarm_id, by = f"{ch} {cond} {_VALUES[ch][1]:g} {unit}", f"{source}:{cond}", "cockpit"
            else:
                why = ("现场异味，停工排查", "监护人离岗，停工整改", "交叉作业冲突，暂停")
                reason, alarm_id, by = rng.choice(why), "", rng.choice(("op.li", "op.zhang", "lead.wang"))
            area_permits = sorted(
                q.permit_id
                for q in self.past
                if (q.site, q.area) == (p.site, p.area) and q.begin <= at < q.end
            )
            stop = self._command("stop", p, area_permits, reason, alarm_id, by, by == "cockpit", at, None)
            resume_at = at + timedelta(minutes=rng.randint(30, 180))
            self._command(
                "resume", p, area_permits, "复测合格，恢复作业", "", "lead.wang", False, resume_at, stop
            )
            for permit_id in area_permits:
                self.add(
                    PermitEventRow,
                    permit_id=permit_id,
                    ts=at,
                    type="suspended",
                    by=by,
                    detail={"reason": reason, "command": stop},
                )
                self.add(
                    PermitEventRow,
                    permit_id=permit_id,
                    ts=resume_at,
                    type="resumed",
                    by="lead.wang",
                    detail={"command": stop},
                )

    def _command(
        self,
        kind: str,
        p: PastPermit,
        permits: Sequence[str],
        reason: str,
        alarm_id: str,
        by: str,
        auto: bool,
        at: datetime,
        ends: str | None,
    ) -> str:
        rng = self.rng
        command_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        executed = kind == "resume" or rng.random() < 0.9
        self.add(
            Command,
            command_id=command_id,
            kind=kind,
            site_id=p.site,
            area_id=p.area,
            permits=list(permits),
            reason=reason,
            alarm_id=alarm_id or None,
            issued_by=by,
            auto=auto,
            issued_at=at,
            ends=ends,
            state="executed" if executed else "timeout",
        )
        got = at + timedelta(milliseconds=rng.randint(300, 2500))
        gateway = f"gw-{p.site.lower()}"
        self.add(
            CommandAckRow,
            command_id=command_id,
            ts=got,
            status="received",
            by=gateway,
            detail="",
            received_at=got,
        )
        if executed:
            done = got + timedelta(milliseconds=rng.randint(2000, 55000))
            self.add(
                CommandAckRow,
                command_id=command_id,
                ts=done,
                status="executed",
                by=gateway,
                detail="",
                received_at=done,
            )
        return command_id

    # ---------------------------------------------------------- near misses, violations

    def _near_misses(self, channels: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        rng = self.rng
        categories = list(NearMissCategory)
        for n in range(NEAR_MISSES_PER_MONTH * HISTORY_DAYS // 30):
            p = rng.choice(self.past) if rng.random() < 0.7 else None
            at = (p.begin + (p.end - p.begin) * rng.uniform(0.05, 0.95)) if p else self._any_moment()
            at = at.replace(microsecond=0)
            site, area = (
                (p.site, p.area)
                if p
                else rng.choice(list(channels) or [(a.site_id, a.area_id) for a in self.areas])
            )
            category = rng.choices(categories, weights=_CATEGORY_WEIGHTS)[0]
            field = rng.random() < 0.45
            alarm_id = None
            if not field and (site, area) in channels and category is NearMissCategory.GAS_RELEASE:
                source, unit = rng.choice(channels[(site, area)])
                cond = "LO" if source.endswith("/O2") else "HI"
                if self.episode(
                    source, unit, cond, at - timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=15)
                ):
                    alarm_id = f"{source}:{cond}"
            reporter = (
                (p.supervisor if p else rng.choice(self.supervisors))
                if field
                else rng.choice((*OPERATORS, "lead.wang"))
            )
            local = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")
            self.add(
                NearMiss,
                occurred_at=at,
                recorded_at=min(at + timedelta(minutes=rng.randint(5, 240)), self.now - QUIET_BEFORE_NOW),
                site_id=site,
                area_id=area,
                permit_id=p.permit_id if p else None,
                contractor_id=p.contractor if p else None,
                category=category.value,
                source="field" if field else "operator",
                alarm_id=alarm_id,
                description=rng.choice(_NEAR_MISS_TEXTS[category]),
                recorded_by=f"field:{reporter}" if field else reporter,
                message_id=f"NM-{local}-{n:04d}" if field else None,
            )

    def _violations(self) -> None:
        rng = self.rng
        contracted = [p for p in self.past if p.contractor]
        for _ in range(VIOLATIONS_PER_MONTH * HISTORY_DAYS // 30):
            p = rng.choice(contracted)
            text, points = rng.choice(_VIOLATIONS)
            self.add(
                ContractorViolation,
                contractor_code=p.contractor,
                at=(p.begin + (p.end - p.begin) * rng.uniform(0.1, 0.9)).replace(microsecond=0),
                description=text,
                points=points,
                worker_id=rng.choice(p.crew),
                recorded_by=rng.choice(("safety.chen", "safety.sun")),
            )

    # ---------------------------------------------------------- the audit chain

    def audit_rows(self) -> None:
        """The history's audit entries (the green channel's), chained in time order before the seed's own
        entry, which ``seed_demo`` appends after them."""
        prev = GENESIS_HASH
        ordered = sorted(self.audits, key=lambda a: (a[0], a[2], a[3]))
        for seq, (ts, actor, action, subject, details) in enumerate(ordered, start=1):
            text = canonical_json(details)
            digest = entry_hash(
                prev, seq=seq, ts=ts, actor=actor, action=action, subject=subject, details=json.loads(text)
            )
            self.add(
                AuditEntry,
                seq=seq,
                ts=ts,
                actor=actor,
                action=action,
                subject=subject,
                details=text,
                prev_hash=prev,
                hash=digest,
            )
            prev = digest
