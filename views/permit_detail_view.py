"""One permit on one screen: everything the approver needs to decide, every check already run.

The view only shows a :class:`cockpit.permit_service.PermitDetail` (built off the GUI thread); it does
no database work. Each check line says its verdict in words (OK / BLOCKS / WARNING) and only the
abnormal ones carry colour (a priority border from the stylesheet), as ISA-101 asks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from cockpit.permit_service import PermitDetail
from cockpit.permits.evidence import PermitEvidence
from cockpit.permits.signing import GREEN_PREFIX
from models.plant_clock import format_time
from models.records import PermitType
from models.rules.grading import BEAUFORT_GRADE_UP, beaufort_force
from views.decision_reason import decision_reason_text
from views.evidence_section import Evidence, EvidenceBody, load_evidence, show_evidence
from views.finding_words import cause_text, finding_text, term_text
from views.finding_words import duration_text as format_duration
from views.i18n import decision_text, level_text, permit_status_text
from views.offgui import OffGui
from views.pdf_button import PdfButton
from views.permit_words import grade_text, type_text
from views.view_model import Retranslated
from widgets import theme
from widgets.site_map import AreaShape, SiteMap
from widgets.theme import QT_TRANSLATE_NOOP  # str-typed, unlike the stub of Qt's own
from widgets.value_tile import RISK_TEXT

log = logging.getLogger(__name__)

_CONTEXT = "PermitDetailView"

_PREREQ_WORDS = {
    "jsa": QT_TRANSLATE_NOOP("PermitDetailView", "Job safety analysis (JSA)"),
    "isolation": QT_TRANSLATE_NOOP("PermitDetailView", "Energy isolation (LOTO)"),
    "gas_test": QT_TRANSLATE_NOOP("PermitDetailView", "Gas test"),
}
_CERT_WORDS = {
    "valid": QT_TRANSLATE_NOOP("PermitDetailView", "valid"),
    "expiring": QT_TRANSLATE_NOOP("PermitDetailView", "expiring in {n} days"),
    "expired": QT_TRANSLATE_NOOP("PermitDetailView", "EXPIRED, blocks"),
    "missing": QT_TRANSLATE_NOOP("PermitDetailView", "NO CERTIFICATE, blocks"),
    "not_required": QT_TRANSLATE_NOOP("PermitDetailView", "not required"),
}


def _tr(text: str) -> str:
    """The marked text translated."""
    return QCoreApplication.translate(_CONTEXT, text)


def _risk_words(level: str | None) -> str:
    """An area's risk level as the tiles word it ("GENERAL risk", "一般风险")."""
    key = level or "low"
    return theme.translated("AreaTile", RISK_TEXT[key]) if key in RISK_TEXT else key


def _local(moment: datetime | None, zone: str) -> str:
    return format_time(moment, zone, "stamp", empty="—")


_VERDICT_WORDS = {
    "ok": QT_TRANSLATE_NOOP("PermitDetailView", "OK"),
    "block": QT_TRANSLATE_NOOP("PermitDetailView", "BLOCKS"),
    "warn": QT_TRANSLATE_NOOP("PermitDetailView", "WARNING"),
    "info": "",
}
_VERDICT_PRIORITY = {"block": 2, "warn": 4}


class PermitDetailView(Retranslated):
    """Header and a small map of the area on top; below, the checks in a scrolling text pane.

    Sections: what and where, grade and validity, prerequisites, gas test, workers, contractor,
    conflicts, approval matrix, every finding, and (given ``evidence``) the key-step photos, fetched
    and checked on a worker of their own once per permit shown (``views/evidence_section.py``). The
    checks are HTML rows: a verdict word (coloured only when abnormal) and the sentence.
    """

    evidence_shown = Signal(str)  # the permit whose photos were fetched, checked and shown

    def __init__(self, parent: QWidget | None = None, *, evidence: PermitEvidence | None = None) -> None:
        super().__init__(parent)
        self._evidence_source = evidence
        self._evidence_worker = OffGui(self, name="permit-photos") if evidence is not None else None
        self._evidence_asked: PermitDetail | None = None
        self.evidence: Evidence | None = None
        self.evidence_lines: list[tuple[str, str, str]] = []  # (fetch state, step, line) of each photo
        self.header = QLabel()
        self.header.setFont(theme.scaled_font(14, bold=True))
        self.subheader = QLabel()
        self._facts = QLabel()
        self._facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.map = SiteMap()
        self.map.setFixedHeight(150)
        self.map.setMinimumWidth(220)
        self.print_button = PdfButton("permit-print")  # shown once a printer is set (set_printer)
        self.print_button.setVisible(False)
        self._printer: Callable[[str, Path, str], object] | None = None
        self.print_message = QLabel()
        self.print_button.saved.connect(self._printed)
        self.print_button.failed.connect(self.print_message.setText)
        self.body = EvidenceBody()
        self.body.setOpenLinks(False)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        top = QGridLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.header, 0, 0)
        top.addWidget(self.print_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.subheader, 1, 0, 1, 2)
        top.addWidget(self._facts, 2, 0)
        top.addWidget(self.map, 2, 1)
        top.setColumnStretch(0, 3)
        top.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.print_message)
        layout.addWidget(self.body, 1)
        self.map.setVisible(False)
        self.detail: PermitDetail | None = None
        self._shown_at: datetime | None = None
        self._lines: list[tuple[str, str]] = []
        self._html: list[str] = []
        self.retranslate()

    def set_printer(self, printer: Callable[[str, Path, str], object] | None) -> None:
        """``printer(permit_id, path, language)`` writes the permit in its form (``print_permit``)."""
        self._printer = printer
        self.print_button.setVisible(printer is not None)
        self._prepare_print()

    def _printed(self, path: str) -> None:
        self.print_message.setText(self.tr("Saved: %1").replace("%1", path))

    def _prepare_print(self) -> None:
        printer, detail = self._printer, self.detail
        if printer is None or detail is None:
            self.print_button.prepare(None, "permit.pdf")
            return
        pid = detail.permit_id
        self.print_button.prepare(lambda path, lang: printer(pid, path, lang), f"{pid}.pdf")

    def retranslate(self) -> None:
        """The placeholder, or the permit shown, again in the current language."""
        self.print_button.setText(self.tr("Print permit (PDF)…"))
        if self.detail is None or self._shown_at is None:
            self.header.setText(self.tr("Select a permit"))
        else:
            self.show_detail(self.detail, self._shown_at)

    # ------------------------------------------------------------ building blocks

    def _title(self, text: str) -> None:
        self._html.append(f"<h3 style='margin-top:10px; margin-bottom:2px'>{escape(text)}</h3>")

    def _line(self, verdict: str, text: str) -> None:
        self._lines.append((verdict, text))
        word = _tr(_VERDICT_WORDS[verdict]) if _VERDICT_WORDS[verdict] else ""
        priority = _VERDICT_PRIORITY.get(verdict)
        if priority is not None:
            bg = theme.priority_color(priority).name()
            fg = theme.priority_text_color(priority).name()
            verdict_cell = (
                f"<td width='90' style='background-color:{bg}; color:{fg}'><b>{escape(word)}</b></td>"
            )
        else:
            verdict_cell = f"<td width='90'>{escape(word)}</td>"
        weight = "<b>{}</b>" if verdict == "block" else "{}"
        self._html.append(
            "<table width='100%' cellspacing='0' cellpadding='3'><tr>"
            f"{verdict_cell}<td>{weight.format(escape(text))}</td></tr></table>"
        )

    def _table(self, headers: list[str], rows: list[tuple[list[str], int | None]]) -> None:
        head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
        body = []
        for values, priority in rows:
            cells = []
            for i, value in enumerate(values):
                style = ""
                if priority is not None and i == len(values) - 1:
                    style = (
                        f" style='background-color:{theme.priority_color(priority).name()}; "
                        f"color:{theme.priority_text_color(priority).name()}'"
                    )
                cells.append(f"<td{style}>{escape(value)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        self._html.append(
            f"<table width='100%' cellspacing='0' cellpadding='3' border='1' "
            f"style='border-color:{theme.PALETTE.border}; border-style:solid'>"
            f"<tr>{head}</tr>{''.join(body)}</table>"
        )

    # ------------------------------------------------------------ showing a permit

    def show_detail(self, detail: PermitDetail, now: datetime) -> None:
        if self.detail is None or self.detail.permit_id != detail.permit_id:
            self.print_message.clear()
        self.detail, self._shown_at = detail, now
        self._prepare_print()
        self._lines = []
        self._html = []
        self._show_header(detail, now)
        self._show_map(detail)
        self.worker_rows: list[list[str]] = []
        self._show_grade(detail)
        self._show_prerequisites(detail)
        self._show_workers(detail)
        self._show_contractor(detail)
        self._show_conflicts(detail)
        self._show_signatures(detail)
        self._show_findings(detail)
        self._show_evidence(detail)
        scroll = self.body.verticalScrollBar().value()
        self.body.setHtml("".join(self._html))
        self.body.verticalScrollBar().setValue(scroll)

    def _show_header(self, detail: PermitDetail, now: datetime) -> None:
        """The title lines and the facts beside the area map."""
        zone = detail.timezone
        what = f"{type_text(detail.type)} {grade_text(detail.effective_grade)}".strip()
        urgent = self.tr("  · URGENT") if detail.urgent else ""
        self.header.setText(f"{detail.permit_id} · {what}{urgent}")
        self.subheader.setText(
            self.tr("Status: {status} · applicant {applicant} · supervisor {sup} {sup_name}").format(
                status=permit_status_text(detail.status.value),
                applicant=detail.applicant,
                sup=detail.supervisor,
                sup_name=detail.supervisor_name,
            )
        )
        facts = [
            self.tr("Area: {name}, {site}, {risk}").format(
                name=detail.area_name,
                site=detail.site_name or detail.site,
                risk=_risk_words(detail.risk_level),
            ),
            self.tr("Job: {d}").format(d=detail.description or "—"),
        ]
        if detail.coordinator:
            facts.append(self.tr("Coordinator: {c}").format(c=detail.coordinator))
        if detail.deadline is not None:
            left = detail.deadline - now
            state = self.tr("overdue") if left < timedelta(0) else self.tr("left")
            facts.append(
                self.tr("Approval deadline: {t} ({span} {state})").format(
                    t=_local(detail.deadline, zone), span=format_duration(abs(left)), state=state
                )
            )
        self._facts.setText("\n".join(facts))

    def _show_wind(self, detail: PermitDetail) -> None:
        """The wind mast's reading the grade was judged with (GB 30871: Beaufort 5 or more raises it)."""
        if detail.wind_m_s is None:
            self._line("warn", self.tr("No wind reading: the grade could not be checked against the wind"))
            return
        force = beaufort_force(detail.wind_m_s)
        values = {"v": f"{detail.wind_m_s:.1f}", "f": force}
        if force >= BEAUFORT_GRADE_UP:
            self._line(
                "warn",
                self.tr("Wind {v} m/s (Beaufort {f}): hot work is graded up one level").format(**values),
            )
        else:
            self._line("ok", self.tr("Wind {v} m/s (Beaufort {f})").format(**values))

    def _show_grade(self, detail: PermitDetail) -> None:
        """The hot-work grade (and why it was raised) and the validity against the GB maximum."""
        zone = detail.timezone
        self._title(self.tr("Grade and validity"))
        if detail.type is PermitType.HOT_WORK:
            if detail.grade is not None and detail.effective_grade is not detail.grade:
                self._line(
                    "warn",
                    self.tr("Applied as {base}, raised to {grade}: {why}").format(
                        base=grade_text(detail.grade),
                        grade=grade_text(detail.effective_grade),
                        why=self.tr("; ").join(cause_text(r) for r in detail.grade_reasons),
                    ),
                )
            else:
                causes = self.tr("; ").join(cause_text(r) for r in detail.grade_reasons)
                extra = (self.tr("; ") + causes) if causes else ""
                self._line(
                    "info",
                    self.tr("Grade: {g}{extra}").format(g=grade_text(detail.effective_grade), extra=extra),
                )
            self._show_wind(detail)
        span = detail.validity
        window = self.tr("{start} → {end} ({zone})").format(
            start=_local(detail.valid_from, zone), end=_local(detail.valid_to, zone), zone=zone
        )
        if detail.max_validity is None:
            self._line(
                "ok", self.tr("{w}: {span}; GB sets no maximum").format(w=window, span=format_duration(span))
            )
        elif span > detail.max_validity:
            self._line(
                "block",
                self.tr("{w}: {span}, OVER the GB maximum of {max}").format(
                    w=window, span=format_duration(span), max=format_duration(detail.max_validity)
                ),
            )
        else:
            self._line(
                "ok",
                self.tr("{w}: {span} of at most {max}").format(
                    w=window, span=format_duration(span), max=format_duration(detail.max_validity)
                ),
            )

    def _show_prerequisites(self, detail: PermitDetail) -> None:
        """Each prerequisite, then the latest gas test against its age rule."""
        zone = detail.timezone
        self._title(self.tr("Prerequisites"))
        for p in detail.prerequisites:
            name = _tr(_PREREQ_WORDS.get(p.key, p.key))
            why = "; ".join(finding_text(f, zone) for f in p.findings) or term_text(f"reason.{p.key}")
            self._line("ok" if p.passed else "block", f"{name}: {why}")
        if detail.gas_test is not None:
            g = detail.gas_test
            readings = ", ".join(f"{r.get('ch')} {r.get('v')} {r.get('u')}" for r in g.readings)
            verdict = "ok" if g.passed and g.age <= g.max_age else "block"
            self._line(
                verdict,
                self.tr(
                    "Latest gas test {when}, {age} old (rule: at most {max}), {result} by {by}: {readings}"
                ).format(
                    when=_local(g.taken_at, zone),
                    age=format_duration(g.age),
                    max=format_duration(g.max_age),
                    result=self.tr("passed") if g.passed else self.tr("FAILED"),
                    by=g.by,
                    readings=readings or "—",
                ),
            )

    def _show_workers(self, detail: PermitDetail) -> None:
        self._title(self.tr("Workers and certificates"))
        rows: list[tuple[list[str], int | None]] = []
        for w in detail.workers:
            state = _tr(_CERT_WORDS[w.state]).format(n=w.days_left)
            cert = f"{w.certificate} → {w.valid_to}" if w.certificate else "—"
            priority = 2 if w.blocks else (4 if w.state == "expiring" else None)
            rows.append(([w.worker_id, w.name, w.trade, cert, state], priority))
            self.worker_rows.append([w.worker_id, w.name, w.trade, cert, state])
        self._table(
            [self.tr("Worker"), self.tr("Name"), self.tr("Trade"), self.tr("Certificate"), self.tr("State")],
            rows,
        )

    def _show_contractor(self, detail: PermitDetail) -> None:
        self._title(self.tr("Contractor"))
        c = detail.contractor
        if c is None:
            self._line("info", self.tr("Own staff (no contractor)"))
        else:
            text = self.tr("{name} ({code}), grade {grade}; {n} violation(s), {pts} points").format(
                name=c.name, code=c.code, grade=c.grade, n=c.violations, pts=c.violation_points
            )
            expired = [f for f in detail.blocking if f.code == "contractor.qualification_expired"]
            if c.blacklisted:
                self._line("block", self.tr("{t}; BLACKLISTED: {why}").format(t=text, why=c.blacklist_reason))
            elif expired:  # never "OK" beside an expired qualification
                until = c.qualifications_valid_to.isoformat() if c.qualifications_valid_to else "—"
                self._line("block", self.tr("{t}; qualification expired ({d})").format(t=text, d=until))
            else:
                self._line("ok" if not c.violations else "warn", text)

    def _show_conflicts(self, detail: PermitDetail) -> None:
        self._title(self.tr("Other permits at the same time"))
        if not detail.conflicts:
            self._line("ok", self.tr("No conflict with other permits"))
        for f in detail.conflicts:
            self._line(f.severity, finding_text(f, detail.timezone))

    def _show_signatures(self, detail: PermitDetail) -> None:
        """The approval matrix: who must sign, who signed (and whether it still holds), who is left."""
        zone = detail.timezone
        self._title(self.tr("Approval matrix"))
        need = ", ".join(level_text(lvl.value) for lvl in detail.required_levels)
        missing = ", ".join(level_text(lvl.value) for lvl in detail.missing_levels)
        self._line("info", self.tr("Must sign: {need}").format(need=need))
        for sig in detail.signatures:
            valid = "" if sig.valid else self.tr(" (INVALID: the permit changed after signing)")
            self._line(
                "ok" if sig.valid else "warn",
                self.tr("{decision} by {name} ({signer}, {level}) at {when}{reason}{valid}").format(
                    decision=decision_text(sig.decision),
                    name=sig.signer_name,
                    signer=sig.signer,
                    level=level_text(sig.level.value),
                    when=_local(sig.signed_at, zone),
                    reason=self._signature_reason(sig.reason),
                    valid=valid,
                ),
            )
        if missing and detail.status.value == "submitted":
            self._line("info", self.tr("Still to sign: {missing}").format(missing=missing))
        if detail.green_channel_review:
            self._line("warn", self.tr("Approved on the green channel: next-day review pending"))

    def _signature_reason(self, reason: str) -> str:
        """A signature's reason after a colon; the green channel's mark in the screen's language."""
        if not reason:
            return ""
        if reason.startswith(GREEN_PREFIX):
            why = reason.removeprefix(GREEN_PREFIX).strip()
            return self.tr(" on the green channel: {why}").format(why=why)
        return self.tr(": {why}").format(why=decision_reason_text(reason))

    def _show_findings(self, detail: PermitDetail) -> None:
        others = [f for f in detail.findings if not f.code.startswith("conflict.")]
        w = len([f for f in detail.findings if not f.blocks])
        warnings = self.tr("1 warning") if w == 1 else self.tr("{n} warnings").format(n=w)
        title = self.tr("All checks ({b} blocking, {warnings})")
        self._title(title.format(b=len(detail.blocking), warnings=warnings))
        if not others:
            self._line("ok", self.tr("Every GB 30871 check passed"))
        for f in sorted(others, key=lambda f: not f.blocks):
            self._line(f.severity, finding_text(f, detail.timezone))

    def _show_evidence(self, detail: PermitDetail) -> None:
        """The photos of the permit shown; asks the worker once for each detail loaded."""
        self.evidence_lines = []
        if self._evidence_source is None or self._evidence_worker is None:
            return
        if self.evidence is not None and self.evidence.report.permit_id != detail.permit_id:
            self.evidence = None
        if self._evidence_asked is not detail:  # a new load of the permit (not a language change)
            self._evidence_asked = detail
            source, permit_id = self._evidence_source, detail.permit_id
            self._evidence_worker.run(
                lambda: load_evidence(source, permit_id), self._on_evidence, self._on_evidence_error
            )
        show_evidence(self, self.evidence, loading=True)

    def _on_evidence(self, evidence: Evidence) -> None:
        if self.detail is None or evidence.report.permit_id != self.detail.permit_id:
            return  # the user moved on
        self.evidence = evidence
        if self._shown_at is not None:
            self.show_detail(self.detail, self._shown_at)
        self.evidence_shown.emit(evidence.report.permit_id)

    def _on_evidence_error(self, exc: Exception) -> None:
        log.warning("photo evidence could not be read: %s", exc)

    def _show_map(self, detail: PermitDetail) -> None:
        points = [(float(p[0]), float(p[1])) for p in detail.polygon if len(p) >= 2]
        if not points:
            self.map.setVisible(False)
            return
        self.map.setVisible(True)
        # the area alone, in its own frame with a margin: the shape and size are what matter here
        min_x, min_y = min(x for x, _ in points), min(y for _, y in points)
        margin = 0.25 * max(max(x for x, _ in points) - min_x, max(y for _, y in points) - min_y, 10.0)
        points = [(x - min_x + margin, y - min_y + margin) for x, y in points]
        self.map.set_plan(max(x for x, _ in points) + margin, max(y for _, y in points) + margin)
        self.map.set_areas(
            [
                AreaShape(
                    site=detail.site,
                    area=detail.area,
                    name=detail.area_name,
                    polygon=points,
                    risk_level=detail.risk_level or "low",
                    label=detail.permit_id,
                )
            ]
        )
        self.map.fit_all()

    # ------------------------------------------------------------ for tests

    def check_lines(self) -> list[tuple[str, str]]:
        """(verdict, text) of every check line shown."""
        return list(self._lines)

    def blocking_texts(self) -> list[str]:
        return [text for verdict, text in self._lines if verdict == "block"]
