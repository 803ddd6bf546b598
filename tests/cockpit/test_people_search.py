"""The workers search through its in-memory index, on real SQLite and PostgreSQL: what it finds, and that
it follows the register (a change is found by the next search; the screens never see an old index)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.people_inputs import CertificateInput, ContractorInput, WorkerInput
from cockpit.people_reads import PeopleReads
from cockpit.people_register import PeopleRegister
from cockpit.sessions import LoginSession
from tests.support.plant_db import register_db
from tests.support.sessions import TEST_KEYS, as_user

NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def people(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[PeopleRegister, PeopleReads, LoginSession]]:
    url = (
        f"sqlite:///{tmp_path / 'people.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    with register_db(url) as db:
        reg = PeopleRegister(db, TEST_KEYS, clock=lambda: NOW)
        reg.save_contractor(as_user(db, "safety"), ContractorInput("C1", "华建石化安装"))
        reg.save_contractor(as_user(db, "safety"), ContractorInput("C2", "Sino Pipe Works"))
        reg.save_worker(as_user(db, "safety"), WorkerInput("W-0001", "张三", "C1", "焊工"))
        reg.save_worker(as_user(db, "safety"), WorkerInput("W-0002", "李四", "C2", "电工"))
        reg.save_worker(as_user(db, "safety"), WorkerInput("X-77", "王五", None, "管工"))
        reg.save_certificate(
            as_user(db, "safety"), CertificateInput("W-0002", "T2024-881", "电工", "2024-01-01", "2030-01-01")
        )
        yield reg, PeopleReads(db, clock=lambda: NOW), as_user(db, "safety")  # a safety manager's login


def found(reads: PeopleReads, text: str) -> list[str]:
    return [w.worker_id for w in reads.workers(text)]


def test_a_search_finds_ids_names_employers_and_certificate_numbers(people) -> None:  # type: ignore[no-untyped-def]
    _, reads, _ = people
    assert found(reads, "w-000") == ["W-0001", "W-0002"]  # an ID, any case
    assert found(reads, "0002") == ["W-0002"]  # inside an ID
    assert found(reads, "三") == ["W-0001"]  # inside a name
    assert found(reads, "pipe") == ["W-0002"]  # the employer's name
    assert found(reads, "T2024") == ["W-0002"]  # a certificate number's start
    assert found(reads, "881") == []  # not the middle of a number: a number is searched from its start
    assert found(reads, "4李") == []  # never across two fields
    assert found(reads, "nobody") == []
    assert found(reads, "") == ["W-0001", "W-0002", "X-77"]
    rows = reads.workers("李四")
    assert [(r.name, r.contractor_code, r.contractor_name, r.trade) for r in rows] == [
        ("李四", "C2", "Sino Pipe Works", "电工")
    ]


def test_the_next_search_finds_what_the_register_changed(people) -> None:  # type: ignore[no-untyped-def]
    reg, reads, safety = people
    assert found(reads, "赵") == []  # the index is built now
    reg.save_worker(safety, WorkerInput("W-0003", "赵六", "C1", "焊工"))
    assert found(reads, "赵") == ["W-0003"]
    reg.save_certificate(safety, CertificateInput("W-0003", "Q-55", "焊接", "2024-01-01", "2030-01-01"))
    assert found(reads, "q-5") == ["W-0003"]
    reg.save_contractor(safety, ContractorInput("C1", "新华建"))  # renamed: its workers are found by it
    assert found(reads, "新华") == ["W-0001", "W-0003"]


def test_a_search_stops_at_its_limit_in_id_order(people) -> None:  # type: ignore[no-untyped-def]
    _, reads, _ = people
    assert [w.worker_id for w in reads.workers("-", limit=2)] == ["W-0001", "W-0002"]


def test_the_contractor_panel_finds_a_contractor_by_its_new_name(people) -> None:  # type: ignore[no-untyped-def]
    """The panel's contractors by a piece of their name come from the same index (issue 20): a contractor
    saved or renamed through the register is found by the next search, and the old name no longer."""
    from cockpit.contractor_search import search

    reg, reads, safety = people
    db = reads._db  # the register's database, as the panel's directory holds it

    def firms(text: str) -> list[str]:
        with db.session() as s:
            hits = search(s, text, 20, names=reads.worker_search)
        return [h.key for h in hits if h.kind == "contractor" and h.matched == "name"]

    assert firms("石化") == ["C1"]  # inside the name: from memory
    assert firms("pipe") == ["C2"]  # case ignored, as the table scan on SQLite did
    reg.save_contractor(safety, ContractorInput("C1", "新华检修服务"))
    reg.save_contractor(safety, ContractorInput("C3", "东方检修工程"))
    assert firms("检修") == ["C3", "C1"]  # in name order: 东 before 新
    assert firms("石化") == []
