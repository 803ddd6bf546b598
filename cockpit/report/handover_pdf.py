"""The printed shift handover: ``HandoverData`` in, a PDF with an embedded CJK font out.

The PDF is made with reportlab platypus and never goes through Qt, so its strings live in
``handover_texts``, one table per language (``STRINGS``); what it draws itself is in ``pdf_drawing`` (page
furniture) and ``trend_chart`` (the gas charts). Every piece of text, numbers and chart labels included, is
set in the one embedded TrueType CJK font: a standard PDF font (Helvetica) is not embedded, and a printout
must look the same on any reader. Times on paper are the site's local time; the footer carries the audit
chain head so the paper can be matched to the record.

The file is written atomically: rendered to a temporary file in the same folder and moved into place, so
a failure never leaves half a report where the last good one was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from cockpit.fonts import CjkFont, require_cjk_font
from cockpit.report.alarm_words import condition_word
from cockpit.report.atomic import temporary_beside
from cockpit.report.handover_near_misses import near_miss_section
from cockpit.report.handover_texts import Fmt, strings, value_text
from cockpit.report.layout import Lang, Paper, Progress, SignatureBlock
from cockpit.report.pdf_drawing import DARK, GREY, CellParagraph, numbered_canvas
from cockpit.report.records import AreaExcursions, CommandLine, CriticalAlarm, HandoverData
from cockpit.report.trend_chart import TrendChart
from models.errors import UserError
from models.plant_clock import zone_mark

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
FONT_NAME = "CockpitCJK"
MAX_CHART_AREAS = 12
MAX_LISTED = 6  # items of a list in one table cell before "and N more"
CELL_SIZE, CELL_LEADING, CELL_PAD = 7.5, 9.2, 2.5  # a table cell's text and its padding left and right


_registered: dict[CjkFont, str] = {}


def register_font(font: CjkFont | None = None) -> str:
    """Register the CJK font with reportlab once per process and return its name."""
    font = font or require_cjk_font()
    if font not in _registered:
        name = FONT_NAME if not _registered else f"{FONT_NAME}{len(_registered)}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont_index))
        except Exception as exc:  # reportlab raises TTFError and friends for a font it cannot use
            raise UserError(
                f"the font {font.path} cannot be embedded ({exc}); install fonts-wqy-zenhei"
            ) from None
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered[font] = name
    return _registered[font]


# ---------------------------------------------------------------- the document


class _Builder:
    def __init__(self, data: HandoverData, lang: str, paper: str, font: str) -> None:
        self.data = data
        self.f = Fmt(data, lang)
        self.font = font
        self.width = PAGE_SIZES[paper][0] - 30 * mm
        wrap = "CJK" if lang == "zh_CN" else None
        base = {"fontName": font, "wordWrap": wrap}
        self.title = ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=4, **base)
        self.h1 = ParagraphStyle("h1", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, **base)
        self.h2 = ParagraphStyle("h2", fontSize=10, leading=13, spaceBefore=5, spaceAfter=3, **base)
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.cell = ParagraphStyle("cell", fontSize=CELL_SIZE, leading=CELL_LEADING, **base)
        self.head = ParagraphStyle("head", fontSize=7.5, leading=9.2, **base)
        self.small = ParagraphStyle("small", fontSize=7, leading=9, textColor=DARK, **base)
        self.boxed = ParagraphStyle(
            "boxed",
            fontSize=9.5,
            leading=13,
            borderColor=colors.black,
            borderWidth=0.8,
            borderPadding=4,
            spaceBefore=6,
            spaceAfter=8,
            **base,
        )

    def p(
        self, text: str, style: ParagraphStyle | None = None, kind: type[Paragraph] = Paragraph
    ) -> Paragraph:
        return kind(escape(text), style or self.cell)

    def _cell(self, cell: Any, room: float) -> Any:
        """A text cell as a paragraph that wraps, or as the plain string when it fits on one line as it
        stands: the table then sets it in the same font, size and leading without wrapping it three
        times over (measuring, splitting, drawing: two thirds of the render's time in bench/report_pdf)."""
        if not isinstance(cell, str):
            return cell
        if cell and cell == " ".join(cell.split()) and stringWidth(cell, self.font, CELL_SIZE) <= room:
            return cell
        return self.p(cell, kind=CellParagraph)

    def table(
        self, header: list[str], rows: list[list[Any]], widths: Sequence[float], *, wrap: bool = True
    ) -> Table:
        """A table the page's width; every text cell wraps within its column (none runs into the next)."""
        scale = self.width / sum(widths)
        col_widths = [w * scale for w in widths]
        if wrap:
            header = [self.p(h, self.head, CellParagraph) for h in header]
            rooms = [w - 2 * CELL_PAD for w in col_widths]
            rows = [[self._cell(c, room) for c, room in zip(row, rooms, strict=False)] for row in rows]
        table = Table([header, *rows], colWidths=col_widths, repeatRows=1, hAlign="LEFT", splitByRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
                    ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
                    ("BACKGROUND", (0, 0), (-1, 0), GREY),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ]
            )
        )
        return table

    # -- sections

    def story(self, notes: str, signatures: Sequence[SignatureBlock], supersedes: str | None) -> list[Any]:
        """Every section of the report, in the order it is printed."""
        story: list[Any] = []
        story += self.header(signatures, supersedes)
        story += self.permits()
        story += self.changes()
        story += self.alarms()
        story += self.commands()
        story += self.gas()
        story += self.certificates()
        story += near_miss_section(self)
        story += self.notes(notes)
        story += self.signoff(signatures)
        return story

    def header(self, signatures: Sequence[SignatureBlock], supersedes: str | None) -> list[Any]:
        d, f = self.data, self.f
        names = {s.role: s.name for s in signatures}
        outgoing = names.get("outgoing") or d.outgoing_lead or "_" * 18
        incoming = names.get("incoming") or d.incoming_lead or "_" * 18
        window = f"{f.full(d.start)} – {f.full(d.end)} ({d.timezone}, {zone_mark(d.timezone, d.start)})"
        rows = [
            [f.t("plant"), d.plant or "—", f.t("site"), d.site_name or (d.site or f.t("all_sites"))],
            [f.t("window"), window, f.t("generated"), f.full(d.generated_at)],
            [f.t("outgoing"), outgoing, f.t("incoming"), incoming],
        ]
        cells = [[self.p(text, self.body) for text in row] for row in rows]
        head = Table(cells, colWidths=[w * self.width for w in (0.14, 0.44, 0.14, 0.28)], hAlign="LEFT")
        head.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("TEXTCOLOR", (0, 0), (0, -1), DARK),
                    ("TEXTCOLOR", (2, 0), (2, -1), DARK),
                    ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                    ("INNERGRID", (0, 0), (-1, -1), 0.3, GREY),
                ]
            )
        )
        story: list[Any] = [self.p(f.t("title"), self.title), head]
        if supersedes:
            story.append(self.p(f.t("supersedes", ref=supersedes), self.boxed))
        if d.as_of is not None:
            story.append(self.p(f.t("as_of_note", t=f.full(d.as_of)), self.boxed))
        if not d.has_events:
            story.append(self.p(f.t("no_events"), self.boxed))
        return story

    def permits(self) -> list[Any]:
        d, f = self.data, self.f
        heading = (
            f.t("s_permits_at", t=f.when(d.as_of), n=len(d.permits))
            if d.as_of is not None
            else f.t("s_permits", n=len(d.permits))
        )
        story: list[Any] = [self.p(heading, self.h1)]
        if not d.permits:
            return [*story, self.p(f.t("none"), self.body)]
        rows = []
        for pl in d.permits:
            gas = f.duration(pl.gas_test_age)
            if pl.gas_test_passed is False:
                gas += " ✗"
            points = f.capped([f.point(p) for p in pl.open_points], MAX_LISTED)
            rows.append(
                [
                    pl.id,
                    f.ptype(pl.type, pl.grade),
                    f.t(pl.status),
                    d.area_name(pl.site, pl.area),
                    pl.supervisor,
                    f.validity(pl.valid_to, pl.validity_left),
                    gas,
                    points,
                ]
            )
        # Measured at 7.5 pt with the cell's padding, on A4 (510 pt of text): a permit id (70 pt),
        # "hot work grade 1" (60), "SUSPENDED" (47), an area of seven characters (57), "Supervisor" (40),
        # "有效至 16:00" (51), "OVERDUE by" (46), "15小时 29分" (48) each on one line; the open points take
        # the rest (29 parts: at 28 a suspended permit's reason broke its first line).
        widths = [15, 13, 10, 12, 8.5, 11, 10.2, 29]
        return [
            *story,
            self.table(
                [
                    f.t(k)
                    for k in (
                        "permit",
                        "type",
                        "status",
                        "area",
                        "supervisor",
                        "valid_left",
                        "gas_age",
                        "open_points",
                    )
                ],
                rows,
                widths,
            ),
        ]

    def changes(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.t("s_changes"), self.h1)]
        if d.changes:
            rows = [
                [
                    f.t(c.kind),
                    f.when(c.ts),
                    c.permit_id,
                    f.t(c.type),
                    d.area_name(c.site, c.area),
                    d.person(c.by),
                    f.change_detail(c.kind, c.detail),
                ]
                for c in d.changes
            ]
            story.append(
                self.table(
                    [f.t(k) for k in ("kind", "time", "permit", "type", "area", "by", "detail")],
                    rows,
                    [10, 9, 17, 13, 11, 12, 28],
                )
            )
        else:
            story.append(self.p(f.t("none"), self.body))
        story.append(self.p(f.t("s_green", n=len(d.green_channel)), self.h2))
        if d.green_channel:
            rows = [
                [
                    g.permit_id,
                    f.t(g.type),
                    d.area_name(g.site, g.area),
                    d.person(g.signer),
                    f.when(g.signed_at),
                    g.reason or f.t("no_reason"),
                    f.t("review_pending" if g.review_pending else "review_done"),
                ]
                for g in d.green_channel
            ]
            story.append(
                self.table(
                    [f.t(k) for k in ("permit", "type", "area", "signer", "time", "reason", "review")],
                    rows,
                    [17, 13, 11, 12, 9, 28, 10],
                )
            )
        else:
            story.append(self.p(f.t("none"), self.body))
        return story

    def alarms(self) -> list[Any]:
        d, f = self.data, self.f
        a = d.alarms
        story: list[Any] = [self.p(f.t("s_alarms"), self.h1)]
        prios = " · ".join(f"{f.t('prio', p=p)}: {a.by_priority.get(p, 0)}" for p in sorted(a.by_priority))
        rows = [
            [f.t("total"), str(a.total), prios],
            [f.t("avg10"), f"{a.per_10min_avg:.2f}", f.t("eemua_target")],
            [f.t("peak10"), str(a.per_10min_peak), ""],
            [f.t("floods"), str(a.floods), f.capped([f.when(t) for t in a.flood_starts], 12, ", ")],
            [f.t("standing"), str(a.standing_24h), ""],
            [f.t("shelved"), str(a.shelved_now), ""],
        ]
        # a figures table: the first row is no header; the figures right-aligned (plain strings)
        t = self.table(rows[0], rows[1:], [40, 12, 48], wrap=False)
        t.setStyle(
            TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.white), ("ALIGN", (1, 0), (1, -1), "RIGHT")])
        )
        story.append(t)
        story.append(self.p(f.t("s_critical", n=d.critical_total), self.h2))
        if not d.critical:
            story.append(self.p(f.t("none"), self.body))
            return story
        rows2 = [
            [
                f.when(c.ts),
                d.area_name(c.site, c.area),
                c.source.removeprefix(f"{c.site}/{c.area}/"),
                condition_word(c.condition, f.lang),
                value_text(c.value, c.unit),
                self._done(c),
            ]
            for c in d.critical
        ]
        story.append(
            self.table(
                [f.t(k) for k in ("time", "area", "source", "condition", "value", "done")],
                rows2,
                [9, 10, 19, 14, 10, 38],
            )
        )
        if d.critical_total > len(d.critical):
            story.append(self.p(f.count("more_critical", d.critical_total - len(d.critical)), self.small))
        return story

    def _done(self, c: CriticalAlarm) -> str:
        d, f = self.data, self.f
        if not c.actions:
            return f.t("nothing_done")
        parts = []
        for a in c.actions:
            kind = a.kind
            if "_" in kind and kind.split("_", 1)[0] in ("stop", "resume"):
                cmd, status = kind.split("_", 1)
                label = f"{f.t(cmd)} {f.t(status)}"
            else:
                label = f.t(kind)
            by = f.t("auto") if a.by == "auto" else d.person(a.by)
            parts.append(f"{f.when(a.ts)} {label}" + (f" ({by})" if by else ""))
        return f.capped(parts, MAX_LISTED)

    def _acks(self, c: CommandLine) -> str:
        d, f = self.data, self.f
        return (
            f.capped(
                [
                    f"{f.when(a.ts)} {f.t(a.status)}" + (f" ({d.person(a.by)})" if a.by else "")
                    for a in c.acks
                ],
                MAX_LISTED,
            )
            or "—"
        )

    def commands(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.t("s_commands", n=len(d.commands)), self.h1)]
        if not d.commands:
            return [*story, self.p(f.t("none"), self.body)]
        rows = [
            [
                f.when(c.issued_at),
                f.t(c.kind),
                d.area_name(c.site, c.area),
                f.t("auto") if c.auto else d.person(c.issued_by),
                f.reason(c.reason) + (f" [{f.capped(c.permits, MAX_LISTED, ', ')}]" if c.permits else ""),
                self._acks(c),
                f.t(c.state),
            ]
            for c in d.commands
        ]
        return [
            *story,
            self.table(
                [f.t(k) for k in ("time", "command", "area", "by", "reason", "acks", "state")],
                rows,
                [9, 8, 10, 11, 27, 27, 9],
            ),
        ]

    def gas(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.count("s_gas", len(d.excursions)), self.h1)]
        if not d.excursions:
            return [*story, self.p(f.t("none"), self.body)]
        zone = f"{d.timezone}, {zone_mark(d.timezone, d.start)}"
        story.append(self.p(f.t("chart_caption", zone=zone), self.small))
        for area in d.excursions[:MAX_CHART_AREAS]:
            seen = [
                f"{f.when(x.ts)} {x.source.rsplit('/', 1)[-1]} {x.condition} {value_text(x.value, x.unit)}"
                for x in area.excursions
            ]
            listed = f.capped(seen, 8)
            block = [
                self.p(
                    f"{d.area_name(area.site, area.area)} · {d.site_label(area.site)} — "
                    f"{f.t('excursions')}: {len(area.excursions)}",
                    self.h2,
                ),
                self.p(listed, self.cell),
                self._chart(area),
            ]
            story.append(KeepTogether(block))
        if len(d.excursions) > MAX_CHART_AREAS:
            story.append(self.p(f.count("more_areas", len(d.excursions) - MAX_CHART_AREAS), self.small))
        return story

    def _chart(self, area: AreaExcursions) -> TrendChart:
        d = self.data
        return TrendChart(area, d.start, d.end, self.width, self.font, d.timezone)

    def certificates(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.t("s_certs", n=len(d.certificates)), self.h1)]
        if not d.certificates:
            return [*story, self.p(f.t("none"), self.body)]
        rows = [
            [
                f"{c.worker_name} ({c.worker_id})",
                c.trade,
                c.number,
                c.valid_to.isoformat(),
                f.t("expired") if c.days_left < 0 else str(c.days_left),
                f.capped(c.permits, MAX_LISTED, ", "),
            ]
            for c in d.certificates
        ]
        return [
            *story,
            self.table(
                [f.t(k) for k in ("worker", "trade", "number", "valid_to", "days_left", "permits")],
                rows,
                [20, 14, 18, 12, 9, 27],
            ),
        ]

    def notes(self, notes: str) -> list[Any]:
        f = self.f
        story: list[Any] = [self.p(f.t("s_notes"), self.h1)]
        paragraphs = [line for line in notes.strip().splitlines()] if notes.strip() else []
        if not paragraphs:
            return [*story, self.p(f.t("no_notes"), self.body)]
        return [*story, *(self.p(line or " ", self.body) for line in paragraphs)]

    def signoff(self, signatures: Sequence[SignatureBlock]) -> list[Any]:
        f = self.f
        by_role = {s.role: s for s in signatures}
        blocks = []
        for role in ("outgoing", "incoming"):
            sig = by_role.get(role)
            name = (sig.name + (f" ({sig.username})" if sig.username else "")) if sig else ""
            rows = [
                [self.p(f.t(role), self.h2)],
                [self.p(f"{f.t('name')}: {name or '_' * 20}", self.body)],
                [
                    self.p(
                        f"{f.t('signed_at')}: {f.full(sig.signed_at) if sig and sig.signed_at else '_' * 16}",
                        self.body,
                    )
                ],
                [
                    self.p(
                        f"{f.t('content_hash')}: {sig.content_hash if sig and sig.content_hash else '—'}",
                        self.small,
                    )
                ],
                [self.p(f"{f.t('signature')}: ________________", self.body)],
            ]
            if not (sig and sig.signed_at):
                rows.append([self.p(f.t("not_signed"), self.small)])
            inner = Table(rows, colWidths=[self.width / 2 - 8 * mm])
            inner.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), self.font),
                        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ]
                )
            )
            blocks.append(inner)
        outer = Table([blocks], colWidths=[self.width / 2, self.width / 2], hAlign="LEFT")
        outer.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [CondPageBreak(60 * mm), self.p(f.t("s_signoff"), self.h1), outer]


def render_handover_pdf(
    data: HandoverData,
    out: Path,
    *,
    lang: Lang = "zh_CN",
    paper: Paper = "A4",
    notes: str = "",
    signatures: Sequence[SignatureBlock] = (),
    supersedes: str | None = None,
    progress: Progress | None = None,
    font: CjkFont | None = None,
) -> Path:
    """Render the handover to ``out`` (atomically) and return the path; user problems are UserError."""
    out = Path(out)
    if paper not in PAGE_SIZES:
        raise UserError(f"paper size {paper!r} is not available; use A4 or Letter")
    f = strings(lang)
    report = progress or (lambda _done, _total, _text: None)
    steps = 4
    report(0, steps, "font")
    font_name = register_font(font)
    report(1, steps, "layout")
    story = _Builder(data, lang, paper, font_name).story(notes, signatures, supersedes)
    tmp = temporary_beside(out)
    fmt = Fmt(data, lang)
    mark = zone_mark(data.timezone, data.generated_at)
    generated = f"{f['generated']} {fmt.full(data.generated_at)} ({data.timezone}, {mark})"
    footer = f"{generated} · {f['audit_head']} {data.audit_head}"
    parts = (data.plant, data.site_name or data.site or f["all_sites"], f["title"])
    window = f"{fmt.full(data.start)} – {fmt.full(data.end)}"
    header = " · ".join([*(p for p in parts if p), window])  # no plant name: no leading " · "
    pages = 0

    def on_page(canvas: Canvas, _doc: Any) -> None:
        nonlocal pages
        pages += 1
        report(2, steps, f"page {pages}")

    try:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=PAGE_SIZES[paper],
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=f"{f['title']} {fmt.full(data.start)} – {fmt.full(data.end)}",
            author=data.plant,
            subject=f"audit head {data.audit_head}",
            creator="hazwork-cockpit",
        )
        doc.build(
            story,
            onFirstPage=on_page,
            onLaterPages=on_page,
            canvasmaker=numbered_canvas(font_name, footer, f["page"], header),
        )
        report(3, steps, "write")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write the report to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report(steps, steps, f"{pages} pages")
    return out
