"""The ``[sparkplug]`` section: the mapping is checked when the file is read, its limits join
``[alarms.limits]`` (never looser than the floor), and ``config show`` writes it back readable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cockpit.config import as_toml, load_config
from models.errors import UserError
from models.limits import LimitResolver
from models.records import ChannelKey

GOOD = """
[sparkplug]
enabled = true
host_id = "ccr-1"
groups = ["Plant1"]

[[sparkplug.map]]
group = "Plant1"
node = "GW-*"
device = "GD-*"
metric = "Gas/H2S"
site = "S1"
area = "A1"
channel = "h2s"
limits = { hi = 5.0, hihi = 10.0 }

[[sparkplug.stop]]
site = "S1"
area = "A1"
group = "Plant1"
node = "GW-1"
device = "SW-1"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_mapping_is_read_normalised_and_its_limits_apply_to_the_area(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    entry = config.sparkplug.map[0]
    assert (entry.channel, entry.unit) == ("H2S", "ppm")  # a known gas in its canonical unit
    assert config.sparkplug.stop[0].metric == "StopWork"
    resolver = LimitResolver(config.alarms.profile, config.alarms.limits)
    limits = resolver.limits_for(ChannelKey("S1", "A1", "GD-7", "H2S"))
    assert limits is not None and (limits.hi, limits.hihi) == (5.0, 10.0)
    shown = tomllib.loads(as_toml(config).split("\n", 1)[1])
    assert shown["sparkplug"]["map"][0]["metric"] == "Gas/H2S"
    assert shown["sparkplug"]["stop"][0]["ack_metric"] == "StopWork/Ack"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('channel = "h2s"', 'channel = "h2s"\nunit = "mg/m3"'), "H2S is in ppm"),
        (('metric = "Gas/H2S"', 'metric = ""'), "metric is empty"),
        (('channel = "h2s"', 'channel = "VOC"'), "give its unit"),
        (('host_id = "ccr-1"', 'host_id = "ccr/1"'), "sparkplug.host_id"),
        (('node = "GW-1"\n', ""), "sparkplug.stop[0].node is empty"),
    ],
)
def test_a_mapping_that_cannot_work_is_one_clear_error(
    tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(UserError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_config(write(tmp_path, text))


def test_limits_looser_than_the_floor_are_refused(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD.replace("hihi = 10.0", "hihi = 40.0")))
    with pytest.raises(UserError, match="looser"):
        LimitResolver(config.alarms.profile, config.alarms.limits)
