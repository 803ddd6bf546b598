"""Diagnostics: link state, broker, counters, rejections by reason with their payloads,
unregistered devices."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.support.broker import MosquittoProcess
from tests.views.live_plant import OPERATOR, Live
from views.diagnostics_view import DiagnosticsView

pytestmark = pytest.mark.broker


def make(qtbot: QtBot, live: Live) -> DiagnosticsView:
    view = DiagnosticsView(live.core, live.bridge, OPERATOR)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    return view


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_link_counters_and_rejected_payloads(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    texts = view.texts()
    assert texts["link"].startswith("CONNECTED")
    assert str(live.core.connector.url.port) in texts["broker"]
    assert texts["rejected"] == "0"
    live.field.publish(live.topic("S1/A1/sensor/GD-1"), b"this is not json", qos=1)
    live.publish({"LEL": 1.0})
    qtbot.waitUntil(lambda: view.texts()["rejected"] == "1", timeout=5000)
    reasons = cells(view.by_reason)
    assert len(reasons) == 1 and reasons[0][1] == "1"
    recent = cells(view.recent)
    assert recent[0][1] == live.topic("S1/A1/sensor/GD-1")
    assert "this is not json" in recent[0][4]
    # at least the two sent here (the consoles' own health messages count as taken from the broker too)
    qtbot.waitUntil(lambda: int(view.texts()["messages_in"].split()[0].replace(",", "")) >= 2, timeout=5000)
    assert view.values["link"].property("alarmPriority") in (None, "")


def test_unregistered_devices_are_listed(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    live.publish({"CO": 1.0}, area="A2", device="GD-NEW")
    qtbot.waitUntil(lambda: [r[0] for r in cells(view.unregistered)] == ["S1/A2/GD-NEW"], timeout=5000)


def test_renders_with_an_empty_database(qtbot: QtBot, live_empty: Live) -> None:
    view = make(qtbot, live_empty)
    assert view.texts()["link"].startswith("CONNECTED")
    assert cells(view.recent) == []
    assert not view.grab().toImage().isNull()


def test_the_notifier_is_shown_off_without_routes(qtbot: QtBot, live: Live) -> None:
    view = make(qtbot, live)
    assert view.texts()["notify"].startswith("off")
    assert view.notify_channels.rowCount() == 0


@pytest.mark.parametrize("shape", ["in-process", "field-process"])
def test_a_failing_notifier_shows_its_counts_and_the_error_in_words(
    qtbot: QtBot,
    tmp_path: Path,
    broker: MosquittoProcess,
    themed_app: object,
    monkeypatch: pytest.MonkeyPatch,
    shape: str,
) -> None:
    """A chat robot that cannot be reached: given up after its retries, the reason in words, no key.
    In the field process the notifier runs beside the core there, and its state crosses the pipe in
    the health; that process has the machine's keyring, none on a headless machine (a code too)."""
    from cockpit.config import Config, NotifyChannelConfig, NotifyRouteConfig
    from connectors.secrets import set_secret
    from tests.support.notify_servers import free_port
    from tests.views import live_plant

    def notifying() -> Config:
        config = Config()
        n = config.notify
        n.attempts, n.retry_base_s, n.timeout_s = 2, 0.05, 2.0
        n.channels = {"wx": NotifyChannelConfig(type="wecom", url=f"http://127.0.0.1:{free_port()}/send")}
        n.routes = {"leads": NotifyRouteConfig(role="shift_lead", channels=["wx"])}
        return config

    set_secret("notify", "wx", "wecom-secret-key")
    monkeypatch.setattr(live_plant, "Config", notifying)
    lv = live_plant.make_live(tmp_path, broker, shape=shape)
    try:
        view = make(qtbot, lv)
        assert view.texts()["notify"].startswith("on")
        lv.publish({"LEL": 40.0})  # HIHI: priority 1
        qtbot.waitUntil(lambda: view.texts()["notify_failed"].startswith("1 given up,"), timeout=30000)
        texts = view.texts()
        assert "1 retries" in texts["notify_failed"]
        words = {
            "network": "server not reachable (network)",
            "keyring_unavailable": "keyring not usable (keyring_unavailable)",
            "secret_missing": "no key or password in the keyring (secret_missing)",
        }
        allowed = [words["network"]] if shape == "in-process" else list(words.values())
        assert any(texts["notify_error"].startswith(w) for w in allowed), texts["notify_error"]
        ((channel, sent, failed, error),) = cells(view.notify_channels)
        assert (channel, sent, failed) == ("wx", "0", "1") and error in allowed
        assert "wecom-secret-key" not in " ".join(texts.values())
    finally:
        live_plant.close_live(lv)


def test_the_duty_holder_is_shown_and_a_missing_one_warned(qtbot: QtBot, live: Live) -> None:
    """Issue 19: the console alone (duties "auto") holds the plant's duties. A serve asks for them and
    never comes: for a while nobody holds them, and the screen says so in alarm colour."""
    from cockpit.duty_lease import Holder, LeaseStore

    view = make(qtbot, live)
    qtbot.waitUntil(lambda: view.texts()["duty_holder"].startswith("this console (lease 1"), timeout=5000)
    assert view.values["duty_holder"].property("alarmPriority") in (None, "")
    assert "no serve" in view.texts()["duty_role"]
    assert LeaseStore(live.db).ask(Holder.here("serve-gone", "hold"))
    qtbot.waitUntil(lambda: "No one runs the plant's duties" in view.texts()["duty_holder"], timeout=4000)
    assert view.values["duty_holder"].property("alarmPriority") == "1"


@pytest.mark.parametrize("shape", ["in-process", "field-process"])
def test_the_sparkplug_host_shows_its_edge_nodes_and_the_metrics_mapped_nowhere(
    qtbot: QtBot,
    tmp_path: Path,
    broker: MosquittoProcess,
    themed_app: object,
    monkeypatch: pytest.MonkeyPatch,
    shape: str,
) -> None:
    """Issue 22: a birth makes an edge node alive; a metric no entry maps is listed; a death is marked."""
    from cockpit.config import Config
    from cockpit.sparkplug_config import SparkplugConfig, SparkplugMap
    from tests.connectors.test_sparkplug_host import DOUBLE, INT64, payload
    from tests.views import live_plant

    def with_sparkplug() -> Config:
        config = Config()
        lel = SparkplugMap(
            group="G1", node="GW-1", device="GD-*", metric="LEL", site="S1", area="A1", channel="LEL"
        )
        config.sparkplug = SparkplugConfig(enabled=True, host_id="ccr-test", map=[lel])
        return config

    monkeypatch.setattr(live_plant, "Config", with_sparkplug)
    lv = live_plant.make_live(tmp_path, broker, shape=shape)  # in the field process, the host runs there
    try:
        view = make(qtbot, lv)
        qtbot.waitUntil(view.sparkplug_box.isVisible, timeout=5000)
        qtbot.waitUntil(lambda: "online" in view.texts()["sp_host"], timeout=10000)
        assert view.texts()["sp_host"].startswith("ccr-test")
        bd_seq = {"name": "bdSeq", "datatype": INT64, "long_value": 1}
        lv.field.publish("spBv1.0/G1/NBIRTH/GW-1", payload(0, bd_seq, ts=live_plant_ms()), qos=1)
        gas = [
            {
                "name": "LEL",
                "alias": 1,
                "datatype": DOUBLE,
                "double_value": 2.0,
                "timestamp": live_plant_ms(),
            },
            {
                "name": "Flow",
                "alias": 2,
                "datatype": DOUBLE,
                "double_value": 3.0,
                "timestamp": live_plant_ms(),
            },
        ]
        lv.field.publish("spBv1.0/G1/DBIRTH/GW-1/GD-9", payload(1, *gas, ts=live_plant_ms()), qos=1)
        qtbot.waitUntil(lambda: cells(view.sparkplug_unmapped) == [["G1/GW-1/GD-9/Flow"]], timeout=10000)
        assert view.texts()["sp_nodes"] == "1 of 1 alive"
        lv.field.publish("spBv1.0/G1/NDEATH/GW-1", payload(None, bd_seq, ts=live_plant_ms()), qos=1)
        qtbot.waitUntil(lambda: view.texts()["sp_nodes"] == "0 of 1 alive; not alive: G1/GW-1", timeout=10000)
        assert view.values["sp_nodes"].property("alarmPriority") == "3"
    finally:
        live_plant.close_live(lv)


def live_plant_ms() -> int:
    import time

    return int(time.time() * 1000)


def test_channels_beyond_the_trend_bound_are_counted_on_screen(qtbot: QtBot, live: Live) -> None:
    """Issue 20: a store keeps trends for at most ``max_channels`` channels; the ones beyond are said."""
    view = make(qtbot, live)
    qtbot.waitUntil(lambda: view.texts()["no_trends"] == "none (trends are kept for up to 5,000 channels)")
    live.core.store.max_channels = 2  # a small plant's bound, so three readings cross it
    live.publish({"LEL": 1.0, "O2": 20.9, "H2S": 0.5}, device="GD-7")
    qtbot.waitUntil(
        lambda: view.texts()["no_trends"] == "1 (trends are kept for the first 2 channels only)", timeout=5000
    )
    assert view.values["no_trends"].property("alarmPriority") == "3"  # drawn as a warning
