"""`python main.py register …` as an administrator meets it: files written, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from cockpit.users import UserAdmin, create_first_admin
from models.records import Role
from tests.cockpit.test_cli import ROOT
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user

PW = "a good long password"


def main_py(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def plant(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'plant.db'}"
    db = open_fresh(url)
    create_first_admin(db, "boss", PW)
    UserAdmin(db, TEST_KEYS).create(
        as_user(db, "boss"), "op", display_name="", role=Role.OPERATOR, password=PW
    )
    db.dispose()
    return url


def workbook(path: Path, *rows: list[object]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_template_import_and_export_from_the_command_line(tmp_path: Path) -> None:
    url = plant(tmp_path)
    template = main_py(
        "register", "template", "contractors", "--out", str(tmp_path / "t.xlsx"), "--lang", "en"
    )
    assert template.returncode == 0, template.stderr
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["contractors", "Notes"]
    good = workbook(
        tmp_path / "c.xlsx", ["承包商编码", "承包商名称"], ["C1", "华东检修公司"], ["C2", "安装公司"]
    )
    args = ("--db", url, "--as", "boss", "--password-stdin", "--lang", "en")
    done = main_py("register", "import", "contractors", "--file", str(good), *args, stdin=PW + "\n")
    assert done.returncode == 0, done.stderr
    assert "2 rows, 2 added, 0 updated, 0 rejected" in done.stdout and "Traceback" not in done.stderr
    assert "read: 2/2 rows" in done.stderr  # progress on stderr
    out = tmp_path / "out.xlsx"
    export = main_py("register", "export", "contractors", "--out", str(out), *args, stdin=PW + "\n")
    assert export.returncode == 0, export.stderr
    assert export.stdout.strip() == f"2 rows of Contractors exported to {out}"
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("Contractor code", "Contractor name") and [r[:2] for r in rows[1:]] == [
        ("C1", "华东检修公司"),
        ("C2", "安装公司"),
    ]


def test_the_summary_lines_read_in_the_commands_language(tmp_path: Path) -> None:
    url = plant(tmp_path)
    good = workbook(tmp_path / "c.xlsx", ["承包商编码", "承包商名称"], ["C1", "华东检修公司"])
    args = ("--db", url, "--as", "boss", "--password-stdin")  # no --lang: the configuration's, zh_CN
    done = main_py("register", "import", "contractors", "--file", str(good), *args, stdin=PW + "\n")
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip()
    zh = "c.xlsx：共 1 行，新增 1 行，更新 0 行，未导入 0 行，标记 0 行（sha256 "
    assert summary.startswith(zh), summary
    assert "读取：1/1 行" in done.stderr and "rows" not in done.stderr + done.stdout
    again = main_py(
        "register", "import", "contractors", "--file", str(good), *args, "--lang", "en", stdin=PW + "\n"
    )
    assert again.stdout.startswith("c.xlsx: 1 rows, 0 added, 1 updated, 0 rejected, 0 flagged (sha256 ")
    out = tmp_path / "t.xlsx"
    template = main_py("register", "template", "workers", "--out", str(out))
    assert template.stdout.strip() == f"作业人员模板已写入 {out}"
    export = main_py("register", "export", "contractors", "--out", str(out), *args, stdin=PW + "\n")
    assert export.stdout.strip() == f"承包商已导出 1 行到 {out}"
    wrong = main_py("register", "export", "contractors", "--out", str(out), *args, stdin="nope\n")
    assert wrong.returncode == 2 and wrong.stderr.strip().splitlines()[-1] == "error: 用户不存在或密码错误"
    bare = main_py("register", "export", "contractors", "--db", url)
    assert bare.returncode == 2
    assert bare.stderr.strip() == "error: register export 需要指明操作用户：--as 用户名"


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    url = plant(tmp_path)
    bad = workbook(
        tmp_path / "w.xlsx",
        ["Certificate number", "Worker ID", "Trade", "Valid from", "Valid to"],
        ["T1", "W404", "电工作业", date(2024, 1, 1), "soon"],
    )
    args = ("--db", url, "--password-stdin", "--lang", "en")
    refused = main_py("register", "import", "certificates", "--file", str(bad), "--as", "op", *args, stdin=PW)
    assert refused.returncode == 2 and refused.stderr.strip().splitlines() == [
        "error: op may not import into the registers: administrators and safety managers do"
    ]
    wrong = main_py(
        "register", "import", "workers", "--file", str(bad), "--as", "boss", *args, stdin="nope\n"
    )
    assert wrong.returncode == 2 and "wrong password" in wrong.stderr and "Traceback" not in wrong.stderr
    invalid = main_py(
        "register", "import", "certificates", "--file", str(bad), "--as", "boss", *args, stdin=PW
    )
    assert invalid.returncode == 2 and "Traceback" not in invalid.stderr
    lines = [line for line in invalid.stderr.splitlines() if line.startswith(("rejected", "error"))]
    assert lines == [
        "rejected: row 2, Valid to: 'soon' is not a date (2026-01-31)",
        "error: w.xlsx: 1 of 1 rows are invalid; nothing was written "
        "(fix them, or import the valid rows only)",
    ]
    chinese = main_py(
        "register",
        "import",
        "certificates",
        "--file",
        str(bad),
        "--as",
        "boss",
        "--db",
        url,
        "--password-stdin",
        stdin=PW,
    )  # the configuration's language: zh_CN
    assert chinese.returncode == 2 and "rejected" not in chinese.stderr
    assert "未导入: 第 2 行，Valid to：'soon' 不是日期（如 2026-01-31）" in chinese.stderr
    assert (
        chinese.stderr.strip().splitlines()[-1].startswith("error: w.xlsx：1 行中有 1 行无效，未写入任何数据")
    )
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    photo = main_py(
        "register",
        "import",
        "workers",
        "--file",
        str(tmp_path / "photo.csv"),
        "--as",
        "boss",
        *args,
        stdin=PW,
    )
    assert photo.returncode == 2 and photo.stderr.strip().splitlines()[-1].startswith(
        "error: photo.csv is not"
    )
