"""The line a register screen shows to the roles that only read it: who changes the register.

The services refuse every change from those roles anyway (``cockpit/plant_register.py``,
``cockpit/people_register.py`` …); the screens hide their editing parts for them and say why here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from widgets.theme import QT_TRANSLATE_NOOP

READ_ONLY_TEXT = QT_TRANSLATE_NOOP(
    "ReadOnly", "You can read this register; administrators and safety managers change it."
)


class ReadOnlyNotice(QLabel):
    """Hidden on an editor's screen; says itself again when the language changes."""

    def __init__(self, *, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # one line high: a word-wrapped label in a box layout otherwise takes half the screen's height
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        if editable:
            self.hide()  # never show() here: a label without a parent yet would open as a window
        self._say()

    def _say(self) -> None:
        self.setText(QCoreApplication.translate("ReadOnly", READ_ONLY_TEXT))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._say()
        super().changeEvent(event)
