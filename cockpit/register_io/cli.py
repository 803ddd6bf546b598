"""``python main.py register template|import|export REGISTER``: the plant's data from and to files.

``template`` needs no database. ``import`` and ``export`` act as ``--as USER``, whose password comes
from the terminal or, with ``--password-stdin``, from standard input (never an option: command lines
end up in shell histories); the role that counts is the one the database holds. Progress goes to
stderr; an invalid file prints each rejected row, then one ``error:`` line, and exits 2. Every line is
in the command's language (``--lang``, else the configuration's): ``LINES`` holds both.
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

# What the command says, by key: (English, Chinese). The Chinese register names are the templates' own.
LINES: dict[str, tuple[str, str]] = {
    "template": ("template for {register} written to {out}", "{register}模板已写入 {out}"),
    "exported": ("{count} rows of {register} exported to {out}", "{register}已导出 {count} 行到 {out}"),
    "imported": (
        "{file}: {rows} rows, {inserted} added, {updated} updated, {rejected} rejected, {flagged} flagged "
        "(sha256 {sha256})",
        "{file}：共 {rows} 行，新增 {inserted} 行，更新 {updated} 行，未导入 {rejected} 行，"
        "标记 {flagged} 行（sha256 {sha256}）",
    ),
    "progress": ("{phase}: {done}/{total} rows", "{phase}：{done}/{total} 行"),
    "progress_open": ("{phase}: {done} rows", "{phase}：{done} 行"),
    "read": ("read", "读取"),
    "write": ("write", "写入"),
    "more": ("… and {count} more", "……另有 {count} 条"),
    "rejected": ("rejected", "未导入"),
    "flagged": ("flagged", "已标记"),
    "needs_as": (
        "register {action} needs the user acting: --as USER",
        "register {action} 需要指明操作用户：--as 用户名",
    ),
    "needs_file": (
        "register import needs the file: --file FILE.xlsx",
        "register import 需要文件：--file 文件.xlsx",
    ),
    "password": ("password of {user}: ", "{user} 的密码："),
    "refused": ("unknown user or wrong password", "用户不存在或密码错误"),
}


def line(key: str, lang: str, **params: object) -> str:
    """``key``'s line in ``lang`` (zh_CN or en) with ``params`` filled in."""
    en, zh = LINES[key]
    return (zh if lang == "zh_CN" else en).format(**params)


def register_name(name: str, lang: str) -> str:
    reg = register_of(name)
    return reg.zh if lang == "zh_CN" else reg.en


class _Progress:
    def __init__(self, lang: str) -> None:
        self._last = ""
        self._lang = lang

    def __call__(self, phase: str, done: int, total: int) -> None:
        lang = self._lang
        word = line(phase, lang) if phase in ("read", "write") else phase
        said = (
            line("progress", lang, phase=word, done=done, total=total)
            if total
            else line("progress_open", lang, phase=word, done=done)
        )
        line_ = f"\r{said}"
        if line_ != self._last:
            sys.stderr.write(line_)
            sys.stderr.flush()
            self._last = line_

    def end(self) -> None:
        if self._last:
            sys.stderr.write("\n")


def _print_findings(report: ImportReport, lang: str) -> None:
    rejected, flagged = line("rejected", lang), line("flagged", lang)
    marked = [(rejected, f) for f in report.rejected] + [(flagged, f) for f in report.flagged]
    for mark, finding in marked[:SHOWN_FINDINGS]:
        print(f"{mark}: {finding_line(finding, lang)}", file=sys.stderr)
    if len(marked) > SHOWN_FINDINGS:
        print(line("more", lang, count=len(marked) - SHOWN_FINDINGS), file=sys.stderr)


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
        print(line("template", lang, register=register_name(args.register, lang), out=out))
        return 0
    if not args.acting:
        raise UserError(line("needs_as", lang, action=args.action))
    if args.action == "import" and not args.file:
        raise UserError(line("needs_file", lang))
    db = _open(database_url(config))
    try:
        password = _Passwords(args.password_stdin).existing(line("password", lang, user=args.acting))
        try:
            keys = SessionKeys()  # this command's own; the service reads the user again on every act
            acting = login(db, keys, args.acting, password)
        except LoginRefused:
            raise UserError(line("refused", lang)) from None
        service = RegisterIO(db, keys)
        if args.action == "export":
            out = Path(args.out or f"{args.register}.xlsx")
            count = service.export(acting, args.register, out, lang=lang)
            print(line("exported", lang, count=count, register=register_name(args.register, lang), out=out))
            return 0
        return _import(service, acting, args, lang)
    except SessionRefused as exc:  # the user changed between the command's login and its act
        raise UserError(str(exc)) from None
    finally:
        db.dispose()


def _import(service: RegisterIO, acting: LoginSession, args: argparse.Namespace, lang: str) -> int:
    progress = _Progress(lang)
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
    counts = {"rows": report.rows, "inserted": report.inserted, "updated": report.updated}
    print(
        line(
            "imported",
            lang,
            file=report.file,
            **counts,
            rejected=report.rejected_rows,
            flagged=len(report.flagged),
            sha256=report.sha256,
        )
    )
    return 0
