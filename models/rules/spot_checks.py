"""The month's random spot-check points, beside the fixed routes (issue 23).

A fixed route is walked by habit; the spot checks are drawn each month so nobody knows them in advance.
The draw is reproducible: the same seed and month give the same points (an auditor can redraw them),
another month gives others. Points in riskier areas are drawn more often: each candidate's weight is
its area's risk (red four times blue), and the draw is without replacement (Efraimidis-Spirakis keys,
so the order of the candidates does not matter: they are sorted by code first).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Iterable

from models.records import RiskLevel

RISK_WEIGHT: dict[RiskLevel, float] = {
    RiskLevel.LOW: 1.0,
    RiskLevel.GENERAL: 2.0,
    RiskLevel.HIGH: 3.0,
    RiskLevel.MAJOR: 4.0,
}
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def draw(candidates: Iterable[tuple[str, RiskLevel]], month: str, seed: int, count: int) -> list[str]:
    """``count`` equipment codes (fewer if there are fewer candidates), in draw order."""
    if not MONTH.fullmatch(month):
        raise ValueError(f"month {month!r} is not YYYY-MM")
    digest = hashlib.sha256(f"{int(seed)}|{month}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    keyed = []
    for code, risk in sorted(candidates):
        weight = RISK_WEIGHT.get(RiskLevel(risk), 1.0)
        u = rng.random() or 1e-12
        keyed.append((math.log(u) / weight, code))  # larger key first: the weighted draw
    keyed.sort(reverse=True)
    return [code for _, code in keyed[: max(0, count)]]
