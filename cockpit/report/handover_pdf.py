"""The printed shift handover: ``HandoverData`` in, a PDF with an embedded CJK font out.

The PDF is made with reportlab platypus and never goes through Qt, so its strings live here, one table
per language (``STRINGS``). Every piece of text, numbers and chart labels included, is set in the one
embedded TrueType CJK font: a standard PDF font (Helvetica) is not embedded, and a printout must look the
same on any reader. Times on paper are the site's local time; the footer carries the audit chain head so
the paper can be matched to the record.

The file is written atomically: rendered to a temporary file in the same folder and moved into place, so
a failure never leaves half a report where the last good one was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from cockpit.fonts import CjkFont, require_cjk_font
from cockpit.report.data import AreaExcursions, CommandLine, CriticalAlarm, HandoverData, OpenPoint
from models.errors import UserError

Lang = Literal["zh_CN", "en"]
Paper = Literal["A4", "Letter"]
Progress = Callable[[int, int, str], None]
PAGE_SIZES = {"A4": A4, "Letter": LETTER}
FONT_NAME = "CockpitCJK"
MAX_CHART_AREAS = 12
GREY = colors.Color(0.85, 0.85, 0.85)
DARK = colors.Color(0.25, 0.25, 0.25)
SERIES_COLOURS = (
    colors.black,
    colors.Color(0.75, 0.1, 0.1),
    colors.Color(0.1, 0.3, 0.7),
    colors.Color(0.1, 0.5, 0.2),
)
SERIES_DASHES: tuple[tuple[float, ...] | None, ...] = (None, (3, 2), (1, 1.5), (5, 2, 1, 2))


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """One lead's sign-off as printed: who, when, and the hash of the content they signed."""

    role: Literal["outgoing", "incoming"]
    name: str
    username: str = ""
    signed_at: datetime | None = None
    content_hash: str = ""


STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Shift handover report",
        "plant": "Plant",
        "site": "Site",
        "all_sites": "all sites",
        "window": "Shift",
        "outgoing": "Outgoing shift lead",
        "incoming": "Incoming shift lead",
        "generated": "Generated",
        "page": "page {x} of {y}",
        "audit_head": "audit head",
        "supersedes": "This report supersedes the earlier report {ref} for the same shift.",
        "no_events": "No events during this shift: no alarms, no stop or resume commands, no permit changes.",
        "s_permits": "1. Permits active and suspended at handover ({n})",
        "s_changes": "2. Permits opened, closed, rejected and escalated during the shift",
        "s_green": "Green-channel approvals ({n})",
        "s_alarms": "3. Alarms during the shift",
        "s_critical": "Priority-1 alarms and what was done ({n})",
        "s_commands": "4. Stop-work and resume commands ({n})",
        "s_gas": "5. Gas excursions ({n} areas)",
        "s_certs": "6. Certificates expiring within 60 days, workers on active permits ({n})",
        "s_notes": "7. Notes",
        "s_signoff": "8. Sign-off",
        "none": "None.",
        "no_notes": "(no notes)",
        "permit": "Permit",
        "type": "Type / grade",
        "status": "Status",
        "area": "Area",
        "supervisor": "Supervisor",
        "valid_left": "Validity left",
        "gas_age": "Gas test age",
        "open_points": "Open points",
        "kind": "Event",
        "time": "Time",
        "by": "By",
        "detail": "Detail",
        "signer": "Approved by",
        "reason": "Reason",
        "review": "Review",
        "review_pending": "pending",
        "review_done": "done",
        "total": "Alarms (annunciations)",
        "prio": "Priority {p}",
        "avg10": "Alarms per 10 min, average",
        "peak10": "Alarms per 10 min, peak",
        "floods": "Floods (≥10 alarms in 10 min)",
        "standing": "Alarms standing over 24 h",
        "shelved": "Shelved now",
        "eemua_target": "EEMUA 191 target: about 1 per 10 min",
        "source": "Source",
        "condition": "Condition",
        "value": "Value",
        "done": "What was done",
        "nothing_done": "NOTHING RECORDED",
        "more_critical": "… and {n} more priority-1 alarms (see the alarm journal).",
        "command": "Command",
        "acks": "Acknowledgements",
        "state": "State",
        "auto": "automatic",
        "excursions": "Excursions",
        "chart_caption": "Values from the alarm journal and gas tests; hours from shift start.",
        "more_areas": "… and {n} more areas (see the alarm journal).",
        "worker": "Worker",
        "trade": "Trade",
        "number": "Certificate",
        "valid_to": "Valid to",
        "days_left": "Days left",
        "permits": "Permits",
        "expired": "EXPIRED",
        "name": "Name",
        "signed_at": "Signed at",
        "content_hash": "Content sha256",
        "signature": "Signature",
        "not_signed": "not signed electronically",
        "active": "active",
        "suspended": "SUSPENDED",
        "opened": "opened",
        "closed": "closed",
        "rejected": "rejected",
        "escalated": "escalated",
        "stop": "STOP",
        "resume": "resume",
        "ack": "acknowledged",
        "shelve": "shelved",
        "normal": "returned to normal",
        "out_of_service": "out of service",
        "received": "received",
        "executed": "executed",
        "sent": "sent",
        "timeout": "TIMEOUT",
        "op_suspended": "suspended {arg}",
        "op_no_gas_test": "no gas test recorded",
        "op_gas_test_failed": "last gas test FAILED",
        "op_gas_test_old": "gas test older than 2 h",
        "op_expired": "PAST ITS VALIDITY",
        "op_expiring": "validity ends in {arg} min",
        "op_prerequisite": "missing: {arg}",
        "op_review": "green-channel review due",
        "h": "h",
        "min": "min",
        "d": "d",
        "hot_work": "hot work",
        "confined_space": "confined space",
        "blinding": "blinding",
        "work_at_height": "work at height",
        "lifting": "lifting",
        "temporary_power": "temporary power",
        "excavation": "excavation",
        "road_closure": "road closure",
        "grade_special": "special",
        "grade_1": "grade 1",
        "grade_2": "grade 2",
        "pre_jsa": "JSA",
        "pre_isolation": "energy isolation",
        "pre_gas_test": "gas test",
    },
    "zh_CN": {
        "title": "交接班报告",
        "plant": "厂区",
        "site": "装置/现场",
        "all_sites": "全部现场",
        "window": "班次",
        "outgoing": "交班值班长",
        "incoming": "接班值班长",
        "generated": "生成时间",
        "page": "第 {x} 页,共 {y} 页",
        "audit_head": "审计链头",
        "supersedes": "本报告取代同一班次的先前报告 {ref}。",
        "no_events": "本班次无事件:无报警、无停工或复工指令、无作业票变动。",
        "s_permits": "一、交接时在用及暂停的作业票({n})",
        "s_changes": "二、本班开始、关闭、驳回及升级的作业票",
        "s_green": "绿色通道审批({n})",
        "s_alarms": "三、本班报警",
        "s_critical": "一级报警及处置({n})",
        "s_commands": "四、停工与复工指令({n})",
        "s_gas": "五、气体超限({n} 个区域)",
        "s_certs": "六、在岗人员60天内到期的特种作业操作证({n})",
        "s_notes": "七、备注",
        "s_signoff": "八、交接签字",
        "none": "无。",
        "no_notes": "(无备注)",
        "permit": "作业票",
        "type": "类型/级别",
        "status": "状态",
        "area": "区域",
        "supervisor": "监护人",
        "valid_left": "剩余有效期",
        "gas_age": "检测距今",
        "open_points": "待办事项",
        "kind": "事项",
        "time": "时间",
        "by": "操作人",
        "detail": "说明",
        "signer": "审批人",
        "reason": "理由",
        "review": "复核",
        "review_pending": "待复核",
        "review_done": "已复核",
        "total": "报警总数(报警发生次数)",
        "prio": "{p} 级",
        "avg10": "每10分钟报警数(平均)",
        "peak10": "每10分钟报警数(峰值)",
        "floods": "报警泛滥(10分钟内≥10条)",
        "standing": "持续超过24小时的报警",
        "shelved": "当前搁置",
        "eemua_target": "EEMUA 191 目标:约每10分钟1条",
        "source": "来源",
        "condition": "类别",
        "value": "数值",
        "done": "处置情况",
        "nothing_done": "无处置记录",
        "more_critical": "……另有 {n} 条一级报警(见报警日志)。",
        "command": "指令",
        "acks": "现场回执",
        "state": "状态",
        "auto": "自动",
        "excursions": "超限",
        "chart_caption": "数据来自报警日志与气体检测记录;横轴为班次开始后的小时数。",
        "more_areas": "……另有 {n} 个区域(见报警日志)。",
        "worker": "人员",
        "trade": "工种",
        "number": "证号",
        "valid_to": "有效期至",
        "days_left": "剩余天数",
        "permits": "作业票",
        "expired": "已过期",
        "name": "姓名",
        "signed_at": "签字时间",
        "content_hash": "内容 sha256",
        "signature": "签名",
        "not_signed": "未电子签名",
        "active": "作业中",
        "suspended": "已暂停",
        "opened": "开始",
        "closed": "关闭",
        "rejected": "驳回",
        "escalated": "升级",
        "stop": "停工",
        "resume": "复工",
        "ack": "已确认",
        "shelve": "已搁置",
        "normal": "恢复正常",
        "out_of_service": "停用",
        "received": "已接收",
        "executed": "已执行",
        "sent": "已发送",
        "timeout": "超时",
        "op_suspended": "已暂停 {arg}",
        "op_no_gas_test": "无气体检测记录",
        "op_gas_test_failed": "最近一次气体检测不合格",
        "op_gas_test_old": "气体检测已超过2小时",
        "op_expired": "已超过有效期",
        "op_expiring": "{arg} 分钟后到期",
        "op_prerequisite": "缺少:{arg}",
        "op_review": "绿色通道待复核",
        "h": "小时",
        "min": "分",
        "d": "天",
        "hot_work": "动火",
        "confined_space": "受限空间",
        "blinding": "盲板抽堵",
        "work_at_height": "高处",
        "lifting": "吊装",
        "temporary_power": "临时用电",
        "excavation": "动土",
        "road_closure": "断路",
        "grade_special": "特级",
        "grade_1": "一级",
        "grade_2": "二级",
        "pre_jsa": "作业安全分析",
        "pre_isolation": "能量隔离",
        "pre_gas_test": "气体检测",
    },
}


def strings(lang: str) -> dict[str, str]:
    if lang not in STRINGS:
        raise UserError(f"report language {lang!r} is not available; use zh_CN or en")
    return STRINGS[lang]


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


# ---------------------------------------------------------------- formatting helpers


class _Fmt:
    """Formatting in one language and one time zone."""

    def __init__(self, data: HandoverData, lang: str) -> None:
        self.s = strings(lang)
        self.data = data
        self.lang = lang

    def t(self, key: str, **kw: Any) -> str:
        text = self.s.get(key, key)
        return text.format(**kw) if kw else text

    def when(self, ts: datetime | None, *, date: bool = False) -> str:
        if ts is None:
            return "—"
        local = self.data.local(ts)
        if date or local.date() != self.data.local(self.data.end).date():
            return local.strftime("%m-%d %H:%M")
        return local.strftime("%H:%M")

    def full(self, ts: datetime) -> str:
        return self.data.local(ts).strftime("%Y-%m-%d %H:%M")

    def duration(self, td: timedelta | None) -> str:
        if td is None:
            return "—"
        sign = "-" if td < timedelta(0) else ""
        minutes = int(abs(td.total_seconds()) // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            return f"{sign}{days}{self.t('d')} {hours}{self.t('h')}"
        if hours:
            return f"{sign}{hours}{self.t('h')} {mins}{self.t('min')}"
        return f"{sign}{mins}{self.t('min')}"

    def ptype(self, ptype: str, grade: str | None) -> str:
        text = self.t(ptype)
        if grade:
            text += " " + self.t(f"grade_{grade}")
        return text

    def point(self, p: OpenPoint) -> str:
        arg = p.arg
        if p.code == "prerequisite":
            arg = ", ".join(self.t(f"pre_{key.strip()}") for key in arg.split(","))
        return self.t(f"op_{p.code}", arg=arg).strip()


def _value(v: float | None, unit: str) -> str:
    return "—" if v is None else f"{v:g} {unit}".strip()


# ---------------------------------------------------------------- page furniture


def _numbered_canvas(font: str, footer_left: str, page_text: str, header: str) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without an initial font the canvas names Helvetica on every page: a font not embedded.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(font, 7)
            self.setFillColor(DARK)
            self.drawString(15 * mm, 9 * mm, footer_left)
            self.drawRightString(width - 15 * mm, 9 * mm, page_text.format(x=number, y=total))
            self.drawString(15 * mm, _height - 9 * mm, header)
            self.setStrokeColor(GREY)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.restoreState()

    return NumberedCanvas


class TrendChart(Flowable):
    """A small trend of one area: a line per channel, each scaled to its own range (labelled at the right).

    Drawn straight on the canvas rather than as a reportlab ``Drawing``: a Drawing starts every render
    with Helvetica as its font, which would put a font that is not embedded into the PDF.
    """

    def __init__(self, area: AreaExcursions, start: datetime, end: datetime, width: float, font: str) -> None:
        super().__init__()
        self.area, self.start, self.end, self.font = area, start, end, font
        self.width, self.height = width, 34 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        left, right, bottom, top = 8 * mm, 46 * mm, 6 * mm, 3 * mm
        pw, ph = self.width - left - right, self.height - bottom - top
        span_h = max((self.end - self.start).total_seconds() / 3600, 1e-6)
        c.saveState()
        c.setLineWidth(0.5)
        c.setStrokeColor(colors.Color(0.5, 0.5, 0.5))
        c.rect(left, bottom, pw, ph, stroke=1, fill=0)
        c.setFont(self.font, 5.5)
        c.setFillColor(DARK)
        step = 1 if span_h <= 12 else 2 if span_h <= 24 else max(1, round(span_h / 12))
        hour = 0
        while hour <= span_h + 1e-9:
            x = left + pw * hour / span_h
            c.line(x, bottom, x, bottom - 1.5)
            c.drawCentredString(x, bottom - 6, str(hour))
            hour += step
        for i, series in enumerate(self.area.series[:4]):
            values = [p.value for p in series.points]
            lo, hi = min(values), max(values)
            if hi - lo < 1e-9:
                lo, hi = lo - 1, hi + 1
            pad = (hi - lo) * 0.1
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            dash = SERIES_DASHES[i % len(SERIES_DASHES)]
            c.setStrokeColor(colour)
            c.setFillColor(colour)
            c.setLineWidth(0.9)
            c.setDash(list(dash) if dash else [])
            pts = [
                (
                    left + pw * min(max((p.ts - self.start).total_seconds() / 3600 / span_h, 0.0), 1.0),
                    bottom + ph * (p.value - lo + pad) / (hi - lo + 2 * pad),
                )
                for p in series.points
            ]
            if len(pts) > 1:
                path = c.beginPath()
                path.moveTo(*pts[0])
                for x, y in pts[1:]:
                    path.lineTo(x, y)
                c.drawPath(path, stroke=1, fill=0)
            for x, y in pts:
                c.rect(x - 1, y - 1, 2, 2, stroke=0, fill=1)
            label_y = bottom + ph - 7 - i * 9
            c.line(left + pw + 3, label_y + 2, left + pw + 11, label_y + 2)
            c.setDash([])
            c.setFont(self.font, 6)
            c.drawString(left + pw + 13, label_y, f"{series.channel} {lo:g}–{hi:g} {series.unit}")
        c.restoreState()


# ---------------------------------------------------------------- the document


class _Builder:
    def __init__(self, data: HandoverData, lang: str, paper: str, font: str) -> None:
        self.data = data
        self.f = _Fmt(data, lang)
        self.font = font
        self.width = PAGE_SIZES[paper][0] - 30 * mm
        wrap = "CJK" if lang == "zh_CN" else None
        base = {"fontName": font, "wordWrap": wrap}
        self.title = ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=4, **base)
        self.h1 = ParagraphStyle("h1", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, **base)
        self.h2 = ParagraphStyle("h2", fontSize=10, leading=13, spaceBefore=5, spaceAfter=3, **base)
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.cell = ParagraphStyle("cell", fontSize=7.5, leading=9.2, **base)
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

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.cell)

    def table(self, header: list[str], rows: list[list[Any]], widths: Sequence[float]) -> Table:
        scale = self.width / sum(widths)
        table = Table(
            [header, *rows], colWidths=[w * scale for w in widths], repeatRows=1, hAlign="LEFT", splitByRow=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                    ("LEADING", (0, 0), (-1, -1), 9.2),
                    ("BACKGROUND", (0, 0), (-1, 0), GREY),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.6, 0.6, 0.6)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return table

    # -- sections

    def header(self, signatures: Sequence[SignatureBlock], supersedes: str | None) -> list[Any]:
        d, f = self.data, self.f
        names = {s.role: s.name for s in signatures}
        outgoing = names.get("outgoing") or d.outgoing_lead or "_" * 18
        incoming = names.get("incoming") or d.incoming_lead or "_" * 18
        window = f"{f.full(d.start)} – {f.full(d.end)} ({d.timezone})"
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
        if not d.has_events:
            story.append(self.p(f.t("no_events"), self.boxed))
        return story

    def permits(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.t("s_permits", n=len(d.permits)), self.h1)]
        if not d.permits:
            return [*story, self.p(f.t("none"), self.body)]
        rows = []
        for pl in d.permits:
            gas = f.duration(pl.gas_test_age)
            if pl.gas_test_passed is False:
                gas += " ✗"
            points = "; ".join(f.point(p) for p in pl.open_points)
            rows.append(
                [
                    pl.id,
                    f.ptype(pl.type, pl.grade),
                    f.t(pl.status),
                    pl.area,
                    pl.supervisor,
                    f.duration(pl.validity_left),
                    gas,
                    self.p(points) if points else "",
                ]
            )
        widths = [17, 16, 10, 11, 12, 12, 11, 30]
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
                [f.t(c.kind), f.when(c.ts), c.permit_id, f.t(c.type), c.area, c.by, self.p(c.detail)]
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
                    g.area,
                    g.signer,
                    f.when(g.signed_at),
                    self.p(g.reason),
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
            [f.t("floods"), str(a.floods), ", ".join(f.when(t) for t in a.flood_starts[:12])],
            [f.t("standing"), str(a.standing_24h), ""],
            [f.t("shelved"), str(a.shelved_now), ""],
        ]
        t = self.table(rows[0], rows[1:], [40, 12, 48])  # a figures table: the first row is no header
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
                c.area,
                self.p(c.source),
                c.condition,
                _value(c.value, c.unit),
                self.p(self._done(c)),
            ]
            for c in d.critical
        ]
        story.append(
            self.table(
                [f.t(k) for k in ("time", "area", "source", "condition", "value", "done")],
                rows2,
                [9, 10, 22, 9, 11, 39],
            )
        )
        if d.critical_total > len(d.critical):
            story.append(self.p(f.t("more_critical", n=d.critical_total - len(d.critical)), self.small))
        return story

    def _done(self, c: CriticalAlarm) -> str:
        f = self.f
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
            by = f.t("auto") if a.by == "auto" else a.by
            parts.append(f"{f.when(a.ts)} {label}" + (f" ({by})" if by else ""))
        return "; ".join(parts)

    def _acks(self, c: CommandLine) -> str:
        f = self.f
        return (
            "; ".join(f"{f.when(a.ts)} {f.t(a.status)}" + (f" ({a.by})" if a.by else "") for a in c.acks)
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
                c.area,
                f.t("auto") if c.auto else c.issued_by,
                self.p(c.reason + (f" [{', '.join(c.permits)}]" if c.permits else "")),
                self.p(self._acks(c)),
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
        story: list[Any] = [self.p(f.t("s_gas", n=len(d.excursions)), self.h1)]
        if not d.excursions:
            return [*story, self.p(f.t("none"), self.body)]
        story.append(self.p(f.t("chart_caption"), self.small))
        for area in d.excursions[:MAX_CHART_AREAS]:
            listed = "; ".join(
                f"{f.when(x.ts)} {x.source.rsplit('/', 1)[-1]} {x.condition} {_value(x.value, x.unit)}"
                for x in area.excursions[:8]
            )
            if len(area.excursions) > 8:
                listed += f"; … (+{len(area.excursions) - 8})"
            block = [
                self.p(f"{area.site}/{area.area} — {f.t('excursions')}: {len(area.excursions)}", self.h2),
                self.p(listed, self.cell),
                self._chart(area),
            ]
            story.append(KeepTogether(block))
        if len(d.excursions) > MAX_CHART_AREAS:
            story.append(self.p(f.t("more_areas", n=len(d.excursions) - MAX_CHART_AREAS), self.small))
        return story

    def _chart(self, area: AreaExcursions) -> TrendChart:
        return TrendChart(area, self.data.start, self.data.end, self.width, self.font)

    def certificates(self) -> list[Any]:
        d, f = self.data, self.f
        story: list[Any] = [self.p(f.t("s_certs", n=len(d.certificates)), self.h1)]
        if not d.certificates:
            return [*story, self.p(f.t("none"), self.body)]
        rows = [
            [
                self.p(f"{c.worker_name} ({c.worker_id})"),
                self.p(c.trade),
                self.p(c.number),
                c.valid_to.isoformat(),
                f.t("expired") if c.days_left < 0 else str(c.days_left),
                self.p(", ".join(c.permits)),
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
    builder = _Builder(data, lang, paper, font_name)
    story: list[Any] = []
    story += builder.header(signatures, supersedes)
    story += builder.permits()
    story += builder.changes()
    story += builder.alarms()
    story += builder.commands()
    story += builder.gas()
    story += builder.certificates()
    story += builder.notes(notes)
    story += builder.signoff(signatures)

    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(
            f"cannot write the report to {out}: the folder {folder} does not exist; choose another --out"
        )
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(
            f"cannot write the report to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    fmt = _Fmt(data, lang)
    generated = f"{f['generated']} {fmt.full(data.generated_at)} ({data.timezone})"
    footer = f"{generated} · {f['audit_head']} {data.audit_head}"
    header = f"{data.plant} · {data.site_name or data.site or f['all_sites']} · {f['title']} · " + (
        f"{fmt.full(data.start)} – {fmt.full(data.end)}"
    )
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
            canvasmaker=_numbered_canvas(font_name, footer, f["page"], header),
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
