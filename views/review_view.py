"""The safety manager's green-channel reviews (issue 17, part 4): the queue, and accept or a finding.

Loaded off the GUI thread; the service checks the acting user again on every verdict. Times are the
plant's; approval levels are translated here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from cockpit.permit_service import PermitService
from cockpit.permits.review import GreenChannelItem
from cockpit.sessions import LoginSession
from models.rules.finding_texts import FINDING_TEXTS
from views.error_words import error_text
from views.finding_words import coded_text
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_local, make_table
from views.permit_words import grade_text, type_text
from views.view_model import Retranslated
from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

__all__ = ["ReviewView"]

_LEVELS = {
    "operating_unit": QT_TRANSLATE_NOOP("ReviewView", "operating unit"),
    "safety_department": QT_TRANSLATE_NOOP("ReviewView", "safety department"),
    "senior_leader": QT_TRANSLATE_NOOP("ReviewView", "senior leader"),
}


class ReviewView(Retranslated):
    """Green-channel approvals waiting for review, overdue first. Signal ``reviews_loaded(count)``."""

    reviews_loaded = Signal(int)

    def __init__(
        self,
        service: PermitService,
        *,
        session: LoginSession,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._session = session  # the login: the service judges it on every read and verdict
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="reviews")
        self.items: list[GreenChannelItem] | None = None
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setProperty("role", "muted")
        self.table = make_table([""] * 9)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        self.accept = QPushButton()
        self.finding = QPushButton()
        self.accept.clicked.connect(lambda: self._verdict(finding=False))
        self.finding.clicked.connect(lambda: self._verdict(finding=True))
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept)
        buttons.addWidget(self.finding)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.explain):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        now = self._clock()
        self._offgui.run(
            lambda: self._service.green_channel_queue(self._session, now), self._on_items, self._on_error
        )

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the loads and verdicts asked for so far are done."""
        return self._offgui.wait(ms)

    def _on_items(self, items: list[GreenChannelItem]) -> None:
        self.items = items
        self._fill(items)
        self.reviews_loaded.emit(len(items))

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    def _verdict(self, *, finding: bool) -> None:
        row = self.table.currentRow()
        if self.items is None or not 0 <= row < len(self.items):
            self.status.setText(self.tr("Choose an approval in the list first."))
            return
        permit_id, note, now = self.items[row].permit_id, self.note.toPlainText(), self._clock()

        def done(_: None) -> None:
            self.note.clear()
            word = self.tr("Finding recorded") if finding else self.tr("Accepted")
            self.status.setText(f"{word}: {permit_id}")
            self.refresh()

        self._offgui.run(
            lambda: self._service.review_green_channel(
                permit_id, self._session, note, finding=finding, now=now
            ),
            done,
            self._on_error,
        )

    def _fill(self, items: list[GreenChannelItem]) -> None:
        overdue = sum(1 for i in items if i.overdue)
        self.title.setText(
            self.tr("Green-channel reviews (%1, %2 overdue)")
            .replace("%1", str(len(items)))
            .replace("%2", str(overdue))
        )
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            due = item.review_due.isoformat()  # a plant day already
            values = [
                item.permit_id,
                f"{type_text(item.type)} {grade_text(item.grade)}".strip(),
                item.area_name,
                item.approver,
                fmt_local(item.approved_at, item.timezone, "stamp"),
                item.reason,
                ", ".join(self.tr(_LEVELS.get(x, x)) for x in item.skipped) or self.tr("none"),
                self._due_text(due, item.overdue_days),
                self._noted_text(item),
            ]
            cells = [cell(value) for value in values]
            cells[8].setToolTip(values[8])  # the warnings may run past the screen's edge
            if item.overdue:
                cells[7].setForeground(QBrush(theme.color("alarm_p1")))
            for column, c in enumerate(cells):
                self.table.setItem(row, column, c)
        fill_done(self.table)

    def _noted_text(self, item: GreenChannelItem) -> str:
        """The rules' warnings noted at approval, in the current language; an older approval keeps
        only their codes, shown as they are, and one without a record says so."""
        if item.noted is None:
            return ", ".join(item.warnings) or self.tr("not recorded")
        return self.tr("; ").join(
            (coded_text(key, params, item.timezone) if key in FINDING_TEXTS else "") or message
            for key, params, message in item.noted
        ) or self.tr("none")

    def _due_text(self, due: str, days: int) -> str:
        """The due day; "overdue" the day after it, and by how many plant days after that."""
        if days > 1:
            return self.tr("%1, overdue by %2 days").replace("%1", due).replace("%2", str(days))
        return self.tr("%1, overdue").replace("%1", due) if days == 1 else due

    def retranslate(self) -> None:
        self.explain.setText(
            self.tr(
                "Urgent permits approved on the green channel carried the shift lead's signature for "
                "other levels. Look at each the next day: accept it, or record a finding. Both need a note. "
                "The green channel skipped only those signatures: the gas test, certificates, conflicts "
                "and every other blocking rule were checked as for any permit."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Permit"),
                self.tr("Type"),
                self.tr("Area"),
                self.tr("Approved by"),
                self.tr("Approved at"),
                self.tr("Reason"),
                self.tr("Signatures it stood for"),
                self.tr("Review by"),  # not "Review due": that is a certificate's re-examination (复审)
                self.tr("Warnings noted at approval"),
            ]
        )
        self.note.setPlaceholderText(self.tr("Review note (what you looked at, or what you found)"))
        self.accept.setText(self.tr("Accept"))
        self.finding.setText(self.tr("Record a finding"))
        if self.items is not None:
            self._fill(self.items)
        else:
            self.title.setText(self.tr("Green-channel reviews"))
