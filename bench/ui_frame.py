"""GUI responsiveness under load: four screens of views while the field publishes 10,000 messages/s.

Offscreen Qt with four 1920x1080 screens: the overview wall, the site map, 16 trend panes, the alarm
list (and the other views as tabs). The demo plant's simulator publishes at --rate per detector
(about 10,000 messages/s with the 46 demo detectors at 220/s each); if it cannot reach that, a second
publisher process tops the load up. Measured on the GUI thread:
- update time: how long each queued delta, timer and paint takes (p50, p99);
- stall: how late a 10 ms timer fires, at worst;
- start to the first painted overview (the other views and the 16 panes are built after it; the
  time until all of them exist is reported too, and the measurement starts after that). The demo
  database is seeded before the clock starts, as a cockpit does only on its first start.
Goals: p99 update <= 50 ms, no stall over 100 ms, first overview <= 3 s.
The load generators share the machine with the cockpit: each process's share of a core is printed, so
that runs on machines of different speed can be compared (how much room the cores had left).
The field link runs in its own process, as in the cockpit (`[general] field_process`); `thread` runs
it inside the GUI's process, as before, for comparison.
Usage: python bench/ui_frame.py [SECONDS] [TARGET_MSGS_S] [process|thread]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCREENS = Path(tempfile.mkdtemp(prefix="bench-ui-")) / "screens.json"
DB_URL = f"sqlite:///{SCREENS.parent / 'plant.db'}"
if __name__ == "__main__":  # (the field link's process imports this file too: it seeds nothing)
    # The demo plant exists before the clock starts, as on every start of a cockpit but its first.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from connectors.database import open_database; "
            "from cockpit.demo_seed import seed_demo; seed_demo(open_database(sys.argv[1]), seed=1)",
            DB_URL,
        ],
        check=True,
        cwd=HERE.parent,
    )
T_START = time.perf_counter()
SCREENS.write_text(
    json.dumps(
        {
            "screens": [
                {
                    "name": f"wall-{i}",
                    "x": 1920 * i,
                    "y": 0,
                    "width": 1920,
                    "height": 1080,
                    "logicalDpi": 96,
                    "logicalBaseDpi": 96,
                    "dpr": 1,
                }
                for i in range(4)
            ]
        }
    ),
    encoding="utf-8",
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(SCREENS.parent / var.lower())

from _common import ROOT, BenchBroker, CpuShares, Publisher, TimerLateness, percentile  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TIMED = (QEvent.Type.MetaCall, QEvent.Type.Timer, QEvent.Type.UpdateRequest, QEvent.Type.Paint)


class TimedApp(QApplication):
    """Times every event the GUI thread handles at the top level (nested ones count in their parent).

    Only while ``recording``: before that, notify() passes straight through, so the start-up
    (first paint) is not slowed by this Python override's own work (about 0.1-0.2 s of it).
    """

    def __init__(self) -> None:
        super().__init__([])
        self.durations: list[float] = []
        self.slow: dict[str, list[float]] = {}
        self.first_overview_paint: float | None = None
        self._depth = 0
        self.recording = False

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        if self._depth or not self.recording:
            return super().notify(receiver, event)
        self._depth += 1
        t0 = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            dt = (time.perf_counter() - t0) * 1000
            self._depth -= 1
            kind = event.type()
            if kind in TIMED:
                self.durations.append(dt)
                if dt > 30:
                    self.slow.setdefault(f"{type(receiver).__name__}:{kind.name}", []).append(dt)


class FirstPaint(QObject):
    """Notes when the overview is first painted (its own paint comes before any of its children's)."""

    def __init__(self, app: TimedApp, overview: QObject) -> None:
        super().__init__(overview)  # owned by the overview: lives as long as it does
        self.app = app
        overview.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.app.first_overview_paint is None:
            self.app.first_overview_paint = time.perf_counter()
            watched.removeEventFilter(self)
        return False


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    target = float(sys.argv[2]) if len(sys.argv) > 2 else 10_000.0
    field_process = (sys.argv[3] if len(sys.argv) > 3 else "process") == "process"
    app = TimedApp()
    _share_the_gui_thread(app)
    from cockpit.config import Config
    from connectors.database import open_database
    from models.queries import plant_detectors

    db_url = DB_URL
    db = open_database(db_url)
    with db.session() as session:
        detectors = len(plant_detectors(session))
    db.dispose()
    with BenchBroker() as broker:
        config = Config()
        config.database.url, config.mqtt.url = db_url, broker.url
        config.general.language = "zh_CN"
        runtime, windows, t_ready = _open_windows(app, config, field_process)
        t_built = time.perf_counter()
        core = runtime.core
        assert core is not None
        sim = _simulator(db_url, broker.url, rate=max(1.0, target / max(1, detectors)), seconds=seconds + 20)
        sim_rate = _simulator_rate(app, core)
        topup: Publisher | None = None
        if sim_rate < target * 0.9:
            topup = Publisher(broker.url, int((target - sim_rate) * (seconds + 5)), rate=target - sim_rate)
            topup.start()
        pids = {"window": os.getpid(), "sim": sim.pid}
        child = getattr(core, "_child", None)  # the field process (absent in `thread` mode)
        if child is not None:
            pids["field"] = child.process.pid
        if topup is not None and topup.proc.pid is not None:
            pids["topup"] = topup.proc.pid
        if broker.server.pid is not None:
            pids["broker"] = broker.server.pid
        cpu = CpuShares(pids)
        load, lateness = _measure(app, core, cpu, seconds)
        sim.terminate()
        if topup is not None:
            topup.proc.terminate()
        windows.closing = True
        runtime.stop()
    first = (app.first_overview_paint or float("nan")) - T_START
    print(
        f"first painted overview {first:.2f} s after start; all views and the 16 panes built "
        f"{t_built - T_START:.2f} s after start ({t_built - t_ready:.2f} s after the runtime)"
    )
    print(
        f"load received: {load:,.0f} msg/s (simulator {sim_rate:,.0f} msg/s"
        f"{', topped up by a publisher' if topup else ''})"
    )
    _report(app, seconds, lateness, cpu)
    print(
        f"update_p50_ms={percentile(app.durations, 50):.2f} "
        f"update_p99_ms={percentile(app.durations, 99):.1f} "
        f"stall_max_ms={max(lateness):.1f} stall_p99_ms={percentile(lateness, 99):.1f} "
        f"first_overview_s={first:.2f} all_views_s={t_built - T_START:.2f} load_msgs_s={load:.0f} "
        f"screens=4 trend_panes=16 field_link={'process' if field_process else 'thread'} {cpu.summary()}"
    )


def _share_the_gui_thread(app: TimedApp) -> None:
    """What the cockpit's GUI does at start (views/shell.py run_gui), where this cockpit has it."""
    try:
        from cockpit.gui_thread import share_gil_with_gui
    except ImportError:  # an older cockpit, for before/after runs
        pass
    else:
        share_gil_with_gui()
    try:
        from cockpit.gui_thread import GuiThreadCollector
    except ImportError:
        pass
    else:
        GuiThreadCollector(parent=app)


def _open_windows(app: TimedApp, config: Any, field_process: bool) -> tuple[Any, Any, float]:
    """The runtime and the windows, as views/shell.py opens them, with the 16-pane trend wall, and when
    the runtime was about to start; returns once every view is built."""
    from cockpit.live import CoreBridge
    from cockpit.roles import Actor
    from cockpit.runtime import Runtime
    from models.records import ApprovalLevel, Role
    from views.factories import build_context, view_factories, wire
    from views.i18n import Language
    from views.main_window import CockpitWindows
    from widgets.theme import apply_theme

    apply_theme(app)
    language = Language(app)
    language.set("zh_CN")
    bridge = CoreBridge()
    t_ready = time.perf_counter()
    runtime = Runtime(config, listener=bridge.deliver, simulate=False, field_process=field_process)
    runtime.start()
    # As the login screen would: the demo's shift lead, signed for this runtime's core.
    actor = runtime.sessions.issue(
        Actor("lead.wang", Role.SHIFT_LEAD, "王值班长", ApprovalLevel.OPERATING_UNIT)
    )
    ctx = build_context(runtime, bridge, actor, config)
    windows = CockpitWindows(ctx, view_factories(), language)
    FirstPaint(app, windows.views["overview"])
    if hasattr(windows, "all_built"):  # as views/shell.py does
        from cockpit.gui_thread import settle_gui_heap

        windows.all_built.connect(settle_gui_heap)
    wire(windows)
    windows.restore()

    def wall(trends: Any) -> None:  # the 16-pane wall, as soon as the trends view exists
        while len(trends.panes()) < 16:
            trends.add_pane()

    if hasattr(windows, "when_built"):
        windows.when_built("trends", wall)
    else:  # a cockpit that builds every view before its first paint (before issue #5)
        wall(windows.views["trends"])
    deadline = time.perf_counter() + 10
    while app.first_overview_paint is None and time.perf_counter() < deadline:
        app.processEvents()
    # The other views are built after the first paint; measure under the whole wall.
    deadline = time.perf_counter() + 30
    while getattr(windows, "pending", list)() and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()
    return runtime, windows, t_ready


def _simulator(db_url: str, broker_url: str, *, rate: float, seconds: float) -> subprocess.Popen[bytes]:
    args = ["--db", db_url, "--broker", broker_url, "--rate", f"{rate:.1f}", "--seconds", str(seconds)]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "simulate", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )


def _pump(app: TimedApp, until: float) -> None:
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.002)


def _simulator_rate(app: TimedApp, core: Any) -> float:
    """Wait for the simulator's first messages (its start-up takes a few seconds), give it a second to
    reach its pace, then measure it over two, so the top-up does not overshoot."""
    start_in = core.stats.messages_in
    deadline = time.perf_counter() + 15
    while core.stats.messages_in == start_in and time.perf_counter() < deadline:
        _pump(app, time.perf_counter() + 0.05)
    _pump(app, time.perf_counter() + 1.0)
    sim_from = core.stats.messages_in
    _pump(app, time.perf_counter() + 2.0)
    return float((core.stats.messages_in - sim_from) / 2.0)


def _measure(app: TimedApp, core: Any, cpu: CpuShares, seconds: float) -> tuple[float, list[float]]:
    """The load received (msg/s) and the 10 ms timer's lateness over ``seconds`` of recording."""
    late = TimerLateness()
    timer = QTimer()
    timer.timeout.connect(late.tick)
    cpu.start()
    measured_from = core.stats.messages_in
    app.recording = True
    late.restart()
    timer.start(10)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    cpu.stop()
    app.recording = False
    load = (core.stats.messages_in - measured_from) / (time.perf_counter() - t0)
    return load, late.lateness_ms


def _report(app: TimedApp, seconds: float, lateness: list[float], cpu: CpuShares) -> None:
    print(
        f"GUI update time: p50 {percentile(app.durations, 50):.2f} ms, "
        f"p99 {percentile(app.durations, 99):.1f} ms,"
        f" max {max(app.durations):.1f} ms over {len(app.durations)} events"
    )
    busy = sum(app.durations) / 1000
    print(
        f"GUI busy {busy:.1f} s of {seconds:.0f} s; slow events: "
        + ", ".join(
            f"{k} x{len(v)} ({sum(v) / 1000:.1f} s)"
            for k, v in sorted(app.slow.items(), key=lambda kv: -sum(kv[1]))[:6]
        )
    )
    print(
        f"10 ms timer late by at most {max(lateness):.1f} ms "
        f"(p99 {percentile(lateness, 99):.1f} ms, {len(lateness)} ticks)"
    )
    print("CPU, % of one core: " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.shares.items()))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
