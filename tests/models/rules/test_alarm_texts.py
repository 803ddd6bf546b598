"""A coded alarm message gives back every parameter it was made with (models/rules/alarm_texts.py):
the screens and the reports word the message in the reader's language from those parameters, so a
value with the code's own punctuation in it (a detail from the field, a site named "A=1 (east)") must
come back whole, and an ordinary one must stay as it is in the stored text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from models.rules.alarm_texts import alarm_message, read_message

# values as they come: no space at either end (the message's own separator, ", ", is trimmed)
_ANY = st.text(alphabet=st.sampled_from(list("abcLEL%VOL,()=25CD3Fx 区域")), max_size=24).map(str.strip)


@given(detail=_ANY, device=_ANY)
@example(detail="%2C is a comma, (and) = %25", device="GD-1")
@example(detail="%LEL", device="%VOL")
def test_every_parameter_comes_back_as_it_was_given(detail: str, device: str) -> None:
    message = alarm_message("fault.active_detail", device=device, site="S1", area="A1", detail=detail)
    assert read_message(message) == (
        "fault.active_detail",
        {"device": device, "site": "S1", "area": "A1", "detail": detail},
    )


def test_an_ordinary_value_is_stored_as_it_is() -> None:
    message = alarm_message(
        "level.active", ch="LEL", value="40", unit="%LEL", cond="HIHI", lim="25", source="B/P1"
    )
    assert message.startswith("level.active(ch=LEL, value=40, unit=%LEL, cond=HIHI, lim=25, source=B/P1): ")
