"""`python main.py --self-test`: does every part of this installation load, and if not, what to do.

An IT department installs the cockpit on a console it cannot watch for a shift to find out that the
PDF font or the keyring is missing. This check runs in a few seconds, touches nothing of the user's
(temporary folders only), prints one line per part::

    ok   <part>: <what was found>
    FAIL <part>: <what is missing and how to fix it>

and exits 0 only when every part is there. The checks that do not need Qt run first, so that a Qt
platform plugin that aborts the process (Qt ends the process itself when no plugin can be loaded)
still leaves every other line on the screen.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cockpit.config import Config
from models.errors import UserError

#: How long the MQTT round trip may take before it counts as failed.
MQTT_TIMEOUT_S = 8.0
#: Names of CJK screen fonts worth naming first when several are installed.
PREFERRED_SCREEN_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Hiragino Sans GB",
)
#: Family-name fragments that mark a Chinese-capable font when Qt cannot say so by writing system.
CJK_NAME_HINTS = (
    "cjk",
    "wenquanyi",
    "wqy",
    "yahei",
    "pingfang",
    "simhei",
    "simsun",
    "heiti",
    "han sans",
    "droid sans fallback",
    "hiragino sans gb",
    "ar pl",
)


class CheckFailed(Exception):
    """A part is missing; the message says what and how to fix it."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, as printed."""

    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.part}: {self.detail}"


def _by_platform(linux: str, windows: str, mac: str) -> str:
    if sys.platform.startswith("win"):
        return windows
    if sys.platform == "darwin":
        return mac
    return linux


def _reinstall() -> str:
    if getattr(sys, "frozen", False):
        return "reinstall the cockpit (the installation is incomplete)"
    return "reinstall the Python packages: pip install -e ."


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


# --- checks that need no Qt --------------------------------------------------------------------------


#: Modules the program imports only when a window opens or a command runs: a bundle that misses one
#: of them (or a library they load) would pass every other check and fail in front of the operator.
PROGRAM_MODULES = (
    "views.shell",
    "views.main_window",
    "views.login",
    "cockpit.commands",
    "cockpit.report",
    "pyqtgraph",
    "qasync",
)


def check_program_modules() -> str:
    """Import what the windows and commands need, and run numpy's linear algebra once (OpenBLAS)."""
    for name in PROGRAM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise CheckFailed(f"{name} cannot be imported ({exc}); {_reinstall()}") from None
    import numpy

    product = numpy.ones((8, 8)) @ numpy.ones((8, 8))
    if float(product[0, 0]) != 8.0:
        raise CheckFailed(f"numpy {numpy.__version__} computes wrong results; {_reinstall()}")
    return (
        f"{len(PROGRAM_MODULES)} modules load; numpy {numpy.__version__}, "
        f"pyqtgraph {_version('pyqtgraph')}, qasync {_version('qasync')}"
    )


def check_report_font() -> str:
    from cockpit.fonts import ENV_FONT, find_cjk_font, install_hint

    font = find_cjk_font()
    if font is None:
        raise CheckFailed(
            f"no TrueType Chinese font for the PDF reports; {install_hint()}, "
            f"or set {ENV_FONT}=/path/font.ttf"
        )
    index = f" (face {font.subfont_index})" if font.subfont_index else ""
    source = ""
    if getattr(sys, "frozen", False) and Path(getattr(sys, "_MEIPASS", "")) in font.path.parents:
        source = ", shipped with the program"
    elif os.environ.get(ENV_FONT):
        source = f", from {ENV_FONT}"
    return f"{font.path}{index}{source}"


def check_sqlite(workdir: Path) -> str:
    from cockpit.database_check import migrate_new_sqlite

    try:
        schema = migrate_new_sqlite(workdir)
    except UserError as exc:
        raise CheckFailed(f"{exc}; {_reinstall()} if the migrations are missing") from None
    if not schema.complete:
        raise CheckFailed(
            f"the schema stopped at revision {schema.revision}, not {schema.head}; {_reinstall()}"
        )
    return f"SQLite {schema.sqlite_version}, a new database migrated to schema revision {schema.head}"


def check_postgresql_driver() -> str:
    try:
        import psycopg2
        import psycopg2.extensions
    except ImportError as exc:
        raise CheckFailed(f"psycopg2 cannot be imported ({exc}); {_reinstall()}") from None
    from cockpit.database_check import load_postgresql_dialect

    load_postgresql_dialect()
    libpq = psycopg2.extensions.libpq_version()
    version = psycopg2.__version__.split(" ")[0]
    return f"psycopg2 {version} (libpq {libpq // 10000}.{libpq % 10000})"


def check_mqtt(workdir: Path, root: str) -> str:
    """A QoS 1 message through a broker of our own and back, with the connector the cockpit uses."""
    from connectors.broker import EmbeddedBroker
    from connectors.mqtt import MqttConnector

    broker = EmbeddedBroker(workdir / "broker")
    try:
        broker.start()
    except UserError as exc:
        raise CheckFailed(f"the test broker did not start: {exc}") from None
    received = threading.Event()
    topic = f"{root}/_cockpit/self-test/{os.getpid()}"
    payload = "自检 self-test".encode()

    def on_message(got_topic: str, got: bytes, _arrival: float) -> None:
        if got_topic == topic and got == payload:
            received.set()

    connector = MqttConnector(
        broker.url,
        f"self-test-{os.getpid()}",
        subscriptions=[(topic, 1)],
        on_message=on_message,
        connect_timeout=MQTT_TIMEOUT_S,
    )
    started = time.monotonic()
    deadline = started + MQTT_TIMEOUT_S
    try:
        connector.start()
        while not connector.link_state.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        if not connector.link_state.connected:
            raise CheckFailed(
                f"could not connect to the test broker at {broker.url} within {MQTT_TIMEOUT_S:.0f} s "
                f"({connector.link_state.reason}); check that local firewalls allow 127.0.0.1"
            )
        connector.publish(topic, payload, qos=1)
        if not received.wait(max(0.0, deadline - time.monotonic())):
            raise CheckFailed(
                f"a QoS 1 message sent to {broker.url} did not come back within {MQTT_TIMEOUT_S:.0f} s; "
                f"{_reinstall()}"
            )
        elapsed_ms = (time.monotonic() - started) * 1000
    finally:
        connector.stop(drain_timeout=0.5)
        broker.stop()
    return f"paho-mqtt {_version('paho-mqtt')}, QoS 1 round trip through {broker.kind} in {elapsed_ms:.0f} ms"


def check_reportlab(workdir: Path) -> str:
    """A one-page PDF with Chinese, the font embedded, as the handover report needs."""
    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from cockpit.fonts import find_cjk_font

    font = find_cjk_font()
    if font is None:
        raise CheckFailed(
            f"reportlab {reportlab.Version} loads, but Chinese cannot be printed without a TrueType CJK "
            "font (see the report font line)"
        )
    pdfmetrics.registerFont(TTFont("SelfTestCJK", str(font.path), subfontIndex=font.subfont_index))
    out = workdir / "self-test.pdf"
    pdf = canvas.Canvas(str(out), pagesize=A4)
    pdf.setFont("SelfTestCJK", 14)
    pdf.drawString(72, 760, "交接班报告 自检 — shift handover self-test")
    pdf.showPage()
    pdf.save()
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise CheckFailed(f"reportlab {reportlab.Version} wrote no usable PDF with an embedded font")
    return f"reportlab {reportlab.Version}, a one-page PDF with Chinese ({len(data) // 1024} KiB)"


def check_keyring() -> str:
    from connectors.secrets import keyring_backend

    try:
        backend = keyring_backend()
    except UserError as exc:
        raise CheckFailed(str(exc)) from None
    except Exception as exc:  # a backend that is there but cannot start (no D-Bus session, locked store)
        raise CheckFailed(
            f"the system keyring cannot be used ({type(exc).__name__}: {exc}); "
            + _by_platform(
                "log in to a desktop session with gnome-keyring or KWallet running and unlocked",
                "check that Windows Credential Manager runs for this user",
                "unlock the login keychain",
            )
        ) from None
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def check_embedded_broker(workdir: Path) -> str:
    """Which broker the demo and a single PC would use; the amqtt fallback is started for real."""
    from connectors.broker import EmbeddedBroker, find_mosquitto

    mosquitto = find_mosquitto()
    fallback = ""
    try:
        with EmbeddedBroker(workdir / "amqtt", prefer="amqtt") as broker:
            fallback = f"amqtt {_version('amqtt')} starts on {broker.url}"
    except (UserError, ImportError) as exc:
        if mosquitto is None:
            raise CheckFailed(
                f"no Mosquitto found and the built-in amqtt broker does not start ({exc}); "
                + _by_platform(
                    "install Mosquitto (apt install mosquitto) or " + _reinstall(),
                    "install Mosquitto for Windows (mosquitto.exe on the PATH) or " + _reinstall(),
                    "install Mosquitto (brew install mosquitto) or " + _reinstall(),
                )
            ) from None
        fallback = f"amqtt fallback does NOT start ({exc})"
    if mosquitto is not None:
        return f"Mosquitto {mosquitto} (persistent sessions); {fallback}"
    return f"{fallback} (sessions in memory only; install Mosquitto to keep them across restarts)"


# --- checks on Qt ------------------------------------------------------------------------------------


def choose_platform(environ: dict[str, str] | Any = os.environ, platform: str = sys.platform) -> str | None:
    """Select the offscreen platform when this Linux session has no display; returns a note saying so."""
    if environ.get("QT_QPA_PLATFORM"):
        return None
    if platform.startswith("linux") and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        environ["QT_QPA_PLATFORM"] = "offscreen"
        return "no display found, so QT_QPA_PLATFORM=offscreen was set"
    return None


def _platform_plugin_files() -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    dirs = [Path(p) for p in QCoreApplication.libraryPaths()]
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    dirs += [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    found: list[Path] = []
    for folder in dirs:
        platforms = folder / "platforms"
        if platforms.is_dir():
            found += [p for p in platforms.iterdir() if p.is_file()]
    return found


def check_qt_platform(note: str | None) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        wanted = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
        default = _by_platform("xcb", "windows", "cocoa")
        name = wanted or default
        plugins = _platform_plugin_files()
        if not any(name in p.stem.lower() for p in plugins):
            have = ", ".join(sorted({p.stem for p in plugins})) or "none"
            raise CheckFailed(
                f"the Qt platform plugin {name!r} is not installed (found: {have}); {_reinstall()}"
            )
        # Qt ends the process itself when the plugin cannot load: say what was being tried first.
        print(f"...  Qt platform: starting Qt on {name!r}", file=sys.stderr, flush=True)
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    screens = app.screens()
    sizes = ", ".join(f"{s.geometry().width()}x{s.geometry().height()}" for s in screens) or "none"
    extra = f"; {note}" if note else ""
    return (
        f"{app.platformName()} (Qt {qVersion()}, PySide6 {pyside_version}), "
        f"{len(screens)} screen(s): {sizes}{extra}"
    )


def check_screen_font() -> str:
    from PySide6.QtGui import QFontDatabase

    chinese = list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    if not chinese:
        chinese = [f for f in QFontDatabase.families() if any(h in f.lower() for h in CJK_NAME_HINTS)]
    if not chinese:
        raise CheckFailed(
            "no Chinese font for the screen; "
            + _by_platform(
                "install fonts-noto-cjk (Debian/Ubuntu: apt install fonts-noto-cjk; "
                "Fedora: google-noto-sans-cjk-fonts)",
                "add the Chinese supplemental fonts (Settings > Apps > Optional features)",
                "PingFang SC ships with macOS; reinstall the system fonts",
            )
        )
    preferred = [f for f in PREFERRED_SCREEN_FONTS if f in chinese]
    first = preferred[0] if preferred else chinese[0]
    return f"{first} ({len(chinese)} Chinese font families)"


def check_translations() -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from views.i18n import TRANSLATIONS

    qm = TRANSLATIONS / "cockpit_zh_CN.qm"
    if not qm.is_file():
        fix = _reinstall() if getattr(sys, "frozen", False) else "build it with `make translations`"
        raise CheckFailed(f"the Chinese translation {qm} is missing; {fix}")
    translator = QTranslator()
    if not translator.load(str(qm)) or translator.isEmpty():
        raise CheckFailed(f"the Chinese translation {qm} cannot be loaded (damaged?); {_reinstall()}")
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qt_own = "with" if (qt_dir / "qtbase_zh_CN.qm").is_file() else "without"
    return f"{qm.name} ({translator.language() or 'zh_CN'}), {qt_own} Qt's own zh_CN dialog texts"


def check_resources() -> str:
    from widgets.theme import RESOURCES, STYLESHEET

    missing = [str(p) for p in (STYLESHEET, RESOURCES / "icons", RESOURCES / "sounds") if not p.exists()]
    if missing:
        raise CheckFailed(f"missing {', '.join(missing)}; {_reinstall()}")
    if not STYLESHEET.read_text(encoding="utf-8").strip():
        raise CheckFailed(f"the stylesheet {STYLESHEET} is empty; {_reinstall()}")
    icons = sorted(p.name for p in (RESOURCES / "icons").iterdir() if p.suffix in (".svg", ".png", ".ico"))
    return f"{RESOURCES} (stylesheet, {len(icons)} icon file(s))"


# --- running -----------------------------------------------------------------------------------------


def _run(part: str, func: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(part, True, func())
    except CheckFailed as exc:
        return CheckResult(part, False, str(exc))
    except Exception as exc:  # a part that cannot even load: say which and how it failed
        return CheckResult(part, False, f"{type(exc).__name__}: {exc}; {_reinstall()}")


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """amqtt and paho log every connection; the self-test prints its own lines only."""
    names = ("amqtt", "transitions", "connectors", "cockpit", "alembic")
    saved = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def run_checks(config: Config, out: TextIO | None = None) -> list[CheckResult]:
    """Run every check, printing each line as it completes; returns the results."""
    out = out or sys.stdout
    note = choose_platform()
    results: list[CheckResult] = []

    def emit(result: CheckResult) -> None:
        results.append(result)
        print(result.line(), file=out, flush=True)

    with tempfile.TemporaryDirectory(prefix="cockpit-self-test-") as tmp, _quiet_libraries():
        work = Path(tmp)
        emit(_run("report font", check_report_font))
        emit(_run("SQLite", lambda: check_sqlite(work)))
        emit(_run("PostgreSQL driver", check_postgresql_driver))
        emit(_run("MQTT", lambda: check_mqtt(work, config.mqtt.root or "plant")))
        emit(_run("reportlab", lambda: check_reportlab(work)))
        emit(_run("keyring", check_keyring))
        emit(_run("embedded broker", lambda: check_embedded_broker(work)))
        emit(_run("program modules", check_program_modules))
        qt = _run("Qt platform", lambda: check_qt_platform(note))
        emit(qt)
        if qt.ok:
            emit(_run("screen font", check_screen_font))
            emit(_run("translations", check_translations))
            emit(_run("resources", check_resources))
        else:
            for part in ("screen font", "translations", "resources"):
                emit(CheckResult(part, False, "not checked: Qt did not start (see the Qt platform line)"))
    return results


def run_self_test(args: argparse.Namespace, config: Config) -> int:
    """Print one line per part; 0 when all are there, 1 otherwise."""
    frozen = " (installed bundle)" if getattr(sys, "frozen", False) else ""
    print(f"hazwork-cockpit self-test{frozen}, configuration: {config.source}", flush=True)
    started = time.monotonic()
    results = run_checks(config)
    failed = [r for r in results if not r.ok]
    print(
        f"self-test: {len(results) - len(failed)} ok, {len(failed)} failed "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    return 1 if failed else 0
