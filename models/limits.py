"""Gas alarm limits: the default profiles and the per-site overrides on top of them.

A profile is the floor. GB 30871-2022 lets a site configure stricter limits, never looser
ones, so every override is checked against the profile in force when the resolver is built
and a looser one is refused with a :class:`~models.errors.UserError` naming its key.

Two profiles exist:

* ``"cn"`` (default): the project's GB-based limits (brief, "Default gas alarm limits").
* ``"us"``: common US detector defaults. It is *looser* than ``cn`` on H2S (10/20 ppm
  against 7/14), CO (35/70 ppm against 17/34) and O2 (no LOLO, so low oxygen is never
  priority 1), and stricter on LEL HIHI (20 against 25 %LEL). Choosing it is therefore an
  explicit configuration act for a plant outside the GB regime; it is never picked
  implicitly, and overrides are then checked against the ``us`` figures.

Deadbands and delays (anti-chatter, ISA-18.2):

* the deadband is about 3–5 % of the HI value (O2: 0.2 %VOL, because its normal 20.9 lies
  close to both limits); an alarm returns only once the value has left the limit by it;
* HI and LO wait ``on_delay_s`` = 2 s (two samples at the usual 1 Hz) before alarming, which
  filters a single-sample spike; a return to normal waits ``off_delay_s`` = 5 s;
* HIHI and LOLO wait ``critical_on_delay_s`` = 0 s: a dangerous reading triggers the
  stop-work loop at its first sample. A spike that was noise costs one acknowledgement;
  a real one held back by two seconds costs far more. A site may lengthen none of these
  delays (a longer on-delay is looser); it may shorten them or lengthen the off-delay.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from models.errors import UserError
from models.records import CANONICAL_UNITS, ChannelKey


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """The alarm limits of one channel; ``None`` where the limit does not exist.

    A HI/HIHI alarm starts when the value reaches the limit (``>=``), a LO/LOLO alarm when
    it reaches it from above (``<=``); it returns once the value is ``deadband`` inside.
    """

    ch: str
    unit: str
    lolo: float | None
    lo: float | None
    hi: float | None
    hihi: float | None
    deadband: float
    on_delay_s: float
    off_delay_s: float
    critical_on_delay_s: float = 0.0

    def has_limits(self) -> bool:
        return any(v is not None for v in (self.lolo, self.lo, self.hi, self.hihi))


_GAS_ON = 2.0
_GAS_OFF = 5.0


def _gas(
    ch: str,
    *,
    hi: float | None = None,
    hihi: float | None = None,
    lo: float | None = None,
    lolo: float | None = None,
    deadband: float,
) -> ChannelLimits:
    return ChannelLimits(ch, CANONICAL_UNITS[ch], lolo, lo, hi, hihi, deadband, _GAS_ON, _GAS_OFF, 0.0)


_CN: dict[str, ChannelLimits] = {
    c.ch: c
    for c in (
        _gas("LEL", hi=10, hihi=25, deadband=0.5),
        _gas("CH4", hi=0.5, hihi=1.25, deadband=0.02),
        _gas("H2S", hi=7, hihi=14, deadband=0.3),
        _gas("CO", hi=17, hihi=34, deadband=0.5),
        _gas("O2", lolo=18.0, lo=19.5, hi=23.5, deadband=0.2),
        _gas("SO2", hi=2, hihi=4, deadband=0.1),
        _gas("NH3", hi=25, hihi=50, deadband=1.0),
        _gas("CL2", hi=0.5, hihi=1, deadband=0.02),
    )
}

_US: dict[str, ChannelLimits] = {
    **_CN,
    "LEL": _gas("LEL", hi=10, hihi=20, deadband=0.5),
    "H2S": _gas("H2S", hi=10, hihi=20, deadband=0.4),
    "CO": _gas("CO", hi=35, hihi=70, deadband=1.0),
    "O2": _gas("O2", lo=19.5, hi=23.5, deadband=0.2),
}

PROFILES: dict[str, Mapping[str, ChannelLimits]] = {"cn": _CN, "us": _US}

# Which way each field may move without becoming looser than the floor.
_UPPER = ("hi", "hihi")  # an override may lower these
_LOWER = ("lolo", "lo")  # an override may raise these
_NO_LONGER = ("on_delay_s", "critical_on_delay_s")  # an alarm may never wait longer
_FREE = ("deadband", "off_delay_s")  # any value >= 0
_FIELDS = frozenset(_UPPER + _LOWER + _NO_LONGER + _FREE)
_MISSING = object()


def _parse_key(key: str) -> tuple[str, ...]:
    parts = tuple(key.split("/"))
    if not 1 <= len(parts) <= 4 or any(not p.strip() for p in parts):
        raise UserError(
            f"limit override key {key!r} is not one of ch, site/ch, site/area/ch, site/area/device/ch"
        )
    return parts


class LimitResolver:
    """Finds the limits of a channel: profile, then overrides from least to most specific.

    Override keys are ``ch``, ``site/ch``, ``site/area/ch`` and ``site/area/device/ch``; each
    maps field names (``lolo lo hi hihi deadband on_delay_s off_delay_s critical_on_delay_s``)
    to numbers. Fields merge, so ``{"LEL": {"hi": 8}, "S1/A2/LEL": {"hihi": 20}}`` gives
    area A2 of S1 HI 8 and HIHI 20. Everything is validated here, once, so the per-message
    lookup cannot fail; its result is cached per channel.
    """

    def __init__(self, profile: str = "cn", overrides: Mapping[str, Mapping[str, float]] | None = None):
        if profile not in PROFILES:
            raise UserError(f"unknown alarm limit profile {profile!r}: choose one of {', '.join(PROFILES)}")
        self.profile = profile
        self._floor = PROFILES[profile]
        self._overrides: dict[tuple[str, ...], dict[str, float]] = {}
        for key, values in (overrides or {}).items():
            self._overrides[_parse_key(key)] = self._check_fields(key, values)
        for parts in self._overrides:
            self._check_merged("/".join(parts), self._merge(parts))
        self._cache: dict[ChannelKey, ChannelLimits | None] = {}

    def _check_fields(self, key: str, values: Mapping[str, float]) -> dict[str, float]:
        ch = key.rsplit("/", 1)[-1]
        floor = self._floor.get(ch)
        checked: dict[str, float] = {}
        for name, raw in values.items():
            if name not in _FIELDS:
                raise UserError(
                    f"limit override {key}: unknown field {name!r}; use one of {', '.join(sorted(_FIELDS))}"
                )
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
                raise UserError(f"limit override {key}.{name}: {raw!r} is not a finite number")
            value = float(raw)
            base = getattr(floor, name) if floor is not None else None
            if name in _UPPER and base is not None and value > base:
                raise UserError(
                    f"limit override {key}.{name} = {value:g} is looser than the {self.profile} floor "
                    f"{base:g}: a site may set stricter limits, never looser"
                )
            if name in _LOWER and base is not None and value < base:
                raise UserError(
                    f"limit override {key}.{name} = {value:g} is looser than the {self.profile} floor "
                    f"{base:g}: a site may set stricter limits, never looser"
                )
            if name in _NO_LONGER + _FREE and value < 0:
                raise UserError(f"limit override {key}.{name} = {value:g} must not be negative")
            if name in _NO_LONGER and base is not None and value > base:
                raise UserError(
                    f"limit override {key}.{name} = {value:g} s delays the alarm longer than the "
                    f"{self.profile} floor {base:g} s: shorten it or leave it out"
                )
            checked[name] = value
        return checked

    def _check_merged(self, key: str, lim: ChannelLimits) -> None:
        order = [(n, v) for n in ("lolo", "lo", "hi", "hihi") if (v := getattr(lim, n)) is not None]
        for (n1, v1), (n2, v2) in itertools.pairwise(order):
            crosses = n1 in _LOWER and n2 in _UPPER  # a LO limit must lie strictly below a HI one
            if v1 > v2 or (crosses and v1 == v2):
                raise UserError(
                    f"limit override {key}: {n1} {v1:g} must lie below {n2} {v2:g} (LOLO ≤ LO < HI ≤ HIHI)"
                )
        low = lim.lo if lim.lo is not None else lim.lolo
        high = lim.hi if lim.hi is not None else lim.hihi
        # HI must be able to return above LO (or above zero for a gas that has no LO).
        room = (high - low) / 2 if high is not None and low is not None else high
        if room is not None and lim.deadband >= room:
            raise UserError(
                f"limit override {key}: deadband {lim.deadband:g} is too wide for the limits; "
                "an alarm could never return to normal"
            )

    def _merge(self, parts: tuple[str, ...]) -> ChannelLimits:
        """Profile, then ``ch``, ``site/ch``, ``site/area/ch``, ``site/area/device/ch`` (up to ``parts``)."""
        ch = parts[-1]
        lim = self._floor.get(ch) or ChannelLimits(
            ch, CANONICAL_UNITS.get(ch, ""), None, None, None, None, 0.0, _GAS_ON, _GAS_OFF, 0.0
        )
        for depth in range(len(parts)):
            values = self._overrides.get((*parts[:depth], ch))
            if values:
                lim = replace(lim, **values)  # type: ignore[arg-type]
        return lim

    def limits_for(self, key: ChannelKey) -> ChannelLimits | None:
        """The limits in force for ``key``; ``None`` when the channel has no limits at all."""
        found = self._cache.get(key, _MISSING)
        if found is _MISSING:
            lim = self._merge((key.site, key.area, key.device, key.ch))
            found = lim if lim.has_limits() else None
            self._cache[key] = found
        return found  # type: ignore[return-value]

    def default(self, ch: str) -> ChannelLimits | None:
        """The profile's own limits for ``ch`` (no override)."""
        return self._floor.get(ch)
