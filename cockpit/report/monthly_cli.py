"""`python main.py report monthly --month 2026-11 [--lang zh|en] [--out DIR] [--xlsx] [--fresh]`.

``--fresh`` counts the three months before it again instead of reading their kept figures
(``monthly_cache``): for a plant that imported or corrected an old month.

Writes ``monthly-2026-11-zh_CN.pdf`` (and ``.xlsx``) into DIR (default: the current folder), each whole or
not at all; progress goes to stderr, one line per step; the last line on stdout names the files and the
month's main figures. A bad month, folder or database is one ``UserError`` line (exit 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cockpit.cli import database_url
from cockpit.config import Config
from cockpit.report.layout import Lang, Progress
from models.errors import UserError


def report_names(month: str, lang: str) -> tuple[str, str]:
    stem = f"monthly-{month}-{lang}"
    return f"{stem}.pdf", f"{stem}.xlsx"


def _progress(stage: str) -> Progress:
    started = time.monotonic()

    def tell(done: int, total: int, text: str) -> None:
        print(
            f"{stage}: {done}/{total} {text} ({time.monotonic() - started:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    return tell


def cmd_monthly(args: argparse.Namespace, config: Config) -> int:
    from cockpit.report.monthly_data import collect_monthly, parse_month
    from connectors.database import open_database

    if not getattr(args, "month", None):
        raise UserError("report monthly needs --month YYYY-MM, e.g. --month 2026-11")
    year, month = parse_month(args.month)
    label = f"{year:04d}-{month:02d}"
    chosen = args.lang or config.general.language
    if chosen not in ("zh_CN", "en"):
        raise UserError(f"report language {chosen!r}: use zh (zh_CN) or en")
    lang: Lang = "zh_CN" if chosen == "zh_CN" else "en"
    folder = Path(args.out or ".").expanduser()
    if not folder.is_dir():
        raise UserError(f"--out {args.out}: no such folder; give an existing folder for the report files")
    db = open_database(database_url(config), upgrade=False)
    try:
        report = collect_monthly(
            db,
            label,
            plant=config.plant_title,
            progress=_progress("figures"),
            fresh=bool(getattr(args, "fresh", False)),
        )
    finally:
        db.dispose()
    from cockpit.report.monthly_pdf import render_monthly_pdf

    pdf_name, xlsx_name = report_names(label, lang)
    written = [render_monthly_pdf(report, folder / pdf_name, lang=lang, progress=_progress("pdf"))]
    if args.xlsx:
        from cockpit.report.monthly_xlsx import render_monthly_xlsx

        written.append(render_monthly_xlsx(report, folder / xlsx_name, lang=lang, progress=_progress("xlsx")))
    m = report.month
    print(
        f"monthly report {label} written to {', '.join(str(p) for p in written)}: {m.permits} permits, "
        f"{m.approved} approved, {m.rejected} rejected, {m.sent_back} sent back, {m.stops} stop-works, "
        f"{m.alarms.alarms if m.alarms else 0} alarms"
    )
    return 0
