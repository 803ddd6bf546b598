"""The handover PDF's words: one table per language (``STRINGS``) and formatting in that language.

The PDF never goes through Qt, so its strings live here rather than in the Qt translations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from cockpit.report.alarm_words import alarm_reason
from cockpit.report.records import HandoverData, OpenPoint
from models.errors import UserError
from models.plant_clock import format_time

# A reason written by the core as a code with its parameters ahead of its English sentence.
_CODED = re.compile(r"^(?P<code>[a-z_][a-z0-9_.]*)\((?P<params>[^)]*)\): ")
# Reasons the screens write in the operator's language: read back in either, printed in the report's.
_WORDED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^stopped from the site map by (?P<user>\S+)$"), "r_map_stop"),
    (re.compile(r"^由 (?P<user>\S+) 在厂区地图上停工$"), "r_map_stop"),
)

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
        "s_gas_one": "5. Gas excursions (1 area)",
        "s_certs": "6. Certificates expiring within 60 days, workers on active permits ({n})",
        "s_near_misses": "7. Near misses during the shift ({n})",
        "more_near_misses": "… and {n} more near misses (the near-miss screen lists them all)",
        "nm_category": "Category",
        "nm_recorded_by": "Recorded by",
        "nm_what": "What happened",
        "nm_field": "from the field",
        "nm_gas_release": "Gas release",
        "nm_fire_ignition": "Fire or ignition",
        "nm_fall_from_height": "Fall from height",
        "nm_dropped_object": "Dropped object",
        "nm_confined_space_atmosphere": "Confined-space atmosphere",
        "nm_electrical": "Electrical",
        "nm_struck_by": "Struck by",
        "nm_other": "Other",
        "s_notes": "8. Notes",
        "s_signoff": "9. Sign-off",
        "none": "None.",
        "no_notes": "(no notes)",
        "permit": "Permit",
        "type": "Type / grade",
        "status": "Status",
        "area": "Area",
        "supervisor": "Supervisor",
        "valid_left": "Validity",
        "valid_until": "valid until {t}",
        "overdue_by": "OVERDUE by {d}",
        "s_permits_at": "1. Permits active and suspended at {t} ({n})",
        "as_of_note": "Made during the shift: the permits are judged at {t}, when the report was made.",
        "no_reason": "(no reason on record)",
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
        "more_critical_one": "… and 1 more priority-1 alarm (see the alarm journal).",
        "command": "Command",
        "acks": "Acknowledgements",
        "state": "State",
        "auto": "automatic",
        "excursions": "Excursions",
        "chart_caption": (
            "Values as recorded in the alarm journal and by gas tests, on the plant's clock ({zone}); "
            "values more than 5 min apart are not joined; coloured lines: the alarm limits."
        ),
        "more_areas": "… and {n} more areas (see the alarm journal).",
        "and_more": "and {n} more",
        "and_more_one": "and 1 more",
        "more_areas_one": "… and 1 more area (see the alarm journal).",
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
        "to_shift_lead": "to the shift lead",
        "to_safety_department": "to the safety department",
        "to_senior_leader": "to the senior leader",
        "to_safety_manager": "to the safety manager",
        "r_gas_test_failed": (
            "the last gas test of permit {permit} failed; a passing gas test is needed before work resumes"
        ),
        "r_map_stop": "stopped from the site map by {user}",
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
        "s_near_misses": "七、本班未遂事件({n})",
        "more_near_misses": "……另有 {n} 起未遂事件(见未遂事件界面)",
        "nm_category": "类别",
        "nm_recorded_by": "记录人",
        "nm_what": "经过",
        "nm_field": "现场上报",
        "nm_gas_release": "气体泄漏",
        "nm_fire_ignition": "着火或引燃",
        "nm_fall_from_height": "高处坠落",
        "nm_dropped_object": "物体坠落",
        "nm_confined_space_atmosphere": "受限空间气体环境",
        "nm_electrical": "触电或电气",
        "nm_struck_by": "物体打击或碰撞",
        "nm_other": "其他",
        "s_notes": "八、备注",
        "s_signoff": "九、交接签字",
        "none": "无。",
        "no_notes": "(无备注)",
        "permit": "作业票",
        "type": "类型/级别",
        "status": "状态",
        "area": "区域",
        "supervisor": "监护人",
        "valid_left": "有效期",
        "valid_until": "有效至 {t}",
        "overdue_by": "已超期 {d}",
        "s_permits_at": "一、{t} 时在用及暂停的作业票({n})",
        "as_of_note": "本报告于班中生成:作业票按生成时间 {t} 判定。",
        "no_reason": "(未记录理由)",
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
        "chart_caption": (
            "数值取自报警日志与气体检测记录,横轴为厂区时间({zone});"
            "相隔超过5分钟的数值不连线;彩色横线为报警限值。"
        ),
        "more_areas": "……另有 {n} 个区域(见报警日志)。",
        "and_more": "等，另有 {n} 项",
        "and_more_one": "等，另有 1 项",
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
        "s_gas_one": "五、气体超限(1 个区域)",
        "more_critical_one": "……另有 1 条一级报警(见报警日志)。",
        "more_areas_one": "……另有 1 个区域(见报警日志)。",
        "to_shift_lead": "升级至值班长",
        "to_safety_department": "升级至安全管理部门",
        "to_senior_leader": "升级至主管领导",
        "to_safety_manager": "升级至安全经理",
        "r_gas_test_failed": "作业票 {permit} 最近一次气体检测不合格;复工前须有合格的气体检测",
        "r_map_stop": "由 {user} 在厂区地图上停工",
    },
}


def strings(lang: str) -> dict[str, str]:
    if lang not in STRINGS:
        raise UserError(f"report language {lang!r} is not available; use zh_CN or en")
    return STRINGS[lang]


class Fmt:
    """Formatting in one language and one time zone."""

    def __init__(self, data: HandoverData, lang: str) -> None:
        self.s = strings(lang)
        self.data = data
        self.lang = lang

    def t(self, key: str, **kw: Any) -> str:
        """The text ``key``; with ``n=1`` its singular (``key_one``) where the language has one."""
        if kw.get("n") == 1 and f"{key}_one" in self.s:
            key = f"{key}_one"
        text = self.s.get(key, key)
        return text.format(**kw) if kw else text

    def reason(self, text: str) -> str:
        """A reason as stored: a coded one (``code(name=value): English``) in this language, else as typed."""
        alarm = alarm_reason(text, self.lang, self.data)  # places by name, as on the screens
        if alarm is not None:
            return alarm
        for pattern, key in _WORDED:
            worded = pattern.match(text)
            if worded is not None:
                return self.t(key, **worded.groupdict())
        found = _CODED.match(text)
        if found is None or f"r_{found['code']}" not in self.s:
            return text
        params = dict(part.strip().split("=", 1) for part in found["params"].split(",") if "=" in part)
        try:
            return self.t(f"r_{found['code']}", **params)
        except KeyError:
            return text[found.end() :]

    def change_detail(self, kind: str, detail: str) -> str:
        """A permit change's detail: an escalation names its target in words, a reason is shown as given."""
        if kind == "escalated" and f"to_{detail}" in self.s:
            return self.t(f"to_{detail}")
        return self.reason(detail)

    def capped(self, items: Sequence[str], limit: int, sep: str = "; ") -> str:
        """At most ``limit`` of ``items`` joined, then "and N more" (a table cell stays a few lines)."""
        shown = sep.join(items[:limit])
        if len(items) <= limit:
            return shown
        return f"{shown}{sep}{self.count('and_more', len(items) - limit)}"

    def count(self, key: str, n: int, **kw: Any) -> str:
        """``key`` with ``n`` in it, in the singular where the language has one (``key_one``)."""
        return self.t(key, n=n, **kw)

    def validity(self, valid_to: datetime, left: timedelta) -> str:
        """ "valid until 18:30" for a permit still valid at the report's time; only an expired one is
        "OVERDUE by 1h 5min"."""
        if left >= timedelta(0):
            return self.t("valid_until", t=self.when(valid_to))
        return self.t("overdue_by", d=self.duration(-left))

    def when(self, ts: datetime | None, *, date: bool = False) -> str:
        if ts is None:
            return "—"
        zone = self.data.timezone
        if date or self.data.local(ts).date() != self.data.local(self.data.end).date():
            return format_time(ts, zone, "short")
        return format_time(ts, zone, "minute")

    def full(self, ts: datetime) -> str:
        return format_time(ts, self.data.timezone, "stamp")

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


def value_text(v: float | None, unit: str) -> str:
    return "—" if v is None else f"{v:g} {unit}".strip()
