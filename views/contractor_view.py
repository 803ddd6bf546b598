"""Contractor lookup: search as you type, the contractor and worker cards, expiring certificates.

Typing restarts a short timer (250 ms); the search then runs off the GUI thread and only the answer to
the latest text is shown (a sequence number drops the late answers to older texts). The cards are HTML
in a text pane: they can be long (a contractor's workers) and must scroll and wrap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.contractor_performance import ContractorPerformance, Summary
from cockpit.contractor_search import (
    CertificateRow,
    ContractorCard,
    ContractorDirectory,
    PermitRow,
    SearchHit,
    WorkerCard,
)
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import LoginSession
from models.plant_clock import PlantClock, format_time, zone_mark
from views.error_words import error_text
from views.i18n import permit_status_text
from views.offgui import OffGui
from views.performance_words import performance_html
from views.permit_tables import cell, fill_done, key_of, make_table, mark
from views.permit_words import grade_text, type_text
from views.register_files import PEOPLE_REGISTERS, RegisterFilesBar
from views.view_model import Retranslated
from widgets import theme

_STATE_PRIORITY = {"expired": 2, "expiring_30": 3, "expiring_60": 4}


def _heading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


class ContractorView(Retranslated):
    results_shown = Signal(int)
    card_shown = Signal(str, str)  # kind, key
    expiring_loaded = Signal(int, int, int)

    def __init__(
        self,
        directory: ContractorDirectory,
        *,
        clock: Callable[[], datetime] | None = None,
        debounce_ms: int = 250,
        files: RegisterIO | None = None,
        acting: LoginSession | None = None,
        can_import: bool = False,
        performance: ContractorPerformance | None = None,
        plant: PlantClock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # the sites' zones (a permit's window in its plant's time); the card's 90-day safety summary
        self._plant, self._directory, self._performance = plant or PlantClock(), directory, performance
        self._contractor: ContractorCard | None = None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._offgui = OffGui(self, name="contractors")
        self._seq = 0
        self._hits: list[SearchHit] = []
        self.card_kind: str | None = None
        self.card_key: str | None = None

        self.search_box = QLineEdit()
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._typed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.search_now)
        self.results = make_table([""] * 4)
        self.results.itemSelectionChanged.connect(self._open_selected)
        self.card = QTextBrowser()
        self.card.setOpenLinks(False)
        self.expiring = make_table([""] * 7)
        self.expiring.itemSelectionChanged.connect(self._open_expiring)
        self.expiring_title = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.results, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        expiring_page = QWidget()
        exp_layout = QVBoxLayout(expiring_page)
        exp_layout.addWidget(self.expiring_title)
        exp_layout.addWidget(self.expiring, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(expiring_page, "")
        layout = QVBoxLayout(self)
        self.files: RegisterFilesBar | None = None
        if files is not None and acting is not None:  # export for all; import, templates for editors
            self.files = RegisterFilesBar(
                files, acting=acting, registers=PEOPLE_REGISTERS, can_import=can_import
            )
            self.files.imported.connect(lambda _report: self.load_expiring())
            layout.addWidget(self.files)
        layout.addWidget(self.tabs)
        self._set_texts()
        self.load_expiring()

    def _set_texts(self) -> None:
        self.search_box.setPlaceholderText(
            self.tr("Search: contractor name or code, worker name or ID, certificate number, pinyin initials")
        )
        self.results.setHorizontalHeaderLabels(
            [self.tr("Kind"), self.tr("Name"), self.tr("Details"), self.tr("Matched by")]
        )
        self.expiring.setHorizontalHeaderLabels(
            [
                self.tr("State"),
                self.tr("Valid to"),
                self.tr("Worker"),
                self.tr("Name"),
                self.tr("Contractor"),
                self.tr("Certificate"),
                self.tr("Trade"),
            ]
        )
        self.expiring_title.setText(self.tr("Certificates expiring"))
        self.tabs.setTabText(0, self.tr("Lookup"))
        self.tabs.setTabText(1, self.tr("Expiring certificates"))

    def retranslate(self) -> None:
        """Every text in the current language; the results, the open card and the list shown again in it."""
        self._set_texts()
        self._on_results((self._seq, self._hits))
        if self.card_kind is not None and self.card_key is not None:
            self.open_card(self.card_kind, self.card_key)
        self.load_expiring()

    def _today(self) -> date:
        """The plant's date (a UTC date is yesterday's until 08:00 in Shanghai)."""
        return self._plant.local(self._clock()).date()

    # ------------------------------------------------------------ search

    def _typed(self, _text: str) -> None:
        self._debounce.start()

    def search_now(self) -> None:
        self._debounce.stop()
        self._seq += 1
        seq, text = self._seq, self.search_box.text()
        self._offgui.run(lambda: (seq, self._directory.search(text)), self._on_results, self._on_error)

    def _on_results(self, answer: tuple[int, list[SearchHit]]) -> None:
        seq, hits = answer
        if seq != self._seq:
            return  # an answer to an older text
        self._hits = hits
        kinds = {
            "contractor": self.tr("contractor"),
            "worker": self.tr("worker"),
            "certificate": self.tr("certificate"),
        }
        matched = {
            "code": self.tr("code"),
            "name": self.tr("name"),
            "worker_id": self.tr("worker ID"),
            "certificate": self.tr("certificate number"),
            "initials": self.tr("pinyin initials"),
        }
        self.results.blockSignals(True)
        self.results.clearSelection()  # a new list: the first click on any row opens its card
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            self.results.setItem(row, 0, cell(kinds[hit.kind], f"{hit.kind}\t{hit.key}"))
            self.results.setItem(row, 1, cell(hit.title))
            self.results.setItem(row, 2, cell(hit.detail))
            self.results.setItem(row, 3, cell(matched[hit.matched]))
        self.results.blockSignals(False)
        fill_done(self.results)
        self.results_shown.emit(len(hits))

    def _open_selected(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if not rows:
            return
        kind, key = (key_of(self.results, rows[0].row(), 0) or "\t").split("\t", 1)
        self.open_card("contractor" if kind == "contractor" else "worker", key)

    def _open_expiring(self) -> None:
        rows = self.expiring.selectionModel().selectedRows()
        if rows:
            key = key_of(self.expiring, rows[0].row(), 2)
            if key:
                self.tabs.setCurrentIndex(0)
                self.open_card("worker", str(key))

    def open_card(self, kind: str, key: str) -> None:
        today = self._today()
        if kind == "contractor":
            self._offgui.run(
                lambda: self._directory.contractor_card(key, today), self._show_contractor, self._on_error
            )
            performance = self._performance
            if performance is not None:  # the whole ranking is read: after the card, not before it
                self._offgui.run(
                    lambda: performance.summary(key), lambda got: self._took_summary(key, got), self._on_error
                )
        else:
            self._offgui.run(
                lambda: self._directory.worker_card(key, today), self._show_worker, self._on_error
            )

    # ------------------------------------------------------------ cards

    def _state_words(self, state: str, days: int | None) -> str:
        return {
            "valid": self.tr("valid"),
            "expiring_60": self.tr("expires in {n} days").format(n=days),
            "expiring_30": self.tr("EXPIRES in {n} days").format(n=days),
            "expired": self.tr("EXPIRED {n} days ago").format(n=-(days or 0)),
            "no_date": self.tr("no end date on record"),
            "none": self.tr("no certificate"),
        }.get(state, state)

    def _days(self, end: date | None) -> int | None:
        return None if end is None else (end - self._today()).days

    @staticmethod
    def _state_cell(text: str, state: str) -> str:
        priority = _STATE_PRIORITY.get(state)
        if priority is None:
            return f"<td>{escape(text)}</td>"
        bg, fg = theme.priority_color(priority).name(), theme.priority_text_color(priority).name()
        return f"<td style='background-color:{bg}; color:{fg}'><b>{escape(text)}</b></td>"

    def _none(self) -> str:
        none = self.tr("none")  # outside any f-string: lupdate does not look inside one
        return f"<p>{escape(none)}</p>"

    def _table(self, headers: list[str], rows: list[str]) -> str:
        if not rows:
            return self._none()
        head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
        border = theme.PALETTE.border
        return (
            f"<table width='100%' cellspacing='0' cellpadding='3' border='1' style='border-color:{border}'>"
            f"<tr>{head}</tr>{''.join(rows)}</table>"
        )

    def _permits_html(self, permits: list[PermitRow]) -> str:
        if not permits:
            return self._none()
        rows = [
            "<tr>"
            f"<td>{escape(p.permit_id)}</td>"
            f"<td>{escape((type_text(p.type) + ' ' + grade_text(p.grade)).strip())}</td>"
            f"<td>{escape(permit_status_text(p.status.value))}</td><td>{escape(p.area_name)}</td>"
            f"<td>{self._window(p)}</td></tr>"
            for p in permits
        ]
        return self._table(
            [self.tr("Permit"), self.tr("Type"), self.tr("Status"), self.tr("Area"), self.tr("Window")], rows
        )

    def _window(self, p: PermitRow) -> str:
        """A permit's window in its site's time, with the zone's mark (never UTC on the card)."""
        zone = self._plant.zone(p.site)
        start, end = format_time(p.valid_from, zone, "stamp"), format_time(p.valid_to, zone, "stamp")
        return escape(f"{start} → {end} ({zone_mark(zone, p.valid_from)})")

    def _points(self, points: int) -> str:
        """A score with its unit: "(4 points)", "(1 point)"."""
        return self.tr("(1 point)") if points == 1 else self.tr("({n} points)").format(n=points)

    def _took_summary(self, code: str, summary: Summary) -> None:
        card = self._contractor  # the card shown; the operator may have opened another meanwhile
        if card is not None and card.code == code and self.card_kind == "contractor":
            self._show_contractor(card, summary)

    def _show_contractor(self, card: ContractorCard | None, summary: Summary | None = None) -> None:
        self._contractor = card
        if card is None:
            self.card.setHtml(escape(self.tr("Not found")))
            return
        html = [f"<h2>{escape(card.name)} ({escape(card.code)})</h2>"]
        grade = self.tr("Grade {g}").format(g=card.grade)
        html.append(f"<p>{escape(grade)}</p>")
        if card.blacklisted:
            words = self.tr("BLACKLISTED: {why}").format(why=card.blacklist_reason)
            html.append(f"<table cellpadding='4'><tr>{self._state_cell(words, 'expired')}</tr></table>")
        if summary is not None:  # read off the GUI thread after the card; worded here, in today's language
            html.append(performance_html(*summary))
        elif self._performance is not None:
            reading = self.tr("Safety performance of the last 90 days: reading…")
            html.append(f"<p><i>{escape(reading)}</i></p>")
        html.append(_heading(self.tr("Qualifications")))
        html.append(
            self._table(
                [self.tr("Qualification"), self.tr("Number"), self.tr("Valid to"), self.tr("State")],
                [
                    f"<tr><td>{escape(q.name)}</td><td>{escape(q.number)}</td><td>{q.valid_to or '—'}</td>"
                    f"{self._state_cell(self._state_words(q.state, q.days_left), q.state)}</tr>"
                    for q in card.qualifications
                ],
            )
        )
        title = self.tr("Violations ({n}, {p} points)").format(
            n=len(card.violations), p=card.violation_points
        )
        html.append(f"<h3>{escape(title)}</h3>")
        html.append(
            "<ul>"
            + "".join(
                f"<li>{at:%Y-%m-%d}: {escape(d)} {escape(self._points(p))}</li>"
                for at, d, p in card.violations[:20]
            )
            + "</ul>"
            if card.violations
            else self._none()
        )
        html.append(_heading(self.tr("Workers ({n})").format(n=len(card.workers))))
        html.append(
            self._table(
                [self.tr("Worker"), self.tr("Name"), self.tr("Trade"), self.tr("Certificates")],
                [
                    f"<tr><td>{escape(w.worker_id)}</td><td>{escape(w.name)}</td><td>{escape(w.trade)}</td>"
                    + self._state_cell(
                        self._state_words(w.worst_state, self._days(w.next_expiry)), w.worst_state
                    )
                    + "</tr>"
                    for w in card.workers
                ],
            )
        )
        html.append(_heading(self.tr("Current permits")))
        html.append(self._permits_html(card.permits))
        self.card.setHtml("".join(html))
        self.card_kind, self.card_key = "contractor", card.code
        self.card_shown.emit("contractor", card.code)

    def _show_worker(self, card: WorkerCard | None) -> None:
        if card is None:
            self.card.setHtml(escape(self.tr("Not found")))
            return
        html = [f"<h2>{escape(card.name)} ({escape(card.worker_id)})</h2>"]
        employer = card.contractor_name or self.tr("own staff")
        line = self.tr("Trade: {trade} · {employer} · phone {phone}").format(
            trade=card.trade or "—", employer=employer, phone=card.phone or "—"
        )
        html.append(f"<p>{escape(line)}</p>")
        html.append(_heading(self.tr("Certificates")))
        html.append(
            self._table(
                [
                    self.tr("Number"),
                    self.tr("Trade"),
                    self.tr("Valid to"),
                    self.tr("Review due"),
                    self.tr("State"),
                ],
                [
                    f"<tr><td>{escape(c.number)}</td><td>{escape(c.trade)}</td><td>{c.valid_to}</td>"
                    f"<td>{c.review_due or '—'}</td>"
                    + self._state_cell(self._state_words(c.state, c.days_left), c.state)
                    + "</tr>"
                    for c in card.certificates
                ],
            )
        )
        html.append(_heading(self.tr("Training and authorised scope")))
        html.append(
            self._table(
                [self.tr("Training"), self.tr("Date"), self.tr("Scope")],
                [
                    f"<tr><td>{escape(n)}</td><td>{d}</td><td>{escape(s)}</td></tr>"
                    for n, d, s in card.trainings
                ],
            )
        )
        html.append(_heading(self.tr("Permits, current and past")))
        html.append(self._permits_html(card.permits))
        self.card.setHtml("".join(html))
        self.card_kind, self.card_key = "worker", card.worker_id
        self.card_shown.emit("worker", card.worker_id)

    # ------------------------------------------------------------ expiring certificates

    def load_expiring(self) -> None:
        today = self._today()
        self._offgui.run(
            lambda: self._directory.expiring_certificates(today), self._on_expiring, self._on_error
        )

    def _on_expiring(
        self, lists: tuple[list[CertificateRow], list[CertificateRow], list[CertificateRow]]
    ) -> None:
        within_30, within_60, expired = lists
        rows = [*expired, *within_30, *within_60]
        table: QTableWidget = self.expiring
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, c in enumerate(rows):
            state = cell(self._state_words(c.state, c.days_left))
            mark(state, _STATE_PRIORITY.get(c.state))
            table.setItem(r, 0, state)
            table.setItem(r, 1, cell(c.valid_to.isoformat()))
            table.setItem(r, 2, cell(c.worker_id, c.worker_id))
            table.setItem(r, 3, cell(c.worker_name))
            table.setItem(r, 4, cell(c.contractor or self.tr("own staff")))
            table.setItem(r, 5, cell(c.number))
            table.setItem(r, 6, cell(c.trade))
        table.blockSignals(False)
        fill_done(table)
        self.expiring_title.setText(
            self.tr("Certificates: {e} expired, {a} expiring within 30 days, {b} within 60 days").format(
                e=len(expired), a=len(within_30), b=len(within_60)
            )
        )
        self.expiring_loaded.emit(len(within_30), len(within_60), len(expired))

    def _on_error(self, exc: Exception) -> None:
        self.card.setHtml(escape(error_text(exc)))

    # ------------------------------------------------------------ tests and shutdown

    def wait_idle(self, ms: int = 5000) -> bool:
        return self._offgui.wait(ms)

    def result_keys(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.results.rowCount()):
            kind, key = (key_of(self.results, r, 0) or "\t").split("\t", 1)
            out.append((kind, key))
        return out
