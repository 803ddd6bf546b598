"""The contractors register: the list with search, the card (qualifications, workers, violations, the
grade with its rule and any override), and, for administrators and safety managers, the edits.

Reads go through ``PeopleReads``, changes through ``PeopleRegister``, which checks the acting user's
role in the database on every change; all of it off the GUI thread (``views/offgui.py``). Other roles
see the same screen with the edit box disabled; the service refuses them anyway.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.people_inputs import ContractorInput, QualificationInput, ViolationInput
from cockpit.people_reads import ContractorDetail, ContractorRow, PeopleReads
from cockpit.people_register import PeopleRegister
from cockpit.sessions import LoginSession
from models.plant_clock import format_time
from views.people_screen import REASON_TEXTS, PeopleScreen, html_table, rule_lines, state_cell, td, tr
from views.permit_tables import cell, fill_done, make_table
from views.register_parts import make_buttons
from widgets.form_labels import set_form_labels

_FORM_ROWS = 11


class ContractorRegisterView(PeopleScreen):
    listed = Signal(int)
    card_shown = Signal(str)

    def __init__(
        self,
        reads: PeopleReads,
        register: PeopleRegister | None,
        *,
        acting: LoginSession,
        editable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            name="contractor-register", editable=editable and register is not None, parent=parent
        )
        self._reads, self._register, self._acting = reads, register, acting
        self._rows: list[ContractorRow] = []
        self.detail: ContractorDetail | None = None

        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _t: self.refresh())
        self.table = make_table([""] * 4)
        self.table.itemSelectionChanged.connect(self._selected)
        self.card = QTextBrowser()
        self.code, self.name = QLineEdit(), QLineEdit()
        self.q_name, self.q_number, self.q_scope, self.q_from, self.q_to = (QLineEdit() for _ in range(5))
        self.reason = QLineEdit()
        self.grade = QComboBox()
        self.v_worker, self.v_at, self.v_text = QLineEdit(), QLineEdit(), QLineEdit()
        self.v_points = QSpinBox()
        self.v_points.setRange(0, 100)
        for edit in (self.q_from, self.q_to, self.v_at):
            edit.setPlaceholderText("2026-03-01")
        self.buttons = make_buttons(
            (
                ("save", self.save_contractor),
                ("disable", self.toggle_active),
                ("qualification", self.add_qualification),
                ("blacklist", lambda: self.set_blacklist(True)),
                ("lift", lambda: self.set_blacklist(False)),
                ("grade", self.set_grade),
                ("violation", self.record_violation),
            )
        )

        self._build_form()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.table, 1)
        self._lay_out(left, self.card, self.box)
        self._set_texts()

    def _set_texts(self) -> None:
        self.search_box.setPlaceholderText(self.tr("Search: contractor code or name"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Contractor"), self.tr("Grade"), self.tr("State")]
        )
        self.box.setTitle(self.tr("Edit (administrators and safety managers)"))
        set_form_labels(
            self.form,
            (
                self.tr("Contractor code"),
                self.tr("Contractor name"),
                self.tr("Qualification"),
                self.tr("Qualification number"),
                self.tr("Scope"),
                self.tr("Valid from"),
                self.tr("Valid to"),
                self.tr("Reason (blacklist, grade)"),
                self.tr("Grade override"),
                self.tr("Violation: worker ID (optional)"),
                self.tr("Violation points"),
                self.tr("Violation date"),
                self.tr("Violation description"),
            ),
        )
        texts = {
            "save": self.tr("Save contractor"),
            "disable": self.tr("Disable / enable"),
            "qualification": self.tr("Add qualification"),
            "blacklist": self.tr("Blacklist"),
            "lift": self.tr("Lift blacklist"),
            "grade": self.tr("Set grade"),
            "violation": self.tr("Record violation"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        current = self.grade.currentData()
        self.grade.clear()
        self.grade.addItem(self.tr("By the rule (clear the override)"), "")
        for letter in ("A", "B", "C", "D"):
            self.grade.addItem(letter, letter)
        self.grade.setCurrentIndex(max(self.grade.findData(current or ""), 0))

    def retranslate(self) -> None:
        self._set_texts()
        self._show_rows(self._rows)
        self._show_card(self.detail)

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        text = self.search_box.text()
        self._run(lambda: self._reads.contractors(text), self._show_rows)
        if self.detail is not None:
            self.open_card(self.detail.code)

    def _state_text(self, active: bool, blacklisted: bool) -> str:
        if blacklisted:
            return self.tr("BLACKLISTED")
        return self.tr("enabled") if active else self.tr("disabled")

    def _show_rows(self, rows: list[ContractorRow]) -> None:
        self._rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, cell(row.code, row.code))
            self.table.setItem(r, 1, cell(row.name))
            self.table.setItem(r, 2, cell(row.grade))
            self.table.setItem(r, 3, cell(self._state_text(row.active, row.blacklisted)))
        self.table.blockSignals(False)
        fill_done(self.table)
        self.listed.emit(len(rows))

    def open_card(self, code: str) -> None:
        self._run(lambda: self._reads.contractor_detail(code), self._show_card)

    def _rule_text(self, d: ContractorDetail) -> str:
        """The rule's grade and why, in plain words when there was no violation (not "0 points; —")."""
        g, points = d.decision.derived, d.decision.points
        why = ", ".join(tr(REASON_TEXTS[r]) for r in d.decision.reasons if r not in ("override", "points"))
        if points:
            if why:
                return self.tr(
                    "By the rule today: {g} ({p} violation points in the last 12 months; {why})"
                ).format(g=g, p=points, why=why)
            return self.tr("By the rule today: {g} ({p} violation points in the last 12 months)").format(
                g=g, p=points
            )
        if why:
            return self.tr("By the rule today: {g} (no violations in the last 12 months; {why})").format(
                g=g, why=why
            )
        return self.tr("By the rule today: {g} (no violations in the last 12 months)").format(g=g)

    def _show_card(self, d: ContractorDetail | None) -> None:
        self.detail = d
        if d is None:
            self.card.setHtml("")
            return
        if self.code.text() != d.code:
            self.code.setText(d.code)
            self.name.setText(d.name)
        zone = self._reads.zone
        html = [
            f"<h2>{escape(d.name)} ({escape(d.code)})</h2>",
            f"<p>{escape(self._state_text(d.active, d.blacklisted))}</p>",
            "<h3>" + escape(self.tr("Grade in force: {g}").format(g=d.grade)) + "</h3>",
            f"<p>{escape(self._rule_text(d))}</p>",
        ]
        if d.override:
            line = self.tr("Overridden to {g} by {who} on {when}: {why}").format(
                g=d.override,
                who=d.override_by or "—",
                when=format_time(d.override_at, zone, "stamp"),
                why=d.override_reason,
            )
            html.append(f"<p><b>{escape(line)}</b></p>")
        if d.blacklisted:
            blacklisted = self.tr("Blacklisted: {why}").format(why=d.blacklist_reason)
            html.append(f"<p><b>{escape(blacklisted)}</b></p>")
        html.append("<p><i>" + escape(self.tr("The rule")) + "</i></p><ol>")
        html.extend(f"<li>{escape(line)}</li>" for line in rule_lines())
        html.append("</ol>")
        html.extend(self._tables_html(d))
        self.card.setHtml("".join(html))
        self.card_shown.emit(d.code)

    def _build_form(self) -> None:
        self.box = QGroupBox()
        self.form = QFormLayout(self.box)
        rows: list[QWidget | QHBoxLayout] = [
            self.code,
            self.name,
            self.q_name,
            self.q_number,
            self.q_scope,
            self.q_from,
            self.q_to,
            self.reason,
            self.grade,
            self.v_worker,
            self.v_points,
        ]
        for widget in rows:
            self.form.addRow(QLabel(), widget)
        self.form.insertRow(_FORM_ROWS, QLabel(), self.v_at)
        self.form.insertRow(_FORM_ROWS + 1, QLabel(), self.v_text)
        for keys in (("save", "disable", "qualification"), ("blacklist", "lift", "grade", "violation")):
            line = QHBoxLayout()
            for key in keys:
                line.addWidget(self.buttons[key])
            self.form.addRow(line)
        self.form.addRow(self.message)
        if not self.editable:
            self.box.hide()

    def _tables_html(self, d: ContractorDetail) -> list[str]:
        zone = self._reads.zone
        html: list[str] = []
        html.append("<h3>" + escape(self.tr("Qualifications")) + "</h3>")
        html.append(
            html_table(
                [
                    self.tr("Qualification"),
                    self.tr("Number"),
                    self.tr("Scope"),
                    self.tr("Valid from"),
                    self.tr("Valid to"),
                    self.tr("State"),
                ],
                [
                    [
                        td(q.name),
                        td(q.number),
                        td(q.scope),
                        td(q.valid_from),
                        td(q.valid_to),
                        state_cell(q.state, q.days_left),
                    ]
                    for q in d.qualifications
                ],
            )
        )
        html.append("<h3>" + escape(self.tr("Workers ({n})").format(n=len(d.workers))) + "</h3>")
        html.append(
            html_table(
                [self.tr("Worker"), self.tr("Name"), self.tr("Trade"), self.tr("State")],
                [
                    [
                        td(w.worker_id),
                        td(w.name),
                        td(w.trade),
                        td(self.tr("enabled") if w.active else self.tr("disabled")),
                    ]
                    for w in d.workers
                ],
            )
        )
        html.append("<h3>" + escape(self.tr("Violations")) + "</h3>")
        html.append(
            html_table(
                [
                    self.tr("Date"),
                    self.tr("Points"),
                    self.tr("Worker"),
                    self.tr("Description"),
                    self.tr("Recorded by"),
                    self.tr("Counts"),
                ],
                [
                    [
                        td(format_time(v.at, zone, "stamp")),
                        td(v.points),
                        td(f"{v.worker_name} ({v.worker_id})" if v.worker_id else ""),
                        td(v.description),
                        td(v.recorded_by),
                        td(self.tr("yes") if v.counts else self.tr("no (older)")),
                    ]
                    for v in d.violations
                ],
            )
        )
        return html

    # ------------------------------------------------------------ changes

    def _edits(self) -> PeopleRegister:
        assert self._register is not None
        return self._register

    def save_contractor(self) -> None:
        data = ContractorInput(self.code.text(), self.name.text())
        self._act("save", lambda: self._edits().save_contractor(self._acting, data))
        self._follow(data.code.strip())

    def toggle_active(self) -> None:
        code, active = self.code.text().strip(), not (self.detail.active if self.detail else True)
        self._act("disable", lambda: self._edits().set_contractor_active(self._acting, code, active))

    def add_qualification(self) -> None:
        data = QualificationInput(
            self.code.text().strip(),
            self.q_name.text(),
            self.q_number.text(),
            self.q_scope.text(),
            self.q_from.text(),
            self.q_to.text(),
        )
        self._act("qualification", lambda: self._edits().save_qualification(self._acting, data))
        self._follow(data.contractor_code)

    def set_blacklist(self, on: bool) -> None:
        code, reason = self.code.text().strip(), self.reason.text()
        self._act("blacklist", lambda: self._edits().set_blacklist(self._acting, code, on, reason))
        self._follow(code)

    def set_grade(self) -> None:
        code, reason, grade = self.code.text().strip(), self.reason.text(), self.grade.currentData() or None
        self._act("grade", lambda: self._edits().override_grade(self._acting, code, grade, reason))
        self._follow(code)

    def record_violation(self) -> None:
        data = ViolationInput(
            self.v_text.text(),
            self.v_points.value(),
            self.v_worker.text() or None,
            self.code.text().strip(),
            self.v_at.text() or None,
        )
        self._act("violation", lambda: self._edits().record_violation(self._acting, data))
        self._follow(str(data.contractor_code))

    def _follow(self, code: str) -> None:
        """After the change, the card shown is the contractor changed."""
        if code and (self.detail is None or self.detail.code != code):
            self.open_card(code)
