"""Key-step photos (issue 23 part 6): fetched from a real local HTTP file store, hash-checked, cached;
a tampered, oversized, missing or unreachable photo is never evidence; a required step without one
blocks. The field's reference travels on a real broker through a real core into SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from cockpit.config import Config
from cockpit.core import CockpitCore
from cockpit.permits.evidence import PermitEvidence
from cockpit.photo_fetch import PhotoFetcher
from connectors.database import Database
from models.records import PermitStatus, PhotoRef
from models.rules.photo_evidence import DEFAULT_PHOTO_STEPS, check_photo_steps
from models.schema import Permit, PermitEventRow
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until
from tests.support.file_store import FileStore, sha256
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
PHOTO = b"\x89PNG site cleared of combustibles " * 50


@pytest.fixture
def store() -> Iterator[FileStore]:
    s = FileStore().start()
    yield s
    s.stop()


def fetcher(tmp_path: Path, **kw: float) -> PhotoFetcher:
    kw.setdefault("retry_wait_s", 0.01)
    return PhotoFetcher(tmp_path / "photos", **kw)  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- the fetcher


def test_a_photo_is_fetched_checked_and_kept_by_its_hash(store: FileStore, tmp_path: Path) -> None:
    f = fetcher(tmp_path)
    ref = PhotoRef(store.put("1.png", PHOTO), sha256(PHOTO), "site_cleared")
    got = f.fetch(ref)
    assert got.verified and got.path is not None and got.path.read_bytes() == PHOTO
    assert got.path.name == f"{sha256(PHOTO)}.photo" and got.attempts == 1
    again = f.fetch(ref)  # from the cache: the store is not asked again
    assert again.verified and again.attempts == 0 and store.requests["/p/1.png"] == 1
    assert f.counts == {"verified": 2, "cached": 1}


def test_a_tampered_photo_is_flagged_and_never_kept(store: FileStore, tmp_path: Path) -> None:
    f = fetcher(tmp_path)
    url = store.put("1.png", PHOTO.replace(b"cleared", b"CLEARED"))  # not what the field hashed
    got = f.fetch(PhotoRef(url, sha256(PHOTO), "site_cleared"))
    assert got.state == "tampered" and got.path is None
    assert not (tmp_path / "photos").exists() or not any((tmp_path / "photos").iterdir())
    assert f.counts == {"tampered": 1}


def test_a_damaged_cache_file_is_fetched_again(store: FileStore, tmp_path: Path) -> None:
    f = fetcher(tmp_path)
    ref = PhotoRef(store.put("1.png", PHOTO), sha256(PHOTO))
    path = f.fetch(ref).path
    assert path is not None
    path.write_bytes(b"rotten")
    assert f.fetch(ref).verified and store.requests["/p/1.png"] == 2 and path.read_bytes() == PHOTO


def test_an_oversized_photo_is_refused_by_its_length_or_by_what_arrives(
    store: FileStore, tmp_path: Path
) -> None:
    f = fetcher(tmp_path, max_bytes=1000)
    big = PHOTO * 2  # 3,400 bytes
    announced = f.fetch(PhotoRef(store.put("big.png", big), sha256(big)))
    assert (announced.state, announced.size) == ("too_large", len(big))
    store.no_length.add("big2.png")
    streamed = f.fetch(PhotoRef(store.put("big2.png", big), sha256(big)))
    assert streamed.state == "too_large" and 1000 < streamed.size <= len(big)
    assert f.counts == {"too_large": 2}


def test_an_unreachable_store_is_tried_again_then_reported(tmp_path: Path) -> None:
    f = fetcher(tmp_path, retries=2, timeout_s=2)
    got = f.fetch(PhotoRef(f"http://127.0.0.1:{closed_port()}/p/1.png", sha256(PHOTO)))
    assert (got.state, got.attempts) == ("unreachable", 3)


def test_a_server_error_is_retried_and_a_missing_file_is_not(store: FileStore, tmp_path: Path) -> None:
    f = fetcher(tmp_path, retries=2)
    url = store.put("1.png", PHOTO)
    store.failing["1.png"] = 2
    got = f.fetch(PhotoRef(url, sha256(PHOTO)))
    assert got.verified and got.attempts == 3
    missing = f.fetch(PhotoRef(store.url("none.png"), sha256(b"x")))
    assert (missing.state, missing.attempts) == ("not_found", 1)


# ---------------------------------------------------------------- the rule


def test_a_required_step_blocks_without_a_verified_photo() -> None:
    from models.records import PermitType

    hot = PermitType.HOT_WORK
    steps = DEFAULT_PHOTO_STEPS
    assert check_photo_steps(hot, PermitStatus.ACTIVE, [("site_cleared", "verified")], steps) == []
    missing = check_photo_steps(hot, PermitStatus.APPROVED, [], steps)
    assert [(f.code, f.blocks) for f in missing] == [("photo.missing", True)]
    assert "site cleared before ignition" in missing[0].message
    assert [f.code for f in check_photo_steps(hot, PermitStatus.SUBMITTED, [], steps)] == ["photo.needed"]
    assert not check_photo_steps(hot, PermitStatus.SUBMITTED, [], steps)[0].blocks
    tampered = check_photo_steps(hot, PermitStatus.ACTIVE, [("site_cleared", "tampered")], steps)
    assert [(f.code, f.blocks) for f in tampered] == [("photo.tampered", True)]
    unchecked = check_photo_steps(hot, PermitStatus.ACTIVE, [("site_cleared", "unreachable")], steps)
    assert unchecked[0].code == "photo.unchecked" and "could not be reached" in unchecked[0].message
    height = check_photo_steps(
        PermitType.WORK_AT_HEIGHT, PermitStatus.ACTIVE, [("site_cleared", "verified")], steps
    )
    assert [f.params["step"] for f in height] == ["harness_clipped"]  # another step's photo does not count
    assert check_photo_steps(PermitType.LIFTING, PermitStatus.ACTIVE, [], steps) == []


def test_the_required_steps_are_configured_per_permit_type_from_the_known_steps() -> None:
    from cockpit.config import validate
    from models.errors import UserError

    config = Config()
    config.permits.photo_steps = {"confined_space": ["ventilation_on"]}
    validate(config)
    config.permits.photo_steps = {"confined_space": ["selfie"]}
    with pytest.raises(UserError, match=r"photo_steps\.confined_space"):
        validate(config)


# ---------------------------------------------------------------- the field's reference, end to end


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'plant.db'}"
    else:
        url = str(request.getfixturevalue("pg_schema_url"))
    database = open_fresh(url)
    build_small_plant(database, NOW)
    with database.session() as s:  # HW-1 approved, not started: the field's start carries the photo
        permit = s.get(Permit, "HW-1")
        assert permit is not None
        permit.status = PermitStatus.APPROVED
        s.execute(delete(PermitEventRow).where(PermitEventRow.permit_id == "HW-1"))
    yield database
    database.dispose()


@pytest.mark.broker
def test_the_fields_start_carries_the_photo_and_the_permit_shows_it_checked(
    db: Database, store: FileStore, tmp_path: Path
) -> None:
    broker = MosquittoProcess(tmp_path).start()
    field = PahoPeer(broker.url, "gateway-s1")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="photos", clock=lambda: NOW, sessions=TEST_KEYS)
    try:
        field.wait_connected()
        core.start()
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        good = store.put("cleared.png", PHOTO)
        bad = store.put("cleared2.png", b"another picture")
        body = {
            "ts": int(NOW.timestamp() * 1000),
            "type": "started",
            "by": "W-2",
            "photos": [
                {"url": good, "sha256": sha256(PHOTO), "step": "site_cleared"},
                {"url": bad, "sha256": sha256(PHOTO + b"2"), "step": "site_cleared"},  # not what it serves
            ],
        }
        field.publish("plant/S1/A1/permit/HW-1/event", json.dumps(body).encode(), qos=1)

        def started() -> bool:
            with db.session() as s:
                return (
                    s.scalar(select(PermitEventRow.detail).where(PermitEventRow.type == "started"))
                    is not None
                )

        assert wait_until(started, 20), "the start never reached the database"
        core._db_worker.submit(lambda: None).result(30)  # what it raised has reached the core thread
        assert core.call(lambda: core.engine.get("permit:HW-1:STARTED_WITHOUT_PHOTO")).result(15) is None
    finally:
        core.stop()
        field.close()
        broker.stop()
    evidence = PermitEvidence(db, fetcher(tmp_path), DEFAULT_PHOTO_STEPS)
    report = evidence.read("HW-1")
    assert [(p.step, p.by, p.event, p.fetched.state) for p in report.photos] == [
        ("site_cleared", "W-2", "started", "verified"),
        ("site_cleared", "W-2", "started", "tampered"),
    ]
    assert report.photos[0].ts == NOW
    assert report.findings == [] and report.counts == {"verified": 1, "tampered": 1}


def test_a_started_hot_work_without_its_photo_blocks(tmp_path: Path) -> None:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, NOW)  # HW-1 active, its start carried no photo
    try:
        report = PermitEvidence(database, fetcher(tmp_path), DEFAULT_PHOTO_STEPS).read("HW-1")
    finally:
        database.dispose()
    assert report.photos == []
    assert [(f.code, f.blocks, f.params["step"]) for f in report.findings] == [
        ("photo.missing", True, "site_cleared")
    ]


def test_one_dead_store_costs_one_time_out(tmp_path: Path) -> None:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, NOW)
    dead = f"http://127.0.0.1:{closed_port()}"
    with database.session() as s:
        s.add(
            PermitEventRow(
                permit_id="HW-1",
                ts=NOW + timedelta(minutes=1),
                type="gas_test",
                by="W-2",
                detail={
                    "photos": [{"url": f"{dead}/p/{i}.png", "sha256": sha256(b"%d" % i)} for i in range(5)]
                },
            )
        )
    f = fetcher(tmp_path, retries=1)
    try:
        report = PermitEvidence(database, f, DEFAULT_PHOTO_STEPS).read("HW-1")
    finally:
        database.dispose()
    assert report.counts == {"unreachable": 5}
    assert f.counts == {"unreachable": 1}  # the other four were not tried again


@pytest.mark.broker
def test_a_start_without_the_required_photo_is_an_alarm(db: Database, tmp_path: Path) -> None:
    broker = MosquittoProcess(tmp_path).start()
    field = PahoPeer(broker.url, "gateway-s1")
    config = Config()
    config.mqtt.url = broker.url
    core = CockpitCore(config, db, console="photos", clock=lambda: NOW, sessions=TEST_KEYS)
    alarm_id = "permit:HW-1:STARTED_WITHOUT_PHOTO"
    try:
        field.wait_connected()
        core.start()
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        body = {"ts": int(NOW.timestamp() * 1000), "type": "started", "by": "W-2"}  # no photo of the site
        field.publish("plant/S1/A1/permit/HW-1/event", json.dumps(body).encode(), qos=1)

        def raised() -> object:
            return core.call(lambda: core.engine.get(alarm_id)).result(15)

        assert wait_until(lambda: raised() is not None, 20), "no alarm for the start without its photo"
        found = raised()
        assert int(found.priority) == 3  # type: ignore[attr-defined]
        assert found.message.endswith(  # type: ignore[attr-defined]
            "work on HW-1 started without the photo of the key step: site cleared before ignition"
        )
        with db.session() as s:  # the start still counts: the work is under way, the alarm says how
            permit = s.get(Permit, "HW-1")
            assert permit is not None and permit.status == PermitStatus.ACTIVE
    finally:
        core.stop()
        field.close()
        broker.stop()


def test_the_printed_report_says_the_steps_as_the_glossary_does() -> None:
    from cockpit.report.alarm_words import STEP_ZH
    from models.rules.finding_texts import TERM_TEXTS
    from models.rules.photo_evidence import PHOTO_STEPS
    from tests.views.test_finding_words import chinese

    zh = chinese()
    assert {step: zh[TERM_TEXTS[f"step.{step}"]] for step in PHOTO_STEPS} == STEP_ZH
