"""Near misses (issue 21 part 2): an operator's record written with its audit entry under the session's
user (a made-up or stale session refused, nothing written); the field's ``near_miss`` events over a real
Mosquitto into the database through the core, a repeated message stored once, malformed ones counted as
rejections with their reason and never stored; the month's list in the plant's time zone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, func, select, text

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.near_misses import (
    NearMissEntry,
    NearMissError,
    NearMissIntake,
    NearMissProblem,
    NearMissService,
    near_miss_counts,
)
from cockpit.roles import Actor
from cockpit.sessions import SessionKeys, SessionRefused
from connectors.database import Database
from models.records import NearMissCategory, NearMissReport, Role
from models.schema import AuditEntry, Contractor, NearMiss, Permit, UTCDateTime
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _plant(path: Path, url: str | None = None) -> Database:
    db = open_fresh(url or f"sqlite:///{path / 'near.db'}")
    build_small_plant(db, NOW)
    with db.session() as s:
        s.add(Contractor(code="C-ACME", name="安科检修"))
        s.flush()
        s.get_one(Permit, "HW-1").contractor_code = "C-ACME"
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def plant(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = request.getfixturevalue("pg_schema_url") if request.param == "postgresql" else None
    db = _plant(tmp_path, url)
    yield db
    db.dispose()


def _rows(db: Database) -> list[NearMiss]:
    with db.session() as s:
        rows = list(s.scalars(select(NearMiss).order_by(NearMiss.id)))
        s.expunge_all()
        return rows


def test_an_operator_records_a_near_miss_from_an_alarm_and_it_is_audited(plant: Database) -> None:
    service = NearMissService(plant, TEST_KEYS, clock=lambda: NOW)
    entry = NearMissEntry(
        NOW - timedelta(minutes=20),
        "S1",
        "gas_release",
        "  法兰  泄漏，LEL 升至 18%  ",
        area="A1",
        permit="HW-1",
        alarm_id="S1/A1/GD-1/LEL:HI",
    )
    new_id = service.record(as_user(plant, "op.li"), entry)
    (row,) = _rows(plant)
    assert row.id == new_id
    assert (row.site_id, row.area_id, row.permit_id, row.alarm_id) == (
        "S1",
        "A1",
        "HW-1",
        "S1/A1/GD-1/LEL:HI",
    )
    assert row.contractor_id == "C-ACME"  # the permit's contractor
    assert (row.category, row.source, row.recorded_by) == ("gas_release", "operator", "op.li")
    assert row.description == "法兰 泄漏，LEL 升至 18%"
    assert (row.occurred_at, row.recorded_at, row.message_id) == (NOW - timedelta(minutes=20), NOW, None)
    with plant.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "nearmiss.record")).one()
        assert (audit.actor, audit.subject) == ("op.li", str(new_id))
        assert json.loads(audit.details)["permit"] == "HW-1"
    # on their own: no area, no permit, no alarm
    service.record(as_user(plant, "lead.wang"), NearMissEntry(NOW, "S1", "dropped_object", "扳手坠落"))
    assert [(r.area_id, r.permit_id, r.contractor_id) for r in _rows(plant)][1] == (None, None, None)


def test_a_made_up_or_stale_session_is_refused_and_nothing_is_written(plant: Database) -> None:
    service = NearMissService(plant, TEST_KEYS, clock=lambda: NOW)
    entry = NearMissEntry(NOW, "S1", "fire_ignition", "焊渣引燃油布", area="A1")
    forged = SessionKeys(b"another runtime's secret").issue(Actor("op.li", Role.OPERATOR, "op.li"))
    with pytest.raises(SessionRefused):
        service.record(forged, entry)
    with pytest.raises(SessionRefused):
        service.record(Actor("op.li", Role.OPERATOR, "op.li"), entry)  # a hand-built actor, no MAC
    with pytest.raises(SessionRefused):
        service.record(as_user(plant, "nobody"), entry)  # a user the database does not have
    assert _rows(plant) == []
    with plant.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        (NearMissEntry(NOW, "S1", "bad_luck", "x"), NearMissProblem.BAD_CATEGORY),
        (NearMissEntry(NOW, "S1", "other", "   "), NearMissProblem.DESCRIPTION_NEEDED),
        (NearMissEntry(NOW + timedelta(hours=1), "S1", "other", "x"), NearMissProblem.IN_FUTURE),
        (NearMissEntry(NOW, "S9", "other", "x"), NearMissProblem.UNKNOWN_SITE),
        (NearMissEntry(NOW, "S1", "other", "x", area="A9"), NearMissProblem.UNKNOWN_AREA),
        (NearMissEntry(NOW, "S1", "other", "x", permit="HW-404"), NearMissProblem.UNKNOWN_PERMIT),
    ],
)
def test_bad_input_is_refused_with_its_code(
    plant: Database, entry: NearMissEntry, code: NearMissProblem
) -> None:
    with pytest.raises(NearMissError) as refused:
        NearMissService(plant, TEST_KEYS, clock=lambda: NOW).record(as_user(plant, "op.li"), entry)
    assert refused.value.code is code
    assert _rows(plant) == []


def test_the_month_is_the_plants_month_and_the_filters_narrow_it(plant: Database) -> None:
    service = NearMissService(plant, TEST_KEYS, clock=lambda: NOW, zone="Asia/Shanghai")
    session = as_user(plant, "op.li")
    # 2026-11-30 17:00 UTC is 1 December 01:00 in Shanghai: December's, not November's
    service.record(session, NearMissEntry(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "S1", "struck_by", "a"))
    service.record(session, NearMissEntry(datetime(2026, 11, 30, 15, 0, tzinfo=UTC), "S1", "electrical", "b"))
    service.record(session, NearMissEntry(NOW, "S1", "electrical", "c", area="A2"))
    assert [v.description for v in service.month("2026-12")] == ["c", "a"]
    assert [v.description for v in service.month("2026-11")] == ["b"]
    assert [v.description for v in service.month("2026-12", category="electrical")] == ["c"]
    assert service.month("2026-12", source="field") == []
    with pytest.raises(NearMissError):
        service.month("2026-13")


def test_two_consoles_on_one_database_store_a_field_report_once(plant: Database) -> None:
    """Every console hears the field: the second insert of the same message id is taken as repeated."""
    report = NearMissReport(
        "S1",
        "A1",
        NOW,
        NOW - timedelta(minutes=5),
        NearMissCategory.STRUCK_BY,
        "叉车倒车",
        "nm-x",
        "W-1",
        "HW-1",
    )
    first, second = (NearMissIntake(plant, clock=lambda: NOW) for _ in range(2))
    first.on_report(report)
    second.on_report(report)
    assert (first.counts, second.counts) == (
        {"stored": 1, "repeated": 0, "failed": 0},
        {"stored": 0, "repeated": 1, "failed": 0},
    )
    (row,) = _rows(plant)
    assert (row.message_id, row.contractor_id, row.source) == ("nm-x", "C-ACME", "field")


def test_the_counts_the_reports_show_equal_plain_sql(plant: Database) -> None:
    service = NearMissService(plant, TEST_KEYS, clock=lambda: NOW)
    session = as_user(plant, "op.li")
    for hours, category, permit in (
        (1, "gas_release", "HW-1"),
        (2, "gas_release", None),
        (3, "electrical", "HW-1"),
    ):
        service.record(
            session, NearMissEntry(NOW - timedelta(hours=hours), "S1", category, "x", permit=permit)
        )
    service.record(session, NearMissEntry(NOW - timedelta(days=3), "S1", "other", "earlier"))
    start, end = NOW - timedelta(days=1), NOW
    with plant.session() as s:
        by_category = near_miss_counts(s, start, end)
        by_contractor = near_miss_counts(s, start, end, by="contractor")
        sql = text(
            "SELECT category, count(*) FROM near_misses WHERE occurred_at >= :a AND occurred_at < :b "
            "GROUP BY category"
        ).bindparams(bindparam("a", type_=UTCDateTime()), bindparam("b", type_=UTCDateTime()))
        plain = s.execute(sql, {"a": start, "b": end}).all()
    assert by_category == {"gas_release": 2, "electrical": 1} == {c: n for c, n in plain}
    assert by_contractor == {"C-ACME": 2}


# ---------------------------------------------------------------- from the field, over a real broker


@dataclass
class Field:
    db: Database
    peer: PahoPeer
    core: CockpitCore

    def send(self, topic: str, body: dict[str, Any]) -> None:
        self.peer.publish(f"plant/S1/A1/{topic}", json.dumps(body).encode(), qos=1)


@pytest.fixture
def field(tmp_path: Path) -> Iterator[Field]:
    broker = MosquittoProcess(tmp_path).start()
    db = _plant(tmp_path)
    peer = PahoPeer(broker.url, "handheld-1")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="nm", clock=lambda: NOW, data_dir=tmp_path, sessions=TEST_KEYS)
    core.start()
    assert wait_until(lambda: core.connector.link_state.connected, 10)
    try:
        yield Field(db, peer, core)
    finally:
        core.stop()
        peer.close()
        db.dispose()
        broker.stop()


def permit_report(message_id: str, **more: Any) -> dict[str, Any]:
    return {
        "ts": ms(NOW),
        "type": "near_miss",
        "by": "W-2",
        "message_id": message_id,
        "category": "fall_from_height",
        "description": "安全带挂点松动，未坠落",
        "occurred_at": ms(NOW - timedelta(hours=2)),
    } | more


@pytest.mark.broker
def test_a_field_near_miss_sent_twice_is_stored_once(field: Field) -> None:
    field.send("permit/HW-1/event", permit_report("nm-1"))
    field.send("permit/HW-1/event", permit_report("nm-1"))  # a redelivery
    worker = {"ts": ms(NOW), "type": "near_miss", "message_id": "nm-2", "category": "struck_by"}
    field.send("worker/W-1/event", worker)  # §3: no permit, occurred when sent
    # one database worker takes them in order: once the third is stored, both copies of the first were seen
    assert wait_until(lambda: any(r.message_id == "nm-2" for r in _rows(field.db)), 15)
    assert len(_rows(field.db)) == 2
    first, second = _rows(field.db)
    assert (first.permit_id, first.contractor_id, first.area_id) == ("HW-1", "C-ACME", "A1")
    assert (first.category, first.source, first.message_id) == ("fall_from_height", "field", "nm-1")
    assert first.occurred_at == NOW - timedelta(hours=2) and first.recorded_by == "field:W-2"
    assert (second.permit_id, second.category, second.occurred_at) == (None, "struck_by", NOW)
    assert second.recorded_by == "field:W-1" and second.description == ""
    assert field.core.rejections.total == 0


@pytest.mark.broker
@pytest.mark.parametrize(
    ("topic", "body", "reason"),
    [
        ("permit/HW-1/event", permit_report("nm-9", category="slipped"), "bad_enum"),
        (
            "permit/HW-1/event",
            {k: v for k, v in permit_report("nm-9").items() if k != "message_id"},
            "missing_field",
        ),
        (
            "permit/HW-1/event",
            permit_report("nm-9", occurred_at=ms(NOW + timedelta(hours=1))),
            "ts_out_of_range",
        ),
        ("permit/HW-1/event", permit_report("nm-9", occurred_at=ms(NOW - timedelta(days=40))), "bad_value"),
        ("worker/W-1/event", {"ts": ms(NOW), "type": "near_miss", "message_id": "nm-9"}, "missing_field"),
    ],
)
def test_a_malformed_field_near_miss_is_counted_and_never_stored(
    field: Field, topic: str, body: dict[str, Any], reason: str
) -> None:
    field.send(topic, body)
    assert wait_until(lambda: field.core.rejections.total >= 1, 15)
    assert reason in field.core.rejections.by_reason(), field.core.rejections.by_reason()
    field.send("permit/HW-1/event", permit_report("nm-ok"))  # a good one after it: that one is stored
    assert wait_until(lambda: len(_rows(field.db)) == 1, 15)
    assert [r.message_id for r in _rows(field.db)] == ["nm-ok"]
