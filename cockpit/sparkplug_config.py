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

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

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
        check_map_entry(where, entry)
        add_map_limits(where, entry, alarm_limits)
    for i, stop in enumerate(sp.stop):
        check_stop_entry(f"sparkplug.stop[{i}]", stop)


class MapProblem(StrEnum):
    EMPTY = "empty"
    STOP_EMPTY = "stop_empty"
    NOT_IDENTIFIER = "not_identifier"
    WRONG_UNIT = "wrong_unit"
    NO_UNIT = "no_unit"
    LIMITS_DISAGREE = "limits_disagree"
    LIMITS_REFUSED = "limits_refused"  # the register's: the alarm limits' own check said no
    TOO_LONG = "too_long"  # the register's: a pattern or a field longer than its column


_MAP_MESSAGES: dict[MapProblem, str] = {
    MapProblem.EMPTY: "{where}.{key} is empty: every mapping names its metric, site, area and channel",
    MapProblem.STOP_EMPTY: "{where}.{key} is empty",
    MapProblem.NOT_IDENTIFIER: "{where}.{key} = {value!r}: not a topic identifier",
    MapProblem.WRONG_UNIT: "{where}.unit = {unit!r}: {channel} is in {canonical}",
    MapProblem.NO_UNIT: "{where}.unit is empty: {channel} is not a known gas; give its unit",
    MapProblem.LIMITS_DISAGREE: "{where}.limits.{name} = {value:g}: alarms.limits.{key} says {other:g}",
    MapProblem.LIMITS_REFUSED: "{where}.limits: {reason}",
    MapProblem.TOO_LONG: "{where}.{key} is longer than {max} characters",
}


class SparkplugMapError(UserError):
    """A mapping entry refused: the same sentence for the file and the register, with its code and
    parameters for the screens (``where`` names the entry: ``sparkplug.map[0]`` or the register's)."""

    def __init__(self, code: MapProblem, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MAP_MESSAGES[code].format(**params))


def add_map_limits(where: str, entry: SparkplugMap, alarm_limits: dict[str, dict[str, float]]) -> None:
    """The entry's limits as an ``[alarms.limits]`` override (checked there against the floor)."""
    if not entry.limits:
        return
    key = "/".join(p for p in (entry.site, entry.area, entry.detector, entry.channel) if p)
    merged = alarm_limits.setdefault(key, {})
    for name, value in entry.limits.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise SparkplugMapError(
                MapProblem.LIMITS_REFUSED, where=where, reason=f"{name}: {value!r} is not a number"
            )
        if name in merged and merged[name] != value:
            raise SparkplugMapError(
                MapProblem.LIMITS_DISAGREE, where=where, name=name, value=value, key=key, other=merged[name]
            )
        merged[name] = value


def check_map_entry(where: str, entry: SparkplugMap) -> None:
    """One ``[[sparkplug.map]]`` entry, from the file or the register: refused, or its channel and unit
    made canonical (a known gas's channel upper case, in its wire unit)."""
    for key in ("metric", "site", "area", "channel"):
        if not getattr(entry, key):
            raise SparkplugMapError(MapProblem.EMPTY, where=where, key=key)
    for key in ("site", "area", "channel", *(("detector",) if entry.detector else ())):
        if IDENTIFIER.fullmatch(getattr(entry, key)) is None:
            raise SparkplugMapError(
                MapProblem.NOT_IDENTIFIER, where=where, key=key, value=getattr(entry, key)
            )
    canonical = CANONICAL_UNITS.get(entry.channel.upper())
    if canonical is not None:
        entry.channel = entry.channel.upper()
        if entry.unit and entry.unit != canonical:
            raise SparkplugMapError(
                MapProblem.WRONG_UNIT,
                where=where,
                unit=entry.unit,
                channel=entry.channel,
                canonical=canonical,
            )
        entry.unit = canonical
    elif not entry.unit:
        raise SparkplugMapError(MapProblem.NO_UNIT, where=where, channel=entry.channel)


def check_stop_entry(where: str, stop: SparkplugStop) -> None:
    """One ``[[sparkplug.stop]]`` target, from the file or the register."""
    for key in ("site", "area", "group", "node", "metric"):
        if not getattr(stop, key):
            raise SparkplugMapError(MapProblem.STOP_EMPTY, where=where, key=key)
