"""The inspection register's files (issue 23 part 1): equipment with its tag and checklist, routes with
their points in walking order, and who owns each area's defects. Merged into ``specs.REGISTERS``.

Two cells hold lists: an item's checklist (questions split at line breaks or semicolons, ``；`` or
``;``) and a route's points (equipment codes split at commas, semicolons, spaces or line breaks).
Their rows are written by ``inspection_io`` through the inspection register's own checks.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import Table

from cockpit.register_io.spec_types import Column, Kind, Parent, Register
from models.schema import AreaOwner, Equipment, InspectionRoute

CHECKLIST_JOIN = "；"
POINTS_JOIN = ", "
_AREA = (Parent("areas", ("site_id", "area_id")),)


def _t(entity: Any) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


def _site() -> Column:
    return Column("site_id", "厂区编码", "Site code", Kind.CODE, required=True, example="CHEM1")


def _area() -> Column:
    return Column("area_id", "区域编码", "Area code", Kind.CODE, required=True, example="A1")


INSPECTION_REGISTERS: tuple[Register, ...] = (
    Register(
        "equipment",
        "巡检设备",
        "Inspection equipment",
        _t(Equipment),
        (
            Column("code", "设备编码", "Equipment code", Kind.CODE, required=True, key=True, example="P-101"),
            _site(),
            _area(),
            Column("name", "设备名称", "Equipment name", required=True, example="进料泵"),
            Column("tag", "标签编码", "Tag code", Kind.CODE, required=True, example="TAG-101"),
            Column(
                "checklist",
                "检查项（用；分隔）",
                "Checklist (separated by ;)",
                required=True,
                max_len=9000,
                example="有无泄漏；出口压力 (MPa)；轴承温度 (°C)",
            ),
            Column("owner", "缺陷负责人（用户名）", "Defect owner (user name)", max_len=64, default=""),
            Column("x", "X 坐标 (m)", "X (m)", Kind.NUMBER, example=5.0),
            Column("y", "Y 坐标 (m)", "Y (m)", Kind.NUMBER, example=10.0),
        ),
        parents=_AREA,
    ),
    Register(
        "routes",
        "巡检路线",
        "Inspection routes",
        _t(InspectionRoute),
        (
            Column("id", "路线编码", "Route code", Kind.CODE, required=True, key=True, example="R-A1"),
            _site(),
            _area(),
            Column("name", "路线名称", "Route name", required=True, example="常减压装置巡检"),
            Column("per_day", "每日巡检次数", "Rounds a day", Kind.INTEGER, example=2, default=1),
            Column(
                "first_start", "首轮开始", "First round at", Kind.TIME, example=time(8, 0), default=time(8, 0)
            ),
            Column(
                "round_minutes", "每轮时限 (分钟)", "Minutes a round", Kind.INTEGER, example=60, default=60
            ),
            Column(
                "points",
                "巡检点（设备编码，按顺序）",
                "Points (equipment codes, in order)",
                required=True,
                max_len=7000,
                example="P-101",
            ),
        ),
        parents=_AREA,
    ),
    Register(
        "area_owners",
        "区域缺陷负责人",
        "Area defect owners",
        _t(AreaOwner),
        (
            Column("site_id", "厂区编码", "Site code", Kind.CODE, required=True, key=True, example="CHEM1"),
            Column("area_id", "区域编码", "Area code", Kind.CODE, required=True, key=True, example="A1"),
            Column(
                "owner",
                "缺陷负责人（用户名）",
                "Defect owner (user name)",
                required=True,
                max_len=64,
                example="safety",
            ),
        ),
        parents=_AREA,
    ),
)
