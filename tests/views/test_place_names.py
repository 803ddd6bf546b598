"""Places by their names (issue 18): an alarm's message and a command's reason carry site and area codes;
the screens say the names, and a code the register does not know as it came (nothing hidden)."""

from __future__ import annotations

from datetime import time

from models.queries import AreaInfo, SiteInfo
from models.records import RiskLevel
from models.rules.alarm_texts import alarm_message, fault_text, level_text
from models.schema import StopPolicy
from views.alarm_message_words import message_text, reason_words
from views.place_names import PlaceNames

SITES = [
    SiteInfo(
        "TANKFARM",
        "储运罐区",
        "Asia/Shanghai",
        time(20),
        time(8),
        StopPolicy.AUTO,
        100.0,
        100.0,
        (AreaInfo("TANKFARM", "TK08", "8号储罐", RiskLevel.MAJOR, True, (), None),),
    )
]


def test_names_for_codes_and_codes_the_register_does_not_know_as_they_came() -> None:
    names = PlaceNames(SITES)
    assert names.where("TANKFARM", "TK08") == "储运罐区 / 8号储罐"
    assert names.source("TANKFARM/TK08/GD-101/LEL") == "8号储罐 · GD-101/LEL"
    assert names.where("TANKFARM", "TK99") == "储运罐区 / TK99"
    assert names.source("worker:W-1") == "worker:W-1"
    assert names.source("ELSEWHERE/X1/GD-1/LEL") == "ELSEWHERE/X1/GD-1/LEL"
    assert not PlaceNames()


def test_a_message_and_a_reason_name_the_place() -> None:
    names = PlaceNames(SITES)
    fault = fault_text("GD-101", "TANKFARM", "TK08", "")
    level = level_text("LEL", 31.0, "%LEL", "TANKFARM/TK08/GD-101/LEL", "HIHI", 25.0)
    entry = alarm_message("gate.no_allow", worker="W-1", site="TANKFARM", area="TK08")
    for message in (fault, level, entry):
        worded = message_text(message, "Asia/Shanghai", names)
        assert "TANKFARM" not in worded and "TK08" not in worded, worded
        assert "8号储罐" in worded, worded
        assert reason_words(message, "Asia/Shanghai", names) == worded
        assert "TK08" in message_text(message, "Asia/Shanghai")  # without the register: the codes
