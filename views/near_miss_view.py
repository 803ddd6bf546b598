"""Near misses (issue 21 part 2): the month's list, in the plant's time, narrowed by site, category and
where it came from (the control room or the field), and the dialog that records one: on its own from
this screen ("Record…"), or from an alarm (the alarm list's "Record near miss…", site, area, permit and
alarm filled in). The service checks the login's session and says why it refuses, in the screen's
language; reads and the record run off the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QEventLoop,
    QObject,
    QTime,
    QTimeZone,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.near_misses import CATEGORIES, NearMissEntry, NearMissService, NearMissView
from cockpit.sessions import LoginSession
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from views import near_miss_words as words
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, fmt_local, heading_floor, make_table, wrap_headings
from views.place_names import PlaceNames
from views.source_words import alarm_text
from views.view_model import Retranslated
from widgets import theme

__all__ = ["NearMissDialog", "NearMissPrefill", "NearMissesView"]

MONTHS_BACK = 12
_WRAPPING = (1, 2, 3, 4, 6, 7)  # the list's columns whose text wraps well (_fit)
_NARROWEST = 48  # pixels a wrapping column keeps at least


@dataclass(frozen=True)
class NearMissPrefill:
    """What the dialog starts with: from an alarm, its place, permit and id."""

    site: str = ""
    area: str = ""
    permit: str = ""
    alarm_id: str = ""


def settled(offgui: OffGui, ms: int) -> bool:
    """Tests: run the GUI's events until every call ``offgui`` started has delivered its answer."""
    deadline = time.monotonic() + ms / 1000
    while offgui.busy and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return not offgui.busy


def _months(now_local: datetime) -> list[str]:
    out, year, month = [], now_local.year, now_local.month
    for _ in range(MONTHS_BACK):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


class NearMissDialog(QDialog):
    """Record one near miss (non-modal: shown with show()). Signal ``recorded(int)`` with the new id."""

    recorded = Signal(int)

    def __init__(
        self,
        service: NearMissService,
        session: LoginSession,
        sites: list[SiteInfo],
        prefill: NearMissPrefill | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self._session, self._sites = service, session, list(sites)
        self._plant = PlantClock.from_sites(self._sites)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="near-miss-record")
        prefill = prefill or NearMissPrefill()
        self.alarm_id = prefill.alarm_id
        self.site = QComboBox()
        for s in self._sites:
            self.site.addItem(s.name, s.site_id)
        self.site.currentIndexChanged.connect(self._fill_areas)
        self.area = QComboBox()
        self.permit = QLineEdit(prefill.permit)
        self.alarm = QLabel(alarm_text(prefill.alarm_id, PlaceNames(self._sites)))  # words, not its id
        self.alarm.setToolTip(prefill.alarm_id)
        self.alarm.setWordWrap(True)
        self.category = QComboBox()
        self.occurred = QDateTimeEdit()
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred.setTimeZone(QTimeZone.utc())  # carries the plant's wall time, never shifted
        self.zone = QLabel()
        self.description = QPlainTextEdit()
        self.description.setMinimumHeight(self.fontMetrics().height() * 5)
        when = QWidget()
        when_l = QHBoxLayout(when)
        when_l.setContentsMargins(0, 0, 0, 0)
        when_l.addWidget(self.occurred, 1)
        when_l.addWidget(self.zone)
        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(7)]
        rows: tuple[QWidget, ...] = (
            self.site,
            self.area,
            self.permit,
            self.alarm,
            self.category,
            when,
            self.description,
        )
        for label, row in zip(self._labels, rows, strict=True):
            self.form.addRow(label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(self._buttons())
        self.site.setCurrentIndex(max(0, self.site.findData(prefill.site)))
        self._fill_areas()
        self.area.setCurrentIndex(max(0, self.area.findData(prefill.area)))
        self.set_occurred(self._clock())
        self.retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def _buttons(self) -> QHBoxLayout:
        """The refusal's line, Record and Cancel."""
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save = QPushButton()
        self.save.setDefault(True)
        self.save.clicked.connect(self.submit)
        self.cancel = QPushButton()
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save)
        buttons.addWidget(self.cancel)
        return buttons

    def _zone(self) -> str:
        return self._plant.zone(str(self.site.currentData() or ""))

    def _fill_areas(self, *_: object) -> None:
        current = self.area.currentData()
        self.area.clear()
        self.area.addItem(self.tr("— no particular area —"), "")
        for s in self._sites:
            if s.site_id == self.site.currentData():
                for a in s.areas:
                    self.area.addItem(a.name, a.area_id)
        self.area.setCurrentIndex(max(0, self.area.findData(current)))
        self.zone.setText(self._plant.zone_mark(str(self.site.currentData() or "")))

    def set_occurred(self, moment: datetime) -> None:
        """Show ``moment`` as the plant's wall time (the edit carries it in a UTC QDateTime, so the
        machine's own zone never shifts it)."""
        local = moment.astimezone(ZoneInfo(self._zone()))
        at = QDateTime(
            QDate(local.year, local.month, local.day), QTime(local.hour, local.minute), QTimeZone.utc()
        )
        self.occurred.setDateTime(at)

    def occurred_at(self) -> datetime:
        """The edit's wall time, read in the plant's zone."""
        at = self.occurred.dateTime()
        day, clock = at.date(), at.time()
        naive = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        return naive.replace(tzinfo=ZoneInfo(self._zone())).astimezone(UTC)

    def entry(self) -> NearMissEntry:
        return NearMissEntry(
            occurred_at=self.occurred_at(),
            site=str(self.site.currentData() or ""),
            category=str(self.category.currentData() or ""),
            description=self.description.toPlainText(),
            area=str(self.area.currentData() or "") or None,
            permit=self.permit.text().strip() or None,
            alarm_id=self.alarm_id or None,
        )

    def submit(self) -> None:
        entry, session = self.entry(), self._session
        self.save.setEnabled(False)

        def done(new_id: int) -> None:
            self.save.setEnabled(True)
            self.recorded.emit(new_id)
            self.accept()

        def refused(exc: BaseException) -> None:
            self.save.setEnabled(True)
            self.status.setText(words.refusal(exc))

        self._offgui.run(lambda: self._service.record(session, entry), done, refused)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the record asked for has been answered (and the answer shown)."""
        return settled(self._offgui, ms)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Record a near miss"))
        texts = (
            self.tr("Site"),
            self.tr("Area"),
            self.tr("Permit"),
            self.tr("From alarm"),
            self.tr("Category"),
            self.tr("Occurred at"),
            self.tr("What happened"),
        )
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        current = self.category.currentData()
        self.category.clear()
        self.category.addItem(self.tr("— choose —"), "")
        for code in CATEGORIES:
            self.category.addItem(words.word(words.CATEGORIES, code), code)
        self.category.setCurrentIndex(max(0, self.category.findData(current)))
        self.permit.setPlaceholderText(self.tr("empty: not in a permit's work"))
        self.description.setPlaceholderText(self.tr("What nearly happened, and what stopped it"))
        if not self.alarm_id:
            self.alarm.setText(self.tr("none"))
        self.save.setText(self.tr("Record"))
        self.cancel.setText(self.tr("Cancel"))


class NearMissesView(Retranslated):
    """The month's near misses with filters, and "Record…"."""

    def __init__(
        self,
        service: NearMissService,
        session: LoginSession,
        sites: list[SiteInfo],
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self._session, self._sites = service, session, list(sites)
        self._plant = PlantClock.from_sites(self._sites)
        self._areas = {(a.site_id, a.area_id): a.name for s in sites for a in s.areas}
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="near-misses")
        self.rows: list[NearMissView] = []
        self.dialog: NearMissDialog | None = None
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        self.month = QComboBox()
        for month in _months(self._plant.local(self._clock())):
            self.month.addItem(month, month)
        self.site = QComboBox()
        self.category = QComboBox()
        self.source = QComboBox()
        for combo in (self.month, self.site, self.category, self.source):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.record = QPushButton()
        self.record.clicked.connect(self._record_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        for widget in (self.month, self.site, self.category, self.source, self.record):
            bar.addWidget(widget)
        self.table = make_table([""] * 9)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(False)  # sized by _fit: rows follow its width
        self.table.viewport().installEventFilter(self)
        self._names = PlaceNames(self._sites)
        self._natural: list[int] = []  # each column's width for what it holds, measured at the load
        self._headings: list[str] = []  # the columns' headings whole, on one line (retranslate)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.retranslate()
        self.refresh()

    # ---- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        month = str(self.month.currentData() or "")
        site, category = str(self.site.currentData() or ""), str(self.category.currentData() or "")
        source = str(self.source.currentData() or "")
        if not month:
            return
        self._offgui.run(
            lambda: self._service.month(month, site=site, category=category, source=source),
            self._on_rows,
            self._on_error,
        )

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the loads asked for so far have been shown."""
        return settled(self._offgui, ms)

    def _on_rows(self, rows: list[NearMissView]) -> None:
        self.rows = rows
        self._show()

    def _on_error(self, exc: BaseException) -> None:
        self.summary.setText(words.refusal(exc))

    # ---- recording -----------------------------------------------------------------------------
    def _record_clicked(self) -> None:
        self.open_dialog()

    def open_dialog(self, prefill: NearMissPrefill | None = None) -> NearMissDialog:
        """The record dialog (non-modal), on its own or prefilled from an alarm; the list reloads after."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = NearMissDialog(
            self._service, self._session, self._sites, prefill, clock=self._clock, parent=self
        )
        self.dialog.recorded.connect(lambda _id: self.refresh())
        self.dialog.show()
        return self.dialog

    # ---- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        self.table.setRowCount(len(self.rows))
        for row, r in enumerate(self.rows):
            zone = self._plant.zone(r.site)
            site_name = next((s.name for s in self._sites if s.site_id == r.site), r.site)
            place = site_name + (f" / {self._areas.get((r.site, r.area), r.area)}" if r.area else "")
            values = [
                fmt_local(r.occurred_at, zone, "short"),
                place,
                words.word(words.CATEGORIES, r.category),
                words.word(words.SOURCES, r.source),
                r.recorded_by_name or r.recorded_by,  # the person's name; the account in the tooltip
                r.permit,
                r.contractor_name or r.contractor,
                self._alarm_words(r),
                r.description,
            ]
            tips = {4: r.recorded_by, 6: r.contractor, 7: r.alarm_id, 8: r.description}
            for col, text in enumerate(values):
                item = cell(text, str(r.id) if col == 0 else None)
                if tips.get(col):
                    item.setToolTip(tips[col])
                self.table.setItem(row, col, item)
        self.table.setHorizontalHeaderLabels(self._headings)  # measured whole, on one line
        fill_done(self.table)
        header = self.table.horizontalHeader()
        self._natural = [header.sectionSize(c) for c in range(self.table.columnCount() - 1)]
        self._fit()
        self.summary.setText(self._summary())

    def _alarm_words(self, r: NearMissView) -> str:
        """The alarm in words; a worker's by the name the month's read found for him."""
        name = r.alarm_worker_name or None
        return alarm_text(r.alarm_id, self._names, lambda _worker: name) if r.alarm_id else ""

    def _fit(self) -> None:
        """What happened: the rest of the width, a third when the others can give it, a fifth at
        least. The texts that wrap well (place, category, recorded in and by, contractor, alarm) give up
        width widest first, down to their headings' longest words (or, when even those do not fit, to the
        header's floor, the headings' words then broken with a hyphen), so a short name stays on its
        line and no heading is cut; the time and the permit id keep theirs (cut, they would mislead).
        Always from the widths measured at the load, so a console made wider again gets its columns back.
        Each row as tall as its text wraps to. Sized here, not by the header's stretch: rows measured
        before a stretch settled were cut short with "…". Only when even that does not fit (a narrow
        window at a large console scale) does the table scroll sideways."""
        width = self.table.viewport().width()
        header = self.table.horizontalHeader()
        last = self.table.columnCount() - 1
        sizes = list(self._natural or [header.sectionSize(c) for c in range(last)])
        room = width - width // 3
        if sum(sizes) > room:  # the widest wrapping columns give way first, down to one cap for all
            fixed = sum(s for c, s in enumerate(sizes) if c not in _WRAPPING)
            narrowest = max(_NARROWEST, header.minimumSectionSize())
            floor = {c: max(narrowest, heading_floor(self.table, c, self._headings[c])) for c in _WRAPPING}
            if fixed + sum(floor.values()) > room:  # the headings' words may take up to four fifths
                room = min(fixed + sum(floor.values()), width - width // 5)
                if fixed + sum(floor.values()) > room:  # too narrow even so: words break, hyphenated
                    floor = dict.fromkeys(_WRAPPING, narrowest)
            low, high = narrowest, max(sizes[c] for c in _WRAPPING)
            while low < high:
                cap = (low + high + 1) // 2
                if fixed + sum(max(floor[c], min(sizes[c], cap)) for c in _WRAPPING) <= room:
                    low = cap
                else:
                    high = cap - 1
            sizes = [max(floor[c], min(s, low)) if c in _WRAPPING else s for c, s in enumerate(sizes)]
        for c, size in enumerate(sizes):
            header.resizeSection(c, size)
        header.resizeSection(last, max(width - sum(sizes), width // 5))
        wrap_headings(self.table, self._headings)  # a narrowed column's heading on more lines, never cut
        self.table.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit()  # the table's own width, once its layout settled (not the view's resize)
        return super().eventFilter(watched, event)

    def _summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.category] = counts.get(r.category, 0) + 1
        parts = [
            f"{words.word(words.CATEGORIES, c)} {n}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]
        head = self.tr("%1 near misses in %2 (plant time, %3)").replace("%1", str(len(self.rows)))
        head = head.replace("%2", str(self.month.currentData() or "")).replace("%3", self._plant.zone_mark())
        return head + (": " + ", ".join(parts) if parts else "")

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Near misses"))
        self.record.setText(self.tr("Record…"))
        self._refill(self.site, self.tr("All sites"), [(s.site_id, s.name) for s in self._sites])
        self._refill(
            self.category,
            self.tr("All categories"),
            [(c, words.word(words.CATEGORIES, c)) for c in CATEGORIES],
        )
        self._refill(
            self.source, self.tr("From anywhere"), [(k, words.word(words.SOURCES, k)) for k in words.SOURCES]
        )
        self._headings = [
            self.tr("Occurred"),
            self.tr("Where"),
            self.tr("Category"),
            self.tr("Recorded in"),
            self.tr("Recorded by"),
            self.tr("Permit"),
            self.tr("Contractor"),
            self.tr("Alarm"),
            self.tr("What happened"),
        ]
        self._show()

    @staticmethod
    def _refill(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for key, text in items:
            combo.addItem(text, key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
