"""The defect work-order screen shows the defect's photos (issue 23 part 6): the field's result carried
their references; the screen fetches them from a real local HTTP file store, draws the one whose hash
matches and says of the forged one that it fails its hash, never drawing it. Real Qt (offscreen), real
SQLite, the intake as the core runs it; English and Chinese, the screens saved for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cockpit.inspection.intake import InspectionIntake
from cockpit.inspection.work_orders import WorkOrderService
from cockpit.photo_fetch import PhotoFetcher
from cockpit.plant_reads import PlantReads
from connectors.database import Database
from models.records import ChecklistAnswer, ChecklistResult, DefectSeverity, PhotoRef
from tests.support.file_store import FileStore, sha256, tiny_png
from tests.support.fresh_db import open_fresh
from tests.support.inspection import build_inspected_plant
from tests.support.sessions import TEST_KEYS, signed
from tests.views.test_finding_words import glossary_chinese
from views.work_orders_view import WorkOrdersView

__all__ = ["glossary_chinese"]  # the fixture, used by name

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
SHOTS = Path(os.environ["EVIDENCE_SHOTS"]) if os.environ.get("EVIDENCE_SHOTS") else None


@pytest.fixture
def store() -> Iterator[FileStore]:
    s = FileStore().start()
    yield s
    s.stop()


@pytest.fixture
def db(tmp_path: Path, store: FileStore) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'views.db'}")
    build_inspected_plant(database, NOW)
    seal, forged = tiny_png((90, 90, 160), 160), tiny_png((200, 30, 30), 160)
    photos = (
        PhotoRef(store.put("seal.png", seal), sha256(seal), "defect"),
        PhotoRef(store.put("swapped.png", forged), sha256(seal + b"x"), "defect"),
    )
    leak = (ChecklistAnswer("泄漏 leak?", False),)
    InspectionIntake(database, clock=lambda: NOW).on_record(
        ChecklistResult(
            "S1", "A1", "TAG-101", NOW - timedelta(minutes=30), "r-1", "W-1", leak, True,
            DefectSeverity.MAJOR, "", "机封泄漏 seal leaking", photos,
        )
    )  # fmt: skip
    try:
        yield database
    finally:
        database.dispose()


def shown(qtbot: QtBot, db: Database, tmp_path: Path, name: str) -> WorkOrdersView:
    service = WorkOrderService(
        db, TEST_KEYS, clock=lambda: NOW, photos=PhotoFetcher(tmp_path / "photos", retries=0, timeout_s=2)
    )
    view = WorkOrdersView(service, signed("lead.wang"), PlantReads(db).sites(), clock=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    with qtbot.waitSignal(view.photos_shown, timeout=20_000):
        qtbot.waitUntil(lambda: len(view.orders) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: all(w.isVisible() for w in view.photos.findChildren(QLabel)), timeout=5000)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        view.grab().save(str(SHOTS / name))
    return view


def test_the_defects_photos_are_drawn_and_a_forged_one_is_said(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    view = shown(qtbot, db, tmp_path, "defect_photos_en.png")
    assert view.orders[0].photos[0].step == "defect"
    assert view.photo_lines == [
        ("verified", "the defect found · checked: unaltered"),
        ("tampered", "the defect found · PHOTO ALTERED"),
    ]
    pictures = [w for w in view.photos.findChildren(QLabel) if not w.pixmap().isNull()]
    assert [p.pixmap().width() for p in pictures] == [160]  # only the verified one is drawn


def test_the_defects_photos_in_chinese(
    qtbot: QtBot, db: Database, tmp_path: Path, glossary_chinese: None
) -> None:
    view = shown(qtbot, db, tmp_path, "defect_photos_zh.png")
    assert [caption for _, caption in view.photo_lines] == [
        "发现的缺陷 · 已核验：未改动",
        "发现的缺陷 · 照片被改动",
    ]
