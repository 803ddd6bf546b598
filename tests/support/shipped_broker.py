"""The broker configuration the project ships (installer/mosquitto/), run by a test.

Only what must differ on a test machine is changed: the ports, the paths, the log going to the
process's output. Each changed directive must be in the shipped file, so a test fails when the file
loses one, instead of testing a configuration nobody ships.
"""

from __future__ import annotations

import getpass
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from connectors.broker import LOOPBACK, MosquittoServer, free_port, port_open
from tests.support.broker import MOSQUITTO, wait_until

SHIPPED = Path(__file__).resolve().parents[2] / "installer" / "mosquitto"
SHIPPED_CONF = SHIPPED / "mosquitto.conf"
PLAIN_PORT, TLS_PORT = "1883", "8883"


def load_make_acl() -> ModuleType:
    """installer/mosquitto/make_acl.py, a standalone script, as a module."""
    spec = importlib.util.spec_from_file_location("make_acl", SHIPPED / "make_acl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ShippedPaths:
    data_dir: Path
    password_file: Path
    acl_file: Path
    ca_file: Path
    cert_file: Path
    key_file: Path


def adapt(text: str, paths: ShippedPaths, *, plain_port: int, tls_port: int, certificates: bool) -> str:
    """The shipped text with this machine's ports and paths; ``certificates`` turns on the commented
    client-certificate lines (require_certificate, use_identity_as_username)."""
    values = {
        "persistence_location": f"{paths.data_dir.as_posix()}/",
        "password_file": paths.password_file.as_posix(),
        "acl_file": paths.acl_file.as_posix(),
        "cafile": paths.ca_file.as_posix(),
        "certfile": paths.cert_file.as_posix(),
        "keyfile": paths.key_file.as_posix(),
        "log_dest": "stderr",
    }
    listeners = {PLAIN_PORT: f"{plain_port} {LOOPBACK}", TLS_PORT: f"{tls_port} {LOOPBACK}"}
    seen: set[str] = set()
    out: list[str] = []
    for shipped in text.splitlines():
        line = shipped
        if certificates and line.startswith(("# require_certificate", "# use_identity_as_username")):
            line = line[2:]
        key, _, value = line.partition(" ")
        if key in values:
            line = f"{key} {values[key]}"
            seen.add(key)
        elif key == "listener":
            port = value.split(" ")[0]
            line = f"listener {listeners[port]}"
            seen.add(f"listener {port}")
        out.append(line)
    missing = (set(values) | {f"listener {p}" for p in listeners}) - seen
    assert not missing, f"the shipped mosquitto.conf lost {sorted(missing)}"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        out.append(f"user {getpass.getuser()}")  # as root Mosquitto would become "mosquitto"
    return "\n".join(out) + "\n"


class ShippedBroker:
    """installer/mosquitto/mosquitto.conf on two free ports: plain (loopback) and TLS."""

    def __init__(self, directory: Path, paths: ShippedPaths, *, certificates: bool = False) -> None:
        assert MOSQUITTO is not None
        self.plain_port, self.tls_port = free_port(), free_port()
        self.config_file = directory / "mosquitto.conf"
        self.config_file.write_text(
            adapt(
                SHIPPED_CONF.read_text("utf-8"),
                paths,
                plain_port=self.plain_port,
                tls_port=self.tls_port,
                certificates=certificates,
            ),
            "utf-8",
        )
        self.log_file = directory / "mosquitto.log"
        self.server = MosquittoServer(
            MOSQUITTO, self.config_file, self.log_file, host=LOOPBACK, port=self.plain_port
        )

    @property
    def url(self) -> str:
        return f"mqtt://{LOOPBACK}:{self.plain_port}"

    @property
    def tls_url(self) -> str:
        return f"mqtts://{LOOPBACK}:{self.tls_port}"

    def start(self) -> ShippedBroker:
        self.server.start()
        assert wait_until(lambda: port_open(LOOPBACK, self.tls_port)), self.log()
        return self

    def stop(self) -> None:
        self.server.stop()

    def log(self) -> str:
        return self.log_file.read_text("utf-8", "replace") if self.log_file.exists() else ""
