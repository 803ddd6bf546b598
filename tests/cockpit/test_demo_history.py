"""The demo plant's three months behind the live month (issue 21): every kind of record the monthly report,
the alarm figures and contractor performance read is there in each of the three months, the same for the
same seed, and the demo still opens quiet (every alarm of the history back to normal)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from cockpit.alarm_kpi import read_kpis
from cockpit.demo_seed import SeedSummary, seed_demo
from connectors.database import Database
from models.rules.gas_tests import SAMPLE_BEFORE_START
from models.rules.validity import gb_max_validity
from models.schema import (
    AlarmJournalEntry,
    Approval,
    AuditEntry,
    Command,
    CommandAckRow,
    ContractorViolation,
    GasTest,
    NearMiss,
    Permit,
    PermitEventRow,
)
from tests.support.fresh_db import open_fresh

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
ZONE = ZoneInfo("Asia/Shanghai")
MONTHS = ("2026-09", "2026-10", "2026-11")  # the three months before the live one
CODED = re.compile(r"^[a-z_]+: \S")


def bounds(month: str) -> tuple[datetime, datetime]:
    year, number = map(int, month.split("-"))
    after = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZONE)
    return datetime(year, number, 1, tzinfo=ZONE).astimezone(UTC), after.astimezone(UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, SeedSummary]]:
    db = open_fresh(f"sqlite:///{tmp_path_factory.mktemp('history') / 'demo.db'}")
    summary = seed_demo(db, seed=5, now=NOW)
    yield db, summary
    db.dispose()


def per_month(db: Database, column: Any, *where: Any) -> dict[str, int]:
    out = {}
    with db.session() as s:
        for month in MONTHS:
            start, end = bounds(month)
            query = select(func.count()).where(column >= start, column < end, *where)
            out[month] = s.scalar(query) or 0
    return out


def test_each_month_holds_every_kind_of_record(demo: tuple[Database, SeedSummary]) -> None:
    db, _ = demo
    ev, cmd = PermitEventRow, Command
    kinds = {
        "permits": per_month(db, Permit.created_at),
        "approved": per_month(db, ev.ts, ev.type == "approved"),
        "escalated": per_month(db, ev.ts, ev.type == "escalated"),
        "extended": per_month(db, ev.ts, ev.type == "extended"),
        "rejected": per_month(db, Approval.signed_at, Approval.decision == "reject"),
        "sent back": per_month(db, Approval.signed_at, Approval.decision == "send_back"),
        "green channel": per_month(db, AuditEntry.ts, AuditEntry.action == "permit.approve_green_channel"),
        "reviews": per_month(db, AuditEntry.ts, AuditEntry.action == "permit.green_channel_reviewed"),
        "automatic stops": per_month(db, cmd.issued_at, cmd.kind == "stop", cmd.auto.is_(True)),
        "manual stops": per_month(db, cmd.issued_at, cmd.kind == "stop", cmd.auto.is_(False)),
        "executed": per_month(db, CommandAckRow.received_at, CommandAckRow.status == "executed"),
        "journal": per_month(db, AlarmJournalEntry.ts),
        "operator near misses": per_month(db, NearMiss.occurred_at, NearMiss.source == "operator"),
        "field near misses": per_month(db, NearMiss.occurred_at, NearMiss.source == "field"),
        "violations": per_month(db, ContractorViolation.at),
    }
    empty = {kind: month for kind, counts in kinds.items() for month, n in counts.items() if n == 0}
    assert not empty, kinds


def test_each_months_alarm_figures_have_floods_chattering_standing_and_shelved_alarms(
    demo: tuple[Database, SeedSummary],
) -> None:
    db, _ = demo
    for month in MONTHS:
        kpis = read_kpis(db, *bounds(month))
        assert kpis.alarms > 100 and kpis.per_10min_peak >= 10, month
        assert kpis.flooded_periods > 0 and kpis.chattering, month
        assert kpis.standing_24h > 0 and kpis.shelved_now > 0 and kpis.longest_shelf is not None, month
        assert {1, 2, 3} <= set(kpis.by_priority), month


def test_refusals_carry_reason_codes_and_gas_tests_are_on_time_and_late(
    demo: tuple[Database, SeedSummary],
) -> None:
    db, _ = demo
    with db.session() as s:
        refused = list(
            s.scalars(select(Approval.reason).where(Approval.decision.in_(("reject", "send_back"))))
        )
        codes = Counter(reason.split(":")[0] for reason in refused)
        starts = {
            e.permit_id: e.ts
            for e in s.scalars(select(PermitEventRow).where(PermitEventRow.type == "started"))
            if e.ts < NOW - timedelta(days=3)
        }
        before: dict[str, list[datetime]] = {}
        for t in s.scalars(select(GasTest).where(GasTest.permit_id.in_(starts))):
            if t.passed and t.taken_at <= starts[t.permit_id]:
                before.setdefault(t.permit_id, []).append(t.taken_at)
        extended = list(
            s.scalars(select(Permit).join(PermitEventRow).where(PermitEventRow.type == "extended"))
        )
    assert refused and all(CODED.match(r) for r in refused)
    assert len(codes) >= 4 and codes.most_common(1)[0][1] > min(codes.values())  # there are top reasons
    waits = [starts[p] - max(times) for p, times in before.items()]
    assert any(w <= SAMPLE_BEFORE_START for w in waits) and any(w > SAMPLE_BEFORE_START for w in waits)
    for p in extended:  # an extension stays within the type's maximum validity
        limit = gb_max_validity(p.type, p.effective_grade or p.grade)
        assert limit is None or p.valid_to - p.valid_from <= limit


def test_near_misses_and_stops_name_the_permits_they_happened_in(demo: tuple[Database, SeedSummary]) -> None:
    db, _ = demo
    with db.session() as s:
        permits = {p.id: p for p in s.scalars(select(Permit))}
        misses = list(s.scalars(select(NearMiss)))
        stops = list(s.scalars(select(Command).where(Command.kind == "stop")))
        suspended = {
            e.detail.get("command")
            for e in s.scalars(select(PermitEventRow).where(PermitEventRow.type == "suspended"))
        }
    for miss in misses:
        assert miss.occurred_at <= miss.recorded_at < NOW
        assert (miss.source == "field") == (miss.message_id is not None)
        if miss.permit_id is not None:
            permit = permits[miss.permit_id]
            assert miss.contractor_id == permit.contractor_code and miss.area_id == permit.area_id
    assert any(m.alarm_id for m in misses) and any(m.contractor_id for m in misses)
    for stop in stops:
        assert stop.permits and all(permits[p].area_id == stop.area_id for p in stop.permits)
        assert stop.command_id in suspended
    assert {s.state for s in stops} == {"executed", "timeout"}


def test_the_demo_still_opens_quiet(demo: tuple[Database, SeedSummary]) -> None:
    """Every alarm of the history ends in normal before now; no history permit is open."""
    db, _ = demo
    last: dict[str, str] = {}
    with db.session() as s:
        for alarm_id, state, ts in s.execute(
            select(AlarmJournalEntry.alarm_id, AlarmJournalEntry.to_state, AlarmJournalEntry.ts).order_by(
                AlarmJournalEntry.id
            )
        ):
            assert ts < NOW
            last[alarm_id] = state
        waiting = s.scalar(
            select(func.count()).select_from(Permit).where(Permit.green_channel_review.is_(True))
        )
    assert last and set(last.values()) == {"normal"}
    live = seed_demo_live_waiting_reviews()
    assert waiting == live


def seed_demo_live_waiting_reviews() -> int:
    """The green-channel reviews the live month leaves waiting (the history's are all reviewed)."""
    db = open_fresh("sqlite://")
    try:
        seed_demo(db, seed=5, now=NOW, history=False)
        with db.session() as s:
            return (
                s.scalar(
                    select(func.count()).select_from(Permit).where(Permit.green_channel_review.is_(True))
                )
                or 0
            )
    finally:
        db.dispose()


def test_the_same_seed_gives_the_same_history_and_another_seed_another(tmp_path: Path) -> None:
    def history(seed: int, name: str) -> list[tuple[Any, ...]]:
        db = open_fresh(f"sqlite:///{tmp_path / name}")
        try:
            seed_demo(db, seed=seed, now=NOW)
            with db.session() as s:
                misses = select(NearMiss.occurred_at, NearMiss.category, NearMiss.permit_id).order_by(
                    NearMiss.id
                )
                journal = select(AlarmJournalEntry.alarm_id, AlarmJournalEntry.ts).order_by(
                    AlarmJournalEntry.id
                )
                return [tuple(r) for r in s.execute(misses)] + [tuple(r) for r in s.execute(journal)]
        finally:
            db.dispose()

    first = history(5, "a.db")
    assert first == history(5, "b.db")
    assert first != history(6, "c.db")
