"""Alarm messages and the stop-work reasons made of them, printed in the handover's language.

A database holds an automatic stop for every message code the engine and the live checks can give
(``models/rules/alarm_texts.py``, built through the same functions the producers call) and a priority-1
alarm of every condition; both PDFs are read back with pdftotext: the English one holds no Chinese,
the Chinese one none of the English sentences, and each code's Chinese is the glossary's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.report.alarm_words import (
    ALARM_ZH,
    CONDITION_EN,
    CONDITION_ZH,
    FINDING_ZH,
    GATE_REASON_ZH,
    STALE_WHY_ZH,
    alarm_reason,
)
from cockpit.report.data import collect_handover
from cockpit.report.handover_pdf import render_handover_pdf
from cockpit.report.records import HandoverData
from cockpit.worker_alarms import WORKER_ALARMS, worker_alarm
from connectors.database import Database
from models.records import WorkerEvent
from models.rules.alarm_texts import (
    ALARM_TEXTS,
    GATE_REASONS,
    STALE_WHY,
    alarm_message,
    cleared_text,
    english,
    fault_text,
    gate_message,
    level_text,
    read_message,
    retest_message,
)
from models.rules.finding_texts import FINDING_TEXTS
from models.rules.findings import english as finding_english
from models.schema import AlarmJournalEntry, Area, Command, Site
from tests.support.fresh_db import open_fresh
from widgets.alarm_words import CONDITION_TEXTS

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
START = NOW - timedelta(hours=12)
SITE, AREA = "CHEM1", "U101"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{[\w.]+\}")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")

# One value per parameter name, as the producers give them (ids are single tokens: names aside).
SAMPLE: dict[str, str] = {
    "ch": "LEL",
    "value": "31",
    "unit": "%LEL",
    "cond": "HIHI",
    "lim": "25",
    "source": f"{SITE}/{AREA}/GD-101/LEL",
    "why": "device_offline",
    "device": "GD-101",
    "site": SITE,
    "area": AREA,
    "detail": "E42",
    "event": "MAN_DOWN",
    "who": "op.li",
    "worker": "W-10023",
    "permit_id": "HW-7",
    "seconds": "60",
    "supervisor": "W-2001",
    "minutes": "45",
    "most": "30",
    "status": "expired",
    "wind": "11.2",
    "force": "6",
    "permit": "hot_work.special",
    "base": "hot_work.1",
    "old": "HIHI",
    "gate": "G-1",
    "step": "site_cleared,harness_clipped",
}

# A gas-test timing finding of every code an overdue re-test can carry (``retest.overdue``).
TIMING = {"age": 3600, "permit": "hot_work.1", "window": 1800, "pause": 2700, "limit": 1800, "period": 7200}
FINDINGS: list[tuple[str, dict[str, object]]] = [
    (key, {n: v for n, v in TIMING.items() if "{" + n + "}" in FINDING_TEXTS[key]}) for key in FINDING_ZH
]


def every_message() -> list[str]:
    """A message of every code: through the producers' helpers where they have one, else the table."""
    out = [
        level_text("LEL", 31.0, "%LEL", SAMPLE["source"], "HIHI", 25.0),
        level_text("LEL", 4.0, "%LEL", SAMPLE["source"]),
        fault_text("GD-101", SITE, AREA, ""),
        fault_text("GD-101", SITE, AREA, "E42"),
        fault_text("GD-101", SITE, AREA, None),
        cleared_text("MAN_DOWN", "worker:W-10023", None),
        cleared_text("MAN_DOWN", "worker:W-10023", "op.li"),
        *(retest_message("HW-7", key, values, finding_english(key, values)) for key, values in FINDINGS),
        gate_message("G-1", "W-10023", [("certificate_expired", "x expired"), ("area_stopped", "stopped")]),
    ]
    for event_type in WORKER_ALARMS:
        for permit in (None, "HW-7"):
            spec = worker_alarm(WorkerEvent(SITE, AREA, "W-10023", NOW, event_type, permit=permit))
            assert spec is not None
            out.append(spec["message"])
    done = {found[0] for m in out if (found := read_message(m)) is not None}
    for code, template in ALARM_TEXTS.items():
        if code not in done:
            names = {name.strip("{}") for name in PLACEHOLDER.findall(template)}
            out.append(alarm_message(code, **{name: SAMPLE[name] for name in sorted(names)}))
    assert {read_message(m)[0] for m in out if read_message(m)} == ALARM_TEXTS.keys()  # type: ignore[index]
    return out


def plant(folder: Path) -> Database:
    db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    conditions = [c for c in CONDITION_TEXTS if c not in ("APPROVAL_ESCALATED",)]  # paperwork: no alarm
    with db.session() as s:
        s.add(Site(id=SITE, name="Chem-1", timezone="Asia/Shanghai"))
        s.add(Area(site_id=SITE, id=AREA, name="Unit-101"))
        for i, message in enumerate(every_message()):
            s.add(
                Command(
                    command_id=str(uuid.uuid4()),
                    kind="stop",
                    site_id=SITE,
                    area_id=AREA,
                    permits=["HW-7"],
                    reason=message,
                    alarm_id=f"{SAMPLE['source']}:LEVEL",
                    issued_by="cockpit",
                    auto=True,
                    issued_at=START + timedelta(minutes=10 + i),
                    state="executed",
                )
            )
        for i, condition in enumerate(conditions):
            s.add(
                AlarmJournalEntry(
                    alarm_id=f"worker:W-{i}:{condition}",
                    ts=START + timedelta(hours=1, minutes=i),
                    site_id=SITE,
                    area_id=AREA,
                    source=f"worker:W-{i}",
                    condition=condition,
                    priority=1,
                    from_state="normal",
                    to_state="unack",
                    value=None,
                    unit="",
                    console="test",
                )
            )
    return db


def pdftotext(path: Path) -> str:
    """The text in the order it was drawn: a table cell's lines stay together."""
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, HandoverData]:
    folder = tmp_path_factory.mktemp("reasons")
    db = plant(folder)
    try:
        with db.session() as s:
            data = collect_handover(s, start=START, end=NOW, site=SITE, plant="Plant-A", now=NOW)
    finally:
        db.dispose()
    zh = render_handover_pdf(data, folder / "zh.pdf", lang="zh_CN", paper="A4")
    en = render_handover_pdf(data, folder / "en.pdf", lang="en", paper="A4")
    return pdftotext(zh), pdftotext(en), data


def glossary() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "resources" / "translations"))
    try:
        from zh_CN_glossary import TR
    finally:
        sys.path.remove(str(ROOT / "resources" / "translations"))
    return dict(TR)


def test_the_report_says_every_code_as_the_screens_do() -> None:
    zh = glossary()
    assert ALARM_ZH.keys() == ALARM_TEXTS.keys()
    for code, source in ALARM_TEXTS.items():
        assert ALARM_ZH[code] == zh[source], code
    for why, source in STALE_WHY.items():
        assert STALE_WHY_ZH[why] == zh[source], why
    for key, chinese in FINDING_ZH.items():  # the findings an overdue re-test carries
        assert chinese == zh[FINDING_TEXTS[key]], key
    for key, values in FINDINGS:  # printed in Chinese after the re-test's own sentence, nothing left out
        worded = alarm_reason(retest_message("HW-7", key, values, finding_english(key, values)), "zh_CN")
        assert worded is not None and worded.startswith("HW-7：气体复测已超时：") and "{" not in worded, key
        assert not re.search(r"[A-Za-z]{3,}", worded.replace("HW-7", "")), worded
    assert GATE_REASON_ZH.keys() == GATE_REASONS.keys()
    for code, source in GATE_REASONS.items():
        assert GATE_REASON_ZH[code] == zh[source], code
    for condition, source in CONDITION_TEXTS.items():
        if condition in CONDITION_ZH:
            assert CONDITION_ZH[condition] == zh[source], condition
            assert CONDITION_EN[condition] == source, condition
    for message in every_message():
        worded = alarm_reason(message, "en") or ""
        code = read_message(message)[0]  # type: ignore[index]
        assert worded == english(message) or code.startswith("event."), message  # events: in words
        assert not CJK.search(worded), message
        assert CJK.search(alarm_reason(message, "zh_CN") or ""), message


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_english_report_holds_no_chinese_and_every_sentence(pdfs: tuple[str, str, HandoverData]) -> None:
    _zh, en, data = pdfs
    assert not CJK.search(en), CJK.findall(en)[:20]
    for message in every_message():
        assert squeeze(alarm_reason(message, "en", data) or "") in squeeze(en), message
    assert "man down at worker:W-10023 cleared by op.li" in en.replace("\n", " ")
    assert "man down" in en and "no valid reading" in en  # the priority-1 table names conditions


def test_the_chinese_report_holds_none_of_the_english_sentences(pdfs: tuple[str, str, HandoverData]) -> None:
    zh, _en, data = pdfs
    for message in every_message():
        assert squeeze(english(message)) not in squeeze(zh), english(message)
        assert squeeze(alarm_reason(message, "zh_CN", data) or "") in squeeze(zh), message
    # no word of the English sentences either (ids, units, channels and ISA codes are single tokens)
    texts = [*ALARM_TEXTS.values(), *(FINDING_TEXTS[key] for key in FINDING_ZH)]
    words = {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", t))}
    words -= {"lel", "sos"}  # a channel; the call's own name stays in the condition "SOS 求救"
    ids = re.sub(r"\S*[:/]\S*", " ", zh)  # sources and paths are ids: worker:W-1, CHEM1/U101/GD-101
    found = sorted({w for w in re.findall(r"[A-Za-z]{3,}", ids) if w.lower() in words})
    assert not found, found
    assert "人员倒地" in zh and "无有效读数" in zh


def test_both_reports_name_the_places_a_message_gives_by_code(pdfs: tuple[str, str, HandoverData]) -> None:
    """A detector's fault, a gas level, a gate entry: the site and area by name, as on the screens."""
    zh, en, _data = pdfs
    for text in (zh, en):
        flat = squeeze(text)
        assert squeeze("Unit-101 · GD-101/LEL") in flat  # a level's source
        assert "Chem-1/Unit-101" in flat  # a fault's and a gate entry's site/area
        assert f"{SITE}/{AREA}" not in flat  # nowhere by its codes
