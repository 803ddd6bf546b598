"""The sites-and-areas register service on real SQLite and PostgreSQL: who edits, bad input, the audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.plant_reads import PlantReads
from cockpit.plant_register import ContactInput, PlantRegister, RegisterError, RegisterProblem
from connectors.database import Database
from models.audit import verify_chain
from models.records import RiskLevel
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
        yield database


def refused(code: RegisterProblem, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterError) as info:
        fn(*args, **kwargs)
    assert info.value.code is code, info.value


def test_safety_manager_and_admin_build_a_three_area_plant(db: Database) -> None:
    reg = PlantRegister(db, TEST_KEYS)
    reg.save_site(as_user(db, "safety"), "CHEM1", "一号化工厂区")
    for i, level in enumerate((RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.LOW), start=1):
        reg.save_area(
            as_user(db, "boss"),
            "CHEM1",
            f"A{i}",
            f"装置{i}",
            risk_level=level,
            guidance="进入前测氧",
            is_hazard_area=i == 1,
        )
    reg.set_contacts(
        as_user(db, "safety"),
        "CHEM1",
        "A1",
        [ContactInput("王班长", "+86 138-0000-0001", "值班长"), ContactInput("消防队", "119")],
    )
    sites = PlantReads(db).sites()
    assert [a.area_id for a in sites[0].areas] == ["A1", "A2", "A3"]
    detail = PlantReads(db).area_detail("CHEM1", "A1")
    assert detail is not None
    assert detail.risk_level is RiskLevel.MAJOR and detail.guidance == "进入前测氧"
    assert [(c.name, c.phone) for c in detail.contacts] == [
        ("王班长", "+86 138-0000-0001"),
        ("消防队", "119"),
    ]
    reg.save_area(
        as_user(db, "safety"), "CHEM1", "A1", "常减压装置", risk_level=RiskLevel.HIGH
    )  # an update, not a copy
    detail = PlantReads(db).area_detail("CHEM1", "A1")
    assert detail is not None and detail.name == "常减压装置" and detail.risk_level is RiskLevel.HIGH
    with db.session() as s:
        report = verify_chain(s)
        assert report.ok and report.entries == 1 + 4 + 1 + 3 + 1 + 1


@pytest.mark.parametrize("user", ["op", "lead", "ic"])  # made-up ones: tests/cockpit/test_service_sessions.py
def test_other_roles_are_refused(db: Database, user: str) -> None:
    actor = as_user(db, user)  # a real login's session: the role, not the session, is what refuses
    reg = PlantRegister(db, TEST_KEYS)
    reg.save_site(as_user(db, "boss"), "S1", "厂区")
    reg.save_area(as_user(db, "boss"), "S1", "A1", "区域", risk_level=RiskLevel.LOW)
    refused(RegisterProblem.NOT_EDITOR, reg.save_site, actor, "S2", "厂区二")
    refused(RegisterProblem.NOT_EDITOR, reg.save_area, actor, "S1", "A2", "区域二", risk_level=RiskLevel.LOW)
    refused(RegisterProblem.NOT_EDITOR, reg.set_contacts, actor, "S1", "A1", [ContactInput("x", "119")])
    assert [s.site_id for s in PlantReads(db).sites()] == ["S1"]


def test_bad_input_is_refused_and_nothing_written(db: Database) -> None:
    reg = PlantRegister(db, TEST_KEYS)
    refused(RegisterProblem.BAD_CODE, reg.save_site, as_user(db, "boss"), "bad code", "厂区")
    refused(RegisterProblem.BAD_NAME, reg.save_site, as_user(db, "boss"), "S1", "   ")
    refused(
        RegisterProblem.BAD_TIMEZONE, reg.save_site, as_user(db, "boss"), "S1", "厂区", timezone="Mars/Base"
    )
    reg.save_site(as_user(db, "boss"), "S1", "厂区")
    refused(
        RegisterProblem.UNKNOWN_SITE,
        reg.save_area,
        as_user(db, "boss"),
        "S9",
        "A1",
        "区",
        risk_level=RiskLevel.LOW,
    )
    refused(
        RegisterProblem.GUIDANCE_LONG,
        reg.save_area,
        as_user(db, "boss"),
        "S1",
        "A1",
        "区",
        risk_level=RiskLevel.LOW,
        guidance="x" * 1_000_000,
    )
    refused(RegisterProblem.UNKNOWN_AREA, reg.set_contacts, as_user(db, "boss"), "S1", "A1", [])
    reg.save_area(as_user(db, "boss"), "S1", "A1", "区", risk_level=RiskLevel.LOW)
    reg.set_contacts(as_user(db, "boss"), "S1", "A1", [ContactInput("王", "119")])
    refused(
        RegisterProblem.BAD_PHONE,
        reg.set_contacts,
        as_user(db, "boss"),
        "S1",
        "A1",
        [ContactInput("王", "call me")],
    )
    refused(
        RegisterProblem.TOO_MANY_CONTACTS,
        reg.set_contacts,
        as_user(db, "boss"),
        "S1",
        "A1",
        [ContactInput("王", "119")] * 21,
    )
    detail = PlantReads(db).area_detail("S1", "A1")
    assert detail is not None and [c.phone for c in detail.contacts] == [
        "119"
    ]  # the refused lists wrote nothing
