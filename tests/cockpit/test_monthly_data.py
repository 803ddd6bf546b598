"""The monthly report's figures (issue 21 part 3): known answers on a hand-made month, and each count
equal to a plain SQL count on the same database, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from cockpit.report.monthly_data import (
    MonthFigures,
    collect_monthly,
    month_bounds,
    parse_month,
    reason_code,
)
from connectors.database import Database
from models.errors import UserError
from models.schema import AlarmJournalEntry, Permit, PermitEventRow
from tests.support.fresh_db import open_fresh
from tests.support.monthly import EXPECTED, MONTH, build_month


@pytest.fixture(params=["sqlite", "postgresql"])
def month_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'month.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    database = open_fresh(url)
    build_month(database)
    yield database
    database.dispose()


def _figures(db: Database) -> MonthFigures:
    return collect_monthly(db, MONTH, zone="Asia/Shanghai").month


def test_the_month_is_the_plants_month() -> None:
    start, end = month_bounds(2026, 11, "Asia/Shanghai")
    assert start == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, tzinfo=UTC)


def test_known_answers(month_db: Database) -> None:
    f = _figures(month_db)
    for key, want in EXPECTED.items():
        if key == "reasons":
            got: object = tuple((r.code, r.rejected, r.sent_back) for r in f.reasons)
        elif key == "alarms":
            got = f.alarms.alarms if f.alarms else None
        else:
            got = getattr(f, key)
        assert got == want, key


def test_each_count_equals_plain_sql(month_db: Database) -> None:
    f = _figures(month_db)
    start, end = f.start, f.end
    sqlite = month_db.engine.dialect.name == "sqlite"
    # SQLite keeps UTC times as text without a zone; PostgreSQL compares timestamptz
    bounds = (
        {"a": start.replace(tzinfo=None).isoformat(" "), "b": end.replace(tzinfo=None).isoformat(" ")}
        if sqlite
        else {"a": start, "b": end}
    )

    def count(sql: str) -> int:
        with month_db.engine.connect() as conn:
            return int(conn.execute(text(sql), bounds).scalar() or 0)

    assert f.permits == count("select count(*) from permits where created_at >= :a and created_at < :b")
    for ptype, n in f.by_type:
        assert n == count(
            f"select count(*) from permits where created_at >= :a and created_at < :b and type = '{ptype}'"
        )
    assert f.approved == count(
        "select count(*) from permit_events where type = 'approved' and ts >= :a and ts < :b"
    )
    assert f.approved_late == count(
        "select count(*) from permit_events e join permits p on p.id = e.permit_id "
        "where e.type = 'approved' and e.ts >= :a and e.ts < :b and e.ts > p.valid_from"
    )
    assert f.escalations == count(
        "select count(*) from permit_events where type = 'escalated' and ts >= :a and ts < :b"
    )
    assert f.rejected == count(
        "select count(*) from approvals where decision = 'reject' and signed_at >= :a and signed_at < :b"
    )
    assert f.sent_back == count(
        "select count(*) from approvals where decision = 'send_back' and signed_at >= :a and signed_at < :b"
    )
    assert f.green_channel == count(
        "select count(*) from audit_log where action = 'permit.approve_green_channel' "
        "and ts >= :a and ts < :b"
    )
    assert f.review_findings == count(
        "select count(*) from audit_log where action = 'permit.green_channel_reviewed' "
        "and details like '%finding%' and ts >= :a and ts < :b"
    )
    assert f.stops == count(
        "select count(*) from commands where kind = 'stop' and issued_at >= :a and issued_at < :b"
    )
    assert f.stops_auto == count(
        "select count(*) from commands where kind = 'stop' and auto and issued_at >= :a and issued_at < :b"
    )
    assert f.alarms is not None
    assert f.alarms.alarms == count(
        "select count(*) from alarm_journal where to_state = 'active_unack' "
        "and from_state <> 'active_unack' and ts >= :a and ts < :b"
    )


def test_previous_months_oldest_first(month_db: Database) -> None:
    report = collect_monthly(month_db, MONTH, zone="Asia/Shanghai")
    assert [m.month for m in report.months] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    october = report.previous[-1]
    assert (october.permits, october.escalations, october.review_findings, october.stops_auto) == (1, 1, 1, 1)
    assert october.alarms is None  # alarm_kpi's full figures for the report month only
    assert october.alarm_load is not None and october.alarm_load.alarms == 1
    assert report.previous[0].permits == 0 and report.previous[0].lead_median_s is None
    assert report.near_misses is not None and report.near_misses_previous[-1] is not None
    assert report.near_misses.total == 3 and report.near_misses_previous[-1].total == 1
    assert report.near_misses.by_category == (("dropped_object", 2), ("gas_release", 1))
    a, b = month_bounds(*parse_month(MONTH), "Asia/Shanghai")
    with month_db.session() as s:
        plain = s.execute(
            text("select count(*) from near_misses where occurred_at >= :a and occurred_at < :b"),
            {"a": a, "b": b},
        ).scalar()
    assert plain == report.near_misses.total


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "11-2026", "", "2026-00", "abcd-ef"])
def test_a_bad_month_is_one_line(bad: str) -> None:
    with pytest.raises(UserError, match="YYYY-MM"):
        parse_month(bad)


def test_reason_codes() -> None:
    assert reason_code("isolation: 盲板未加") == "isolation"
    assert reason_code("isolation(point=V-12): 未上锁") == "isolation"
    assert reason_code("[jsa] JSA missing") == "jsa"
    assert reason_code("gas_test：不合格") == "gas_test"
    assert reason_code("人员不足") == "uncoded"
    assert reason_code("Crew too small: two needed") == "uncoded"


def test_alarm_load_counted_by_the_database_equals_alarm_kpi(month_db: Database) -> None:
    """A flood (12 alarms in one 10-minute period), a state spelled another way and a paperwork condition:
    the month's load counted in SQL gives alarm_kpi's answers."""
    with month_db.session() as s:
        for i in range(12):
            s.add(
                AlarmJournalEntry(
                    alarm_id=f"f{i}",
                    ts=datetime(2026, 11, 20, 3, i // 2, 30 * (i % 2), tzinfo=UTC),
                    site_id="S1",
                    area_id="A1",
                    source=f"GD-{i}/LEL",
                    condition="HIHI",
                    priority=1,
                    from_state="Normal",
                    to_state="Active-Unacknowledged" if i % 2 else "active_unack",
                )
            )
        s.add(
            AlarmJournalEntry(
                alarm_id="esc",
                ts=datetime(2026, 11, 20, 3, 1, tzinfo=UTC),
                site_id="S1",
                area_id="A1",
                source="P4",
                condition="APPROVAL_ESCALATED",
                priority=3,
                from_state="normal",
                to_state="active_unack",
            )
        )
        s.commit()
    f = _figures(month_db)
    assert f.alarms is not None and f.alarm_load is not None
    full, load = f.alarms, f.alarm_load
    assert (load.alarms, load.per_10min_peak, load.flooded_periods, load.periods) == (15, 12, 1, full.periods)
    assert (load.alarms, load.per_10min_avg, load.per_10min_peak, load.flooded_periods) == (
        full.alarms,
        full.per_10min_avg,
        full.per_10min_peak,
        full.flooded_periods,
    )
    assert load.band == full.band


def test_weighted_percentiles_equal_the_plain_ones() -> None:
    import math
    import random
    import statistics
    from collections import Counter

    from cockpit.report.monthly_data import at_rank, p90, p90_rank, weighted_median

    rng = random.Random(7)
    for n in (1, 2, 3, 4, 10, 11, 70, 99, 1000):
        values = [float(rng.randint(0, 50)) for _ in range(n)]
        counted = sorted(Counter(values).items())
        assert weighted_median(counted) == statistics.median(values)
        assert at_rank(counted, p90_rank(n)) == p90(values) == sorted(values)[math.ceil(n * 9 / 10) - 1]
    assert [p90_rank(n) for n in (1, 10, 11, 70)] == [1, 9, 10, 63]  # 0.9 * 70 = 63.000…01 in floats
    assert weighted_median([]) is None and at_rank([], 1) is None


def test_an_approval_keeps_its_lead_and_the_month_reads_it(month_db: Database) -> None:
    """An approval written through the permit transitions carries its lead and lateness; the month reads
    those from the index and the older rows through the join, to the same figures."""
    from cockpit.permits.transitions import apply_transition
    from tests.support.monthly import t

    with month_db.session() as s:
        permit = s.get(Permit, "P4")
        assert permit is not None
        apply_transition(
            s,
            permit,
            None,
            by="lead.wang",
            ts=t(10, 7),
            event_type="approved",
            detail={},
            audit_action="permit.approve",
        )
    with month_db.session() as s:
        kept = s.execute(
            select(PermitEventRow.lead_s, PermitEventRow.after_start).where(
                PermitEventRow.permit_id == "P4", PermitEventRow.type == "approved"
            )
        ).one()
    assert kept == (25200.0, True)  # submitted 00:00, approved 07:00, planned to start at 06:00
    f = _figures(month_db)
    assert (f.approved, f.approved_late, f.lead_p90_s) == (5, 2, 30660.0)
    assert f.lead_median_s == 25200.0  # leads 3600, 7200, 25200, 28800, 30660


def test_the_migration_fills_the_past_approvals(month_db: Database) -> None:
    from alembic import command

    from connectors.database import _alembic_config

    before = _figures(month_db)
    with month_db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0011")
        command.upgrade(_alembic_config(conn), "head")
    with month_db.session() as s:
        rows = s.execute(
            select(PermitEventRow.permit_id, PermitEventRow.lead_s).where(PermitEventRow.type == "approved")
        )
        kept = {pid: lead for pid, lead in rows}  # dict(result) reads a Result as a mapping: it has keys()
    assert kept == {"P1": 3600.0, "P2": 7200.0, "P3": 28800.0, "P6": 30660.0, "P7": 1800.0}
    after = _figures(month_db)
    assert (after.approved, after.lead_median_s, after.lead_p90_s, after.approved_late) == (
        before.approved,
        before.lead_median_s,
        before.lead_p90_s,
        before.approved_late,
    )


def test_settled_months_are_kept_and_read_back(month_db: Database) -> None:
    """The three months before the report's are kept once settled (7 days after their end) and read back
    next time; ``fresh`` counts them again. A month not settled yet is not kept."""
    from cockpit.report.monthly_cache import from_json, to_json
    from models.schema import MonthlyFiguresRow
    from tests.support.monthly import t

    early = collect_monthly(month_db, MONTH, zone="Asia/Shanghai", now=t(3, 0))  # October not settled
    with month_db.session() as s:
        assert sorted(s.scalars(select(MonthlyFiguresRow.month))) == ["2026-08", "2026-09"]
    october = early.previous[-1]
    assert from_json(to_json(october)) == october
    first = collect_monthly(month_db, MONTH, zone="Asia/Shanghai", now=t(6, 4, month=12))
    assert first.previous[-1] == october
    with month_db.session() as s:
        s.add(
            Permit(
                id="P-late",
                type="lifting",
                status="submitted",
                site_id="S1",
                area_id="A1",
                valid_from=t(20, 0, month=10),
                valid_to=t(20, 8, month=10),
                applicant="W-1",
                supervisor="W-2",
                created_at=t(20, 0, month=10),
                updated_at=t(20, 0, month=10),
            )
        )
    kept = collect_monthly(month_db, MONTH, zone="Asia/Shanghai", now=t(6, 5, month=12))
    assert kept.previous[-1].permits == 1  # as kept
    again = collect_monthly(month_db, MONTH, zone="Asia/Shanghai", now=t(6, 5, month=12), fresh=True)
    assert again.previous[-1].permits == 2
    assert (
        collect_monthly(month_db, MONTH, zone="Asia/Shanghai", now=t(6, 6, month=12)).previous[-1].permits
        == 2
    )
