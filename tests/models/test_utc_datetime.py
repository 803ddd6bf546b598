"""``UTCDateTime``: aware UTC in and out on both databases; the fast paths change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, make_url, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from models.schema_base import UTCDateTime

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLUS_8 = timezone(timedelta(hours=8))

_meta = MetaData()
_times = Table("utc_times", _meta, Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))


class _Sub(datetime):
    """A datetime subclass (what a freezing library hands out): takes the full path."""


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'times.db'}")
    else:
        eng = create_engine(request.getfixturevalue("pg_schema_url"))
    _meta.create_all(eng)
    yield eng
    eng.dispose()


AWARE = [
    datetime(2026, 12, 6, 10, 0, tzinfo=UTC),
    datetime(2026, 12, 6, 10, 0, 0, 123456, tzinfo=UTC),
    datetime(2026, 12, 6, 18, 0, tzinfo=SHANGHAI),
    datetime(2026, 12, 6, 18, 0, tzinfo=PLUS_8),
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    _Sub(2026, 1, 1, tzinfo=UTC),
]


@pytest.mark.parametrize("value", AWARE, ids=lambda v: v.isoformat())
def test_an_aware_time_comes_back_as_the_same_instant_in_utc(engine: Engine, value: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(insert(_times).values(id=1, at=value))
        back = conn.execute(select(_times.c.at)).scalar_one()
    assert back == value
    assert back.tzinfo is UTC
    assert type(back) is datetime


def test_none_round_trips(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(_times).values(id=1, at=None))
        assert conn.execute(select(_times.c.at)).scalar_one() is None


def test_a_naive_time_is_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), engine.begin() as conn:
        conn.execute(insert(_times).values(id=1, at=datetime(2026, 12, 6, 10, 0)))


def test_a_value_not_a_datetime_is_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="expected a datetime"), engine.begin() as conn:
        conn.execute(insert(_times).values(id=1, at="2026-12-06 10:00"))  # type: ignore[arg-type]


def test_a_time_compared_in_sql_is_compared_as_an_instant(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(_times).values(id=1, at=datetime(2026, 12, 6, 10, 0, tzinfo=UTC)))
        later = datetime(2026, 12, 6, 18, 30, tzinfo=SHANGHAI)  # 10:30 UTC
        assert conn.execute(select(_times.c.id).where(_times.c.at < later)).scalar_one() == 1


def test_a_session_in_another_zone_still_reads_utc(pg_schema_url: str) -> None:
    """psycopg2 hands out the session's offset: a server in Shanghai takes the full path."""
    url = make_url(pg_schema_url)
    options = url.query["options"]
    eng = create_engine(url.update_query_dict({"options": f"{options} -ctimezone=Asia/Shanghai"}))
    try:
        _meta.create_all(eng)
        with eng.begin() as conn:
            conn.execute(insert(_times).values(id=1, at=datetime(2026, 12, 6, 10, 0, tzinfo=UTC)))
            back = conn.execute(select(_times.c.at)).scalar_one()
        assert back == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
        assert back.tzinfo is UTC
    finally:
        eng.dispose()


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg2.dialect()], ids=["sqlite", "pg"])
def test_the_fused_result_processor_agrees_with_process_result_value(dialect) -> None:  # type: ignore[no-untyped-def]
    """What the driver gives, through the fast processor and through the reference method."""
    typ = UTCDateTime().dialect_impl(dialect)
    process = typ.result_processor(dialect, None)
    impl = typ.impl_instance.result_processor(dialect, None)
    raw: list[object] = [None]
    if dialect.name == "sqlite":
        raw += ["2026-12-06 10:00:00.000000", "2026-12-06 10:00:00.123456", "2026-12-06 10:00:00"]
    else:
        raw += [*AWARE, datetime(2026, 12, 6, 10, 0)]  # psycopg2: aware (timestamptz) or naive
    for value in raw:
        expected = typ.process_result_value(impl(value) if impl else value, dialect)  # type: ignore[arg-type]
        got = process(value)
        assert got == expected and type(got) is type(expected)
        assert got is None or got.tzinfo is UTC


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg2.dialect()], ids=["sqlite", "pg"])
def test_the_bind_fast_path_gives_what_the_full_path_gives(dialect) -> None:  # type: ignore[no-untyped-def]
    typ = UTCDateTime()
    utc = datetime(2026, 12, 6, 10, 0, 0, 5, tzinfo=UTC)
    same = typ.process_bind_param(utc.astimezone(SHANGHAI), dialect)  # full path
    fast = typ.process_bind_param(utc, dialect)
    assert fast == same and fast is not None and same is not None
    assert fast.tzinfo is same.tzinfo
    assert fast.tzinfo is (None if dialect.name == "sqlite" else UTC)
