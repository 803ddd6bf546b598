"""The printed shift handover, from a seeded database to the text a reader finds in the PDF.

The demo plant (``seed_demo``) gives permits, workers and certificates; each test module adds the shift's
alarm journal rows and stop/resume commands itself, so every expected figure is known by construction.
The PDFs are read back with poppler (pdftotext, pdffonts, pdfinfo), as a person or a search would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cockpit.demo_seed import DEMO_PASSWORD, seed_demo
from cockpit.fonts import find_cjk_font, has_truetype_outlines, require_cjk_font
from cockpit.report.data import HandoverData, collect_handover
from cockpit.report.handover_pdf import render_handover_pdf
from connectors.database import Database
from models.audit import chain_head, verify_chain
from models.errors import UserError
from models.schema import AlarmJournalEntry, AuditEntry, Command, CommandAckRow, ShiftHandover
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai: the end of a day shift
START = NOW - timedelta(hours=12)
SITE = "CHEM1"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


def pdftotext(path: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-box", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


@dataclass(frozen=True)
class Shift:
    """What the test inserted, so expectations come from the same numbers as the rows."""

    critical_alarm: str
    stop_command: str
    resume_command: str
    flood_count: int
    raised_in_window: int


def add_shift_events(db: Database, *, site: str = SITE) -> Shift:
    """A priority-1 LEL alarm with its stop command, a flood of H2S alarms, a shelved and a standing alarm."""
    rows: list[AlarmJournalEntry] = []

    def journal(
        alarm_id: str, ts: datetime, what: tuple[str, int, float | None, str], move: str, who: str = ""
    ) -> None:
        """``what`` = (condition, priority, value, unit); ``move`` = "from>to" state names of the engine."""
        cond, prio, value, unit = what
        frm, to = move.split(">")
        _site, area, device, ch = alarm_id.split("/")
        rows.append(
            AlarmJournalEntry(
                alarm_id=alarm_id,
                ts=ts,
                site_id=site,
                area_id=area,
                source=f"{site}/{area}/{device}/{ch}",
                condition=cond,
                priority=prio,
                from_state=frm,
                to_state=to,
                value=value,
                unit=unit,
                who=who,
                console="test",
            )
        )

    lel = f"{site}/U101/GD-101/LEL"
    t1 = NOW - timedelta(hours=3)
    journal(lel, t1, ("HIHI", 1, 31.0, "%LEL"), "normal>unack")
    journal(lel, t1 + timedelta(seconds=40), ("HIHI", 1, 31.0, "%LEL"), "unack>acked", "op.li")
    journal(lel, t1 + timedelta(minutes=25), ("HIHI", 1, 4.0, "%LEL"), "acked>normal")
    flood = 11
    for i in range(flood):
        h2s = f"{site}/U102/GD-2{i:02d}/H2S"
        ts = NOW - timedelta(hours=6) + timedelta(seconds=40 * i)
        journal(h2s, ts, ("HI", 2, 9.0 + i / 10, "ppm"), "normal>unack")
        journal(h2s, ts + timedelta(minutes=2), ("HI", 2, 9.0, "ppm"), "unack>acked", "op.zhang")
    co = f"{site}/U104/GD-401/CO"
    journal(co, NOW - timedelta(hours=2), ("HI", 2, 20.0, "ppm"), "normal>unack")
    journal(co, NOW - timedelta(hours=1, minutes=50), ("HI", 2, 20.0, "ppm"), "unack>shelved", "lead.wang")
    stale = f"{site}/U105/GD-501/NH3"
    journal(stale, NOW - timedelta(hours=30), ("STALE", 3, None, ""), "normal>unack")
    journal(stale, NOW - timedelta(hours=29), ("STALE", 3, None, ""), "unack>acked", "op.li")

    with db.session() as session:
        session.add_all(rows)
        stop_id, resume_id = add_stop_and_resume(session, site, lel, t1)
    return Shift(lel, stop_id, resume_id, flood, raised_in_window=1 + flood + 1)


def add_stop_and_resume(session: Session, site: str, lel: str, t1: datetime) -> tuple[str, str]:
    """The automatic stop the LEL alarm caused and the lead's resume an hour later, with their acks."""
    stop_id, resume_id = str(uuid.uuid4()), str(uuid.uuid4())
    session.add(
        Command(
            command_id=stop_id,
            kind="stop",
            site_id=site,
            area_id="U101",
            permits=["HW-X"],
            reason="LEL 31 %LEL HIHI",
            alarm_id=lel,
            issued_by="cockpit",
            auto=True,
            issued_at=t1 + timedelta(seconds=1),
            state="executed",
        )
    )
    session.add(
        Command(
            command_id=resume_id,
            kind="resume",
            site_id=site,
            area_id="U101",
            permits=[],
            reason="gas test passed 复测合格",
            alarm_id=None,
            issued_by="lead.wang",
            auto=False,
            issued_at=t1 + timedelta(hours=1),
            ends=stop_id,
            state="received",
        )
    )
    for cid, status, dt in (
        (stop_id, "received", 3),
        (stop_id, "executed", 50),
        (resume_id, "received", 3600 + 4),
    ):
        at = t1 + timedelta(seconds=dt)
        session.add(
            CommandAckRow(command_id=cid, ts=at, status=status, by="gw-U101", detail="", received_at=at)
        )
    return stop_id, resume_id


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Shift, Path]:
    folder = tmp_path_factory.mktemp("plant")
    db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    seed_demo(db, seed=1, now=NOW)
    shift = add_shift_events(db)
    yield db, shift, folder
    db.dispose()


@pytest.fixture(scope="module")
def data(plant: tuple[Database, Shift, Path]) -> HandoverData:
    db, _shift, _folder = plant
    with db.session() as session:
        return collect_handover(session, start=START, end=NOW, site=SITE, plant="示范化工园区", now=NOW)


@pytest.fixture(scope="module")
def zh_pdf(data: HandoverData, plant: tuple[Database, Shift, Path]) -> Path:
    return render_handover_pdf(
        data, plant[2] / "zh.pdf", lang="zh_CN", paper="A4", notes="U101 泵检修未完，请接班跟进。"
    )


@pytest.fixture(scope="module")
def en_pdf(data: HandoverData, plant: tuple[Database, Shift, Path]) -> Path:
    return render_handover_pdf(data, plant[2] / "en.pdf", lang="en", paper="Letter")


# ---------------------------------------------------------------- the figures


def test_alarm_figures_follow_eemua(data: HandoverData, plant: tuple[Database, Shift, Path]) -> None:
    shift = plant[1]
    a = data.alarms
    assert a.total == shift.raised_in_window
    assert a.by_priority[1] == 1 and a.by_priority[2] == shift.flood_count + 1
    assert a.per_10min_peak == shift.flood_count  # the whole flood fits in 10 minutes
    assert a.floods == 1
    assert a.per_10min_avg == pytest.approx(shift.raised_in_window / 72, abs=0.01)
    assert a.shelved_now == 1
    assert a.standing_24h == 1  # the NH3 channel stale since 30 h, acknowledged, never cleared


def test_priority1_alarm_shows_its_acknowledgement_and_the_stop_it_caused(
    data: HandoverData, plant: tuple[Database, Shift, Path]
) -> None:
    shift = plant[1]
    (critical,) = data.critical
    assert critical.alarm_id == shift.critical_alarm and critical.value == 31.0
    kinds = [(a.kind, a.by) for a in critical.actions]
    assert ("ack", "op.li") in kinds
    assert ("stop", "auto") in kinds
    assert [k for k, _ in kinds if k.startswith("stop_")] == ["stop_received", "stop_executed"]
    stop, resume = data.commands
    assert (stop.command_id, stop.kind, [x.status for x in stop.acks]) == (
        shift.stop_command,
        "stop",
        ["received", "executed"],
    )
    assert resume.kind == "resume" and resume.acks[0].status == "received"


def test_gas_excursions_are_grouped_per_area_with_a_series(data: HandoverData) -> None:
    by_area = {x.area: x for x in data.excursions}
    assert set(by_area) == {"U101", "U102", "U104"}
    assert len(by_area["U102"].excursions) == 11
    lel = [s for s in by_area["U101"].series if s.channel == "LEL"]
    assert lel and max(p.value for p in lel[0].points) == 31.0


def test_live_permits_match_the_database_at_the_end_of_the_shift(data: HandoverData) -> None:
    assert data.permits, "the demo plant has live permits at its 'now'"
    assert {p.status for p in data.permits} <= {"active", "suspended"}
    suspended = [p for p in data.permits if p.status == "suspended"]
    assert all(any(op.code == "suspended" for op in p.open_points) for p in suspended)
    assert all(p.validity_left == p.valid_to - NOW for p in data.permits)


# ---------------------------------------------------------------- the paper


def test_chinese_pdf_holds_figures_permits_and_hash(zh_pdf: Path, data: HandoverData) -> None:
    text = pdftotext(zh_pdf)
    assert "交接班报告" in text and "示范化工园区" in text
    for permit in data.permits:
        assert permit.id in text
    assert "U101 泵检修未完，请接班跟进。" in text
    assert data.audit_head in text
    assert "LEL 31 %LEL HIHI" in text  # the stop command's reason
    pages = int(pdfinfo(zh_pdf)["Pages"])
    assert f"第 1 页,共 {pages} 页" in text and f"第 {pages} 页,共 {pages} 页" in text
    assert "2026-11-23 08:00 – 2026-11-23 20:00" in text  # the window in Shanghai time, not UTC
    layout = pdftotext(zh_pdf, layout=True)
    assert re.search(rf"报警总数\S*\s+{data.alarms.total}\b", layout)
    assert re.search(r"报警泛滥\S*\s+1\b", layout)


def test_fonts_are_embedded(zh_pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(zh_pdf)], capture_output=True, text=True, check=True).stdout
    fonts = out.splitlines()[2:]
    assert fonts
    for line in fonts:
        columns = line.split()
        assert columns[-5] == "yes", f"font not embedded: {line}"


def test_english_on_letter_paper(en_pdf: Path, zh_pdf: Path, data: HandoverData) -> None:
    text = pdftotext(en_pdf)
    assert "Shift handover report" in text and "Priority-1 alarms and what was done (1)" in text
    assert "page 1 of" in text
    for permit in data.permits:
        assert permit.id in text
    assert pdfinfo(en_pdf)["MediaBox"].split() == ["0.00", "0.00", "612.00", "792.00"]
    assert pdfinfo(zh_pdf)["MediaBox"].split() == ["0.00", "0.00", "595.28", "841.89"]


def test_an_empty_shift_still_gives_a_report_that_says_so(plant: tuple[Database, Shift, Path]) -> None:
    db, _shift, folder = plant
    start = datetime(2020, 1, 1, 0, 0, tzinfo=UTC)
    with db.session() as session:
        empty = collect_handover(session, start=start, end=start + timedelta(hours=12), site=SITE, now=NOW)
    assert not empty.has_events and empty.alarms.total == 0 and not empty.permits
    for lang, phrase in (("en", "No events during this shift"), ("zh_CN", "本班次无事件")):
        out = render_handover_pdf(empty, folder / f"empty-{lang}.pdf", lang=lang)
        assert int(pdfinfo(out)["Pages"]) >= 1
        assert phrase in pdftotext(out)


def test_unwritable_output_is_one_line_and_leaves_nothing(data: HandoverData, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError) as err:
        render_handover_pdf(data, blocker / "report.pdf", lang="en")
    message = str(err.value)
    assert "\n" not in message and "report.pdf" in message
    assert not (blocker / "report.pdf").exists()


def test_a_failure_while_rendering_keeps_the_previous_file(data: HandoverData, tmp_path: Path) -> None:
    out = tmp_path / "handover.pdf"
    out.write_bytes(b"%PDF- the last good report")

    def fail(done: int, total: int, text: str) -> None:
        if text.startswith("page 2"):
            raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError):
        render_handover_pdf(data, out, lang="en", progress=fail)
    assert out.read_bytes() == b"%PDF- the last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handover.pdf"]  # no temporary file left behind


def test_progress_reaches_the_end(data: HandoverData, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    render_handover_pdf(data, tmp_path / "p.pdf", lang="en", progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    pages = int(pdfinfo(tmp_path / "p.pdf")["Pages"])
    assert sum(1 for _d, _t, s in seen if s.startswith("page ")) == pages


# ---------------------------------------------------------------- fonts


def test_font_search_takes_only_truetype_outlines(tmp_path: Path) -> None:
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    noto = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not (wqy.exists() and noto.exists()):
        pytest.skip("needs fonts-wqy-zenhei and fonts-noto-cjk")
    assert has_truetype_outlines(wqy) and not has_truetype_outlines(noto)
    font = find_cjk_font([noto, wqy])
    assert font is not None and font.path == wqy  # the CFF font is passed over


def test_no_font_found_says_what_to_install(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 8)
    with pytest.raises(UserError) as err:
        require_cjk_font([tmp_path / "missing.ttf", bogus])
    assert "fonts-wqy-zenhei" in str(err.value) and "COCKPIT_CJK_FONT" in str(err.value)


# ---------------------------------------------------------------- sign-off and storage


@pytest.fixture()
def signing_db(tmp_path: Path) -> Database:
    db = open_fresh(f"sqlite:///{tmp_path / 'sign.db'}")
    seed_demo(db, seed=2, now=NOW)
    add_shift_events(db)
    yield db
    db.dispose()


def test_sign_off_refuses_a_wrong_password_and_the_wrong_people(signing_db: Database) -> None:
    from cockpit.report.handover_service import SignatureRefused, sign_and_store

    lead = as_user(signing_db, "lead.wang")  # the console's login
    common = {"keys": TEST_KEYS, "login": lead, "start": START, "end": NOW, "site": SITE, "now": NOW}
    with pytest.raises(SignatureRefused, match="password"):
        sign_and_store(
            signing_db, outgoing=("lead.wang", "wrong"), incoming=("unit.liu", DEMO_PASSWORD), **common
        )
    with pytest.raises(SignatureRefused, match="operator"):
        sign_and_store(
            signing_db, outgoing=("lead.wang", DEMO_PASSWORD), incoming=("op.li", DEMO_PASSWORD), **common
        )
    with pytest.raises(SignatureRefused, match="different"):
        sign_and_store(
            signing_db, outgoing=("lead.wang", DEMO_PASSWORD), incoming=("lead.wang", DEMO_PASSWORD), **common
        )
    with signing_db.session() as session:
        assert session.scalars(select(ShiftHandover)).first() is None


def test_signed_report_is_stored_audited_and_superseded_by_a_later_one(
    signing_db: Database, tmp_path: Path
) -> None:
    from cockpit.report.handover_service import sign_and_store

    lead = as_user(signing_db, "lead.wang")  # the console's login
    common = {"keys": TEST_KEYS, "login": lead, "start": START, "end": NOW, "site": SITE, "lang": "en"}
    first = sign_and_store(
        signing_db,
        outgoing=("lead.wang", DEMO_PASSWORD),
        incoming=("unit.liu", DEMO_PASSWORD),
        notes="first",
        now=NOW + timedelta(minutes=5),
        out=tmp_path / "first.pdf",
        **common,
    )
    assert first.supersedes is None
    text = pdftotext(tmp_path / "first.pdf")
    assert "王值班长" in text and "lead.wang" in text
    assert first.content_sha256 in "".join(text.split())  # the hash may wrap in its box
    assert "supersedes" not in text

    second = sign_and_store(
        signing_db,
        outgoing=("lead.wang", DEMO_PASSWORD),
        incoming=("unit.liu", DEMO_PASSWORD),
        notes="second, with the pump",
        now=NOW + timedelta(minutes=30),
        out=tmp_path / "second.pdf",
        **common,
    )
    assert second.supersedes == first.id
    text2 = pdftotext(tmp_path / "second.pdf")
    expected = f"supersedes the earlier report #{first.id} (sha256 {first.pdf_sha256})"
    assert "".join(expected.split()) in "".join(text2.split())

    with signing_db.session() as session:
        rows = session.scalars(select(ShiftHandover).order_by(ShiftHandover.id)).all()
        assert [r.id for r in rows] == [first.id, second.id]
        import hashlib

        assert all(hashlib.sha256(r.pdf).hexdigest() == r.pdf_sha256 for r in rows)
        assert rows[1].supersedes == rows[0].id
        assert (rows[1].signed_out_by, rows[1].signed_in_by) == ("lead.wang", "unit.liu")
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "handover.signed")).all()
        assert [a.subject for a in audits] == [f"shift_handover/{first.id}", f"shift_handover/{second.id}"]
        assert verify_chain(session).ok
        assert chain_head(session) == audits[-1].hash


# ---------------------------------------------------------------- command line


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


def test_command_line_end_to_end(plant: tuple[Database, Shift, Path], tmp_path: Path) -> None:
    _db, _shift, folder = plant
    url = f"sqlite:///{folder / 'plant.db'}"
    out = tmp_path / "cli.pdf"
    result = run_main(
        "report",
        "handover",
        "--db",
        url,
        "--from",
        "2026-11-23T08:00+08:00",
        "--to",
        "2026-11-23T20:00+08:00",
        "--site",
        SITE,
        "--lang",
        "en",
        "--paper",
        "Letter",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = pdftotext(out)
    assert "Shift handover report" in text and "LEL 31 %LEL HIHI" in text
    assert pdfinfo(out)["MediaBox"].split()[2:] == ["612.00", "792.00"]

    bad = run_main(
        "report",
        "handover",
        "--db",
        url,
        "--from",
        "2026-11-23T08:00+08:00",
        "--to",
        "2026-11-23T20:00+08:00",
        "--out",
        str(tmp_path / "no-such-dir" / "x.pdf"),
    )
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write the report")
    assert not (tmp_path / "no-such-dir").exists()


def test_command_line_refuses_a_time_without_offset(
    plant: tuple[Database, Shift, Path], tmp_path: Path
) -> None:
    url = f"sqlite:///{plant[2] / 'plant.db'}"
    bad = run_main(
        "report",
        "handover",
        "--db",
        url,
        "--from",
        "2026-11-23T08:00",
        "--to",
        "2026-11-23T20:00+08:00",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert bad.returncode == 2 and "UTC offset" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
