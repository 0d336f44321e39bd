"""The statutory clocks of an intake (app.domain.clocks), from an Intake or from its field dict.

The domain counts the terms; here an intake's answers become the clocks' dates. The clocks stop
at the day the intake was decided, and Veldwerk's nearest to that day is the team lead's
approval: the date of `reviewed_at` in the caseworkers' time zone, taken only when the intake is
approved (a returned intake was reviewed, not decided).

    clocks_of(intake)                  # an Intake from the store
    clocks_of_fields(row)              # a row or field dict: the same names as the intake's fields
    most_urgent(clocks_of(intake), today)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from app.domain.clocks import Clock, intake_clocks
from app.domain.fields import date_in, datetime_in
from app.domain.intake import Intake
from app.domain.intake_fields import PW_DATES, WMO_DATES, WMO_REPORT_GIVEN
from app.domain.local_time import ZONE
from app.domain.states import IntakeStatus

__all__ = ["CLOCK_FIELDS", "clocks_of", "clocks_of_fields", "decided_on"]

_WMO_MELDING, _WMO_AANVRAAG = WMO_DATES
_PW_AANVRAAG = PW_DATES[1]

# The intake fields the clocks are made of (a query fetches these and no more).
CLOCK_FIELDS: tuple[str, ...] = (
    _WMO_MELDING,
    WMO_REPORT_GIVEN,
    _WMO_AANVRAAG,
    _PW_AANVRAAG,
    "status",
    "reviewed_at",
)


def decided_on(
    status: IntakeStatus | str, reviewed_at: datetime | None, zone: tzinfo = ZONE
) -> date | None:
    """The day an intake was decided: the local day of its approval, None while not approved."""
    if IntakeStatus(status) is not IntakeStatus.APPROVED or reviewed_at is None:
        return None
    return reviewed_at.astimezone(zone).date()


def clocks_of(intake: Intake, zone: tzinfo = ZONE) -> tuple[Clock, ...]:
    """The intake's statutory clocks (Wmo assessment, Wmo decision, Participatiewet decision),
    each only when its start date is filled in; `zone` decides the day of the approval."""
    return intake_clocks(
        wmo_melding=intake.part_date(_WMO_MELDING),
        wmo_report_given=intake.part_date(WMO_REPORT_GIVEN),
        wmo_aanvraag=intake.part_date(_WMO_AANVRAAG),
        pw_aanvraag=intake.part_date(_PW_AANVRAAG),
        decided=decided_on(intake.status, intake.reviewed_at, zone),
    )


def clocks_of_fields(fields: Mapping[str, Any], zone: tzinfo = ZONE) -> tuple[Clock, ...]:
    """The same clocks from an intake's field dict or a row of the intakes table (ISO strings as
    stored, or dates); only the names in CLOCK_FIELDS are read, a missing one counts as empty."""
    return intake_clocks(
        wmo_melding=date_in(fields.get(_WMO_MELDING), _WMO_MELDING),
        wmo_report_given=date_in(fields.get(WMO_REPORT_GIVEN), WMO_REPORT_GIVEN),
        wmo_aanvraag=date_in(fields.get(_WMO_AANVRAAG), _WMO_AANVRAAG),
        pw_aanvraag=date_in(fields.get(_PW_AANVRAAG), _PW_AANVRAAG),
        decided=decided_on(
            str(fields.get("status") or IntakeStatus.DRAFT.value),
            datetime_in(fields.get("reviewed_at"), "reviewed_at"),
            zone,
        ),
    )
