"""The registers' files on a register screen: a template, an import with a progress dialog and the
rejected rows in a table, an export; the work off the GUI thread (``OffGui``).

The service (``cockpit/register_io``) reads the acting user's role from the database and says what is
wrong as codes with parameters; they are said here in the user's language. The file dialogs and the
progress dialog are opened with ``open()``/``show()``, never a nested ``exec()`` (qasync).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.register_io.problems import FileProblem, Finding, RegisterIoError, RowProblem
from cockpit.register_io.service import ImportReport, RegisterIO, write_template
from cockpit.register_io.specs import REGISTERS
from cockpit.sessions import LoginSession
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, make_table
from views.session_words import coded_refusal
from views.view_model import Retranslated
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "RegisterFiles"
PLANT_REGISTERS = ("sites", "areas", "contacts", "detectors", "channels")
PEOPLE_REGISTERS = ("contractors", "qualifications", "workers", "certificates", "trainings")
INSPECTION_REGISTERS = ("equipment", "routes", "area_owners")

FILE_TEXTS: dict[str, str] = {
    FileProblem.NOT_TABULAR: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{file} is not an xlsx or CSV file (save it from Excel as .xlsx or CSV UTF-8)"
    ),
    FileProblem.EMPTY: QT_TRANSLATE_NOOP("RegisterFiles", "{file} has no header row"),
    FileProblem.MISSING_COLUMNS: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{file} lacks the required column(s) {columns}"
    ),
    FileProblem.UNKNOWN_COLUMN: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{file}: the column {column!r} is not one of this register's"
    ),
    FileProblem.DOUBLE_COLUMN: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{file}: the column {column!r} appears twice"
    ),
    FileProblem.NOT_EDITOR: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{actor} may not import into the registers: administrators and safety managers do"
    ),
    FileProblem.NOT_READER: QT_TRANSLATE_NOOP("RegisterFiles", "{actor} is not an active user"),
    FileProblem.INVALID_ROWS: QT_TRANSLATE_NOOP(
        "RegisterFiles",
        "{file}: {rejected} of {rows} rows are invalid; nothing was written "
        "(fix them, or import the valid rows only)",
    ),
}
ROW_TEXTS: dict[str, str] = {
    RowProblem.REQUIRED: QT_TRANSLATE_NOOP("RegisterFiles", "required, but empty"),
    RowProblem.TOO_LONG: QT_TRANSLATE_NOOP("RegisterFiles", "too long: {length} characters, at most {max}"),
    RowProblem.BAD_CODE: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{value!r} is not a code: letters, digits, '.', '_', '-', at most 64"
    ),
    RowProblem.BAD_DATE: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not a date (2026-01-31)"),
    RowProblem.BAD_NUMBER: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not a number"),
    RowProblem.BAD_BOOL: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not yes or no"),
    RowProblem.BAD_CHOICE: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not one of {choices}"),
    RowProblem.DUPLICATE: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is already in row {first}"),
    RowProblem.UNKNOWN_PARENT: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not in the register"),
    RowProblem.DATE_ORDER: QT_TRANSLATE_NOOP("RegisterFiles", "{value} is before {other}"),
    RowProblem.EXPIRED: QT_TRANSLATE_NOOP("RegisterFiles", "expired on {value}: imported, and flagged"),
    RowProblem.BAD_TIME: QT_TRANSLATE_NOOP("RegisterFiles", "{value!r} is not a time of day (08:00)"),
    RowProblem.TAG_TAKEN: QT_TRANSLATE_NOOP("RegisterFiles", "the tag {tag} is already on {code}"),
    RowProblem.UNKNOWN_EQUIPMENT: QT_TRANSLATE_NOOP(
        "RegisterFiles", "{code!r} is not in the equipment register"
    ),
    RowProblem.UNKNOWN_USER: QT_TRANSLATE_NOOP("RegisterFiles", "{user!r} is not an active user"),
    RowProblem.BAD_CHECKLIST: QT_TRANSLATE_NOOP(
        "RegisterFiles", "a checklist has 1 to {max} questions, each at most 200 characters"
    ),
    RowProblem.BAD_ROUTE: QT_TRANSLATE_NOOP(
        "RegisterFiles",
        "a route needs 1 to {max} points, 1 to 24 rounds a day and 5 to 720 minutes a round",
    ),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def finding_text(finding: Finding) -> str:
    return _tr(ROW_TEXTS[finding.code]).format(**finding.params)


def file_problem_text(exc: Exception) -> str:
    return coded_refusal(exc, RegisterIoError, FILE_TEXTS, _CTX)


def current_language() -> str:
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


class RegisterFilesBar(Retranslated):
    """A button row for ``registers``; the rejected and flagged rows of the last import below it."""

    imported = Signal(object)  # the ImportReport of a written import
    failed = Signal(str)
    finished = Signal(str)  # "template", "import", "export": what ended, well or not
    progressed = Signal(int, int)  # what the progress dialog shows: done, total

    def __init__(
        self,
        files: RegisterIO,
        *,
        acting: LoginSession,
        registers: Sequence[str],
        can_import: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._files, self._acting = files, acting
        self._offgui = OffGui(self, name="register-files")
        self._dialog: QFileDialog | None = None
        self.progress: QProgressDialog | None = None
        self.report: ImportReport | None = None
        self.register = QComboBox()
        for name in registers:
            self.register.addItem("", name)
        self.buttons = {key: QPushButton() for key in ("template", "import", "export")}
        self.buttons["template"].clicked.connect(lambda: self._ask("template"))
        self.buttons["import"].clicked.connect(lambda: self._ask("import"))
        self.buttons["export"].clicked.connect(lambda: self._ask("export"))
        self.valid_only = QCheckBox()
        for widget in (self.buttons["template"], self.buttons["import"], self.valid_only):
            widget.setVisible(can_import)  # the service refuses all the same: this only spares the click
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.findings = make_table([""] * 4)
        self.findings.setVisible(False)
        self.findings.setMaximumHeight(240)  # the register stays in sight below it
        row = QHBoxLayout()
        row.addWidget(self.register)
        for button in self.buttons.values():
            row.addWidget(button)
        row.addWidget(self.valid_only)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.findings)
        self._set_texts()

    def _set_texts(self) -> None:
        zh = current_language() == "zh_CN"
        for i in range(self.register.count()):
            reg = REGISTERS[self.register.itemData(i)]
            self.register.setItemText(i, reg.zh if zh else reg.en)
        self.buttons["template"].setText(self.tr("Template…"))
        self.buttons["import"].setText(self.tr("Import…"))
        self.buttons["export"].setText(self.tr("Export…"))
        self.valid_only.setText(self.tr("Valid rows only"))
        self.findings.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"), self.tr("Reason"), ""])

    def retranslate(self) -> None:
        self._set_texts()
        if self.report is not None:
            self._show_findings(self.report)

    @property
    def register_name(self) -> str:
        return str(self.register.currentData())

    def _ask(self, action: str) -> None:
        titles = {
            "template": self.tr("Save the register's template"),
            "import": self.tr("Import into the register"),
            "export": self.tr("Export the register"),
        }
        dialog = QFileDialog(self, titles[action])
        if action == "import":
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.setNameFilter(self.tr("Excel or CSV (*.xlsx *.csv)"))
            dialog.fileSelected.connect(self.start_import)
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setNameFilter(self.tr("Excel (*.xlsx)"))
            dialog.setDefaultSuffix("xlsx")
            dialog.selectFile(f"{self.register_name}.xlsx")
            dialog.fileSelected.connect(self.write_template if action == "template" else self.export_to)
        dialog.open()
        self._dialog = dialog

    # ------------------------------------------------------------ the acts (tests call them directly)

    def write_template(self, path: str) -> None:
        name, lang = self.register_name, current_language()
        self._run(
            "template", lambda: write_template(name, Path(path), lang=lang), self.tr("Template written")
        )

    def export_to(self, path: str) -> None:
        name, lang = self.register_name, current_language()

        def export() -> int:
            return self._files.export(self._acting, name, Path(path), lang=lang)

        self._run("export", export, self.tr("Exported"))

    def start_import(self, path: str) -> None:
        name, valid_only = self.register_name, self.valid_only.isChecked()
        progress = QProgressDialog(self.tr("Reading the file…"), "", 0, 0, self)
        progress.setCancelButton(None)  # an import is one transaction: it ends whole or not at all
        progress.setMinimumDuration(0)
        progress.setAutoReset(False)  # the check's end is not the import's
        progress.setAutoClose(False)
        progress.show()
        self.progress = progress
        tell = self._offgui.relay(self._progressed)
        self._set_busy(True)

        def run() -> ImportReport:
            return self._files.import_file(
                self._acting, name, Path(path), valid_only=valid_only, progress=tell
            )

        self._offgui.run(run, self._imported, self._import_failed)

    def _progressed(self, phase: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if phase != "read":
            label = self.tr("Writing rows…")
        elif total:
            label = self.tr("Checking rows…")
        else:  # the file does not say how many rows it has: the bar is a busy bar, the label counts
            label = self.tr("{done} rows checked…").format(done=done)
        self.progress.setLabelText(label)
        self.progress.setMaximum(max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progressed.emit(self.progress.value(), self.progress.maximum())

    def _imported(self, report: ImportReport) -> None:
        self._end_progress()
        self.report = report
        self.message.setText(
            self.tr(
                "{file}: {rows} rows, {inserted} added, {updated} updated, {rejected} rejected, {flagged} flagged"  # noqa: E501
            ).format(
                file=report.file,
                rows=report.rows,
                inserted=report.inserted,
                updated=report.updated,
                rejected=report.rejected_rows,
                flagged=len(report.flagged),
            )
        )
        self._show_findings(report)
        self.imported.emit(report)
        self.finished.emit("import")

    def _import_failed(self, exc: Exception) -> None:
        self._end_progress()
        if isinstance(exc, RegisterIoError) and isinstance(exc.report, ImportReport):
            self.report = exc.report
            self._show_findings(exc.report)
        self._fail(file_problem_text(exc))
        self.finished.emit("import")

    def _end_progress(self) -> None:
        self._set_busy(False)
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _show_findings(self, report: ImportReport) -> None:
        marked = [(self.tr("not imported"), f) for f in report.rejected]
        marked += [(self.tr("imported, flagged"), f) for f in report.flagged]
        self.findings.setRowCount(len(marked))
        for r, (mark, finding) in enumerate(marked):
            self.findings.setItem(r, 0, cell(str(finding.row)))
            self.findings.setItem(r, 1, cell(finding.column))
            self.findings.setItem(r, 2, cell(finding_text(finding)))
            self.findings.setItem(r, 3, cell(mark))
        self.findings.setVisible(bool(marked))
        fill_done(self.findings)

    def _run(self, action: str, fn: Callable[[], Any], done_text: str) -> None:
        self._set_busy(True)

        def done(_: object) -> None:
            self._set_busy(False)
            self.message.setText(done_text)
            self.finished.emit(action)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            self._fail(file_problem_text(exc))
            self.finished.emit(action)

        self._offgui.run(fn, done, failed)

    def _set_busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not busy)

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.failed.emit(text)

    def wait_idle(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)
