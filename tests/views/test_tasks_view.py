"""The task lane (docs/ALARMS.md): approvals past their deadline listed with their count, apart from
the alarms, in both languages."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.permit_service import PermitService
from tests.views.test_permit_views import Clock, clock, db, svc  # noqa: F401  (fixtures)
from views.i18n import Language
from views.tasks_view import TasksView


def test_the_task_lane_lists_every_escalated_approval_with_its_count(
    qtbot: QtBot,
    svc: PermitService,  # noqa: F811
    clock: Clock,  # noqa: F811
) -> None:
    escalated = {i.permit_id for i in svc.approval_queue(clock()) if i.escalation and not i.sent_back}
    assert escalated  # the demo plant has approvals waiting past their deadline
    view = TasksView(svc, clock=clock)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.tasks_loaded, timeout=5000) as blocker:
        view.refresh()
    assert blocker.args == [len(escalated)]
    shown = {view.table.item(r, 0).text() for r in range(view.table.rowCount())}
    assert shown == escalated
    assert view.title.text().startswith(f"Tasks ({len(escalated)})")
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: view.title.text().startswith(f"待办事项（{len(escalated)}）"), timeout=2000)
        assert view.table.horizontalHeaderItem(3).text() == "审批期限"
    finally:
        language.set("en")
