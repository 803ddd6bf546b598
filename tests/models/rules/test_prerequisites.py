import pytest

from models.records import PermitType as T
from models.rules.prerequisites import check_prerequisites

ALL_DONE = {"jsa": True, "isolation": True, "gas_test": True}


def codes(findings: list) -> dict[str, str]:
    return {f.code: f.severity for f in findings}


@pytest.mark.parametrize("ptype", list(T))
@pytest.mark.parametrize("stage", ["submit", "approve", "start"])
def test_jsa_always_blocks(ptype: T, stage: str) -> None:
    findings = check_prerequisites(ptype, {**ALL_DONE, "jsa": False}, stage, on_equipment=True)  # type: ignore[arg-type]
    assert codes(findings) == {"prerequisite.jsa": "block"}
    assert findings[0].field == "prerequisites.jsa"


@pytest.mark.parametrize("ptype", list(T))
def test_everything_done_passes(ptype: T) -> None:
    assert check_prerequisites(ptype, ALL_DONE, "start", on_equipment=True) == []


@pytest.mark.parametrize(
    ("ptype", "on_equipment", "needs_isolation", "needs_gas"),
    [
        (T.HOT_WORK, True, True, True),
        (T.HOT_WORK, False, False, True),
        (T.CONFINED_SPACE, False, True, True),
        (T.BLINDING, False, True, False),
        (T.WORK_AT_HEIGHT, False, False, False),
        (T.TEMPORARY_POWER, False, False, False),
    ],
)
def test_requirements_by_type_and_stage(
    ptype: T, on_equipment: bool, needs_isolation: bool, needs_gas: bool
) -> None:
    only_jsa = {"jsa": True}
    expected_keys = {
        k
        for k, needed in (("prerequisite.isolation", needs_isolation), ("prerequisite.gas_test", needs_gas))
        if needed
    }
    at_submit = codes(check_prerequisites(ptype, only_jsa, "submit", on_equipment=on_equipment))
    assert at_submit == dict.fromkeys(expected_keys, "warn")
    for stage in ("approve", "start"):
        found = codes(check_prerequisites(ptype, only_jsa, stage, on_equipment=on_equipment))
        assert found == dict.fromkeys(expected_keys, "block")


def test_contract_example_submission_is_accepted_with_a_warning() -> None:
    # contract §5: hot work submitted with jsa and isolation done, gas test still to come
    findings = check_prerequisites(T.HOT_WORK, {"jsa": True, "isolation": True, "gas_test": False}, "submit")
    assert [(f.code, f.severity) for f in findings] == [("prerequisite.gas_test", "warn")]
    assert "before approval" in findings[0].message


def test_messages_give_the_reason() -> None:
    (finding,) = check_prerequisites(T.CONFINED_SPACE, {"jsa": True, "gas_test": True}, "approve")
    assert finding.message.startswith("confined space needs energy isolation (LOTO) before approval")


def test_a_truthy_non_bool_does_not_count_and_unknown_stage_is_refused() -> None:
    assert codes(check_prerequisites(T.LIFTING, {"jsa": "yes"}, "submit")) == {"prerequisite.jsa": "block"}  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        check_prerequisites(T.LIFTING, ALL_DONE, "later")  # type: ignore[arg-type]
