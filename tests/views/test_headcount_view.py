"""The incident commander's headcount of an area (issue 17): opened from the map's area, it lists who
is inside by name, contractor, trade and since when, with the count, follows entries and exits live,
exports a CSV, and is for the roles that may see people's details. Real broker, core and Qt."""

from __future__ import annotations

import csv
import json
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.core_state import InsideEntry
from cockpit.headcount import HeadcountReads, may_see_headcount
from cockpit.plant_reads import PlantReads
from cockpit.roles import PermissionRefused
from models.records import Role
from models.schema import Contractor, Worker
from tests.support.sessions import signed
from tests.views.live_plant import OPERATOR, Live
from views.map_view import MapView

pytestmark = pytest.mark.broker

COMMANDER = signed("ic.zhao")


def _map(qtbot: QtBot, live: Live, actor=COMMANDER) -> MapView:  # type: ignore[no-untyped-def]
    view = MapView(
        live.core,
        live.bridge,
        actor,
        live.sites,
        plant=PlantReads(live.db),
        headcount=HeadcountReads(live.db),
    )
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    view.focus_area("S1", "A1")
    return view


def _passes(live: Live, worker: str, kind: str) -> None:
    body = {"ts": int(time.time() * 1000), "type": kind, "permit": "HW-1"}
    live.field.publish(live.topic(f"S1/A1/worker/{worker}/event"), json.dumps(body).encode())


def _contractor_worker(live: Live) -> None:
    with live.db.session() as s:
        s.add(Contractor(code="C-1", name="安达建设"))
        s.flush()
        s.add(Worker(id="W-9", name="郑架子", contractor_code="C-1", trade="架子工", phone="13900000009"))


def test_the_headcount_from_the_map_lists_who_is_inside_and_follows_exits(
    qtbot: QtBot, live: Live, tmp_path: Path
) -> None:
    _contractor_worker(live)
    view = _map(qtbot, live)
    for worker in ("W-1", "W-9", "W-404"):  # W-404: a badge the register does not know
        _passes(live, worker, "entry")
    qtbot.waitUntil(lambda: view.headcount_button.text() == "Headcount (3)…", timeout=10000)
    assert view.headcount_button.isEnabled()
    window = view.open_headcount()
    assert window is not None and window.isVisible() and window.isWindow()
    assert view.open_headcount() is window  # one window per area, raised again
    qtbot.waitUntil(lambda: window.table.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: any(r.contractor for r in window.rows), timeout=10000)
    assert window.count.text() == "3 inside"
    assert window.title.text().endswith("加氢装置")
    rows = {
        window.table.item(r, 1).text(): [window.table.item(r, c).text() for c in range(6)] for r in range(3)
    }
    assert rows["W-9"][:5] == ["郑架子", "W-9", "安达建设 (C-1)", "架子工", "13900000009"]
    assert rows["W-1"][2] == "plant staff" and rows["W-1"][3] == "焊接与热切割"
    assert rows["W-404"][2] == "not on the register"  # listed all the same: the count is what counts
    assert all(rows[w][5] for w in rows)  # since when, in the plant's time
    assert "UTC+8" in window.as_of.text()

    _passes(live, "W-1", "exit")
    qtbot.waitUntil(lambda: window.count.text() == "2 inside", timeout=10000)
    qtbot.waitUntil(lambda: sorted(r.worker for r in window.rows) == ["W-404", "W-9"], timeout=10000)
    qtbot.waitUntil(lambda: view.headcount_button.text() == "Headcount (2)…", timeout=5000)

    target = tmp_path / "headcount.csv"
    assert window.export_to(str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a spreadsheet in China opens UTF-8 right only with it
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0] == ["Name", "Worker ID", "Contractor", "Trade", "Phone", "Inside since"]
    assert sorted(row[1] for row in table[1:]) == ["W-404", "W-9"]
    assert "郑架子 W-9 · 安达建设" in window.as_text()
    assert window.export_to(str(tmp_path / "no-such-folder" / "x.csv")) is False
    assert "Cannot write" in window.status.text()
    # Printed: the page a printer gets, here a PDF file, read back as text.
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "headcount.pdf"))
    window.print_to(printer)
    page = subprocess.run(
        ["pdftotext", str(tmp_path / "headcount.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    # (pdftotext loses some digits of Qt's subset fonts: the words and the phone number are enough)
    assert "Headcount:" in page and "inside" in page and "not on the register" in page
    assert "13900000009" in page and "李焊工" not in page  # the one who went out is not on it
    window.close()
    qtbot.waitUntil(lambda: not view.headcount_windows, timeout=5000)


def test_the_headcount_is_for_the_commander_the_shift_lead_and_the_safety_manager(
    qtbot: QtBot, live: Live
) -> None:
    assert {r for r in Role if may_see_headcount(r)} == {
        Role.INCIDENT_COMMANDER,
        Role.SHIFT_LEAD,
        Role.SAFETY_MANAGER,
        Role.ADMIN,
    }
    view = _map(qtbot, live, OPERATOR)
    qtbot.waitUntil(lambda: view.headcount_button.text().startswith("Headcount ("), timeout=5000)
    assert not view.headcount_button.isEnabled()
    assert "may not" in view.headcount_button.toolTip()
    # The service reads the stored role itself: a screen that offered it anyway gets a refusal.
    reads = HeadcountReads(live.db)
    with pytest.raises(PermissionRefused):
        reads.people("op.li", [])
    assert reads.people("lead.wang", [InsideEntry("W-1", "W-1", datetime.now(UTC))])[0].name == "李焊工"


def test_the_alarm_popup_asks_for_the_areas_headcount(qtbot: QtBot, live: Live) -> None:
    """From a gas alarm's popup the commander opens who is inside its area (the main window then
    brings the map forward on the area and opens its headcount window: ``CockpitWindows.headcount``)."""
    from tests.views.test_popup import LEL_ALARM
    from tests.views.test_popup import make as make_popups

    controller = make_popups(qtbot, live, COMMANDER)
    operator = make_popups(qtbot, live, OPERATOR)
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    button = controller.popups()[LEL_ALARM].buttons()["headcount"]
    assert button.isEnabled() and button.text() == "Who is inside"
    with qtbot.waitSignal(controller.headcount_requested, timeout=2000) as blocker:
        button.click()
    assert blocker.args == ["S1", "A1"]
    view = _map(qtbot, live)  # what the main window does with it
    view.focus_area(*blocker.args)
    window = view.open_headcount()
    assert window is not None and window.area == "A1"
    qtbot.waitUntil(lambda: LEL_ALARM in operator.popups(), timeout=5000)
    assert not operator.popups()[LEL_ALARM].buttons()["headcount"].isEnabled()
