"""One plant clock (issue 18): on a machine set to another zone, one event reads the same on the
screens and on paper, in the plant's zone, and paperwork never counts as an alarm on paper either.

The HIHI of the issue: 15:16 UTC, 23:16 in Shanghai. The screen showed the machine's 15:16, the
printed handover 23:16.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.demo_seed import seed_demo
from cockpit.report.data import collect_handover
from cockpit.report.handover_pdf import render_handover_pdf
from cockpit.report.handover_texts import Fmt
from models.plant_clock import PlantClock, format_time, zone_mark
from models.schema import AlarmJournalEntry
from tests.support.fresh_db import open_fresh

EVENT = datetime(2026, 11, 23, 15, 16, 0, tzinfo=UTC)  # 23:16 in Shanghai
SITE = "CHEM1"


@pytest.fixture
def machine_elsewhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone is neither UTC nor the plant's: a local-time slip cannot hide."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    assert EVENT.astimezone().hour == 9  # the machine would say 09:16
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_helper_gives_the_plant_time_and_an_unambiguous_zone(machine_elsewhere: None) -> None:
    assert format_time(EVENT, "Asia/Shanghai") == "2026-11-23 23:16:00"
    assert format_time(EVENT, "Asia/Shanghai", "time") == "23:16:00"
    assert format_time(EVENT, "Asia/Shanghai", "short") == "11-23 23:16"
    now = EVENT + timedelta(minutes=5)
    assert format_time(EVENT, "Asia/Shanghai", "auto", now=now) == "23:16:00"
    # The same instant, the next plant day: the date is shown so the list cannot be misread.
    assert format_time(EVENT, "Asia/Shanghai", "auto", now=EVENT + timedelta(hours=1)) == "11-23 23:16:00"
    assert zone_mark("Asia/Shanghai") == "UTC+8"  # never "CST" (Shanghai, or Chicago?)
    assert zone_mark("Asia/Kolkata") == "UTC+5:30"
    assert zone_mark("UTC") == "UTC"
    assert format_time(None, "Asia/Shanghai", empty="—") == "—"
    assert format_time(EVENT.replace(tzinfo=None), "Asia/Shanghai", "time") == "23:16:00"  # naive = UTC


def test_a_site_reads_its_own_zone_and_the_plant_default_the_rest() -> None:
    class Site:
        def __init__(self, site_id: str, timezone: str) -> None:
            self.site_id, self.timezone = site_id, timezone

    clock = PlantClock.from_sites(
        [Site("A", "Asia/Shanghai"), Site("B", "Asia/Shanghai"), Site("C", "Asia/Urumqi")]
    )
    assert clock.default == "Asia/Shanghai"  # the zone most sites share
    assert clock.format(EVENT, "C", "time") == "21:16:00"
    assert clock.format(EVENT, "unknown", "time") == "23:16:00"
    assert clock.format(EVENT, None, "time") == "23:16:00"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")
def test_the_printed_handover_shows_the_plant_time_and_counts_no_paperwork(
    tmp_path: Path, machine_elsewhere: None
) -> None:
    db = open_fresh(f"sqlite:///{tmp_path / 'plant.db'}")
    try:
        seed_demo(db, seed=1, now=EVENT - timedelta(hours=1))
        rows = [
            AlarmJournalEntry(
                alarm_id=f"{SITE}/U101/GD-101/LEL:LEVEL",
                ts=EVENT,
                site_id=SITE,
                area_id="U101",
                source=f"{SITE}/U101/GD-101/LEL",
                condition="HIHI",
                priority=1,
                from_state="normal",
                to_state="unack",
                value=31.0,
                unit="%LEL",
                who="",
                console="test",
            )
        ]
        # What older versions journalled as alarms: approvals past their deadline, 15 in 10 minutes.
        rows += [
            AlarmJournalEntry(
                alarm_id=f"permit:HW-{i}:APPROVAL_ESCALATED",
                ts=EVENT - timedelta(minutes=10) + timedelta(seconds=30 * i),
                site_id=SITE,
                area_id="U101",
                source=f"permit:HW-{i}",
                condition="APPROVAL_ESCALATED",
                priority=3,
                from_state="normal",
                to_state="unack",
                value=None,
                unit="",
                who="",
                console="test",
            )
            for i in range(15)
        ]
        with db.session() as s:
            s.add_all(rows)
        start, end = EVENT - timedelta(hours=4), EVENT + timedelta(minutes=30)
        with db.session() as s:
            data = collect_handover(s, start=start, end=end, site=SITE, plant="示范化工园区", now=end)
        assert data.timezone == "Asia/Shanghai"
        assert (data.alarms.total, data.alarms.per_10min_peak, data.alarms.floods) == (1, 1, 0)
        fmt = Fmt(data, "en")
        assert fmt.full(EVENT) == "2026-11-23 23:16" and fmt.when(EVENT) == "23:16"
        pdf = render_handover_pdf(data, tmp_path / "en.pdf", lang="en", paper="A4")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "23:16" in text
        assert "15:16" not in text and "09:16" not in text
        assert "UTC+8" in text  # the zone is printed beside the shift's window
    finally:
        db.dispose()
