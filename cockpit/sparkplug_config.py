"""The ``[sparkplug]`` section: the host application beside the JSON contract, and the mapping of edge
nodes' metrics to areas' gas channels (docs/mqtt-cockpit-topics.md, "Sparkplug B 3.0").

```toml
[sparkplug]
enabled = true
host_id = "cockpit-ccr"            # spBv1.0/STATE/cockpit-ccr
groups = ["Plant1"]                # empty: every group (spBv1.0/#)

[[sparkplug.map]]                  # the first entry that matches a metric wins
group = "Plant1"                   # patterns as in a shell: * and ?
node = "GW-*"
device = "GD-*"                    # "" for the edge node's own metrics
metric = "Gas/H2S"
site = "S1"
area = "A1"
detector = ""                      # "": the Sparkplug device id (or the edge node's)
channel = "H2S"
unit = "ppm"                       # the birth's engUnit, when it has one, must agree
limits = { hi = 5.0, hihi = 10.0 } # optional: this area's detectors, as [alarms.limits]

[[sparkplug.stop]]                 # stop-work beside the JSON command
site = "S1"
area = "A1"
group = "Plant1"
node = "GW-1"
device = "SW-1"
metric = "StopWork"                # DCMD Boolean: true stop, false resume
command_id_metric = "StopWork/CommandId"   # DCMD String: the command's id ("" to leave it out)
ack_metric = "StopWork/Ack"        # DDATA: the id (String) or true (Boolean) once executed
```
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.contract_fields import IDENTIFIER
from models.errors import UserError
from models.records import CANONICAL_UNITS


@dataclass
class SparkplugMap:
    group: str = "*"
    node: str = "*"
    device: str = "*"
    metric: str = ""
    site: str = ""
    area: str = ""
    detector: str = ""
    channel: str = ""
    unit: str = ""
    limits: dict[str, float] = field(default_factory=dict)


@dataclass
class SparkplugStop:
    site: str = ""
    area: str = ""
    group: str = ""
    node: str = ""
    device: str = ""  # "": an NCMD to the edge node itself
    metric: str = "StopWork"
    command_id_metric: str = "StopWork/CommandId"
    ack_metric: str = "StopWork/Ack"


@dataclass
class SparkplugConfig:
    enabled: bool = False
    host_id: str = "cockpit"
    url: str = ""  # empty: the broker of [mqtt]
    groups: list[str] = field(default_factory=list)
    # Sparkplug reports by exception: a value unchanged for hours is still current while its node lives.
    # What ends it is the node's or the device's death; this is only the last resort for a silent one.
    max_age_s: float = 3600.0
    rebirth_wait_s: float = 5.0  # a rebirth not answered is asked again after this long
    map: list[SparkplugMap] = field(default_factory=list)
    stop: list[SparkplugStop] = field(default_factory=list)


def validate_sparkplug(sp: SparkplugConfig, alarm_limits: dict[str, dict[str, float]]) -> None:
    """Refuse what would map a metric nowhere; add each entry's limits to ``[alarms.limits]``."""
    if not sp.enabled:
        return
    if IDENTIFIER.fullmatch(sp.host_id) is None:
        raise UserError(f"sparkplug.host_id = {sp.host_id!r}: use ASCII letters, digits, '_', '.' or '-'")
    for name, value in (
        ("sparkplug.max_age_s", sp.max_age_s),
        ("sparkplug.rebirth_wait_s", sp.rebirth_wait_s),
    ):
        if value <= 0:
            raise UserError(f"{name} = {value}: must be greater than 0")
    for i, entry in enumerate(sp.map):
        where = f"sparkplug.map[{i}]"
        _check_map(where, entry)
        _add_limits(where, entry, alarm_limits)
    for i, stop in enumerate(sp.stop):
        for key in ("site", "area", "group", "node", "metric"):
            if not getattr(stop, key):
                raise UserError(f"sparkplug.stop[{i}].{key} is empty")


def _add_limits(where: str, entry: SparkplugMap, alarm_limits: dict[str, dict[str, float]]) -> None:
    """The entry's limits as an ``[alarms.limits]`` override (checked there against the floor)."""
    if not entry.limits:
        return
    key = "/".join(p for p in (entry.site, entry.area, entry.detector, entry.channel) if p)
    merged = alarm_limits.setdefault(key, {})
    for name, value in entry.limits.items():
        if name in merged and merged[name] != value:
            raise UserError(f"{where}.limits.{name} = {value:g}: alarms.limits.{key} says {merged[name]:g}")
        merged[name] = value


def _check_map(where: str, entry: SparkplugMap) -> None:
    for key in ("metric", "site", "area", "channel"):
        if not getattr(entry, key):
            raise UserError(f"{where}.{key} is empty: every mapping names its metric, site, area and channel")
    for key in ("site", "area", "channel", *(("detector",) if entry.detector else ())):
        if IDENTIFIER.fullmatch(getattr(entry, key)) is None:
            raise UserError(f"{where}.{key} = {getattr(entry, key)!r}: not a topic identifier")
    canonical = CANONICAL_UNITS.get(entry.channel.upper())
    if canonical is not None:
        entry.channel = entry.channel.upper()
        if entry.unit and entry.unit != canonical:
            raise UserError(f"{where}.unit = {entry.unit!r}: {entry.channel} is in {canonical}")
        entry.unit = canonical
    elif not entry.unit:
        raise UserError(f"{where}.unit is empty: {entry.channel} is not a known gas; give its unit")
