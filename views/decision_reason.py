"""The reason of a rejection or a send-back: a code chosen from a list, and optional free text.

The monthly report counts refusals by the code a reason starts with (``isolation: blind flange
missing``, ``cockpit.report.monthly_data.reason_code``); a reason typed as free text alone counted as
"uncoded". The picker stores ``code: text`` (``code:`` without text), so every refusal decided on the
screen is counted under its code; the screens show the code as its word (``decision_reason_text``).
The codes and their words, in both languages, are the monthly report's (``cockpit.report.monthly_texts``:
``REASON_CODES``, ``reason_word``), so the picker offers what the report counts under.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from cockpit.report.monthly_texts import REASON_CODES
from cockpit.report.monthly_texts import reason_word as report_word

_LEADING_CODE = re.compile(r"^(?P<code>[a-z][a-z0-9_]*)\s*[:：]\s*(?P<rest>.*)$", re.DOTALL)


def reason_word(code: str) -> str:
    """A reason code as the monthly report words it, in the screen's language (the code when unknown)."""
    chinese = QLocale().language() == QLocale.Language.Chinese  # views.i18n.Language sets the default
    return report_word(code, "zh_CN" if chinese else "en")


def decision_reason_text(reason: str) -> str:
    """A stored reason with its leading code worded (``isolation: x`` → ``energy isolation: x``)."""
    found = _LEADING_CODE.match(reason or "")
    if found is None or found["code"] not in REASON_CODES:
        return reason
    word, rest = reason_word(found["code"]), found["rest"].strip()
    return f"{word}: {rest}" if rest else word


class DecisionReasonPicker(QWidget):
    """A reason code (required) and free text (optional), side by side."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = QComboBox()
        self.code.setObjectName("reasonCode")
        self.text = QLineEdit()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.code)
        row.addWidget(self.text, 1)
        self.code.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.text.textChanged.connect(lambda _text: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        chosen = self.chosen_code()
        self.code.blockSignals(True)
        self.code.clear()
        self.code.addItem(self.tr("Reason…"), "")
        for code in REASON_CODES:
            self.code.addItem(reason_word(code), code)
        self.code.setCurrentIndex(max(0, self.code.findData(chosen)) if chosen else 0)
        self.code.blockSignals(False)
        self.code.setToolTip(self.tr("What the refusal is about: the monthly report counts it by this"))
        self.text.setPlaceholderText(self.tr("Details (optional)"))

    def chosen_code(self) -> str:
        return str(self.code.currentData() or "")

    def choose(self, code: str) -> None:
        """Pick ``code`` (a key of ``REASON_CODES``)."""
        index = self.code.findData(code)
        if index < 0:
            raise KeyError(code)
        self.code.setCurrentIndex(index)

    def reason(self) -> str:
        """What is stored: ``code: text``, or ``code:`` without text; empty while no code is chosen."""
        code = self.chosen_code()
        if not code:
            return ""
        text = self.text.text().strip()
        return f"{code}: {text}" if text else f"{code}:"

    def clear(self) -> None:
        self.code.setCurrentIndex(0)
        self.text.clear()
