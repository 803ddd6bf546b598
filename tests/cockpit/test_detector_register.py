"""The detectors register on real SQLite and PostgreSQL: channels, limits never looser, wind masts, roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.detector_register import DetectorError, DetectorProblem, DetectorRegister
from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister, RegisterError, RegisterProblem
from cockpit.register_io.problems import RegisterIoError, RowProblem
from cockpit.register_io.service import RegisterIO
from connectors.database import Database
from models.audit import verify_chain
from models.limits import LimitResolver
from models.queries import channel_limit_overrides
from models.records import ChannelKey, RiskLevel
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
        yield database


def _refused(code: DetectorProblem, fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DetectorError) as info:
        fn(*args, **kwargs)
    assert info.value.code is code, info.value
    return str(info.value)


def test_a_detector_with_channels_overrides_and_a_wind_mast(db: Database) -> None:
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "safety"), "S1", "A1", "GD-101", model="GT-2000", x=12.5, y=40.0)
    reg.save_channel(
        as_user(db, "safety"), "GD-101", "h2s", max_age_s=30, limits={"hi": 5, "hihi": 10, "lo": None}
    )
    reg.save_channel(as_user(db, "boss"), "GD-101", "O2", profile="us")
    reg.save_wind_mast(as_user(db, "boss"), "S1", "A1", "WM-1", x=1.0, y=2.0, max_age_s=20)
    detectors = {d.device_id: d for d in PlantReads(db).detectors()}
    gd = detectors["GD-101"]
    assert (gd.model, gd.x, gd.y) == ("GT-2000", 12.5, 40.0)
    h2s, o2 = gd.channels[0], gd.channels[1]
    assert (h2s.ch, h2s.unit, h2s.limit_profile, h2s.max_age_s) == ("H2S", "ppm", "cn", 30.0)
    assert dict(h2s.limits) == {"hi": 5.0, "hihi": 10.0}
    assert (o2.unit, o2.limit_profile, o2.limits) == ("%VOL", "us", ())
    wind = detectors["WM-1"].channels
    assert [(c.ch, c.unit, c.max_age_s) for c in wind] == [("WIND", "m/s", 20.0)]
    reg.save_channel(as_user(db, "boss"), "GD-101", "H2S", limits={})  # back to the profile's
    gd = next(d for d in PlantReads(db).detectors() if d.device_id == "GD-101")
    assert gd.channels[0].limits == ()


def test_a_limit_looser_than_the_profile_or_out_of_order_is_refused(db: Database) -> None:
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    text = _refused(
        DetectorProblem.LIMIT_LOOSER, reg.save_channel, as_user(db, "boss"), "GD-1", "H2S", limits={"hi": 8}
    )
    assert text == "H2S HI 8 is looser than the cn profile's 7: stricter limits only (GB 30871)"
    # the us profile's H2S HI is 10: 8 is stricter there
    reg.save_channel(as_user(db, "boss"), "GD-1", "H2S", profile="us", limits={"hi": 8})
    _refused(
        DetectorProblem.LIMIT_LOOSER, reg.save_channel, as_user(db, "boss"), "GD-1", "O2", limits={"lo": 19.0}
    )
    _refused(
        DetectorProblem.LIMIT_ORDER,
        reg.save_channel,
        as_user(db, "boss"),
        "GD-1",
        "CO",
        limits={"hi": 17, "hihi": 15},
    )
    _refused(
        DetectorProblem.LIMIT_NUMBER,
        reg.save_channel,
        as_user(db, "boss"),
        "GD-1",
        "CO",
        limits={"deadband": 1},
    )
    _refused(
        DetectorProblem.LIMIT_NUMBER,
        reg.save_channel,
        as_user(db, "boss"),
        "GD-1",
        "CO",
        limits={"hi": float("nan")},
    )
    _refused(
        DetectorProblem.LIMIT_NARROW, reg.save_channel, as_user(db, "boss"), "GD-1", "H2S", limits={"hi": 0.1}
    )
    _refused(DetectorProblem.BAD_PROFILE, reg.save_channel, as_user(db, "boss"), "GD-1", "CO", profile="eu")
    _refused(DetectorProblem.BAD_UNIT, reg.save_channel, as_user(db, "boss"), "GD-1", "CO", unit="mg/m3")
    _refused(DetectorProblem.BAD_MAX_AGE, reg.save_channel, as_user(db, "boss"), "GD-1", "CO", max_age_s=0)
    _refused(DetectorProblem.BAD_CHANNEL, reg.save_channel, as_user(db, "boss"), "GD-1", "C O")
    _refused(DetectorProblem.WIND_CHANNEL, reg.save_channel, as_user(db, "boss"), "GD-1", "WIND")
    _refused(DetectorProblem.UNKNOWN_DETECTOR, reg.save_channel, as_user(db, "boss"), "GD-9", "CO")
    _refused(DetectorProblem.BAD_ID, reg.save_detector, as_user(db, "boss"), "S1", "A1", "GD 1")
    _refused(DetectorProblem.BAD_POSITION, reg.save_detector, as_user(db, "boss"), "S1", "A1", "GD-2", x=1.0)
    with pytest.raises(RegisterError) as info:
        reg.save_detector(as_user(db, "boss"), "S1", "A9", "GD-3")
    assert info.value.code is RegisterProblem.UNKNOWN_AREA
    gd = {d.device_id: d for d in PlantReads(db).detectors()}
    assert list(gd) == ["GD-1"] and [(c.ch, dict(c.limits)) for c in gd["GD-1"].channels] == [
        ("H2S", {"hi": 8.0})
    ]


@pytest.mark.parametrize("user", ["op", "lead", "ic"])  # made-up ones: tests/cockpit/test_service_sessions.py
def test_other_roles_read_but_may_not_edit(db: Database, user: str) -> None:
    actor = as_user(db, user)  # a real login's session: the role, not the session, is what refuses
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    for fn, args, kwargs in (
        (reg.save_detector, ("S1", "A1", "GD-2"), {}),
        (reg.save_channel, ("GD-1", "CO"), {}),
        (reg.save_wind_mast, ("S1", "A1", "WM-1"), {}),
        (reg.delete_channel, ("GD-1", "CO"), {}),
    ):
        with pytest.raises(RegisterError) as info:
            fn(actor, *args, **kwargs)  # type: ignore[operator]
        assert info.value.code is RegisterProblem.NOT_EDITOR
    assert [d.device_id for d in PlantReads(db).detectors()] == ["GD-1"]


def test_changes_are_audited_and_the_chain_verifies(db: Database) -> None:
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "safety"), "S1", "A1", "GD-1")
    reg.save_channel(as_user(db, "safety"), "GD-1", "LEL", limits={"hi": 8})
    reg.delete_channel(as_user(db, "boss"), "GD-1", "LEL")
    reg.save_wind_mast(as_user(db, "boss"), "S1", "A1", "WM-1")
    with db.session() as s:
        rows = s.query(AuditEntry).order_by(AuditEntry.seq).all()
        assert [(r.actor, r.action, r.subject) for r in rows][-4:] == [
            ("safety", "register.detector", "GD-1"),
            ("safety", "register.channel", "GD-1/LEL"),
            ("boss", "register.channel_delete", "GD-1/LEL"),
            ("boss", "register.wind_mast", "WM-1"),
        ]
        assert '"hi":8.0' in rows[-3].details.replace(" ", "")
        assert verify_chain(s).ok


def test_the_stored_overrides_are_the_alarm_engines_override_keys(db: Database) -> None:
    reg = DetectorRegister(db, TEST_KEYS)
    reg.save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    reg.save_channel(as_user(db, "boss"), "GD-1", "H2S", limits={"hi": 5})
    reg.save_channel(as_user(db, "boss"), "GD-1", "O2", limits={"lo": 19.8})
    reg.save_channel(as_user(db, "boss"), "GD-1", "LEL")
    with db.session() as s:
        overrides = channel_limit_overrides(s)
    assert overrides == {"S1/A1/GD-1/H2S": {"hi": 5.0}, "S1/A1/GD-1/O2": {"lo": 19.8}}
    resolver = LimitResolver("cn", overrides)  # what a reload would hand the engine (issue 16 part 4)
    h2s = resolver.limits_for(ChannelKey("S1", "A1", "GD-1", "H2S"))
    assert h2s is not None and (h2s.hi, h2s.hihi) == (5.0, 14)
    other = resolver.limits_for(ChannelKey("S1", "A1", "GD-9", "H2S"))
    assert other is not None and other.hi == 7


def test_a_channels_file_naming_an_unknown_limit_profile_is_refused_row_by_row(
    db: Database, tmp_path: Path
) -> None:
    DetectorRegister(db, TEST_KEYS).save_detector(as_user(db, "boss"), "S1", "A1", "GD-1")
    path = tmp_path / "channels.csv"
    path.write_text(
        "Detector ID,Channel,Unit,Limit profile\nGD-1,H2S,ppm,us\nGD-1,CO,ppm,eu\n", encoding="utf-8"
    )
    with pytest.raises(RegisterIoError):
        RegisterIO(db, TEST_KEYS).import_file(as_user(db, "boss"), "channels", path)
    report = RegisterIO(db, TEST_KEYS).import_file(as_user(db, "boss"), "channels", path, valid_only=True)
    assert [(f.row, f.code) for f in report.rejected] == [(3, RowProblem.BAD_CHOICE)]
    (gd,) = PlantReads(db).detectors()
    assert [(c.ch, c.limit_profile) for c in gd.channels] == [("H2S", "us")]
