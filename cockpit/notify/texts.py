"""The words of a notice, in the route's language (zh_CN or en), in the plant's time zone.

A notice leaves the program, so it cannot travel as a code for a view to translate: it is written
here, once per language, from the notice's fields. Sites and areas are named by their names from the
database (the id where the database has none); times are the site's local time with its zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from cockpit.notify.notices import Notice
from models.alarms import AlarmTransition

DEFAULT_TZ = "Asia/Shanghai"

# Condition words, as the alarm list shows them (widgets/alarm_words.py and its Chinese).
CONDITIONS: dict[str, tuple[str, str]] = {
    "HIHI": ("高高报", "high-high"),
    "HI": ("高报", "high"),
    "LO": ("低报", "low"),
    "LOLO": ("低低报", "low-low"),
    "STALE": ("无有效读数", "no valid reading"),
    "FAULT": ("探测器故障", "detector fault"),
    "MAN_DOWN": ("人员倒地", "man down"),
    "FALL": ("跌落", "fall detected"),
    "SOS": ("SOS 求救", "SOS"),
    "NO_MOTION": ("长时间静止", "no motion"),
    "GEOFENCE": ("越界", "geofence breach"),
    "GAS_TEST_FAILED": ("气体检测不合格", "gas test failed"),
    "NO_VALID_PERMIT": ("无有效作业票作业", "work without a valid permit"),
    "STOP_NOT_EXECUTED": ("停工指令未按时执行", "stop-work not executed in time"),
    "GAS_RETEST_OVERDUE": ("气体复测逾期", "gas re-test overdue"),
    "CHECKIN_OVERDUE": ("监护人打卡逾期", "supervisor check-in overdue"),
    "PERMIT_EXPIRED": ("作业票已超期", "permit past its validity"),
}

ROLES: dict[str, tuple[str, str]] = {
    "shift_lead": ("值班长", "shift lead"),
    "safety_department": ("安全部门", "safety department"),
    "senior_leader": ("主管领导", "senior leader"),
    "safety_manager": ("安全经理", "safety manager"),
    "incident_commander": ("现场指挥", "incident commander"),
    "operator": ("操作员", "operator"),
}

TITLES: dict[str, tuple[str, str]] = {
    "priority1": ("【一级报警】", "[Priority 1 alarm]"),
    "unacked": ("【报警未确认】", "[Alarm not acknowledged]"),
    "escalation": ("【审批超时升级】", "[Approval overdue]"),
    "review": ("【绿色通道复核逾期】", "[Green-channel review overdue]"),
    "work_order": ("【缺陷工单超期升级】", "[Defect work order overdue]"),  # an escalation's subject
}


@dataclass(frozen=True)
class PlantNames:
    """What the texts name: the plant, its sites and areas by name, each site's time zone."""

    plant: str = ""
    sites: dict[str, str] = field(default_factory=dict)
    areas: dict[tuple[str, str], str] = field(default_factory=dict)
    timezones: dict[str, str] = field(default_factory=dict)

    def knows(self, site: str, area: str) -> bool:
        return site in self.sites and (not area or (site, area) in self.areas)


def _pick(pair: tuple[str, str], zh: bool) -> str:
    return pair[0] if zh else pair[1]


def _value(t: AlarmTransition, zh: bool) -> str:
    if t.value is None:
        return ""
    text = f"{t.value:g} {t.unit}".strip()
    if t.limit is not None:
        text += f"（限值 {t.limit:g}）" if zh else f" (limit {t.limit:g})"
    return text


def _escalation(notice: Notice, zh: bool) -> str:
    role = _pick(ROLES.get(notice.escalated_to, (notice.escalated_to, notice.escalated_to)), zh)
    if notice.subject == "work_order":  # a defect work order past its due time (issue 23)
        if zh:
            return f"缺陷工单 {notice.permit} 超期未关闭，已升级至{role}（第 {notice.step + 1} 级）"
        order, step = notice.permit, notice.step + 1
        return f"defect work order {order} is past its due time: escalated to {role} (step {step})"
    if zh:
        return f"作业票 {notice.permit} 超过审批时限未审批，已升级至{role}（第 {notice.step + 1} 级）"
    step = notice.step + 1
    return f"permit {notice.permit} is past its approval deadline: escalated to {role} (step {step})"


def _review(notice: Notice, zh: bool) -> str:
    """Step 0: the day after the due day; step n: n more plant days, told up the line too."""
    by, days = notice.escalated_to, notice.step + 1
    if zh:
        late = f"已逾期 {days} 天未完成" if days > 1 else "逾期未完成"
        return f"作业票 {notice.permit} 的绿色通道次日复核{late}" + (f"（审批人 {by}）" if by else "")
    late = f" by {days} days" if days > 1 else ""
    return f"the next-day review of green-channel permit {notice.permit} is overdue{late}" + (
        f" (approved by {by})" if by else ""
    )


def _what(notice: Notice, t: AlarmTransition, zh: bool) -> str:
    """The body's middle for an alarm's notice: what happened, in words, by kind."""
    condition = _pick(CONDITIONS[t.condition], zh) if t.condition in CONDITIONS else t.condition
    value = _value(t, zh)
    if notice.kind == "review":
        permit = t.permit or t.source
        if zh:
            return f"作业票 {permit} 的绿色通道次日复核未完成"
        return f"the next-day review of green-channel permit {permit} is not done"
    parts = [condition, t.source] + ([value] if value else [])
    body = "，".join(parts) if zh else ", ".join(parts)
    if notice.kind == "unacked":
        body += (
            f"；已 {notice.unacked_min} 分钟无人确认"
            if zh
            else f"; not acknowledged for {notice.unacked_min} min"
        )
    return body


def _body(notice: Notice, zh: bool) -> tuple[str, str]:
    """What happened, and the reference line: the alarm id, or the permit of an escalation."""
    t = notice.transition
    reference = f"作业票：{notice.permit}" if zh else f"Permit: {notice.permit}"
    if t is None and notice.kind == "review":  # an overdue green-channel review: paperwork too
        return _review(notice, zh), reference
    if t is None and notice.subject == "work_order":
        return _escalation(notice, zh), (f"工单：{notice.permit}" if zh else f"Work order: {notice.permit}")
    if t is None:  # an escalation: paperwork, not an alarm
        return _escalation(notice, zh), reference
    return _what(notice, t, zh), (f"报警编号：{t.alarm_id}" if zh else f"Alarm: {t.alarm_id}")


def render(notice: Notice, names: PlantNames, language: str) -> tuple[str, str]:
    """(subject, text) of ``notice`` in ``language`` ("zh_CN" or "en")."""
    zh = language != "en"
    site = names.sites.get(notice.site, notice.site)
    area = names.areas.get((notice.site, notice.area), notice.area)
    where = " / ".join(p for p in (site, area) if p)
    zone = names.timezones.get(notice.site) or DEFAULT_TZ
    try:
        tz = ZoneInfo(zone)
    except Exception:
        tz, zone = ZoneInfo(DEFAULT_TZ), DEFAULT_TZ
    local = notice.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    title = _pick(TITLES["work_order" if notice.subject == "work_order" else notice.kind], zh)
    plant = f"{names.plant} " if names.plant else ""
    subject = f"{title}{plant}{where}" if zh else f"{title} {plant}{where}"
    what, reference = _body(notice, zh)
    lines = [
        subject,
        what,
        (f"时间：{local}（{zone}）" if zh else f"Time: {local} ({zone})"),
        reference,
        ("请在驾驶舱处理。" if zh else "Please act on it in the cockpit."),
    ]
    return subject, "\n".join(lines)
