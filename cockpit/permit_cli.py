"""`python main.py permit print ID --out FILE.pdf [--lang zh_CN|en]`: one permit in its type's form.

Like `report handover`, it prints what the database holds without a login (the printout names who
signed, and its QR leads back to the live state, which is what a reader at the site relies on). The QR
needs the plant's badge key in this machine's keyring (`python main.py secret set badge plant`).
Prints one line naming the file; user errors end as one line and exit code 2 (``cockpit.cli.main``).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from cockpit.cli import database_url
from cockpit.config import Config
from models.errors import UserError


def cmd_permit(args: argparse.Namespace, config: Config) -> int:
    from cockpit.report.permit_pdf import render_permit_pdf, type_title
    from cockpit.report.permit_print import collect_permit_print
    from cockpit.safety_codes import keys_from_keyring, require_keys
    from connectors.database import open_database

    lang = args.lang or config.general.language
    if lang not in ("zh_CN", "en"):
        raise UserError(f"permit language {lang!r}: use zh_CN or en")
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise UserError(f"--out {args.out}: give a file name ending in .pdf")
    if not out.parent.is_dir():
        raise UserError(f"--out {args.out}: the folder {out.parent} does not exist")
    codes = require_keys(keys_from_keyring())
    db = open_database(database_url(config), upgrade=False)
    try:
        with db.session() as s:
            data = collect_permit_print(
                s, args.id, code=codes.permit_code(args.id), now=datetime.now(UTC), plant=config.plant_title
            )
    finally:
        db.dispose()
    render_permit_pdf(data, out, lang=lang)
    print(f"permit {data.permit_id} ({type_title(data.type, 'en')}, {data.status}) written to {out}")
    return 0
