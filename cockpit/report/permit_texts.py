"""The printed permit's and the badge sheet's words, one table per language (the PDF never goes through Qt).

Each permit type is printed after its form in GB 30871-2022's appendix (附录): the form's title, the rows
common to every form, then the rows of that type. The cockpit does not hold every row of every form
(the lifted load's mass, the power's entry point …): those rows are printed as boxes to fill in by hand
at the site, as the paper form has them, so the printout is the whole form.
"""

from __future__ import annotations

from models.records import PermitType

TITLES: dict[str, dict[PermitType, str]] = {
    "zh_CN": {
        PermitType.HOT_WORK: "动火安全作业票",
        PermitType.CONFINED_SPACE: "受限空间安全作业票",
        PermitType.BLINDING: "盲板抽堵安全作业票",
        PermitType.WORK_AT_HEIGHT: "高处安全作业票",
        PermitType.LIFTING: "吊装安全作业票",
        PermitType.TEMPORARY_POWER: "临时用电安全作业票",
        PermitType.EXCAVATION: "动土安全作业票",
        PermitType.ROAD_CLOSURE: "断路安全作业票",
    },
    "en": {
        PermitType.HOT_WORK: "Hot work safety permit",
        PermitType.CONFINED_SPACE: "Confined space entry safety permit",
        PermitType.BLINDING: "Blind plate installation and removal safety permit",
        PermitType.WORK_AT_HEIGHT: "Work at height safety permit",
        PermitType.LIFTING: "Lifting safety permit",
        PermitType.TEMPORARY_POWER: "Temporary power safety permit",
        PermitType.EXCAVATION: "Excavation safety permit",
        PermitType.ROAD_CLOSURE: "Road closure safety permit",
    },
}

# The rows only one type's form has (GB 30871-2022, appendix forms), filled by hand on the paper.
TYPE_ROWS: dict[str, dict[PermitType, tuple[str, ...]]] = {
    "zh_CN": {
        PermitType.HOT_WORK: ("动火方式", "动火地点及动火部位", "关联的其他特殊作业及安全作业票编号"),
        PermitType.CONFINED_SPACE: ("受限空间名称", "受限空间内原有介质名称",
                                    "关联的其他特殊作业及安全作业票编号"),
        PermitType.BLINDING: ("设备、管道名称", "管道参数（介质、温度、压力）",
                              "盲板参数（材质、规格、编号）", "盲板位置图及编号"),
        PermitType.WORK_AT_HEIGHT: ("作业高度", "作业级别", "作业地点"),
        PermitType.LIFTING: ("吊装地点", "吊具名称", "吊物内容", "吊物质量（t）", "作业级别"),
        PermitType.TEMPORARY_POWER: ("电源接入点及许可用电功率", "工作电压", "用电设备名称及额定功率"),
        PermitType.EXCAVATION: ("作业范围、内容、方式（深度、面积，附简图）",),
        PermitType.ROAD_CLOSURE: ("断路原因", "断路地段示意图及相关说明"),
    },
    "en": {
        PermitType.HOT_WORK: ("Method of hot work", "Location and part worked on",
                              "Related special work and their permit numbers"),
        PermitType.CONFINED_SPACE: ("Confined space", "Medium it held",
                                    "Related special work and their permit numbers"),
        PermitType.BLINDING: ("Equipment or pipe", "Pipe: medium, temperature, pressure",
                              "Blind: material, size, number", "Blind location sketch and numbers"),
        PermitType.WORK_AT_HEIGHT: ("Working height", "Height class", "Location"),
        PermitType.LIFTING: ("Lifting location", "Lifting gear", "Load", "Load mass (t)", "Lifting class"),
        PermitType.TEMPORARY_POWER: ("Supply point and permitted power", "Voltage",
                                     "Equipment and rated power"),
        PermitType.EXCAVATION: ("Extent, work and method (depth, area; sketch attached)",),
        PermitType.ROAD_CLOSURE: ("Reason for the closure", "Sketch of the closed section and notes"),
    },
}  # fmt: skip

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "number": "Permit No.",
        "status": "Status when printed",
        "printed": "Printed",
        "plant": "Plant",
        "site_area": "Site / area",
        "grade": "Hot work grade",
        "applied": "Applied",
        "valid": "Valid",
        "applicant": "Applicant",
        "contractor": "Contractor",
        "own_staff": "own staff",
        "supervisor": "Supervisor (监护人)",
        "coordinator": "Coordinator",
        "content": "Work content",
        "workers": "Workers",
        "w_id": "ID",
        "w_name": "Name",
        "w_trade": "Trade",
        "w_certs": "Certificates",
        "measures": "Safety measures",
        "m_no": "No.",
        "m_measure": "Measure",
        "m_done": "Done",
        "m_confirm": "Confirmed by",
        "yes": "yes",
        "no": "NO",
        "gas": "Gas analysis",
        "g_time": "Time",
        "g_by": "Analysed by",
        "g_values": "Values",
        "g_result": "Result",
        "passed": "passed",
        "failed": "FAILED",
        "no_gas": "no gas analysis on record",
        "signatures": "Signatures",
        "s_level": "Level",
        "s_signer": "Signer",
        "s_time": "Time",
        "s_decision": "Decision",
        "record": "Work record",
        "e_time": "Time",
        "e_what": "What",
        "e_by": "By",
        "hand": "To fill in at the site",
        "handover": "Safety briefing given by / received by",
        "acceptance": "Completion accepted by / time",
        "qr": "Scan for the permit's live state: a paper permit does not show a suspension",
        "none": "none",
        "jsa": "Job safety analysis done",
        "isolation": "Energy isolated (lock-out, tag-out)",
        "gas_test": "Gas analysis passed before the work",
        "l_operating_unit": "Operating unit",
        "l_safety_department": "Safety department",
        "l_senior_leader": "Senior leader",
        "d_approve": "Approved",
        "d_reject": "Rejected",
        "d_send_back": "Sent back",
        "badge_title": "Safety code",
        "badge_valid": "Scan at the gate and the control room",
    },
    "zh_CN": {
        "number": "作业票编号",
        "status": "打印时状态",
        "printed": "打印时间",
        "plant": "厂区",
        "site_area": "厂区 / 区域",
        "grade": "动火作业级别",
        "applied": "作业申请时间",
        "valid": "作业实施时间",
        "applicant": "申请人",
        "contractor": "作业单位",
        "own_staff": "本单位",
        "supervisor": "监护人",
        "coordinator": "协调人",
        "content": "作业内容",
        "workers": "作业人",
        "w_id": "编号",
        "w_name": "姓名",
        "w_trade": "工种",
        "w_certs": "证书编号",
        "measures": "安全措施",
        "m_no": "序号",
        "m_measure": "安全措施",
        "m_done": "是否落实",
        "m_confirm": "确认人",
        "yes": "是",
        "no": "否",
        "gas": "气体取样分析",
        "g_time": "分析时间",
        "g_by": "分析人",
        "g_values": "分析数据",
        "g_result": "结论",
        "passed": "合格",
        "failed": "不合格",
        "no_gas": "无气体分析记录",
        "signatures": "审批签字",
        "s_level": "审批层级",
        "s_signer": "签字人",
        "s_time": "签字时间",
        "s_decision": "意见",
        "record": "作业记录",
        "e_time": "时间",
        "e_what": "事项",
        "e_by": "人员",
        "hand": "现场填写",
        "handover": "安全交底人 / 接受交底人",
        "acceptance": "完工验收人 / 时间",
        "qr": "扫码查看作业票实时状态：纸质票显示不出暂停",
        "none": "无",
        "jsa": "已进行作业危害分析（JSA）",
        "isolation": "已进行能量隔离（上锁挂牌）",
        "gas_test": "作业前气体分析合格",
        "l_operating_unit": "基层单位",
        "l_safety_department": "安全管理部门",
        "l_senior_leader": "主管领导",
        "d_approve": "批准",
        "d_reject": "不批准",
        "d_send_back": "退回",
        "badge_title": "安全码",
        "badge_valid": "门岗及中控室扫码查验",
    },
}

STATUS: dict[str, dict[str, str]] = {
    "en": {
        "submitted": "submitted", "approved": "approved", "active": "active", "suspended": "SUSPENDED",
        "rejected": "rejected", "cancelled": "cancelled", "expired": "expired", "closed": "CLOSED",
    },
    "zh_CN": {
        "submitted": "待审批", "approved": "已批准", "active": "作业中", "suspended": "已暂停",
        "rejected": "已驳回", "cancelled": "已取消", "expired": "已过期", "closed": "已关闭",
    },
}  # fmt: skip

EVENTS: dict[str, dict[str, str]] = {
    "en": {
        "submitted": "submitted", "approved": "approved", "started": "work started", "paused": "paused",
        "resumed": "resumed", "suspended": "suspended", "closed": "closed (work accepted)",
        "cancelled": "cancelled", "checkin": "supervisor check-in", "rejected": "rejected",
        "expired": "expired", "resubmitted": "submitted again",
    },
    "zh_CN": {
        "submitted": "提交申请", "approved": "审批通过", "started": "开始作业", "paused": "作业暂停",
        "resumed": "恢复作业", "suspended": "作业票暂停", "closed": "关闭（完工验收）", "cancelled": "取消",
        "checkin": "监护人到岗确认", "rejected": "驳回", "expired": "过期", "resubmitted": "重新提交",
    },
}  # fmt: skip

GRADES: dict[str, dict[str, str]] = {
    "en": {"special": "special", "1": "grade 1", "2": "grade 2"},
    "zh_CN": {"special": "特级", "1": "一级", "2": "二级"},
}


def words(lang: str) -> dict[str, str]:
    return STRINGS["zh_CN" if lang == "zh_CN" else "en"]


def lang_key(lang: str) -> str:
    return "zh_CN" if lang == "zh_CN" else "en"
