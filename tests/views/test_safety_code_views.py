"""The lookup panel (the worker register's search box) with a scanner's keys: a badge opens the worker's
card with the permits the worker may work under; a printed permit's QR, read back off the PDF, shows the
permit's live state, and after a suspension the same paper shows SUSPENDED in red; a forged code is
refused in red. The print buttons of the permit screens write the permit's PDF. Real Qt (offscreen),
real SQLite, real PDFs."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cockpit.people_reads import PeopleReads
from cockpit.permit_service import PermitService
from cockpit.safety_code_service import SafetyCodes
from cockpit.safety_codes import CodeKeys
from connectors.database import Database
from models.schema import WorkerTraining
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user
from views.active_permits_view import ActivePermitsView
from views.worker_register_view import WorkerRegisterView
from widgets import theme

zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp (the dev extra)")

KEY = CodeKeys(b"the plant's badge key for these tests")
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    build_small_plant(database, NOW)
    with database.session() as s:
        s.add(
            WorkerTraining(
                worker_id="W-1", name="动火作业专项培训", trained_on=date(2026, 3, 1), scope="动火"
            )
        )
    yield database
    database.dispose()


def _codes(db: Database) -> SafetyCodes:
    return SafetyCodes(db, TEST_KEYS, KEY, PeopleReads(db), plant="一号化工厂")


def lookup(qtbot: QtBot, db: Database) -> WorkerRegisterView:
    view = WorkerRegisterView(
        PeopleReads(db), None, acting=as_user(db, "op.li"), editable=False, codes=_codes(db)
    )
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10000)
    return view


def scan(qtbot: QtBot, view: WorkerRegisterView, text: str) -> str:
    """Type ``text`` as a USB scanner does (keys, then Enter); what the panel made of it."""
    view.search_box.setFocus()
    with qtbot.waitSignal(view.scanned, timeout=10000) as got:
        qtbot.keyClicks(view.search_box, text)
        qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    return str(got.args[0])


def red_banner(view: WorkerRegisterView) -> bool:
    return theme.priority_color(1).name() in view.card.toHtml().lower()


def test_a_scanned_badge_opens_the_workers_card(qtbot: QtBot, db: Database) -> None:
    view = lookup(qtbot, db)
    try:
        assert scan(qtbot, view, KEY.worker_code("W-1")) == "worker:W-1"
        card = view.card.toPlainText()
        assert "李焊工 (W-1)" in card and "动火作业专项培训" in card
        assert "Admission exam: none on record" in card
        assert "Permits authorised to work under" in card and "HW-1" in card and "performs the work" in card
        assert view.search_box.text() == ""  # ready for the next scan
        qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10000)  # the list is whole again
        assert not red_banner(view)
    finally:
        assert view.wait_idle()


def test_a_disabled_workers_badge_opens_his_card_under_a_red_banner(qtbot: QtBot, db: Database) -> None:
    from cockpit.people_register import PeopleRegister

    PeopleRegister(db, TEST_KEYS).set_worker_active(as_user(db, "mgr.sun"), "W-1", False)
    view = lookup(qtbot, db)
    try:
        assert scan(qtbot, view, KEY.worker_code("W-1")) == "worker:W-1"
        assert "DISABLED: this worker may not work here" in view.card.toPlainText() and red_banner(view)
    finally:
        assert view.wait_idle()


def test_a_forged_badge_is_refused_in_red(qtbot: QtBot, db: Database) -> None:
    view = lookup(qtbot, db)
    try:
        check = KEY.worker_code("W-1").rsplit(":", 1)[1]
        assert scan(qtbot, view, f"W1:W-2:{check}") == "refused:forged"
        assert "INVALID CODE for W-2" in view.card.toPlainText()
        assert red_banner(view) and view.detail is None
    finally:
        assert view.wait_idle()


def test_a_paper_permits_qr_shows_the_live_state_and_a_suspension_in_red(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    active = ActivePermitsView(
        PermitService(db, clock=lambda: NOW, keys=TEST_KEYS),
        session=as_user(db, "lead.wang"),
        printer=lambda pid, path, lang: _codes(db).print_permit(
            as_user(db, "lead.wang"), pid, path, lang=lang
        ),
        refresh_ms=0,
    )
    qtbot.addWidget(active)
    active.show()
    qtbot.waitUntil(lambda: active.table.rowCount() == 1, timeout=10000)
    active.table.selectRow(0)
    assert active.print_button.isVisible() and active.print_button.isEnabled()
    pdf = tmp_path / "HW-1.pdf"
    with qtbot.waitSignal(active.print_button.saved, timeout=20000):
        active.print_button.save_to(str(pdf))
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    (code,) = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]

    view = lookup(qtbot, db)
    try:
        assert scan(qtbot, view, code) == "permit:HW-1:active"
        assert "Active: work allowed" in view.card.toPlainText() and not red_banner(view)
        active.reason.setText("LEL rising at the flange")
        with qtbot.waitSignal(active.permit_changed, timeout=10000):
            active.suspend_button.click()
        assert scan(qtbot, view, code) == "permit:HW-1:suspended"
        text = view.card.toPlainText()
        assert "SUSPENDED: the work must stop" in text and "LEL rising at the flange" in text
        assert red_banner(view)
    finally:
        assert view.wait_idle() and active.wait_idle() and active.print_button.wait_idle()


def test_the_print_button_says_when_this_console_has_no_badge_key(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    codes = SafetyCodes(db, TEST_KEYS, None, PeopleReads(db))
    active = ActivePermitsView(
        PermitService(db, clock=lambda: NOW, keys=TEST_KEYS),
        session=as_user(db, "lead.wang"),
        printer=lambda pid, path, lang: codes.print_permit(as_user(db, "lead.wang"), pid, path, lang=lang),
        refresh_ms=0,
    )
    qtbot.addWidget(active)
    active.show()
    qtbot.waitUntil(lambda: active.table.rowCount() == 1, timeout=10000)
    active.table.selectRow(0)
    with qtbot.waitSignal(active.print_button.failed, timeout=10000):
        active.print_button.save_to(str(tmp_path / "x.pdf"))
    assert "secret set badge plant" in active.message.text()
    assert not (tmp_path / "x.pdf").exists()
    assert active.wait_idle() and active.print_button.wait_idle()


def test_the_permit_detail_prints_the_permit_shown(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from views.permit_detail_view import PermitDetailView

    view = PermitDetailView()
    qtbot.addWidget(view)
    view.show()
    assert not view.print_button.isVisible()  # no printer: no button
    view.set_printer(
        lambda pid, path, lang: _codes(db).print_permit(as_user(db, "op.li"), pid, path, lang=lang)
    )
    assert view.print_button.isVisible() and not view.print_button.isEnabled()  # nothing shown yet
    view.show_detail(PermitService(db, clock=lambda: NOW, keys=TEST_KEYS).permit_detail("HW-1"), NOW)
    pdf = tmp_path / "chosen.pdf"
    with qtbot.waitSignal(view.print_button.saved, timeout=20000):
        view.print_button.save_to(str(pdf))
        assert view.print_button.text() == "Writing the PDF…" and not view.print_button.isEnabled()
    assert view.print_button.text() == "Print permit (PDF)…" and view.print_button.isEnabled()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Hot work safety permit" in text and "HW-1" in text
    assert str(pdf) in view.print_message.text()
    assert view.print_button.wait_idle()


def test_a_safety_manager_prints_the_listed_workers_badges(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    from cockpit.people_register import PeopleRegister

    view = WorkerRegisterView(
        PeopleReads(db), PeopleRegister(db, TEST_KEYS), acting=as_user(db, "mgr.sun"), editable=True,
        codes=_codes(db),
    )  # fmt: skip
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2 and view.badges.isEnabled(), timeout=10000)
    view.search_box.setText("李")  # the list is what gets printed
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    pdf = tmp_path / "badges.pdf"
    with qtbot.waitSignal(view.badges.saved, timeout=20000):
        view.badges.save_to(str(pdf))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "sheet")], check=True
    )
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "sheet.png"))]
    assert found == [KEY.worker_code("W-1")]
    assert str(pdf) in view.message.text()
    assert view.wait_idle() and view.badges.wait_idle()
