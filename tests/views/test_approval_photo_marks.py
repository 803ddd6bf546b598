"""The approval queue's marks say when a submitted permit's required key-step photo is missing or fails
its hash (issue 23's closing note): a real local HTTP file store, the demo plant's queue on SQLite, the
real approval screen offscreen, in English and in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.permit_service import PermitService
from cockpit.permits.evidence import PermitEvidence
from cockpit.photo_fetch import PhotoFetcher
from connectors.database import Database
from models.records import PermitType
from models.rules.photo_evidence import DEFAULT_PHOTO_STEPS
from models.schema import PermitEventRow
from tests.cockpit.test_permit_service import NOW, copy_of, shared_template
from tests.support.file_store import FileStore, sha256, tiny_png
from tests.support.sessions import TEST_KEYS, permit_login
from tests.views.test_finding_words import glossary_chinese
from views.approval_view import ApprovalView

__all__ = ["glossary_chinese"]  # the fixture, used by name


@pytest.fixture
def store() -> Iterator[FileStore]:
    s = FileStore().start()
    yield s
    s.stop()


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    database = copy_of(shared_template(tmp_path_factory), tmp_path)
    yield database
    database.dispose()


def photo_event(db: Database, permit_id: str, photos: list[dict[str, str]]) -> None:
    with db.session() as s:
        s.add(PermitEventRow(permit_id=permit_id, ts=NOW, type="photo", by="W-2", detail={"photos": photos}))


def queue_with_photos(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path
) -> tuple[ApprovalView, dict[str, str]]:
    """Three submitted hot-work permits of the demo: one with a checked photo, one whose photo fails its
    hash, one with none; a lifting permit (no photo required)."""
    evidence = PermitEvidence(
        db, PhotoFetcher(tmp_path / "photos", retries=0, timeout_s=2), DEFAULT_PHOTO_STEPS
    )
    svc = PermitService(db, keys=TEST_KEYS, clock=lambda: NOW, evidence=evidence)
    queue = svc.approval_queue(NOW)
    hot = [q.permit_id for q in queue if q.type is PermitType.HOT_WORK][:3]
    lifting = next(q.permit_id for q in queue if q.type is PermitType.LIFTING)
    good, forged = tiny_png((30, 140, 60)), tiny_png((200, 30, 30))
    photo_event(
        db, hot[0], [{"url": store.put("ok.png", good), "sha256": sha256(good), "step": "site_cleared"}]
    )
    photo_event(
        db,
        hot[1],
        [{"url": store.put("bad.png", forged), "sha256": sha256(good + b"x"), "step": "site_cleared"}],
    )
    view = ApprovalView(svc, session=permit_login(svc, "lead.wang"), clock=lambda: NOW, refresh_ms=0)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitUntil(
        lambda: view.table.rowCount() > 0 and len(view.marks()) == view.table.rowCount(), timeout=10_000
    )
    names = {"checked": hot[0], "forged": hot[1], "none": hot[2], "lifting": lifting}
    return view, names


def mark_of(view: ApprovalView, permit_id: str) -> str:
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 1).text() == permit_id)
    return view.table.item(row, view.MARK_COLUMN).text()


def test_the_queue_marks_a_missing_and_a_forged_key_step_photo(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path
) -> None:
    view, p = queue_with_photos(qtbot, db, store, tmp_path)
    # the forged photo is fetched on the queue's own photo worker, then the marks are read again
    qtbot.waitUntil(lambda: "PHOTO ALTERED" in mark_of(view, p["forged"]), timeout=15_000)
    assert mark_of(view, p["none"]).endswith(" · key-step photo missing")
    assert "photo" not in mark_of(view, p["checked"]).lower()  # its photo matches its hash
    assert "photo" not in mark_of(view, p["lifting"]).lower()  # lifting requires no photo
    view.wait_idle()


def test_the_photo_marks_in_chinese(
    qtbot: QtBot, db: Database, store: FileStore, tmp_path: Path, glossary_chinese: None
) -> None:
    view, p = queue_with_photos(qtbot, db, store, tmp_path)
    qtbot.waitUntil(lambda: "照片被改动" in mark_of(view, p["forged"]), timeout=15_000)
    assert mark_of(view, p["none"]).endswith(" · 缺关键步骤照片")
    assert "照片" not in mark_of(view, p["checked"])
    view.wait_idle()
