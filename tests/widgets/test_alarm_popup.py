"""AlarmPopup: non-modal, cannot be missed, one-click stop with a delivery strip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.widgets.helpers import has_color, rendered
from widgets import theme
from widgets.alarm_popup import AlarmPopup, Contact, PermitLine, PopupAlarm

ALARM = PopupAlarm(
    alarm_id="A-17",
    priority=1,
    message="H2S 硫化氢 high-high",
    condition="HIHI",
    value=15.2,
    unit="ppm",
    limit=14.0,
    site_name="演示化工厂",
    area_name="罐区 A",
    source="GD-101",
    raised_at=datetime(2024, 5, 1, 4, 3, 0, tzinfo=UTC),
)


def make_popup(qtbot, alarm: PopupAlarm = ALARM) -> AlarmPopup:
    popup = AlarmPopup(alarm)
    qtbot.addWidget(popup)
    popup.show_on_screen()
    qtbot.waitExposed(popup)
    return popup


def test_is_a_non_modal_tool_window_on_top(qtbot) -> None:
    popup = make_popup(qtbot)
    assert popup.isWindow()
    assert popup.windowModality() == Qt.WindowModality.NonModal
    assert popup.windowFlags() & Qt.WindowType.Tool
    assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not popup.isModal()
    assert "H2S" in popup.windowTitle()


def test_shows_what_where_and_who_to_call(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.set_permits(
        [PermitLine("HW-031", "动火 Hot work (grade 1)", "王强"), PermitLine("CS-007", "受限空间")]
    )
    popup.set_contacts([Contact("王强", "监护人 Supervisor", "138 0013 8000")])
    texts = popup.texts()
    assert texts["priority"] == "Priority 1 – critical"
    assert texts["message"] == "H2S 硫化氢 high-high"
    assert texts["value"] == "15.2 ppm"
    assert (
        "HIHI" in texts["condition"]
        and "limit 14 ppm" in texts["condition"]
        and "GD-101" in texts["condition"]
    )
    assert texts["where"] == "演示化工厂 / 罐区 A"
    # The plant's time (Asia/Shanghai by default), with its zone, whatever the machine's zone is.
    assert texts["when"] == "Raised 2024-05-01 12:03:00 (UTC+8)"
    assert texts["state"] == "UNACK"
    assert "HW-031" in texts["permits"] and "CS-007" in texts["permits"] and "王强" in texts["permits"]
    assert "138 0013 8000" in texts["contacts"]
    # the header is drawn in the priority colour
    assert popup._header.property("alarmPriority") == "1"
    assert has_color(rendered(popup), theme.PALETTE.alarm_p1, step=3)


def test_missing_contacts_are_said_not_hidden(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.set_contacts([])
    assert "No contacts" in popup.texts()["contacts"]
    popup.set_permits([])
    assert popup.texts()["permits"] == "None"


def test_stop_work_is_one_click_then_shows_delivery(qtbot) -> None:
    popup = make_popup(qtbot)
    stop = popup.stop_button()
    assert stop.isEnabled() and "F9" in stop.text()
    with qtbot.waitSignal(popup.stop_work_requested) as sig:
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert sig.args == ["A-17"]
    assert not stop.isEnabled()
    assert not stop.isVisible()
    assert popup.delivery_state() == "pending"
    assert "sending" in popup.delivery_text()
    popup.set_delivery("sent")
    popup.set_delivery("received", "by gateway GW-A")
    assert "received ✓" in popup.delivery_text() and "GW-A" in popup.delivery_text()
    popup.set_delivery("executed")
    assert "executed ✓" in popup.delivery_text()
    assert popup._strip.property("delivery") == "executed"
    # No second command from a second press.
    emitted = []
    popup.stop_work_requested.connect(emitted.append)
    popup.request_stop()
    qtbot.keyClick(popup, Qt.Key.Key_F9)
    assert emitted == []


@pytest.mark.parametrize(("state", "word"), [("timeout", "NOT EXECUTED IN TIME"), ("rejected", "REJECTED")])
def test_failed_delivery_is_shown_as_abnormal(qtbot, state: str, word: str) -> None:
    popup = make_popup(qtbot)
    popup.request_stop()
    popup.set_delivery(state, "no ack within 60 s")
    assert word in popup.delivery_text()
    assert popup._strip.property("delivery") == state
    colour = theme.PALETTE.alarm_p2 if state == "timeout" else theme.PALETTE.alarm_p1
    assert has_color(rendered(popup._strip), colour)


def test_automatic_stop_shows_the_strip_without_a_click(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.set_delivery("sent")
    assert not popup.stop_button().isVisible()
    assert "Sent ✓" in popup.delivery_text()


def test_stop_not_allowed_for_the_role_says_why(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.set_stop_allowed(False, "Your role may not stop work; call the shift lead")
    stop = popup.stop_button()
    assert not stop.isEnabled()
    assert "shift lead" in stop.toolTip()
    emitted = []
    popup.stop_work_requested.connect(emitted.append)
    qtbot.keyClick(popup, Qt.Key.Key_F9)
    popup.request_stop()
    assert emitted == []
    popup.set_stop_allowed(True)
    assert stop.isEnabled() and stop.toolTip() == ""


def test_buttons_and_keys_emit_and_silence_keeps_the_popup(qtbot) -> None:
    popup = make_popup(qtbot)
    buttons = popup.buttons()
    assert "F5" in buttons["acknowledge"].text()
    assert "F6" in buttons["silence"].text()
    assert "F7" in buttons["locate"].text()
    with qtbot.waitSignal(popup.silenced) as sig:
        qtbot.mouseClick(buttons["silence"], Qt.MouseButton.LeftButton)
    assert sig.args == ["A-17"]
    assert popup.isVisible()
    assert "Silenced" in buttons["silence"].text()
    with qtbot.waitSignal(popup.located) as sig:
        qtbot.keyClick(popup, Qt.Key.Key_F7)
    assert sig.args == ["A-17"]
    with qtbot.waitSignal(popup.silenced):
        qtbot.keyClick(popup, Qt.Key.Key_F6)
    with qtbot.waitSignal(popup.acknowledged) as sig:
        qtbot.keyClick(popup, Qt.Key.Key_F5)
    assert sig.args == ["A-17"]
    with qtbot.waitSignal(popup.acknowledged):
        qtbot.mouseClick(buttons["acknowledge"], Qt.MouseButton.LeftButton)


def test_update_refreshes_value_and_state_while_open(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.update_alarm(PopupAlarm(**{**_fields(ALARM), "value": 22.5, "state": "acked"}))
    assert popup.texts()["value"] == "22.5 ppm"
    assert popup.texts()["state"] == "ACKED"
    assert not popup.buttons()["acknowledge"].isEnabled()
    popup.update_alarm(PopupAlarm(**{**_fields(ALARM), "stale": True}))
    assert "STALE" in popup.texts()["value"]
    assert "22.5" not in popup.texts()["value"]
    with pytest.raises(ValueError):
        popup.update_alarm(PopupAlarm(**{**_fields(ALARM), "alarm_id": "other"}))


def test_an_event_says_so_and_shows_no_empty_trend(qtbot) -> None:
    """A failed gas test measures nothing: the popup says it is an event, with no "No data" box."""
    popup = make_popup(qtbot, replace(ALARM, condition="GAS_TEST_FAILED", value=None, limit=None))
    assert popup.texts()["value"] == "Event: no measured value"
    assert not popup.trend_shown()
    popup.update_alarm(replace(ALARM, stale=True, value=None))  # a stale channel keeps its trend (the gap)
    assert popup.trend_shown()


def test_mini_trend_gets_the_readings(qtbot) -> None:
    popup = make_popup(qtbot)
    t = np.arange(60.0)
    popup.set_trend(t, np.linspace(2, 16, 60), {"HI": 7, "HIHI": 14})
    assert popup._trend.point_count() == 60
    assert has_color(rendered(popup._trend), theme.PALETTE.alarm_p1, tolerance=40)


def test_placed_on_the_given_screen(qtbot) -> None:
    screen = QGuiApplication.primaryScreen()
    popup = make_popup(qtbot)
    popup.show_on_screen(screen)
    assert popup.screen() is screen
    assert screen.geometry().contains(popup.geometry().center())


def test_an_unacknowledged_priority_1_does_not_close_and_release_closes_it(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.show()
    with qtbot.assertNotEmitted(popup.dismissed):
        popup.close()
    assert popup.isVisible()
    with qtbot.waitSignal(popup.dismissed) as sig:
        popup.release()
    assert sig.args == ["A-17"]


def test_closing_an_acknowledged_or_lower_priority_popup_is_reported(qtbot) -> None:
    popup = make_popup(qtbot)
    popup.update_alarm(replace(ALARM, state="acked"))
    with qtbot.waitSignal(popup.dismissed) as sig:
        popup.close()
    assert sig.args == ["A-17"]
    second = make_popup(qtbot)
    second.update_alarm(replace(ALARM, priority=2))
    with qtbot.waitSignal(second.dismissed):
        second.close()


def test_unknown_delivery_state_is_refused(qtbot) -> None:
    popup = make_popup(qtbot)
    with pytest.raises(ValueError):
        popup.set_delivery("maybe")


def _fields(alarm: PopupAlarm) -> dict:
    return {name: getattr(alarm, name) for name in alarm.__dataclass_fields__}


def test_state_badge_stays_readable_on_the_coloured_header(qtbot) -> None:
    popup = make_popup(qtbot)
    badge = rendered(popup._state)
    assert has_color(badge, theme.PALETTE.text, tolerance=40)  # dark letters on the light plate
    assert not has_color(badge, theme.PALETTE.alarm_p1, tolerance=10)


@pytest.mark.parametrize(("state", "acknowledgeable"), [("unack", True), ("rtn", True), ("acked", False)])
def test_acknowledge_is_offered_while_the_alarm_waits_for_it(
    qtbot, state: str, acknowledgeable: bool
) -> None:
    popup = make_popup(qtbot, PopupAlarm(**{**_fields(ALARM), "state": state}))
    assert popup.buttons()["acknowledge"].isEnabled() is acknowledgeable
    sent: list[str] = []
    popup.acknowledged.connect(sent.append)
    popup.acknowledge()
    assert sent == (["A-17"] if acknowledgeable else [])
