"""Register changes go live (issue 16 part 4): a running core, a real broker, SQLite and PostgreSQL.

No restart between the change and what the test reads: the core follows the audit log's ``register.*``
entries on its database worker and swaps the alarm engine's limits and the registered detectors.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.detector_register import DetectorRegister
from cockpit.plant_register import PlantRegister
from cockpit.register_live import merged_resolver
from connectors.database import Database
from models.audit import verify_chain
from models.records import ChannelKey, RiskLevel
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.plant_db import register_db
from tests.support.sessions import TEST_KEYS, as_user

pytestmark = pytest.mark.broker
LEL = ChannelKey("S1", "A1", "GD-1", "LEL")


@pytest.fixture(params=["sqlite", "postgresql"])
def running(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[CockpitCore, PahoPeer, Database]]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    broker = MosquittoProcess(tmp_path).start()
    with register_db(url) as db:
        PlantRegister(db, TEST_KEYS).save_site(as_user(db, "boss"), "S1", "一号厂区")
        PlantRegister(db, TEST_KEYS).save_area(
            as_user(db, "boss"), "S1", "A1", "装置一", risk_level=RiskLevel.HIGH
        )
        detectors = DetectorRegister(db, TEST_KEYS)
        detectors.save_detector(as_user(db, "safety"), "S1", "A1", "GD-1")
        detectors.save_channel(as_user(db, "safety"), "GD-1", "LEL")  # the cn profile's HI 10, HIHI 25
        config = Config()
        config.mqtt.url = broker.url
        core = CockpitCore(config, db, console="register-live", data_dir=tmp_path)
        core.start()
        field = PahoPeer(broker.url, "gateway")
        try:
            assert wait_until(lambda: core.connector.link_state.connected, 10)
            yield core, field, db
        finally:
            field.close()
            core.stop()
            broker.stop()


def _send(field: PahoPeer, lel: float, *, area: str = "A1", device: str = "GD-1") -> None:
    body = {"ts": int(time.time() * 1000), "readings": [{"ch": "LEL", "v": lel, "u": "%LEL"}]}
    field.publish(f"plant/S1/{area}/sensor/{device}", json.dumps(body).encode(), qos=1)


def _alarm(core: CockpitCore, alarm_id: str):  # type: ignore[no-untyped-def]
    return core.call(lambda: core.engine.get(alarm_id)).result(5)


def test_a_lowered_limit_makes_the_next_reading_alarm_without_a_restart(running) -> None:  # type: ignore[no-untyped-def]
    core, field, db = running
    _send(field, 12.0)  # HI 10 by the profile: a HI starts (after its 2 s), never a HIHI
    assert wait_until(lambda: core.store.channel(LEL) is not None, 5)
    assert _alarm(core, f"{LEL}:LEVEL") is None or _alarm(core, f"{LEL}:LEVEL").condition != "HIHI"
    seq = core.state.register_seq
    DetectorRegister(db, TEST_KEYS).save_channel(
        as_user(db, "safety"), "GD-1", "LEL", limits={"hi": 5, "hihi": 11}
    )
    assert wait_until(lambda: core.state.register_seq > seq, 5), "the change never reached the core"
    assert core.engine.limits(LEL).hihi == 11.0
    assert dict(core.state.register_limits) == {"S1/A1/GD-1/LEL": {"hi": 5.0, "hihi": 11.0}}
    _send(field, 12.0)  # the same value: now past HIHI, which has no on-delay
    assert wait_until(lambda: (a := _alarm(core, f"{LEL}:LEVEL")) is not None and a.condition == "HIHI", 5)
    with db.session() as s:
        assert verify_chain(s).ok


def test_an_area_and_detector_added_through_the_register_are_known_to_the_running_core(running) -> None:  # type: ignore[no-untyped-def]
    core, field, db = running
    _send(field, 2.0, area="A9", device="GD-9")  # seen on the wire before the register knows it
    assert wait_until(lambda: ("S1", "A9", "GD-9") in core.store.unregistered(), 5)
    seq = core.state.register_seq
    PlantRegister(db, TEST_KEYS).save_area(
        as_user(db, "safety"), "S1", "A9", "新罐区", risk_level=RiskLevel.MAJOR
    )
    DetectorRegister(db, TEST_KEYS).save_detector(as_user(db, "safety"), "S1", "A9", "GD-9")
    assert wait_until(lambda: core.state.register_seq > seq, 5)
    assert wait_until(lambda: ("S1", "A9", "GD-9") not in core.store.unregistered(), 5)


def test_register_limits_sit_on_the_configuration_and_one_that_cannot_is_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config_limits = {"LEL": {"hi": 8.0, "deadband": 2.0}}
    # GD-2's HI 2 is stricter than the profile's, but the configuration's deadband 2 leaves it no room
    register = {"S1/A1/GD-1/LEL": {"hihi": 20.0}, "S1/A1/GD-2/LEL": {"hi": 2.0}}
    with caplog.at_level(logging.WARNING, logger="cockpit.register_live"):
        resolver = merged_resolver("cn", config_limits, register)
    one = resolver.limits_for(LEL)
    assert one is not None and (one.hi, one.hihi, one.deadband) == (8.0, 20.0, 2.0)
    two = resolver.limits_for(ChannelKey("S1", "A1", "GD-2", "LEL"))
    assert two is not None and two.hi == 8.0  # left out: the configuration's stands
    assert "S1/A1/GD-2/LEL" in caplog.text
