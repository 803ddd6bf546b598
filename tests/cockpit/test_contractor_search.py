"""Contractor and worker lookup on the seeded demo plant (SQLite file) and on PostgreSQL.

A few rows with known names are added to the demo plant so each search key has one right answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from cockpit.contractor_search import (
    ContractorDirectory,
    InitialsIndex,
    contractor_card,
    expiring_certificates,
    search,
    worker_card,
)
from connectors.database import Database
from models.records import PermitStatus, PermitType
from models.schema import Area, Certificate, Contractor, ContractorViolation, Permit, PermitWorker, Worker
from tests.cockpit.test_permit_service import NOW, copy_of, shared_pg_url, shared_template
from tests.support.fresh_db import open_fresh

TODAY: date = NOW.date()


def add_known_people(db: Database) -> None:
    """A contractor, two workers and their certificates whose names the tests look for."""
    with db.session() as s:
        area = s.scalars(select(Area).order_by(Area.site_id, Area.id)).first()
        assert area is not None
        s.add(
            Contractor(
                code="C-T001", name="欧阳防腐工程有限公司", blacklisted=True, blacklist_reason="违章动火"
            )
        )
        s.flush()
        s.add(
            ContractorViolation(
                contractor_code="C-T001", at=NOW - timedelta(days=3), description="未办票动火", points=6
            )
        )
        s.add(Worker(id="W-T0001", name="欧阳明", contractor_code="C-T001", trade="焊工"))
        s.add(Worker(id="W-T0002", name="司马青", contractor_code="C-T001", trade="电工"))
        s.flush()
        certs = (
            ("W-T0001", "T99900011101", "熔化焊接与热切割作业", TODAY + timedelta(days=10)),
            ("W-T0002", "T99900011102", "低压电工作业", TODAY + timedelta(days=45)),
            ("W-T0002", "T99900011103", "登高架设作业", TODAY - timedelta(days=5)),
            # expired but renewed: a newer certificate of the same trade replaces it
            ("W-T0001", "T99900011104", "高处安装、维护、拆除作业", TODAY - timedelta(days=20)),
            ("W-T0001", "T99900011105", "高处安装、维护、拆除作业", TODAY + timedelta(days=900)),
        )
        for worker, number, trade, valid_to in certs:
            s.add(
                Certificate(
                    worker_id=worker,
                    number=number,
                    trade=trade,
                    valid_from=valid_to - timedelta(days=2000),
                    valid_to=valid_to,
                )
            )
        for pid, status in (("HW-T-CUR", PermitStatus.ACTIVE), ("HW-T-OLD", PermitStatus.CLOSED)):
            s.add(
                Permit(
                    id=pid,
                    type=PermitType.HOT_WORK,
                    status=status,
                    site_id=area.site_id,
                    area_id=area.id,
                    valid_from=NOW - timedelta(days=1 if status is PermitStatus.ACTIVE else 30),
                    valid_to=NOW + timedelta(hours=3 if status is PermitStatus.ACTIVE else -700),
                    applicant="W-T0001",
                    supervisor="W-T0002",
                    contractor_code="C-T001",
                    created_at=NOW - timedelta(days=31),
                    updated_at=NOW,
                )
            )
            s.flush()
            s.add(PermitWorker(permit_id=pid, worker_id="W-T0001"))


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = copy_of(shared_template(tmp_path_factory), tmp_path_factory.mktemp("search"))
    add_known_people(db)
    yield db
    db.dispose()


def keys(hits: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(h.kind, h.key) for h in hits]


@pytest.mark.parametrize(
    ("query", "expected", "matched"),
    [
        ("欧阳防腐", ("contractor", "C-T001"), "name"),  # Chinese name, from its start
        ("防腐工程", ("contractor", "C-T001"), "name"),  # Chinese, inside the name
        ("c-t001", ("contractor", "C-T001"), "code"),  # code typed in lower case
        ("欧阳明", ("worker", "W-T0001"), "name"),
        ("司马", ("worker", "W-T0002"), "name"),
        ("W-T0002", ("worker", "W-T0002"), "worker_id"),
        ("T99900011103", ("certificate", "W-T0002"), "certificate"),
        ("T999000111", ("certificate", "W-T0001"), "certificate"),  # number prefix
    ],
)
def test_search_finds_by_each_key(
    plant: Database, query: str, expected: tuple[str, str], matched: str
) -> None:
    with plant.session() as s:
        hits = search(s, query, 20)
    found = [h for h in hits if h.kind == expected[0] and h.key.startswith(expected[1])]
    assert found, (query, keys(hits))
    assert found[0].matched == matched


@pytest.mark.parametrize("query", ["欧阳", "阳明", "司马", "明", "防腐", "工程", "马"])
def test_the_names_in_memory_find_what_the_table_scan_finds(plant: Database, query: str) -> None:
    """The contractor panel's workers by a piece of their name, from the index the workers register
    keeps in memory (issue 20: the table scan was the search's p95 at 100,000 workers)."""
    from cockpit.people_search import WorkerSearch

    with plant.session() as s:
        scanned = search(s, query, 50)
        indexed = search(s, query, 50, names=WorkerSearch(plant))
    assert sorted(keys(indexed)) == sorted(keys(scanned)), query
    assert any(kind == "worker" for kind, _ in keys(indexed)) or query in ("防腐", "工程")


def test_exact_identifier_comes_first_and_limit_holds(plant: Database) -> None:
    with plant.session() as s:
        assert keys(search(s, "W-T0001", 5))[0] == ("worker", "W-T0001")
        assert len(search(s, "W-1", 7)) == 7
        assert search(s, "   ", 10) == []
        assert search(s, "%", 10) == []  # a LIKE wildcard is a character, not "everything"


def test_pinyin_initials_with_the_index(plant: Database) -> None:
    with plant.session() as s:
        index = InitialsIndex.build(s)
        assert ("worker", "W-T0001") not in keys(search(s, "oym", 50))  # no index, no pinyin
        hits = search(s, "oym", 50, initials=index)
        assert ("worker", "W-T0001") in keys(hits)
        assert ("contractor", "C-T001") in keys(search(s, "OYFF", 50, initials=index))
        assert ("worker", "W-T0002") in keys(search(s, "smq", 50, initials=index))


def test_directory_builds_the_index_once(plant: Database) -> None:
    directory = ContractorDirectory(plant.session)
    assert ("worker", "W-T0002") in keys(directory.search("smq"))
    first = directory.index()
    directory.search("oym")
    assert directory.index() is first


def test_contractor_card(plant: Database) -> None:
    with plant.session() as s:
        card = contractor_card(s, "C-T001", today=TODAY)
        assert contractor_card(s, "C-NOPE", today=TODAY) is None
    assert card is not None and card.blacklisted and card.blacklist_reason == "违章动火"
    assert card.violation_points == 6 and card.violations[0][1] == "未办票动火"
    states = {w.worker_id: w.worst_state for w in card.workers}
    assert states == {"W-T0001": "expiring_30", "W-T0002": "expired"}
    assert [p.permit_id for p in card.permits] == ["HW-T-CUR"]  # current permits only


def test_worker_card(plant: Database) -> None:
    with plant.session() as s:
        card = worker_card(s, "W-T0001", today=TODAY)
    assert card is not None and card.contractor_name == "欧阳防腐工程有限公司"
    by_number = {c.number: (c.state, c.days_left) for c in card.certificates}
    assert by_number["T99900011101"] == ("expiring_30", 10)
    assert by_number["T99900011104"] == ("expired", -20)
    assert [(p.permit_id, p.current) for p in card.permits] == [("HW-T-CUR", True), ("HW-T-OLD", False)]


def test_expiring_certificates_plant_wide(plant: Database) -> None:
    with plant.session() as s:
        within_30, within_60, expired = expiring_certificates(s, TODAY)
    numbers_30 = {c.number for c in within_30}
    numbers_60 = {c.number for c in within_60}
    numbers_expired = {c.number for c in expired}
    assert "T99900011101" in numbers_30 and "T99900011102" in numbers_60 and "T99900011103" in numbers_expired
    assert "T99900011104" not in numbers_expired  # renewed: nothing to do
    assert all(0 <= c.days_left <= 30 for c in within_30)
    assert all(30 < c.days_left <= 60 for c in within_60)
    assert all(c.days_left < 0 for c in expired)
    assert [c.valid_to for c in within_30] == sorted(c.valid_to for c in within_30)


def test_a_keystroke_is_one_statement(plant: Database) -> None:
    """Every step of a search (codes, IDs, certificates, names) is read in one statement: 8-11 of them
    were most of a keystroke's time at 100,000 workers (issue 20)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(plant.engine, "before_cursor_execute", count)
    try:
        with plant.session() as s:
            for query in ("欧阳", "c-t001", "T999000111", "防腐工程"):
                statements.clear()
                assert search(s, query, 20), query
                assert len(statements) == 1, (query, statements)
    finally:
        event.remove(plant.engine, "before_cursor_execute", count)


def test_contractors_of_one_name_come_in_code_order(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = copy_of(shared_template(tmp_path_factory), tmp_path_factory.mktemp("same-name"))
    try:
        with db.session() as s:
            for code in ("C-T9C", "C-T9A", "C-T9B"):
                s.add(Contractor(code=code, name="同名防腐工程有限公司"))
        with db.session() as s:
            by_start = [h.key for h in search(s, "同名", 20) if h.kind == "contractor"]
            inside = [h.key for h in search(s, "名防腐", 20) if h.kind == "contractor"]
        assert by_start == inside == ["C-T9A", "C-T9B", "C-T9C"]
    finally:
        db.dispose()


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def pg_plant(pg_url: str) -> Iterator[Database]:
    db = open_fresh(shared_pg_url(pg_url))
    with db.session() as s:
        known = s.get(Contractor, "C-T001") is not None
    if not known:
        add_known_people(db)
    yield db
    db.dispose()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("欧阳防腐", ("contractor", "C-T001")),
        ("c-t001", ("contractor", "C-T001")),
        ("司马青", ("worker", "W-T0002")),
        ("马青", ("worker", "W-T0002")),
        ("W-T0001", ("worker", "W-T0001")),
        ("T99900011103", ("certificate", "W-T0002")),
    ],
)
def test_search_on_postgresql(pg_plant: Database, query: str, expected: tuple[str, str]) -> None:
    with pg_plant.session() as s:
        assert expected in keys(search(s, query, 20))


def test_expiring_certificates_on_postgresql(pg_plant: Database) -> None:
    with pg_plant.session() as s:
        within_30, _, expired = expiring_certificates(s, TODAY)
    assert "T99900011101" in {c.number for c in within_30}
    assert "T99900011104" not in {c.number for c in expired}


def test_directory_refresh_sees_new_workers(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = copy_of(shared_template(tmp_path_factory), tmp_path_factory.mktemp("refresh"))
    try:
        directory = ContractorDirectory(db.session)
        assert ("worker", "W-T0009") not in keys(directory.search("hyh"))
        with db.session() as s:
            s.add(Worker(id="W-T0009", name="黄月华", trade="焊工"))
        assert ("worker", "W-T0009") in keys(directory.search("黄月华"))  # the database answers at once
        directory.refresh()
        assert ("worker", "W-T0009") in keys(directory.search("hyh"))  # initials after a refresh
    finally:
        db.dispose()
