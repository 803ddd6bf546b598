"""The Sparkplug mapping kept with the registers, on real SQLite and PostgreSQL: order, roles, refusals
(the configuration's own checks, with nothing written), the audit entry and its chain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.plant_register import PlantRegister, RegisterError, RegisterProblem
from cockpit.sessions import USER_UNKNOWN, SessionRefused
from cockpit.sparkplug_config import (
    MapProblem,
    SparkplugConfig,
    SparkplugMap,
    SparkplugMapError,
    SparkplugStop,
    validate_sparkplug,
)
from cockpit.sparkplug_register import AUDIT_ACTION, STOP_AUDIT_ACTION, SparkplugRegister, read_sparkplug_map
from connectors.database import Database
from models.audit import verify_chain
from models.queries import channel_limit_overrides
from models.records import RiskLevel
from models.schema import AuditEntry
from tests.support.plant_db import register_db
from tests.support.sessions import TEST_KEYS, as_user


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    with register_db(url) as database:
        reg = PlantRegister(database, TEST_KEYS)
        reg.save_site(as_user(database, "boss"), "S1", "一号厂区")
        reg.save_area(as_user(database, "boss"), "S1", "A1", "装置一", risk_level=RiskLevel.HIGH)
        reg.save_area(as_user(database, "boss"), "S1", "A2", "罐区", risk_level=RiskLevel.HIGH)
        yield database


def _h2s(**kw: object) -> SparkplugMap:
    values: dict[str, object] = {
        "group": "Plant1", "node": "GW-*", "device": "GD-*", "metric": "Gas/H2S",
        "site": "S1", "area": "A1", "channel": "h2s",
    }  # fmt: skip
    values.update(kw)
    return SparkplugMap(**values)  # type: ignore[arg-type]


def _audits(db: Database) -> list[AuditEntry]:
    with db.session() as s:
        rows = s.query(AuditEntry).filter(AuditEntry.action == AUDIT_ACTION).order_by(AuditEntry.seq).all()
        s.expunge_all()
        return rows


def test_the_entries_come_back_in_their_order_made_canonical_and_audited(db: Database) -> None:
    reg = SparkplugRegister(db, TEST_KEYS)
    first = _h2s(limits={"hi": 5.0, "hihi": 10.0})
    second = _h2s(node="*", device="*", metric="Gas/*", area="A2", channel="VOC", unit="ppm")
    reg.save(as_user(db, "safety"), [first, second])
    got = reg.entries()
    assert [(e.node, e.metric, e.area, e.channel, e.unit) for e in got] == [
        ("GW-*", "Gas/H2S", "A1", "H2S", "ppm"),  # channel upper case, unit the gas's own (as the file)
        ("*", "Gas/*", "A2", "VOC", "ppm"),
    ]
    assert got[0].limits == {"hi": 5.0, "hihi": 10.0} and got[1].limits == {}
    reg.save(as_user(db, "boss"), list(reversed(got)))  # moved: the order is what was saved
    assert [e.area for e in reg.entries()] == ["A2", "A1"]
    audits = _audits(db)
    assert [(a.actor, a.subject) for a in audits] == [("safety", "sparkplug.map"), ("boss", "sparkplug.map")]
    d1, d2 = (json.loads(a.details) for a in audits)
    assert d1["entries"] == 2 and len(d1["added"]) == 2 and d1["removed"] == []
    assert d1["added"][0]["metric"] == "Gas/H2S" and d1["added"][0]["limits"] == {"hi": 5.0, "hihi": 10.0}
    assert (d2["added"], d2["removed"], d2["reordered"]) == ([], [], True)
    with db.session() as s:
        assert verify_chain(s).ok


def test_roles_other_than_the_editors_are_refused_and_nothing_is_written(db: Database) -> None:
    reg = SparkplugRegister(db, TEST_KEYS)
    reg.save(as_user(db, "boss"), [_h2s()])
    for actor in ("op", "lead", "ic"):
        with pytest.raises(RegisterError) as info:
            reg.save(as_user(db, actor), [])
        assert info.value.code is RegisterProblem.NOT_EDITOR
    with pytest.raises(SessionRefused) as unknown:
        reg.save(as_user(db, "nobody"), [])
    assert unknown.value.code == USER_UNKNOWN
    assert len(reg.entries()) == 1 and len(_audits(db)) == 1


@pytest.mark.parametrize(
    ("bad", "code", "said"),
    [
        ({"metric": ""}, MapProblem.EMPTY, "sparkplug register entry 2.metric is empty"),
        ({"area": "A 1"}, MapProblem.NOT_IDENTIFIER, "sparkplug register entry 2.area = 'A 1'"),
        ({"unit": "mg/m3"}, MapProblem.WRONG_UNIT, "entry 2.unit = 'mg/m3': H2S is in ppm"),
        ({"channel": "XYZ"}, MapProblem.NO_UNIT, "XYZ is not a known gas; give its unit"),
        ({"limits": {"hi": 50.0}}, MapProblem.LIMITS_REFUSED, "is looser than the cn floor"),
        ({"limits": {"hi": "five"}}, MapProblem.LIMITS_REFUSED, "entry 2.limits: hi: 'five' is not a number"),
        ({"metric": "x" * 201}, MapProblem.TOO_LONG, "entry 2.metric is longer than 200 characters"),
    ],
)
def test_a_bad_entry_is_refused_with_the_files_reason_and_nothing_changes(
    db: Database, bad: dict[str, object], code: MapProblem, said: str
) -> None:
    reg = SparkplugRegister(db, TEST_KEYS)
    reg.save(as_user(db, "boss"), [_h2s()])
    with pytest.raises(SparkplugMapError) as info:
        reg.save(as_user(db, "boss"), [_h2s(area="A2"), _h2s(**bad)])
    assert info.value.code is code and said in str(info.value), str(info.value)
    assert [e.area for e in reg.entries()] == ["A1"] and len(_audits(db)) == 1


def test_the_register_refuses_what_the_file_refuses_with_the_same_sentence() -> None:
    """One check for both: the configuration's message, its entry named as the file names it."""
    config = SparkplugConfig(enabled=True, map=[_h2s(unit="mg/m3")])
    with pytest.raises(SparkplugMapError) as info:
        validate_sparkplug(config, {})
    assert str(info.value) == "sparkplug.map[0].unit = 'mg/m3': H2S is in ppm"


def test_an_unknown_area_or_a_limit_beside_the_configurations_is_refused(db: Database) -> None:
    reg = SparkplugRegister(db, TEST_KEYS, config_limits={"S1/A1/H2S": {"hi": 4.0}})
    with pytest.raises(RegisterError) as info:
        reg.save(as_user(db, "boss"), [_h2s(area="A9")])
    assert info.value.code is RegisterProblem.UNKNOWN_AREA and "there is no area A9 in site S1" in str(
        info.value
    )
    with pytest.raises(SparkplugMapError) as wrong:  # a text beside a number: said, not a crash
        reg.save(as_user(db, "boss"), [_h2s(limits={"hi": 4.0}), _h2s(limits={"hi": "4"})])
    assert "'4' is not a number" in str(wrong.value)
    with pytest.raises(SparkplugMapError) as refused:
        reg.save(as_user(db, "boss"), [_h2s(limits={"hi": 5.0})])
    assert refused.value.code is MapProblem.LIMITS_DISAGREE
    assert "alarms.limits.S1/A1/H2S says 4" in str(refused.value)
    assert reg.entries() == [] and _audits(db) == []


def test_the_mappings_limits_are_the_registers_limit_overrides(db: Database) -> None:
    """What "register changes go live" merges into the engine's limits (models/queries)."""
    reg = SparkplugRegister(db, TEST_KEYS)
    reg.save(
        as_user(db, "boss"),
        [_h2s(limits={"hi": 5.0}), _h2s(area="A2", detector="GD-9", limits={"hihi": 9.0})],
    )
    with db.session() as s:
        overrides = channel_limit_overrides(s)
    assert overrides == {"S1/A1/H2S": {"hi": 5.0}, "S1/A2/GD-9/H2S": {"hihi": 9.0}}


def test_stop_targets_are_kept_in_order_checked_as_the_files_and_audited(db: Database) -> None:
    reg = SparkplugRegister(db, TEST_KEYS)
    one = SparkplugStop(site="S1", area="A1", group="Plant1", node="GW-1", device="SW-1")
    two = SparkplugStop(site="S1", area="A2", group="Plant1", node="GW-2", device="", ack_metric="")
    reg.save_stops(as_user(db, "safety"), [one, two])
    assert reg.stops() == [one, two] and read_sparkplug_map(db) == ([], [one, two])
    with pytest.raises(SparkplugMapError) as info:
        reg.save_stops(
            as_user(db, "boss"), [one, SparkplugStop(site="S1", area="A1", group="Plant1", node="")]
        )
    assert (
        str(info.value) == "sparkplug register stop target 2.node is empty"
        and info.value.params["entry"] == 2
    )
    with pytest.raises(RegisterError) as unknown:
        reg.save_stops(as_user(db, "boss"), [SparkplugStop(site="S1", area="A9", group="G", node="N")])
    assert unknown.value.code is RegisterProblem.UNKNOWN_AREA
    with pytest.raises(RegisterError) as role:
        reg.save_stops(as_user(db, "op"), [])
    assert role.value.code is RegisterProblem.NOT_EDITOR
    assert reg.stops() == [one, two]
    with db.session() as s:
        rows = s.query(AuditEntry).filter(AuditEntry.action == STOP_AUDIT_ACTION).all()
        assert [(r.actor, json.loads(r.details)["targets"]) for r in rows] == [("safety", 2)]
        assert verify_chain(s).ok
