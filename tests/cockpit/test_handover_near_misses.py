"""The shift's near misses in the printed handover (the closing note of issue 21): each one of the shift,
and none outside it, read back from the PDF with pdftotext in both languages: its time in the plant's
zone, its place by name, its category in the report's words, who recorded it, and what happened."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.near_misses import NearMissEntry, NearMissService
from cockpit.report.data import collect_handover
from cockpit.report.handover_pdf import render_handover_pdf
from cockpit.report.records import HandoverData
from connectors.database import Database
from models.schema import NearMiss, User
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: the end of a night shift
START = NOW - timedelta(hours=12)
LONG = "法兰泄漏，LEL 升至 18%，立即停止动火并撤离。" + "现场复测后确认为垫片老化。" * 20

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order with every blank removed (a table cell's lines stay together)."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_fresh(f"sqlite:///{tmp_path_factory.mktemp('nm') / 'plant.db'}")
    build_small_plant(db, NOW)
    with db.session() as s:
        s.get_one(User, "op.li").display_name = "李操作"
    service = NearMissService(db, TEST_KEYS, clock=lambda: NOW)
    entry = NearMissEntry(NOW - timedelta(minutes=20), "S1", "gas_release", LONG, area="A1", permit="HW-1")
    service.record(as_user(db, "op.li"), entry)
    earlier = NearMissEntry(START - timedelta(minutes=30), "S1", "electrical", "上一班的未遂事件")
    service.record(as_user(db, "op.li"), earlier)
    with db.session() as s:  # as the field intake stores one: no area, the gateway as the recorder
        s.add(
            NearMiss(
                occurred_at=NOW - timedelta(hours=3),
                recorded_at=NOW - timedelta(hours=3),
                site_id="S1",
                area_id=None,
                category="fall_from_height",
                source="field",
                description="安全带挂点松动",
                recorded_by="gw-S1",
                message_id="m-1",
            )
        )
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def data(plant: Database) -> HandoverData:
    with plant.session() as s:
        return collect_handover(s, start=START, end=NOW, site="S1", plant="示范化工园区", now=NOW)


def test_the_shifts_near_misses_are_gathered_in_order_and_no_other(data: HandoverData) -> None:
    assert [n.category for n in data.near_misses] == ["fall_from_height", "gas_release"]
    assert data.near_miss_total == 2
    assert data.near_misses[1].recorded_by == "op.li"  # the key; the paper names the person
    assert data.person("op.li") == "李操作"


def test_the_chinese_handover_prints_each_near_miss_of_the_shift(data: HandoverData, tmp_path: Path) -> None:
    text = pdf_text(render_handover_pdf(data, tmp_path / "zh.pdf", lang="zh_CN"))
    assert flat("七、本班未遂事件（2）") in text or "七、本班未遂事件(2)" in text
    assert "八、备注" in text and "九、交接签字" in text
    # 09:40 and 07:00 in Shanghai (01:40 and 23:00 UTC are not printed)
    assert "09:40" in text and "07:00" in text and "01:40" not in text
    assert "加氢装置" in text and "气体泄漏" in text and "高处坠落" in text
    assert "李操作" in text and "op.li" not in text and "gw-S1(现场上报)" in text  # the name, not the account
    assert "field:" not in text
    assert flat("[HW-1] 法兰泄漏，LEL 升至 18%，立即停止动火并撤离。") in text
    assert flat(LONG) not in text and "…" in text  # the long text cut short
    assert "安全带挂点松动" in text
    assert "上一班的未遂事件" not in text  # before the shift


def test_the_english_handover_prints_them_in_english(data: HandoverData, tmp_path: Path) -> None:
    text = pdf_text(render_handover_pdf(data, tmp_path / "en.pdf", lang="en"))
    assert flat("7. Near misses during the shift (2)") in text
    assert flat("8. Notes") in text and flat("9. Sign-off") in text
    assert flat("Gas release") in text and flat("Fall from height") in text
    assert flat("Recorded by") in text and flat("gw-S1 (from the field)") in text
    assert "09:40" in text and "07:00" in text
    assert "气体泄漏" not in text and "现场上报" not in text  # the words are the report's language's
    assert "上一班的未遂事件" not in text


def test_a_shift_without_near_misses_says_none(plant: Database, tmp_path: Path) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with plant.session() as s:
        empty = collect_handover(s, start=start, end=start + timedelta(hours=12), site="S1", now=NOW)
    assert empty.near_misses == () and empty.near_miss_total == 0
    text = pdf_text(render_handover_pdf(empty, tmp_path / "empty.pdf", lang="en"))
    assert flat("7. Near misses during the shift (0)") + "None." in text
