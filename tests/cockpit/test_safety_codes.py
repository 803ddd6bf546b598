"""Issue 23 parts 5 and 7: a badge's and a printed permit's QR, rendered by pdftoppm and decoded by a QR
reader (zxing-cpp), lead back to the worker's card and to the permit's state as it is now; a code made up
for another worker is refused; pdftotext of the printed permit shows its form's title and the gas values.
Real SQLite and PostgreSQL, real PDFs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from cockpit.people_reads import PeopleReads
from cockpit.permit_service import PermitService
from cockpit.safety_code_service import PermitLive, SafetyCodes, WorkerCard
from cockpit.safety_codes import FORGED, NO_KEY, NOT_A_CODE, UNKNOWN, CodeKeys, CodeRefused
from connectors.database import Database
from models.errors import UserError
from models.records import PermitType
from models.schema import AuditEntry, Certificate, PermitWorker, WorkerTraining
from tests.support.fresh_db import open_fresh
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user

zxingcpp = pytest.importorskip("zxingcpp", reason="pip install zxing-cpp (the dev extra)")

KEY = CodeKeys(b"the plant's badge key for these tests")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'plant.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    database = open_fresh(url)
    build_small_plant(database, NOW)
    with database.session() as s:
        s.add(Certificate(worker_id="W-1", number="T123456", trade="焊接与热切割",
                          valid_from=date(2024, 1, 1), valid_to=date(2030, 1, 1)))  # fmt: skip
        s.add(
            WorkerTraining(
                worker_id="W-1", name="动火作业专项培训", trained_on=date(2026, 3, 1), scope="动火"
            )
        )
        w1 = s.get(PermitWorker, ("HW-1", "W-1"))
        assert w1 is not None
        w1.worker.exam_passed, w1.worker.exam_score, w1.worker.exam_on = True, 92.0, date(2026, 3, 2)
    yield database
    database.dispose()


def _codes(db: Database, keys: CodeKeys | None = KEY) -> SafetyCodes:
    reads = PeopleReads(db, clock=lambda: NOW)
    return SafetyCodes(db, TEST_KEYS, keys, reads, clock=lambda: NOW, plant="一号化工厂")


def _decode(pdf: Path, page: int = 1) -> list[str]:
    """Every QR on one page of the PDF, as a phone would read it off the paper (150 dpi)."""
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(stem)], check=True)  # fmt: skip
    image = Image.open(stem.with_suffix(".png"))
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_a_badge_sheets_qr_opens_the_workers_card(db: Database, tmp_path: Path) -> None:
    codes = _codes(db)
    out = tmp_path / "badges.pdf"
    assert codes.print_badges(as_user(db, "mgr.sun"), ["W-1", "W-2"], out, lang="zh_CN") == 1
    found = _decode(out)
    assert sorted(found) == sorted([KEY.worker_code("W-1"), KEY.worker_code("W-2")])
    card = codes.scan(as_user(db, "op.li"), next(c for c in found if ":W-1:" in c))
    assert isinstance(card, WorkerCard)
    assert card.detail.name == "李焊工"
    assert [c.number for c in card.detail.certificates] == ["T123456"]
    assert [t.name for t in card.detail.trainings] == ["动火作业专项培训"]
    assert (card.detail.exam_passed, card.detail.exam_score) == (True, 92.0)
    assert [(p.permit_id, p.status, p.role) for p in card.permits] == [("HW-1", "active", "worker")]
    supervisor = codes.scan(as_user(db, "op.li"), KEY.worker_code("W-2"))
    assert isinstance(supervisor, WorkerCard)
    assert [(p.permit_id, p.role) for p in supervisor.permits] == [("HW-1", "supervisor")]
    assert "李焊工" in _text(out) and "W-2" in _text(out)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "badge.printed")).one()
        assert entry.actor == "mgr.sun" and json.loads(entry.details)["workers"] == ["W-1", "W-2"]


def test_a_code_made_up_for_another_worker_is_refused(db: Database) -> None:
    codes = _codes(db)
    real = KEY.worker_code("W-1")
    check = real.rsplit(":", 1)[1]
    for forged in (
        f"W1:W-2:{check}",
        "W1:W-2:AAAAAAAAAA",
        CodeKeys(b"another plant's key!!").worker_code("W-2"),
    ):
        with pytest.raises(CodeRefused) as refused:
            codes.scan(as_user(db, "op.li"), forged)
        assert refused.value.code == FORGED
    for not_ours in ("W-2", "https://example.com/W-2", "W1:W-2"):
        with pytest.raises(CodeRefused) as refused:
            codes.scan(as_user(db, "op.li"), not_ours)
        assert refused.value.code == NOT_A_CODE
    assert isinstance(codes.scan(as_user(db, "op.li"), real), WorkerCard)
    # a scanner with caps lock sends the prefix and check in the other case: still the same worker
    assert isinstance(codes.scan(as_user(db, "op.li"), "w1:W-1:" + check.lower()), WorkerCard)
    with pytest.raises(CodeRefused) as refused:
        _codes(db, None).scan(as_user(db, "op.li"), real)
    assert refused.value.code == NO_KEY
    for valid_elsewhere in (KEY.worker_code("W-404"), KEY.permit_code("HW-404")):  # another database's
        with pytest.raises(CodeRefused) as refused:
            codes.scan(as_user(db, "op.li"), valid_elsewhere)
        assert refused.value.code == UNKNOWN


def test_an_operator_may_not_print_badges(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="may not print badges"):
        _codes(db).print_badges(as_user(db, "op.li"), ["W-1"], tmp_path / "b.pdf", lang="en")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


def test_a_printed_permits_qr_shows_its_live_state_and_catches_a_suspension(
    db: Database, tmp_path: Path
) -> None:
    codes = _codes(db)
    out = tmp_path / "hw-1.pdf"
    codes.print_permit(as_user(db, "lead.wang"), "HW-1", out, lang="zh_CN")
    text = _text(out)
    assert "动火安全作业票" in text
    assert "LEL 0.0 %LEL" in text and "O2 20.9 %VOL" in text  # the gas test's values
    assert "09:20" in text  # taken 40 min before 10:00, in the plant's time
    assert "李焊工" in text and "王监护" in text and "T123456" in text
    found = _decode(out)
    assert found == [KEY.permit_code("HW-1")]
    live = codes.scan(as_user(db, "op.li"), found[0])
    assert isinstance(live, PermitLive) and live.status == "active"
    assert (live.supervisor, live.workers) == ("王监护 (W-2)", ["李焊工 (W-1)"])

    service = PermitService(db, clock=lambda: NOW + timedelta(minutes=5), keys=TEST_KEYS)
    service.suspend("HW-1", as_user(db, "lead.wang"), "LEL rising at the flange")
    live = codes.scan(as_user(db, "op.li"), found[0])  # the same paper, scanned again
    assert isinstance(live, PermitLive)
    assert (live.status, live.last_event, live.last_by) == ("suspended", "suspended", "lead.wang")
    assert live.reason == "LEL rising at the flange"
    english = tmp_path / "hw-1-en.pdf"
    codes.print_permit(as_user(db, "lead.wang"), "HW-1", english, lang="en")
    assert "Hot work safety permit" in _text(english) and "SUSPENDED" in _text(english)


@pytest.mark.parametrize("permit_type", list(PermitType))
def test_each_type_is_printed_in_its_own_form(tmp_path: Path, permit_type: PermitType) -> None:
    from cockpit.report.permit_texts import TITLES, TYPE_ROWS

    database = open_fresh(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        build_small_plant(database, NOW, permit_type=permit_type)
        out = tmp_path / "p.pdf"
        _codes(database).print_permit(as_user(database, "lead.wang"), "HW-1", out, lang="zh_CN")
        text = _text(out)
        assert TITLES["zh_CN"][permit_type] in text
        assert TYPE_ROWS["zh_CN"][permit_type][0][:4] in text
        assert _decode(out) == [KEY.permit_code("HW-1")]
    finally:
        database.dispose()


def test_a_permit_that_does_not_exist_writes_nothing(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no permit 'HW-9'"):
        _codes(db).print_permit(as_user(db, "lead.wang"), "HW-9", tmp_path / "x.pdf", lang="zh_CN")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*part"))


@pytest.fixture
def badge_keyring() -> Iterator[None]:
    import keyring

    from tests.support.keyring_memory import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    backend.set_password("hazwork-cockpit", "badge:plant", "the plant's badge key for these tests")
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_the_command_line_prints_a_permit_with_the_keyrings_code(
    tmp_path: Path, badge_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from cockpit.cli import main

    url = f"sqlite:///{tmp_path / 'plant.db'}"
    database = open_fresh(url)
    build_small_plant(database, datetime.now(UTC), permit_type=PermitType.CONFINED_SPACE)
    database.dispose()
    out = tmp_path / "cs.pdf"
    gui = lambda a, c: 1  # noqa: E731 - never opened
    assert main(["permit", "print", "HW-1", "--out", str(out), "--db", url, "--lang", "en"], gui) == 0
    assert "permit HW-1 (Confined space entry safety permit, active) written to" in capsys.readouterr().out
    assert "Confined space entry safety permit" in _text(out)
    assert _decode(out) == [KEY.permit_code("HW-1")]
    assert main(["permit", "print", "NOPE", "--out", str(tmp_path / "n.pdf"), "--db", url], gui) == 2
    assert capsys.readouterr().err.strip() == "error: there is no permit 'NOPE'"
    assert main(["permit", "print", "HW-1", "--out", str(tmp_path / "n.txt"), "--db", url], gui) == 2
    assert not (tmp_path / "n.pdf").exists()


def test_the_badge_key_is_read_at_the_first_scan_on_the_scanning_thread_and_once(db: Database) -> None:
    """The window builds the service without reading the keyring (views/factories.py): a locked keyring's
    prompt must not hold the GUI thread. The scan, on a worker, reads it; a failed read is tried again."""
    import threading

    reads: list[str] = []
    answers: list[CodeKeys | Exception | None] = [RuntimeError("keyring busy"), None, KEY]

    def from_keyring() -> CodeKeys | None:
        reads.append(threading.current_thread().name)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def scan_on_a_worker(codes: SafetyCodes) -> object:
        found: list[object] = []

        def scan() -> None:
            try:
                found.append(codes.scan(as_user(db, "op.li"), KEY.worker_code("W-1")))
            except Exception as exc:
                found.append(exc)

        worker = threading.Thread(target=scan, name="scanner")
        worker.start()
        worker.join(30)
        return found[0]

    codes = SafetyCodes(db, TEST_KEYS, None, PeopleReads(db, clock=lambda: NOW), clock=lambda: NOW,
                        codes_from=from_keyring)  # fmt: skip
    assert reads == []  # built: nothing read yet
    failed = scan_on_a_worker(codes)
    assert isinstance(failed, RuntimeError) and reads == ["scanner"]
    no_key = scan_on_a_worker(codes)  # read again: no key stored on this console
    assert isinstance(no_key, CodeRefused) and no_key.code == NO_KEY and reads == ["scanner"] * 2
    again = scan_on_a_worker(codes)  # what was read stays, as when the window read it at its start
    assert isinstance(again, CodeRefused) and reads == ["scanner"] * 2
    with_key = SafetyCodes(db, TEST_KEYS, None, PeopleReads(db, clock=lambda: NOW), clock=lambda: NOW,
                           codes_from=from_keyring)  # fmt: skip
    card = scan_on_a_worker(with_key)
    assert isinstance(card, WorkerCard) and card.detail.name == "李焊工" and reads == ["scanner"] * 3
    assert isinstance(scan_on_a_worker(with_key), WorkerCard) and len(reads) == 3  # read once
