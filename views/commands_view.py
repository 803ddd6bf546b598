"""Every stop and resume with its acknowledgements, and resume for shift leads.

A command's line reads left to right as it travelled: issued (auto or by whom, why) →
sent → received → executed, or timeout / rejected. Resume needs a shift lead and a
reason; when the rules refuse it (no fresh passing gas test …) the reasons are listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.plant_clock import PlantClock
from views.alarm_message_words import reason_words
from views.place_names import PlaceNames
from views.view_model import LiveState, ViewBase, area_names
from widgets import theme

if TYPE_CHECKING:
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from cockpit.stopwork import CommandView
    from models.queries import SiteInfo

COLUMNS = 8


class CommandsView(ViewBase):
    """The command log and the resume form."""

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo] | None = None,
        *,
        state: LiveState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._names = area_names(sites or [])
        self._places = PlaceNames(sites or [])
        self._clock = PlantClock.from_sites(sites or [])
        self._shown: tuple[object, ...] | None = None  # (commands, work states) the table shows
        self.table = QTableWidget(0, COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")

        self.resume_box = QGroupBox()
        self.resume_area = QComboBox()
        self.resume_reason = QLineEdit()
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self.resume)
        row = QHBoxLayout(self.resume_box)
        row.addWidget(self.resume_area, 1)
        row.addWidget(self.resume_reason, 2)
        row.addWidget(self.resume_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.resume_box)
        layout.addWidget(self.status)
        self.state.updated.connect(self.refresh)
        self.retranslate()

    def set_sites(self, sites: list[SiteInfo]) -> None:
        self._names = area_names(sites)
        self._places.set_sites(sites)
        self._clock = PlantClock.from_sites(sites)
        self._shown = None
        self.refresh()

    def _place(self, site: str, area: str) -> str:
        site_name, area_name = self._names.get((site, area), (site, area))
        return f"{site_name} / {area_name}"

    def refresh(self) -> None:
        board = self.state.board
        shown = (board.commands, board.work_states)
        if shown == self._shown:
            return  # each new board rebuilt the whole table, whether a command had changed or not
        self._shown = shown
        commands = sorted(board.commands, key=lambda c: c.issued_at, reverse=True)
        self.table.setRowCount(len(commands))
        for i, c in enumerate(commands):
            cells = (
                self._clock.format(c.issued_at, c.site, "datetime"),
                self.tr("STOP") if c.kind == "stop" else self.tr("RESUME"),
                self._place(c.site, c.area),
                self.tr("auto") if c.auto else self.tr("manual"),
                c.issued_by,
                self._delivery(c),
                ", ".join(c.permits),
                reason_words(c.reason, self._clock.zone(c.site), self._places),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 5 and c.state in ("timeout", "rejected"):
                    item.setBackground(QBrush(theme.priority_color(2 if c.state == "timeout" else 1)))
                    item.setForeground(QBrush(theme.priority_text_color(2 if c.state == "timeout" else 1)))
                self.table.setItem(i, j, item)
        self.empty.setVisible(not commands)
        # Areas whose last command stopped them: the ones that can be resumed.
        stopped = sorted(k for k, v in board.work_states.items() if v.state == "stopped")
        current = self.resume_area.currentData()
        self.resume_area.clear()
        for site, area in stopped:
            self.resume_area.addItem(self._place(site, area), f"{site}/{area}")
        index = self.resume_area.findData(current)
        self.resume_area.setCurrentIndex(index if index >= 0 else (0 if stopped else -1))
        allowed = self.guard(self.resume_button, "resume_work")
        self.resume_button.setEnabled(allowed and bool(stopped))
        self.resume_reason.setEnabled(allowed)
        self.resume_area.setEnabled(allowed)

    def _delivery(self, c: CommandView) -> str:
        """sent → received → executed, each with its time and who answered."""
        steps = [self.tr("sent") if c.published else self.tr("not sent")]
        for status, by, ts in c.acks:
            when = self._clock.format(ts, c.site, "time")
            steps.append(f"{self._status_word(status)} {when}" + (f" ({by})" if by else ""))
        if c.state in ("timeout",):
            steps.append(self._status_word("timeout"))
        return " → ".join(steps)

    def _status_word(self, status: str) -> str:
        words = {
            "received": self.tr("received"),
            "executed": self.tr("executed"),
            "rejected": self.tr("REJECTED"),
            "timeout": self.tr("NOT EXECUTED IN TIME"),
        }
        return words.get(status, status)

    def resume(self) -> None:
        where = self.resume_area.currentData()
        reason = self.resume_reason.text().strip()
        if where is None:
            self.say(self.tr("No area is stopped."), problem=True)
            return
        if not reason:
            self.say(self.tr("Give a reason to resume work."), problem=True)
            self.resume_reason.setFocus()
            return
        site, area = str(where).split("/", 1)

        def done(view: CommandView) -> None:
            self.resume_reason.clear()
            self.say(self.tr("Resume-work command sent to %1.").replace("%1", self._place(site, area)))
            self.state.refresh()

        self.state.when_done(self.core.resume_work(self.actor, site, area, reason), done, self.show_error)

    def rows(self) -> list[list[str]]:
        columns = range(self.table.columnCount())
        return [
            [item.text() if (item := self.table.item(r, c)) is not None else "" for c in columns]
            for r in range(self.table.rowCount())
        ]

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Issued") + f" ({self._clock.zone_mark()})",
                self.tr("Command"),
                self.tr("Site / area"),
                self.tr("Auto/manual"),
                self.tr("Who"),
                self.tr("Delivery"),
                self.tr("Permits"),
                self.tr("Reason"),
            ]
        )
        self.empty.setText(self.tr("No stop or resume commands in the last two days."))
        self.resume_box.setTitle(self.tr("Resume work (shift lead)"))
        self.resume_reason.setPlaceholderText(self.tr("Reason for resuming (required)"))
        self.resume_button.setText(self.tr("Resume work"))
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self._shown = None  # the cells' words again, in the new language
        self.refresh()
