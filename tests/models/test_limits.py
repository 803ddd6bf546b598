"""Limit profiles and overrides: the figures an operator's alarms are judged against."""

from __future__ import annotations

import pytest

from models.errors import UserError
from models.limits import PROFILES, LimitResolver
from models.records import SAFETY_CHANNELS, ChannelKey


def key(ch: str, site: str = "S1", area: str = "A1", device: str = "D1") -> ChannelKey:
    return ChannelKey(site, area, device, ch)


# (ch, unit, lolo, lo, hi, hihi) straight from the brief's table.
CN_TABLE = [
    ("LEL", "%LEL", None, None, 10, 25),
    ("CH4", "%VOL", None, None, 0.5, 1.25),
    ("H2S", "ppm", None, None, 7, 14),
    ("CO", "ppm", None, None, 17, 34),
    ("O2", "%VOL", 18.0, 19.5, 23.5, None),
    ("SO2", "ppm", None, None, 2, 4),
    ("NH3", "ppm", None, None, 25, 50),
    ("CL2", "ppm", None, None, 0.5, 1),
]


@pytest.mark.parametrize("row", CN_TABLE, ids=[r[0] for r in CN_TABLE])
def test_cn_profile_matches_the_brief(
    row: tuple[str, str, float | None, float | None, float, float | None],
) -> None:
    ch, unit, lolo, lo, hi, hihi = row
    lim = LimitResolver().limits_for(key(ch))
    assert lim is not None
    assert (lim.unit, lim.lolo, lim.lo, lim.hi, lim.hihi) == (unit, lolo, lo, hi, hihi)


def test_us_profile_figures_and_the_rest_as_cn() -> None:
    us = LimitResolver("us")
    got = {
        ch: (lim.lolo, lim.lo, lim.hi, lim.hihi) for ch in SAFETY_CHANNELS if (lim := us.limits_for(key(ch)))
    }
    assert got["LEL"] == (None, None, 10, 20)
    assert got["H2S"] == (None, None, 10, 20)
    assert got["CO"] == (None, None, 35, 70)
    assert got["O2"] == (None, 19.5, 23.5, None)
    for ch in ("CH4", "SO2", "NH3", "CL2"):
        cn = PROFILES["cn"][ch]
        assert got[ch] == (cn.lolo, cn.lo, cn.hi, cn.hihi)


def test_every_safety_channel_has_limits_and_sane_anti_chatter() -> None:
    for profile in PROFILES:
        resolver = LimitResolver(profile)
        for ch in SAFETY_CHANNELS:
            lim = resolver.limits_for(key(ch))
            assert lim is not None, (profile, ch)
            ref = lim.hi if lim.hi is not None else lim.lo
            assert ref is not None
            assert 0 < lim.deadband <= 0.05 * ref, (profile, ch)
            # HIHI/LOLO never wait longer than HI/LO: a dangerous reading is not held back.
            assert lim.critical_on_delay_s == 0.0
            assert lim.on_delay_s == 2.0 and lim.off_delay_s == 5.0


def test_unknown_profile_is_a_user_error() -> None:
    with pytest.raises(UserError, match=r"'eu'.*cn, us"):
        LimitResolver("eu")


def test_channel_without_limits_gives_none() -> None:
    resolver = LimitResolver()
    assert resolver.limits_for(key("TEMP")) is None
    assert resolver.limits_for(key("XYZ")) is None


def test_most_specific_override_wins_field_by_field() -> None:
    resolver = LimitResolver(
        "cn",
        {
            "LEL": {"hi": 9},
            "S1/LEL": {"hi": 8, "hihi": 22},
            "S1/A1/LEL": {"hi": 7},
            "S1/A1/D9/LEL": {"hi": 5, "deadband": 0.2},
        },
    )

    def figures(k: ChannelKey) -> tuple[float | None, float | None, float]:
        lim = resolver.limits_for(k)
        assert lim is not None
        return (lim.hi, lim.hihi, lim.deadband)

    assert figures(key("LEL", site="S2")) == (9, 25, 0.5)  # plant-wide only
    assert figures(key("LEL", area="A2")) == (8, 22, 0.5)  # site
    assert figures(key("LEL")) == (7, 22, 0.5)  # area, HIHI from the site
    assert figures(key("LEL", device="D9")) == (5, 22, 0.2)  # device
    assert figures(key("H2S")) == (7, 14, 0.3)  # other channels untouched


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ({"S1/A1/LEL": {"hi": 12}}, "S1/A1/LEL.hi = 12 is looser"),
        ({"H2S": {"hihi": 15}}, "H2S.hihi = 15 is looser"),
        ({"S1/O2": {"lo": 19.0}}, "S1/O2.lo = 19 is looser"),
        ({"O2": {"lolo": 17.5}}, "O2.lolo = 17.5 is looser"),
        ({"CO": {"on_delay_s": 10}}, "CO.on_delay_s = 10 s delays the alarm longer"),
        ({"LEL": {"critical_on_delay_s": 1}}, "LEL.critical_on_delay_s = 1 s"),
    ],
)
def test_looser_override_is_refused_naming_the_key(
    override: dict[str, dict[str, float]], needle: str
) -> None:
    with pytest.raises(UserError) as err:
        LimitResolver("cn", override)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_stricter_overrides_are_accepted() -> None:
    resolver = LimitResolver(
        "cn",
        {
            "O2": {"lo": 19.8, "lolo": 19.0, "hihi": 23.0, "hi": 22.0},
            "LEL": {"on_delay_s": 0, "off_delay_s": 30},
        },
    )
    o2 = resolver.limits_for(key("O2"))
    assert o2 is not None and (o2.lolo, o2.lo, o2.hi, o2.hihi) == (19.0, 19.8, 22.0, 23.0)
    lel = resolver.limits_for(key("LEL"))
    assert lel is not None and (lel.on_delay_s, lel.off_delay_s) == (0, 30)


def test_override_checked_against_the_chosen_profile() -> None:
    # H2S HI 9 is looser than cn (7) but stricter than us (10): the profile in force is the floor.
    assert LimitResolver("us", {"H2S": {"hi": 9}}).limits_for(key("H2S")).hi == 9  # type: ignore[union-attr]
    with pytest.raises(UserError, match="looser than the cn floor 7"):
        LimitResolver("cn", {"H2S": {"hi": 9}})


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ({"LEL": {"high": 5}}, "unknown field 'high'"),
        ({"LEL": {"hi": "5"}}, "not a finite number"),  # type: ignore[dict-item]
        ({"LEL": {"hi": float("nan")}}, "not a finite number"),
        ({"LEL": {"deadband": -1}}, "must not be negative"),
        ({"LEL": {"hi": 30}, "S1/A1/LEL": {"hi": 5}}, "looser"),
        ({"S1//LEL": {"hi": 5}}, "is not one of ch, site/ch"),
        ({"a/b/c/d/LEL": {"hi": 5}}, "is not one of ch, site/ch"),
        ({"LEL": {"hi": 9, "hihi": 8}}, "hi 9 must lie below hihi 8"),
        ({"O2": {"lo": 23.5}}, "lo 23.5 must lie below hi 23.5"),
        ({"LEL": {"deadband": 10}}, "deadband 10 is too wide"),
    ],
)
def test_malformed_override_is_a_readable_user_error(
    override: dict[str, dict[str, float]], needle: str
) -> None:
    with pytest.raises(UserError, match=needle.replace("(", r"\(")):
        LimitResolver("cn", override)


def test_an_added_limit_is_allowed_and_unknown_channels_may_get_limits() -> None:
    resolver = LimitResolver("us", {"O2": {"lolo": 18.0}, "S1/TEMP": {"hi": 60}})
    o2 = resolver.limits_for(key("O2"))
    assert o2 is not None and o2.lolo == 18.0
    temp = resolver.limits_for(key("TEMP"))
    assert temp is not None and (temp.unit, temp.hi) == ("C", 60)
    assert resolver.limits_for(key("TEMP", site="S2")) is None


def test_lookups_are_cached_per_channel() -> None:
    resolver = LimitResolver()
    first = resolver.limits_for(key("LEL"))
    assert resolver.limits_for(ChannelKey("S1", "A1", "D1", "LEL")) is first
