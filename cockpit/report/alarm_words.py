"""The handover report's Chinese for the alarm messages and reasons of ``models/rules/alarm_texts.py``.

The report never goes through Qt (``handover_texts``), so the Chinese of each code is here, the same
text as the glossary's for its English source: ``tests/cockpit/test_alarm_reasons_pdf.py`` compares them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Protocol

from models.rules.alarm_texts import ALARM_TEXTS, english, finding_of, read_message
from models.rules.finding_texts import SPAN_PARAMS
from models.rules.findings import duration_parts

ALARM_ZH: dict[str, str] = {
    "level.active": "{source} 的 {ch} 为 {value} {unit}，{cond}（限值 {lim} {unit}）",
    "level.normal": "{source} 的 {ch} 恢复正常：{value} {unit}",
    "stale.active": "{source} 的 {ch} 无有效读数：{why}",
    "stale.cleared": "{source} 的 {ch} 恢复上报",
    "fault.active": "{site}/{area} 的探测器 {device} 报告故障",
    "fault.active_detail": "{site}/{area} 的探测器 {device} 报告故障：{detail}",
    "fault.cleared": "{site}/{area} 的探测器 {device} 故障已消除",
    "event.cleared": "{source} 的{event}已清除",
    "event.cleared_by": "{source} 的{event}已由 {who} 清除",
    "worker.man_down": "人员倒地：作业人员 {worker}",
    "worker.fall": "检测到跌落：作业人员 {worker}",
    "worker.sos": "按下一键求救：作业人员 {worker}",
    "worker.no_motion": "长时间静止：作业人员 {worker}",
    "worker.geofence": "越出电子围栏：作业人员 {worker}",
    "worker.man_down_permit": "人员倒地：作业人员 {worker}（作业票 {permit_id}）",
    "worker.fall_permit": "检测到跌落：作业人员 {worker}（作业票 {permit_id}）",
    "worker.sos_permit": "按下一键求救：作业人员 {worker}（作业票 {permit_id}）",
    "worker.no_motion_permit": "长时间静止：作业人员 {worker}（作业票 {permit_id}）",
    "worker.geofence_permit": "越出电子围栏：作业人员 {worker}（作业票 {permit_id}）",
    "gate.no_allow": "未经放行进入：作业人员 {worker} 进入 {site}/{area}",
    "gate.no_allow_permit": "未经放行进入：作业人员 {worker} 进入 {site}/{area}（作业票 {permit_id}）",
    "gate.refused": "门禁 {gate} 拒绝作业人员 {worker} 进入：{reasons}",
    "command.stop_not_executed": "停工指令 {seconds} 秒内未执行",
    "command.resume_not_executed": "复工指令 {seconds} 秒内未执行",
    "checkin.never": "监护人 {supervisor} 自作业开始已超过 {minutes} 分钟未签到",
    "checkin.late": "监护人 {supervisor} 已超过 {minutes} 分钟未签到",
    "checkin.never_stop": "监护人 {supervisor} 自作业开始已超过 {minutes} 分钟未签到：停止作业票 {permit_id} 的作业",  # noqa: E501
    "checkin.late_stop": "监护人 {supervisor} 已超过 {minutes} 分钟未签到：停止作业票 {permit_id} 的作业",
    "permit.no_valid_started": "无有效作业票即开始作业（{permit_id}：{status}）",
    "permit.no_valid_resumed": "无有效作业票即恢复作业（{permit_id}：{status}）",
    "permit.unknown_started": "无有效作业票即开始作业（{permit_id}：不存在）",
    "permit.started_without_photo": "作业票 {permit_id} 开工时缺少关键步骤照片：{step}",
    "permit.unknown_resumed": "无有效作业票即恢复作业（{permit_id}：不存在）",
    "wind.above_approval": "{permit_id}：风速 {wind} m/s（{force} 级风）使作业升为{permit}，高于批准的{base}；暂停作业",  # noqa: E501
    "resume.after_failed_test": "{permit_id}：气体检测不合格后恢复了作业",
    "resume.long_pause": "{permit_id}：暂停 {minutes} 分钟（超过 {most} 分钟）后未重新气体检测即恢复作业",
    "retest.site_pause": "{permit_id}：已暂停 {minutes} 分钟（超过本现场规定的 {most} 分钟）：复工前须重新气体检测",  # noqa: E501
    "retest.overdue": "{permit_id}：气体复测已超时：{finding}",
    "note.rose_shelved": "搁置期间升至 {cond}",
    "note.acked_now": "已确认 {old}，现为 {cond}",
}

# ``finding`` of ``retest.overdue``: the gas-test timing findings ``gas_test_due`` can give
# (``models/rules/gas_tests.py``), as the glossary says them; ``f.<name>`` holds their parameters.
FINDING_ZH: dict[str, str] = {
    "gas_test.missing": "{permit}须在作业开始前 {window} 内取样做气体检测；尚无记录",
    "gas_test.stale": "上次气体检测已过去 {age}；{permit}只能在取样后 {window} 内开始：请重新检测",
    "gas_test.retest_after_pause": "{permit}已暂停 {pause}（超过 {limit}）：恢复作业前 {window} 内须重新检测气体",  # noqa: E501
    "gas_test.started_without_test": "{permit}开始前 {window} 内未做气体检测即已开工",
    "gas_test.started_after_old_test": "{permit}开始前 {window} 内未做气体检测即已开工（上次检测早于开工 {age}）",  # noqa: E501
    "gas_test.resumed_without_retest": "{permit}暂停 {pause}（超过 {limit}）后恢复作业，恢复前 {window} 内未做气体检测",  # noqa: E501
    "gas_test.periodic_overdue": "本厂每 {period} 复测一次；上次气体检测在 {age} 前",
    "gas_test.record_overdue": "受限空间至少每 {period} 记录一次气体读数；上次在 {age} 前",
    "gas_test.no_continuous_monitoring": "{permit}须连续监测气体，但没有探测器在上报",
}
SPAN_ZH: dict[str, str] = {"days": "{n} 天", "h": "{n} 小时", "min": "{n} 分钟", "s": "{n} 秒"}

# ``why``: a stale reason
STALE_WHY_ZH: dict[str, str] = {
    "device_offline": "探测器离线",
    "device_fault": "探测器报告故障",
    "bad_quality": "读数质量差",
    "no_data": "尚无可用读数",
    "expired": "最近读数已过期",
    "link_down": "现场链路中断",
}


# ``reasons``: why a gate refused, codes separated by commas
GATE_REASON_ZH: dict[str, str] = {
    "worker_unknown": "不在人员登记表中",
    "not_on_active_permit": "不在本区域进行中的作业票上",
    "certificate_missing": "无该工种的特种作业操作证",
    "certificate_expired": "操作证已过期",
    "certificate_review_overdue": "操作证复审已逾期",
    "certificate_invalid": "操作证无效",
    "admission_exam_missing": "未通过入场安全考试",
    "contractor_blacklisted": "承包商已列入黑名单",
    "area_stopped": "本区域已停工",
    "database_unavailable": "驾驶舱数据库不可用",
    "internal": "驾驶舱无法核验此次进入",
    "safety_code_invalid": "安全码无效（疑似伪造）",
    "permit_code_invalid": "作业票码无效（疑似伪造）",
    "no_badge_key": "无胸卡密钥，无法核验扫码",
}

# ``status``: a permit's state
STATUS_ZH: dict[str, str] = {
    "submitted": "待审批",
    "approved": "已批准",
    "active": "作业中",
    "suspended": "已暂停",
    "rejected": "已驳回",
    "cancelled": "已取消",
    "expired": "已过期",
    "closed": "已关闭",
}

# ``permit`` and ``base``: a permit term (``hot_work.1``)
PERMIT_ZH: dict[str, str] = {
    "hot_work": "动火作业",
    "hot_work.special": "特级动火作业",
    "hot_work.1": "一级动火作业",
    "hot_work.2": "二级动火作业",
    "confined_space": "受限空间作业",
    "blinding": "盲板抽堵作业",
    "work_at_height": "高处作业",
    "lifting": "吊装作业",
    "temporary_power": "临时用电作业",
    "excavation": "动土作业",
    "road_closure": "断路作业",
}


# A condition in the priority-1 table: the ISA level codes (HIHI …) stay as they are, the rest in words
# (the screens' ``widgets/alarm_words.CONDITION_TEXTS`` and their Chinese).
CONDITION_ZH: dict[str, str] = {
    "STALE": "无有效读数",
    "FAULT": "检测仪故障",
    "MAN_DOWN": "人员倒地",
    "FALL": "跌落",
    "SOS": "SOS 求救",
    "NO_MOTION": "人员静止",
    "GEOFENCE": "越界",
    "GAS_TEST_FAILED": "气体检测不合格",
    "NO_VALID_PERMIT": "无有效作业票作业",
    "STOP_NOT_EXECUTED": "停工指令未按时执行",
    "GAS_RETEST_OVERDUE": "气体复测超时",
    "CHECKIN_OVERDUE": "监护人签到超时",
    "PERMIT_EXPIRED": "作业票已超有效期",
    "PERMIT_EXPIRING": "作业票即将到期",
    "CERT_EXPIRING": "证书即将到期",
    "APPROVAL_ESCALATED": "审批超时，已升级",
    "CHECKIN_STOP_PROPOSED": "监护人未按时签到：建议停止作业",
    "WIND_GRADE_ABOVE_APPROVAL": "风力使动火等级高于已审批等级：建议暂停作业",
    "RESUMED_WITHOUT_GAS_TEST": "暂停后未复测气体即恢复作业",
    "RESUMED_AFTER_FAILED_GAS_TEST": "气体检测不合格后恢复作业",
    "STARTED_WITHOUT_PHOTO": "开工时缺少关键步骤照片",
    "GATE_REFUSED": "门禁拒绝进入",
    "UNAUTHORISED_ENTRY": "未经核验擅自进入",
}


CONDITION_EN: dict[str, str] = {
    "STALE": "no valid reading",
    "FAULT": "detector fault",
    "MAN_DOWN": "man down",
    "FALL": "fall detected",
    "SOS": "SOS",
    "NO_MOTION": "no motion",
    "GEOFENCE": "geofence breach",
    "GAS_TEST_FAILED": "gas test failed",
    "NO_VALID_PERMIT": "work without a valid permit",
    "STOP_NOT_EXECUTED": "stop-work not executed in time",
    "GAS_RETEST_OVERDUE": "gas re-test overdue",
    "CHECKIN_OVERDUE": "supervisor check-in overdue",
    "PERMIT_EXPIRED": "permit past its validity",
    "PERMIT_EXPIRING": "permit about to expire",
    "CERT_EXPIRING": "certificate expiring",
    "APPROVAL_ESCALATED": "approval overdue, escalated",
    "CHECKIN_STOP_PROPOSED": "supervisor absent: stop of the work proposed",
    "WIND_GRADE_ABOVE_APPROVAL": "wind raised the hot-work grade above its approval: suspension proposed",
    "RESUMED_WITHOUT_GAS_TEST": "work resumed without a gas re-test after a pause",
    "RESUMED_AFTER_FAILED_GAS_TEST": "work resumed after a failed gas test",
    "STARTED_WITHOUT_PHOTO": "work started without its key-step photo",
    "GATE_REFUSED": "entry refused at the gate",
    "UNAUTHORISED_ENTRY": "entry without an allow",
}


class Places(Protocol):
    """Sites and areas by name (``HandoverData``): the report names the places the codes stand for."""

    def area_name(self, site: str, area: str) -> str: ...

    def site_label(self, site: str) -> str: ...


def alarm_reason(text: str, lang: str, places: Places | None = None) -> str | None:
    """An alarm's coded message (or a reason made of one) in ``lang``, its sites and areas by name
    when ``places`` knows them; None for any other text."""
    found = read_message(text)
    if found is None:
        return None
    code, params = found
    named = _named(params, places) if places is not None else {}
    if lang != "zh_CN":
        if "event" not in params:
            out = english(text)
            for name in ("source", "site/area"):  # the codes as the English sentence holds them
                if name in named:
                    out = out.replace(*named[name])
            return out
        # the event in words, as the screens say it ("man down at worker:W-1 cleared")
        return ALARM_TEXTS[code].format_map(
            {
                **params,
                **{k: v[1] for k, v in named.items() if k == "source"},
                "event": CONDITION_EN.get(params["event"], params["event"]),
            }
        )
    words = {name: _word(name, value) for name, value in params.items()}
    if "site/area" in named:
        words["site"], words["area"] = named["site/area"][1].split("/", 1)
    if "source" in named:
        words["source"] = named["source"][1]
    if "finding" in params:
        words["finding"] = _finding_zh(params)
    try:
        out = ALARM_ZH[code].format_map(words)
    except (KeyError, IndexError, ValueError):
        return english(text)
    return out.rstrip("：: ")  # a carried finding without Chinese here: the sentence ends before it


def _named(params: Mapping[str, str], places: Places) -> dict[str, tuple[str, str]]:
    """What a message says of its places (``source``, ``site/area``) and what the report says instead."""
    out: dict[str, tuple[str, str]] = {}
    site, area = params.get("site"), params.get("area")
    if site and area:
        named = f"{places.site_label(site)}/{places.area_name(site, area)}"
        if named != f"{site}/{area}" and named.count("/") == 1:
            out["site/area"] = (f"{site}/{area}", named)
    parts = params.get("source", "").split("/")
    if len(parts) >= 3:
        name = places.area_name(parts[0], parts[1])
        if name != parts[1]:
            out["source"] = ("/".join(parts), f"{name} · {'/'.join(parts[2:])}")
    return out


def _finding_zh(params: Mapping[str, str]) -> str:
    """The finding a message carries (``retest.overdue``), in Chinese; "" for one this table lacks."""
    carried = finding_of(params)
    template = FINDING_ZH.get(carried[0]) if carried is not None else None
    if carried is None or template is None:
        return ""
    words = {}
    for name, value in carried[1].items():
        if name in SPAN_PARAMS:
            words[name] = _span_zh(value)
        else:
            words[name] = _word(name, value)
    try:
        return template.format_map(words)
    except (KeyError, IndexError, ValueError):
        return ""


def _span_zh(seconds: str) -> str:
    try:
        sign, parts = duration_parts(timedelta(seconds=float(seconds)))
    except ValueError:
        return seconds
    return sign + " ".join(SPAN_ZH[unit].format(n=n) for n, unit in parts)


def _word(name: str, value: str) -> str:
    if name == "why":
        return STALE_WHY_ZH.get(value, value)
    if name == "status":
        return STATUS_ZH.get(value, value)
    if name == "reasons":
        return "；".join(GATE_REASON_ZH.get(code, code) for code in value.split(",") if code)
    if name in ("permit", "base"):
        return PERMIT_ZH.get(value, value)
    if name == "finding":
        return ""
    if name == "event":
        return CONDITION_ZH.get(value, value)
    if name == "step":  # key steps a photo shows (models/rules/photo_evidence.py)
        return "、".join(STEP_ZH.get(step, step) for step in value.split(",") if step)
    return value


# The key steps a permit type may need a photo of, as the glossary says them (a test compares).
STEP_ZH: dict[str, str] = {
    "site_cleared": "动火前现场已清理",
    "harness_clipped": "登高前安全带已挂牢",
    "isolation_locked": "能源隔离已上锁挂牌",
    "blind_fitted": "盲板已安装",
    "ventilation_on": "进入前通风已开启",
    "barrier_set": "警戒区及标识已设置",
}


def condition_word(condition: str, lang: str) -> str:
    """A condition as the report prints it: in the report's words (the ISA level codes as they are)."""
    words = CONDITION_ZH if lang == "zh_CN" else CONDITION_EN
    return words.get(condition, condition)
