#!/usr/bin/env python3
"""Write the Mosquitto ACL file for a plant's cockpit: one block per account, nothing granted by default.

Standalone (Python 3.8+, standard library only), so it runs on the broker's machine without the cockpit:

    python3 make_acl.py --root plant \\
        --console cockpit-ccr-1 --console cockpit-ccr-2 --console cockpit-server \\
        --gateway gw-chem1=CHEM1 --gateway gw-tank7=CHEM1/TANK7 \\
        --permit-app permit-app > /etc/mosquitto/acl

    (add --sparkplug-edge spb-gw1=Plant1/GW-1 for a Sparkplug B edge node, or --sparkplug for consoles that
    read Sparkplug B edge nodes on accounts written elsewhere)

Who may do what (field contract shared/contract/mqtt.md, docs/mqtt-cockpit-topics.md):
- a console (`cockpit-*`, and every `serve`) reads the field topics and the other consoles' commands and
  work states; it alone writes stop/resume commands, work states, permit states and permit replies, and
  it alone reads and writes `{root}/_cockpit/#`; it reads the broker's count of dropped messages;
- a gateway writes the field topics and acknowledgements of its own site (or of one area of it) and
  reads the commands, work states and permit states meant for it; it can write no command, no work
  state, no permit state and nothing under `_cockpit/`;
- the permit app writes permit events and applications (of one site, if given) and reads replies and states;
- with Sparkplug B (docs/mqtt-cockpit-topics.md, "Sparkplug B 3.0"): a console reads `spBv1.0/#` and writes
  host STATE, NCMD and DCMD; a Sparkplug edge node (`--sparkplug-edge USER=GROUP[/NODE]`) writes its own
  group's (and node's) NBIRTH, NDATA, NDEATH, DBIRTH, DDATA, DDEATH and reads its NCMD, DCMD and the
  hosts' STATE.
Mosquitto drops a publish the ACL does not allow without telling the publisher (MQTT 3.1.1); MQTT 5
clients get PUBACK reason 0x87 "not authorized". An anonymous client gets nothing: the file has no
topic line before the first `user` line.
"""

from __future__ import annotations

import argparse
import re
import sys

IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # the contract's identifier pattern
# A user name is a word of the ACL file: no spaces; Mosquitto takes the rest of the line.
ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$")
# Mosquitto's count of messages it dropped for full queues (mosquitto(8), $SYS): consoles show it.
SYS_DROPPED = "$SYS/broker/publish/messages/dropped"


def _account(name: str) -> str:
    if not ACCOUNT.match(name):
        raise ValueError(f"account name {name!r}: letters, digits and _ . @ - only, at most 128")
    return name


def _scope(text: str, what: str) -> tuple[str, str]:
    """``NAME=SITE`` or ``NAME=SITE/AREA`` -> (name, topic levels for site and area)."""
    name, sep, where = text.partition("=")
    if not sep:
        raise ValueError(f"{what} {text!r}: write it as NAME=SITE or NAME=SITE/AREA")
    parts = where.split("/")
    if len(parts) > 2 or not all(IDENT.match(p) for p in parts):
        raise ValueError(f"{what} {text!r}: SITE and AREA must be contract identifiers ({IDENT.pattern})")
    return _account(name), "/".join(parts) if len(parts) == 2 else f"{parts[0]}/+"


def console_block(root: str, user: str) -> list[str]:
    field = f"{root}/+/+"
    return [
        f"user {_account(user)}",
        f"topic read {field}/sensor/+",
        f"topic read {field}/device/+/status",
        f"topic read {field}/worker/+/event",
        f"topic read {field}/permit/+/event",
        f"topic read {field}/permit/+/request",
        f"topic read {field}/cmd/ack",
        f"topic readwrite {field}/cmd/stop-work",
        f"topic readwrite {field}/cmd/resume-work",
        f"topic readwrite {field}/work-state",
        f"topic readwrite {field}/permit/+/state",
        f"topic write {field}/permit/+/reply",
        f"topic read {field}/gate/+/request",
        f"topic read {field}/inspection/+/scan",  # inspection rounds (issue 23)
        f"topic read {field}/inspection/+/result",
        f"topic write {field}/gate/+/reply",
        f"topic readwrite {root}/_cockpit/#",
        f"topic read {SYS_DROPPED}",
    ]


# What a console does as a Sparkplug B host application (cockpit/sparkplug_link.py).
SPARKPLUG_CONSOLE = [
    "topic read spBv1.0/#",
    "topic write spBv1.0/STATE/+",
    "topic write spBv1.0/+/NCMD/+",
    "topic write spBv1.0/+/DCMD/+/+",
]


def sparkplug_edge_block(spec: str) -> list[str]:
    """``USER=GROUP`` or ``USER=GROUP/NODE``: one Sparkplug B edge node (or a group's), its devices."""
    user, sep, where = spec.partition("=")
    parts = where.split("/")
    if not sep or len(parts) > 2 or not all(IDENT.match(p) for p in parts):
        raise ValueError(f"sparkplug edge {spec!r}: write it as USER=GROUP or USER=GROUP/NODE (identifiers)")
    group, node = parts[0], parts[1] if len(parts) == 2 else "+"
    here = f"spBv1.0/{group}"
    return [
        f"user {_account(user)}",
        *(f"topic write {here}/{kind}/{node}" for kind in ("NBIRTH", "NDATA", "NDEATH")),
        *(f"topic write {here}/{kind}/{node}/+" for kind in ("DBIRTH", "DDATA", "DDEATH")),
        f"topic read {here}/NCMD/{node}",
        f"topic read {here}/DCMD/{node}/+",
        "topic read spBv1.0/STATE/+",
    ]


def gateway_block(root: str, spec: str) -> list[str]:
    user, where = _scope(spec, "gateway")
    here = f"{root}/{where}"
    return [
        f"user {user}",
        f"topic write {here}/sensor/+",
        f"topic readwrite {here}/device/+/status",
        f"topic write {here}/worker/+/event",
        f"topic write {here}/cmd/ack",
        f"topic read {here}/cmd/stop-work",
        f"topic read {here}/cmd/resume-work",
        f"topic read {here}/work-state",
        f"topic read {here}/permit/+/state",
        f"topic write {here}/gate/+/request",  # the field gate: the gates at its site's (or area's) entrances
        f"topic read {here}/gate/+/reply",
        f"topic write {here}/inspection/+/scan",  # the rounds' field app: tags scanned, checklists
        f"topic write {here}/inspection/+/result",
    ]


def permit_app_block(root: str, spec: str) -> list[str]:
    if "=" in spec:
        user, where = _scope(spec, "permit app")
    else:
        user, where = _account(spec), "+/+"
    here = f"{root}/{where}"
    return [
        f"user {user}",
        f"topic write {here}/permit/+/event",
        f"topic write {here}/permit/+/request",
        f"topic read {here}/permit/+/reply",
        f"topic read {here}/permit/+/state",
    ]


def make_acl(
    root: str,
    consoles: list[str],
    gateways: list[str],
    permit_apps: list[str],
    sparkplug_edges: list[str] | None = None,
    sparkplug: bool = False,
) -> str:
    if not IDENT.match(root):
        raise ValueError(f"topic root {root!r} must be a contract identifier ({IDENT.pattern})")
    users: list[str] = []
    blocks: list[tuple[str, list[str]]] = []
    host = SPARKPLUG_CONSOLE if sparkplug or sparkplug_edges else []
    blocks += [("console", console_block(root, c) + host) for c in consoles]
    blocks += [("field gateway", gateway_block(root, g)) for g in gateways]
    blocks += [("permit app", permit_app_block(root, p)) for p in permit_apps]
    blocks += [("Sparkplug B edge node", sparkplug_edge_block(e)) for e in sparkplug_edges or []]
    lines = [
        "# Mosquitto ACL for the hazwork cockpit, written by installer/mosquitto/make_acl.py;",
        "# regenerate it rather than editing it. No line before the first `user`: anonymous",
        "# clients may do nothing.",
    ]
    for kind, block in blocks:
        user = block[0].split(" ", 1)[1]
        if user in users:
            raise ValueError(f"account {user!r} is given twice")
        users.append(user)
        lines += ["", f"# {kind}", *block]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default="plant", help="the topic root ([mqtt] root), default plant")
    parser.add_argument("--console", action="append", default=[], metavar="USER", help="a console or serve")
    parser.add_argument(
        "--gateway", action="append", default=[], metavar="USER=SITE[/AREA]", help="a field gateway"
    )
    parser.add_argument(
        "--permit-app", action="append", default=[], metavar="USER[=SITE[/AREA]]", help="the permit app"
    )
    parser.add_argument(
        "--sparkplug-edge",
        action="append",
        default=[],
        metavar="USER=GROUP[/NODE]",
        help="a Sparkplug B edge node",
    )
    parser.add_argument("--sparkplug", action="store_true", help="consoles read Sparkplug B edge nodes")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    if not args.console:
        parser.error("at least one --console is needed, or no console can stop work")
    try:
        text = make_acl(
            args.root, args.console, args.gateway, args.permit_app, args.sparkplug_edge, args.sparkplug
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
