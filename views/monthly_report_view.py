"""The monthly special-work analysis screen (issue 21 part 3): choose a plant month, preview its figures
against the three months before it, save the PDF or the xlsx in Chinese or English.

The month is read off the GUI thread (a bar shows the work); the tables are the report's own
(``cockpit/report/monthly_texts.sections``) in the screen's language, so the preview is what prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.report.layout import Lang
from cockpit.report.monthly_data import MonthlyReport
from cockpit.report.monthly_service import MonthlyReports, recent_months
from cockpit.report.monthly_texts import Section, sections
from models.errors import UserError
from models.plant_clock import PlantClock
from models.queries import SiteInfo
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, make_table
from views.register_files import current_language
from views.view_model import Retranslated
from widgets import theme

__all__ = ["MonthlyReportView"]

_NUMBERING = re.compile(r"^(\d+\.\s*|[一二三四五六七八九十]+、)")


class MonthlyReportView(Retranslated):
    def __init__(
        self,
        reports: MonthlyReports,
        sites: list[SiteInfo],
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reports = reports
        self._zone = PlantClock.from_sites(sites).zone()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="monthly-report")
        self.report: MonthlyReport | None = None
        self._opened = False  # the last whole month is read once, when the screen is first shown
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setFont(theme.scaled_font(13, bold=True))
        bar = self._bar()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # reading a month: no step count from the worker, a moving bar
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.summary = make_table([""])
        self.reasons = make_table([""])
        self.types = make_table([""])
        for table in (self.summary, self.reasons, self.types):
            table.horizontalHeader().setStretchLastSection(False)  # the months beside their figure
        self.summary_title, self.reasons_title, self.types_title = QLabel(), QLabel(), QLabel()
        self.reasons_note = QLabel()
        self.reasons_note.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lower = QHBoxLayout()
        for title, table, note in (
            (self.reasons_title, self.reasons, self.reasons_note),
            (self.types_title, self.types, None),
        ):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            if note is not None:
                column.addWidget(note)
            lower.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary, 3)
        layout.addLayout(lower, 2)
        layout.addWidget(self.status)
        self._update_buttons()
        self.retranslate()

    def _bar(self) -> QHBoxLayout:
        """The month, the preview, the files' language and the save buttons."""
        self.month_label, self.lang_label = QLabel(), QLabel()
        self.month = QComboBox()
        months = recent_months(self._clock(), self._zone)
        self.month.addItems(months)
        self.month.setCurrentIndex(1 if len(months) > 1 else 0)  # the last whole month
        self.lang = QComboBox()
        self.lang.addItem("中文", "zh_CN")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if current_language() == "zh_CN" else 1)
        self.preview_button, self.pdf_button, self.xlsx_button = QPushButton(), QPushButton(), QPushButton()
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(lambda: self._ask_and_save("pdf"))
        self.xlsx_button.clicked.connect(lambda: self._ask_and_save("xlsx"))
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        for widget in (self.month_label, self.month, self.preview_button, self.lang_label, self.lang):
            bar.addWidget(widget)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.xlsx_button)
        return bar

    # ---- reading -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """The first time the screen opens it shows the last whole month, read off the GUI thread (not
        when the window is built: a screen nobody opens costs the database nothing)."""
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            if self.report is None and self.busy.isHidden():
                self.preview()

    def preview(self) -> None:
        month = self.month.currentText()
        self.busy.show()
        self.preview_button.setEnabled(False)
        self.status.setText(self.tr("Reading %1 and the three months before it…").replace("%1", month))
        self._offgui.run(lambda: self._reports.collect(month), self._on_report, self._on_error)

    def wait(self, ms: int = 30_000) -> bool:
        """Tests: until the work asked for so far is done."""
        return self._offgui.wait(ms)

    def _on_report(self, report: MonthlyReport) -> None:
        self.report = report
        self.busy.hide()
        self._update_buttons()
        self.status.setText(
            self.tr("%1: %2 permits submitted, %3 approved.")
            .replace("%1", report.month.month)
            .replace("%2", str(report.month.permits))
            .replace("%3", str(report.month.approved))
        )
        self._show()

    def _on_error(self, exc: BaseException) -> None:
        self.busy.hide()
        self._update_buttons()
        reason = str(exc) if isinstance(exc, UserError) else type(exc).__name__
        self.status.setText(self.tr("The report could not be made: %1").replace("%1", reason))

    # ---- saving --------------------------------------------------------------------------------
    def _ask_and_save(self, kind: str) -> None:
        if self.report is None:
            return
        lang = str(self.lang.currentData())
        suggested = str(Path.home() / f"monthly-{self.report.month.month}-{lang}.{kind}")
        pattern = self.tr("PDF files (*.pdf)") if kind == "pdf" else self.tr("Excel workbooks (*.xlsx)")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the monthly report"), suggested, pattern
        )
        if path:
            self.save(kind, Path(path))

    def save(self, kind: str, path: Path) -> None:
        """Write the previewed month as ``kind`` (pdf, xlsx) to ``path`` in the chosen language."""
        report = self.report
        if report is None:
            return
        lang: Lang = "zh_CN" if self.lang.currentData() == "zh_CN" else "en"
        write = self._reports.save_pdf if kind == "pdf" else self._reports.save_xlsx
        self.busy.show()
        self.status.setText(self.tr("Writing %1…").replace("%1", str(path)))
        self._offgui.run(lambda: write(report, path, lang), self._on_saved, self._on_error)

    def _on_saved(self, path: Path) -> None:
        self.busy.hide()
        self.status.setText(self.tr("Saved: %1").replace("%1", str(path)))

    def _update_buttons(self) -> None:
        self.preview_button.setEnabled(True)
        for button in (self.pdf_button, self.xlsx_button):
            button.setEnabled(self.report is not None)

    # ---- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        if self.report is None:
            return
        parts = {s.key: s for s in sections(self.report, current_language())}
        self._fill(self.summary, self.summary_title, parts["summary"])
        self._fill(self.reasons, self.reasons_title, parts["reasons"])
        self._fill(self.types, self.types_title, parts["type"])
        self.reasons_note.setText(parts["reasons"].note)

    @staticmethod
    def _fill(table: QTableWidget, title: QLabel, section: Section) -> None:
        title.setText(_NUMBERING.sub("", section.title))  # the PDF's "7." / "七、" mean nothing here
        table.setColumnCount(len(section.header))
        table.setHorizontalHeaderLabels(section.header)
        table.setRowCount(len(section.rows))
        for r, row in enumerate(section.rows):
            for c, value in enumerate(row):
                table.setItem(r, c, cell(str(value)))
        fill_done(table)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Monthly special-work analysis"))
        self.month_label.setText(self.tr("Month"))
        self.lang_label.setText(self.tr("File language"))
        self.preview_button.setText(self.tr("Preview"))
        self.pdf_button.setText(self.tr("Save PDF…"))
        self.xlsx_button.setText(self.tr("Save xlsx…"))
        if self.report is None and self.busy.isHidden():  # not while the first month is being read
            self.status.setText(self.tr("Choose a month and press Preview."))
            for title in (self.summary_title, self.reasons_title, self.types_title):
                title.setText("")
        self._show()
