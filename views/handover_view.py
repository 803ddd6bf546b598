"""The shift handover screen: pick the shift, write notes, preview, sign, print and export the report.

Rendering a handover (database queries, the PDF, page images) takes a second or more, so it never runs
on the GUI thread: the screen's ``OffGui`` worker calls the ``HandoverReports`` service (its own database
session) and results and progress come back on the GUI thread. Dialogs are opened with
``open()``/``show()``, never a nested ``exec()``, which would break a qasync event loop.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimeZone, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.config import Config
from cockpit.handover_reports import (
    PREVIEW_DPI,
    HandoverReports,
    HandoverRequest,
    Paper,
    RenderedHandover,
    SignedHandover,
    StoredHandover,
)
from cockpit.report.data import HandoverData
from cockpit.sessions import LoginSession
from models.plant_clock import format_time, zone_mark
from models.queries import SiteInfo
from views.error_words import error_text
from views.offgui import OffGui
from widgets import theme
from widgets.page_preview import PagePreview

SHIFT_STARTS = (time(8, 0), time(20, 0))  # two 12-hour shifts, local time


def current_shift(
    now: datetime, timezone: str, starts: tuple[time, ...] = SHIFT_STARTS
) -> tuple[datetime, datetime]:
    """The shift (in UTC) that contains ``now``: shifts start at ``starts`` local time and run to the next."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    candidates = sorted(
        datetime.combine(local.date() + timedelta(days=d), t, tzinfo=zone) for d in (-1, 0, 1) for t in starts
    )
    begin = max(c for c in candidates if c <= local)
    end = min(c for c in candidates if c > local)
    return begin.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Preview:
    """A rendered report: the PDF, its page images (empty without pdftoppm) and a text summary."""

    pdf: Path
    pages: tuple[Path, ...]
    summary: str
    data: HandoverData | None


def _count(n: int, one: str, many: str) -> str:
    """``one`` (already translated, with the 1 written out) for one, ``many`` with ``%1`` = n otherwise:
    English needs its plural and the program ships no English translation file to pick it."""
    return one if n == 1 else many.replace("%1", str(n))


class SignDialog(QDialog):
    """Both leads re-enter their passwords; non-modal, it asks the view to sign and shows the outcome."""

    sign_requested = Signal(str, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        form = QFormLayout(self)
        self.out_user, self.out_password = QLineEdit(), QLineEdit()
        self.in_user, self.in_password = QLineEdit(), QLineEdit()
        for field in (self.out_password, self.in_password):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.labels = [QLabel() for _ in range(4)]
        for label, field in zip(
            self.labels, (self.out_user, self.out_password, self.in_user, self.in_password), strict=True
        ):
            form.addRow(label, field)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("signMessage")
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._request)
        self.buttons.rejected.connect(self.close)
        form.addRow(self.buttons)
        # room for a refusal on two lines (a login refused, a wrong password) without clipping it
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 32)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign the shift handover"))
        for label, text in zip(
            self.labels,
            (self.tr("Outgoing lead"), self.tr("Password"), self.tr("Incoming lead"), self.tr("Password")),
            strict=True,
        ):
            label.setText(text)

    def _request(self) -> None:
        self.message.setText(self.tr("Signing…"))
        self.buttons.setEnabled(False)
        self.sign_requested.emit(
            self.out_user.text().strip(),
            self.out_password.text(),
            self.in_user.text().strip(),
            self.in_password.text(),
        )

    def show_result(self, ok: bool, text: str) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(text)
        self.adjustSize()  # the dialog grows with the message instead of clipping it
        self.out_password.clear()
        self.in_password.clear()
        if ok:
            self.close()


class HandoverView(QWidget):
    """Preview, sign, print and export the shift handover report."""

    preview_ready = Signal(object)  # Preview
    signed = Signal(object)  # StoredHandover
    failed = Signal(str)

    def __init__(
        self,
        reports: HandoverReports,
        config: Config,
        sites: Sequence[SiteInfo],
        *,
        site: str | None = None,
        session: LoginSession | None = None,  # the console's login: the signing is its act (None: refused)
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reports = reports
        self._session = session
        self.config = config
        self._now = now
        self._offgui = OffGui(self, name="handover")
        self._tmp = tempfile.TemporaryDirectory(prefix="handover-view-")
        self._runs = 0
        self.preview: Preview | None = None
        self.stored: StoredHandover | None = None
        self._sites = [(s.site_id, s.name, s.timezone) for s in sites]  # the plant as the login read it
        self._build_inputs(site)
        self._build_layout()
        self._sign_dialog: SignDialog | None = None
        self._print_dialog: QDialog | None = None
        self._export_dialog: QFileDialog | None = None
        self.site.currentIndexChanged.connect(lambda _i: self.set_current_shift())
        self.set_current_shift()
        self.retranslate()

    def _build_inputs(self, site: str | None) -> None:
        self.site = QComboBox()
        self.site.addItem("", None)
        for site_id, name, _tz in self._sites:  # the site by its name; the register's code is a key
            self.site.addItem(name or site_id, site_id)
            self.site.setItemData(self.site.count() - 1, site_id, Qt.ItemDataRole.ToolTipRole)
        if site:
            self.site.setCurrentIndex(max(0, self.site.findData(site)))
        elif self._sites:
            self.site.setCurrentIndex(1)
        self.start_edit, self.end_edit = QDateTimeEdit(), QDateTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.lang = QComboBox()
        self.lang.addItem("中文", "zh_CN")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(self.config.general.language)))
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(120)
        self.preview_button, self.sign_button = QPushButton(), QPushButton()
        self.print_button, self.export_button = QPushButton(), QPushButton()
        self.preview_button.clicked.connect(self.start_preview)
        self.sign_button.clicked.connect(self.open_sign_dialog)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.export_button.clicked.connect(self.open_export_dialog)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.page_view = PagePreview()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.hide()

    def _build_layout(self) -> None:
        grid = QGridLayout()
        self.labels = {k: QLabel() for k in ("site", "from", "to", "lang", "paper", "notes")}
        grid.addWidget(self.labels["site"], 0, 0)
        grid.addWidget(self.site, 0, 1)
        grid.addWidget(self.labels["lang"], 0, 2)
        grid.addWidget(self.lang, 0, 3)
        grid.addWidget(self.labels["paper"], 0, 4)
        grid.addWidget(self.paper, 0, 5)
        grid.addWidget(self.labels["from"], 1, 0)
        grid.addWidget(self.start_edit, 1, 1)
        grid.addWidget(self.labels["to"], 1, 2)
        grid.addWidget(self.end_edit, 1, 3)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.sign_button, self.print_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.labels["notes"])
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.nothing = QLabel()  # a quiet shift, said above its pages (the PDF says it in a box)
        self.nothing.setFont(theme.scaled_font(12, bold=True))
        self.nothing.setWordWrap(True)
        self.nothing.setVisible(False)
        layout.addWidget(self.nothing)
        layout.addWidget(self.summary)
        layout.addWidget(self.page_view, 1)

    # ------------------------------------------------------------ texts and inputs

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.site.setItemText(0, self.tr("All sites"))
        texts = {
            "site": self.tr("Site"),
            "from": self.tr("Shift from"),
            "to": self.tr("to"),
            "lang": self.tr("Language"),
            "paper": self.tr("Paper"),
            "notes": self.tr("Notes for the incoming shift"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.preview_button.setText(self.tr("Preview"))
        self.sign_button.setText(self.tr("Sign…"))
        self.print_button.setText(self.tr("Print…"))
        self.export_button.setText(self.tr("Export PDF…"))
        if self._sign_dialog is not None:
            self._sign_dialog.retranslate()
        self._say_what_is_shown()

    def _quiet(self) -> bool:
        """The previewed shift had nothing in it: no alarm, command, permit change, excursion, near miss."""
        data = self.preview.data if self.preview is not None else None
        return data is not None and not data.has_events

    def _say_what_is_shown(self) -> None:
        """The pane never stands blank: before a preview it says how to get one; a quiet shift says so."""
        quiet = self.tr(
            "Nothing in this shift: no alarms, no stop or resume commands, no permit changes, no near misses."
        )
        if self.preview is None:
            self.page_view.set_placeholder(self.tr("No preview yet: choose the shift and press Preview."))
        else:
            self.page_view.set_placeholder(quiet if self._quiet() else "")
        self.nothing.setText(quiet)
        self.nothing.setVisible(self._quiet())

    def timezone(self) -> str:
        site_id = self.site.currentData()
        for sid, _name, tz in self._sites:
            if sid == site_id:
                return tz
        return self._sites[0][2] if self._sites else "Asia/Shanghai"

    def set_current_shift(self) -> None:
        start, end = current_shift(self._now(), self.timezone())
        self.set_window(start, end)

    def set_window(self, start: datetime, end: datetime) -> None:
        zone = QTimeZone(self.timezone().encode())
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.setTimeZone(zone)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(value.timestamp()), zone))

    def window(self) -> tuple[datetime, datetime]:  # type: ignore[override]  # the shift, not QWidget.window
        start = datetime.fromtimestamp(self.start_edit.dateTime().toSecsSinceEpoch(), UTC)
        end = datetime.fromtimestamp(self.end_edit.dateTime().toSecsSinceEpoch(), UTC)
        return start, end

    def _request(self) -> HandoverRequest:
        start, end = self.window()
        return HandoverRequest(
            start=start,
            end=end,
            site=self.site.currentData(),
            lang=self.lang.currentData(),
            paper=cast(Paper, self.paper.currentText()),
            notes=self.notes.toPlainText(),
        )

    def _busy(self, busy: bool) -> None:
        for b in (self.preview_button, self.sign_button, self.print_button, self.export_button):
            b.setEnabled(not busy)
        if busy:
            self.progress.setRange(0, 0)

    # ------------------------------------------------------------ preview (worker thread)

    def start_preview(self) -> Future[Any] | None:
        req = self._request()
        if req.end <= req.start:
            self.status.setText(self.tr("The shift must end after it starts."))
            return None
        self._busy(True)
        self.status.setText(self.tr("Rendering the report…"))
        folder = self._next_folder()
        progress = self._offgui.relay(self._on_progress)
        now = self._now()
        return self._offgui.run(
            lambda: self.reports.render(req, folder, now=now, progress=progress),
            self._on_rendered,
            self._on_error,
        )

    def _next_folder(self) -> Path:
        self._runs += 1
        return Path(self._tmp.name) / f"run{self._runs}"

    def _on_rendered(self, rendered: RenderedHandover) -> None:
        data = rendered.data
        self._on_preview(Preview(rendered.pdf, rendered.pages, self.summary_text(data), data))

    def summary_text(self, data: HandoverData) -> str:
        """What the report holds, in the screen's language and the plant's time (shown when no page
        images can be made)."""
        zone = data.timezone
        window = (
            f"{format_time(data.start, zone, 'stamp')} – {format_time(data.end, zone, 'stamp')} "
            f"({zone_mark(zone, data.start)})"
        )
        a = data.alarms
        alarms = _count(a.total, self.tr("1 alarm"), self.tr("%1 alarms"))
        lines = [
            f"{data.site_name} {window}",
            _count(
                len(data.permits),
                self.tr("1 permit live at handover"),
                self.tr("%1 permits live at handover"),
            ),
            self.tr("%1, priority 1: %2, floods: %3")
            .replace("%1", alarms)
            .replace("%2", str(a.by_priority.get(1, 0)))
            .replace("%3", str(a.floods)),
            _count(len(data.commands), self.tr("1 stop/resume command"), self.tr("%1 stop/resume commands")),
            _count(
                len(data.excursions),
                self.tr("gas excursions in 1 area"),
                self.tr("gas excursions in %1 areas"),
            ),
            _count(
                len(data.certificates), self.tr("1 certificate expiring"), self.tr("%1 certificates expiring")
            ),
            self.tr("audit head: %1").replace("%1", data.audit_head),
        ]
        return "\n".join(lines)

    def _on_error(self, exc: Exception) -> None:
        # the screen must say it failed, whatever failed; a user's mistake in its own words
        self._on_failed(error_text(exc))

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        # the renderer's step names (``font``, ``3 pages``) are English words: the bar shows the share done
        self.progress.setFormat("%p %")

    def _on_preview(self, preview: Preview) -> None:
        self.preview = preview
        self._busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.page_view.set_pages(preview.pages, PREVIEW_DPI)
        self.summary.setPlainText(preview.summary)
        self.summary.setVisible(not preview.pages)
        count = len(preview.pages)
        self.status.setText(
            _count(count, self.tr("Preview ready: 1 page."), self.tr("Preview ready: %1 pages."))
            if count
            else ""
        )
        self._say_what_is_shown()
        self.preview_ready.emit(preview)

    def _on_failed(self, message: str) -> None:
        self._busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(message)
        if self._sign_dialog is not None and self._sign_dialog.isVisible():
            self._sign_dialog.show_result(False, message)
        self.failed.emit(message)

    # ------------------------------------------------------------ sign (worker thread)

    def open_sign_dialog(self) -> SignDialog:
        if self._sign_dialog is None:
            self._sign_dialog = SignDialog(self)
            self._sign_dialog.sign_requested.connect(self.sign)
        self._sign_dialog.show()
        self._sign_dialog.raise_()
        return self._sign_dialog

    def sign(self, out_user: str, out_password: str, in_user: str, in_password: str) -> Future[Any]:
        req = self._request()
        self._busy(True)
        self.status.setText(self.tr("Checking both signatures…"))
        folder = self._next_folder()
        progress = self._offgui.relay(self._on_progress)
        now = self._now()
        outgoing, incoming, login = (out_user, out_password), (in_user, in_password), self._session
        return self._offgui.run(
            lambda: self.reports.sign(login, req, outgoing, incoming, folder, now=now, progress=progress),
            self._on_signed,
            self._on_error,
        )

    def _on_signed(self, result: SignedHandover) -> None:
        stored, pdf, pages = result.stored, result.pdf, result.pages
        self.stored = stored
        self._on_preview(Preview(pdf, pages, self.preview.summary if self.preview else "", None))
        text = self.tr("Signed and stored as handover #%1 (sha256 %2).").replace("%1", str(stored.id))
        text = text.replace("%2", stored.pdf_sha256[:16] + "…")
        self.status.setText(text)
        if self._sign_dialog is not None:
            self._sign_dialog.show_result(True, text)
        self.signed.emit(stored)

    # ------------------------------------------------------------ print and export

    def open_print_dialog(self) -> QDialog | None:
        if self.preview is None or not self.preview.pages:
            self.status.setText(self.tr("Make a preview first (page images need pdftoppm)."))
            return None
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:
            self.status.setText(
                self.tr("Printing is not available in this installation; export the PDF instead.")
            )
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_pages(printer))
        dialog.open()  # type: ignore[call-arg]  # QDialog.open(); the stub knows only the slot overload
        self._print_dialog = dialog
        return dialog

    def print_pages(self, printer: Any) -> int:
        """Paint each page image onto the printer, scaled to its page; returns the pages printed."""
        assert self.preview is not None
        painter = QPainter()
        if not painter.begin(printer):
            self.status.setText(self.tr("The printer could not be started."))
            return 0
        count = 0
        try:
            for i, png in enumerate(self.preview.pages):
                if i:
                    printer.newPage()
                image = QImage(str(png))
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
                count += 1
        finally:
            painter.end()
        return count

    def open_export_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Export the handover as PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        start, _end = self.window()
        dialog.selectFile(f"handover-{start.astimezone(ZoneInfo(self.timezone())):%Y%m%d-%H%M}.pdf")
        dialog.fileSelected.connect(self.export_to)
        dialog.open()
        self._export_dialog = dialog
        return dialog

    def export_to(self, path: str) -> bool:
        """Copy the last preview (or the signed report) to ``path``, atomically."""
        if self.preview is None:
            self.status.setText(self.tr("Make a preview first."))
            return False
        target = Path(path)
        try:
            with tempfile.NamedTemporaryFile(
                dir=target.parent, prefix=f".{target.name}.", delete=False
            ) as fh:
                fh.write(self.preview.pdf.read_bytes())
            Path(fh.name).replace(target)
        except OSError as exc:
            self.status.setText(
                self.tr("Cannot write %1: %2; choose a folder you can write to.")
                .replace("%1", str(target))
                .replace("%2", exc.strerror or str(exc))
            )
            return False
        self.status.setText(self.tr("Exported to %1.").replace("%1", str(target)))
        return True

    def shutdown(self) -> None:
        """Wait for a running job and drop the temporary pages (the window calls this on close)."""
        self._offgui.shutdown(wait=True)
        self._tmp.cleanup()
