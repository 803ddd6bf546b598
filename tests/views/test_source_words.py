"""An alarm's source reads as words in both languages: never the core's key (issue: sources as codes)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from tests.views.test_finding_words import glossary_chinese  # noqa: F401 - a fixture
from views.place_names import PlaceNames
from views.source_words import source_text

KEYS = ("CHEM1/TK08/GD-101/LEL", "CHEM1/TK08/GD-101", "worker:W-10023", "permit:HW-1", "gate:CHEM1/TK08")


def names() -> PlaceNames:
    area = SimpleNamespace(site_id="CHEM1", area_id="TK08", name="八号罐区")
    site = SimpleNamespace(site_id="CHEM1", name="化工一厂", areas=[area])
    return PlaceNames([cast(Any, site)])


def test_every_kind_of_source_reads_as_words_in_english() -> None:
    said = [source_text(k, names()) for k in KEYS]
    assert said == [
        "detector GD-101, LEL",
        "detector GD-101",
        "worker W-10023",
        "permit HW-1",
        "gate of 八号罐区",
    ]
    assert source_text("something-else") == "something-else"  # an unknown shape as it came


@pytest.mark.usefixtures("glossary_chinese")
def test_every_kind_of_source_reads_as_words_in_chinese() -> None:
    said = [source_text(k, names()) for k in KEYS]
    assert said == ["探测器 GD-101，LEL", "探测器 GD-101", "人员 W-10023", "作业票 HW-1", "八号罐区门禁"]
