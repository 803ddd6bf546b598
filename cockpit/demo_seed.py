"""A believable demo plant for an empty database: three sites, their people, and a month of permits.

Why it exists: the cockpit must be shown and tested with data that looks like the field (Chinese names,
company names, equipment tags, permits in every state) without any real plant's data. Everything is
drawn from ``random.Random(seed)`` and placed in time relative to ``now``, so the same seed and the same
``now`` give exactly the same database (the tests compare dumps), and the live parts (active hot-work
permits in areas with gas detectors, urgent permits awaiting approval, certificates about to expire)
are always "live" relative to when the demo starts.

The GB 30871 rules of ``models.rules`` shape the data: hot-work grades are raised for night and rest
days, validity never exceeds the maximum of the (effective) grade, approvals come from the level the
rules require, gas tests are taken less than 30 minutes before work starts, and nobody with an expired
certificate is on a live permit.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from cockpit.demo_events import HISTORY_ORDER, seed_history
from cockpit.demo_permits import PermitSeeder
from cockpit.demo_state import (
    AreaPlan,
    SeedState,
    bulk_insert,
    collections_paused,
    floor_hour,
    refuse_if_seeded,
)
from cockpit.inspection.demo import INSPECTION_ORDER, seed_inspection
from connectors.database import Database
from models.audit import append_audit
from models.passwords import hash_password
from models.records import (
    CANONICAL_UNITS,
    ApprovalLevel,
    RiskLevel,
    Role,
)
from models.rules.grading import SiteCalendar
from models.schema import (
    Approval,
    Area,
    Certificate,
    Contractor,
    ContractorQualification,
    ContractorViolation,
    Detector,
    DetectorChannel,
    EmergencyContact,
    GasTest,
    Permit,
    PermitEventRow,
    PermitWorker,
    Site,
    User,
    Worker,
    WorkerTraining,
)

DEMO_PASSWORD = "demo"
PLAN_W = 400.0
PLAN_H = 300.0


@dataclass(frozen=True)
class SeedSummary:
    """What was written, for the command line and the tests."""

    seed: int
    now: datetime
    sites: int
    areas: int
    contacts: int
    detectors: int
    channels: int
    contractors: int
    workers: int
    certificates: int
    permits: int
    permits_by_status: dict[str, int] = field(default_factory=dict)
    users: tuple[str, ...] = ()
    history: dict[str, int] = field(default_factory=dict)  # the three months behind (rows by table)
    audit_head: str = ""


# ---------------------------------------------------------------- the plant's layout

# (area id, name, risk, hazard area, gas channels beyond LEL/O2, pipeline or None)
_PROCESS = ("LEL", "O2", "H2S", "CO")
_SITES: tuple[
    tuple[str, str, int, tuple[tuple[str, str, RiskLevel, bool, tuple[str, ...], str | None], ...]], ...
] = (
    (
        "CHEM1",
        "一号化工厂区",
        6,
        (
            ("U101", "常减压装置", RiskLevel.MAJOR, True, _PROCESS, "P-1101 原油进料线"),
            ("U102", "催化裂化装置", RiskLevel.MAJOR, True, _PROCESS, "P-1203 油浆外甩线"),
            ("U103", "加氢精制装置", RiskLevel.MAJOR, True, _PROCESS, "P-1302 循环氢管线"),
            ("U104", "硫磺回收装置", RiskLevel.HIGH, True, ("LEL", "O2", "H2S", "CO", "SO2"), None),
            ("U105", "合成氨装置", RiskLevel.MAJOR, True, ("LEL", "O2", "CO", "NH3"), "P-1501 合成气管线"),
            ("U106", "氯碱装置", RiskLevel.HIGH, True, ("O2", "CL2"), None),
            ("U107", "芳烃抽提装置", RiskLevel.HIGH, True, _PROCESS, None),
            ("U108", "制氢装置", RiskLevel.MAJOR, True, ("LEL", "O2", "CO", "CH4"), "P-1801 天然气进料线"),
            ("P201", "压缩机厂房", RiskLevel.HIGH, True, ("LEL", "O2", "H2S"), None),
            ("P202", "机泵区", RiskLevel.HIGH, True, _PROCESS, None),
            ("P203", "换热器区", RiskLevel.GENERAL, True, ("LEL", "O2"), None),
            ("T301", "中间罐区", RiskLevel.MAJOR, True, _PROCESS, "P-3101 中间罐付油线"),
            ("U109", "火炬系统", RiskLevel.HIGH, True, ("LEL", "O2", "H2S"), None),
            ("C401", "循环水场", RiskLevel.GENERAL, False, ("O2", "CL2"), None),
            ("W501", "污水处理场", RiskLevel.HIGH, False, ("LEL", "O2", "H2S", "CH4", "NH3"), None),
            ("E601", "变配电所", RiskLevel.GENERAL, False, (), None),
            ("M701", "维修车间", RiskLevel.LOW, False, (), None),
            ("A801", "中央控制室", RiskLevel.LOW, False, (), None),
        ),
    ),
    (
        "TANKFARM",
        "储运罐区",
        4,
        (
            ("TK01", "原油罐组A", RiskLevel.MAJOR, True, ("LEL", "O2", "H2S"), "P-T101 原油收油线"),
            ("TK02", "原油罐组B", RiskLevel.MAJOR, True, ("LEL", "O2", "H2S"), "P-T201 原油付油线"),
            ("TK03", "汽油罐组", RiskLevel.MAJOR, True, ("LEL", "O2"), "P-T301 汽油调和线"),
            ("TK04", "柴油罐组", RiskLevel.HIGH, True, ("LEL", "O2"), None),
            ("TK05", "液化烃球罐区", RiskLevel.MAJOR, True, ("LEL", "CH4", "O2"), "P-T501 液化气线"),
            ("TK06", "液氨储罐区", RiskLevel.MAJOR, True, ("NH3", "O2"), None),
            ("TK07", "汽车装车栈台", RiskLevel.HIGH, True, ("LEL", "O2", "H2S", "CO"), None),
            ("TK08", "铁路装卸栈桥", RiskLevel.HIGH, True, ("LEL", "O2"), None),
            ("TK09", "罐区泵房", RiskLevel.HIGH, True, ("LEL", "O2", "H2S"), None),
            ("TK10", "消防泵房", RiskLevel.LOW, False, (), None),
            ("TK11", "油气回收装置", RiskLevel.HIGH, True, ("LEL", "O2", "CO"), None),
            ("TK12", "隔油池", RiskLevel.GENERAL, False, ("LEL", "O2", "H2S", "CH4"), None),
        ),
    ),
    (
        "SITE-C",
        "新建乙烯装置施工现场",
        5,
        (
            ("B01", "裂解炉基础施工区", RiskLevel.GENERAL, False, ("O2",), None),
            ("B02", "钢结构吊装区", RiskLevel.HIGH, False, (), None),
            ("B03", "管廊安装区", RiskLevel.GENERAL, False, ("LEL", "O2"), None),
            ("B04", "设备预制场", RiskLevel.GENERAL, False, ("LEL", "O2", "CO"), None),
            ("B05", "临时配电区", RiskLevel.GENERAL, False, (), None),
            ("B06", "材料堆场", RiskLevel.LOW, False, (), None),
            ("B07", "老区碰头点", RiskLevel.MAJOR, True, _PROCESS, "P-0701 乙烯碰头线"),
            ("B08", "地下管沟", RiskLevel.HIGH, False, ("O2", "H2S", "CO", "LEL"), None),
            ("B09", "塔器安装区", RiskLevel.HIGH, False, ("LEL", "O2"), None),
            ("B10", "施工生活区", RiskLevel.LOW, False, (), None),
        ),
    ),
)
# One wind mast per site, in a low-risk area of it.
_WIND_MAST = {"CHEM1": "A801", "TANKFARM": "TK10", "SITE-C": "B10"}

_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵赵吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超华平刚红鹏斌辉浩宇俊峰鑫波林亮宁凯龙飞建国志东海文德春立新永"
    "玉兰英桂秀云霞燕萍雪琳晨阳光荣福贵忠诚庆祥瑞安康泰"
)
_PROVINCES = ("江苏", "浙江", "山东", "上海", "南京", "宁波", "天津", "河北", "湖北", "四川", "大连", "青岛")
_BRANDS = (
    "华建", "中石", "恒通", "鑫达", "宏远", "永安", "博达", "金石", "长城", "天工",
    "海川", "东方", "瑞丰", "安泰", "润华", "盛达", "卓越", "兴隆", "通达", "新宇",
)  # fmt: skip
_BUSINESSES = (
    "石化安装工程有限公司", "防腐保温工程有限公司", "建设工程有限公司", "机电设备安装有限公司",
    "管道工程有限公司", "吊装运输有限公司", "检修服务有限公司", "电力工程有限公司",
    "脚手架工程有限公司", "环保工程有限公司",
)  # fmt: skip
_ISSUERS = ("江苏省应急管理厅", "浙江省应急管理厅", "山东省应急管理厅", "上海市应急管理局")
# contractor trades: (trade, certificate trade or None, weight)
_CONTRACTOR_TRADES: tuple[tuple[str, str | None, int], ...] = (
    ("焊工", "熔化焊接与热切割作业", 20),
    ("电工", "低压电工作业", 10),
    ("架子工", "登高架设作业", 10),
    ("高处作业工", "高处安装、维护、拆除作业", 8),
    ("起重工", "起重机指挥", 6),
    ("管工", None, 14),
    ("铆工", None, 8),
    ("保温工", None, 8),
    ("防腐工", None, 6),
    ("普工", None, 10),
)
_OWN_TRADES = ("操作工", "安全员", "监护人", "仪表工", "设备员")


def _name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(_SURNAMES) + given


def _mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + "".join(rng.choice("0123456789") for _ in range(9))


def _guidance(name: str, channels: Sequence[str], hazard: bool) -> str:
    lines = [f"{name}应急处置要点："]
    if "LEL" in channels or "CH4" in channels:
        lines.append("可燃气体报警：立即停止区域内一切动火作业，切断点火源，人员向上风向撤离至集合点。")
    if "H2S" in channels:
        lines.append("硫化氢报警：佩戴正压式空气呼吸器方可进入，严禁盲目施救，两人以上协同。")
    if "NH3" in channels:
        lines.append("氨泄漏：关闭相关阀门，启动水喷淋，人员用湿毛巾捂住口鼻撤离至上风向。")
    if "CL2" in channels:
        lines.append("氯气泄漏：启动碱液吸收系统，人员向上风向高处撤离。")
    if "O2" in channels:
        lines.append("氧含量异常：受限空间内人员立即撤出，加强通风，复测合格后方可进入。")
    if hazard:
        lines.append("本区域为火灾爆炸危险区域，动火作业按一级及以上管理。")
    lines.append("发生人员倒地报警：通知中控室和厂消防站，携带空气呼吸器救援。")
    return "\n".join(lines)


@dataclass
class _Seeder(SeedState):
    """The plant's places and people: sites, areas, detectors, contractors, workers and users."""

    # ---------------------------------------------------------- places

    def sites(self) -> None:
        for site_id, site_name, cols, areas in _SITES:
            self.add(
                Site,
                id=site_id,
                name=site_name,
                timezone="Asia/Shanghai",
                night_start=time(22, 0),
                night_end=time(6, 0),
                stop_policy="auto",
                plan_width_m=PLAN_W,
                plan_height_m=PLAN_H,
            )
            self.calendars[site_id] = SiteCalendar(timezone="Asia/Shanghai")
            rows = -(-len(areas) // cols)
            cell_w, cell_h = PLAN_W / cols, PLAN_H / rows
            for index, (area_id, name, risk, hazard, gases, pipeline) in enumerate(areas):
                col, row = index % cols, index // cols
                x0 = col * cell_w + 4 + round(self.rng.uniform(0, 4), 1)
                y0 = row * cell_h + 4 + round(self.rng.uniform(0, 4), 1)
                x1 = (col + 1) * cell_w - 4 - round(self.rng.uniform(0, 8), 1)
                y1 = (row + 1) * cell_h - 4 - round(self.rng.uniform(0, 8), 1)
                plan = AreaPlan(site_id, area_id, name, risk, hazard, gases, pipeline, (x0, y0, x1, y1))
                self.areas.append(plan)
                self.add(
                    Area,
                    site_id=site_id,
                    id=area_id,
                    name=name,
                    polygon=[[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
                    risk_level=risk,
                    guidance=_guidance(name, gases, hazard),
                    is_hazard_area=hazard,
                    pipeline=pipeline,
                )
                self.contacts(plan)
                self.detectors(plan)

    def contacts(self, plan: AreaPlan) -> None:
        people = [("区域负责人", _mobile(self.rng)), ("安全员", _mobile(self.rng))]
        count = self.rng.randint(1, 3)
        chosen = people[: min(count, 2)]
        for order, (role, phone) in enumerate(chosen):
            self.add(
                EmergencyContact,
                site_id=plan.site_id,
                area_id=plan.area_id,
                name=_name(self.rng),
                role=role,
                phone=phone,
                sort_order=order,
            )
        if count == 3:
            self.add(
                EmergencyContact,
                site_id=plan.site_id,
                area_id=plan.area_id,
                name="厂消防站",
                role="消防站值班",
                phone=f"6{self.rng.randint(100, 199)}",
                sort_order=2,
            )

    def detectors(self, plan: AreaPlan) -> None:
        if plan.gases:
            big = plan.risk in (RiskLevel.MAJOR, RiskLevel.HIGH) and self.rng.random() < 0.4
            for n in range(1, 3 if big else 2):
                device = f"GD-{plan.area_id}-{n}"
                x, y = plan.point(self.rng)
                self.add(
                    Detector,
                    id=device,
                    site_id=plan.site_id,
                    area_id=plan.area_id,
                    model=self.rng.choice(
                        ("GT-2000 复合气体探测器", "ES-4 固定式四合一", "PID-100 光离子化")
                    ),
                    x=x,
                    y=y,
                    registered=True,
                )
                for ch in plan.gases:
                    self.add(
                        DetectorChannel,
                        detector_id=device,
                        ch=ch,
                        unit=CANONICAL_UNITS[ch],
                        limit_profile="cn",
                        max_age_s=None,
                    )
        if _WIND_MAST.get(plan.site_id) == plan.area_id:
            device = f"WS-{plan.site_id}-1"
            x, y = plan.point(self.rng)
            self.add(
                Detector,
                id=device,
                site_id=plan.site_id,
                area_id=plan.area_id,
                model="WS-2 超声波风速风向仪",
                x=x,
                y=y,
                registered=True,
            )
            for ch in ("WIND", "TEMP"):
                self.add(
                    DetectorChannel,
                    detector_id=device,
                    ch=ch,
                    unit=CANONICAL_UNITS[ch],
                    limit_profile="cn",
                    max_age_s=60.0,
                )

    # ---------------------------------------------------------- people

    def contractors(self, count: int = 60) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            name = self.rng.choice(_PROVINCES) + self.rng.choice(_BRANDS) + self.rng.choice(_BUSINESSES)
            if name not in seen:
                seen.add(name)
                names.append(name)
        blacklisted = set(self.rng.sample(range(count), 3))
        codes = []
        for index, name in enumerate(names):
            code = f"C-{index + 1:04d}"
            codes.append(code)
            black = index in blacklisted
            grade = "C" if black else self.rng.choices(("A", "B", "C"), weights=(3, 5, 2))[0]
            self.add(
                Contractor,
                code=code,
                name=name,
                grade=grade,
                blacklisted=black,
                blacklist_reason=(
                    self.rng.choice(("一年内发生两次违章动火", "伪造特种作业操作证", "受限空间未检测即进入"))
                    if black
                    else ""
                ),
            )
            if not black:
                self.contractors_ok.append(code)
            self.add(
                ContractorQualification,
                contractor_code=code,
                name="安全生产许可证",
                number=f"(苏)JZ安许证字[20{self.rng.randint(18, 24)}]{self.rng.randint(10000, 99999)}",
                valid_to=(self.now + timedelta(days=self.rng.randint(-20, 1000))).date(),
            )
            if self.rng.random() < 0.5:
                self.add(
                    ContractorQualification,
                    contractor_code=code,
                    name=self.rng.choice(
                        ("石油化工工程施工总承包三级", "机电工程施工总承包二级", "防水防腐保温专业承包二级")
                    ),
                    number=f"D{self.rng.randint(100000000, 999999999)}",
                    valid_to=(self.now + timedelta(days=self.rng.randint(60, 1500))).date(),
                )
            violations = 3 if black else (self.rng.choice((0, 0, 0, 1, 1, 2)))
            for _ in range(violations):
                self.add(
                    ContractorViolation,
                    contractor_code=code,
                    at=self.now - timedelta(days=self.rng.randint(3, 360), hours=self.rng.randint(0, 23)),
                    description=self.rng.choice(
                        (
                            "动火作业未配备灭火器",
                            "高处作业未系安全带",
                            "监护人擅自离岗",
                            "作业票超期未续",
                            "受限空间作业未连续监测",
                            "临时用电私拉乱接",
                        )
                    ),
                    points=self.rng.choice((2, 3, 5, 6, 12)),
                )
        return codes

    def workers(self, codes: Sequence[str], count: int = 800) -> None:
        trades = [t for t, _, _ in _CONTRACTOR_TRADES]
        weights = [w for _, _, w in _CONTRACTOR_TRADES]
        cert_of = {t: c for t, c, _ in _CONTRACTOR_TRADES}
        today = self.now.date()
        for index in range(count):
            worker_id = f"W-{10001 + index}"
            own = index % 10 == 0  # one in ten is plant staff
            contractor = None if own else self.rng.choice(codes)
            trade = self.rng.choice(_OWN_TRADES) if own else self.rng.choices(trades, weights=weights)[0]
            if own and index % 30 == 0:
                trade = "电工"
            self.contractor_of[worker_id] = contractor
            self.add(
                Worker,
                id=worker_id,
                name=_name(self.rng),
                contractor_code=contractor,
                trade=trade,
                phone=_mobile(self.rng),
            )
            self.add(
                WorkerTraining,
                worker_id=worker_id,
                name="入厂三级安全教育" if not own else "岗位安全操作规程培训",
                trained_on=today - timedelta(days=self.rng.randint(10, 700)),
                scope="全厂" if own else "施工区域",
            )
            valid = True
            cert_trade = cert_of.get(trade) or ("低压电工作业" if trade == "电工" else None)
            if cert_trade is not None:
                roll = self.rng.random()
                if roll < 0.04:
                    days = -self.rng.randint(1, 120)  # expired
                elif roll < 0.10:
                    days = self.rng.randint(1, 30)
                elif roll < 0.17:
                    days = self.rng.randint(31, 60)
                else:
                    days = self.rng.randint(61, 6 * 365)
                valid_to = today + timedelta(days=days)
                valid_from = valid_to - timedelta(days=6 * 365)
                review = valid_from + timedelta(days=3 * 365)
                self.add(
                    Certificate,
                    worker_id=worker_id,
                    number=f"T{self.rng.randint(320000, 379999)}{self.rng.randint(10**11, 10**12 - 1)}",
                    trade=cert_trade,
                    issuer="江苏省市场监督管理局" if trade == "起重工" else self.rng.choice(_ISSUERS),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    review_due=review if review > today else valid_to,
                )
                valid = days > 0
            if not valid:
                continue  # never put a worker with an expired certificate on a permit
            self.valid_by_contractor[contractor].append(worker_id)
            self.valid_by_trade[(contractor, trade)].append(worker_id)
            if not own:
                self.valid_by_trade[("*", trade)].append(worker_id)
            if own and trade in ("监护人", "安全员", "操作工"):
                self.supervisors.append(worker_id)

    def users(self) -> list[str]:
        people: tuple[tuple[str, str, Role, ApprovalLevel | None], ...] = (
            ("op.li", "李操作", Role.OPERATOR, None),
            ("op.zhang", "张操作", Role.OPERATOR, None),
            ("lead.wang", "王值班长", Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT),
            ("ic.zhao", "赵指挥", Role.INCIDENT_COMMANDER, None),
            ("safety.chen", "陈安全", Role.SAFETY_MANAGER, ApprovalLevel.SAFETY_DEPARTMENT),
            ("admin", "系统管理员", Role.ADMIN, None),
            ("unit.liu", "刘主任（基层单位）", Role.SHIFT_LEAD, ApprovalLevel.OPERATING_UNIT),
            ("safety.sun", "孙科长（安全管理部）", Role.SAFETY_MANAGER, ApprovalLevel.SAFETY_DEPARTMENT),
            ("leader.zhou", "周总（主管领导）", Role.SAFETY_MANAGER, ApprovalLevel.SENIOR_LEADER),
        )
        # One seeded salt for all demo users: the password is public anyway, the demo stays reproducible,
        # and scrypt runs once instead of nine times. Real users get a random salt each.
        demo_hash = hash_password(DEMO_PASSWORD, salt=self.rng.randbytes(16))
        for username, display, role, level in people:
            self.add(
                User,
                username=username,
                display_name=display,
                role=role,
                approval_level=level,
                password_hash=demo_hash,
                active=True,
            )
        return [p[0] for p in people]


_ORDER = (
    Site,
    Area,
    EmergencyContact,
    Detector,
    DetectorChannel,
    Contractor,
    ContractorQualification,
    Worker,
    WorkerTraining,
    ContractorViolation,  # after the workers: the history's violations name them
    Certificate,
    User,
    Permit,
    PermitWorker,
    GasTest,
    Approval,
    PermitEventRow,
    *INSPECTION_ORDER,
    *HISTORY_ORDER,
)


def seed_demo(
    db: Database, *, seed: int = 1, now: datetime | None = None, history: bool = True
) -> SeedSummary:
    """Fill an empty database with the demo plant (``history``: and the three months behind the live month,
    ``cockpit/demo_events.py``); refuses (UserError) a database that holds sites."""
    if now is None:
        now = floor_hour(datetime.now(UTC))
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("seed_demo needs a timezone-aware 'now'")
    refuse_if_seeded(db)
    with collections_paused():  # some 50,000 rows built as dicts: the collector's passes cost 0.3 s
        return _seed(db, seed, now.astimezone(UTC), history)


def _seed(db: Database, seed: int, now: datetime, history: bool) -> SeedSummary:
    seeder = _Seeder(rng=random.Random(seed), now=now)
    seeder.sites()
    codes = seeder.contractors()
    seeder.workers(codes)
    users = seeder.users()
    PermitSeeder.sharing(seeder).permits()
    seed_inspection(seeder)  # equipment, routes, today's morning round, defects (issue 23)
    history_rows = seed_history(seeder, seed) if history else {}  # the live month stays as it was
    rows = seeder.rows
    statuses = Counter(str(r["status"]) for r in rows[Permit])
    summary = SeedSummary(
        seed=seed,
        now=now,
        sites=len(rows[Site]),
        areas=len(rows[Area]),
        contacts=len(rows[EmergencyContact]),
        detectors=len(rows[Detector]),
        channels=len(rows[DetectorChannel]),
        contractors=len(rows[Contractor]),
        workers=len(rows[Worker]),
        certificates=len(rows[Certificate]),
        permits=len(rows[Permit]),
        permits_by_status=dict(sorted(statuses.items())),
        users=tuple(users),
        history=history_rows,
    )
    with db.session() as session:
        refuse_if_seeded(db, session)  # again, inside the writing transaction
        for model in _ORDER:
            if rows[model]:
                session.execute(bulk_insert(model, rows[model]), rows[model])
        entry = append_audit(
            session,
            actor="system",
            action="seed-demo",
            subject="database",
            details={
                "seed": seed,
                "now": now,
                "sites": summary.sites,
                "areas": summary.areas,
                "workers": summary.workers,
                "permits": summary.permits,
                "permits_by_status": summary.permits_by_status,
            },
            ts=now,
        )
        head = entry.hash
    return dataclasses.replace(summary, audit_head=head)


__all__ = ["DEMO_PASSWORD", "SeedSummary", "seed_demo"]
