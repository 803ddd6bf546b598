"""Every sentence a rule can say exists in Chinese and in English, and a Chinese screen shows no English.

The codes are collected from the code itself (every ``block``/``warn`` call in models/ and cockpit/,
every permit state pair, every prerequisite, every term of the tables), not from a list kept by hand:
a new rule without its sentence or its Chinese fails here.
"""

from __future__ import annotations

import ast
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from models.records import HotWorkGrade, PermitStatus, PermitType
from models.rules.alarm_texts import ALARM_TEXTS, GATE_REASONS, STALE_WHY, read_message
from models.rules.finding_texts import FINDING_TEXTS, SPAN_TEXTS, TERM_PARAMS, TERM_TEXTS
from models.rules.findings import Finding, english, permit_term
from models.rules.permit_state import check_transition
from models.rules.photo_evidence import FETCH_STATES, PHOTO_STEPS, TAMPERED, VERIFIED
from models.rules.prerequisites import STAGE_ORDER, check_prerequisites
from models.rules.refusal_texts import ACTION_TEXTS, REFUSAL_TEXTS
from tests.support.sessions import TEST_KEYS

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Latin words a Chinese sentence may keep: units, gas channels, the standard's abbreviations.
LATIN_KEPT = {"ppm", "VOL", "LEL", "CH4", "JSA", "m/s"}


def chinese() -> dict[str, str]:
    """English source → Chinese: the glossary, and the finished translations of the catalogue."""
    sys.path.insert(0, str(TRANSLATIONS))
    try:
        from zh_CN_glossary import TR
    finally:
        sys.path.remove(str(TRANSLATIONS))
    out = dict(TR)
    for message in ET.parse(TRANSLATIONS / "cockpit_zh_CN.ts").getroot().iter("message"):
        tr = message.find("translation")
        if tr is not None and tr.get("type") is None and (tr.text or "").strip():
            out.setdefault(message.findtext("source", ""), tr.text or "")
    return out


def marked_in(path: Path) -> list[str]:
    """The texts ``path`` marks with QT_TRANSLATE_NOOP (as lupdate would find them)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "QT_TRANSLATE_NOOP":
            text = node.args[1]
            assert isinstance(text, ast.Constant) and isinstance(text.value, str), f"{path}:{node.lineno}"
            out.append(text.value)
    return out


def calls_of(name: str) -> Iterator[tuple[Path, ast.Call]]:
    for folder in ("models", "cockpit"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                    yield path, node


def every_finding_of_the_state_machine_and_the_prerequisites() -> list[Finding]:
    found = [f for a in PermitStatus for b in PermitStatus if (f := check_transition(a, b)) is not None]
    for permit_type in PermitType:
        for stage in STAGE_ORDER:
            found += check_prerequisites(permit_type, {}, stage, on_equipment=True)
    return found


def test_every_code_a_rule_gives_has_its_sentence() -> None:
    keys, dynamic = set(), []
    for path, call in [*calls_of("block"), *calls_of("warn")]:
        text = next((k.value for k in call.keywords if k.arg == "text"), None)
        code = call.args[0] if call.args else None
        if isinstance(text, ast.Constant):
            keys.add(text.value)
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            keys.add(code.value)
        elif text is None or not isinstance(text, ast.Constant):
            dynamic.append(path.relative_to(ROOT).as_posix())
    assert len(keys) > 40  # the scan sees the rules
    assert not keys - FINDING_TEXTS.keys(), sorted(keys - FINDING_TEXTS.keys())
    # codes built at run time: every one of them, through the functions that build them
    assert set(dynamic) == {"models/rules/permit_state.py", "models/rules/prerequisites.py"}, dynamic
    built = every_finding_of_the_state_machine_and_the_prerequisites()
    assert len(built) > 30
    assert {f.text_key for f in built} <= FINDING_TEXTS.keys()
    assert all(f.message for f in built)


def test_every_refusal_a_service_gives_has_its_sentence() -> None:
    codes, dynamic = set(), []
    for _path, call in calls_of("coded"):
        code = call.args[1]
        if isinstance(code, ast.Constant):
            codes.add(code.value)
        else:
            dynamic.append(ast.unparse(code))
    assert len(codes) > 10
    assert codes <= REFUSAL_TEXTS.keys(), sorted(codes - REFUSAL_TEXTS.keys())
    assert dynamic == ["f'{code}.reason_missing'"], dynamic  # reject or send back
    assert {"reject.reason_missing", "send_back.reason_missing"} <= REFUSAL_TEXTS.keys()


def test_every_alarm_message_the_engine_and_the_checks_give_has_its_sentence() -> None:
    """Every ``alarm_message`` code in models/ and cockpit/; the ones built at run time through the
    functions that build them."""
    from datetime import UTC, datetime

    from cockpit.roles import ACTIONS
    from cockpit.telemetry_records import StaleReason
    from cockpit.worker_alarms import WORKER_ALARMS, worker_alarm
    from models.records import PermitEventType, WorkerEvent

    codes, dynamic = set(), []
    for path, call in calls_of("alarm_message"):
        code = call.args[0]
        if isinstance(code, ast.Constant):
            codes.add(code.value)
        else:
            dynamic.append(f"{path.relative_to(ROOT).as_posix()}:{ast.unparse(code)}")
    assert len(codes) > 12  # the scan sees the engine and the checks
    assert codes <= ALARM_TEXTS.keys(), sorted(codes - ALARM_TEXTS.keys())
    assert sorted(dynamic) == [
        "cockpit/permit_monitor.py:code",  # checkin.late / checkin.never; permit.no_valid_<event>
        "cockpit/permit_monitor.py:code",
        "cockpit/permit_monitor.py:f'permit.unknown_{ev.type.value}'",
        "cockpit/permit_monitor.py:f'{code}_stop'",
        "cockpit/stop_loop.py:f'command.{view.kind}_not_executed'",
        "cockpit/worker_alarms.py:code",
        "cockpit/worker_alarms.py:f'{code}_permit'",
    ], dynamic
    built = {f"command.{kind}_not_executed" for kind in ("stop", "resume")}
    built |= {f"{code}_stop" for code in ("checkin.late", "checkin.never")}
    for kind in (PermitEventType.STARTED, PermitEventType.RESUMED):
        built |= {f"permit.unknown_{kind.value}", f"permit.no_valid_{kind.value}"}
    now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    for event_type in WORKER_ALARMS:
        for permit in (None, "HW-1"):
            spec = worker_alarm(WorkerEvent("S", "A", "W-1", now, event_type, permit=permit))
            assert spec is not None
            found = read_message(spec["message"])
            assert found is not None, spec["message"]
            built.add(found[0])
    assert built <= ALARM_TEXTS.keys(), sorted(built - ALARM_TEXTS.keys())
    assert {r.value for r in StaleReason} <= STALE_WHY.keys()
    # every reason code the gate gives: the (code, params, sentence) tuples of cockpit/gate.py
    from cockpit.gate import _CERT_CODES

    gate = ast.parse((ROOT / "cockpit" / "gate.py").read_text(encoding="utf-8"))
    reasons = {
        node.elts[0].value
        for node in ast.walk(gate)
        if isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Constant)
    }
    reasons |= {*_CERT_CODES.values(), "certificate_invalid"}
    assert len(reasons) >= 10 and reasons <= GATE_REASONS.keys(), sorted(reasons - GATE_REASONS.keys())
    assert set(ACTIONS) == ACTION_TEXTS.keys()


def test_every_word_a_sentence_can_hold_is_in_the_terms() -> None:
    values = {"permit": [permit_term(t) for t in PermitType]}
    values["permit"] += [permit_term(PermitType.HOT_WORK, g) for g in HotWorkGrade]
    values["status"] = [s.value for s in PermitStatus]
    values["stage"] = list(STAGE_ORDER)
    values["need"] = [
        f.params["need"]
        for f in every_finding_of_the_state_machine_and_the_prerequisites()
        if "need" in f.params
    ]
    values["step"] = list(PHOTO_STEPS)  # key-step photos (models/rules/photo_evidence.py)
    values["fetch"] = [s for s in FETCH_STATES if s not in (VERIFIED, TAMPERED)]  # photo.unchecked's
    for kind, words in values.items():
        assert {f"{kind}.{w}" for w in words} <= TERM_TEXTS.keys(), kind
    assert set(TERM_PARAMS.values()) <= {"permit", "status", "stage", "need", "step", "fetch"}


def test_every_sentence_and_word_has_chinese_with_the_same_placeholders() -> None:
    zh = chinese()
    sources = [*FINDING_TEXTS.values(), *TERM_TEXTS.values(), *SPAN_TEXTS.values(), *REFUSAL_TEXTS.values()]
    sources += [*ALARM_TEXTS.values(), *STALE_WHY.values(), *GATE_REASONS.values(), *ACTION_TEXTS.values()]
    sources += marked_in(ROOT / "views" / "finding_words.py")
    missing = [s for s in sources if not zh.get(s, "").strip()]
    assert not missing, missing
    for source in sources:
        if source == "{trade} ({english})":  # Chinese names the trade by its own name only
            assert zh[source] == "{trade}"
            continue
        assert set(PLACEHOLDER.findall(zh[source])) == set(PLACEHOLDER.findall(source)), source
        latin = set(re.findall(r"[A-Za-z][A-Za-z0-9/]+", PLACEHOLDER.sub("", zh[source])))
        assert latin <= LATIN_KEPT, (source, zh[source])


def test_the_english_sentences_hold_no_chinese() -> None:
    for text in [
        *FINDING_TEXTS.values(),
        *TERM_TEXTS.values(),
        *SPAN_TEXTS.values(),
        *REFUSAL_TEXTS.values(),
        *ALARM_TEXTS.values(),
        *STALE_WHY.values(),
        *ACTION_TEXTS.values(),
    ]:
        assert not CJK.search(text), text
    for finding in every_finding_of_the_state_machine_and_the_prerequisites():
        assert not CJK.search(finding.message), finding.message
    assert english("gas_test.stale", {"age": 3600, "permit": "hot_work.1", "window": 1800}) == (
        "the last gas test is 1 h old; hot work grade 1 may start only within 30 min of sampling: test again"
    )


class GlossaryTranslator(QTranslator):
    """The Chinese of the glossary, as the catalogue will hold it once the lead regenerates it."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # type: ignore[override]
        return self.texts.get(source, "")


@pytest.fixture
def glossary_chinese(qapp: QCoreApplication) -> Iterator[None]:
    from views.i18n import Language

    language = Language(qapp)
    assert language.set("zh_CN")
    glossary = GlossaryTranslator(chinese())
    qapp.installTranslator(glossary)
    try:
        yield
    finally:
        qapp.removeTranslator(glossary)
        language.set("en")


def english_sentence(text: str) -> str | None:
    """Two Latin words in a row (ids, units and codes are single tokens), or None."""
    found = re.search(r"\b[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}\b", text)
    return found.group() if found else None


def test_the_chinese_detail_of_a_permit_with_findings_shows_no_english_sentence(
    qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, glossary_chinese: None
) -> None:
    from cockpit.permit_service import PermitService
    from tests.cockpit.test_permit_service import NOW, copy_of, hot_work_request, pick_crew, shared_template
    from views.finding_words import finding_text
    from views.permit_detail_view import PermitDetailView

    db = copy_of(shared_template(tmp_path_factory), tmp_path)
    try:
        windy = PermitService(
            db, keys=TEST_KEYS, clock=lambda: NOW, wind=lambda site, area: 11.0
        )  # graded up, no gas test
        windy.create_from_request(hot_work_request(pick_crew(db), "HW-ZH-1"), NOW)
        detail = windy.permit_detail("HW-ZH-1", NOW)
    finally:
        db.dispose()
    assert detail.findings and detail.blocking
    view = PermitDetailView()
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show_detail(detail, NOW)
    lines = [text for _, text in view.check_lines()]
    for f in detail.findings:
        assert finding_text(f, detail.timezone) != f.message
        assert finding_text(f, detail.timezone) in lines
    from PySide6.QtWidgets import QLabel

    lines += [label.text() for label in view.findChildren(QLabel)]  # the header: area, risk, status
    assert any(
        "一般风险" in line or "较大风险" in line or "重大风险" in line or "低风险" in line for line in lines
    )
    english = {line: english_sentence(line) for line in lines if english_sentence(line)}
    assert not english, english
    assert any("气体检测" in line for line in view.blocking_texts())


def test_the_popup_names_the_hot_work_grade_in_words(glossary_chinese: None) -> None:
    from views.popup_controller import _grade_word

    assert _grade_word("special") == "特级"
    assert _grade_word("1") == "一级"
    assert _grade_word("unknown") == "unknown"


def test_role_refusals_and_alarm_messages_read_chinese_on_a_chinese_screen(glossary_chinese: None) -> None:
    """Every role an action refuses, the tooltip of a refused control, and every alarm message code
    (built as ``tests/cockpit/test_alarm_reasons_pdf.every_message`` builds them) on a Chinese screen."""
    from cockpit.roles import ACTIONS, Actor, PermissionRefused
    from models.records import Role
    from tests.cockpit.test_alarm_reasons_pdf import every_message
    from views.alarm_message_words import message_text, reason_words
    from views.finding_words import refusal_text
    from views.view_model import refused_text

    texts = []
    for action, allowed in ACTIONS.items():
        texts.append(refused_text(action))
        for role in set(Role) - allowed:
            with pytest.raises(PermissionRefused) as refused:
                Actor("op.li", role).require(action)
            assert str(refused.value).startswith(f"op.li ({role.value.replace('_', ' ')}) may not")
            texts.append(refusal_text(refused.value) or "")
    messages = every_message()
    texts += [message_text(m) for m in messages] + [reason_words(m) for m in messages]
    assert len(texts) > 60
    for text in texts:
        assert CJK.search(text), text
        assert not english_sentence(text), text
