"""The contractor card summarises the contractor's safety performance over the last 90 days, in the
screen's language (tests/support/performance_plant.py; today is 2026-12-06, so 09-08 to 12-06)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.contractor_performance import ContractorPerformance
from cockpit.contractor_search import ContractorDirectory
from connectors.database import Database
from tests.support.fresh_db import open_fresh
from tests.support.performance_plant import NOW, build_performance_plant
from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.contractor_view import ContractorView


@pytest.fixture
def plant(tmp_path: Path) -> Iterator[Database]:
    db = open_fresh(f"sqlite:///{tmp_path / 'card.db'}")
    build_performance_plant(db)
    yield db
    db.dispose()


def card_of(qtbot: QtBot, db: Database, code: str) -> tuple[ContractorView, str]:
    clock = lambda: NOW.astimezone(UTC)  # noqa: E731
    performance = ContractorPerformance(db, zone="Asia/Shanghai", clock=clock)
    view = ContractorView(ContractorDirectory(db.session), clock=clock, performance=performance)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    view.open_card("contractor", code)
    assert view.wait_idle(10_000)
    qtbot.waitUntil(lambda: "2026-09-08" in view.card.toPlainText(), timeout=10_000)
    return view, view.card.toPlainText()


def shot(view: ContractorView, name: str) -> None:
    folder = os.environ.get("H21C_SHOTS")
    if folder:
        view.grab().save(str(Path(folder) / name))


def test_the_card_gives_rank_figures_and_trend_of_the_last_90_days(qtbot: QtBot, plant: Database) -> None:
    view, text = card_of(qtbot, plant, "C1")
    assert "Safety performance, 2026-09-08 – 2026-12-06" in text
    # C3 none, C1 5 points, C2 10 (6 + 4 on 12-01); C4's only violation (09-02) is before the 90 days.
    assert "Rank 2 of 3 (best first: fewest violation points)" in text
    assert "Permits worked: 2 (192.0 work-hours)" in text
    assert "Violations: 2 (5 points)" in text
    assert "Stop-works in its work: 2" in text
    assert "Near misses: 2" in text  # 09-12 and 11-29; the one of 08-20 is before the 90 days
    assert "Certificate lapses: 1" in text
    assert "B (09-30) → C (10-31) → C (11-30) → C (12-06)" in text
    assert text.index("Safety performance") < text.index("Qualifications")  # near the top of the card
    shot(view, "contractor_card_en.png")


@pytest.mark.usefixtures("glossary_chinese")
def test_the_card_s_summary_reads_in_chinese(qtbot: QtBot, plant: Database) -> None:
    view, text = card_of(qtbot, plant, "C2")
    assert "安全绩效（2026-09-08 – 2026-12-06）" in text
    assert "排名 3 / 3" in text
    assert "违章：2 次（记 10 分）" in text
    assert "未遂事件：1" in text  # 12-01 00:10
    assert "Safety performance" not in text and "Rank" not in text
    shot(view, "contractor_card_zh_CN.png")
