"""LOCAL ONLY (not committed): screenshots of the touched screens in both languages at 1920x1080."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.views.test_finding_words import GlossaryTranslator, chinese

OUT = Path("/tmp/codes_shots")


def test_shots(qtbot: QtBot, qapp, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cockpit.permit_service import PermitService
    from tests.cockpit.test_permit_service import NOW, copy_of, hot_work_request, pick_crew, shared_template
    from views.active_permits_view import ActivePermitsView
    from views.approval_view import ApprovalView
    from views.i18n import Language

    db = copy_of(shared_template(tmp_path_factory), tmp_path)
    svc = PermitService(db, clock=lambda: NOW, wind=lambda site, area: 11.0)
    svc.create_from_request(hot_work_request(pick_crew(db), "HW-ZH-1"), NOW)
    approval = ApprovalView(svc, username="lead.wang", clock=lambda: NOW, refresh_ms=0)
    qtbot.addWidget(approval)
    approval.resize(1920, 1080)
    approval.show()
    qtbot.waitUntil(lambda: approval.table.rowCount() > 0, timeout=5000)
    row = next(r for r in range(approval.table.rowCount()) if approval.table.item(r, 1).text() == "HW-ZH-1")
    with qtbot.waitSignal(approval.detail_loaded, timeout=5000):
        approval.table.selectRow(row)
    active = ActivePermitsView(svc, username="op.li", clock=lambda: NOW, refresh_ms=0)
    qtbot.addWidget(active)
    active.resize(1920, 1080)
    active.show()
    qtbot.waitUntil(lambda: active.table.rowCount() > 0, timeout=5000)
    qtbot.wait(300)
    approval.grab().save(str(OUT / "approval_en.png"))
    active.grab().save(str(OUT / "active_en.png"))
    (OUT / "detail_en.txt").write_text("\n".join(t for _, t in approval.detail_view.check_lines()))
    language = Language(qapp)
    language.set("zh_CN")
    glossary = GlossaryTranslator(chinese())
    qapp.installTranslator(glossary)
    try:
        qtbot.wait(800)
        approval.grab().save(str(OUT / "approval_zh.png"))
        active.grab().save(str(OUT / "active_zh.png"))
        (OUT / "detail_zh.txt").write_text("\n".join(t for _, t in approval.detail_view.check_lines()))
    finally:
        qapp.removeTranslator(glossary)
        language.set("en")
    approval.wait_idle()
    active.wait_idle()
    db.dispose()
