"""The command lane's settle (cockpit/connection.CommandLane): the thread that wrote a stop and its
states waits for the broker to take them before it records the stop, so that on a machine whose
cores the broker shares with the cockpit the broker forwards the stop first; it never waits longer
than its bound, a broker that reads nothing included, and it forgets what it was not asked to wait
for."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cockpit.config import Config
from cockpit.connection import CommandLane, field_connector
from connectors.mqtt import MqttConnector
from tests.support.broker import MosquittoProcess, wait_until

pytestmark = pytest.mark.broker


@pytest.fixture
def lane(broker: MosquittoProcess) -> Iterator[CommandLane]:
    config = Config()
    config.mqtt.url = broker.url
    main: MqttConnector = field_connector(config, "lane-test", None, None, None)
    main.start()
    lane = CommandLane(main)
    lane.start()
    assert wait_until(lambda: main.link_state.connected and lane.lane.link_state.connected, 10)
    try:
        yield lane
    finally:
        lane.stop()
        main.stop()


def test_settle_returns_once_the_broker_has_taken_what_was_written(lane: CommandLane) -> None:
    lane.SETTLE_S = 5.0  # a bound no loaded machine reaches: what ends the wait is the broker's answer
    for n in range(3):  # a command, its area's state, a permit's state
        assert lane.publish(f"plant/S1/A1/test/{n}", b"{}", 1, n > 0)
    lane.send_now()
    began = time.monotonic()
    lane.settle()
    assert time.monotonic() - began < 4.0
    assert lane.lane.counters().delivered == 3  # every acknowledgement had come


@contextmanager
def a_stop_the_broker_does_not_read(broker: MosquittoProcess, lane: CommandLane) -> Iterator[None]:
    """A stop written while the broker reads nothing (SIGSTOP), with a bound of 0.3 s to wait."""
    lane.SETTLE_S = 0.3
    broker.pause()
    try:
        assert lane.publish("plant/S1/A1/cmd/stop-work", b"{}", 1, False)
        lane.send_now()
        yield
    finally:
        broker.resume()


def test_settle_never_waits_past_its_bound_for_a_broker_that_reads_nothing(
    broker: MosquittoProcess, lane: CommandLane
) -> None:
    with a_stop_the_broker_does_not_read(broker, lane):
        began = time.monotonic()
        lane.settle()
        waited = time.monotonic() - began
        assert lane.lane.counters().delivered == 0  # the broker took nothing
        assert 0.3 <= waited < 2.0  # it waited for the broker, then went on
        began = time.monotonic()
        lane.settle()  # nothing new written: nothing to wait for
        assert time.monotonic() - began < 0.2
    assert wait_until(lambda: lane.lane.counters().delivered == 1, 10)  # the broker has it once back


def test_settle_without_waiting_forgets_what_was_written(broker: MosquittoProcess, lane: CommandLane) -> None:
    with a_stop_the_broker_does_not_read(broker, lane):
        began = time.monotonic()
        lane.settle(wait=False)
        lane.settle()  # what was written before is not waited for again
        assert time.monotonic() - began < 0.2


def test_only_the_lanes_own_messages_are_waited_for(broker: MosquittoProcess, lane: CommandLane) -> None:
    """With the lane down a command goes on the console's own link, whose acknowledgements come to the
    network thread that may be running the core's cycle, the very thread that would wait."""
    lane.SETTLE_S = 0.3
    lane.stop()
    assert lane.publish("plant/S1/A1/cmd/stop-work", b"{}", 1, False)
    lane.send_now()
    began = time.monotonic()
    lane.settle()
    assert time.monotonic() - began < 0.2
    assert wait_until(lambda: lane.main.counters().delivered >= 1, 10)


def test_a_qos_0_message_goes_on_the_lane_while_it_is_up_and_is_not_waited_for(
    broker: MosquittoProcess, lane: CommandLane
) -> None:
    """The lane is chosen by whether it is connected, whatever the QoS; QoS 0 has no acknowledgement to
    wait for, even from a broker that reads nothing."""
    main_before = lane.main.counters().published
    with a_stop_the_broker_does_not_read(broker, lane):  # its QoS 1 stop is waited for up to 0.3 s
        lane.settle(wait=False)
        assert lane.publish("plant/S1/A1/test/qos0", b"{}", 0, False)
        lane.send_now()
        began = time.monotonic()
        lane.settle()
        assert time.monotonic() - began < 0.2
    assert lane.lane.counters().published == 2 and lane.main.counters().published == main_before
