"""How soon a register change shows on the console that made it (issue 16 part 4): from the save of a new
area to the screens' follower holding it (``views/register_follow.py``: the sites read again, what the
overview and the map then show), with the console's word to its core (``follow_local_changes``) and,
as the baseline in the same run, without it (the core finds the change at its once-a-second poll and
sends it with the once-a-second board). Both shapes of the core: in this process and in the field
process, as the window runs it. Each round waits a random 0-1 s first, so that the saves fall anywhere
in the poll's second.

Usage: python bench/register_latency.py [ROUNDS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import BenchBroker, percentile
from PySide6.QtWidgets import QApplication

from cockpit.config import Config, SiteConfig
from cockpit.field_link import RemoteCore
from cockpit.live import CoreBridge
from cockpit.local_core import LocalCore
from cockpit.plant_reads import PlantReads
from cockpit.plant_register import PlantRegister
from cockpit.register_live import follow_local_changes
from connectors.database import open_database
from models.queries import SiteInfo
from models.records import RiskLevel
from tests.support.plant import build_small_plant
from tests.support.sessions import TEST_KEYS, as_user
from views.register_follow import RegisterFollow
from views.view_model import LiveState


def _wait(predicate: Any, timeout: float = 10.0) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.002)
    return False


def run(broker: BenchBroker, shape: str, nudge: bool, rounds: int) -> list[float]:
    """Seconds from each save to the follower holding the new area."""
    folder = Path(tempfile.mkdtemp(prefix="bench-register-"))
    db = open_database(f"sqlite:///{folder / 'plant.db'}")
    build_small_plant(db, datetime.now(UTC))
    config = Config()
    config.mqtt.url = broker.url
    config.mqtt.root = f"reg{shape[:2]}{int(nudge)}"
    config.sites["S1"] = SiteConfig()
    bridge = CoreBridge()
    core: Any
    if shape == "field-process":
        core = RemoteCore(config, db, console=f"bench-{shape}", listener=bridge.deliver, sessions=TEST_KEYS)
        core.start()
        assert core.wait_ready(60), "the field process did not start"
    else:
        core = LocalCore(config, db, console=f"bench-{shape}", listener=bridge.deliver, sessions=TEST_KEYS)
        core.start()
    assert _wait(lambda: core.connector.link_state.connected)
    state = LiveState(core, bridge)
    follow = RegisterFollow(state, PlantReads(db))
    held: set[str] = set()

    def took(sites: list[SiteInfo]) -> None:
        held.update(a.area_id for s in sites for a in s.areas)

    follow.sites_read.connect(took)
    undo = follow_local_changes(db, core) if nudge else None
    register, manager = PlantRegister(db, TEST_KEYS), as_user(db, "mgr.sun")
    assert _wait(lambda: state.board.register_seq >= 0)
    times: list[float] = []
    try:
        for i in range(rounds):
            _wait(lambda: False, random.uniform(0.0, 1.0))
            area = f"B{i}"
            start = time.perf_counter()
            register.save_area(manager, "S1", area, f"罐区 {i}", risk_level=RiskLevel.HIGH)
            if not _wait(lambda a=area: a in held):
                raise SystemExit(f"{shape}: area {area} never reached the screens")
            times.append(time.perf_counter() - start)
    finally:
        if undo is not None:
            undo()
        follow.wait()
        core.stop()
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        bridge.blockSignals(True)
        db.dispose()
    return times


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    figures: dict[str, float] = {}
    with BenchBroker() as broker:
        for shape in ("in-process", "field-process"):
            for nudge in (False, True):
                ms = [t * 1000 for t in run(broker, shape, nudge, rounds)]
                mode = "told" if nudge else "polled"
                p50, p95, worst = percentile(ms, 50), percentile(ms, 95), max(ms)
                print(f"{shape:>13} {mode:>6}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms")
                key = f"{shape.split('-')[0]}_{mode}"
                figures[f"{key}_p95_ms"], figures[f"{key}_max_ms"] = p95, worst
    print(
        " ".join(f"{k}={v:.0f}" for k, v in figures.items())
        + f" field_told_to_polled_p95={figures['field_told_p95_ms'] / figures['field_polled_p95_ms']:.2f}"
        + f" in_told_to_polled_p95={figures['in_told_p95_ms'] / figures['in_polled_p95_ms']:.2f}"
        + f" told_under_500ms={max(figures['field_told_max_ms'], figures['in_told_max_ms']) < 500}"
    )


if __name__ == "__main__":
    main()
