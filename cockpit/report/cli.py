"""`python main.py report handover --from ISO --to ISO [--site S] [--lang L] [--paper P] --out FILE.pdf`.

Prints one line naming the file and what is in it; user errors (bad times, unwritable file, no CJK font,
no database) are ``UserError`` lines, turned into exit code 2 by ``cockpit.cli.main``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit.cli import database_url, parse_time
from cockpit.config import Config
from models.errors import UserError


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    """Render the (unsigned) handover report of a shift window to ``args.out``."""
    from cockpit.register_live import limits_in_force
    from cockpit.report.data import collect_handover
    from cockpit.report.handover_pdf import render_handover_pdf
    from connectors.database import open_database

    kind = getattr(args, "kind", "handover")
    if kind == "contractors":
        from cockpit.report.contractor_cli import cmd_contractors

        return cmd_contractors(args, config)
    if kind == "monthly":
        from cockpit.report.monthly_cli import cmd_monthly

        return cmd_monthly(args, config)
    if kind != "handover":
        raise UserError(f"unknown report {kind!r}; the reports are 'handover', 'contractors' and 'monthly'")
    if not args.time_from or not args.time_to or not args.out:
        raise UserError("report handover needs --from, --to and --out FILE.pdf")
    start = parse_time(args.time_from, "--from")
    end = parse_time(args.time_to, "--to")
    if end <= start:
        raise UserError(
            f"--to {args.time_to} is not after --from {args.time_from}; give the shift's end after its start"
        )
    lang = args.lang or config.general.language
    paper = getattr(args, "paper", None) or "A4"
    if lang not in ("zh_CN", "en") or paper not in ("A4", "Letter"):
        raise UserError(f"report language {lang!r} / paper {paper!r}: use zh_CN or en, and A4 or Letter")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise UserError(f"--out {args.out}: give a file name ending in .pdf")
    db = open_database(database_url(config), upgrade=False)
    try:
        with db.session() as session:
            site = args.site
            if site:
                from models.schema import Site

                if session.get(Site, site) is None:
                    raise UserError(
                        f"--site {site}: no such site in the database; leave --site out for all sites"
                    )
            data = collect_handover(
                session,
                start=start,
                end=end,
                site=site,
                plant=config.plant_title,
                limits=limits_in_force(session, config.alarms.profile, config.alarms.limits),
            )
    finally:
        db.dispose()
    render_handover_pdf(data, out, lang=lang, paper=paper)  # type: ignore[arg-type]  # checked above
    print(
        f"handover report written to {out}: {counted(len(data.permits), 'permit')} live at handover, "
        f"{counted(data.alarms.total, 'alarm')}, {counted(len(data.commands), 'command')}; "
        f"audit head {data.audit_head}",
        file=sys.stdout,
    )
    return 0


def counted(n: int, noun: str) -> str:
    """``1 command``, ``2 commands``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
