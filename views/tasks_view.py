"""The task lane: paperwork that waits past its time, apart from the alarms (docs/ALARMS.md).

An approval past its deadline asks someone to decide a permit, not an operator to act on the
plant within minutes: it is a task, never an alarm, so it neither sounds, nor counts towards an
alarm flood, nor enters the EEMUA figures. This screen lists those tasks with their count, in
the plant's time, and is loaded off the GUI thread like every permit screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cockpit.permit_service import PermitService, QueueItem
from views.error_words import error_text
from views.i18n import escalation_target_text
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_countdown, fmt_local, make_table
from views.permit_words import grade_text, type_text
from views.view_model import Retranslated
from widgets import theme

__all__ = ["TasksView"]


class TasksView(Retranslated):
    """Approvals waiting past their deadline, longest overdue first. Signal ``tasks_loaded(count)``."""

    tasks_loaded = Signal(int)

    def __init__(
        self,
        service: PermitService,
        *,
        clock: Callable[[], datetime] | None = None,
        refresh_ms: int = 30_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="tasks")
        self._tasks: list[QueueItem] | None = None
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        self.table = make_table([""] * 6)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        now = self._clock()
        self._offgui.run(lambda: self._service.approval_queue(now), self._on_queue, self._on_error)

    def tasks(self) -> list[QueueItem]:
        return list(self._tasks or [])

    def _on_queue(self, items: list[QueueItem]) -> None:
        tasks = [i for i in items if i.escalation is not None and not i.sent_back]
        tasks.sort(key=lambda i: i.deadline)
        self._tasks = tasks
        self.status.setText("")
        self._fill(tasks)
        self.tasks_loaded.emit(len(tasks))

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    def _fill(self, tasks: list[QueueItem]) -> None:
        self.title.setText(
            self.tr("Tasks (%1): paperwork waiting past its time").replace("%1", str(len(tasks)))
        )
        self.table.setRowCount(len(tasks))
        now = self._clock()
        for row, item in enumerate(tasks):
            esc = item.escalation
            assert esc is not None  # only escalated items are tasks
            self.table.setItem(row, 0, cell(item.permit_id, item.permit_id))
            self.table.setItem(
                row, 1, cell(f"{type_text(item.type)} {grade_text(item.effective_grade)}".strip())
            )
            self.table.setItem(row, 2, cell(item.area_name))
            self.table.setItem(row, 3, cell(fmt_local(item.deadline, item.timezone, "stamp")))
            self.table.setItem(row, 4, cell(fmt_countdown(now - item.deadline)))
            self.table.setItem(row, 5, cell(escalation_target_text(esc.escalated_to)))
        fill_done(self.table)

    def retranslate(self) -> None:
        self.note.setText(
            self.tr(
                "Approvals past their deadline go up the escalation chain. They are tasks, not alarms: "
                "they do not sound and are not counted in the alarm figures. Decide them in Permit approval."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Permit"),
                self.tr("Type"),
                self.tr("Area"),
                self.tr("Approval deadline"),
                self.tr("Overdue by"),
                self.tr("Escalated to"),
            ]
        )
        if self._tasks is not None:
            self._fill(self._tasks)
        else:
            self.title.setText(self.tr("Tasks"))
