"""The alarm list (annunciated, shelved and out-of-service alarms) and the journal of past alarms.

Acknowledge takes an optional note; shelve needs a reason and a duration (the form refuses an
empty reason before the service would); locate asks the shell to turn the map and the trends
to the alarm's area; clear is for man-down and the like, which only a person who checked may
end. The journal is searched through ``JournalSearch`` (cockpit/journal_search.py) on the view's
worker thread (``OffGui``), newest first, with a LIMIT.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.journal_search import JOURNAL_LIMIT, JournalFilter, JournalLine, JournalSearch
from models.plant_clock import PlantClock
from views.alarm_message_words import message_text, note_text
from views.near_miss_view import NearMissPrefill
from views.offgui import OffGui
from views.place_names import PlaceNames
from views.source_words import source_text
from views.view_model import Coalescer, LiveState, ViewBase, alarm_row, is_person_cleared
from views.worker_names import WorkerNames
from widgets.alarm_table import AlarmTable, alarm_state_text
from widgets.alarm_words import condition_text

if TYPE_CHECKING:
    from cockpit.live import CoreBridge
    from cockpit.plant_reads import PlantReads
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from models.queries import SiteInfo

__all__ = ["AlarmView"]


def _utc(moment: QDateTime) -> datetime:
    value = moment.toPython()
    assert isinstance(value, datetime)  # a QDateTime converts to a datetime; the stub says object
    return value.astimezone(UTC)


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


class AlarmView(ViewBase):
    """Alarm list and journal. Signal ``locate_requested(site, area)``."""

    locate_requested = Signal(str, str)

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        sites: list[SiteInfo] | None = None,
        *,
        state: LiveState | None = None,
        journal: JournalSearch,
        plant: PlantReads | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self._record_near_miss: Callable[[NearMissPrefill], object] | None = None  # set_near_miss_recorder
        self._sites = list(sites or [])
        self._clock = PlantClock.from_sites(self._sites)
        self._names = PlaceNames(self._sites)
        self._workers = WorkerNames(plant.worker_names if plant is not None else None, self)
        self._workers.changed.connect(self._names_came)
        self._search = journal
        self._offgui = OffGui(self, name="alarm-journal")
        self._journal: list[JournalLine] | None = None  # the last search's lines, shown again on a switch
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_live(core.config.alarms.shelve_max_h), "")
        self.tabs.addTab(self._build_journal(), "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        # From each new board, but at most four times a second in a burst (an alarm flood), and
        # not while hidden (caught up when shown).
        self._soon = Coalescer(self.refresh, 250, self, widget=self)
        self.state.updated.connect(self._soon.request)
        self.retranslate()
        self.refresh()

    def _build_live(self, shelve_max_h: float) -> QWidget:
        """The live list's tab: the table, the acknowledge row and the shelve box."""
        self.table = AlarmTable()
        self.table.alarm_model().set_clock(self._clock)
        self.table.alarm_model().message_words = lambda m: message_text(m, self._clock.zone(), self._names)
        self.table.alarm_model().place_words = self._names.where
        self.table.alarm_model().source_words = self._source_text
        self.table.acknowledge_requested.connect(self.acknowledge)
        self.shelve_reason = QLineEdit()
        self.table.shelve_requested.connect(lambda _id: self.shelve_reason.setFocus())
        self.table.locate_requested.connect(self.locate)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._refresh_buttons())
        self.note = QLineEdit()
        self.ack_button = QPushButton()
        self.ack_button.clicked.connect(self._ack_clicked)
        self.locate_button = QPushButton()
        self.locate_button.clicked.connect(self._locate_clicked)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_event)
        self.near_miss_button = QPushButton()
        self.near_miss_button.clicked.connect(self._near_miss_clicked)
        self.near_miss_button.setVisible(False)
        self.table.near_miss_requested.connect(self.record_near_miss)
        self.shelve_minutes = QSpinBox()
        self.shelve_minutes.setRange(1, int(shelve_max_h * 60))
        self.shelve_minutes.setValue(min(60, self.shelve_minutes.maximum()))
        self.shelve_button = QPushButton()
        self.shelve_button.clicked.connect(self.shelve)
        self.unshelve_button = QPushButton()
        self.unshelve_button.clicked.connect(self.unshelve)
        self.shelve_box = QGroupBox()
        shelve_l = QHBoxLayout(self.shelve_box)
        shelve_l.addWidget(self.shelve_reason, 3)
        shelve_l.addWidget(self.shelve_minutes)
        shelve_l.addWidget(self.shelve_button)
        shelve_l.addWidget(self.unshelve_button)
        actions = QHBoxLayout()
        actions.addWidget(self.note, 2)
        actions.addWidget(self.ack_button)
        actions.addWidget(self.locate_button)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.near_miss_button)
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")
        live = QWidget()
        live_l = QVBoxLayout(live)
        live_l.addWidget(self.table, 1)
        live_l.addWidget(self.empty)
        live_l.addLayout(actions)
        live_l.addWidget(self.shelve_box)
        return live

    def _build_journal(self) -> QWidget:
        """The journal's tab: the filter form, the text search and the result table."""
        now = QDateTime.currentDateTime()
        self.j_from = QDateTimeEdit(now.addSecs(-24 * 3600))
        self.j_to = QDateTimeEdit(now.addSecs(3600))
        for edit in (self.j_from, self.j_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.j_site = QComboBox()
        self.j_site.currentIndexChanged.connect(self._fill_areas)
        self.j_area = QComboBox()
        self.j_priority = QComboBox()
        self.j_text = QLineEdit()
        self.j_text.returnPressed.connect(self.search_journal)
        self.j_search = QPushButton()
        self.j_search.clicked.connect(self.search_journal)
        self.j_table = QTableWidget(0, 9)
        self.j_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.j_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.j_table.verticalHeader().setVisible(False)
        self.j_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.j_table.horizontalHeader().setStretchLastSection(True)
        self.j_count = QLabel()
        self.j_count.setProperty("role", "muted")
        self._form = QFormLayout()
        self._form_labels = [QLabel() for _ in range(5)]
        for label, field_ in zip(
            self._form_labels,
            (self.j_from, self.j_to, self.j_site, self.j_area, self.j_priority),
            strict=True,
        ):
            self._form.addRow(label, field_)
        filters = QHBoxLayout()
        filters.addLayout(self._form)
        text_col = QVBoxLayout()
        text_col.addWidget(self.j_text)
        text_col.addWidget(self.j_search)
        text_col.addWidget(self.j_count)
        text_col.addStretch(1)
        filters.addLayout(text_col, 1)
        journal = QWidget()
        journal_l = QVBoxLayout(journal)
        journal_l.addLayout(filters)
        journal_l.addWidget(self.j_table, 1)
        return journal

    # ---- the live list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        alarms = self.state.board.alarms
        self._workers.want_sources(a.source for a in alarms)
        self.table.set_rows([alarm_row(a) for a in alarms])
        self.empty.setVisible(not alarms)
        self._refresh_buttons()

    def _selected(self) -> list[str]:
        return self.table.selected_ids()

    def _refresh_buttons(self) -> None:
        ids = self._selected()
        has = bool(ids)
        for button, action in (
            (self.ack_button, "acknowledge"),
            (self.shelve_button, "shelve"),
            (self.unshelve_button, "shelve"),
            (self.clear_button, "clear_event"),
        ):
            if self.guard(button, action):
                button.setEnabled(has)
        self.note.setEnabled(self.actor.may("acknowledge"))
        self.shelve_reason.setEnabled(self.actor.may("shelve"))
        self.shelve_minutes.setEnabled(self.actor.may("shelve"))
        self.locate_button.setEnabled(has)
        self.near_miss_button.setEnabled(has)
        if self.actor.may("clear_event"):
            person = [a for a in (self.state.alarm(i) for i in ids) if a is not None and is_person_cleared(a)]
            self.clear_button.setEnabled(bool(person))
            self.clear_button.setToolTip("" if person else self.tr("Only for man-down, fall, SOS, no motion"))
        if self.actor.may("shelve"):
            shelved = [
                a for a in (self.state.alarm(i) for i in ids) if a is not None and a.state.value == "shelved"
            ]
            self.unshelve_button.setEnabled(bool(shelved))

    def select_alarm(self, alarm_id: str) -> bool:
        row = self.table.alarm_model().row_of(alarm_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def _ack_clicked(self) -> None:
        self.acknowledge()

    def _locate_clicked(self) -> None:
        self.locate()

    def acknowledge(self, ids: list[str] | None = None) -> None:
        ids = ids if ids is not None else self._selected()
        if not ids:
            return
        note = self.note.text().strip()

        def done(n: int) -> None:
            self.note.clear()
            self.say(self.tr("%1 alarm(s) acknowledged.").replace("%1", str(n)))
            self.state.refresh()

        self.state.when_done(self.core.acknowledge(self.actor, ids, note), done, self.show_error)

    def shelve(self) -> None:
        ids = self._selected()
        if not ids:
            return
        reason = self.shelve_reason.text().strip()
        if not reason:
            self.say(self.tr("Shelving needs a reason: say why this alarm may be hidden."), problem=True)
            self.shelve_reason.setFocus()
            return
        minutes = self.shelve_minutes.value()
        pending = len(ids)
        shelved = 0

        def done(n: int) -> None:
            nonlocal pending, shelved
            pending -= 1
            shelved += n
            if pending == 0:
                self.shelve_reason.clear()
                self.say(
                    self.tr("%1 alarm(s) shelved for %2 min.")
                    .replace("%1", str(shelved))
                    .replace("%2", str(minutes))
                )
                self.state.refresh()

        for alarm_id in ids:
            self.state.when_done(
                self.core.shelve(self.actor, alarm_id, reason, minutes), done, self.show_error
            )

    def unshelve(self) -> None:
        for alarm_id in self._selected():
            self.state.when_done(
                self.core.unshelve(self.actor, alarm_id), lambda n: self.state.refresh(), self.show_error
            )

    def clear_event(self) -> None:
        """Man-down and the like end only when a person confirms it (the note says who checked)."""
        note = self.note.text().strip()
        for alarm_id in self._selected():
            alarm = self.state.alarm(alarm_id)
            if alarm is None or not is_person_cleared(alarm):
                continue

            def done(n: int) -> None:
                self.say(self.tr("Event cleared."))
                self.state.refresh()

            self.state.when_done(self.core.clear_event(self.actor, alarm_id, note), done, self.show_error)

    def locate(self, alarm_id: str | None = None) -> None:
        alarm_id = alarm_id or next(iter(self._selected()), None)
        alarm = self.state.alarm(alarm_id) if alarm_id else None
        if alarm is not None:
            self.locate_requested.emit(alarm.site, alarm.area)

    def set_near_miss_recorder(self, record: Callable[[NearMissPrefill], object]) -> None:
        """Offer "Record near miss…" (button and menu): ``record`` opens the dialog, prefilled."""
        self._record_near_miss = record
        self.near_miss_button.setVisible(True)
        self.table.near_miss_offered = True

    def _near_miss_clicked(self) -> None:
        self.record_near_miss()

    def record_near_miss(self, alarm_id: str | None = None) -> None:
        """Open the near-miss dialog with the alarm's site, area, permit and id filled in."""
        alarm_id = alarm_id or next(iter(self._selected()), None)
        alarm = self.state.alarm(alarm_id) if alarm_id else None
        if alarm is not None and self._record_near_miss is not None:
            self._record_near_miss(
                NearMissPrefill(alarm.site, alarm.area, alarm.permit or "", alarm.alarm_id)
            )

    # ---- the journal --------------------------------------------------------------------------------
    def set_sites(self, sites: list[SiteInfo]) -> None:
        self._sites = list(sites)
        self._names.set_sites(self._sites)
        self._clock = PlantClock.from_sites(self._sites)
        self.table.alarm_model().set_clock(self._clock)
        self._fill_sites()

    def _fill_sites(self) -> None:
        current = self.j_site.currentData()
        self.j_site.blockSignals(True)
        self.j_site.clear()
        self.j_site.addItem(self.tr("All sites"), "")
        for s in self._sites:
            self.j_site.addItem(s.name, s.site_id)
        self.j_site.setCurrentIndex(max(0, self.j_site.findData(current)))
        self.j_site.blockSignals(False)
        self._fill_areas()

    def _fill_areas(self, *_: object) -> None:
        site_id = self.j_site.currentData()
        self.j_area.clear()
        self.j_area.addItem(self.tr("All areas"), "")
        for s in self._sites:
            if s.site_id == site_id:
                for a in s.areas:
                    self.j_area.addItem(a.name, a.area_id)

    def journal_filter(self) -> JournalFilter:
        start = _utc(self.j_from.dateTime())
        end = _utc(self.j_to.dateTime())
        return JournalFilter(
            start=start,
            end=end,
            site=self.j_site.currentData() or "",
            area=self.j_area.currentData() or "",
            priority=self.j_priority.currentData() or None,
            text=self.j_text.text().strip(),
        )

    def search_journal(self, f: JournalFilter | None = None) -> None:
        f = f if isinstance(f, JournalFilter) else self.journal_filter()
        if f.end <= f.start:
            self.say(self.tr("The journal's end time must be after its start time."), problem=True)
            return
        self.j_search.setEnabled(False)
        search = self._search
        self._offgui.run(lambda: search.search(f), self._show_journal, self._journal_failed)

    def _journal_failed(self, exc: BaseException) -> None:
        self.j_search.setEnabled(True)
        self.show_error(exc)

    def _show_journal(self, lines: list[JournalLine]) -> None:
        self.j_search.setEnabled(True)
        self._journal = lines
        self._fill_journal(lines)

    def _source_text(self, source: str) -> str:
        return source_text(source, self._names, self._workers.name)

    def _names_came(self) -> None:
        """Workers' names read: the live list and the journal name them."""
        self.table.texts_changed()  # fitted again: a name is wider than the id it replaces
        if self._journal is not None:
            self._fill_journal(self._journal)

    def _fill_journal(self, lines: list[JournalLine]) -> None:
        self._workers.want_sources(line.source for line in lines)
        self.j_table.setRowCount(len(lines))
        for i, line in enumerate(lines):
            value = "" if line.value is None else f"{line.value:g} {line.unit}".strip()
            cells = (
                self._clock.format(line.ts, line.site, "datetime"),
                f"P{line.priority}",
                self._names.where(line.site, line.area),
                self._source_text(line.source),
                condition_text(line.condition),
                " → ".join(alarm_state_text(s) for s in (line.from_state, line.to_state) if s),
                value,
                line.who,
                note_text(line.note, self._clock.zone(line.site), self._names),
            )
            for j, text in enumerate(cells):
                self.j_table.setItem(i, j, QTableWidgetItem(text))
        more = self.tr(" (the newest %1; narrow the filter)").replace("%1", str(JOURNAL_LIMIT))
        self.j_count.setText(
            self.tr("%1 entries").replace("%1", str(len(lines)))
            + (more if len(lines) >= JOURNAL_LIMIT else "")
        )

    def journal_rows(self) -> list[list[str]]:
        return [
            [_text(self.j_table.item(r, c)) for c in range(self.j_table.columnCount())]
            for r in range(self.j_table.rowCount())
        ]

    # ---- texts ----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Active alarms"))
        self.tabs.setTabText(1, self.tr("Journal"))
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.ack_button.setText(self.tr("Acknowledge (Space)"))
        self.locate_button.setText(self.tr("Locate (F7)"))
        self.clear_button.setText(self.tr("Clear event (person checked)"))
        self.near_miss_button.setText(self.tr("Record near miss…"))
        self.shelve_box.setTitle(self.tr("Shelve the selected alarm"))
        self.shelve_reason.setPlaceholderText(self.tr("Reason (required)"))
        self.shelve_minutes.setSuffix(self.tr(" min"))
        self.shelve_button.setText(self.tr("Shelve"))
        self.unshelve_button.setText(self.tr("Unshelve"))
        self.empty.setText(self.tr("No active alarms."))
        for label, text in zip(
            self._form_labels,
            (self.tr("From"), self.tr("To"), self.tr("Site"), self.tr("Area"), self.tr("Priority")),
            strict=True,
        ):
            label.setText(text)
        self.j_text.setPlaceholderText(self.tr("Text in source, condition, note or who"))
        self.j_search.setText(self.tr("Search"))
        current = self.j_priority.currentData()
        self.j_priority.clear()
        self.j_priority.addItem(self.tr("All priorities"), 0)
        for p in (1, 2, 3, 4):
            self.j_priority.addItem(self.tr("Priority %1").replace("%1", str(p)), p)
        self.j_priority.setCurrentIndex(max(0, self.j_priority.findData(current)))
        self.j_table.setHorizontalHeaderLabels(
            [
                self.tr("Time") + f" ({self._clock.zone_mark()})",
                self.tr("P"),
                self.tr("Site / area"),
                self.tr("Source"),
                self.tr("Condition"),
                self.tr("Change"),
                self.tr("Value"),
                self.tr("Who"),
                self.tr("Note"),
            ]
        )
        self._fill_sites()
        if self._journal is not None:
            self._fill_journal(self._journal)
