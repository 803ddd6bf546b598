"""The contractor performance report's words (PDF and xlsx), one table per language.

The files never go through Qt, so their strings live here, as the handover's do (``handover_texts``).
"""

from __future__ import annotations

from cockpit.contractor_performance import ContractorFigures, PerformanceReport
from models.errors import UserError
from models.plant_clock import format_time, zone_mark

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Contractor safety performance",
        "period": "Period",
        "plant": "Plant",
        "generated": "Generated",
        "page": "page {x} of {y}",
        "ranking": "1. Ranking (best first)",
        "trend": "2. The grade's trend",
        "how": "How to read this report",
        "rule_rank": "Ranked best first: fewest violation points, then fewest stop-works, violations, near "
        "misses and certificate lapses; a tie goes to the contractor that worked more permits.",
        "rule_worked": "Permits worked: permits whose work (from start or resume to pause, stop or end, "
        "within their validity) overlapped the period; work-hours are the hours of that work inside the "
        "period.",
        "rule_stops": "Stop-works: stop commands issued in the period naming one of the contractor's permits "
        "(one command counts once). Certificate lapses: certificates of its workers whose validity ended "
        "in the period.",
        "rule_trend": "Trend: the grade rule (violation points of the 365 days before, qualifications lapsed "
        "by then) at the end of each month; a blacklisting or an override is not in it. Now: the grade "
        "in force today.",
        "no_near": "Near misses are not recorded on this database yet: the column shows a dash, not a zero.",
        "none": "No contractors on record.",
        "rank": "Rank",
        "code": "Code",
        "contractor": "Contractor",
        "grade_now": "Grade now",
        "permits": "Permits worked",
        "hours": "Work-hours",
        "violations": "Violations",
        "points": "Points",
        "stops": "Stop-works",
        "near": "Near misses",
        "lapses": "Certificate lapses",
        "trend_col": "Trend",
        "inactive": "inactive",
        "blacklisted": "blacklisted",
        "sheet_rank": "Ranking",
        "sheet_trend": "Grade trend",
        "month_end": "Month end",
        "grade": "Grade",
        "window_points": "Points (365 days)",
    },
    "zh_CN": {
        "title": "承包商安全绩效",
        "period": "统计期间",
        "plant": "厂区",
        "generated": "生成时间",
        "page": "第 {x} 页，共 {y} 页",
        "ranking": "1. 排名（由优到差）",
        "trend": "2. 等级趋势",
        "how": "阅读说明",
        "rule_rank": "由优到差排名：违章记分最少者在前，其次停工次数、违章次数、未遂事件、证书失效次数最少；"
        "并列时作业票较多者在前。",
        "rule_worked": "作业票数：作业（从开始或复工至暂停、停工或结束，且在有效期内）"
        "与统计期间重叠的作业票；作业工时为期间内的作业小时数。",
        "rule_stops": "停工次数：期间内发出、涉及该承包商作业票的停工指令（一条指令计一次）。"
        "证书失效：其人员证书有效期在期间内届满的数量。",
        "rule_trend": "趋势：每月末按等级规则（此前 365 天的违章记分、届时已失效的资质）得出的等级，"
        "不含黑名单与人工调整。当前：今日生效的等级。",
        "no_near": "本数据库尚未记录未遂事件：该列显示为短横线，而非零。",
        "none": "没有承包商记录。",
        "rank": "排名",
        "code": "编码",
        "contractor": "承包商",
        "grade_now": "当前等级",
        "permits": "作业票数",
        "hours": "作业工时",
        "violations": "违章次数",
        "points": "记分",
        "stops": "停工次数",
        "near": "未遂事件",
        "lapses": "证书失效",
        "trend_col": "趋势",
        "inactive": "已停用",
        "blacklisted": "黑名单",
        "sheet_rank": "排名",
        "sheet_trend": "等级趋势",
        "month_end": "月末",
        "grade": "等级",
        "window_points": "记分（365 天）",
    },
}


def strings(lang: str) -> dict[str, str]:
    if lang not in STRINGS:
        raise UserError(f"report language {lang!r}: use zh_CN or en")
    return STRINGS[lang]


def period_text(report: PerformanceReport) -> str:
    mark = zone_mark(report.zone, report.start)
    return f"{report.first_day.isoformat()} – {report.last_day.isoformat()} ({report.zone}, {mark})"


def generated_text(report: PerformanceReport) -> str:
    return format_time(report.generated_at, report.zone, "stamp")


def trend_text(row: ContractorFigures) -> str:
    return " → ".join(p.grade for p in row.trend)


def name_text(row: ContractorFigures, f: dict[str, str]) -> str:
    marks = [f[k] for k, on in (("inactive", not row.active), ("blacklisted", row.blacklisted)) if on]
    return row.name + (f" ({', '.join(marks)})" if marks else "")


def near_text(row: ContractorFigures) -> str:
    return "—" if row.near_misses is None else str(row.near_misses)


def hours_text(hours: float) -> str:
    return f"{hours:.1f}"


def ranking_header(f: dict[str, str]) -> list[str]:
    keys = (
        "rank",
        "code",
        "contractor",
        "grade_now",
        "trend_col",
        "permits",
        "hours",
        "violations",
        "points",
    )
    return [f[k] for k in (*keys, "stops", "near", "lapses")]


def ranking_cells(row: ContractorFigures, f: dict[str, str]) -> list[str]:
    return [
        str(row.rank),
        row.code,
        name_text(row, f),
        row.grade_now,
        trend_text(row),
        str(row.permits_worked),
        hours_text(row.work_hours),
        str(row.violations),
        str(row.points),
        str(row.stop_works),
        near_text(row),
        str(row.certificate_lapses),
    ]
