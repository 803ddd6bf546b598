"""Which columns each register's file has: one table, so a new column is one line.

A column names the database column it fills, its header in Chinese and in English (a file may use
either, or the column's own name), its kind, whether it is required and whether it is part of the
register's natural key. Imports upsert on that key (worker ID, certificate number, contractor code,
site and area code …). ``parent`` names the register a row refers to, checked against the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table

from cockpit.register_io import REGISTER_NAMES
from cockpit.register_io.inspection_specs import INSPECTION_REGISTERS
from cockpit.register_io.spec_types import Column, Kind, Parent, Register
from models.limits import PROFILES
from models.records import RiskLevel
from models.schema import (
    Area,
    Certificate,
    Contractor,
    ContractorGrade,
    ContractorQualification,
    Detector,
    DetectorChannel,
    EmergencyContact,
    Site,
    Worker,
    WorkerTraining,
)


def _t(entity: Any) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


_D = date(2026, 1, 15)
_RISK = tuple(r.value for r in RiskLevel)
_GRADES = tuple(g.value for g in ContractorGrade)

REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        Register(
            "sites",
            "厂区",
            "Sites",
            _t(Site),
            (
                Column("id", "厂区编码", "Site code", Kind.CODE, required=True, key=True, example="CHEM1"),
                Column("name", "厂区名称", "Site name", required=True, example="一号化工厂区"),
                Column(
                    "timezone",
                    "时区",
                    "Time zone",
                    max_len=64,
                    example="Asia/Shanghai",
                    default="Asia/Shanghai",
                ),
            ),
        ),
        Register(
            "areas",
            "区域",
            "Areas",
            _t(Area),
            (
                Column(
                    "site_id", "厂区编码", "Site code", Kind.CODE, required=True, key=True, example="CHEM1"
                ),
                Column("id", "区域编码", "Area code", Kind.CODE, required=True, key=True, example="A1"),
                Column("name", "区域名称", "Area name", required=True, example="常减压装置"),
                Column(
                    "risk_level",
                    "风险等级",
                    "Risk level",
                    Kind.CHOICE,
                    choices=_RISK,
                    example="high",
                    default="general",
                ),
                Column(
                    "is_hazard_area",
                    "火灾爆炸危险区",
                    "Fire/explosion hazard area",
                    Kind.BOOL,
                    example=True,
                    default=False,
                ),
                Column("guidance", "安全提示", "Guidance", max_len=4000, example="进入前测氧", default=""),
            ),
            parents=(Parent("sites", ("site_id",)),),
        ),
        Register(
            "contacts",
            "应急联系人",
            "Emergency contacts",
            _t(EmergencyContact),
            (
                Column(
                    "site_id", "厂区编码", "Site code", Kind.CODE, required=True, key=True, example="CHEM1"
                ),
                Column("area_id", "区域编码", "Area code", Kind.CODE, required=True, key=True, example="A1"),
                Column("name", "姓名", "Name", required=True, key=True, max_len=100, example="王班长"),
                Column("role", "职责", "Duty", max_len=100, example="值班长", default=""),
                Column("phone", "电话", "Phone", required=True, max_len=32, example="+86 138-0000-0001"),
                Column("sort_order", "呼叫顺序", "Call order", Kind.INTEGER, example=0, default=0),
            ),
            parents=(Parent("areas", ("site_id", "area_id")),),
            surrogate="id",
        ),
        Register(
            "detectors",
            "探测器",
            "Detectors",
            _t(Detector),
            (
                Column(
                    "id", "探测器编号", "Detector ID", Kind.CODE, required=True, key=True, example="GD-101"
                ),
                Column("site_id", "厂区编码", "Site code", Kind.CODE, required=True, example="CHEM1"),
                Column("area_id", "区域编码", "Area code", Kind.CODE, required=True, example="A1"),
                Column("model", "型号", "Model", max_len=100, example="GT-2000", default=""),
                Column("x", "X 坐标 (m)", "X (m)", Kind.NUMBER, example=12.5),
                Column("y", "Y 坐标 (m)", "Y (m)", Kind.NUMBER, example=40.0),
            ),
            parents=(Parent("areas", ("site_id", "area_id")),),
        ),
        Register(
            "channels",
            "探测通道",
            "Detector channels",
            _t(DetectorChannel),
            (
                Column(
                    "detector_id",
                    "探测器编号",
                    "Detector ID",
                    Kind.CODE,
                    required=True,
                    key=True,
                    example="GD-101",
                ),
                Column("ch", "通道", "Channel", required=True, key=True, max_len=32, example="H2S"),
                Column("unit", "单位", "Unit", required=True, max_len=16, example="ppm"),
                Column(
                    "limit_profile",
                    "限值方案",
                    "Limit profile",
                    Kind.CHOICE,
                    choices=tuple(PROFILES),
                    max_len=32,
                    example="cn",
                    default="cn",
                ),
                Column("max_age_s", "最大数据龄 (s)", "Maximum age (s)", Kind.NUMBER, example=30),
            ),
            parents=(Parent("detectors", ("detector_id",)),),
        ),
        Register(
            "contractors",
            "承包商",
            "Contractors",
            _t(Contractor),
            (
                Column(
                    "code",
                    "承包商编码",
                    "Contractor code",
                    Kind.CODE,
                    required=True,
                    key=True,
                    example="C001",
                ),
                Column("name", "承包商名称", "Contractor name", required=True, example="华东检修公司"),
                Column(
                    "grade",
                    "等级",
                    "Grade",
                    Kind.CHOICE,
                    choices=_GRADES,
                    max_len=4,
                    example="B",
                    default="B",
                ),
                Column("blacklisted", "黑名单", "Blacklisted", Kind.BOOL, example=False, default=False),
                Column("blacklist_reason", "黑名单原因", "Blacklist reason", max_len=4000, default=""),
            ),
        ),
        Register(
            "qualifications",
            "承包商资质",
            "Contractor qualifications",
            _t(ContractorQualification),
            (
                Column(
                    "contractor_code",
                    "承包商编码",
                    "Contractor code",
                    Kind.CODE,
                    required=True,
                    key=True,
                    example="C001",
                ),
                Column(
                    "name", "资质名称", "Qualification", required=True, key=True, example="安全生产许可证"
                ),
                Column(
                    "number",
                    "证书编号",
                    "Number",
                    max_len=100,
                    example="(苏)JZ安许证字[2024]000123",
                    default="",
                ),
                Column("valid_to", "有效期至", "Valid to", Kind.DATE, example=date(2028, 6, 30)),
            ),
            parents=(Parent("contractors", ("contractor_code",)),),
            surrogate="id",
        ),
        Register(
            "workers",
            "作业人员",
            "Workers",
            _t(Worker),
            (
                Column("id", "工号", "Worker ID", Kind.CODE, required=True, key=True, example="W0001"),
                Column("name", "姓名", "Name", required=True, max_len=100, example="张三"),
                Column("contractor_code", "承包商编码", "Contractor code", Kind.CODE, example="C001"),
                Column("trade", "工种", "Trade", max_len=100, example="电焊工", default=""),
                Column("phone", "电话", "Phone", max_len=32, example="13800000000", default=""),
            ),
            parents=(Parent("contractors", ("contractor_code",)),),
        ),
        Register(
            "certificates",
            "特种作业证书",
            "Certificates",
            _t(Certificate),
            (
                Column(
                    "number",
                    "证书编号",
                    "Certificate number",
                    required=True,
                    key=True,
                    max_len=64,
                    example="T320102199001011234",
                ),
                Column("worker_id", "工号", "Worker ID", Kind.CODE, required=True, example="W0001"),
                Column(
                    "trade", "作业类别", "Trade", required=True, max_len=100, example="熔化焊接与热切割作业"
                ),
                Column("issuer", "发证机关", "Issuer", example="南京市应急管理局", default=""),
                Column("valid_from", "有效期起", "Valid from", Kind.DATE, required=True, example=_D),
                Column(
                    "valid_to", "有效期至", "Valid to", Kind.DATE, required=True, example=date(2032, 1, 14)
                ),
                Column("review_due", "复审日期", "Review due", Kind.DATE, example=date(2029, 1, 14)),
            ),
            parents=(Parent("workers", ("worker_id",)),),
            surrogate="id",
        ),
        Register(
            "trainings",
            "培训记录",
            "Trainings",
            _t(WorkerTraining),
            (
                Column("worker_id", "工号", "Worker ID", Kind.CODE, required=True, key=True, example="W0001"),
                Column("name", "培训名称", "Training", required=True, key=True, example="三级安全教育"),
                Column(
                    "trained_on", "培训日期", "Trained on", Kind.DATE, required=True, key=True, example=_D
                ),
                Column("scope", "范围", "Scope", example="厂级", default=""),
            ),
            parents=(Parent("workers", ("worker_id",)),),
            surrogate="id",
        ),
        *INSPECTION_REGISTERS,
    )
}

# Registers a date in the past flags (imported all the same: the register must know the lapsed ones).
EXPIRY_COLUMNS: dict[str, str] = {"certificates": "valid_to", "qualifications": "valid_to"}
# (column, must not be before column)
DATE_ORDER: dict[str, tuple[str, str]] = {"certificates": ("valid_to", "valid_from")}

__all__ = ["DATE_ORDER", "EXPIRY_COLUMNS", "REGISTERS", "Column", "Kind", "Parent", "Register"]

assert tuple(REGISTERS) == REGISTER_NAMES, "cockpit/register_io/__init__.py names the registers in order"
