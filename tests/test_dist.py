"""Deployment: the installable bundle, and the broker set-up the deployment guide prescribes.

The bundle tests build it with PyInstaller, self-test it and start it as an operator would. They are
slow (a build takes minutes), so they run only with ``COCKPIT_TEST_DIST=1``, as a CI step of its own;
``COCKPIT_TEST_DIST_BUNDLE=dist/hazwork-cockpit`` tests an existing bundle instead of building one.
The broker tests at the end are fast and always run: a real Mosquitto loads the settings and the ACL
written in docs/DEPLOYMENT.md, so the guide cannot drift from what the consoles do on the wire.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_selftest import PARTS, lines_by_part

ROOT = Path(__file__).resolve().parent.parent
NAME = "hazwork-cockpit"
GUIDE = ROOT / "docs" / "DEPLOYMENT.md"


def dist_test(func: Any) -> Any:
    """A test of the built bundle: slow, and only on request."""
    for mark in (
        pytest.mark.slow,
        pytest.mark.skipif(os.environ.get("COCKPIT_TEST_DIST") != "1", reason="set COCKPIT_TEST_DIST=1"),
        pytest.mark.timeout(1200),
    ):
        func = mark(func)
    return func


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    given = os.environ.get("COCKPIT_TEST_DIST_BUNDLE")
    if given:
        yield Path(given).resolve()
        return
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: pip install -e '.[dist]'")
    work = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            "installer/cockpit.spec",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1100,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    path = work / "dist" / NAME
    print(f"\nbundle built in {time.monotonic() - started:.0f} s", file=sys.__stdout__)
    yield path
    shutil.rmtree(work, ignore_errors=True)


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """A user with no display and no configuration: the embedded default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COCKPIT_", "QT_", "PYTHON"))}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
    )
    env.update(extra)
    return env


def program(bundle: Path) -> Path:
    exe = bundle / (f"{NAME}-cli.exe" if sys.platform.startswith("win") else NAME)
    assert exe.is_file(), f"no program in {bundle}"
    return exe


@dist_test
def test_bundle_size_and_no_unused_qt_modules(bundle: Path) -> None:
    size = folder_size(bundle)
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    print(f"\nbundle {bundle}: {size / 2**20:.0f} MiB in {files} files", file=sys.__stdout__)
    qt = [p.name for p in (bundle / "_internal" / "PySide6").rglob("*") if p.is_file()]
    for unused in ("WebEngine", "Qt63D", "Qt6Qml", "Qt6Quick", "Qt6Multimedia", "Qt6Charts", "QtQml"):
        assert not [n for n in qt if unused in n], f"{unused} should not be in the bundle"
    assert not (bundle / "_internal" / "PyQt5").exists() and not (bundle / "_internal" / "PyQt6").exists()
    # What the program reads from disk is there, where its modules look for it.
    internal = bundle / "_internal"
    assert (internal / "resources" / "cockpit.qss").is_file()
    assert (internal / "resources" / "icons" / "cockpit.png").is_file()
    assert list((internal / "models" / "migrations" / "versions").glob("0001_*.py"))
    assert (internal / "models" / "migrations" / "env.py").is_file()
    fonts = (
        list((internal / "resources" / "fonts").glob("*.tt[cf]"))
        if (internal / "resources" / "fonts").exists()
        else []
    )
    for font in fonts:  # a shipped font travels with its licence
        assert (font.parent / f"{font.stem}-LICENSE.txt").is_file()


@dist_test
def test_self_test_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [str(program(bundle)), "--self-test"],
        env=user_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    print(f"\n{proc.stdout}(exit {proc.returncode}, {elapsed:.1f} s)", file=sys.__stdout__)
    parts = lines_by_part(proc.stdout)
    assert set(parts) == set(PARTS), proc.stdout + proc.stderr
    assert "(installed bundle)" in proc.stdout
    # A headless machine has no keyring; the compiled translation comes from the lead's build step.
    may_fail = {"keyring", "translations"}
    for part in set(PARTS) - may_fail:
        assert parts[part][0], f"{part}: {parts[part][1]}"
    has_qm = (ROOT / "resources" / "translations" / "cockpit_zh_CN.qm").is_file()
    assert parts["translations"][0] == has_qm, parts["translations"][1]
    assert "amqtt" in parts["embedded broker"][1] and "does NOT start" not in parts["embedded broker"][1]
    if (bundle / "_internal" / "resources" / "fonts").exists():
        assert "shipped with the program" in parts["report font"][1]
    assert (proc.returncode == 0) == all(ok for ok, _ in parts.values())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Secret Service backend is Linux's")
@dist_test
def test_bundle_has_the_linux_keyring_backend(bundle: Path, tmp_path: Path) -> None:
    env = user_env(tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    proc = subprocess.run(
        [str(program(bundle)), "--self-test"], env=env, capture_output=True, text=True, timeout=120
    )
    ok, detail = lines_by_part(proc.stdout)["keyring"]
    # Loaded, and then refused for want of a session bus: the backend and its libraries are in the bundle.
    assert "No module named" not in detail and "ImportError" not in detail, detail
    assert ok or "D" in detail


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="ldd, Linux")
@dist_test
def test_every_bundled_library_finds_its_dependencies(bundle: Path) -> None:
    internal = bundle / "_internal"
    paths = [str(internal), str(internal / "PySide6" / "Qt" / "lib")]
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(paths))
    missing: list[str] = []
    for lib in [program(bundle), *internal.rglob("*.so*")]:
        if not lib.is_file() or lib.is_symlink():
            continue
        out = subprocess.run(["ldd", str(lib)], env=env, capture_output=True, text=True).stdout
        missing += [f"{lib.name}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    assert not missing, "\n".join(missing[:20])


@dist_test
def test_bundled_program_starts_on_its_embedded_default(bundle: Path, tmp_path: Path) -> None:
    """Offscreen, no configuration: the demo database, the embedded broker and the simulator come up."""
    env = user_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [str(bundle / NAME)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        alive = proc.poll() is None
        seen = "".join(lines)
    finally:
        # The whole session (the program and its Mosquitto child), and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        reader.join(5)
    print(f"\nbundled program, 8 s offscreen:\n{seen[-3000:]}", file=sys.__stdout__)
    assert alive, f"the program ended within 8 s (exit {proc.returncode}):\n{seen[-5000:]}"
    assert "Traceback" not in seen, seen[-5000:]
    assert (tmp_path / "data" / NAME / "cockpit.db").is_file(), "the demo database was not created"
    log = (tmp_path / "state" / NAME / "log" / "cockpit.log").read_text(encoding="utf-8")
    assert "embedded" in log and "broker at mqtt://127.0.0.1:" in log, log[-3000:]
    assert "simulator:" in log, log[-3000:]
    # the field link runs in a process of its own, started through the bundle's executable
    field_log = (tmp_path / "state" / NAME / "log" / "field-link.log").read_text(encoding="utf-8")
    assert "field link process running" in field_log, field_log[-3000:]


@dist_test
def test_bundled_program_serves_headless(bundle: Path, tmp_path: Path) -> None:
    """`hazwork-cockpit serve`: the core with no window, as on a server; stops cleanly on Ctrl+C."""
    proc = subprocess.Popen(
        [str(program(bundle)), "serve"],
        env=user_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        # The first health line (every 5 s) counts the messages the simulator sent through the broker.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and not any("health:" in x for x in lines):
            time.sleep(0.2)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGINT)
        code = proc.wait(15)
        reader.join(5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    out = "".join(lines)
    assert alive, out[-5000:]
    health = next(x for x in lines if "health:" in x)
    assert int(health.split("health:")[1].split("messages in")[0]) > 0, health
    assert "stopped cleanly" in out and code == 0, out[-3000:]
    assert "Traceback" not in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux installer")
@dist_test
def test_linux_install_and_uninstall(bundle: Path, tmp_path: Path) -> None:
    """install-linux.sh into a staging root: program, menu entry with icon, PATH link; all gone after."""
    stage = tmp_path / "root"
    env = dict(os.environ, DESTDIR=str(stage))
    script = bundle / "install-linux.sh"
    subprocess.run(["sh", str(script)], env=env, check=True, capture_output=True, timeout=300)
    program_dir = stage / "opt" / NAME
    assert (program_dir / NAME).is_file() and (program_dir / "_internal").is_dir()
    desktop = (stage / "usr/share/applications/hazwork-cockpit.desktop").read_text(encoding="utf-8")
    assert f"Exec=/opt/{NAME}/{NAME}" in desktop and "Icon=hazwork-cockpit" in desktop
    assert (stage / "usr/share/icons/hicolor/256x256/apps/hazwork-cockpit.png").is_file()
    assert os.readlink(stage / "usr/local/bin" / NAME) == f"/opt/{NAME}/{NAME}"
    subprocess.run(
        ["sh", str(program_dir / "install-linux.sh"), "--uninstall"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    left = [p for p in stage.rglob("*") if p.is_file() or p.is_symlink()]
    assert not left, left


# --- the broker set-up of docs/DEPLOYMENT.md, on a real Mosquitto ------------------------------------------


def guide_block(caption: str) -> str:
    """The fenced block that follows ``caption`` in the deployment guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(caption)
    body_start = text.index("\n", text.index("```", start)) + 1
    return text[body_start : text.index("```", body_start)]


class Client:
    """A plain paho client with a user name, that reports what the broker granted."""

    def __init__(self, port: int, user: str, password: str) -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        self.received: list[tuple[str, bytes]] = []
        self.granted: dict[int, bool] = {}
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"acl-test-{user}")
        self.client.username_pw_set(user, password)
        self.client.on_connect = lambda c, u, f, rc, p: None if rc.is_failure else self.connected.set()
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        assert self.connected.wait(5), f"{user} could not connect"

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        with self._lock:
            self.received.append((message.topic, bytes(message.payload)))

    def _on_subscribe(self, client: Any, userdata: Any, mid: int, codes: list[Any], props: Any) -> None:
        self.granted[mid] = not any(code.is_failure for code in codes)

    def subscribe(self, topic: str) -> bool:
        """True when the broker granted the subscription."""
        _rc, mid = self.client.subscribe(topic, 1)
        deadline = time.monotonic() + 5
        while mid not in self.granted and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.granted[mid]

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(5)

    def wait_for(self, topic: str, payload: bytes) -> list[tuple[str, bytes]]:
        deadline = time.monotonic() + 5
        while (topic, payload) not in self.received and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._lock:
            assert (topic, payload) in self.received, f"{topic} never arrived"
            return list(self.received)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def guide_broker(tmp_path: Path) -> Iterator[int]:
    """The broker the guide installs (installer/mosquitto/, as shipped but for ports and paths), on its
    loopback listener, with the ACL make_acl.py writes for the guide's accounts."""
    from connectors.broker import find_mosquitto
    from tests.support.broker import write_password_file
    from tests.support.certs import make_pki
    from tests.support.shipped_broker import ShippedBroker, ShippedPaths, load_make_acl

    if find_mosquitto() is None:
        pytest.skip("Mosquitto is not installed")
    assert "installer/mosquitto/" in GUIDE.read_text(encoding="utf-8")
    pki = make_pki(tmp_path / "pki")
    acl = tmp_path / "acl"
    load_make_acl().main(
        [
            *("--root", "plant", "--console", "cockpit-ccr-1", "--gateway", "gw-chem1=CHEM1"),
            *("--permit-app", "permit-app", "-o", str(acl)),
        ]
    )
    passwd = write_password_file(
        tmp_path / "passwd", {u: f"pw-{u}" for u in ("cockpit-ccr-1", "gw-chem1", "permit-app")}
    )
    data = tmp_path / "data"
    data.mkdir()
    paths = ShippedPaths(data, passwd, acl, pki.ca_file, pki.server_cert, pki.server_key)
    server = ShippedBroker(tmp_path, paths).start()
    try:
        yield server.plain_port
    finally:
        server.stop()


def test_guide_acl_lets_a_console_do_its_work_and_nothing_else(guide_broker: int) -> None:
    from cockpit.wire import Topics

    console = Client(guide_broker, "cockpit-ccr-1", "pw-cockpit-ccr-1")
    gateway = Client(guide_broker, "gw-chem1", "pw-gw-chem1")
    app = Client(guide_broker, "permit-app", "pw-permit-app")
    try:
        for topic, _qos in Topics("plant").field_subscriptions():
            assert console.subscribe(topic), f"the guide's ACL refuses the console's subscription {topic}"
        assert gateway.subscribe("plant/CHEM1/+/cmd/stop-work")
        assert app.subscribe("plant/+/+/permit/+/state") and app.subscribe("plant/+/+/permit/+/reply")

        # Everything the console subscribes to reaches it from whoever may send it.
        senders = [
            (gateway, "plant/CHEM1/U1/sensor/GD-1"),
            (gateway, "plant/CHEM1/U1/device/GD-1/status"),
            (gateway, "plant/CHEM1/U1/worker/W-1/event"),
            (gateway, "plant/CHEM1/U1/cmd/ack"),
            (app, "plant/CHEM1/U1/permit/HW-1/event"),
            (app, "plant/CHEM1/U1/permit/HW-1/request"),
            (console, "plant/CHEM1/U1/cmd/stop-work"),
            (console, "plant/CHEM1/U1/cmd/resume-work"),
            (console, "plant/CHEM1/U1/work-state"),
            (console, "plant/_cockpit/console/ccr-1/health"),
            (console, "plant/_cockpit/alarm-action"),
        ]
        for sender, topic in senders:
            sender.publish(topic, b"{}")
            console.wait_for(topic, b"{}")
        # The console's stop-work reaches the gateway, its permit states and replies the permit app.
        gateway.wait_for("plant/CHEM1/U1/cmd/stop-work", b"{}")
        for topic in ("plant/CHEM1/U1/permit/HW-1/state", "plant/CHEM1/U1/permit/HW-1/reply"):
            console.publish(topic, b"{}")
            app.wait_for(topic, b"{}")

        # A gateway cannot send a stop-work command, nor pose as another site's detector. Messages from
        # one client arrive in order, so a forged one would have come before the reading that follows.
        gateway.publish("plant/CHEM1/U1/cmd/stop-work", b'{"forged": true}')
        gateway.publish("plant/TANKFARM/TK02/sensor/GD-9", b'{"forged": true}')
        gateway.publish("plant/CHEM1/U1/sensor/GD-1", b'{"reading": 1}')
        got = console.wait_for("plant/CHEM1/U1/sensor/GD-1", b'{"reading": 1}')
        assert not [m for m in got if m[1] == b'{"forged": true}'], got

        # A reading forged by a console reaches nobody.
        console.publish("plant/CHEM1/U1/sensor/GD-1", b'{"forged by": "console"}')
        console.publish("plant/_cockpit/alarm-action", b'{"marker": 1}')
        got = console.wait_for("plant/_cockpit/alarm-action", b'{"marker": 1}')
        assert ("plant/CHEM1/U1/sensor/GD-1", b'{"forged by": "console"}') not in got
    finally:
        for client in (console, gateway, app):
            client.close()
