"""What the contractor and worker register screens share: refusals in words, the grade rule in words,
the card's HTML tables with expiry flagged, and the off-GUI call with its message line.

The service says what went wrong as a code with parameters (``cockpit/people_inputs.PeopleProblem``);
these tables say it in the user's language (Chinese in ``resources/translations/zh_CN_glossary.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QVBoxLayout, QWidget

from cockpit.people_inputs import PeopleError, PeopleProblem
from models.errors import UserError
from models.rules import contractor_grade as rule
from views.offgui import OffGui
from views.permit_tables import key_of
from views.read_only import ReadOnlyNotice
from views.session_words import refusal_text as session_refusal
from views.view_model import Retranslated
from widgets import theme
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "PeopleRegister"
PROBLEM_TEXTS: dict[str, str] = {
    PeopleProblem.NOT_EDITOR: QT_TRANSLATE_NOOP(
        "PeopleRegister", "{actor} may not edit the people registers: administrators and safety managers do"
    ),
    PeopleProblem.BAD_CODE: QT_TRANSLATE_NOOP(
        "PeopleRegister", "{field}: {value!r} not allowed (letters, digits, '.', '_', '-')"
    ),
    PeopleProblem.EMPTY: QT_TRANSLATE_NOOP("PeopleRegister", "{field} must not be empty"),
    PeopleProblem.TEXT_LONG: QT_TRANSLATE_NOOP(
        "PeopleRegister", "{field} is too long: at most {max} characters"
    ),
    PeopleProblem.BAD_DATE: QT_TRANSLATE_NOOP(
        "PeopleRegister", "{field}: {value!r} is not a date (2026-03-01)"
    ),
    PeopleProblem.DATES_REVERSED: QT_TRANSLATE_NOOP(
        "PeopleRegister", "{field} {end} is before the start {start}"
    ),
    PeopleProblem.FUTURE: QT_TRANSLATE_NOOP("PeopleRegister", "{field} {value} is in the future"),
    PeopleProblem.BAD_PHONE: QT_TRANSLATE_NOOP("PeopleRegister", "{value!r} is not a phone number"),
    PeopleProblem.BAD_POINTS: QT_TRANSLATE_NOOP(
        "PeopleRegister", "Points must be a whole number from 0 to {max}"
    ),
    PeopleProblem.BAD_SCORE: QT_TRANSLATE_NOOP("PeopleRegister", "The score must be a number from 0 to 100"),
    PeopleProblem.BAD_GRADE: QT_TRANSLATE_NOOP("PeopleRegister", "The grade must be A, B, C or D"),
    PeopleProblem.REASON_NEEDED: QT_TRANSLATE_NOOP("PeopleRegister", "Give a reason first"),
    PeopleProblem.UNKNOWN_CONTRACTOR: QT_TRANSLATE_NOOP("PeopleRegister", "There is no contractor {code}"),
    PeopleProblem.UNKNOWN_WORKER: QT_TRANSLATE_NOOP("PeopleRegister", "There is no worker {worker}"),
    PeopleProblem.UNKNOWN_RECORD: QT_TRANSLATE_NOOP("PeopleRegister", "That record is gone: refresh"),
    PeopleProblem.DUPLICATE_CERTIFICATE: QT_TRANSLATE_NOOP(
        "PeopleRegister", "Certificate {number} already belongs to worker {other}"
    ),
    PeopleProblem.NO_SUBJECT: QT_TRANSLATE_NOOP("PeopleRegister", "Name a worker or a contractor"),
    PeopleProblem.WRONG_CONTRACTOR: QT_TRANSLATE_NOOP(
        "PeopleRegister", "Worker {worker} works for {actual}, not for {given}"
    ),
}
FIELD_TEXTS: dict[str, str] = {
    "contractor code": QT_TRANSLATE_NOOP("PeopleRegister", "Contractor code"),
    "worker ID": QT_TRANSLATE_NOOP("PeopleRegister", "Worker ID"),
    "name": QT_TRANSLATE_NOOP("PeopleRegister", "Name"),
    "qualification": QT_TRANSLATE_NOOP("PeopleRegister", "Qualification"),
    "number": QT_TRANSLATE_NOOP("PeopleRegister", "Number"),
    "scope": QT_TRANSLATE_NOOP("PeopleRegister", "Scope"),
    "trade": QT_TRANSLATE_NOOP("PeopleRegister", "Trade"),
    "issuer": QT_TRANSLATE_NOOP("PeopleRegister", "Issuer"),
    "certificate number": QT_TRANSLATE_NOOP("PeopleRegister", "Certificate number"),
    "training": QT_TRANSLATE_NOOP("PeopleRegister", "Training"),
    "reason": QT_TRANSLATE_NOOP("PeopleRegister", "Reason"),
    "description": QT_TRANSLATE_NOOP("PeopleRegister", "Description"),
    "valid_from": QT_TRANSLATE_NOOP("PeopleRegister", "Valid from"),
    "valid_to": QT_TRANSLATE_NOOP("PeopleRegister", "Valid to"),
    "review_due": QT_TRANSLATE_NOOP("PeopleRegister", "Review due"),
    "trained_on": QT_TRANSLATE_NOOP("PeopleRegister", "Training date"),
    "exam_on": QT_TRANSLATE_NOOP("PeopleRegister", "Exam date"),
    "at": QT_TRANSLATE_NOOP("PeopleRegister", "Violation date"),
}
REASON_TEXTS: dict[str, str] = {
    "blacklisted": QT_TRANSLATE_NOOP("PeopleRegister", "blacklisted"),
    "points": QT_TRANSLATE_NOOP("PeopleRegister", "violation points"),
    "no_qualification": QT_TRANSLATE_NOOP("PeopleRegister", "no qualification on record"),
    "qualification_lapsed": QT_TRANSLATE_NOOP("PeopleRegister", "a qualification has lapsed"),
    "override": QT_TRANSLATE_NOOP("PeopleRegister", "overridden"),
}
_STATE_PRIORITY = {"expired": 2, "expiring_30": 3, "expiring_60": 4}


def tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def problem_text(exc: Exception) -> str:
    refused = session_refusal(exc)  # the login's session itself (cockpit.sessions)
    if refused is not None:
        return refused
    if isinstance(exc, PeopleError):
        text = PROBLEM_TEXTS.get(exc.code)
        if text is not None:
            params = dict(exc.params)
            if "field" in params:
                params["field"] = tr(FIELD_TEXTS.get(str(params["field"]), str(params["field"])))
            return tr(text).format(**params)
    return str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"


def rule_lines() -> list[str]:
    """The grade rule as the safety manager reads it, built from the rule's own numbers."""
    steps = [QCoreApplication.translate("PeopleRegister", "Blacklisted: D, whatever else holds")]
    for (least, grade), upper in zip(rule.POINT_STEPS, (None, 11, 5, 0), strict=True):
        if upper is None:
            steps.append(
                QCoreApplication.translate(
                    "PeopleRegister", "{n} or more violation points in {days} days: {g}"
                ).format(n=least, days=rule.WINDOW_DAYS, g=grade)
            )
        elif least == upper:
            steps.append(
                QCoreApplication.translate(
                    "PeopleRegister", "No violation points in {days} days: {g}"
                ).format(days=rule.WINDOW_DAYS, g=grade)
            )
        else:
            steps.append(
                QCoreApplication.translate("PeopleRegister", "{a} to {b} points: {g}").format(
                    a=least, b=upper, g=grade
                )
            )
    steps.append(
        QCoreApplication.translate(
            "PeopleRegister", "No qualification on record, or one lapsed: {g} at best"
        ).format(g=rule.LAPSED_CAP)
    )
    steps.append(
        QCoreApplication.translate(
            "PeopleRegister", "An override needs a reason; a violation that takes the rule below it ends it"
        )
    )
    return steps


def state_words(state: str | None, days: int | None, *, review: bool = False) -> str:
    """A validity (or, ``review``, a review date: overdue rather than expired) in words."""
    if review and state == "expired":
        return QCoreApplication.translate("PeopleRegister", "REVIEW OVERDUE {n} days").format(n=-(days or 0))
    if review and state in ("expiring_30", "expiring_60"):
        return QCoreApplication.translate("PeopleRegister", "review due in {n} days").format(n=days)
    if state is None:
        return QCoreApplication.translate("PeopleRegister", "no end date")
    return {
        "valid": QCoreApplication.translate("PeopleRegister", "valid"),
        "expiring_60": QCoreApplication.translate("PeopleRegister", "expires in {n} days").format(n=days),
        "expiring_30": QCoreApplication.translate("PeopleRegister", "EXPIRES in {n} days").format(n=days),
        "expired": QCoreApplication.translate("PeopleRegister", "EXPIRED {n} days ago").format(
            n=-(days or 0)
        ),
    }.get(state, state)


def state_cell(state: str | None, days: int | None, *, review: bool = False) -> str:
    """A cell saying the state in words, coloured only when abnormal (ISA-101)."""
    text = escape(state_words(state, days, review=review))
    priority = _STATE_PRIORITY.get(state or "")
    if priority is None:
        return f"<td>{text}</td>"
    bg, fg = theme.priority_color(priority).name(), theme.priority_text_color(priority).name()
    return f"<td style='background-color:{bg}; color:{fg}'><b>{text}</b></td>"


def html_table(headers: list[str], rows: list[list[str]]) -> str:
    """``rows`` hold ready HTML cells (``<td>…</td>``); plain values go through ``td``."""
    if not rows:
        none = QCoreApplication.translate("PeopleRegister", "none")
        return f"<p>{escape(none)}</p>"
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    border = theme.PALETTE.border
    return (
        f"<table width='100%' cellspacing='0' cellpadding='3' border='1' style='border-color:{border}'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def td(value: object) -> str:
    if value is None or value == "":
        return "<td>—</td>"
    return f"<td>{escape(value.isoformat() if isinstance(value, date) else str(value))}</td>"


class PeopleScreen(Retranslated):
    """Off-GUI calls, a message line, and refresh when shown (changes from other consoles appear)."""

    action_done = Signal(str)
    action_failed = Signal(str)

    def __init__(self, *, name: str, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._offgui = OffGui(self, name=name)
        self.editable = editable
        self.message = QLabel()
        self.message.setWordWrap(True)

    table: QTableWidget  # the list; its first column holds each row's key

    def refresh(self) -> None:
        """Read again (subclasses)."""

    def open_card(self, key: str) -> None:
        """Show the record ``key`` (subclasses)."""

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        key = key_of(self.table, rows[0].row(), 0) if rows else None
        if key:
            self.open_card(key)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _lay_out(self, left: QWidget, card: QWidget, form: QWidget) -> None:
        """The list, the card and the editors' form side by side, under the line that says who edits."""
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(card)
        splitter.addWidget(form)  # the editors' only: the others read (ReadOnlyNotice says so)
        splitter.setStretchFactor(0, 3)  # the list whole at 1920 px in English (its State column)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(ReadOnlyNotice(editable=self.editable))
        layout.addWidget(splitter, 1)

    def _act(self, action: str, fn: Callable[[], Any]) -> None:
        def done(_: object) -> None:
            self.message.setText(QCoreApplication.translate("PeopleRegister", "Saved"))
            self.action_done.emit(action)
            self.refresh()

        self._run(fn, done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)

    def wait_idle(self, ms: int = 10000) -> bool:
        return self._offgui.wait(ms)
