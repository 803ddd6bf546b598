"""The handover screen under pytest-qt: preview off the GUI thread, sign with both passwords, export."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from cockpit.config import Config
from cockpit.demo_seed import DEMO_PASSWORD, seed_demo
from cockpit.handover_reports import HandoverReports
from cockpit.plant_reads import PlantReads
from cockpit.report.data import HandoverData
from connectors.database import Database
from models.schema import ShiftHandover, User
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user
from views.handover_view import HandoverView, current_shift
from widgets.page_preview import MARGIN

NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai: the day shift is running


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("view")
    database = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    seed_demo(database, seed=3, now=NOW)
    yield database
    database.dispose()


@pytest.fixture()
def view(qtbot, db: Database) -> HandoverView:  # type: ignore[no-untyped-def]
    config = Config()
    config.general.language = "en"
    reports = HandoverReports(db, plant=config.plant_title, keys=TEST_KEYS)
    login = as_user(db, "lead.wang")  # the console's login; the two leads sign with their passwords
    widget = HandoverView(
        reports, config, PlantReads(db).sites(), site="CHEM1", session=login, now=lambda: NOW
    )
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def test_current_shift_follows_local_time() -> None:
    start, end = current_shift(NOW, "Asia/Shanghai")
    assert (start, end) == (
        datetime(2026, 11, 23, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    )
    night = current_shift(datetime(2026, 11, 23, 13, 0, tzinfo=UTC), "Asia/Shanghai")  # 21:00 local
    assert night == (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    early = current_shift(datetime(2026, 11, 22, 21, 0, tzinfo=UTC), "Asia/Shanghai")  # 05:00 local
    assert early == (datetime(2026, 11, 22, 12, 0, tzinfo=UTC), datetime(2026, 11, 23, 0, 0, tzinfo=UTC))


def test_the_site_picker_names_the_site_not_its_code(view: HandoverView) -> None:
    shown = [view.site.itemText(i) for i in range(view.site.count())]
    assert view.site.currentText() == "一号化工厂区" and view.site.currentData() == "CHEM1"
    assert shown[0] == "All sites" and not any("CHEM" in text for text in shown), shown


def test_view_opens_on_the_current_shift(view: HandoverView) -> None:
    assert view.window() == current_shift(NOW, "Asia/Shanghai")
    assert view.start_edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-23 08:00"  # shown in site time
    assert view.preview_button.text() == "Preview"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) needed")
def test_preview_renders_pages_off_the_gui_thread(qtbot, view: HandoverView) -> None:  # type: ignore[no-untyped-def]
    view.notes.setPlainText("pump P-101 still open")
    with qtbot.waitSignal(view.preview_ready, timeout=20_000) as blocker:
        view.start_preview()
        assert not view.preview_button.isEnabled()  # busy while the worker renders
    preview = blocker.args[0]
    assert preview.pdf.read_bytes().startswith(b"%PDF")
    labels = view.page_view.page_labels()
    assert len(labels) == len(preview.pages) >= 1
    assert all(isinstance(w, QLabel) and not w.pixmap().isNull() for w in labels)
    assert view.progress.value() == view.progress.maximum()
    assert view.preview_button.isEnabled()


def test_the_preview_pane_is_never_blank_and_a_quiet_shift_says_so(qtbot, view: HandoverView) -> None:  # type: ignore[no-untyped-def]
    view.resize(1400, 900)
    view.show()
    placeholder = view.page_view.placeholder
    assert placeholder.isVisible() and not view.page_view.scroll_area.isVisible()
    assert placeholder.text() == "No preview yet: choose the shift and press Preview."
    quiet = datetime(2020, 1, 1, 0, 0, tzinfo=UTC)  # before the plant: nothing happened
    view.set_window(quiet, quiet + timedelta(hours=12))
    with qtbot.waitSignal(view.preview_ready, timeout=20_000):
        view.start_preview()
    assert view.nothing.isVisible()
    assert view.nothing.text().startswith("Nothing in this shift: no alarms")
    if view.page_view.page_count():  # the pages, with the sentence above them
        assert view.page_view.scroll_area.isVisible() and not placeholder.isVisible()
    else:  # no page images (no pdftoppm): the pane says it
        assert placeholder.isVisible() and placeholder.text() == view.nothing.text()
    view.set_current_shift()
    with qtbot.waitSignal(view.preview_ready, timeout=20_000):
        view.start_preview()
    assert not view.nothing.isVisible()  # a shift with events: no such sentence


def test_export_writes_the_previewed_pdf(qtbot, view: HandoverView, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.preview_ready, timeout=20_000):
        view.start_preview()
    target = tmp_path / "out.pdf"
    assert view.export_to(str(target))
    assert target.read_bytes() == view.preview.pdf.read_bytes()
    assert not view.export_to(str(tmp_path / "missing-dir" / "x.pdf"))
    assert "cannot write" in view.status.text().lower()


def test_sign_dialog_refuses_a_wrong_password_then_stores(qtbot, view: HandoverView, db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = view.open_sign_dialog()
    assert dialog.isVisible() and not dialog.isModal()
    dialog.out_user.setText("lead.wang")
    dialog.out_password.setText("wrong")
    dialog.in_user.setText("unit.liu")
    dialog.in_password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(view.failed, timeout=20_000):
        dialog.buttons.accepted.emit()
    assert "password" in dialog.message.text() and dialog.isVisible()
    dialog.out_password.setText(DEMO_PASSWORD)
    dialog.in_password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(view.signed, timeout=20_000) as blocker:
        dialog.buttons.accepted.emit()
    stored = blocker.args[0]
    assert not dialog.isVisible()
    with db.session() as session:
        row = session.scalars(select(ShiftHandover).where(ShiftHandover.id == stored.id)).one()
        assert (row.signed_out_by, row.signed_in_by) == ("lead.wang", "unit.liu")
        assert row.shift_to - row.shift_from == timedelta(hours=12)
    assert f"#{stored.id}" in view.status.text()


def test_the_sign_dialog_refuses_a_console_login_disabled_since(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    reports = HandoverReports(db, plant="", keys=TEST_KEYS)
    login = as_user(db, "safety.chen")  # the console's login, disabled below; the leads' passwords are right
    view = HandoverView(
        reports, Config(), PlantReads(db).sites(), site="CHEM1", session=login, now=lambda: NOW
    )
    qtbot.addWidget(view)
    with db.session() as session:
        before = len(session.scalars(select(ShiftHandover)).all())
        session.get(User, "safety.chen").active = False  # type: ignore[union-attr]
        session.commit()
    try:
        dialog = view.open_sign_dialog()
        for field, text in zip(
            (dialog.out_user, dialog.out_password, dialog.in_user, dialog.in_password),
            ("lead.wang", DEMO_PASSWORD, "unit.liu", DEMO_PASSWORD),
            strict=True,
        ):
            field.setText(text)
        with qtbot.waitSignal(view.failed, timeout=20_000):
            dialog.buttons.accepted.emit()
        assert dialog.message.text() == "Not carried out: the user safety.chen has been disabled."
        with db.session() as session:
            assert len(session.scalars(select(ShiftHandover)).all()) == before  # nothing stored
    finally:
        with db.session() as session:
            session.get(User, "safety.chen").active = True  # type: ignore[union-attr]
            session.commit()
        view.shutdown()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) needed")
def test_the_preview_is_readable_on_a_full_hd_screen(qtbot, view: HandoverView) -> None:  # type: ignore[no-untyped-def]
    view.resize(1920, 1080)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.preview_ready, timeout=20_000) as blocker:
        view.start_preview()
    pages = view.page_view
    first = pages.page_labels()[0]

    def room() -> int:
        return pages.scroll_area.viewport().width() - 2 * MARGIN

    # fitted to the width of the view (once the scroll bar has come), not 500 px
    qtbot.waitUntil(lambda: room() - 2 <= first.width() <= room(), timeout=5000)
    assert first.width() > 1500
    assert first.pixmap().width() == first.width()
    assert QImage(str(blocker.args[0].pages[0])).width() >= 1200  # rendered sharp enough for that width
    pages.zoom_in_button.click()
    assert first.width() > room()  # zoomed past the width: the reader scrolls sideways
    pages.fit_button.click()
    assert first.width() <= room()
    count = len(blocker.args[0].pages)
    expected = "Preview ready: 1 page." if count == 1 else f"Preview ready: {count} pages."
    assert view.status.text() == expected


def test_the_summary_counts_in_the_right_plural(view: HandoverView) -> None:
    data = HandoverData(
        plant="",
        site="CHEM1",
        site_name="CHEM1",
        timezone="Asia/Shanghai",
        start=NOW - timedelta(hours=3),
        end=NOW + timedelta(hours=1),
        generated_at=NOW,
        audit_head="abc",
    )
    text = view.summary_text(data)
    assert "0 permits live at handover" in text and "0 alarms" in text
    assert "2026-11-23 16:00 – 2026-11-23 20:00 (UTC+8)" in text  # plant time
