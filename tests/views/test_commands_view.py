"""Commands: every stop and resume with its acknowledgements; resume only for shift leads, refusals shown."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.views.live_plant import LEAD, OPERATOR, Live
from views.commands_view import CommandsView

pytestmark = pytest.mark.broker


def make(qtbot: QtBot, live: Live, actor=OPERATOR) -> CommandsView:  # type: ignore[no-untyped-def]
    view = CommandsView(live.core, live.bridge, actor, live.sites)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    return view


def test_a_stop_and_its_acknowledgements_are_listed(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    assert view.empty.isVisibleTo(view)
    command = live.core.stop_work(OPERATOR, "S1", "A1", "smoke seen near the flange").result(5)
    qtbot.waitUntil(lambda: len(view.rows()) == 1, timeout=5000)
    row = view.rows()[0]
    assert row[1] == "STOP"
    assert row[2] == "一号厂区 / 加氢装置"
    assert row[3] == "manual"
    assert row[4] == OPERATOR.username
    assert row[5] == "sent"
    assert row[6] == "HW-1"
    assert row[7] == "smoke seen near the flange"
    live.ack(command.command_id, "received")
    qtbot.waitUntil(lambda: "received" in view.rows()[0][5], timeout=5000)
    live.ack(command.command_id, "executed")
    qtbot.waitUntil(lambda: "executed" in view.rows()[0][5], timeout=5000)
    assert view.rows()[0][5].index("received") < view.rows()[0][5].index("executed")
    assert "GW-07" in view.rows()[0][5]


def test_resume_is_for_shift_leads_and_its_refusal_is_shown(qtbot: QtBot, live: Live) -> None:
    operator = make(qtbot, live)
    lead = make(qtbot, live, actor=LEAD)
    assert not lead.resume_button.isEnabled()  # nothing stopped
    live.core.stop_work(OPERATOR, "S1", "A1", "smoke").result(5)
    live.core.stop_work(OPERATOR, "S1", "A2", "drill").result(5)
    qtbot.waitUntil(lambda: lead.resume_area.count() == 2, timeout=5000)
    assert not operator.resume_button.isEnabled()
    assert "may not resume work" in operator.resume_button.toolTip()
    assert lead.resume_button.isEnabled()
    # No reason: refused in the form.
    lead.resume_button.click()
    assert "reason" in lead.status.text()
    # A1 has suspended hot work with no fresh gas test: the service refuses, the view says why.
    lead.resume_area.setCurrentIndex(lead.resume_area.findData("S1/A1"))
    lead.resume_reason.setText("all clear")
    lead.resume_button.click()
    qtbot.waitUntil(lambda: "gas test" in lead.status.text(), timeout=5000)
    # A2 has no permits: it resumes.
    lead.resume_area.setCurrentIndex(lead.resume_area.findData("S1/A2"))
    lead.resume_reason.setText("drill over")
    lead.resume_button.click()
    qtbot.waitUntil(lambda: any(r[1] == "RESUME" for r in lead.rows()), timeout=5000)
    resume = next(r for r in lead.rows() if r[1] == "RESUME")
    assert resume[4] == LEAD.username and resume[7] == "drill over"
    qtbot.waitUntil(lambda: lead.resume_area.count() == 1, timeout=5000)


def test_renders_with_an_empty_database(qtbot: QtBot, live_empty: Live) -> None:
    view = make(qtbot, live_empty, actor=LEAD)
    assert view.rows() == []
    assert view.empty.isVisibleTo(view)
    assert not view.resume_button.isEnabled()
    assert not view.grab().toImage().isNull()
