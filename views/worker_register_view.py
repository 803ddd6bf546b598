"""The workers register: the list with search (ID, name, certificate number, employer), the card
(certificates with expiry and review flagged, trainings, the admission exam, violations) and, for
administrators and safety managers, the edits. Same plumbing as ``contractor_register_view``.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
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

from cockpit.people_inputs import CertificateInput, ExamInput, TrainingInput, ViolationInput, WorkerInput
from cockpit.people_reads import PeopleReads, WorkerDetail, WorkerRow
from cockpit.people_register import PeopleRegister
from cockpit.safety_code_service import PermitLive, SafetyCodes, WorkerCard, WorkerPermit
from cockpit.safety_codes import looks_like_code
from cockpit.sessions import LoginSession
from models.plant_clock import format_time
from views.pdf_button import PdfButton, code_refusal
from views.people_screen import PeopleScreen, html_table, state_cell, td
from views.permit_tables import cell, fill_done, make_table
from views.register_parts import make_buttons
from views.safety_code_views import banner_html, permit_live_html, worker_permits_html
from widgets.form_labels import set_form_labels


class WorkerRegisterView(PeopleScreen):
    """The search box is also the lookup panel: a scanner types a badge's or a permit's code and Enter
    (``cockpit/safety_code_service.py``); the card then shows the worker, or the permit's live state."""

    listed = Signal(int)
    card_shown = Signal(str)
    scanned = Signal(str)  # "worker:ID", "permit:ID:STATUS", or "refused:CODE"

    def __init__(
        self,
        reads: PeopleReads,
        register: PeopleRegister | None,
        *,
        acting: LoginSession,
        editable: bool,
        codes: SafetyCodes | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name="worker-register", editable=editable and register is not None, parent=parent)
        self._reads, self._register, self._acting = reads, register, acting
        self._rows: list[WorkerRow] = []
        self.detail: WorkerDetail | None = None
        self._codes = codes
        self._permits: list[WorkerPermit] | None = None  # on the card (None: no lookup service)
        self.permit_live: PermitLive | None = None  # a scanned permit shown instead of a worker
        self._refusal = ""  # a refused scan, shown in red where the card was

        self.search_box, self.badges = self._lookup()
        self.table = make_table([""] * 5)
        self.table.itemSelectionChanged.connect(self._selected)
        self.card = QTextBrowser()
        self.worker_id, self.name, self.trade, self.phone = (QLineEdit() for _ in range(4))
        self.contractor = QComboBox()
        self.c_number, self.c_trade, self.c_issuer, self.c_from, self.c_to, self.c_review = (
            QLineEdit() for _ in range(6)
        )
        self.t_name, self.t_on, self.t_scope = QLineEdit(), QLineEdit(), QLineEdit()
        self.e_passed, self.e_score, self.e_on = QCheckBox(), QLineEdit(), QLineEdit()
        self.v_points, self.v_at, self.v_text = QSpinBox(), QLineEdit(), QLineEdit()
        self.v_points.setRange(0, 100)
        for edit in (self.c_from, self.c_to, self.c_review, self.t_on, self.e_on, self.v_at):
            edit.setPlaceholderText("2026-03-01")
        self.buttons = make_buttons(
            (
                ("save", self.save_worker),
                ("disable", self.toggle_active),
                ("certificate", self.save_certificate),
                ("training", self.add_training),
                ("exam", self.record_exam),
                ("violation", self.record_violation),
            )
        )

        self.box = QGroupBox()
        self.form = QFormLayout(self.box)
        for widget in (
            self.worker_id, self.name, self.contractor, self.trade, self.phone,
            self.c_number, self.c_trade, self.c_issuer, self.c_from, self.c_to, self.c_review,
            self.t_name, self.t_on, self.t_scope, self.e_passed, self.e_score, self.e_on,
            self.v_points, self.v_at, self.v_text,
        ):  # fmt: skip
            self.form.addRow(QLabel(), widget)
        for keys in (("save", "disable", "certificate"), ("training", "exam", "violation")):
            line = QHBoxLayout()
            for key in keys:
                line.addWidget(self.buttons[key])
            self.form.addRow(line)
        self.form.addRow(self.message)
        if not self.editable:
            self.box.hide()

        self._lay_out(self._left(), self.card, self.box)
        self._set_texts()

    def _set_texts(self) -> None:
        self.search_box.setPlaceholderText(
            self.tr("Search or scan: ID, name, certificate, contractor, badge, permit")
        )
        self.badges.setText(self.tr("Print badges of the listed workers…"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Worker"), self.tr("Name"), self.tr("Contractor"), self.tr("Trade"), self.tr("State")]
        )
        self.box.setTitle(self.tr("Edit (administrators and safety managers)"))
        set_form_labels(
            self.form,
            (
                self.tr("Worker ID"),
                self.tr("Name"),
                self.tr("Contractor"),
                self.tr("Trade"),
                self.tr("Phone"),
                self.tr("Certificate number"),
                self.tr("Certificate trade"),
                self.tr("Issuer"),
                self.tr("Valid from"),
                self.tr("Valid to"),
                self.tr("Review due"),
                self.tr("Training"),
                self.tr("Training date"),
                self.tr("Authorised scope"),
                self.tr("Exam passed"),
                self.tr("Exam score"),
                self.tr("Exam date"),
                self.tr("Violation points"),
                self.tr("Violation date"),
                self.tr("Violation description"),
            ),
        )
        texts = {
            "save": self.tr("Save worker"),
            "disable": self.tr("Disable / enable"),
            "certificate": self.tr("Save certificate"),
            "training": self.tr("Add training"),
            "exam": self.tr("Record exam"),
            "violation": self.tr("Record violation"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        if self.contractor.count():
            self.contractor.setItemText(0, self.tr("own staff"))

    def retranslate(self) -> None:
        self._set_texts()
        self._show_rows(self._rows)
        if self.permit_live is not None:
            self._show_permit(self.permit_live)
        elif self._refusal:
            self.card.setHtml(banner_html(self._refusal, alarming=True))
        else:
            self._show_card(self.detail, self._permits)

    # ------------------------------------------------------------ reads

    def refresh(self) -> None:
        text = self.search_box.text()
        self._run(self._reads.contractor_choices, self._show_choices)
        self._run(lambda: self._reads.workers(text), self._show_rows)
        if self.detail is not None:
            self.open_card(self.detail.worker_id)

    def _show_choices(self, choices: list[tuple[str, str]]) -> None:
        current = self.contractor.currentData()
        self.contractor.clear()
        self.contractor.addItem(self.tr("own staff"), "")
        for code, name in choices:
            self.contractor.addItem(f"{name} ({code})", code)
        self.contractor.setCurrentIndex(max(self.contractor.findData(current or ""), 0))

    def _show_rows(self, rows: list[WorkerRow]) -> None:
        self._rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, cell(row.worker_id, row.worker_id))
            self.table.setItem(r, 1, cell(row.name))
            self.table.setItem(r, 2, cell(row.contractor_name or self.tr("own staff")))
            self.table.setItem(r, 3, cell(row.trade))
            self.table.setItem(r, 4, cell(self.tr("enabled") if row.active else self.tr("disabled")))
        self.table.blockSignals(False)
        fill_done(self.table)
        self.listed.emit(len(rows))
        ids, codes, acting = [r.worker_id for r in rows], self._codes, self._acting
        if codes is not None and ids:
            self.badges.prepare(
                lambda path, lang: codes.print_badges(acting, ids, path, lang=lang), "badges.pdf"
            )
        else:
            self.badges.prepare(None, "badges.pdf")

    def open_card(self, worker_id: str) -> None:
        codes = self._codes
        if codes is None:
            self._run(lambda: self._reads.worker_detail(worker_id), self._show_card)
            return
        self._run(lambda: codes.worker_card(worker_id), self._on_card)

    # ------------------------------------------------------------ scans (the lookup panel)

    def _lookup(self) -> tuple[QLineEdit, PdfButton]:
        """The search box, which takes scans too, and the badge sheets' button beside it."""
        box = QLineEdit()
        box.setClearButtonEnabled(True)
        box.textChanged.connect(self._searched)
        box.returnPressed.connect(self.scan_entered)
        button = PdfButton("worker-badges")
        button.saved.connect(self._badges_saved)
        button.failed.connect(self.message.setText)
        button.setVisible(self._codes is not None and self.editable)
        return box, button

    def _left(self) -> QWidget:
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)  # the whole width: its hint says a scan goes here too
        layout.addWidget(self.table, 1)
        layout.addWidget(self.badges)
        return left

    def _badges_saved(self, path: str) -> None:
        self.message.setText(self.tr("Badges saved to %1").replace("%1", path))

    def _searched(self, text: str) -> None:
        if not looks_like_code(text):  # a scanner typing a code: wait for its Enter
            self.refresh()

    def scan_entered(self) -> None:
        text = self.search_box.text()
        if self._codes is None or not looks_like_code(text):
            return
        codes, acting = self._codes, self._acting
        self.search_box.clear()  # the next scan starts empty; the list shows everyone again
        self._offgui.run(lambda: codes.scan(acting, text), self._on_scan, self._scan_refused)

    def _on_scan(self, found: WorkerCard | PermitLive) -> None:
        self._refusal = ""
        if isinstance(found, PermitLive):
            self._show_permit(found)
            self.scanned.emit(f"permit:{found.permit_id}:{found.status}")
            return
        self._on_card(found)
        self.scanned.emit(f"worker:{found.detail.worker_id}")

    def _scan_refused(self, exc: Exception) -> None:
        self.detail, self.permit_live, self._permits = None, None, None
        self._refusal = code_refusal(exc)
        self.card.setHtml(banner_html(self._refusal, alarming=True))
        self.scanned.emit(f"refused:{getattr(exc, 'code', type(exc).__name__)}")

    def _show_permit(self, live: PermitLive) -> None:
        self.permit_live, self.detail = live, None
        self.card.setHtml(permit_live_html(live, self._reads.zone))

    def _on_card(self, card: WorkerCard) -> None:
        self._refusal = ""
        self._show_card(card.detail, card.permits)

    def _show_card(self, d: WorkerDetail | None, permits: list[WorkerPermit] | None = None) -> None:
        self.detail, self._permits, self.permit_live = d, permits, None
        if d is None:
            self.card.setHtml("")
            return
        if self.worker_id.text() != d.worker_id:
            self.worker_id.setText(d.worker_id)
            self.name.setText(d.name)
            self.trade.setText(d.trade)
            self.phone.setText(d.phone)
            self.contractor.setCurrentIndex(max(self.contractor.findData(d.contractor_code or ""), 0))
        employer = f"{d.contractor_name} ({d.contractor_code})" if d.contractor_code else self.tr("own staff")
        state = self.tr("enabled") if d.active else self.tr("disabled")
        line = self.tr("{employer} · trade {trade} · phone {phone} · {state}").format(
            employer=employer, trade=d.trade or "—", phone=d.phone or "—", state=state
        )
        if d.exam_on is None:
            exam = self.tr("Admission exam: none on record")
        else:
            exam = self.tr("Admission exam: {result}, score {score}, on {on}").format(
                result=self.tr("passed") if d.exam_passed else self.tr("FAILED"),
                score="—" if d.exam_score is None else f"{d.exam_score:g}",
                on=d.exam_on.isoformat(),
            )
        html = [
            f"<h2>{escape(d.name)} ({escape(d.worker_id)})</h2>",
            f"<p>{escape(line)}</p>",
            f"<p><b>{escape(exam)}</b></p>",
            "<h3>" + escape(self.tr("Certificates")) + "</h3>",
            html_table(
                [self.tr("Number"), self.tr("Trade"), self.tr("Issuer"), self.tr("Valid from"),
                 self.tr("Valid to"), self.tr("State"), self.tr("Review due"), self.tr("Review")],
                [[td(c.number), td(c.trade), td(c.issuer), td(c.valid_from), td(c.valid_to),
                  state_cell(c.state, c.days_left), td(c.review_due),
                  state_cell(c.review_state, c.review_days, review=True) if c.review_due else td(None)]
                 for c in d.certificates],
            ),
            "<h3>" + escape(self.tr("Trainings")) + "</h3>",
            html_table(
                [self.tr("Training"), self.tr("Date"), self.tr("Authorised scope")],
                [[td(t.name), td(t.trained_on), td(t.scope)] for t in d.trainings],
            ),
            "<h3>" + escape(self.tr("Violations")) + "</h3>",
            html_table(
                [self.tr("Date"), self.tr("Points"), self.tr("Contractor"), self.tr("Description"),
                 self.tr("Recorded by")],
                [[td(format_time(v.at, self._reads.zone, "stamp")), td(v.points), td(v.contractor_code),
                  td(v.description), td(v.recorded_by)] for v in d.violations],
            ),
        ]  # fmt: skip
        if permits is not None:
            html.insert(3, worker_permits_html(permits, self._reads.zone))
            if not d.active:  # a scanned badge of one who left: the gate must see it at once
                html.insert(0, banner_html(self.tr("DISABLED: this worker may not work here"), alarming=True))
        self.card.setHtml("".join(html))
        self.card_shown.emit(d.worker_id)

    # ------------------------------------------------------------ changes

    def _edits(self) -> PeopleRegister:
        assert self._register is not None
        return self._register

    def _wid(self) -> str:
        return self.worker_id.text().strip()

    def save_worker(self) -> None:
        data = WorkerInput(
            self.worker_id.text(), self.name.text(), self.contractor.currentData() or None,
            self.trade.text(), self.phone.text(),
        )  # fmt: skip
        self._act("save", lambda: self._edits().save_worker(self._acting, data))
        self._follow()

    def toggle_active(self) -> None:
        wid, active = self._wid(), not (self.detail.active if self.detail else True)
        self._act("disable", lambda: self._edits().set_worker_active(self._acting, wid, active))

    def save_certificate(self) -> None:
        data = CertificateInput(
            self._wid(), self.c_number.text(), self.c_trade.text(), self.c_from.text(), self.c_to.text(),
            self.c_issuer.text(), self.c_review.text(),
        )  # fmt: skip
        self._act("certificate", lambda: self._edits().save_certificate(self._acting, data))
        self._follow()

    def add_training(self) -> None:
        data = TrainingInput(self._wid(), self.t_name.text(), self.t_on.text(), self.t_scope.text())
        self._act("training", lambda: self._edits().add_training(self._acting, data))
        self._follow()

    def record_exam(self) -> None:
        data = ExamInput(self._wid(), self.e_passed.isChecked(), self.e_on.text(), self.e_score.text())
        self._act("exam", lambda: self._edits().record_exam(self._acting, data))
        self._follow()

    def record_violation(self) -> None:
        data = ViolationInput(
            self.v_text.text(), self.v_points.value(), self._wid(), None, self.v_at.text() or None
        )
        self._act("violation", lambda: self._edits().record_violation(self._acting, data))
        self._follow()

    def _follow(self) -> None:
        wid = self._wid()
        if wid and (self.detail is None or self.detail.worker_id != wid):
            self.open_card(wid)
