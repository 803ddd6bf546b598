"""The button that saves a PDF (a printed permit, badge sheets): a non-modal file dialog, then the
rendering off the GUI thread; a refusal (no badge key, a forged code, the session) said in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from cockpit.safety_codes import FORGED, NO_KEY, NOT_A_CODE, UNKNOWN, CodeRefused
from views.offgui import OffGui
from views.register_files import current_language
from views.session_words import coded_refusal
from widgets.theme import QT_TRANSLATE_NOOP

CODE_TEXTS: dict[str, str] = {
    NOT_A_CODE: QT_TRANSLATE_NOOP("SafetyCodes", "Not a badge or permit code: {text}"),
    FORGED: QT_TRANSLATE_NOOP(
        "SafetyCodes", "INVALID CODE for {ident}: forged, altered or from another plant. Do not admit."
    ),
    UNKNOWN: QT_TRANSLATE_NOOP("SafetyCodes", "Valid code, but {ident} is not on record here. Do not admit."),
    NO_KEY: QT_TRANSLATE_NOOP(
        "SafetyCodes", "This console has no badge key: store it with `python main.py secret set badge plant`"
    ),
}


def code_refusal(exc: Exception) -> str:
    """A refused scan or print in the screen's language."""
    return coded_refusal(exc, CodeRefused, CODE_TEXTS, "SafetyCodes")


class PdfButton(QPushButton):
    """Asks where to save (non-modal), then runs ``write(path)`` off the GUI thread."""

    saved = Signal(str)  # the path written
    failed = Signal(str)  # the refusal in words

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._offgui = OffGui(self, name=name)
        self._dialog: QFileDialog | None = None
        self._write: Callable[[Path, str], object] | None = None
        self._suggest = "permit.pdf"
        self.setEnabled(False)
        self.clicked.connect(self.ask)

    def prepare(self, write: Callable[[Path, str], object] | None, suggest: str) -> None:
        """What the next click writes, ``write(path, language)`` (None disables the button), and the
        file name it proposes. The language is the screen's when the file is chosen."""
        self._write, self._suggest = write, suggest
        self.setEnabled(write is not None)

    def ask(self) -> None:
        dialog = QFileDialog(self, self.text())
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(self._suggest)
        dialog.fileSelected.connect(self.save_to)
        dialog.open()
        self._dialog = dialog

    def save_to(self, path: str) -> None:
        write, lang = self._write, current_language()
        if write is None:
            return
        label = self.text()
        self.setEnabled(False)
        # 500 badges take about 8 s on a loaded machine (bench/badge_print.py): say it is working
        self.setText(QCoreApplication.translate("SafetyCodes", "Writing the PDF…"))

        def done(_: object) -> None:
            self.setText(label)
            self.setEnabled(True)
            self.saved.emit(path)

        def fail(exc: Exception) -> None:
            self.setText(label)
            self.setEnabled(True)
            self.failed.emit(code_refusal(exc))

        self._offgui.run(lambda: write(Path(path), lang), done, fail)

    def wait_idle(self, ms: int = 10000) -> bool:
        return self._offgui.wait(ms)
