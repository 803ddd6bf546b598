"""Import a plant's inspection register from xlsx: N equipment items and routes of 20 points (issue 23
part 1). Each item goes through the inspection register's own checks and writes its own audit entry
(the hash-chained log), unlike the bulk registers' executemany upsert.

Run: ``.venv/bin/python bench/inspection_import.py [--items 5000]`` (SQLite, a temporary file).
Baseline, measured in the same run: the same number of detectors (the bulk upsert, one audit entry per
file) through the same ``RegisterIO.import_file``. The last line is one ``key=value`` line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from cockpit.auth import login
from cockpit.register_io.service import RegisterIO
from cockpit.sessions import SessionKeys
from cockpit.users import create_first_admin
from connectors.database import open_database
from models.schema import Area, Site

PW = "a bench password!"


def _book(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


T = TypeVar("T")


def _timed(act: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    out = act()
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    n = parser.parse_args().items
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'bench.db'}")
        create_first_admin(db, "boss", PW)
        with db.session() as s:
            s.add(Site(id="S1", name="一号厂区"))
            s.flush()
            s.add_all(Area(site_id="S1", id=f"A{a}", name=f"装置{a}") for a in range(10))
        keys = SessionKeys()
        acting = login(db, keys, "boss", PW)
        io = RegisterIO(db, keys)
        detectors = _book(
            folder / "detectors.xlsx",
            ["Detector ID", "Site code", "Area code", "X (m)", "Y (m)"],
            [[f"GD-{i}", "S1", f"A{i % 10}", i % 200, i % 100] for i in range(n)],
        )
        equipment = _book(
            folder / "equipment.xlsx",
            [
                "Equipment code",
                "Site code",
                "Area code",
                "Equipment name",
                "Tag code",
                "Checklist (separated by ;)",
                "X (m)",
                "Y (m)",
            ],
            [
                [
                    f"P-{i}",
                    "S1",
                    f"A{i % 10}",
                    f"泵{i}",
                    f"TAG-{i}",
                    "有无泄漏；压力 (MPa)；温度 (°C)",
                    i % 200,
                    i % 100,
                ]
                for i in range(n)
            ],
        )
        routes = _book(
            folder / "routes.xlsx",
            ["Route code", "Site code", "Area code", "Route name", "Points (equipment codes, in order)"],
            [
                [
                    f"R-{r}",
                    "S1",
                    f"A{r % 10}",
                    f"路线{r}",
                    ", ".join(f"P-{p}" for p in range(r * 20, r * 20 + 20)),
                ]
                for r in range(n // 20)
            ],
        )
        base, _ = _timed(lambda: io.import_file(acting, "detectors", detectors))
        items, report = _timed(lambda: io.import_file(acting, "equipment", equipment))
        assert report.inserted == n
        route_s, _ = _timed(lambda: io.import_file(acting, "routes", routes))
        update_s, again = _timed(lambda: io.import_file(acting, "equipment", equipment))  # all updates
        assert again.updated == n
        db.dispose()
    print(f"detectors (bulk upsert) {n}: {base:.2f} s; equipment: {items:.2f} s")
    print(f"routes {n // 20}: {route_s:.2f} s; equipment again (updates): {update_s:.2f} s")
    print(
        f"items={n} baseline_s={base:.2f} equipment_s={items:.2f} ratio={items / base:.1f} "
        f"routes_s={route_s:.2f} update_s={update_s:.2f}"
    )


if __name__ == "__main__":
    main()
