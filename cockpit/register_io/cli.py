"""``python main.py register template|import|export REGISTER``: the plant's data from and to files.

``template`` needs no database. ``import`` and ``export`` act as ``--as USER``, whose password comes
from the terminal or, with ``--password-stdin``, from standard input (never an option: command lines
end up in shell histories); the role that counts is the one the database holds. Progress goes to
stderr; an invalid file prints each rejected row, then one ``error:`` line, and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit.auth import LoginRefused, login
from cockpit.cli import database_url
from cockpit.config import Config
from cockpit.register_io.problems import RegisterIoError, error_line, finding_line
from cockpit.register_io.service import ImportReport, RegisterIO, register_of, write_template
from cockpit.sessions import LoginSession, SessionKeys, SessionRefused
from cockpit.user_cli import _open, _Passwords
from models.errors import UserError

SHOWN_FINDINGS = 200


class _Progress:
    def __init__(self) -> None:
        self._last = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        line = f"\r{phase}: {done}/{total} rows" if total else f"\r{phase}: {done} rows"
        if line != self._last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self._last = line

    def end(self) -> None:
        if self._last:
            sys.stderr.write("\n")


def _print_findings(report: ImportReport, lang: str) -> None:
    words = ("未导入", "已标记") if lang == "zh_CN" else ("rejected", "flagged")
    marked = [(words[0], f) for f in report.rejected] + [(words[1], f) for f in report.flagged]
    for mark, finding in marked[:SHOWN_FINDINGS]:
        print(f"{mark}: {finding_line(finding, lang)}", file=sys.stderr)
    if len(marked) > SHOWN_FINDINGS:
        print(f"… and {len(marked) - SHOWN_FINDINGS} more", file=sys.stderr)


def cmd_register(args: argparse.Namespace, config: Config) -> int:
    lang = config.general.language  # --lang, else the configuration's
    try:
        return _run(args, config, lang)
    except RegisterIoError as exc:  # said in the command's language; still one line and exit 2
        raise UserError(error_line(exc, lang)) from None


def _run(args: argparse.Namespace, config: Config, lang: str) -> int:
    if args.action == "template":
        out = Path(args.out or f"{args.register}.xlsx")
        write_template(args.register, out, lang=lang)
        print(f"template for {register_of(args.register).en} written to {out}")
        return 0
    if not args.acting:
        raise UserError(f"register {args.action} needs the user acting: --as USER")
    if args.action == "import" and not args.file:
        raise UserError("register import needs the file: --file FILE.xlsx")
    db = _open(database_url(config))
    try:
        password = _Passwords(args.password_stdin).existing(f"password of {args.acting}: ")
        try:
            keys = SessionKeys()  # this command's own; the service reads the user again on every act
            acting = login(db, keys, args.acting, password)
        except LoginRefused:
            raise UserError("unknown user or wrong password") from None
        service = RegisterIO(db, keys)
        if args.action == "export":
            out = Path(args.out or f"{args.register}.xlsx")
            count = service.export(acting, args.register, out, lang=lang)
            print(f"{count} rows of {register_of(args.register).en} exported to {out}")
            return 0
        return _import(service, acting, args, lang)
    except SessionRefused as exc:  # the user changed between the command's login and its act
        raise UserError(str(exc)) from None
    finally:
        db.dispose()


def _import(service: RegisterIO, acting: LoginSession, args: argparse.Namespace, lang: str) -> int:
    progress = _Progress()
    try:
        report = service.import_file(
            acting, args.register, Path(args.file), valid_only=args.valid_only, progress=progress
        )
    except RegisterIoError as exc:
        progress.end()
        if exc.report is not None:
            _print_findings(exc.report, lang)
        raise
    progress.end()
    _print_findings(report, lang)
    print(
        f"{report.file}: {report.rows} rows, {report.inserted} added, {report.updated} updated, "
        f"{report.rejected_rows} rejected, {len(report.flagged)} flagged (sha256 {report.sha256})"
    )
    return 0
