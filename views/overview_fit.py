"""How the overview wall lays out its tiles so that every area of every site is on one screen.

The sites stand side by side, each a block of columns under its name; all blocks have the same
number of rows. Of every row count, the one that gives the tiles the most room relative to the
smallest tile that still shows all of its rows wins. When even that does not fit (a large scale
on a small screen), the wall scrolls rather than cutting tiles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WallFit:
    rows: int
    columns: tuple[int, ...]  # per site
    fits: bool  # every tile at least its minimum size without scrolling

    @property
    def total_columns(self) -> int:
        return sum(self.columns)


def fit_wall(
    counts: list[int],
    width: int,
    height: int,
    *,
    tile_w: int,
    tile_h: int,
    heading_h: int,
    spacing: int,
) -> WallFit:
    """Rows and columns per site for ``counts`` areas per site in a ``width`` × ``height`` viewport."""
    counts = [max(0, n) for n in counts]
    most = max(counts, default=0)
    if most == 0:
        return WallFit(1, tuple(1 for _ in counts), True)
    best: WallFit | None = None
    best_room = -1.0
    for rows in range(1, most + 1):
        columns = tuple(max(1, -(-n // rows)) for n in counts)
        total = sum(columns)
        gaps = spacing * (total - 1 + 2 * (len(counts) - 1))  # a wider gap between two sites
        cell_w = (width - gaps) / total
        cell_h = (height - heading_h - spacing * rows) / rows
        room = min(cell_w / tile_w, cell_h / tile_h)
        if room > best_room + 1e-9:
            best_room, best = room, WallFit(rows, columns, room >= 1.0)
    assert best is not None
    return best
