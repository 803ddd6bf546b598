"""Register files on real SQLite and PostgreSQL: files written with openpyxl (and CSV) into tmp_path,
imported, exported, refused; what a plant's administrator relies on when the data arrives in Excel."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from cockpit.people_reads import PeopleReads
from cockpit.register_io import REGISTER_NAMES
from cockpit.register_io.problems import FileProblem, RegisterIoError, RowProblem
from cockpit.register_io.service import ImportReport, RegisterIO, write_template
from cockpit.sessions import USER_INACTIVE, USER_UNKNOWN, SessionRefused
from cockpit.users import UserAdmin, create_first_admin
from connectors.database import Database
from models.audit import verify_chain
from models.records import Role
from models.schema import AuditEntry, Certificate, Worker
from tests.support.fresh_db import open_fresh
from tests.support.plant_db import users_hashed_once
from tests.support.sessions import TEST_KEYS, as_user

PW = "a good long password"
NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: today is 2026-12-05 there


def _open(url: str) -> Database:
    database = open_fresh(url)
    with users_hashed_once():
        create_first_admin(database, "boss", PW + "!")
        users = UserAdmin(database, TEST_KEYS)
        boss = as_user(database, "boss")
        users.create(boss, "safety", display_name="", role=Role.SAFETY_MANAGER, password=PW)
        users.create(as_user(database, "boss"), "op", display_name="", role=Role.OPERATOR, password=PW)
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'plant.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    database = _open(url)
    try:
        yield database
    finally:
        database.dispose()


def xlsx(path: Path, header: Sequence[Any], *rows: Sequence[Any]) -> Path:
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


def load_plant(db: Database, tmp_path: Path) -> None:
    """A small plant, as its administrator would load it: Chinese headers, one file per register."""
    reg = io(db)
    files = {
        "sites": (["厂区编码", "厂区名称", "时区"], ["CHEM1", "一号化工厂区", "Asia/Shanghai"]),
        "areas": (
            ["厂区编码", "区域编码", "区域名称", "风险等级", "火灾爆炸危险区", "安全提示"],
            ["CHEM1", "A1", "常减压装置", "major", "是", "进入前测氧"],
            ["CHEM1", "A2", "罐区", "HIGH", False, None],
            ["CHEM1", "A3", "仓库", "low", "否", ""],
        ),
        "contacts": (
            ["厂区编码", "区域编码", "姓名", "电话"],
            ["CHEM1", "A1", "王班长", "+86 138-0000-0001"],
        ),
        "detectors": (["探测器编号", "厂区编码", "区域编码", "X 坐标 (m)"], ["GD-1", "CHEM1", "A1", 12.5]),
        "channels": (["探测器编号", "通道", "单位", "最大数据龄 (s)"], ["GD-1", "H2S", "ppm", 30]),
        "contractors": (
            ["承包商编码", "承包商名称", "等级"],
            ["C001", "华东检修公司", "A"],
            ["C002", "安装公司", "b"],
        ),
        "qualifications": (
            ["承包商编码", "资质名称", "有效期至"],
            ["C001", "安全生产许可证", date(2028, 6, 30)],
        ),
        "workers": (
            ["工号", "姓名", "承包商编码", "工种", "电话"],
            ["W1", "张三", "C001", "电焊工", 13800000000],
            ["W2", "李四", "C002", "", None],
            ["W3", "王五", None, "电工", ""],
        ),
        "certificates": (
            ["证书编号", "工号", "作业类别", "有效期起", "有效期至", "复审日期"],
            ["T1", "W1", "熔化焊接与热切割作业", date(2024, 1, 1), date(2030, 1, 1), "2027/01/01"],
            ["T2", "W2", "电工作业", "2023-03-01", "2029.02.28", None],
        ),
        "trainings": (["工号", "培训名称", "培训日期"], ["W1", "三级安全教育", date(2026, 1, 15)]),
        "equipment": (
            [
                "设备编码",
                "厂区编码",
                "区域编码",
                "设备名称",
                "标签编码",
                "检查项（用；分隔）",
                "缺陷负责人（用户名）",
            ],
            ["P-1", "CHEM1", "A1", "进料泵", "TAG-1", "有无泄漏；出口压力 (MPa)", "safety"],
            ["P-2", "CHEM1", "A1", "回流泵", "TAG-2", "有无泄漏", None],
        ),
        "routes": (
            ["路线编码", "厂区编码", "区域编码", "路线名称", "巡检点（设备编码，按顺序）"],
            ["R1", "CHEM1", "A1", "巡检", "P-2, P-1"],
        ),
        "area_owners": (["厂区编码", "区域编码", "缺陷负责人（用户名）"], ["CHEM1", "A1", "safety"]),
    }
    for name in REGISTER_NAMES:
        header, *rows = files[name]
        report = reg.import_file(
            as_user(db, "safety"), name, xlsx(tmp_path / f"in-{name}.xlsx", header, *rows)
        )
        assert report.written and report.inserted == len(rows) and not report.rejected, (name, report)


def exported(db: Database, tmp_path: Path, tag: str) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name in REGISTER_NAMES:
        path = tmp_path / f"{tag}-{name}.xlsx"
        io(db).export(as_user(db, "op"), name, path, lang="en")  # every role reads
        book = load_workbook(path, read_only=True)
        out[name] = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    return out


def refused(code: FileProblem, fn, *args, **kwargs) -> RegisterIoError:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterIoError) as info:
        fn(*args, **kwargs)
    assert info.value.code is code, info.value
    return info.value


def count(db: Database, entity: Any) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).select_from(entity)).scalar_one())


def test_export_then_import_into_an_empty_database_gives_the_same_registers(
    db: Database, tmp_path: Path
) -> None:
    load_plant(db, tmp_path)
    before = exported(db, tmp_path, "a")
    assert before["workers"][1:] == [
        ("W1", "张三", "C001", "电焊工", "13800000000"),
        ("W2", "李四", "C002", None, None),  # an empty text is an empty cell
        ("W3", "王五", None, "电工", None),
    ]
    other = _open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        for name in REGISTER_NAMES:
            report = io(other).import_file(as_user(db, "boss"), name, tmp_path / f"a-{name}.xlsx")
            assert report.written and not report.rejected, (name, report)
        assert exported(other, tmp_path, "b") == before
        # and the same files once more update in place: nothing doubles
        for name in REGISTER_NAMES:
            again = io(other).import_file(as_user(db, "boss"), name, tmp_path / f"a-{name}.xlsx")
            assert (again.inserted, again.updated) == (0, len(before[name]) - 1), name
        assert exported(other, tmp_path, "c") == before
    finally:
        other.dispose()


def test_an_import_updates_on_the_natural_key_and_keeps_the_rest(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    header = ["Certificate number", "Worker ID", "Trade", "Valid from", "Valid to"]  # no review date
    report = io(db).import_file(
        as_user(db, "boss"),
        "certificates",
        xlsx(
            tmp_path / "renewed.xlsx", header, ["T1", "W3", "电工作业", date(2026, 3, 1), date(2032, 2, 28)]
        ),
    )
    assert (report.inserted, report.updated) == (0, 1)
    with db.session() as s:
        cert = s.execute(select(Certificate).where(Certificate.number == "T1")).scalar_one()
        assert (cert.worker_id, cert.trade, cert.valid_to) == ("W3", "电工作业", date(2032, 2, 28))
        assert cert.review_due == date(2027, 1, 1)  # a column the file does not have is left as it was
    assert count(db, Certificate) == 2


def test_each_import_has_an_audit_entry_with_the_files_hash_and_counts(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    path = xlsx(tmp_path / "w.xlsx", ["Worker ID", "Name"], ["W1", "张三丰"], ["W9", "新人"])
    io(db).import_file(as_user(db, "safety"), "workers", path)
    with db.session() as s:
        entry = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert verify_chain(s).ok
    assert (entry.actor, entry.action, entry.subject) == ("safety", "register.import", "workers")
    details = json.loads(entry.details)
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (details["rows"], details["inserted"], details["updated"], details["rejected"]) == (2, 1, 1, 0)


def test_only_administrators_and_safety_managers_import(db: Database, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "c.xlsx", ["Contractor code", "Contractor name"], ["C9", "x"])
    refused(FileProblem.NOT_EDITOR, io(db).import_file, as_user(db, "op"), "contractors", path)
    ghost, safety = as_user(db, "nobody"), as_user(db, "safety")
    UserAdmin(db, TEST_KEYS).disable(as_user(db, "boss"), "safety")  # after safety's login
    for session, code in ((ghost, USER_UNKNOWN), (safety, USER_INACTIVE)):
        with pytest.raises(SessionRefused) as info:
            io(db).import_file(session, "contractors", path)
        assert info.value.code == code
    assert (
        count(db, AuditEntry) > 0
        and io(db).import_file(as_user(db, "boss"), "contractors", path).inserted == 1
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"PK\x03\x04 not really a workbook",
        b"%PDF-1.7\n\x00\x01",
    ],
)
@pytest.mark.parametrize("name", ["workers.xlsx", "workers.csv", "workers.xls"])
def test_a_file_that_is_not_xlsx_or_csv_is_refused(
    db: Database, tmp_path: Path, content: bytes, name: str
) -> None:
    (tmp_path / name).write_bytes(content)
    error = refused(
        FileProblem.NOT_TABULAR, io(db).import_file, as_user(db, "boss"), "workers", tmp_path / name
    )
    assert "xlsx or CSV" in str(error) and count(db, Worker) == 0


def test_missing_required_columns_are_named(db: Database, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "c.xlsx", ["证书编号", "工号", "有效期起"], ["T1", "W1", date(2024, 1, 1)])
    error = refused(
        FileProblem.MISSING_COLUMNS, io(db).import_file, as_user(db, "boss"), "certificates", path
    )
    assert "Trade (作业类别)" in str(error) and "Valid to (有效期至)" in str(error)
    unknown = xlsx(tmp_path / "u.xlsx", ["Worker ID", "Name", "Shoe size"], ["W1", "x", 42])
    refused(FileProblem.UNKNOWN_COLUMN, io(db).import_file, as_user(db, "boss"), "workers", unknown)


def rejected_rows(error: RegisterIoError) -> list[tuple[int, str, RowProblem]]:
    report = error.report
    assert isinstance(report, ImportReport) and not report.written
    return [(f.row, f.column, f.code) for f in report.rejected]


def test_duplicate_ids_inside_the_file_reject_it_whole(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    path = xlsx(tmp_path / "w.xlsx", ["工号", "姓名"], ["W7", "甲"], ["W8", "乙"], ["W7", "丙"])
    error = refused(FileProblem.INVALID_ROWS, io(db).import_file, as_user(db, "boss"), "workers", path)
    assert rejected_rows(error) == [(4, "工号", RowProblem.DUPLICATE)]
    assert error.report.rejected[0].params == {"value": "W7", "first": 2}
    assert count(db, Worker) == 3  # nothing of the file was written


def test_dates_that_do_not_parse_are_reported_by_row_and_column(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    header = ["证书编号", "工号", "作业类别", "有效期起", "有效期至"]
    path = xlsx(
        tmp_path / "c.xlsx",
        header,
        ["T5", "W1", "高处作业", "2024-13-01", date(2030, 1, 1)],
        ["T6", "W1", "高处作业", date(2024, 1, 1), "next year"],
        ["T7", "W1", "高处作业", date(2024, 1, 1), date(2023, 1, 1)],
    )
    error = refused(FileProblem.INVALID_ROWS, io(db).import_file, as_user(db, "boss"), "certificates", path)
    assert rejected_rows(error) == [
        (2, "有效期起", RowProblem.BAD_DATE),
        (3, "有效期至", RowProblem.BAD_DATE),
        (4, "有效期至", RowProblem.DATE_ORDER),
    ]
    assert count(db, Certificate) == 2


def test_an_expired_certificate_is_imported_and_flagged(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    header = ["证书编号", "工号", "作业类别", "有效期起", "有效期至"]
    path = xlsx(
        tmp_path / "c.xlsx",
        header,
        ["T8", "W3", "电工作业", date(2020, 1, 1), date(2026, 12, 4)],  # yesterday, in the plant's zone
        ["T9", "W3", "电工作业", date(2020, 1, 1), date(2026, 12, 5)],  # valid through today
    )
    report = io(db).import_file(as_user(db, "boss"), "certificates", path)
    assert report.inserted == 2 and not report.rejected
    assert [(f.row, f.column, f.code, f.params) for f in report.flagged] == [
        (2, "有效期至", RowProblem.EXPIRED, {"value": "2026-12-04"})
    ]


def test_a_worker_of_an_unknown_contractor_is_rejected(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    path = xlsx(
        tmp_path / "w.xlsx",
        ["工号", "姓名", "承包商编码"],
        ["W5", "赵六", "C001"],
        ["W6", "钱七", "C404"],
        ["W 7", "孙八", "C001"],
    )
    error = refused(FileProblem.INVALID_ROWS, io(db).import_file, as_user(db, "boss"), "workers", path)
    # one report names every problem, the row checks' and the database's
    assert rejected_rows(error) == [
        (4, "工号", RowProblem.BAD_CODE),
        (3, "承包商编码", RowProblem.UNKNOWN_PARENT),
    ]
    assert count(db, Worker) == 3


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_megabyte_of_text_in_one_cell_rejects_that_row_with_a_short_message(
    db: Database, tmp_path: Path, kind: str
) -> None:
    big = "危" * 1_000_000
    header, rows = ["Worker ID", "Name", "Trade"], [["W1", "张三", big], ["W2", "李四", "电工"]]
    if kind == "xlsx":
        path = xlsx(tmp_path / "w.xlsx", header, *rows)
    else:
        path = tmp_path / "w.csv"
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    error = refused(FileProblem.INVALID_ROWS, io(db).import_file, as_user(db, "boss"), "workers", path)
    finding = error.report.rejected[0]
    assert (finding.row, finding.column, finding.code) == (2, "Trade", RowProblem.TOO_LONG)
    # openpyxl keeps Excel's 32,767 characters of a cell; a CSV brings the whole megabyte
    assert finding.params == {"length": 1_000_000 if kind == "csv" else 32_767, "max": 100}
    assert len(finding.english()) < 200
    assert count(db, Worker) == 0


def test_valid_only_writes_the_valid_rows_and_reports_the_rest(db: Database, tmp_path: Path) -> None:
    load_plant(db, tmp_path)
    path = xlsx(
        tmp_path / "w.xlsx",
        ["工号", "姓名", "承包商编码"],
        ["W5", "赵六", "C001"],
        ["W6", "", "C001"],
        [None, None, None],  # an empty row Excel left: skipped, not counted
        ["W7", "钱七", "C404"],
        ["bad id!", "孙八", None],
    )
    report = io(db).import_file(as_user(db, "boss"), "workers", path, valid_only=True)
    assert report.written and (report.rows, report.inserted, report.rejected_rows) == (4, 1, 3)
    assert [(f.row, f.code) for f in report.rejected] == [
        (3, RowProblem.REQUIRED),
        (6, RowProblem.BAD_CODE),
        (5, RowProblem.UNKNOWN_PARENT),
    ]
    assert count(db, Worker) == 4
    with db.session() as s:
        entry = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert json.loads(entry.details)["rejected"] == 3 and json.loads(entry.details)["valid_only"] is True


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_from_excel_in_utf8_with_or_without_bom_or_gbk(
    db: Database, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "contractors.csv"
    path.write_bytes(
        '承包商编码,承包商名称,黑名单\r\nC5,华东检修公司,否\r\nC6,"安装, 调试公司",是\r\n'.encode(encoding)
    )
    report = io(db).import_file(as_user(db, "boss"), "contractors", path)
    assert report.inserted == 2
    rows = exported(db, tmp_path, "x")["contractors"]
    # the rule's grades: C5 has no qualification on record (C at best), C6 is blacklisted (D)
    assert rows[1:] == [("C5", "华东检修公司", "C", False, None), ("C6", "安装, 调试公司", "D", True, None)]


def test_a_template_has_the_headers_an_example_and_notes_and_imports_as_it_is(
    db: Database, tmp_path: Path
) -> None:
    for name in REGISTER_NAMES:
        write_template(name, tmp_path / f"{name}.xlsx", lang="zh_CN")
        book = load_workbook(tmp_path / f"{name}.xlsx", read_only=True)
        assert book.sheetnames == [name, "说明"]
        notes = list(book["说明"].iter_rows(values_only=True))
        book.close()
        assert len(notes) > 2 and notes[0][0] == "列"
        report = io(db).import_file(as_user(db, "boss"), name, tmp_path / f"{name}.xlsx")
        assert report.inserted == 1 and not report.rejected, (name, report)
    write_template("workers", tmp_path / "w-en.xlsx", lang="en")
    book = load_workbook(tmp_path / "w-en.xlsx", read_only=True)
    assert next(book.worksheets[0].iter_rows(values_only=True))[:2] == ("Worker ID", "Name")
    book.close()


def test_an_imported_contractor_has_the_grade_of_the_rule_not_of_the_file(
    db: Database, tmp_path: Path
) -> None:
    """A grade is derived (or overridden with a reason, on the screen); a file's Grade column sets none."""
    header = ["Contractor code", "Contractor name", "Grade", "Blacklisted", "Blacklist reason"]
    contractors = xlsx(
        tmp_path / "c.xlsx",
        header,
        ["C1", "华东检修公司", "A", "no", ""],
        ["C2", "防腐队", "A", "yes", "无票动火"],
    )
    io(db).import_file(as_user(db, "safety"), "contractors", contractors)
    reads = PeopleReads(db, clock=lambda: NOW)
    assert [(c.code, c.grade) for c in reads.contractors("")] == [("C1", "C"), ("C2", "D")]  # C1: unqualified
    qualifications = xlsx(
        tmp_path / "q.xlsx",
        ["Contractor code", "Qualification", "Valid to"],
        ["C1", "安全生产许可证", date(2028, 6, 30)],
    )
    io(db).import_file(as_user(db, "safety"), "qualifications", qualifications)
    assert [(c.code, c.grade) for c in reads.contractors("")] == [("C1", "A"), ("C2", "D")]
    with db.session() as s:
        graded = s.execute(
            select(AuditEntry.subject).where(AuditEntry.action == "register.contractor_grade")
        ).scalars()
        assert sorted(graded) == ["contractor/C1", "contractor/C1", "contractor/C2"]
        assert verify_chain(s).ok
