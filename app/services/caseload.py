"""The caseload table (Cliënten): the lines of the table, from one query that filters, searches
and sorts in SQL (app.storage.queries.caseload, where the statement and its reasons live).

Here the query's plain values become the table's lines: names as a Dutch list shows them, the
BSN masked to its last three digits, the next action (a planned visit or an open plan action,
whichever comes first), the most urgent statutory term and whether anything is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from enum import StrEnum
from typing import NamedTuple

from app.domain.clocks import DUE_SOON_DAYS, Clock, ClockKind
from app.domain.local_time import ZONE, local_today
from app.domain.visit import VisitPurpose
from app.storage.queries.caseload import (
    CaseloadQuery,
    CaseloadRecord,
    SortColumn,
    caseload_records,
    caseload_sql,
    local_day_sql,
    present_values,
)
from app.storage.store import Store

__all__ = [
    "CaseloadQuery",
    "CaseloadRow",
    "FilterOptions",
    "NextAction",
    "NextActionKind",
    "ZONE",
    "SortColumn",
    "caseload_sql",
    "display_name",
    "filter_options",
    "load_caseload",
    "local_day_sql",
    "mask_bsn",
    "sort_name",
]


class NextActionKind(StrEnum):
    VISIT = "visit"
    PLAN_ACTION = "plan_action"


# CaseloadRow and NextAction are NamedTuples, not frozen dataclasses: they are made 10,000 at a
# time, and a frozen dataclass's __init__ (object.__setattr__ per field) cost four times as much
# here (23 ms against 6 ms for 10,000 rows). They are just as immutable.


class NextAction(NamedTuple):
    """The earliest thing due for a client: a planned visit or an open plan action's deadline.

    `detail` is the visit purpose value ("voortgang") for a visit and the action's description
    for a plan action.
    """

    kind: NextActionKind
    on: date
    detail: str

    def text(self, language: str = "nl") -> str:
        """What to do, without the date, in the user's language."""
        dutch = language.startswith("nl")
        if self.kind is NextActionKind.VISIT:
            try:
                purpose = VisitPurpose(self.detail).label(language)
            except ValueError:
                purpose = self.detail
            return f"{'Huisbezoek' if dutch else 'Home visit'} ({purpose.lower()})"
        return f"{'Actie' if dutch else 'Action'}: {self.detail}"


class CaseloadRow(NamedTuple):
    """One line of the caseload table. Only the last three digits of the BSN leave this module.

    `schemes` are scheme codes in alphabetical order; `overdue` means the next action's day is
    before the query's day; `visit_overdue` that a planned visit's day has passed unrecorded.
    `term` is the client's most urgent running statutory clock (app.domain.clocks) of an intake
    not yet approved, and `term_left` its days left on the query's day (negative: overdue).
    """

    client_id: str
    display_name: str
    sort_name: str
    masked_bsn: str
    village: str
    municipality: str
    schemes: tuple[str, ...]
    ladder_step: int | None
    last_visit: date | None
    next_action: NextAction | None
    overdue: bool
    visit_overdue: bool
    intake_returned: bool
    term: Clock | None = None
    term_left: int | None = None

    @property
    def term_overdue(self) -> bool:
        return self.term_left is not None and self.term_left < 0

    @property
    def term_due(self) -> bool:
        """Overdue or due within DUE_SOON_DAYS days: what the "Termijn loopt af" chip shows."""
        return self.term_left is not None and self.term_left <= DUE_SOON_DAYS

    @property
    def schemes_text(self) -> str:
        """The scheme codes as a comma list (the UI shows labels instead)."""
        return ", ".join(self.schemes)


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The values present in this caseload, for the filter chips."""

    municipalities: tuple[str, ...]
    villages: tuple[str, ...]
    schemes: tuple[str, ...]
    ladder_steps: tuple[int, ...]


def mask_bsn(bsn: str) -> str:
    """'******123': enough to tell two clients apart on screen, not enough to be a BSN."""
    return "*" * max(len(bsn) - 3, 0) + bsn[-3:]


def sort_name(*, surname: str, first_names: str, initials: str, prefix: str) -> str:
    """The name as a Dutch list shows it: 'Vries, Jan de' (initials when no first name)."""
    given = first_names.split(maxsplit=1)[0] if first_names else initials
    tail = f"{given} {prefix}" if given and prefix else given or prefix
    return f"{surname}, {tail}" if tail else surname


def display_name(*, surname: str, first_names: str, initials: str, prefix: str) -> str:
    """'Jan de Vries' (PersonName.display, without re-validating names the store normalised)."""
    given = first_names.split(maxsplit=1)[0] if first_names else initials
    return " ".join(p for p in (given, prefix, surname) if p)


_VISIT = NextActionKind.VISIT
_PLAN_ACTION = NextActionKind.PLAN_ACTION
_from_iso = date.fromisoformat


def _term(value: str) -> Clock:
    """A clock from the statement's "<due>|<kind>|<started>"."""
    due, kind, started = value.split("|")
    return Clock(ClockKind(kind), _from_iso(started), _from_iso(due))


def _rows(records: list[CaseloadRecord], today: date) -> list[CaseloadRow]:
    # A plain loop with tuple unpacking: this runs 10,000 times for a full caseload.
    rows = []
    for (
        client_id,
        bsn,
        initials,
        first_names,
        prefix,
        surname,
        village,
        municipality,
        step,
        schemes,
        last_day,
        first_visit,
        first_action,
        visit_day,
        action_day,
        returned,
        term_text,
    ) in records:
        given = first_names.split(maxsplit=1)[0] if first_names else initials
        if prefix:
            tail = f"{given} {prefix}" if given else prefix
            shown = f"{given} {prefix} {surname}" if given else f"{prefix} {surname}"
        else:
            tail = given
            shown = f"{given} {surname}" if given else surname
        next_action = None
        # A day is there exactly when its "<when>|<text>" is (both come from the same column).
        if (
            first_visit
            and visit_day is not None
            and (action_day is None or visit_day <= action_day)
        ):
            next_action = NextAction(
                _VISIT, _from_iso(visit_day), first_visit[first_visit.index("|") + 1 :]
            )
        elif first_action and action_day is not None:
            next_action = NextAction(_PLAN_ACTION, _from_iso(action_day), first_action[11:])
        term = _term(term_text) if term_text else None
        rows.append(
            CaseloadRow(
                client_id,
                shown,
                f"{surname}, {tail}" if tail else surname,
                "******" + bsn[-3:],
                village,
                municipality,
                tuple(schemes.split(",")) if schemes else (),
                step,
                _from_iso(last_day) if last_day else None,
                next_action,
                next_action is not None and next_action.on < today,
                visit_day is not None and visit_day < today.isoformat(),
                bool(returned),
                term,
                term.days_left(today) if term is not None else None,
            )
        )
    return rows


def load_caseload(
    store: Store, query: CaseloadQuery, *, today: date, zone: tzinfo = ZONE
) -> list[CaseloadRow]:
    """The caseload rows matching `query`, in its order. `today` is the day (in `zone`) that
    decides which schemes are current and what is overdue."""
    return _rows(caseload_records(store, query, today=today, zone=zone), today)


def filter_options(store: Store, *, today: date | None = None) -> FilterOptions:
    """Municipalities, villages, current schemes (on `today`, default the system's today) and
    ladder steps present in the caseload."""
    present = present_values(store, today=today or local_today())
    return FilterOptions(
        municipalities=present.municipalities,
        villages=present.villages,
        schemes=present.schemes,
        ladder_steps=present.ladder_steps,
    )
