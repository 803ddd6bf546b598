"""The inspection register commissioned from files (issue 23 part 1): equipment, routes and area owners
in xlsx written with openpyxl, imported on real SQLite and PostgreSQL, read back by the rounds board,
refused row by row with nothing written, exported and imported again to the same rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from cockpit.inspection.rounds import RoundsReads
from cockpit.register_io.problems import FileProblem, RegisterIoError, RowProblem
from cockpit.register_io.service import RegisterIO
from connectors.database import Database
from models.audit import verify_chain
from models.schema import AreaOwner, AuditEntry, Equipment, InspectionRoute, RoutePoint
from tests.cockpit.test_service_sessions import snapshot
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai

EQUIPMENT_HEADER = [
    "设备编码",
    "厂区编码",
    "区域编码",
    "设备名称",
    "标签编码",
    "检查项（用；分隔）",
    "缺陷负责人（用户名）",
    "X 坐标 (m)",
    "Y 坐标 (m)",
]
EQUIPMENT: list[list[Any]] = [
    ["P-101", "S1", "A1", "进料泵", "TAG-101", "有无泄漏；出口压力 (MPa)；轴承温度 (°C)", "lead.wang", 5, 10],
    ["P-102", "S1", "A1", "回流泵", "TAG-102", "有无泄漏\n出口压力 (MPa)", None, 25, 10],
    ["T-201", "S1", "A2", "一号罐", "TAG-201", "液位 (m)", "", 70.5, 20],
]
ROUTES_HEADER = [
    "Route code",
    "Site code",
    "Area code",
    "Route name",
    "Rounds a day",
    "First round at",
    "Minutes a round",
    "Points (equipment codes, in order)",
]
ROUTES: list[list[Any]] = [
    ["R-A1", "S1", "A1", "加氢装置巡检", 2, time(8, 0), 60, "P-101, P-102"],
    ["R-A2", "S1", "A2", "罐区巡检", 1, "09:30", 45, "T-201"],
]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'inspection.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = open_fresh(url)
    build_small_plant(database, NOW)
    try:
        yield database
    finally:
        database.dispose()


def xlsx(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def io(db: Database) -> RegisterIO:
    return RegisterIO(db, TEST_KEYS, clock=lambda: NOW)


def load(db: Database, folder: Path) -> None:
    manager = as_user(db, "mgr.sun")
    files = io(db)
    report = files.import_file(
        manager, "equipment", xlsx(folder / "equipment.xlsx", EQUIPMENT_HEADER, EQUIPMENT)
    )
    assert (report.inserted, report.updated, report.rejected) == (3, 0, [])
    report = files.import_file(manager, "routes", xlsx(folder / "routes.xlsx", ROUTES_HEADER, ROUTES))
    assert (report.inserted, report.rejected) == (2, [])
    owners = xlsx(
        folder / "owners.xlsx", ["厂区编码", "区域编码", "缺陷负责人（用户名）"], [["S1", "A1", "mgr.sun"]]
    )
    assert files.import_file(manager, "area_owners", owners).inserted == 1


def test_imported_equipment_and_routes_are_on_the_rounds_board(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    with db.session() as s:
        pump = s.get(Equipment, "P-101")
        assert pump is not None
        assert (pump.tag, pump.owner, pump.x) == ("TAG-101", "lead.wang", 5.0)
        assert pump.checklist == ["有无泄漏", "出口压力 (MPa)", "轴承温度 (°C)"]
        reflux = s.get(Equipment, "P-102")
        assert reflux is not None and reflux.checklist == [
            "有无泄漏",
            "出口压力 (MPa)",
        ]  # a line break splits too
        tank = s.get(InspectionRoute, "R-A2")
        assert tank is not None and (tank.first_start, tank.round_minutes) == (time(9, 30), 45)
        assert s.get(AreaOwner, ("S1", "A1")) is not None
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("inspection.equipment_create") == 3  # each item, as a screen's save writes it
        assert actions.count("inspection.route_create") == 2 and actions.count("register.import") == 3
        assert verify_chain(s).ok
    board = RoundsReads(db, clock=lambda: NOW).board()
    a1 = [r for r in board.rounds if r.route_id == "R-A1"]
    assert len(a1) == 2  # 08:00 and 20:00, twice a day as the file says
    assert [p.equipment for p in a1[0].points] == ["P-101", "P-102"]  # the walking order of the file
    assert board.names["T-201"] == "一号罐" and board.places["P-102"][:2] == ("S1", "A1")


def test_a_bad_row_is_refused_with_its_reason_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    before = snapshot(db)
    bad = [
        ["P-103", "S1", "A1", "换热器", "TAG-103", "有无泄漏", None, None, None],  # good
        ["P-104", "S1", "A1", "加热炉", "TAG-101", "有无泄漏", None, None, None],  # P-101's tag
        ["P-105", "S1", "A1", "空冷器", "TAG-105", "有无泄漏", "nobody", None, None],  # no such user
        ["P-106", "S1", "A1", "压缩机", "TAG-103", "有无泄漏", None, None, None],  # P-103's, in the file
    ]
    with pytest.raises(RegisterIoError) as refused:
        io(db).import_file(
            as_user(db, "mgr.sun"), "equipment", xlsx(tmp_path / "bad.xlsx", EQUIPMENT_HEADER, bad)
        )
    assert refused.value.code is FileProblem.INVALID_ROWS
    found = [(f.row, f.column, f.code) for f in refused.value.report.rejected]
    assert found == [
        (3, "标签编码", RowProblem.TAG_TAKEN),
        (4, "缺陷负责人（用户名）", RowProblem.UNKNOWN_USER),
        (5, "标签编码", RowProblem.TAG_TAKEN),
    ]
    assert (
        refused.value.report.rejected[0].english() == "row 3, 标签编码: the tag TAG-101 is already on P-101"
    )
    route = [
        ["R-A3", "S1", "A1", "新路线", 1, "25:00", 60, "P-101"],
        ["R-A4", "S1", "A1", "新路线", 1, "08:00", 60, "P-101 P-999"],
    ]
    with pytest.raises(RegisterIoError) as refused:
        io(db).import_file(
            as_user(db, "mgr.sun"), "routes", xlsx(tmp_path / "bad-r.xlsx", ROUTES_HEADER, route)
        )
    found = [(f.row, f.code, f.params.get("code")) for f in refused.value.report.rejected]
    assert found == [(2, RowProblem.BAD_TIME, None), (3, RowProblem.UNKNOWN_EQUIPMENT, "P-999")]
    assert snapshot(db) == before  # not the good row, not an audit entry
    with pytest.raises(RegisterIoError) as refused:  # an operator imports nothing at all
        io(db).import_file(as_user(db, "op.li"), "equipment", tmp_path / "equipment.xlsx")
    assert refused.value.code is FileProblem.NOT_EDITOR
    report = io(db).import_file(  # the valid rows only, when asked: P-103 alone
        as_user(db, "mgr.sun"), "equipment", tmp_path / "bad.xlsx", valid_only=True
    )
    assert (report.inserted, report.rejected_rows) == (1, 3)
    with db.session() as s:
        assert s.get(Equipment, "P-103") is not None and s.get(Equipment, "P-104") is None


def _rows(path: Path) -> list[tuple[Any, ...]]:
    book = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def test_export_then_import_gives_the_same_rows(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    files = io(db)
    names = ("equipment", "routes", "area_owners")
    for name in names:  # every role reads
        files.export(as_user(db, "op.li"), name, tmp_path / f"a-{name}.xlsx", lang="en")
    first = {name: _rows(tmp_path / f"a-{name}.xlsx") for name in names}
    assert first["routes"][1] == ("R-A1", "S1", "A1", "加氢装置巡检", 2, time(8, 0), 60, "P-101, P-102")
    assert first["equipment"][1][5] == "有无泄漏；出口压力 (MPa)；轴承温度 (°C)"
    other = open_fresh(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        build_small_plant(other, NOW)
        for name in names:
            report = io(other).import_file(as_user(other, "mgr.sun"), name, tmp_path / f"a-{name}.xlsx")
            assert report.written and not report.rejected, (name, report.rejected)
        for name in names:
            io(other).export(as_user(other, "mgr.sun"), name, tmp_path / f"b-{name}.xlsx", lang="en")
            assert _rows(tmp_path / f"b-{name}.xlsx") == first[name], name
        again = io(other).import_file(as_user(other, "mgr.sun"), "routes", tmp_path / "a-routes.xlsx")
        assert (again.inserted, again.updated) == (0, 2)  # the same file again updates in place
        with other.session() as s:
            points = s.scalars(
                select(RoutePoint.equipment_code)
                .where(RoutePoint.route_id == "R-A1")
                .order_by(RoutePoint.seq)
            )
            assert list(points) == ["P-101", "P-102"]
    finally:
        other.dispose()


def test_the_command_line_says_a_refused_row_in_chinese_and_exits_2(tmp_path: Path) -> None:
    from tests.cockpit.test_register_cli import main_py
    from tests.support.plant import PASSWORD

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = open_fresh(url)
    try:
        build_small_plant(db, NOW)
        load(db, tmp_path)
    finally:
        db.dispose()
    bad = xlsx(tmp_path / "more.xlsx", EQUIPMENT_HEADER, [["P-104", "S1", "A1", "加热炉", "TAG-101", "泄漏"]])
    args = ("--db", url, "--as", "mgr.sun", "--password-stdin", "--lang", "zh_CN")
    done = main_py("register", "import", "equipment", "--file", str(bad), *args, stdin=PASSWORD)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("未导入", "error"))]
    assert lines == [
        "未导入: 第 2 行，标签编码：标签 TAG-101 已用于 P-101",
        "error: more.xlsx：1 行中有 1 行无效，未写入任何数据（请修正，或仅导入有效行）",
    ]
    db = open_fresh(url)
    try:
        with db.session() as s:
            assert s.get(Equipment, "P-104") is None
    finally:
        db.dispose()
