"""`python main.py report contractors`: the PDF read back with pdftotext and the workbook with openpyxl,
in Chinese and English, on the hand-made plant (tests/support/performance_plant.py); bad input is one
line, exit 2, and no file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cockpit.test_cli import main_py, one_line_error
from tests.support.fresh_db import open_fresh
from tests.support.performance_plant import build_performance_plant

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("perf") / "perf.db"
    db = open_fresh(f"sqlite:///{path}")
    build_performance_plant(db)
    db.dispose()
    return f"sqlite:///{path}"


def report(url: str, out: Path, lang: str) -> subprocess.CompletedProcess[str]:
    return main_py(
        "report", "contractors", "--from", "2026-09-01", "--to", "2026-11-30",
        "--lang", lang, "--out", str(out), "--db", url,
    )  # fmt: skip


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def row_of(text: str, code: str) -> list[str]:
    line = next(line for line in text.splitlines() if f" {code} " in f" {line} " and "→" in line)
    return line.split()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Contractor safety performance", "Ranking (best first)", "Stop-works", "The grade's trend"]),
        ("zh_CN", ["承包商安全绩效", "排名（由优到差）", "停工次数", "等级趋势", "华东检修工程有限公司"]),
    ],
)
def test_the_pdf_reads_back_with_the_figures_in_both_languages(
    url: str, tmp_path: Path, lang: str, words: list[str]
) -> None:
    out = tmp_path / f"perf-{lang}.pdf"
    proc = report(url, out, lang)
    assert proc.returncode == 0, proc.stderr
    assert "4 contractors" in proc.stdout
    text = pdf_text(out)
    for w in words:
        assert w in text, w
    # rank, code, … trend, permits, hours, violations, points, stop-works, near misses, lapses
    c1 = row_of(text, "C1")
    assert c1[0] == "3" and c1[-7:] == ["2", "192.0", "2", "5", "2", "2", "1"], c1
    c2 = row_of(text, "C2")
    assert c2[0] == "4" and c2[-7:] == ["1", "2.0", "1", "6", "0", "0", "1"], c2
    flat = text.replace(" ", "")
    assert "B→C→C" in flat and "A→C→C" in flat  # C1's and C2's trends
    assert "2026-09-01 – 2026-11-30 (Asia/Shanghai, UTC+8)" in text
    assert "Helvetica" not in subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    ("lang", "sheet", "header"), [("en", "Ranking", "Points"), ("zh_CN", "排名", "记分")]
)
def test_the_workbook_holds_the_numbers_as_numbers(
    url: str, tmp_path: Path, lang: str, sheet: str, header: str
) -> None:
    out = tmp_path / f"perf-{lang}.xlsx"
    assert report(url, out, lang).returncode == 0
    book = load_workbook(out)
    rows = list(book[sheet].iter_rows(values_only=True))
    head = list(rows[1])
    by_code = {r[1]: dict(zip(head, r, strict=True)) for r in rows[2:]}
    assert [r[1] for r in rows[2:]] == ["C3", "C4", "C1", "C2"]
    assert by_code["C1"][header] == 5 and by_code["C2"][header] == 6
    assert by_code["C1"][head[6]] == pytest.approx(192.0)  # work-hours, a number
    assert by_code["C1"][head[10]] == 2 and by_code["C2"][head[10]] == 0  # near misses, numbers
    trend = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(trend) == 1 + 4 * 3  # a row per contractor and month end


def test_bad_input_is_one_line_and_writes_nothing(url: str, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    backwards = main_py(
        "report", "contractors", "--from", "2026-11-30", "--to", "2026-09-01", "--out", out, "--db", url
    )  # fmt: skip
    assert "before it starts" in one_line_error(backwards)
    assert "give a day" in one_line_error(
        main_py("report", "contractors", "--from", "Sept", "--to", "2026-09-30", "--db", url)
    )
    assert ".pdf or .xlsx" in one_line_error(
        main_py(
            "report",
            "contractors",
            "--from",
            "2026-09-01",
            "--to",
            "2026-09-30",
            "--out",
            "a.txt",
            "--db",
            url,
        )
    )
    missing = tmp_path / "no" / "such" / "folder" / "r.pdf"
    assert "does not exist" in one_line_error(report(url, missing, "en"))
    assert list(tmp_path.iterdir()) == []
