"""The handover PDF's words: each language holds only its own, singulars read right, codes become words."""

from __future__ import annotations

import re
from typing import cast

import pytest

from cockpit.report.handover_texts import STRINGS, Fmt
from cockpit.report.records import HandoverData

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Latin a Chinese report keeps: units, standards, gas channels, the hash's name, placeholders.
LATIN_KEPT = {"EEMUA", "LEL", "VOL", "ppm", "JSA", "sha256", "P", "h", "min", "d"}


def fmt(lang: str) -> Fmt:
    return Fmt(cast(HandoverData, None), lang)  # the words need no shift data


def test_each_language_has_every_key_and_only_its_own_words() -> None:
    assert STRINGS["en"].keys() == STRINGS["zh_CN"].keys()
    for key, text in STRINGS["en"].items():
        assert not CJK.search(text), key
    for key, text in STRINGS["zh_CN"].items():
        latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", re.sub(r"\{\w+\}", "", text)))
        assert latin <= LATIN_KEPT, (key, text)


@pytest.mark.parametrize(
    ("key", "one", "two"),
    [
        ("s_gas", "5. Gas excursions (1 area)", "5. Gas excursions (2 areas)"),
        (
            "more_areas",
            "… and 1 more area (see the alarm journal).",
            "… and 2 more areas (see the alarm journal).",
        ),
    ],
)
def test_one_is_singular_in_english(key: str, one: str, two: str) -> None:
    assert fmt("en").t(key, n=1) == one
    assert fmt("en").t(key, n=2) == two
    assert fmt("zh_CN").t(key, n=1) == STRINGS["zh_CN"][key].format(n=1)


def test_reasons_and_escalation_targets_are_printed_in_the_report_language() -> None:
    coded = (
        "gas_test_failed(permit=HW-1): the last gas test of permit HW-1 failed; a passing gas test is needed"
    )
    assert fmt("zh_CN").reason(coded) == "作业票 HW-1 最近一次气体检测不合格;复工前须有合格的气体检测"
    assert fmt("en").reason(coded).startswith("the last gas test of permit HW-1 failed")
    assert fmt("en").reason("由 lead.wang 在厂区地图上停工") == "stopped from the site map by lead.wang"
    assert fmt("zh_CN").reason("stopped from the site map by lead.wang") == "由 lead.wang 在厂区地图上停工"
    assert fmt("en").reason("LEL 上升") == "LEL 上升"  # what a person typed stays as typed
    assert fmt("en").change_detail("escalated", "safety_department") == "to the safety department"
    assert fmt("zh_CN").change_detail("escalated", "safety_department") == "升级至安全管理部门"
    assert fmt("zh_CN").change_detail("rejected", "no JSA") == "no JSA"
