"""Answers that make an intake complete for a client's schemes, for tests that submit one.

Which fields are required depends on the client's enrollments (consent per scheme, the
Participatiewet and Wmo parts), so tests ask the domain what is missing and answer just that.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from app.domain.intake import Intake

ON = "2026-11-02"


def answer_for(name: str) -> Any:
    """A valid answer for one required field of the form."""
    if name.startswith("score_"):
        return 3
    if name == "ladder_current":
        return 2
    if name == "ladder_target":
        return 4
    if name.startswith("consent_"):
        return True
    if name.endswith("_date"):
        return ON
    if name.startswith("pw_taal_"):
        return "voldoet"
    if name.startswith("wmo_topic_"):
        return "Besproken aan de keukentafel."
    if name == "wmo_mantelzorger_present":
        return False
    if name.endswith(("_explained", "_told", "_checked")):
        return True
    raise AssertionError(f"no test answer for {name}")


def completing(intake: Intake, schemes: Collection[str] = ()) -> dict[str, Any]:
    """The answers still missing before `intake` can be submitted for these schemes."""
    values: dict[str, Any] = {}
    for _ in range(3):
        missing = intake.edited(values).missing(schemes)
        if not missing:
            return values
        values |= {name: answer_for(name) for name in missing}
    raise AssertionError(f"still missing: {intake.edited(values).missing(schemes)}")


def complete(intake: Intake, schemes: Collection[str] = ()) -> Intake:
    return intake.edited(completing(intake, schemes))
