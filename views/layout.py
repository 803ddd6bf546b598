"""Which views sit on which screen: saved per console, restored at start, sensible on fewer screens.

A layout is a list of windows; each window has its screen (by name, with its index as a
fallback), geometry, full-screen flag and its views as tabs. Restoring on a machine with
fewer screens moves the windows of missing screens onto the screens that exist, merging
their tabs into the window already there, so every view stays reachable.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
VERSION = 1
#: The per-console scale (text and everything sized by it), saved with the layout.
SCALE_MIN, SCALE_MAX = 1.0, 2.0


def clamp_scale(value: object) -> float | None:
    """A saved scale within 100-200 %, or None when there is none (or it is not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        scale = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(scale):
        return None
    return round(min(SCALE_MAX, max(SCALE_MIN, scale)), 2)


@dataclass
class WindowLayout:
    views: list[str]
    current: str = ""
    screen: str = ""
    screen_index: int = 0
    geometry: list[int] = field(default_factory=list)  # x, y, w, h relative to the screen
    fullscreen: bool = False


@dataclass
class Layout:
    windows: list[WindowLayout]
    scale: float | None = None  # this console's scale (1.0-2.0); None: the configured ui.font_scale

    def to_json(self) -> str:
        data: dict[str, object] = {"version": VERSION, "windows": [asdict(w) for w in self.windows]}
        if self.scale is not None:
            data["scale"] = self.scale
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, known_views: set[str]) -> Layout:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a cockpit layout of a known version")
        windows = []
        seen: set[str] = set()
        for raw in data.get("windows", []):
            views = [v for v in raw.get("views", []) if v in known_views and v not in seen]
            seen.update(views)
            if not views:
                continue
            windows.append(
                WindowLayout(
                    views=views,
                    current=str(raw.get("current", "")),
                    screen=str(raw.get("screen", "")),
                    screen_index=int(raw.get("screen_index", 0)),
                    geometry=[int(v) for v in raw.get("geometry", [])][:4],
                    fullscreen=bool(raw.get("fullscreen")),
                )
            )
        missing = [v for v in sorted(known_views) if v not in seen]
        if missing and windows:
            windows[0].views.extend(missing)
        elif missing:
            windows.append(WindowLayout(views=missing))
        return cls(windows, scale=clamp_scale(data.get("scale")))


def default_layout(views: list[str], screens: list[str]) -> Layout:
    """One screen: everything in tabs. Several: overview wall, map, trends, alarms spread over them."""
    if len(screens) <= 1:
        return Layout(
            [
                WindowLayout(
                    views=list(views), current=views[0] if views else "", screen=screens[0] if screens else ""
                )
            ]
        )
    preferred = [["overview"], ["map"], ["trends"], ["alarms", "commands"]]
    windows: list[WindowLayout] = []
    placed: set[str] = set()
    for index, name in enumerate(screens):
        group = [v for v in preferred[index] if v in views] if index < len(preferred) else []
        placed.update(group)
        windows.append(
            WindowLayout(
                views=group,
                current=group[0] if group else "",
                screen=name,
                screen_index=index,
                fullscreen=False,
            )
        )
    rest = [v for v in views if v not in placed]
    windows[-1].views.extend(rest)
    if not windows[-1].current and windows[-1].views:
        windows[-1].current = windows[-1].views[0]
    return Layout([w for w in windows if w.views])


def fit_to_screens(layout: Layout, screens: list[str]) -> Layout:
    """Put every window on a screen that exists: same name, else same index, else merge into the first."""
    if not screens:
        return layout
    fitted: list[WindowLayout] = []
    by_screen: dict[str, WindowLayout] = {}
    for window in layout.windows:
        if window.screen in screens:
            target = window.screen
        elif 0 <= window.screen_index < len(screens):
            target = screens[window.screen_index]
        else:
            target = screens[0]
        if target in by_screen:  # two windows on one screen: merge the tabs
            host = by_screen[target]
            host.views.extend(v for v in window.views if v not in host.views)
            continue
        moved = WindowLayout(
            views=list(window.views),
            current=window.current,
            screen=target,
            screen_index=screens.index(target),
            geometry=list(window.geometry) if target == window.screen else [],
            fullscreen=window.fullscreen,
        )
        by_screen[target] = moved
        fitted.append(moved)
    return Layout(fitted, scale=layout.scale)


def layout_path(config_dir: Path, console: str, configured: str = "") -> Path:
    return Path(configured) if configured else config_dir / f"layout-{console}.json"


def save_layout(layout: Layout, path: Path) -> None:
    """Atomic: a crash while saving never leaves half a layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".layout-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(layout.to_json())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_layout(path: Path, known_views: set[str]) -> Layout | None:
    if not path.exists():
        return None
    try:
        return Layout.from_json(path.read_text(encoding="utf-8"), known_views)
    except (OSError, ValueError, TypeError) as exc:
        log.warning("layout %s unreadable (%s); using the default layout", path, exc)
        return None
