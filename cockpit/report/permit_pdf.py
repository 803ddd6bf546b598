"""The printed permit (作业票): one permit in its type's form after GB 30871-2022's appendix, with a QR of
its code, every text in the one embedded CJK font. Written to a temporary file and moved into place, so a
failure leaves nothing half-written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cockpit.report.handover_pdf import register_font
from cockpit.report.pdf_drawing import DARK, GREY, numbered_canvas
from cockpit.report.permit_print import PermitPrint
from cockpit.report.permit_texts import EVENTS, GRADES, STATUS, TITLES, TYPE_ROWS, lang_key, words
from cockpit.report.qr import draw_qr
from models.errors import UserError
from models.plant_clock import format_time, zone_mark
from models.records import PermitType

RED = colors.Color(0.75, 0.05, 0.05)
WIDTH = A4[0] - 30 * mm
ALARMING = ("suspended", "closed", "cancelled", "expired", "rejected")


class QrBox(Flowable):
    """A QR code as a flowable, ``size`` points square."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.width, self.height = text, size, size

    def draw(self) -> None:
        draw_qr(self.canv, self.text, 0, 0, self.width)


class _Form:
    def __init__(self, data: PermitPrint, lang: str, font: str) -> None:
        self.d, self.lang, self.font = data, lang_key(lang), font
        self.w = words(lang)
        wrap = "CJK" if self.lang == "zh_CN" else None
        base: dict[str, Any] = {"fontName": font, "wordWrap": wrap}
        self.title = ParagraphStyle("title", fontSize=17, leading=22, alignment=TA_CENTER, **base)
        self.sub = ParagraphStyle("sub", fontSize=8, leading=10, alignment=TA_CENTER, textColor=DARK, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=10.5, **base)
        self.label = ParagraphStyle("label", fontSize=8.5, leading=10.5, textColor=DARK, **base)
        self.h = ParagraphStyle("h", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3, **base)
        self.small = ParagraphStyle("small", fontSize=6.5, leading=8, textColor=DARK, **base)

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(str(text)) if text not in (None, "") else "—", style or self.cell)

    def t(self, moment: Any) -> str:
        return format_time(moment, self.d.zone, "stamp")

    def table(self, rows: list[list[Any]], widths: list[float], *, head: bool = True) -> Table:
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("GRID", (0, 0), (-1, -1), 0.5, DARK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if head:
            style.append(("BACKGROUND", (0, 0), (-1, 0), GREY))
        table = Table(rows, colWidths=widths, repeatRows=1 if head else 0)
        table.setStyle(TableStyle(style))
        return table

    def status_text(self) -> Paragraph:
        status = STATUS[self.lang].get(self.d.status, self.d.status)
        if self.d.status in ALARMING:
            return Paragraph(f"<font color='#bf0d0d'><b>{escape(status)}</b></font>", self.cell)
        return self.p(status)

    def header(self) -> list[Flowable]:
        w, d = self.w, self.d
        qr = 34 * mm
        title = [
            Paragraph(escape(TITLES[self.lang][d.type]), self.title),
            Paragraph(escape(f"GB 30871-2022 · {d.plant}"), self.sub),
        ]
        caption = Paragraph(escape(f"{w['qr']} · {d.code}"), self.small)
        top = Table([[title, [QrBox(d.code, qr), caption]]], colWidths=[WIDTH - qr - 6 * mm, qr + 6 * mm])
        top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (1, 0), (1, 0), 0)]))
        lab = self.label
        grade = GRADES[self.lang].get(d.grade or "", d.grade or "—")
        # hot work's grade has its place in the header; the other forms carry their own class rows
        third = (w["grade"], grade) if d.type is PermitType.HOT_WORK else (w["applied"], self.t(d.applied_at))
        window = (
            f"{self.t(d.valid_from)} – {self.t(d.valid_to)} ({d.zone}, {zone_mark(d.zone, d.valid_from)})"
        )
        rows = [
            [self.p(w["number"], lab), self.p(d.permit_id), self.p(w["status"], lab), self.status_text()],
            [self.p(w["applicant"], lab), self.p(d.applicant), self.p(w["contractor"], lab),
             self.p(d.contractor or w["own_staff"])],
            [self.p(w["site_area"], lab), self.p(f"{d.site} / {d.area}"), self.p(third[0], lab),
             self.p(third[1])],
            [self.p(w["valid"], lab), self.p(window), "", ""],
            [self.p(w["content"], lab), self.p(d.description), "", ""],
            [self.p(w["supervisor"], lab), self.p(d.supervisor), self.p(w["coordinator"], lab),
             self.p(d.coordinator)],
        ]  # fmt: skip
        spans = [("SPAN", (1, 3), (3, 3)), ("SPAN", (1, 4), (3, 4))]
        for label in TYPE_ROWS[self.lang][d.type]:
            rows.append([self.p(label, lab), Paragraph(escape(w["hand"]), self.small), "", ""])
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
        form = self.table(rows, [30 * mm, WIDTH / 2 - 30 * mm, 26 * mm, WIDTH / 2 - 26 * mm], head=False)
        form.setStyle(
            TableStyle([*spans, ("BACKGROUND", (0, 0), (0, -1), GREY), ("BACKGROUND", (2, 0), (2, 2), GREY)])
        )
        for r in range(len(rows) - len(TYPE_ROWS[self.lang][d.type]), len(rows)):
            form.setStyle(TableStyle([("BOTTOMPADDING", (1, r), (1, r), 9 * mm)]))
        return [top, Spacer(1, 3 * mm), form]

    def workers(self) -> list[Flowable]:
        w = self.w
        rows = [[self.p(w[k]) for k in ("w_id", "w_name", "w_trade", "w_certs")]]
        rows += [[self.p(x.worker_id), self.p(x.name), self.p(x.trade), self.p(", ".join(x.certificates))]
                 for x in self.d.workers]  # fmt: skip
        return [
            Paragraph(escape(w["workers"]), self.h),
            self.table(rows, [28 * mm, 40 * mm, 45 * mm, WIDTH - 113 * mm]),
        ]

    def gas(self) -> list[Flowable]:
        w = self.w
        out: list[Flowable] = [Paragraph(escape(w["gas"]), self.h)]
        if not self.d.gas_tests:
            return [*out, self.p(w["no_gas"])]
        rows = [[self.p(w[k]) for k in ("g_time", "g_by", "g_values", "g_result")]]
        for g in self.d.gas_tests:
            values = "; ".join(f"{ch} {v} {u}".strip() for ch, v, u in g.readings)
            result = (
                self.p(w["passed"])
                if g.passed
                else Paragraph(f"<font color='#bf0d0d'><b>{escape(w['failed'])}</b></font>", self.cell)
            )
            rows.append([self.p(self.t(g.taken_at)), self.p(g.by), self.p(values), result])
        return [*out, self.table(rows, [36 * mm, 40 * mm, WIDTH - 100 * mm, 24 * mm])]

    def measures(self) -> list[Flowable]:
        w = self.w
        rows = [[self.p(w[k]) for k in ("m_no", "m_measure", "m_done", "m_confirm")]]
        for n, (key, done) in enumerate(self.d.measures, start=1):
            rows.append([self.p(n), self.p(w.get(key, key)), self.p(w["yes"] if done else w["no"]), ""])
        return [
            Paragraph(escape(w["measures"]), self.h),
            self.table(rows, [12 * mm, WIDTH - 72 * mm, 24 * mm, 36 * mm]),
        ]

    def signatures(self) -> list[Flowable]:
        w = self.w
        rows = [[self.p(w[k]) for k in ("s_level", "s_signer", "s_time", "s_decision")]]
        for sig in self.d.signatures:
            decision = w.get(f"d_{sig.decision}", sig.decision) + (f": {sig.reason}" if sig.reason else "")
            level = w.get(f"l_{sig.level}", sig.level)
            rows.append([self.p(level), self.p(sig.signer), self.p(self.t(sig.signed_at)), self.p(decision)])
        if not self.d.signatures:
            rows.append([self.p(w["none"]), "", "", ""])
        out = [
            Paragraph(escape(w["signatures"]), self.h),
            self.table(rows, [36 * mm, 46 * mm, 36 * mm, WIDTH - 118 * mm]),
        ]
        events = [[self.p(w[k]) for k in ("e_time", "e_what", "e_by")]]
        for e in self.d.events:
            what = EVENTS[self.lang].get(e.type, e.type) + (f": {e.reason}" if e.reason else "")
            events.append([self.p(self.t(e.ts)), self.p(what), self.p(e.by)])
        if len(events) > 1:
            out += [
                Paragraph(escape(w["record"]), self.h),
                self.table(events, [36 * mm, WIDTH - 82 * mm, 46 * mm]),
            ]
        hand = [[self.p(w["handover"], self.label), ""], [self.p(w["acceptance"], self.label), ""]]
        box = self.table(hand, [50 * mm, WIDTH - 50 * mm], head=False)
        box.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 8 * mm)]))
        return [*out, Spacer(1, 3 * mm), box]


def render_permit_pdf(data: PermitPrint, out: Path, *, lang: str = "zh_CN") -> Path:
    """Write the printed permit to ``out`` (``UserError`` when it cannot be written or no CJK font)."""
    font = register_font()
    form = _Form(data, lang, font)
    w = form.w
    story: list[Flowable] = [
        *form.header(),
        *form.workers(),
        *form.gas(),
        *form.measures(),
        *form.signatures(),
    ]
    printed = (
        f"{w['printed']} {form.t(data.printed_at)} ({data.zone}, {zone_mark(data.zone, data.printed_at)})"
    )
    header = f"{data.plant} · {TITLES[form.lang][data.type]} · {w['number']} {data.permit_id}"
    page = "第 {x} 页，共 {y} 页" if form.lang == "zh_CN" else "page {x} of {y}"
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    try:
        doc = SimpleDocTemplate(
            str(tmp), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
            bottomMargin=16 * mm, title=f"{TITLES[form.lang][data.type]} {data.permit_id}", author=data.plant,
            creator="hazwork-cockpit",
        )  # fmt: skip
        doc.build(story, canvasmaker=numbered_canvas(font, printed, page, header))
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write the permit to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def type_title(permit_type: PermitType, lang: str) -> str:
    return TITLES[lang_key(lang)][permit_type]
