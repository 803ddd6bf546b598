"""Recording the broker's traffic and playing it back, with and without a real broker in between."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from connectors.mqtt import MqttConnector
from connectors.recorder import RecordedMessage, Recorder, read_recording, replay
from models.errors import UserError
from tests.support.broker import MosquittoProcess, PahoPeer, mosquitto, needs_mosquitto, wait_until

__all__ = ["mosquitto"]

MESSAGES = [
    (
        1_763_884_800.000,
        "plant/s1/a1/sensor/d1",
        b'{"ts":1763884800000,"readings":[{"ch":"LEL","v":3.5,"u":"%LEL"}]}',
    ),
    (1_763_884_800.150, "plant/s1/a1/worker/w1/event", '{"type":"sos","note":"动火区"}'.encode()),
    (1_763_884_800.150, "plant/s1/a1/sensor/d2", b"\x00\xff\xfebinary"),
    (1_763_884_800.400, "plant/s1/a1/sensor/d1", b""),
    (1_763_884_800.450, "plant/s1/a1/device/d1/status", b'{"state":"offline"}\n'),
]


def _write(path: Path) -> None:
    with Recorder(path) as recorder:
        for t, topic, payload in MESSAGES:
            recorder.record(topic, payload, t)


def test_round_trip_keeps_topics_payloads_times_and_order(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    _write(path)
    assert list(read_recording(path)) == [
        RecordedMessage(t, topic, payload) for t, topic, payload in MESSAGES
    ]


def test_lines_are_readable_json_and_binary_payloads_are_base64(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    _write(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(MESSAGES)
    assert lines[1]["payload"] == '{"type":"sos","note":"动火区"}'  # text stays text, Chinese included
    assert "payload" not in lines[2]
    assert lines[2]["payload_b64"] == "AP/+YmluYXJ5"
    assert lines[0]["t"] == MESSAGES[0][0]


def test_recorder_flushes_without_being_closed(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    recorder = Recorder(path)
    try:
        recorder.record("plant/s/a/sensor/d", b"{}", 1.0)
        # Within about a second the line is on disk, so a crash loses at most the last second.
        assert wait_until(lambda: path.read_text(encoding="utf-8").count("\n") == 1, timeout=3)
    finally:
        recorder.close()
    recorder.record("plant/late", b"x", 2.0)  # after close: ignored, not an error
    assert len(list(read_recording(path))) == 1


def test_recorder_is_safe_from_many_threads(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"

    def writer(recorder: Recorder, k: int) -> None:
        for n in range(500):
            recorder.record(f"plant/s/a{k}/sensor/d", str(n).encode(), k * 10_000 + n)

    with Recorder(path) as recorder:
        threads = [threading.Thread(target=writer, args=(recorder, k)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert recorder.count == 2000
    messages = list(read_recording(path))
    assert len(messages) == 2000
    for k in range(4):  # each thread's own messages keep their order
        mine = [int(m.payload) for m in messages if m.topic == f"plant/s/a{k}/sensor/d"]
        assert mine == list(range(500))


def test_truncated_last_line_is_counted_not_fatal_and_appending_continues_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    _write(path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"t": 1763884801.0, "topic": "plant/s1/a1/sens')  # killed mid-write
    reader = read_recording(path)
    assert len(list(reader)) == len(MESSAGES)
    assert (reader.truncated_tail, reader.bad_lines) == (1, 0)
    # A new session appends after the broken line instead of gluing onto it.
    with Recorder(path) as recorder:
        recorder.record("plant/next", b"ok", 1_763_884_900.0)
    reader = read_recording(path)
    messages = list(reader)
    assert messages[-1] == RecordedMessage(1_763_884_900.0, "plant/next", b"ok")
    assert len(messages) == len(MESSAGES) + 1
    assert (reader.truncated_tail, reader.bad_lines) == (0, 1)  # now a damaged line inside the file


def test_missing_recording_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        read_recording(tmp_path / "nope.jsonl")
    with pytest.raises(UserError, match="does not exist"):
        replay(tmp_path / "nope.jsonl", lambda topic, payload: None)


def test_replay_keeps_order_and_relative_timing_scaled_by_speed(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    _write(path)
    calls: list[tuple[float, str, bytes]] = []
    progress: list[tuple[int, int]] = []
    stats = replay(
        path,
        lambda topic, payload: calls.append((time.monotonic(), topic, payload)),
        speed=2.0,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert [(topic, payload) for _, topic, payload in calls] == [(tp, p) for _, tp, p in MESSAGES]
    start = calls[0][0]
    for (when, _, _), (t, _, _) in zip(calls, MESSAGES, strict=True):
        due = (t - MESSAGES[0][0]) / 2.0
        assert when - start >= due - 0.01  # never early
        assert when - start <= due + 0.5  # and not grossly late (a generous bound for a busy CI machine)
    assert stats.published == len(MESSAGES)
    assert stats.recorded_span_s == pytest.approx(0.45)
    assert not stats.stopped
    assert progress[-1] == (len(MESSAGES), len(MESSAGES))


def test_replay_speed_zero_is_as_fast_as_possible(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    with Recorder(path) as recorder:
        recorder.record("plant/a", b"1", 1000.0)
        recorder.record("plant/b", b"2", 4600.0)  # an hour later
    got: list[str] = []
    stats = replay(path, lambda topic, payload: got.append(topic), speed=0)
    assert got == ["plant/a", "plant/b"]
    assert stats.duration_s < 60  # did not wait out the hour


def test_replay_stops_promptly_in_a_long_gap(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    with Recorder(path) as recorder:
        recorder.record("plant/a", b"1", 1000.0)
        recorder.record("plant/b", b"2", 4600.0)
    stop = threading.Event()
    got: list[str] = []
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    stats = replay(path, lambda topic, payload: got.append(topic), speed=1.0, stop=stop)
    timer.join()
    assert got == ["plant/a"]
    assert stats.stopped
    assert stats.published == 1


@pytest.mark.parametrize("speed", [-1.0, float("nan")])
def test_invalid_speed_is_a_user_error(tmp_path: Path, speed: float) -> None:
    path = tmp_path / "rec.jsonl"
    _write(path)
    with pytest.raises(UserError, match="speed"):
        replay(path, lambda topic, payload: None, speed=speed)


@pytest.mark.broker
@needs_mosquitto
def test_record_from_a_live_broker_then_replay_into_it(mosquitto: MosquittoProcess, tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    recorder = Recorder(path)
    conn = MqttConnector(
        mosquitto.url, "recorder", subscriptions=[("plant/#", 1)], on_message=recorder.record
    )
    conn.start()
    try:
        assert wait_until(lambda: conn.link_state.connected)
        gateway = PahoPeer(mosquitto.url, "gateway-r")
        gateway.wait_connected()
        sent = [(f"plant/s/a/sensor/d{n % 3}", f'{{"seq":{n}}}'.encode()) for n in range(30)]
        for topic, payload in sent:
            gateway.publish(topic, payload, qos=1).wait_for_publish(5)
        assert wait_until(lambda: recorder.count == 30)
        gateway.close()
    finally:
        conn.stop()
        recorder.close()

    watcher = PahoPeer(mosquitto.url, "watcher-r")
    watcher.subscribe("plant/#")
    player = PahoPeer(mosquitto.url, "player-r")
    player.wait_connected()
    stats = replay(
        path, lambda topic, payload: player.publish(topic, payload, qos=1).wait_for_publish(5), speed=0
    )
    assert stats.published == 30
    assert wait_until(lambda: len(watcher.received()) == 30)
    assert [(m.topic, m.payload) for m in watcher.received()] == sent
    player.close()
    watcher.close()
