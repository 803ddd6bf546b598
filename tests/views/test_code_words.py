"""No untranslated code in either language (issue 18): every code the core hands a screen has its words.

The codes are taken from the core itself (its enums, the blockers' and the alarm conditions' literals in
the source), not from a list kept here: a new role, level, status, decision, permit type, grade, risk
level, alarm condition, link cause or approval blocker without its English words fails, and so does
English words without their Chinese (the glossary, or the catalogue's finished translations) or with
other placeholders. On a Chinese screen each is Chinese; on an English one none is.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cockpit.permits.blockers import Mark
from connectors.mqtt_link import LinkCause
from models.alarm_records import Condition
from models.records import ApprovalLevel, HotWorkGrade, PermitStatus, PermitType, RiskLevel, Role
from models.schema import ApprovalDecision
from tests.support.sessions import TEST_KEYS, as_user
from tests.views.test_finding_words import CJK, chinese, english_sentence, glossary_chinese

__all__ = ["glossary_chinese"]  # the fixture: the glossary's Chinese installed as the catalogue will be

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{\w+\}|%\d")


def constants(path: Path, call: str, position: int) -> set[str]:
    """The string literals given as argument ``position`` of every ``call(...)`` in ``path``."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == call
            and len(node.args) > position
        ):
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.add(arg.value)
    return out


def conditions() -> set[str]:
    """Every alarm condition the core raises: its enum, the workers' events, and the named conditions
    of the live checks and the gate (``NAME = "NAME"``)."""
    from cockpit.worker_alarms import WORKER_ALARMS

    found = {c.value for c in Condition} | {spec[1] for spec in WORKER_ALARMS.values()}
    named = re.compile(r'^([A-Z][A-Z_]+) = "\1"$', re.MULTILINE)
    for path in sorted((ROOT / "cockpit").rglob("*.py")):
        found |= set(named.findall(path.read_text(encoding="utf-8")))
    return found


def tables() -> list[tuple[str, set[str], dict[str, str]]]:
    """(what, the codes the core gives, the words table a screen says them with)."""
    from views.approval_words import BLOCKER_TEXTS, CLEARS_TEXTS, MARK_TEXTS
    from views.i18n import DECISION_TEXTS, LEVEL_TEXTS, LINK_REASON_TEXTS, PERMIT_STATUS_TEXTS, ROLE_TEXTS
    from views.permit_words import _GRADE_WORDS, _TYPE_WORDS
    from widgets.alarm_words import CONDITION_TEXTS
    from widgets.value_tile import PERMIT_SHORT, RISK_TEXT

    blockers = ROOT / "cockpit" / "permits" / "blockers.py"
    from cockpit.permits.blockers import _CLEARS_BY_RULE

    return [
        ("role", {r.value for r in Role}, ROLE_TEXTS),
        ("approval level", {lvl.value for lvl in ApprovalLevel}, LEVEL_TEXTS),
        ("permit status", {s.value for s in PermitStatus}, PERMIT_STATUS_TEXTS),
        ("signature decision", {d.value for d in ApprovalDecision}, DECISION_TEXTS),
        ("permit type (short)", {t.value for t in PermitType}, PERMIT_SHORT),
        ("permit type", set(PermitType), {k.value: v for k, v in _TYPE_WORDS.items()}),
        ("hot-work grade", set(HotWorkGrade), {k.value: v for k, v in _GRADE_WORDS.items()}),
        ("risk level", {r.value for r in RiskLevel}, RISK_TEXT),
        ("alarm condition", conditions(), CONDITION_TEXTS),
        ("link cause", {c.name for c in LinkCause}, LINK_REASON_TEXTS),
        ("queue mark", {m.value for m in Mark}, {k.value: v for k, v in MARK_TEXTS.items()}),
        ("approval blocker", constants(blockers, "Blocker", 0), BLOCKER_TEXTS),
        (
            "what clears a blocker",
            constants(blockers, "Blocker", 2) | set(_CLEARS_BY_RULE.values()) | {"clear.send_back"},
            CLEARS_TEXTS,
        ),
    ]


@pytest.mark.parametrize("what, codes, words", tables(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_code_has_english_and_chinese_words(what: str, codes: set[str], words: dict[str, str]) -> None:
    assert codes, what  # the codes were found
    missing = sorted(str(c) for c in codes if c not in words)
    assert not missing, f"{what}: no words for {missing}"
    zh = chinese()
    for code in codes:
        english = words[code]
        assert not CJK.search(english), (what, code)
        assert english in zh, f"{what} {code}: no Chinese for {english!r}"
        assert CJK.search(zh[english]), (what, code, zh[english])
        assert sorted(PLACEHOLDER.findall(zh[english])) == sorted(PLACEHOLDER.findall(english)), (what, code)


def test_a_chinese_screen_says_every_code_in_chinese(glossary_chinese: None) -> None:
    """Through the functions the screens call, not the tables: a lookup in the wrong context fails."""
    from views.i18n import decision_text, escalation_target_text, level_text, permit_status_text, role_text
    from views.permit_words import grade_text, type_text
    from views.popup_controller import _grade_word
    from widgets.alarm_words import condition_text
    from widgets.value_tile import permit_label

    said = [
        *(role_text(r.value) for r in Role),
        *(level_text(lvl.value) for lvl in ApprovalLevel),
        *(escalation_target_text(x) for x in ("shift_lead", "safety_department", "senior_leader")),
        *(permit_status_text(s.value) for s in PermitStatus),
        *(decision_text(d.value) for d in ApprovalDecision),
        *(type_text(t) + permit_label(t.value) for t in PermitType),
        *(grade_text(g) + _grade_word(g.value) for g in HotWorkGrade),
        *(condition_text(c) for c in conditions() - {"HIHI", "HI", "LO", "LOLO", "SOS"}),
    ]
    for text in said:
        assert CJK.search(text), text
        assert not english_sentence(text), text


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_approval_matrix_words_decisions_and_the_green_channel_in_chinese(
    qtbot,
    request,
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    glossary_chinese: None,
) -> None:  # type: ignore[no-untyped-def]
    """A green-channel approval in the permit detail: 批准 and 经绿色通道：, no English around the reason."""
    from cockpit.demo_seed import DEMO_PASSWORD
    from cockpit.permit_service import PermitConfig, PermitService
    from models.records import HotWorkGrade as Grade
    from tests.cockpit import test_permit_service as permits
    from views.permit_detail_view import PermitDetailView

    if backend == "sqlite":
        db = permits.copy_of(permits.shared_template(tmp_path_factory), tmp_path)
    else:  # the seeded schema the permit service's PostgreSQL test shares
        db = permits.open_fresh(permits.shared_pg_url(request.getfixturevalue("pg_url")))
    try:
        svc = PermitService(db, keys=TEST_KEYS, clock=lambda: permits.NOW, config=PermitConfig())
        crew = permits.pick_crew(db)
        permits.file_permit(svc, db, crew, "HW-ZH-G", grade=Grade.GRADE_1, urgent=True)
        svc.approve(
            "HW-ZH-G",
            as_user(db, "lead.wang"),
            DEMO_PASSWORD,
            green_channel_reason="泄漏抢修",
            now=permits.NOW,
        )
        detail = svc.permit_detail("HW-ZH-G", permits.NOW)
    finally:
        db.dispose()
    view = PermitDetailView()
    qtbot.addWidget(view)
    view.show_detail(detail, permits.NOW)
    signed = [text for _, text in view.check_lines() if "泄漏抢修" in text]
    assert len(signed) == 1 and signed[0].startswith("批准："), signed
    assert "经绿色通道：泄漏抢修" in signed[0]
    assert "approve" not in signed[0] and "green channel" not in signed[0]
    assert detail.site_name and detail.site_name in view._facts.text()  # the site by name, not its code
    assert f"{detail.site}/{detail.area}" not in view._facts.text()


def test_every_marked_text_names_its_context_literally() -> None:
    """lupdate reads a literal context only: ``QT_TRANSLATE_NOOP(CONTEXT, ...)`` with a variable left the
    diagnostics screen's duty lines in English on a Chinese screen (seen at 1920x1080)."""
    found = []
    for folder in ("views", "widgets", "models"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "QT_TRANSLATE_NOOP":
                    context = node.args[0] if node.args else None
                    if not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
