"""`python main.py report contractors --from 2026-09-01 --to 2026-11-30 [--lang L] [--out F.pdf|F.xlsx]`.

The days are the plant's (the time zone most sites share). ``--out`` ending in ``.pdf`` writes the PDF,
in ``.xlsx`` the workbook; without ``--out`` both are written in the current folder as
``contractor-performance_<from>_<to>.pdf`` and ``.xlsx``. A line says each step as it starts (a large
plant's quarter takes seconds) and the last what was written; a bad date, an unwritable folder or a
missing font is one ``UserError`` line (exit 2), nothing half-written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from cockpit.config import Config
from models.errors import UserError


def parse_day(text: str | None, name: str) -> date:
    if not text:
        raise UserError(f"{name} is required: give a day such as 2026-09-01")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{name} {text!r}: give a day such as 2026-09-01") from None


def outputs(out: str | None, first: date, last: date) -> list[Path]:
    if out is None:
        stem = Path(f"contractor-performance_{first}_{last}")
        return [stem.with_suffix(".pdf"), stem.with_suffix(".xlsx")]
    path = Path(out).expanduser()
    if path.suffix.lower() not in (".pdf", ".xlsx"):
        raise UserError(f"--out {out}: give a file name ending in .pdf or .xlsx")
    return [path]


def cmd_contractors(args: argparse.Namespace, config: Config) -> int:
    from cockpit.cli import database_url
    from cockpit.contractor_performance import collect_performance, plant_zone
    from connectors.database import open_database

    first = parse_day(args.time_from, "--from")
    last = parse_day(args.time_to, "--to")
    lang = args.lang or config.general.language
    if lang not in ("zh_CN", "en"):
        raise UserError(f"report language {lang!r}: use zh_CN or en")
    targets = outputs(args.out, first, last)
    print(f"reading the contractors' work, violations and stop-works {first} – {last} …", flush=True)
    db = open_database(database_url(config), upgrade=False)
    try:
        with db.session() as s:
            report = collect_performance(
                s, first, last, zone=plant_zone(s), now=datetime.now(UTC), plant=config.plant_title
            )
    finally:
        db.dispose()
    from cockpit.report.contractor_files import render_performance_pdf, write_performance_xlsx

    for target in targets:
        print(f"writing {target} …", flush=True)
        if target.suffix.lower() == ".pdf":
            render_performance_pdf(report, target, lang=lang)
        else:
            write_performance_xlsx(report, target, lang=lang)
    worst = report.rows[-1] if report.rows else None
    tail = f"; last in rank: {worst.code} ({worst.points} points)" if worst else ""
    print(
        f"contractor performance {first} – {last} written to {', '.join(map(str, targets))}: "
        f"{len(report.rows)} contractors{tail}",
        file=sys.stdout,
    )
    return 0
