"""The printed handover as a reader takes it (issue 18, point 8): validity words mid-shift, gas charts
with axes, limits and gaps, names instead of codes, plurals, the green-channel reason, the plant's clock.

Read back with pdftotext in both languages, as a person or a search would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from cockpit.demo_seed import DEMO_PASSWORD, seed_demo
from cockpit.permit_service import PermitConfig, PermitService
from cockpit.report.cli import counted
from cockpit.report.data import HandoverData, collect_handover
from cockpit.report.handover_pdf import register_font, render_handover_pdf
from cockpit.report.handover_texts import Fmt
from cockpit.report.records import AreaExcursions, CommandLine, Excursion, GasPoint, GasSeries
from cockpit.report.trend_chart import TrendChart, hour_ticks, runs, value_range
from connectors.database import Database
from models.limits import LimitResolver
from models.records import HotWorkGrade, PermitStatus
from models.schema import Area, Permit
from tests.cockpit import test_permit_service as permit_fixtures
from tests.cockpit.test_plant_clock import machine_elsewhere
from tests.support.fresh_db import open_fresh
from tests.support.sessions import TEST_KEYS, as_user

__all__ = ["machine_elsewhere"]  # the fixture: the machine's own zone is neither UTC nor the plant's

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")

MID = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai: the day shift (08:00-20:00) is running
SHIFT = (datetime(2026, 11, 23, 0, 0, tzinfo=UTC), datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
SITE = "CHEM1"


def text_of(pdf: Path) -> str:
    """The PDF's words, with every run of white space (a wrapped cell) made one space."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


# ---------------------------------------------------------------- validity in the middle of the shift


@pytest.fixture(scope="module")
def mid_shift(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[HandoverData, Path, dict[str, str]]]:
    """The demo plant at 14:00; one live permit runs to 16:00, one ran out at 13:30."""
    folder = tmp_path_factory.mktemp("mid")
    db = open_fresh(f"sqlite:///{folder / 'plant.db'}")
    seed_demo(db, seed=1, now=MID)
    with db.session() as s:
        live = s.scalars(
            select(Permit)
            .where(Permit.site_id == SITE, Permit.status == PermitStatus.ACTIVE)
            .order_by(Permit.id)
        ).all()
        assert len(live) >= 2, "the demo has active permits on CHEM1"
        valid, expired = live[0], live[1]
        valid.valid_to = MID + timedelta(hours=2)  # 16:00, before the shift ends at 20:00
        expired.valid_to = MID - timedelta(minutes=30)  # 13:30
        ids = {"valid": valid.id, "expired": expired.id}
    with db.session() as s:
        data = collect_handover(s, start=SHIFT[0], end=SHIFT[1], site=SITE, plant="示范化工园区", now=MID)
    db.dispose()
    yield data, folder, ids


def test_a_permit_valid_at_the_report_time_says_until_when_only_an_expired_one_is_overdue(
    mid_shift: tuple[HandoverData, Path, dict[str, str]],
) -> None:
    data, folder, ids = mid_shift
    assert data.as_of == MID
    lines = {p.id: p for p in data.permits}
    valid, expired = lines[ids["valid"]], lines[ids["expired"]]
    assert valid.validity_left == timedelta(hours=2)
    assert "expired" not in {op.code for op in valid.open_points}
    assert expired.validity_left == -timedelta(minutes=30)
    assert "expired" in {op.code for op in expired.open_points}
    overdue = sum(1 for p in data.permits if p.validity_left < timedelta(0))

    en = text_of(render_handover_pdf(data, folder / "mid-en.pdf", lang="en"))
    assert "valid until 16:00" in en  # the plant's clock: 08:00 UTC is 16:00 in Shanghai
    assert "OVERDUE by 30min" in en
    assert en.count("OVERDUE by") == overdue  # only the permits past their validity
    assert "at 14:00" in en and "judged at 2026-11-23 14:00" in en  # the report says when it judged
    assert "-2h" not in en  # what the screen printed before: validity left measured to the shift's end

    zh = text_of(render_handover_pdf(data, folder / "mid-zh.pdf", lang="zh_CN"))
    assert "有效至 16:00" in zh and "已超期 30分" in zh
    assert zh.count("已超期") == overdue
    assert "14:00 时在用及暂停的作业票" in zh


def test_areas_and_the_site_are_printed_by_name(mid_shift: tuple[HandoverData, Path, dict[str, str]]) -> None:
    data, folder, _ids = mid_shift
    names = {data.area_name(p.site, p.area) for p in data.permits}
    assert names and all(name not in {p.area for p in data.permits} for name in names)  # names, not codes
    for lang in ("en", "zh_CN"):
        text = text_of(render_handover_pdf(data, folder / f"names-{lang}.pdf", lang=lang))
        for name in names:
            assert name in text
        assert data.site_name in text


def words_beyond_the_text(pdf: Path) -> list[str]:
    """Every word pdftotext places outside the page's text width (15 mm margins): run into the margin."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    out: list[str] = []
    width = 0.0
    for line in html.stdout.splitlines():
        page = re.search(r'<page width="([\d.]+)"', line)
        if page:
            width = float(page.group(1))
        word = re.search(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if word and (float(word.group(1)) < 15 * mm - 1 or float(word.group(2)) > width - 15 * mm + 1):
            out.append(word.group(3))
    return out


def test_header_footer_and_cells_stay_within_the_page_and_long_lists_are_capped(
    mid_shift: tuple[HandoverData, Path, dict[str, str]],
) -> None:
    """A long plant name in the header, a 64-character audit head in the footer, a stop for ten permits
    with a reason of long words: all inside the margins, and the permit list cut with "and 4 more"."""
    data, folder, _ids = mid_shift
    permits = tuple(f"HW-20261123-{i:04d}" for i in range(10))
    stop = CommandLine(
        "c-long", "stop", SITE, data.permits[0].area, MID, "lead.wang", False,
        "Ventilation-failure-in-the-confined-space-after-the-blower-tripped-twice " * 3,
        None, "executed", permits, (),
    )  # fmt: skip
    wide = replace(
        data,
        plant="Shanghai Chemical Industry Park, East Cluster, Hydrocarbon Processing Complex No. 2",
        audit_head="f" * 64,
        commands=(stop, *data.commands),
    )
    for lang, more in (("en", "and 4 more"), ("zh_CN", "另有 4 项")):
        pdf = render_handover_pdf(wide, folder / f"wide-{lang}.pdf", lang=lang)
        assert words_beyond_the_text(pdf) == [], lang
        text = text_of(pdf)
        assert more in text and permits[5] in text and permits[6] not in text
        assert "f" * 64 in text.replace(" ", "")  # the footer's audit head whole (set smaller, not cut)


# ---------------------------------------------------------------- the green channel's reason


def test_the_green_channel_reason_is_printed_as_the_approver_gave_it(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    db: Database = permit_fixtures.copy_of(permit_fixtures.shared_template(tmp_path_factory), tmp_path)
    try:
        now = permit_fixtures.NOW
        svc = PermitService(db, keys=TEST_KEYS, clock=lambda: now, config=PermitConfig())
        crew = permit_fixtures.pick_crew(db)
        permit_fixtures.file_permit(svc, db, crew, "HW-G-1", grade=HotWorkGrade.GRADE_1, urgent=True)
        svc.approve(
            "HW-G-1",
            as_user(db, "lead.wang"),
            DEMO_PASSWORD,
            green_channel_reason="泄漏抢修，不能等",
            now=now,
        )
        with db.session() as s:
            data = collect_handover(
                s, start=now - timedelta(hours=2), end=now + timedelta(hours=2), site=None, now=now
            )
            area_name = s.get(Area, (crew.site, crew.area)).name  # type: ignore[union-attr]
    finally:
        db.dispose()
    (green,) = [g for g in data.green_channel if g.permit_id == "HW-G-1"]
    assert (green.signer, green.reason, green.review_pending) == ("lead.wang", "泄漏抢修，不能等", True)
    for lang in ("en", "zh_CN"):
        text = text_of(render_handover_pdf(data, tmp_path / f"green-{lang}.pdf", lang=lang))
        assert "泄漏抢修，不能等" in text
        assert "green channel:" not in text  # the signature row's marker is not the reason
        assert area_name in text


def test_the_demo_seeds_its_green_channel_approvals_with_a_reason(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    try:
        seed_demo(db, seed=1, now=MID)
        with db.session() as s:
            data = collect_handover(s, start=MID - timedelta(days=3), end=MID, site=None, now=MID)
    finally:
        db.dispose()
    assert data.green_channel, "the demo approves some live urgent jobs on the green channel"
    assert all(g.reason for g in data.green_channel)


# ---------------------------------------------------------------- the gas chart


def _series(*minutes: int, start: datetime = SHIFT[0]) -> GasSeries:
    points = tuple(GasPoint(start + timedelta(minutes=m), 5.0 + i) for i, m in enumerate(minutes))
    return GasSeries("LEL", "%LEL", points, hi=10, hihi=25)


def test_values_further_apart_than_a_few_sample_periods_are_not_joined() -> None:
    series = _series(120, 121, 122, 360, 361, 600)  # 10:00-10:02, 14:00-14:01, 18:00
    assert [len(r) for r in runs(series.points)] == [3, 2, 1]


def test_the_y_axis_holds_the_limits_and_the_x_axis_reads_the_plant_clock() -> None:
    quiet = GasSeries("LEL", "%LEL", (GasPoint(SHIFT[0], 2.0),), hi=10, hihi=25)
    assert value_range(quiet) == (0.0, 10)  # from zero, up to HI: the line is there to read against
    alarmed = GasSeries("LEL", "%LEL", (GasPoint(SHIFT[0], 12.0),), hi=10, hihi=25)
    assert value_range(alarmed) == (0.0, 25)  # past HI: HIHI shown too
    oxygen = GasSeries("O2", "%VOL", (GasPoint(SHIFT[0], 20.9),), hi=23.5, lo=19.5, lolo=18.0)
    assert value_range(oxygen) == (19.5, 23.5)
    ticks = hour_ticks(*SHIFT, "Asia/Shanghai")
    assert [t.strftime("%H:%M") for t in ticks] == [
        "08:00",
        "10:00",
        "12:00",
        "14:00",
        "16:00",
        "18:00",
        "20:00",
    ]


class _Recording(Canvas):
    """A canvas that keeps the code of every path it draws."""

    def __init__(self) -> None:
        super().__init__(BytesIO())
        self.paths: list[str] = []

    def drawPath(self, path: Any, *args: Any, **kwargs: Any) -> None:
        self.paths.append(path.getCode())
        super().drawPath(path, *args, **kwargs)


def test_the_chart_draws_one_line_per_run_of_samples() -> None:
    area = AreaExcursions(SITE, "U101", (), (_series(120, 121, 122, 360, 361, 600),))
    chart = TrendChart(area, *SHIFT, 500, register_font(), "Asia/Shanghai")
    canvas = _Recording()
    chart.drawOn(canvas, 0, 0)
    *lines, dots = canvas.paths
    assert [code.count(" l") for code in lines] == [2, 1]  # 3 and 2 joined points; 18:00 a dot
    # every sample a dot: a zero-length segment (round caps paint it as a filled circle)
    segments = re.findall(r"(\S+ \S+) m (\S+ \S+) l", dots)
    assert len(segments) == 6 and all(start == end for start, end in segments)


def _excursion_data(**kw: Any) -> HandoverData:
    points = tuple(
        GasPoint(SHIFT[0] + timedelta(hours=3, seconds=s), v) for s, v in ((0, 4), (5, 31), (60, 6))
    )
    area = AreaExcursions(
        SITE,
        "U101",
        (Excursion(points[1].ts, f"{SITE}/U101/GD-101/LEL", "HIHI", 31.0, "%LEL"),),
        (GasSeries("LEL", "%LEL", points, hi=10, hihi=25),),
    )
    return HandoverData(
        plant="示范化工园区",
        site=SITE,
        site_name="一号化工装置",
        timezone="Asia/Shanghai",
        start=SHIFT[0],
        end=SHIFT[1],
        generated_at=SHIFT[1],
        audit_head="0" * 64,
        excursions=(area,),
        area_names={f"{SITE}/U101": "常减压装置"},
        site_names={SITE: "一号化工装置"},
        **kw,
    )


def test_the_printed_chart_names_its_unit_limits_and_plant_hours(
    tmp_path: Path, machine_elsewhere: None
) -> None:
    """Printed with the machine in Chicago: every time on the page is Shanghai's, the charts' hours too."""
    data = _excursion_data()
    en = text_of(render_handover_pdf(data, tmp_path / "chart-en.pdf", lang="en"))
    for words in ("LEL (%LEL)", "HI 10", "HIHI 25", "10:00", "18:00", "Asia/Shanghai, UTC+8"):
        assert words in en
    assert "5. Gas excursions (1 area)" in en  # one area, not "1 areas"
    assert "常减压装置 · 一号化工装置" in en and "CHEM1/U101" not in en
    assert "11:00 LEL HIHI 31 %LEL" in en  # the excursion at 11:00 plant time (03:00 UTC)
    assert "03:00" not in en and "21:00" not in en  # neither UTC nor the machine's clock (Chicago)
    zh = text_of(render_handover_pdf(data, tmp_path / "chart-zh.pdf", lang="zh_CN"))
    assert "五、气体超限(1 个区域)" in zh and "HIHI 25" in zh and "厂区时间(Asia/Shanghai, UTC+8)" in zh


def test_plural_forms_in_english_and_chinese() -> None:
    one = _excursion_data()
    assert Fmt(one, "en").count("s_gas", 1) == "5. Gas excursions (1 area)"
    assert Fmt(one, "en").count("s_gas", 2) == "5. Gas excursions (2 areas)"
    assert Fmt(one, "en").count("more_critical", 1).startswith("… and 1 more priority-1 alarm ")
    assert Fmt(one, "zh_CN").count("s_gas", 1) == "五、气体超限(1 个区域)"
    assert (counted(1, "command"), counted(2, "command"), counted(0, "alarm")) == (
        "1 command",
        "2 commands",
        "0 alarms",
    )


def test_the_limits_drawn_are_the_ones_in_force(tmp_path: Path) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    try:
        seed_demo(db, seed=1, now=MID)
        from tests.cockpit.test_report_handover import add_shift_events

        add_shift_events(db)  # a LEL HIHI in CHEM1/U101 at 17:00 (the fixture's shift ends 20:00)
        stricter = LimitResolver("cn", {"CHEM1/U101/LEL": {"hi": 8, "hihi": 20}})
        end = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
        with db.session() as s:
            data = collect_handover(
                s, start=end - timedelta(hours=12), end=end, site=SITE, now=end, limits=stricter
            )
    finally:
        db.dispose()
    by_area = {a.area: a for a in data.excursions}
    (lel,) = [x for x in by_area["U101"].series if x.channel == "LEL"]
    assert (lel.hi, lel.hihi) == (8, 20)
    (h2s, *_rest) = [x for x in by_area["U102"].series if x.channel == "H2S"]
    assert (h2s.hi, h2s.hihi) == (7, 14)  # the profile's where nothing overrides


def test_the_charts_draw_the_detectors_registers_own_limits(tmp_path: Path) -> None:
    """A limit set in the detectors register is in force (issue 16 part 4): the report draws it too."""
    from cockpit.config import Config
    from cockpit.handover_reports import HandoverReports, HandoverRequest
    from models.schema import Detector, DetectorChannel

    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    try:
        seed_demo(db, seed=1, now=MID)
        from tests.cockpit.test_report_handover import add_shift_events

        add_shift_events(db)  # a LEL HIHI in CHEM1/U101 at 17:00
        with db.session() as s:  # the detector the shift's LEL alarm came from, with its own limits
            s.add(Detector(id="GD-101", site_id=SITE, area_id="U101", model="", registered=True))
            s.flush()
            own = {"hi": 8.0, "hihi": 20.0}
            s.add(DetectorChannel(detector_id="GD-101", ch="LEL", unit="%LEL", limits=own))
        end = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
        request = HandoverRequest(end - timedelta(hours=12), end, SITE, "en", "A4", "")
        rendered = HandoverReports.for_config(db, Config()).render(request, tmp_path / "report", now=end)
    finally:
        db.dispose()
    by_area = {a.area: a for a in rendered.data.excursions}
    (lel,) = [x for x in by_area["U101"].series if x.channel == "LEL"]
    assert (lel.hi, lel.hihi) == (8, 20)
    (h2s, *_rest) = [x for x in by_area["U102"].series if x.channel == "H2S"]
    assert (h2s.hi, h2s.hihi) == (7, 14)  # the profile's where the register sets nothing


# ---------------------------------------------------------------- columns, people and the running header


def layout_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_permit_cells_stay_whole_people_are_named_and_the_header_has_no_stray_dot(
    mid_shift: tuple[HandoverData, Path, dict[str, str]],
) -> None:
    """A permit id, its status and its gas-test age each on one line of their cell (the id broke as
    "WH-20261122-00" / "4"), the people who acted by name (the "By" column printed W-10431), no
    "field:" mark, and no " · " before the site when the plant has no name."""
    from cockpit.report.records import NearMissLine

    data, folder, _ids = mid_shift
    field_miss = NearMissLine(MID, SITE, data.permits[0].area, "gas_release", "field:W-NM1", "field", "漏气")
    data = replace(
        data,
        plant="",
        near_misses=(field_miss,),
        near_miss_total=1,
        people={**data.people, "field:W-NM1": "田报告"},
    )
    movers = {c.by for c in data.changes if c.by}
    assert movers and all(data.person(key) != key for key in movers), movers  # every one named
    for lang in ("en", "zh_CN"):
        pdf = render_handover_pdf(data, folder / f"cells-{lang}.pdf", lang=lang)
        lines = layout_lines(pdf)
        fmt = Fmt(data, lang)
        for p in data.permits:
            row = [line for line in lines if re.search(rf"(^|\s){re.escape(p.id)}(\s|$)", line)]
            assert row, (lang, p.id)  # the id whole on one line
            age = fmt.duration(p.gas_test_age)
            assert any(age in line for line in row), (lang, p.id, age)  # the age whole on the id's line
            assert any(fmt.t(p.status) in line for line in row), (lang, p.id, p.status)
        text = " ".join(lines)
        assert "field:" not in text and "田报告" in text, lang
        for key in movers:
            assert data.person(key) in text, (lang, key)
        assert lines[0].strip().startswith(data.site_name), (lang, lines[0])  # no leading " · "
        assert words_beyond_the_text(pdf) == [], lang
