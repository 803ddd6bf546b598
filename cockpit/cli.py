"""The command line: `python main.py [COMMAND] [--config FILE] [--db URL] [--broker URL] [--lang L]`.

With no command the cockpit window opens (``main.py`` hands that to ``views``).
Every user error ends as one readable line on stderr and exit code 2; nothing a
user can cause ends in a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cockpit.config import Config, as_toml, load_config
from models.errors import UserError

log = logging.getLogger(__name__)

GUI = "gui"


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options accepted before and after the subcommand alike."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--config", metavar="FILE", default=default, help="configuration file (TOML)")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default,
        help="database URL (sqlite:///FILE or postgresql://user@host/db)",
    )
    parser.add_argument("--broker", metavar="URL", default=default, help="MQTT broker (mqtt://host:port)")
    parser.add_argument(
        "--lang", type=_language, choices=("zh_CN", "en"), default=default, help="language (zh_CN or zh, en)"
    )


def _language(text: str) -> str:
    """``zh`` is the short spelling of ``zh_CN`` (``report monthly --lang zh``)."""
    return "zh_CN" if text.strip() in ("zh", "zh_CN", "zh-CN", "cn") else text.strip()


def _user_options(p: argparse.ArgumentParser) -> None:
    from models.records import ApprovalLevel, Role

    actions = ("add", "list", "set-role", "reset-password", "disable", "enable", "bind-worker")
    p.add_argument("action", choices=actions)
    p.add_argument("username", nargs="?", help="the account acted on (every action but list)")
    p.add_argument("--as", dest="acting", required=True, metavar="ADMIN", help="the administrator acting")
    p.add_argument("--password-stdin", action="store_true", help="passwords from standard input, one a line")
    p.add_argument("--name", default="", help="add: the name as shown (e.g. 王值班长)")
    p.add_argument("--role", choices=[r.value.replace("_", "-") for r in Role])
    p.add_argument("--level", choices=[lv.value.replace("_", "-") for lv in ApprovalLevel])
    p.add_argument("--worker", metavar="WORKER-ID", help="add, bind-worker: the worker record ('' unbinds)")


def _register_options(p: argparse.ArgumentParser) -> None:
    from cockpit.register_io import REGISTER_NAMES

    p.add_argument("action", choices=("template", "import", "export"))
    p.add_argument("register", choices=REGISTER_NAMES)
    p.add_argument("--file", metavar="FILE", help="import: the xlsx or CSV file")
    p.add_argument("--out", metavar="FILE.xlsx", help="template, export: the file to write")
    p.add_argument("--as", dest="acting", metavar="USER", help="import, export: the user acting")
    p.add_argument("--password-stdin", action="store_true", help="the password from standard input")
    p.add_argument("--valid-only", action="store_true", help="import: write the valid rows, report the rest")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="High-risk operations cockpit (高危作业驾驶舱). With no command, opens the cockpit.",
    )
    _common_options(parser, top=True)
    parser.add_argument("--self-test", action="store_true", help="check that every part loads, then exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _common_options(p, top=False)
        return p

    p = add("config", "configuration")
    p.add_argument("action", choices=("show",))

    p = add("db", "database maintenance (init: migrate, then create the first administrator)")
    p.add_argument("action", choices=("upgrade", "seed-demo", "check", "init"))
    p.add_argument("--seed", type=int, default=1, help="seed-demo: the same seed gives the same plant")
    p.add_argument("--admin", metavar="NAME", help="init: the first administrator's user name")
    p.add_argument("--display-name", default="", help="init: the administrator's name as shown")
    p.add_argument("--password-stdin", action="store_true", help="init: read the password from stdin")

    p = add("user", "console accounts, acting as an administrator (cockpit/user_cli.py)")
    _user_options(p)

    p = add("register", "the plant's registers as files: template, import (xlsx, CSV), export (xlsx)")
    _register_options(p)

    p = add("audit", "audit trail")
    p.add_argument("action", choices=("verify",))
    p.add_argument(
        "--head",
        metavar="HASH",
        help="the head kept outside the database (handover, broker): a cut tail fails",
    )
    p.add_argument(
        "--head-file",
        metavar="PATH",
        help="the head file the cockpit keeps (default: audit-head.json in the data folder)",
    )
    p.add_argument(
        "--head-broker",
        action="store_true",
        help="the head the cockpit keeps retained on the broker (mqtt.url, or --broker)",
    )

    p = add("secret", "store a password in the system keyring (never in the config file)")
    p.add_argument("action", choices=("set", "delete"))
    p.add_argument("kind", choices=("mqtt", "db", "notify", "badge"))
    p.add_argument("account", help="the user name the password belongs to (notify: the channel's name)")

    p = add("simulate", "publish the plant in the database through the field contract")
    p.add_argument("--rate", type=float, default=1.0, help="load scale (1 = a believable plant)")
    p.add_argument("--seconds", type=float, default=0.0, help="stop after this many seconds (0: run on)")
    p.add_argument("--seed", type=int, default=1)

    p = add("replay", "publish a recording again with its original timing")
    p.add_argument("file")
    p.add_argument("--speed", type=float, default=1.0, help="2 = twice as fast, 0 = as fast as possible")

    p = add("serve", "run the cockpit core with no window (logs to stdout)")
    p.add_argument("--console", metavar="ID", help="console id (default: from config, else host name)")

    p = add(
        "permit", "print a permit in its type's form with the QR of its live state (cockpit/permit_cli.py)"
    )
    p.add_argument("action", choices=("print",))
    p.add_argument("id", metavar="PERMIT-ID")
    p.add_argument("--out", required=True, metavar="FILE.pdf")

    _report_options(add("report", "reports"))
    return parser


def _report_options(p: argparse.ArgumentParser) -> None:
    """``report handover|contractors|monthly``: a period (``--from``/``--to``) or a ``--month``; each kind
    checks what it needs."""
    p.add_argument("kind", choices=("handover", "contractors", "monthly"))
    p.add_argument(
        "--from", dest="time_from", metavar="ISO-TIME|DAY", help="the shift's start, the first day"
    )
    p.add_argument("--to", dest="time_to", metavar="ISO-TIME|DAY", help="the shift's end, the last day")
    p.add_argument("--month", metavar="YYYY-MM", help="monthly: the plant month, e.g. 2026-11")
    p.add_argument("--xlsx", action="store_true", help="monthly: also write the xlsx workbook")
    p.add_argument("--fresh", action="store_true", help="monthly: count the months before it again too")
    p.add_argument("--site")
    p.add_argument("--paper", choices=("A4", "Letter"), default="A4")
    p.add_argument(
        "--out",
        metavar="FILE.pdf|FILE.xlsx|DIR",
        help="handover: required; contractors: .pdf or .xlsx; monthly: the folder (default .)",
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    for name in ("config", "db", "broker", "lang"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def config_from_args(args: argparse.Namespace) -> Config:
    return load_config(args.config, db_url=args.db, broker_url=args.broker, language=args.lang)


def database_url(config: Config) -> str:
    """The configured database, else the local demo database in the user's data folder."""
    if config.database.url:
        return config.database.url
    from cockpit.config import user_data_dir
    from connectors.database import default_sqlite_url

    return default_sqlite_url(user_data_dir())


def parse_time(text: str | None, name: str) -> datetime:
    if not text:
        raise UserError(f"{name} is required: give an ISO time such as 2026-11-23T08:00+08:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"{name} {text!r}: give an ISO time such as 2026-11-23T08:00+08:00") from None
    if value.tzinfo is None:
        raise UserError(f"{name} {text!r}: add the UTC offset, e.g. 2026-11-23T08:00+08:00")
    return value.astimezone(UTC)


# --- commands ---------------------------------------------------------------------------------------


def cmd_config(args: argparse.Namespace, config: Config) -> int:
    sys.stdout.write(as_toml(config))
    return 0


def cmd_db(args: argparse.Namespace, config: Config) -> int:
    from connectors.database import check_database, open_database

    if args.action == "init":
        from cockpit.user_cli import cmd_db_init

        return cmd_db_init(args, config)
    url = database_url(config)
    if args.action == "check":
        for line in check_database(url):
            print(line)
        return 0
    if args.action == "upgrade" and config.database.url:
        _refuse_missing_folder(url)
    db = open_database(url, upgrade=True)
    try:
        if args.action == "upgrade":
            print(f"database {db.url}: at the newest revision")
        else:
            from cockpit.demo_seed import seed_demo

            summary = seed_demo(db, seed=args.seed)
            print(f"database {db.url}: demo plant seeded ({summary})")
    finally:
        db.dispose()
    return 0


def _refuse_missing_folder(url: str) -> None:
    """An upgrade names an existing database: a SQLite path in a folder that does not exist is a typo,
    and creating the folder (and an empty database in it) would hide it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # open_database names what is wrong with the URL
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return
    folder = Path(name).expanduser().parent
    if not folder.is_dir():
        raise UserError(
            f"the folder {folder} of the database file does not exist; nothing to upgrade there: "
            "check the path in --db (or database.url)"
        )


def cmd_audit(args: argparse.Namespace, config: Config) -> int:
    """Verify the chain and, with a head kept outside the database, that no entry was cut off its end."""
    from pathlib import Path

    from cockpit.audit_head import broker_head, head_path, read_head
    from cockpit.config import user_data_dir
    from connectors.database import open_database
    from models.audit import verify_against_head, verify_chain

    head_hash: str | None = getattr(args, "head", None)
    head_seq: int | None = None
    file_arg = getattr(args, "head_file", None)
    if getattr(args, "head_broker", False):
        if head_hash is not None or file_arg:
            raise UserError("give one head: --head, --head-file or --head-broker")
        head_seq, head_hash = broker_head(config)
    db = open_database(database_url(config), upgrade=False)
    try:
        file = Path(file_arg) if file_arg else head_path(user_data_dir())
        kept = read_head(file) if head_hash is None else None
        if file_arg and kept is None:
            raise UserError(f"the audit head file {file} does not exist; give the head with --head HASH")
        if kept is not None and (file_arg or kept.database == db.url):
            head_hash, head_seq = kept.hash, kept.seq
        if head_hash is not None and not _is_hash(head_hash):
            raise UserError(f"--head {head_hash!r} is not a head hash (64 hexadecimal digits)")
        with db.session() as session:
            if head_hash is None:
                report = verify_chain(session)
            else:
                report = verify_against_head(session, head_hash.lower(), head_seq)
    finally:
        db.dispose()
    if report.ok:
        print(f"audit log intact: {report.entries} entries, head {report.head_hash} ({report.reason})")
        return 0
    print(f"audit log BROKEN at entry {report.first_broken_seq}: {report.reason}", file=sys.stderr)
    return 1


def _is_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text)


def cmd_secret(args: argparse.Namespace, config: Config) -> int:
    from connectors.secrets import delete_secret, set_secret

    if args.action == "delete":
        delete_secret(args.kind, args.account)
        print(f"{args.kind} password for {args.account} removed from the keyring")
        return 0
    if sys.stdin.isatty():
        password = getpass.getpass(f"{args.kind} password for {args.account}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise UserError("no password given; type it at the prompt or pipe it on standard input")
    set_secret(args.kind, args.account, password)
    print(f"{args.kind} password for {args.account} stored in the keyring")
    return 0


def display_problem(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why the window cannot open here, or None. Checked before Qt starts: without a display Qt
    prints its plugin list and aborts the process (exit 134, a core dump).

    ``QT_QPA_PLATFORM`` set by hand (offscreen, vnc, eglfs …) is the user's choice and trusted.
    """
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start it in a "
        "desktop session, or run `python main.py serve` for the field link without a window"
    )


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace, Config], int]:
    def run(args: argparse.Namespace, config: Config) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args, config))

    return run


COMMANDS: dict[str, Callable[[argparse.Namespace, Config], int]] = {
    "config": cmd_config,
    "db": cmd_db,
    "audit": cmd_audit,
    "secret": cmd_secret,
    "simulate": _lazy("cockpit.commands", "cmd_simulate"),
    "replay": _lazy("cockpit.commands", "cmd_replay"),
    "serve": _lazy("cockpit.commands", "cmd_serve"),
    "report": _lazy("cockpit.commands", "cmd_report"),
    "permit": _lazy("cockpit.permit_cli", "cmd_permit"),
    "user": _lazy("cockpit.user_cli", "cmd_user"),
    "register": _lazy("cockpit.register_io.cli", "cmd_register"),
}


def run_command(args: argparse.Namespace, config: Config) -> int:
    return COMMANDS[args.command](args, config)


def main(
    argv: Sequence[str] | None,
    gui: Callable[[argparse.Namespace, Config], int],
    self_test: Callable[[argparse.Namespace, Config], int] | None = None,
) -> int:
    """Parse, load the configuration and run; every UserError ends as one line and exit 2.

    ``gui`` and ``self_test`` come from main.py: they need Qt widgets, which the core never imports.
    """
    try:
        args = parse_args(argv)
        config = config_from_args(args)
        if args.self_test and self_test is not None:
            return self_test(args, config)
        if args.command is None:
            return gui(args, config)
        return run_command(args, config)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head -1`): nothing more to say, and no traceback. Further writes,
        # the interpreter's own flush at exit among them, go nowhere; the status a shell gives a
        # command ended by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
