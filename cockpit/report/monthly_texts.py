"""The monthly report's words and tables, shared by the PDF and the xlsx (which never go through Qt: the
strings live here, one table per language, like the handover's ``handover_texts``).

``sections(report, lang)`` lays the report out once as titled tables of text and numbers; the PDF draws
them with charts, the xlsx writes one sheet each, so both carry the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cockpit.alarm_kpi import AlarmKpis
from cockpit.report.alarm_words import condition_word
from cockpit.report.handover_texts import strings as handover_strings
from cockpit.report.monthly_alarms import AlarmMonth
from cockpit.report.monthly_data import NO_CONTRACTOR, NO_GRADE, UNCODED, MonthFigures, MonthlyReport
from models.plant_clock import format_time

Cell = str | int | float

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Monthly special-work analysis",
        "subtitle": "{month} · {plant} · plant time {zone}",
        "generated": "Generated",
        "page": "page {x} of {y}",
        "figure": "Figure",
        "three_month_avg": "avg of previous {n}",
        "s_summary": "1. Key figures, month by month",
        "s_charts": "2. Charts",
        "s_type": "3. Permits by type",
        "s_grade": "4. Permits by grade",
        "s_site": "5. Permits by site",
        "s_contractor": "6. Permits by contractor",
        "s_reasons": "7. Rejection and send-back reasons",
        "s_alarms": "8. Alarm system ({month})",
        "s_near": "9. Near misses by category",
        "top_reasons": "Top reasons: {list}",
        "no_reasons": "No permit was rejected or sent back this month.",
        "uncoded_note": "A reason counts under the reason chosen for it on the approval screen; "
        "\u201cuncoded\u201d reasons were typed without choosing one.",
        "code": "Reason",
        "rejected": "Rejected",
        "sent_back": "Sent back",
        "total": "Total",
        "total_month": "Total {month}",
        "share": "Share",
        "permits": "Permits submitted",
        "approved": "Permits approved",
        "lead_median": "Approval lead time, median",
        "lead_p90": "Approval lead time, p90",
        "approved_late": "Approved after the planned start",
        "escalations": "Escalation steps",
        "escalated_permits": "Permits escalated",
        "refused": "Rejected / sent back",
        "green_channel": "Green-channel approvals",
        "reviews": "Reviews accepted / with finding",
        "gas_on_time": "Gas tests on time (starts)",
        "stops": "Stop-works automatic / manual",
        "stop_exec": "Stop to executed, median / p90",
        "stops_not_executed": "Stops never executed",
        "alarms": "Alarms",
        "alarm_rate": "Alarms per 10 min, average / peak",
        "flood_share": "Time in flood",
        "standing": "Standing alarms (>24 h) at month end",
        "band": "EEMUA 191 band",
        "band_acceptable": "acceptable",
        "band_manageable": "manageable",
        "band_overdemanding": "over-demanding",
        "bad_actors": "The ten most frequent alarms: {share} of all alarms",
        "source": "Source",
        "src_channel": "detector {device}, {ch}",
        "src_detector": "detector {device}",
        "src_worker": "worker {id}",
        "src_permit": "permit {id}",
        "src_cmd": "stop-work command {id}",
        "lvl_HIHI": "high-high",
        "lvl_HI": "high",
        "lvl_LO": "low",
        "lvl_LOLO": "low-low",
        "condition": "Condition",
        "area": "Site / area",
        "count": "Count",
        "chattering": "Chattering alarms (3 or more in a minute): {n}",
        "type": "Type",
        "grade": "Grade",
        "site": "Site",
        "contractor": "Contractor",
        "category": "Category",
        "near_misses": "Near misses",
        "nm_gas_release": "Gas release",
        "nm_fire_ignition": "Fire or ignition",
        "nm_fall_from_height": "Fall from height",
        "nm_dropped_object": "Dropped object",
        "nm_confined_space_atmosphere": "Confined-space atmosphere",
        "nm_electrical": "Electrical",
        "nm_struck_by": "Struck by",
        "nm_other": "Other",
        "dash": "—",
        "no_permits": "No permits this month.",
        "c_permits": "Permits submitted",
        "c_lead": "Approval lead, median (h)",
        "c_refused": "Rejected + sent back",
        "c_stops": "Stop-works",
        "c_alarms": "Alarms per 10 min (avg)",
        "c_reasons": "Top reasons this month",
        "s": "s",
        "min": "min",
        "h": "h",
        NO_GRADE: "no grade",
        NO_CONTRACTOR: "own staff",
        UNCODED: "uncoded",
        "r_gas_test": "gas test",
        "r_isolation": "energy isolation",
        "r_jsa": "JSA",
        "r_certificate": "qualification certificate",
        "r_grade": "grade",
        "r_workers": "crew",
        "r_time": "time window",
        "r_area": "area",
        "r_description": "description",
        "r_other": "other",
        "r_supervisor": "supervisor",
        "r_attachments": "attachments",
        "r_crew": "crew list",
        "r_validity": "validity",
        "r_coordinator": "coordinator",
    },
    "zh_CN": {
        "title": "特殊作业月度分析",
        "subtitle": "{month} · {plant} · 厂区时间 {zone}",
        "generated": "生成于",
        "page": "第 {x} 页,共 {y} 页",
        "figure": "指标",
        "three_month_avg": "前 {n} 个月平均",
        "s_summary": "一、主要指标逐月对比",
        "s_charts": "二、图表",
        "s_type": "三、按作业类型统计",
        "s_grade": "四、按作业级别统计",
        "s_site": "五、按厂区统计",
        "s_contractor": "六、按承包商统计",
        "s_reasons": "七、驳回与退回原因",
        "s_alarms": "八、报警系统({month})",
        "s_near": "九、未遂事件(按类别)",
        "top_reasons": "主要原因:{list}",
        "no_reasons": "本月没有被驳回或退回的作业票。",
        "uncoded_note": "原因按审批界面上为其选择的原因统计;“未编码”为未选择原因、仅填写文字的原因。",
        "code": "原因",
        "rejected": "驳回",
        "sent_back": "退回",
        "total": "合计",
        "total_month": "{month} 合计",
        "share": "占比",
        "permits": "申请作业票",
        "approved": "批准作业票",
        "lead_median": "审批用时中位数",
        "lead_p90": "审批用时 P90",
        "approved_late": "晚于计划开工批准",
        "escalations": "升级次数",
        "escalated_permits": "升级的作业票",
        "refused": "驳回 / 退回",
        "green_channel": "绿色通道批准",
        "reviews": "复核通过 / 有问题",
        "gas_on_time": "按时气体检测(开工数)",
        "stops": "停工:自动 / 手动",
        "stop_exec": "停工至执行:中位数 / P90",
        "stops_not_executed": "未执行的停工",
        "alarms": "报警数",
        "alarm_rate": "每 10 分钟报警:平均 / 峰值",
        "flood_share": "报警泛滥时间占比",
        "standing": "月末长期报警(超过 24 小时)",
        "band": "EEMUA 191 等级",
        "band_acceptable": "可接受",
        "band_manageable": "可管理",
        "band_overdemanding": "负荷过重",
        "bad_actors": "最频繁的十个报警:占全部报警的 {share}",
        "source": "报警源",
        "src_channel": "探测器 {device}，{ch}",
        "src_detector": "探测器 {device}",
        "src_worker": "人员 {id}",
        "src_permit": "作业票 {id}",
        "src_cmd": "停工指令 {id}",
        "lvl_HIHI": "高高报警",
        "lvl_HI": "高报警",
        "lvl_LO": "低报警",
        "lvl_LOLO": "低低报警",
        "condition": "报警条件",
        "area": "厂区 / 区域",
        "count": "次数",
        "chattering": "抖动报警(一分钟内 3 次及以上):{n} 个",
        "type": "作业类型",
        "grade": "级别",
        "site": "厂区",
        "contractor": "承包商",
        "category": "类别",
        "near_misses": "未遂事件",
        "nm_gas_release": "气体泄漏",
        "nm_fire_ignition": "着火或引燃",
        "nm_fall_from_height": "高处坠落",
        "nm_dropped_object": "物体坠落",
        "nm_confined_space_atmosphere": "受限空间气体环境",
        "nm_electrical": "触电或电气",
        "nm_struck_by": "物体打击或碰撞",
        "nm_other": "其他",
        "dash": "—",
        "no_permits": "本月没有作业票。",
        "c_permits": "申请作业票",
        "c_lead": "审批用时中位数(小时)",
        "c_refused": "驳回 + 退回",
        "c_stops": "停工",
        "c_alarms": "每 10 分钟报警(平均)",
        "c_reasons": "本月主要原因",
        "s": "秒",
        "min": "分",
        "h": "小时",
        NO_GRADE: "无级别",
        NO_CONTRACTOR: "本厂人员",
        UNCODED: "未编码",
        "r_gas_test": "气体检测",
        "r_isolation": "能量隔离",
        "r_jsa": "作业安全分析",
        "r_certificate": "资格证书",
        "r_grade": "作业级别",
        "r_workers": "作业人员",
        "r_time": "作业时间",
        "r_area": "作业区域",
        "r_description": "作业内容",
        "r_other": "其他",
        "r_supervisor": "监护人",
        "r_attachments": "附件",
        "r_crew": "人员名单",
        "r_validity": "有效期",
        "r_coordinator": "协调人",
    },
}


@dataclass(frozen=True)
class Section:
    """A titled table: the header and rows as printed (numbers stay numbers for the xlsx)."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""


# The reason codes a person picks on the approval screen, in the order offered, "other" last. The picker
# (``views.decision_reason``) and this report word them from the one table below (``r_<code>``).
REASON_CODES: tuple[str, ...] = (
    "gas_test",
    "isolation",
    "jsa",
    "certificate",
    "grade",
    "workers",
    "crew",
    "supervisor",
    "coordinator",
    "time",
    "validity",
    "area",
    "description",
    "attachments",
    "other",
)


def reason_word(code: str, lang: str) -> str:
    """A reason code as its word in ``lang`` (``zh_CN`` or ``en``); an unknown code as it is."""
    return STRINGS["zh_CN" if lang == "zh_CN" else "en"].get(f"r_{code}", code)


class Words:
    def __init__(self, lang: str, report: MonthlyReport) -> None:
        self.lang = "zh_CN" if lang == "zh_CN" else "en"
        self.s = STRINGS[self.lang]
        self.h = handover_strings(self.lang)
        self.report = report

    def t(self, key: str, **kw: object) -> str:
        text = self.s.get(key) or self.h.get(key) or key
        return text.format(**kw) if kw else text

    def ptype(self, code: str) -> str:
        return self.h.get(code, code)

    def grade(self, code: str) -> str:
        return self.t(NO_GRADE) if code == NO_GRADE else self.h.get(f"grade_{code}", code)

    def reason(self, code: str) -> str:
        """The reason's word, as the approval screen's picker offers it (never the code beside it)."""
        return self.s[UNCODED] if code == UNCODED else reason_word(code, self.lang)

    def place(self, site: str, area: str) -> str:
        """``Site name / area name`` (a code without a name as it is)."""
        names = self.report
        return f"{names.site_names.get(site) or site} / {names.area_names.get(f'{site}/{area}') or area}"

    def source(self, source: str) -> str:
        """What raised an alarm in words: ``detector GD-1, LEL``, ``worker W-1``, not its key."""
        kind, sep, key = source.partition(":")
        parts = source.split("/")
        if sep and key and kind in ("worker", "permit", "cmd"):
            return self.t(f"src_{kind}", id=key)
        if len(parts) == 4:
            return self.t("src_channel", device=parts[2], ch=parts[3])
        if len(parts) == 3:
            return self.t("src_detector", device=parts[2])
        return source

    def condition(self, code: str) -> str:
        """A condition's words; an ISA level code with its words first (``low (LO)``)."""
        level = self.s.get(f"lvl_{code}")
        return f"{level} ({code})" if level else condition_word(code, self.lang)

    def site(self, code: str) -> str:
        name = self.report.site_names.get(code, "")
        return f"{name} ({code})" if name else code

    def contractor(self, code: str) -> str:
        if code == NO_CONTRACTOR:
            return self.t(NO_CONTRACTOR)
        name = self.report.contractor_names.get(code, "")
        return f"{name} ({code})" if name else code

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return self.t("dash")
        if seconds < 120:
            return f"{seconds:.0f} {self.t('s')}"
        if seconds < 2 * 3600:
            return f"{seconds / 60:.0f} {self.t('min')}"
        return f"{seconds / 3600:.1f} {self.t('h')}"

    def when(self) -> str:
        return format_time(self.report.generated_at, self.report.zone, "stamp")


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _avg(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _summary(w: Words, report: MonthlyReport) -> Section:
    months = report.months
    n_prev = len(report.previous)
    rows: list[list[Cell]] = []

    def counted(key: str, get: Callable[[MonthFigures], int]) -> None:
        values = [get(m) for m in months]
        avg = _avg([float(v) for v in values[:-1]])
        rows.append([w.t(key), *values, round(avg, 1) if avg is not None else w.t("dash")])

    def texted(key: str, get: Callable[[MonthFigures], str]) -> None:
        rows.append([w.t(key), *[get(m) for m in months], ""])

    def timed(key: str, get: Callable[[MonthFigures], float | None]) -> None:
        values = [get(m) for m in months]
        avg = _avg([v for v in values[:-1] if v is not None])
        rows.append([w.t(key), *[w.duration(v) for v in values], w.duration(avg)])

    def alarmed(m: MonthFigures, get: Callable[[AlarmKpis], object]) -> str:
        return str(get(m.alarms)) if m.alarms is not None else w.t("dash")

    def loaded(m: MonthFigures, get: Callable[[AlarmMonth], object]) -> str:
        return str(get(m.alarm_load)) if m.alarm_load is not None else w.t("dash")

    counted("permits", lambda m: m.permits)
    counted("approved", lambda m: m.approved)
    timed("lead_median", lambda m: m.lead_median_s)
    timed("lead_p90", lambda m: m.lead_p90_s)
    texted("approved_late", lambda m: f"{m.approved_late} ({pct(m.approved_late, m.approved)})")
    counted("escalations", lambda m: m.escalations)
    counted("escalated_permits", lambda m: m.escalated_permits)
    texted("refused", lambda m: f"{m.rejected} / {m.sent_back}")
    counted("green_channel", lambda m: m.green_channel)
    texted("reviews", lambda m: f"{m.reviews_accepted} / {m.review_findings}")
    texted("gas_on_time", lambda m: f"{m.gas_on_time} / {m.gas_starts} ({pct(m.gas_on_time, m.gas_starts)})")
    texted("stops", lambda m: f"{m.stops_auto} / {m.stops_manual}")
    texted("stop_exec", lambda m: f"{w.duration(m.stop_exec_median_s)} / {w.duration(m.stop_exec_p90_s)}")
    counted("stops_not_executed", lambda m: m.stops_not_executed)
    counted("alarms", lambda m: m.alarm_load.alarms if m.alarm_load else 0)
    texted("alarm_rate", lambda m: loaded(m, lambda a: f"{a.per_10min_avg:.2f} / {a.per_10min_peak}"))
    texted("flood_share", lambda m: loaded(m, lambda a: f"{100 * a.flood_share:.1f}%"))
    texted("band", lambda m: loaded(m, lambda a: w.t(f"band_{a.band}")))
    texted("standing", lambda m: alarmed(m, lambda a: a.standing_24h))
    if report.near_misses is not None:
        near = [*report.near_misses_previous, report.near_misses]
        rows.append([w.t("near_misses"), *[n.total if n else w.t("dash") for n in near], ""])
    header = [w.t("figure"), *[m.month for m in months], w.t("three_month_avg", n=n_prev)]
    return Section("summary", w.t("s_summary"), header, rows)


def _grouped(
    w: Words,
    report: MonthlyReport,
    key: str,
    label: str,
    get: Callable[[MonthFigures], tuple[tuple[str, int], ...]],
    word: Callable[[str], str],
) -> Section:
    months = report.months
    per_month = [dict(get(m)) for m in months]
    order = [code for code, _n in get(report.month)]
    order += sorted({c for d in per_month[:-1] for c in d} - set(order))
    total = report.month.permits
    rows: list[list[Cell]] = [
        [word(code), *[d.get(code, 0) for d in per_month], pct(per_month[-1].get(code, 0), total)]
        for code in order
    ]
    header = [w.t(label), *[m.month for m in months], w.t("share")]
    return Section(key, w.t(f"s_{label}"), header, rows, "" if rows else w.t("no_permits"))


def _reasons(w: Words, report: MonthlyReport) -> Section:
    m = report.month
    refused = m.rejected + m.sent_back
    earlier = [{r.code: r.total for r in p.reasons} for p in report.previous]
    rows: list[list[Cell]] = [
        [
            w.reason(r.code),
            r.rejected,
            r.sent_back,
            r.total,
            pct(r.total, refused),
            *[e.get(r.code, 0) for e in earlier],
        ]
        for r in m.reasons
    ]
    if rows:  # the month's total, named by its month: the earlier months' columns stand beside it
        rows.append(
            [
                w.t("total_month", month=m.month),
                sum(r.rejected for r in m.reasons),
                sum(r.sent_back for r in m.reasons),
                sum(r.total for r in m.reasons),
                pct(sum(r.total for r in m.reasons), refused),
                *[sum(e.values()) for e in earlier],
            ]
        )
    header = [w.t("code"), w.t("rejected"), w.t("sent_back"), w.t("total"), w.t("share")]
    header += [p.month for p in report.previous]
    if rows:
        top = ", ".join(f"{w.reason(r.code)} {r.total}" for r in m.top_reasons)
        note = w.t("top_reasons", list=top) + "\n" + w.t("uncoded_note")
    else:
        note = w.t("no_reasons")
    return Section("reasons", w.t("s_reasons"), header, rows, note)


def _alarms(w: Words, report: MonthlyReport) -> Section:
    kpis = report.month.alarms
    rows: list[list[Cell]] = []
    note = ""
    if kpis is not None:
        for a in kpis.bad_actors:
            rows.append([w.place(a.site, a.area), w.source(a.source), w.condition(a.condition), a.count])
        note = (
            w.t("bad_actors", share=f"{100 * kpis.bad_actor_share:.0f}%")
            + "\n"
            + w.t("chattering", n=len(kpis.chattering))
        )
    header = [w.t("area"), w.t("source"), w.t("condition"), w.t("count")]
    return Section("alarms", w.t("s_alarms", month=report.month.month), header, rows, note)


def _near(w: Words, report: MonthlyReport) -> Section | None:
    near = report.near_misses
    if near is None:
        return None
    rows: list[list[Cell]] = [[w.t(f"nm_{code}"), n] for code, n in near.by_category]
    rows.append([w.t("total_month", month=report.month.month), near.total])
    return Section("near", w.t("s_near"), [w.t("category"), w.t("count")], rows)


def sections(report: MonthlyReport, lang: str) -> list[Section]:
    """The report's tables in order (the charts come between the summary and the rest in the PDF)."""
    w = Words(lang, report)
    out = [
        _summary(w, report),
        _grouped(w, report, "type", "type", lambda m: m.by_type, w.ptype),
        _grouped(w, report, "grade", "grade", lambda m: m.by_grade, w.grade),
        _grouped(w, report, "site", "site", lambda m: m.by_site, w.site),
        _grouped(w, report, "contractor", "contractor", lambda m: m.by_contractor, w.contractor),
        _reasons(w, report),
        _alarms(w, report),
    ]
    near = _near(w, report)
    return [*out, near] if near is not None else out
