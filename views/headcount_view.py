"""The incident commander's headcount of one area (issue 17): who is inside, by name, with the
contractor, the trade, the phone and since when, and the count in large type.

Opened from the map's side panel for the selected area (after a locate from the alarm popup, the map
shows that area, and the panel's button opens this for it). A window of its own, non-modal, so it can
stand on a second screen beside the map during an incident. The count and the names follow the live
state at once (``CoreState.inside``); the register details are read off the GUI thread and fill in
after. A person the register lacks is listed by the id the gate read. Out of the screen: a CSV file
(UTF-8 with BOM), the list copied as text for a chat message, or printed (one page, as shown).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cockpit.headcount import HeadcountReads, HeadcountRow, headcount_csv
from models.plant_clock import DEFAULT_ZONE, format_time, zone_mark
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, make_table
from views.view_model import Coalescer, ViewBase
from widgets import theme

if TYPE_CHECKING:
    from cockpit.core_state import InsideEntry
    from cockpit.live import CoreBridge
    from cockpit.port import CorePort
    from cockpit.sessions import LoginSession
    from views.view_model import LiveState

__all__ = ["HeadcountView"]


class HeadcountView(ViewBase):
    """Signal ``people_loaded(count)`` once the register details of the people inside are in."""

    people_loaded = Signal(int)

    def __init__(
        self,
        core: CorePort,
        bridge: CoreBridge | None,
        actor: LoginSession,
        *,
        state: LiveState,
        reads: HeadcountReads,
        site: str,
        area: str,
        place: str,
        zone: str = DEFAULT_ZONE,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(core, bridge, actor, state, parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.site, self.area, self.place, self.zone = site, area, place, zone
        self._reads = reads
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="headcount")
        self._shown: tuple[tuple[str, datetime], ...] | None = None
        self.rows: list[HeadcountRow] = []
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("headcountNumber")
        self.count.setFont(theme.scaled_font(28, bold=True))
        self.as_of = QLabel()
        self.as_of.setProperty("role", "muted")
        self.table = make_table([""] * 6)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.open_export_dialog)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_text)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.open_print_dialog)
        self._print_dialog: QDialog | None = None
        self._export_dialog: QFileDialog | None = None
        top = QHBoxLayout()
        top.addWidget(self.count)
        top.addWidget(self.as_of, 1, Qt.AlignmentFlag.AlignBottom)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._soon = Coalescer(self.refresh, 500, self, widget=self)
        self.state.updated.connect(self._soon.request)
        self.retranslate()
        self.refresh()

    # ---- live ----------------------------------------------------------------------------------
    def entries(self) -> tuple[InsideEntry, ...]:
        return self.state.inside(self.site, self.area)

    def refresh(self) -> None:
        """The count and names from the live state at once; the register details when they change."""
        inside = self.entries()
        key = tuple((p.worker, p.since) for p in inside)
        self._show_count(len(inside))
        if key == self._shown:
            return
        self._shown = key
        known = {r.worker: r for r in self.rows}
        self._fill(
            [known.get(p.worker) or HeadcountRow(p.worker, p.name, "", "", "", "", p.since) for p in inside]
        )
        username = self.actor.username
        self._offgui.run(lambda: self._reads.people(username, inside), self._took, self.show_error)

    def wait(self, ms: int = 10_000) -> bool:
        """Tests: until the reads asked for so far are done."""
        return self._offgui.wait(ms)

    def _took(self, rows: list[HeadcountRow]) -> None:
        if tuple((r.worker, r.since) for r in rows) != self._shown:
            return  # the live state moved on meanwhile: its own read follows
        self._fill(rows)
        self.say("")
        self.people_loaded.emit(len(rows))

    def _show_count(self, n: int) -> None:
        self.count.setText(self.tr("%1 inside").replace("%1", str(n)))
        now = self._clock()
        self.as_of.setText(
            self.tr("as of %1 (%2), by the field gate's allows, entries and exits")
            .replace("%1", format_time(now, self.zone, "time"))
            .replace("%2", zone_mark(self.zone, now))
        )

    def _fill(self, rows: list[HeadcountRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        unknown = self.tr("not on the register")
        for i, r in enumerate(rows):
            contractor = (
                f"{r.contractor} ({r.contractor_code})" if r.contractor_code else self.tr("plant staff")
            )
            values = [
                r.name,
                r.worker,
                contractor if r.registered else unknown,
                r.trade or "—",
                r.phone or "—",
                format_time(r.since, self.zone, "auto", now=self._clock()),
            ]
            cells = [cell(value) for value in values]
            if not r.registered:  # a badge the register does not know: the commander asks who it is
                bold = cells[2].font()
                bold.setBold(True)
                cells[2].setFont(bold)
            for column, c in enumerate(cells):
                self.table.setItem(i, column, c)
        fill_done(self.table)

    # ---- export ---------------------------------------------------------------------------------
    def headers(self) -> list[str]:
        return [
            self.tr("Name"),
            self.tr("Worker ID"),
            self.tr("Contractor"),
            self.tr("Trade"),
            self.tr("Phone"),
            self.tr("Inside since"),
        ]

    def as_text(self) -> str:
        """The list as lines of text: the place, the count and the time, then one person a line."""
        head = f"{self.title.text()}: {self.count.text()} ({self.as_of.text()})"
        staff = self.tr("plant staff")  # outside the f-string: lupdate does not look inside one
        lines = [
            f"{r.name} {r.worker} · {r.contractor or staff} · {r.trade or '—'} · "
            f"{r.phone or '—'} · {format_time(r.since, self.zone)}"
            for r in self.rows
        ]
        return "\n".join([head, *lines])

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())
        self.say(self.tr("The list was copied."))

    def document(self) -> QTextDocument:
        """The list as a page: the place, the count and the time, a table of the people."""
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers())
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(text)}</td>" for text in self._row_texts(r)) + "</tr>"
            for r in range(self.table.rowCount())
        )
        doc = QTextDocument()
        doc.setHtml(
            f"<h2>{html.escape(self.title.text())}</h2>"
            f"<h1>{html.escape(self.count.text())}</h1><p>{html.escape(self.as_of.text())}</p>"
            f"<table border='1' cellspacing='0' cellpadding='4'><tr>{cells}</tr>{body}</table>"
        )
        return doc

    def _row_texts(self, row: int) -> list[str]:
        items = (self.table.item(row, c) for c in range(self.table.columnCount()))
        return [item.text() if item is not None else "" for item in items]

    def open_print_dialog(self) -> QDialog | None:
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:
            self.say(
                self.tr("Printing is not available in this installation; export the CSV instead."),
                problem=True,
            )
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.open()  # type: ignore[call-arg]  # non-modal: a nested exec() breaks the event loop
        self._print_dialog = dialog
        return dialog

    def print_to(self, printer: Any) -> None:
        """The list on ``printer`` (a printer, or a PDF file: the tests print to one)."""
        self.document().print_(printer)
        self.say(self.tr("The headcount was sent to the printer."))

    def open_export_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Export the headcount as CSV"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        stamp = format_time(self._clock(), self.zone, "datetime").replace(":", "").replace(" ", "-")
        dialog.selectFile(f"headcount-{self.site}-{self.area}-{stamp}.csv")
        dialog.fileSelected.connect(self.export_to)
        dialog.open()  # non-modal: a nested exec() breaks the event loop (DEVELOPERS.md)
        self._export_dialog = dialog
        return dialog

    def export_to(self, path: str) -> bool:
        target = Path(path)
        text = headcount_csv(self.rows, self.headers(), self.zone)
        try:
            target.write_text(text, encoding="utf-8-sig", newline="")
        except OSError as exc:
            self.say(
                self.tr("Cannot write %1: %2; choose a folder you can write to.")
                .replace("%1", str(target))
                .replace("%2", exc.strerror or str(exc)),
                problem=True,
            )
            return False
        self.say(self.tr("Exported to %1.").replace("%1", str(target)))
        return True

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Headcount"))
        self.title.setText(self.tr("Headcount: %1").replace("%1", self.place))
        self.table.setHorizontalHeaderLabels(self.headers())
        self.export_button.setText(self.tr("Export CSV…"))
        self.copy_button.setText(self.tr("Copy as text"))
        self.print_button.setText(self.tr("Print…"))
        self._show_count(len(self.entries()))
        if self.rows:
            self._fill(self.rows)
