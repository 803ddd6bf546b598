"""The rejection log: every turned-away message is counted by reason and the last ones are shown."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from connectors.contract import ContractDecoder, ContractRejection
from connectors.rejections import RejectionLog
from models.records import Rejection

RECEIVED = datetime(2025, 11, 23, 8, 0, 1, tzinfo=UTC)


def rejection(reason: str, n: int = 0, excerpt: str = "{}") -> Rejection:
    return Rejection(
        f"plant/S1/A1/sensor/D{n}", reason, f"detail {n}", excerpt, RECEIVED + timedelta(seconds=n)
    )


def test_counts_by_reason_and_total() -> None:
    log = RejectionLog()
    for n, reason in enumerate(["bad_unit", "not_json", "bad_unit", "too_large"]):
        log.record(rejection(reason, n))
    snap = log.snapshot()
    assert snap["total"] == 4 == log.total
    assert snap["by_reason"] == {"bad_unit": 2, "not_json": 1, "too_large": 1} == log.by_reason()


def test_keeps_only_the_last_ones_newest_first_in_the_snapshot() -> None:
    log = RejectionLog(keep=3)
    for n in range(5):
        log.record(rejection("not_json", n))
    snap = log.snapshot()
    assert snap["total"] == 5
    assert [e["topic"] for e in snap["recent"]] == [
        "plant/S1/A1/sensor/D4",
        "plant/S1/A1/sensor/D3",
        "plant/S1/A1/sensor/D2",
    ]
    assert snap["recent"][0]["received_at"] == RECEIVED + timedelta(seconds=4)
    assert [e.topic[-2:] for e in log.recent()] == ["D2", "D3", "D4"]


def test_excerpt_is_kept_short_and_printable_whatever_it_was() -> None:
    log = RejectionLog()
    log.record(rejection("not_utf8", excerpt="\x00\x1b[31m" + "x" * 500))
    kept = log.snapshot()["recent"][0]["excerpt"]
    assert len(kept) <= 200 and kept.isprintable()


def test_decoder_rejections_feed_the_log_end_to_end() -> None:
    decoder = ContractDecoder()
    log = RejectionLog()
    messages = [
        ("plant/S1/A1/sensor/D1", b"\xff\xfe"),
        ("plant/S1/A1/sensor/D1", b'{"ts": 1763884800123, "readings": [{"ch": "LEL", "v": 1, "u": "ppm"}]}'),
        ("plant/S1/A1/sensor/D 1", b"{}"),
        ("plant/S1/A1/permit/P1/state", b"{}"),  # the cockpit's own topic: not a rejection
        ("plant/S1/A1/sensor/D1", b'{"ts": 1763884800123, "readings": [{"ch": "LEL", "v": 1, "u": "%LEL"}]}'),
    ]
    for topic, payload in messages:
        result = decoder.decode(topic, payload, RECEIVED)
        if isinstance(result, ContractRejection):
            log.record(result)
    assert log.by_reason() == {"not_utf8": 1, "bad_unit": 1, "bad_identifier": 1}
    assert log.snapshot()["recent"][1]["detail"].startswith("readings[0].u: LEL must be in %LEL")


def test_counts_stay_exact_under_concurrent_recording_and_reading() -> None:
    log = RejectionLog(keep=50)
    per_thread = 2000
    stop = threading.Event()
    seen_totals: list[int] = []

    def writer(reason: str) -> None:
        for n in range(per_thread):
            log.record(rejection(reason, n))

    def reader() -> None:
        while not stop.is_set():
            snap = log.snapshot()
            assert sum(snap["by_reason"].values()) == snap["total"]
            seen_totals.append(snap["total"])

    threads = [threading.Thread(target=writer, args=(r,)) for r in ("a", "b", "c")]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert log.total == 3 * per_thread
    assert log.by_reason() == {"a": per_thread, "b": per_thread, "c": per_thread}
    assert len(log.recent()) == 50
    assert seen_totals == sorted(seen_totals)
