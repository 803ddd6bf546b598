"""The permit detail shows a permit's key-step photos (issue 23 part 6): fetched from a real local HTTP
file store, the verified one drawn with its step, time and sender, a tampered one flagged and never
drawn, a required step without a photo blocking, a dead store said in one line; English and Chinese.
Real widget (offscreen), real SQLite, real PNGs; the screens are saved for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.permit_service import PermitService
from cockpit.permits.evidence import PermitEvidence
from cockpit.photo_fetch import PhotoFetcher
from connectors.database import Database
from models.rules.photo_evidence import DEFAULT_PHOTO_STEPS
from models.schema import PermitEventRow
from tests.support.file_store import FileStore, sha256, tiny_png
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.views.test_finding_words import glossary_chinese
from views.permit_detail_view import PermitDetailView

__all__ = ["glossary_chinese"]  # the fixture, used by name

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
SHOTS = Path(os.environ.get("EVIDENCE_SHOTS", "")) if os.environ.get("EVIDENCE_SHOTS") else None


@pytest.fixture
def store() -> Iterator[FileStore]:
    s = FileStore().start()
    yield s
    s.stop()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, NOW)  # HW-1: hot work, active in A1, started 30 min ago without a photo
    yield database
    database.dispose()


def add_photos(db: Database, photos: list[dict[str, str]], minutes: int = -29) -> None:
    with db.session() as s:
        s.add(
            PermitEventRow(
                permit_id="HW-1",
                ts=NOW + timedelta(minutes=minutes),
                type="gas_test",
                by="W-2",
                detail={"passed": True, "photos": photos},
            )
        )


def shown(qtbot: QtBot, db: Database, tmp_path: Path, name: str = "") -> PermitDetailView:
    evidence = PermitEvidence(
        db, PhotoFetcher(tmp_path / "photos", retries=0, timeout_s=2), DEFAULT_PHOTO_STEPS
    )
    view = PermitDetailView(evidence=evidence)
    qtbot.addWidget(view)
    view.resize(1100, 1300)
    view.show()
    detail = PermitService(db, clock=lambda: NOW).permit_detail("HW-1", NOW)
    with qtbot.waitSignal(view.evidence_shown, timeout=20_000):
        view.show_detail(detail, NOW)
    if SHOTS is not None and name:
        SHOTS.mkdir(parents=True, exist_ok=True)
        view.body.verticalScrollBar().setValue(view.body.verticalScrollBar().maximum())
        view.grab().save(str(SHOTS / name))
    return view


def test_a_verified_photo_is_drawn_with_its_step_and_time_and_a_tampered_one_is_flagged(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path
) -> None:
    good, forged = tiny_png((30, 140, 60), 200), tiny_png((200, 30, 30))
    add_photos(
        db,
        [
            {"url": store.put("cleared.png", good), "sha256": sha256(good), "step": "site_cleared"},
            {"url": store.put("swapped.png", forged), "sha256": sha256(good + b"x"), "step": "site_cleared"},
        ],
    )
    view = shown(qtbot, db, tmp_path, "evidence_en.png")
    states = [(state, step) for state, step, _ in view.evidence_lines]
    assert states == [("verified", "site_cleared"), ("tampered", "site_cleared")]
    first, second = (line for _, _, line in view.evidence_lines)
    # the plant's time (Shanghai): 02:00 UTC - 29 min is 09:31
    assert (
        first.startswith("site cleared before ignition · 2026-12-02 09:31")
        and "by W-2 · checked: unaltered" in first
    )
    assert second.endswith("PHOTO ALTERED") and "hash" not in second  # no internal word
    assert list(view.body.images) == [sha256(good)]  # the forged file is never drawn
    assert view.body.images[sha256(good)].width() == 200
    assert ("ok", first) in view.check_lines() and ("block", second) in view.check_lines()
    assert not any("no photo of the key step" in t for t in view.blocking_texts())  # one verified photo
    assert "Photo evidence (2 photos, 1 unaltered, 1 altered)" in view.body.toPlainText()


def test_a_hot_work_started_without_its_photo_blocks(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    view = shown(qtbot, db, tmp_path)
    assert view.evidence_lines == []
    missing = 'no photo of the key step "site cleared before ignition": hot work may not go on without it'
    assert missing in view.blocking_texts()


def test_a_dead_store_is_one_plain_line_and_the_step_still_blocks(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path
) -> None:
    url = store.put("1.png", b"x")
    store.stop()  # the store is gone
    add_photos(db, [{"url": url, "sha256": sha256(b"x"), "step": "site_cleared"}])
    view = shown(qtbot, db, tmp_path)
    lines = view.check_lines()
    assert ("warn", "The photo file store could not be reached: 1 photo(s) not checked") in lines
    assert any(
        "could not be checked (the file store could not be reached)" in t for t in view.blocking_texts()
    )
    assert str(store.server.server_address[1]) not in view.body.toPlainText()  # no address on screen


def test_the_evidence_in_chinese(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path, glossary_chinese: None
) -> None:
    good, forged = tiny_png((30, 140, 60), 200), tiny_png((200, 30, 30))
    add_photos(
        db,
        [
            {"url": store.put("cleared.png", good), "sha256": sha256(good), "step": "site_cleared"},
            {"url": store.put("swapped.png", forged), "sha256": sha256(good + b"x"), "step": "site_cleared"},
        ],
    )
    view = shown(qtbot, db, tmp_path, "evidence_zh.png")
    text = view.body.toPlainText()
    assert "照片证据（共 2 张，1 张未改动，1 张被改动）" in text
    first, second = (line for _, _, line in view.evidence_lines)
    assert first.startswith("动火前现场已清理 · 2026-12-02 09:31") and first.endswith("已核验：未改动")
    assert list(view.body.images) == [sha256(good)]  # drawn (Qt once took this PNG for a TGA image)
    assert second.endswith("照片被改动") and "哈希" not in second
