"""The alarm popup: a new priority-1 alarm raises it, its button puts one stop-work command on the wire,
the command's delivery follows the field's acknowledgements, and the horn is silenced without acknowledging.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.plant_reads import PlantReads
from models.alarms import AlarmState
from models.schema import Worker
from tests.support.broker import MosquittoProcess
from tests.views.live_plant import (
    MANAGER,
    OPERATOR,
    Live,
    close_live,
    keep,
    make_live,
)
from views.i18n import Language
from views.popup_controller import PopupController
from views.view_model import LiveState
from widgets.horn import Horn

pytestmark = pytest.mark.broker
LEL_ALARM = "S1/A1/GD-1/LEL:LEVEL"


def make(qtbot: QtBot, live: Live, actor=OPERATOR) -> PopupController:  # type: ignore[no-untyped-def]
    state = keep(LiveState(live.core, live.bridge))
    horn = Horn(backend="none")
    controller = PopupController(
        live.core,
        live.bridge,
        actor,
        live.sites,
        state=state,
        horn=horn,
        plant=PlantReads(live.db),
    )
    yield_ = keep(controller)
    qtbot.waitUntil(lambda: state.board.permits != {}, timeout=5000)  # first snapshot arrived
    return yield_


def test_priority_1_alarm_raises_a_popup_whose_button_sends_one_stop_command(
    qtbot: QtBot, live_propose: Live
) -> None:
    live = live_propose
    controller = make(qtbot, live)
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 0.0})
    time.sleep(0.2)
    live.publish({"LEL": 31.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    popup = controller.popups()[LEL_ALARM]
    assert popup.isVisible()
    assert popup.isModal() is False
    texts = popup.texts()
    assert texts["where"] == "一号厂区 / 加氢装置"
    assert texts["value"] == "31 %LEL"
    assert "HW-1" in texts["permits"]
    qtbot.waitUntil(lambda: "13800000001" in popup.texts()["contacts"], timeout=5000)
    assert controller.horn.priority == 1
    # Policy "propose": nothing went out on its own.
    time.sleep(0.3)
    assert live.stops() == []
    # One click, no confirmation.
    popup.stop_button().click()
    qtbot.waitUntil(lambda: len(live.stops()) == 1, timeout=5000)
    command = live.stops()[0]
    assert command["alarm_id"] == LEL_ALARM
    assert command["issued_by"] == OPERATOR.username
    assert command["auto"] is False
    assert command["permits"] == ["HW-1"]
    qtbot.waitUntil(lambda: popup.delivery_state() == "sent", timeout=5000)
    # A second click (or F9) sends nothing more.
    popup.request_stop()
    controller.stop_newest()
    time.sleep(0.3)
    assert len(live.stops()) == 1
    # The field answers: the strip follows.
    live.ack(command["command_id"], "received")
    qtbot.waitUntil(lambda: popup.delivery_state() == "received", timeout=5000)
    live.ack(command["command_id"], "executed")
    qtbot.waitUntil(lambda: popup.delivery_state() == "executed", timeout=5000)
    assert "WORK STOPPED" in popup.delivery_text()


def test_silence_is_not_acknowledge_and_acknowledge_reaches_the_engine(qtbot: QtBot, live: Live) -> None:
    controller = make(qtbot, live)
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 30.0})  # H2S HIHI (14 ppm)
    alarm_id = "S1/A1/GD-1/H2S:LEVEL"
    qtbot.waitUntil(lambda: alarm_id in controller.popups(), timeout=5000)
    popup = controller.popups()[alarm_id]
    assert controller.horn.is_sounding
    popup.buttons()["silence"].click()
    assert not controller.horn.is_sounding
    assert live.alarm(alarm_id).state is AlarmState.UNACK
    assert alarm_id in controller.popups()  # the popup stays
    popup.buttons()["acknowledge"].click()
    qtbot.waitUntil(lambda: live.alarm(alarm_id).state is AlarmState.ACKED, timeout=5000)
    assert live.alarm(alarm_id).acked_by == OPERATOR.username


def test_auto_stop_shows_on_the_popup_of_its_alarm(qtbot: QtBot, live: Live) -> None:
    controller = make(qtbot, live)
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    popup = controller.popups()[LEL_ALARM]
    qtbot.waitUntil(lambda: popup.delivery_state() == "sent", timeout=5000)
    assert "automatic" in popup.delivery_text()
    assert not popup.stop_button().isVisible()
    qtbot.waitUntil(lambda: len(live.stops()) == 1, timeout=5000)  # "sent" is the publish: the field may lag
    time.sleep(0.3)
    assert len(live.stops()) == 1


def _man_down(live: Live, worker: str) -> None:
    body = json.dumps({"ts": int(time.time() * 1000), "type": "man_down"}).encode()
    live.field.publish(live.topic(f"S1/A2/worker/{worker}/event"), body, qos=1)


def _front(controller: PopupController) -> str:
    front = controller.newest()
    assert front is not None
    return front


def test_popups_form_one_stack_with_a_count_and_the_newest_priority_1_in_front(
    qtbot: QtBot, live_propose: Live
) -> None:
    live = live_propose
    controller = make(qtbot, live)
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 10.0})  # H2S HI: priority 2
    h2s = "S1/A1/GD-1/H2S:LEVEL"
    qtbot.waitUntil(lambda: h2s in controller.popups(), timeout=15000)
    assert controller.popups()[h2s].texts()["stack"] == "Alarm 1 of 1 waiting for acknowledgement"
    _man_down(live, "W-1")
    qtbot.waitUntil(lambda: len(controller.stack()) == 2, timeout=5000)
    first = _front(controller)
    assert "W-1" in first and first != h2s  # a priority 1 goes in front of a priority 2
    _man_down(live, "W-2")
    qtbot.waitUntil(lambda: len(controller.stack()) == 3, timeout=5000)
    second = _front(controller)
    assert "W-2" in second  # the newest priority 1 in front
    assert controller.stack() == [second, first, h2s]
    popups = controller.popups()
    # Only the front one shows: none is half hidden behind another.
    assert [a for a, p in popups.items() if p.isVisible()] == [second]
    assert popups[second].texts()["stack"] == "Alarm 1 of 3 waiting for acknowledgement"
    assert popups[h2s].texts()["stack"] == "Alarm 3 of 3 waiting for acknowledgement"
    # A man-down has no measured value: the popup says it is an event, never a bare dash.
    assert popups[second].texts()["value"] == "Event: no measured value"
    assert not popups[second].trend_shown()  # and no empty "No data" trend under it
    assert popups[h2s].trend_shown()
    assert popups[second].texts()["condition"].startswith("man down")
    assert popups[h2s].texts()["value"] == "10 ppm"
    assert popups[h2s].texts()["condition"].startswith("high (HI)")
    # A repeat of the same alarm opens no other popup.
    _man_down(live, "W-1")
    time.sleep(0.3)
    assert len(controller.stack()) == 3
    # F8: the next one comes to the front, the front one goes to the back.
    popups[second].setFocus()
    qtbot.keyClick(popups[second], Qt.Key.Key_F8)
    assert controller.stack() == [first, h2s, second]
    qtbot.waitUntil(lambda: popups[first].isVisible() and not popups[second].isVisible(), timeout=2000)
    assert controller.newest_area() == ("S1", "A2")


def test_a_man_down_popup_names_the_worker_the_register_knows(qtbot: QtBot, live: Live) -> None:
    with live.db.session() as s:
        s.add(Worker(id="W-77", name="张伟"))
    controller = make(qtbot, live)
    _man_down(live, "W-77")
    _man_down(live, "W-99")  # a badge the register does not know: shown by its id
    qtbot.waitUntil(lambda: len(controller.popups()) == 2, timeout=5000)
    popups = controller.popups()
    one, nine = popups["worker:W-77:MAN_DOWN"], popups["worker:W-99:MAN_DOWN"]
    qtbot.waitUntil(lambda: one.texts()["message"] == "man down · 张伟 (W-77)", timeout=5000)
    assert "source worker 张伟 (W-77)" in one.texts()["condition"]
    assert nine.texts()["message"] == "man down · W-99"
    assert "source worker W-99" in nine.texts()["condition"]
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: "张伟（W-77）" in one.texts()["message"], timeout=2000)
        assert "人员 张伟（W-77）" in one.texts()["condition"]
        assert "人员 W-99" in nine.texts()["condition"]
    finally:
        language.set("en")


def test_locate_names_the_area(qtbot: QtBot, live: Live) -> None:
    controller = make(qtbot, live)
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    with qtbot.waitSignal(controller.locate_requested, timeout=2000) as blocker:
        controller.popups()[LEL_ALARM].buttons()["locate"].click()
    assert blocker.args == ["S1", "A1"]


def test_a_priority_1_popup_stays_after_locate_until_it_is_acknowledged(
    qtbot: QtBot, live_propose: Live
) -> None:
    live = live_propose
    controller = make(qtbot, live)
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    popup = controller.popups()[LEL_ALARM]
    centred = popup.frameGeometry().left()
    with qtbot.waitSignal(controller.locate_requested, timeout=2000):
        popup.setFocus()
        qtbot.keyClick(popup, Qt.Key.Key_F7)
    assert popup.isVisible()
    screen = popup.screen().availableGeometry()
    assert popup.frameGeometry().right() == screen.right()  # beside the map, not over its middle
    assert popup.frameGeometry().left() > centred
    popup.close()  # the window's close button does not take an unacknowledged priority 1 away
    assert popup.isVisible() and LEL_ALARM in controller.popups()
    popup.buttons()["acknowledge"].click()
    qtbot.waitUntil(lambda: LEL_ALARM not in controller.popups(), timeout=5000)
    assert controller.stack() == []


def test_a_role_that_may_not_acknowledge_is_refused_without_a_crash(qtbot: QtBot, live_propose: Live) -> None:
    live = live_propose
    controller = make(qtbot, live, actor=MANAGER)  # the safety manager may stop work, not acknowledge
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    popup = controller.popups()[LEL_ALARM]
    assert popup.stop_button().isEnabled()
    popup.buttons()["acknowledge"].click()
    qtbot.waitUntil(lambda: bool(controller.errors), timeout=5000)
    assert "may not acknowledge" in controller.errors[-1]
    assert live.alarm(LEL_ALARM).state is AlarmState.UNACK


@pytest.fixture
def live_quick_return(
    tmp_path: Path, broker: MosquittoProcess, themed_app: QApplication, core_shape: str
) -> Iterator[Live]:
    """The small plant with H2S back to normal 0.5 s after its last high reading: the profile's 5 s
    off-delay, waited out, is not what the test below is about."""
    lv = make_live(tmp_path, broker, shape=core_shape, limits={"H2S": {"off_delay_s": 0.5}})
    yield lv
    close_live(lv)


def test_an_alarm_back_to_normal_is_still_acknowledged_from_its_popup(
    qtbot: QtBot, live_quick_return: Live
) -> None:
    live = live_quick_return
    controller = make(qtbot, live)
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 30.0})  # H2S HIHI
    alarm_id = "S1/A1/GD-1/H2S:LEVEL"
    qtbot.waitUntil(lambda: alarm_id in controller.popups(), timeout=5000)
    popup = controller.popups()[alarm_id]
    live.publish({"LEL": 2.0, "O2": 20.9, "H2S": 0.0})  # back to normal (after the off-delay), never acked
    qtbot.waitUntil(lambda: live.alarm(alarm_id).state is AlarmState.RTN_UNACK, timeout=10000)
    qtbot.waitUntil(lambda: popup.texts()["state"] == "RTN", timeout=5000)
    assert popup.buttons()["acknowledge"].isEnabled()
    popup.setFocus()
    qtbot.keyClick(popup, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: live.alarm(alarm_id) is None or live.alarm(alarm_id).state is AlarmState.NORMAL)
    # The popup stays while it follows the automatic stop, with nothing left to acknowledge.
    qtbot.waitUntil(lambda: not popup.buttons()["acknowledge"].isEnabled(), timeout=5000)


def test_an_open_popup_follows_a_language_switch(qtbot: QtBot, live: Live) -> None:
    controller = make(qtbot, live)
    live.publish({"LEL": 40.0, "O2": 20.9, "H2S": 0.0})
    qtbot.waitUntil(lambda: LEL_ALARM in controller.popups(), timeout=5000)
    popup = controller.popups()[LEL_ALARM]
    qtbot.waitUntil(lambda: popup.delivery_state() == "sent", timeout=5000)
    assert "automatic stop" in popup.delivery_text()
    language = Language(QApplication.instance())  # type: ignore[arg-type]
    try:
        assert language.set("zh_CN")
        qtbot.waitUntil(lambda: popup.texts()["priority"] == "一级 – 紧急", timeout=2000)
        texts = popup.texts()
        assert texts["message"] == "LEL 高高报警 · GD-1"  # made by the controller, made again
        assert "来源 探测器 GD-1，LEL" in texts["condition"]  # the source too, from its key
        assert "已暂停" in texts["permits"]  # the permits it suspended, their status in Chinese
        assert "自动停工" in popup.delivery_text()
        assert popup.buttons()["acknowledge"].text() == "确认  (F5)"
        assert language.set("en")
        qtbot.waitUntil(lambda: popup.buttons()["acknowledge"].text() == "Acknowledge  (F5)", timeout=2000)
        assert "high-high" in popup.texts()["message"]
    finally:
        language.set("en")
