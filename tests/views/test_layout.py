"""Views on screens: the layout is saved per console, comes back on 3 screens, and falls back on 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from views.layout import Layout, WindowLayout, default_layout, fit_to_screens, load_layout, save_layout

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ["overview", "map", "trends", "alarms", "commands", "diagnostics"]


def test_default_layout_spreads_the_wall_over_the_screens() -> None:
    one = default_layout(VIEWS, ["a"])
    assert len(one.windows) == 1 and one.windows[0].views == VIEWS
    four = default_layout(VIEWS, ["a", "b", "c", "d"])
    assert [w.views[0] for w in four.windows] == ["overview", "map", "trends", "alarms"]
    assert sorted(v for w in four.windows for v in w.views) == sorted(VIEWS)


def test_fewer_screens_merge_windows_and_keep_every_view() -> None:
    saved = Layout(
        [
            WindowLayout(["overview"], screen="left", screen_index=0),
            WindowLayout(["map", "trends"], screen="mid", screen_index=1, fullscreen=True),
            WindowLayout(["alarms"], screen="right", screen_index=2),
        ]
    )
    same = fit_to_screens(saved, ["left", "mid", "right"])
    assert [w.screen for w in same.windows] == ["left", "mid", "right"]
    assert same.windows[1].fullscreen
    one = fit_to_screens(saved, ["laptop"])
    assert len(one.windows) == 1
    assert one.windows[0].views == ["overview", "map", "trends", "alarms"]
    renamed = fit_to_screens(saved, ["HDMI-1", "HDMI-2", "HDMI-3"])  # names changed, order kept
    assert [w.views for w in renamed.windows] == [["overview"], ["map", "trends"], ["alarms"]]


def test_a_saved_layout_round_trips_and_a_broken_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "layout-c1.json"
    layout = default_layout(VIEWS, ["a", "b"])
    save_layout(layout, path)
    assert load_layout(path, set(VIEWS)) == layout
    path.write_text("{not json", encoding="utf-8")
    assert load_layout(path, set(VIEWS)) is None
    # a view added in a later version appears even in an old layout
    save_layout(Layout([WindowLayout(["overview"])]), path)
    restored = load_layout(path, {"overview", "handover"})
    assert restored is not None and sorted(restored.windows[0].views) == ["handover", "overview"]


CHILD = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, ROOT)
    from PySide6.QtWidgets import QApplication, QLabel
    from PySide6.QtGui import QGuiApplication
    app = QApplication([])
    from cockpit.live import CoreBridge
    from cockpit.config import Config
    from cockpit.roles import Actor
    from models.records import Role
    from views.i18n import Language
    from views.main_window import CockpitWindows, ViewContext

    class Console:  # the window manager needs only the console's name from the core
        console = "wall-1"

    ctx = ViewContext(core=Console(), bridge=CoreBridge(), actor=Actor("op.li", Role.OPERATOR),
                      config=Config(),
                      demo=True)
    factories = {k: (lambda c, k=k: QLabel(k)) for k in VIEWS}
    windows = CockpitWindows(ctx, factories, Language(app))
    windows.restore()
    if MODE == "arrange":
        screens = QGuiApplication.screens()
        windows.move_view("alarms", screens[0])
        windows.move_view("diagnostics", screens[1])
        windows.save()
    app.processEvents()
    print(json.dumps([[w.screen().name(), w.view_keys(), w.isVisible()] for w in windows.windows]))
    """
)


def run_child(tmp_path: Path, screens: int, mode: str) -> list:  # type: ignore[type-arg]
    conf = tmp_path / f"screens{screens}.json"
    conf.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": f"S{i}",
                        "x": 1920 * i,
                        "y": 0,
                        "width": 1920,
                        "height": 1080,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                    for i in range(screens)
                ]
            }
        ),
        encoding="utf-8",
    )
    code = CHILD.replace("ROOT", repr(str(ROOT))).replace("VIEWS", repr(VIEWS)).replace("MODE", repr(mode))
    env = dict(
        os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={conf}", XDG_CONFIG_HOME=str(tmp_path / "cfg")
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_layout_saved_on_three_screens_comes_back_on_three_and_on_one(tmp_path: Path) -> None:
    arranged = {screen: sorted(views) for screen, views, _ in run_child(tmp_path, 3, "arrange")}
    assert arranged["S0"] == ["alarms", "overview"] and "diagnostics" in arranged["S1"]
    again = {screen: sorted(views) for screen, views, visible in run_child(tmp_path, 3, "restore")}
    assert again == arranged
    assert sorted(v for views in again.values() for v in views) == sorted(VIEWS)
    single = run_child(tmp_path, 1, "restore")
    assert len(single) == 1
    screen, views, visible = single[0]
    assert screen == "S0" and visible and sorted(views) == sorted(VIEWS)
