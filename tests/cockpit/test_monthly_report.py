"""The monthly report's files (issue 21 part 3): the PDF read back with pdftotext in Chinese and English,
the xlsx read back with openpyxl, and the command line's answers to a bad month, folder or database."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cockpit.report.monthly_data import MonthlyReport, collect_monthly
from cockpit.report.monthly_pdf import render_monthly_pdf
from cockpit.report.monthly_xlsx import render_monthly_xlsx
from tests.support.fresh_db import open_fresh
from tests.support.monthly import EXPECTED, MONTH, build_month

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MonthlyReport]:
    folder = tmp_path_factory.mktemp("monthly")
    db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    build_month(db)
    report = collect_monthly(db, MONTH, plant="测试化工厂")
    db.dispose()
    return folder, report


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _line(text: str, label: str) -> list[str]:
    """The cells of the first line starting with ``label`` (pdftotext -layout keeps a table row on a line)."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return line.strip()[len(label) :].split()
    raise AssertionError(f"no line {label!r} in the PDF")


def test_pdf_in_chinese(plant: tuple[Path, MonthlyReport], tmp_path: Path) -> None:
    _folder, report = plant
    out = render_monthly_pdf(report, tmp_path / "m.pdf", lang="zh_CN")
    text = pdftotext(out)
    assert "特殊作业月度分析" in text and "2026-11" in text
    assert _line(text, "申请作业票")[:4] == ["0", "0", "1", str(EXPECTED["permits"])]
    assert _line(text, "升级次数")[3] == str(EXPECTED["escalations"])
    assert _line(text, "审批用时中位数")[-3:] == ["5.0", "小时", "—"]
    assert "能量隔离" in text and "未编码" in text
    assert "isolation" not in text  # the word, never the code
    assert _line(text, "2026-11 合计")[:3] == ["2", "2", "4"]  # the reasons' total row names its month
    assert "".join(_line(text, "停工至执行:中位数 / P90")).endswith("60秒/90秒")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # every font embedded


def test_pdf_in_english(plant: tuple[Path, MonthlyReport], tmp_path: Path) -> None:
    _folder, report = plant
    out = render_monthly_pdf(report, tmp_path / "m.pdf", lang="en")
    text = pdftotext(out)
    assert "Monthly special-work analysis" in text
    assert _line(text, "Permits submitted")[:4] == ["0", "0", "1", "6"]
    assert _line(text, "Approval lead time, p90")[-3:] == ["8.5", "h", "—"]  # the last: no earlier lead
    assert _line(text, "Gas tests on time (starts)")[-2:] == ["3", "(33%)"]
    assert "".join(_line(text, "Stop-works automatic / manual")).endswith("0/01/01/2")
    assert "Top reasons: energy isolation 2, JSA 1, uncoded 1" in text
    assert _line(text, "Total 2026-11")[:3] == ["2", "2", "4"]  # the total row names its month
    assert not list(tmp_path.glob("*.part"))


def test_xlsx_read_back(plant: tuple[Path, MonthlyReport], tmp_path: Path) -> None:
    _folder, report = plant
    out = render_monthly_xlsx(report, tmp_path / "m.xlsx", lang="en")
    book = load_workbook(out)
    summary = book.worksheets[0]
    rows = {r[0]: r[1:] for r in summary.iter_rows(min_row=3, values_only=True) if r and r[0]}
    assert list(rows["Figure"][:4]) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert list(rows["Permits submitted"][:4]) == [0, 0, 1, 6]  # numbers, not text
    assert rows["Escalation steps"][3] == 3 and rows["Stops never executed"][3] == 1
    reasons = next(s for s in book.worksheets if s.title.startswith("7."))
    found = {r[0]: r[1:4] for r in reasons.iter_rows(min_row=3, values_only=True) if r and r[0]}
    assert found["energy isolation"] == (1, 1, 2)
    assert found["uncoded"] == (1, 0, 1)
    assert len(summary._charts) == 1  # openpyxl keeps a sheet's charts there
    zh = load_workbook(render_monthly_xlsx(report, tmp_path / "zh.xlsx", lang="zh_CN")).worksheets[0]
    assert any(r[0] == "申请作业票" for r in zh.iter_rows(values_only=True))


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_command_line(plant: tuple[Path, MonthlyReport], tmp_path: Path) -> None:
    folder, _report = plant
    url = f"sqlite:///{folder / 'plant.db'}"
    ok = run_main(
        "report", "monthly", "--db", url, "--month", MONTH, "--lang", "zh", "--out", str(tmp_path), "--xlsx"
    )
    assert ok.returncode == 0, ok.stderr
    assert "6 permits" in ok.stdout
    assert "figures: 4/4" in ok.stderr  # progress, one line a step
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "monthly-2026-11-zh_CN.pdf",
        "monthly-2026-11-zh_CN.xlsx",
    ]
    assert "特殊作业月度分析" in pdftotext(tmp_path / "monthly-2026-11-zh_CN.pdf")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--month", "2026-13"), "give the month as YYYY-MM"),
        (("--month", "November"), "give the month as YYYY-MM"),
        ((), "needs --month"),
        (("--month", "2026-11", "--out", "/no/such/folder"), "no such folder"),
    ],
)
def test_command_line_refuses(
    plant: tuple[Path, MonthlyReport], tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    url = f"sqlite:///{plant[0] / 'plant.db'}"
    out = ["--out", str(tmp_path)] if "--out" not in args else []
    bad = run_main("report", "monthly", "--db", url, *args, *out)
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], bad.stderr
    assert not list(tmp_path.iterdir())


def test_command_line_bad_database(tmp_path: Path) -> None:
    bad = run_main(
        "report",
        "monthly",
        "--db",
        "postgresql://nobody@127.0.0.1:1/none",
        "--month",
        MONTH,
        "--out",
        str(tmp_path),
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and bad.stderr.startswith("error:")
    assert not list(tmp_path.iterdir())


def test_every_reason_code_the_demo_gives_is_worded_in_both_languages() -> None:
    """The demo's rejections and send-backs are counted by code: each code has its words (else the
    report prints the bare code beside the worded ones)."""
    from cockpit.demo_history import REJECT_REASONS, SEND_BACK_REASONS
    from cockpit.report.monthly_texts import REASON_CODES, STRINGS

    codes = {code for code, _text, _weight in (*REJECT_REASONS, *SEND_BACK_REASONS)} | set(REASON_CODES)
    assert len(codes) >= 8
    for lang in ("en", "zh_CN"):
        assert not [c for c in sorted(codes) if f"r_{c}" not in STRINGS[lang]], lang


def test_the_alarm_section_names_places_sources_and_levels_in_words(
    plant: tuple[Path, MonthlyReport], tmp_path: Path
) -> None:
    """It printed "CHEM1 / P203", "CHEM1/P203/GD-P203-1/O2" and "LO": the keys, not what a reader says."""
    from dataclasses import replace

    from cockpit.report.monthly_texts import Words

    _folder, report = plant
    named = replace(report, site_names={"S1": "一号厂区"}, area_names={"S1/A1": "加氢装置"})
    en, zh = Words("en", named), Words("zh_CN", named)
    assert en.place("S1", "A1") == zh.place("S1", "A1") == "一号厂区 / 加氢装置"
    assert (
        en.source("S1/A1/GD-1/LEL") == "detector GD-1, LEL"
        and zh.source("S1/A1/GD-1/LEL") == "探测器 GD-1，LEL"
    )
    assert en.source("worker:W-1") == "worker W-1" and zh.source("permit:HW-1") == "作业票 HW-1"
    assert en.condition("LO") == "low (LO)" and zh.condition("HIHI") == "高高报警 (HIHI)"
    text = pdftotext(render_monthly_pdf(report, tmp_path / "alarms.pdf", lang="en"))
    section = text.split("8. Alarm system", 1)[-1].split("9.", 1)[0]
    assert not re.search(r"\b\w+/\w+/[\w-]+/\w+\b", section), section  # no source key printed
