"""How long a client's file is kept, and when it is due for destruction.

The schedule is reference data (`resources/reference/retention.json`, after the Selectielijst
gemeenten en intergemeentelijke organen 2020): categories with a term and the event the term runs
from, and which provision falls in which category — a granted provision by its scheme (10 years,
Wmo 15, youth care 20), a refused application (5 years) and a case broken off (42 days) by their
outcome. Loading checks it: every scheme has a category, every category named exists, every term
is a positive number of years, months or days.

A provision is an enrollment (scheme, outcome, end date). Its destruction date is its end date
plus its category's term; for a refusal or a broken-off case the end date is the date of the
decision or of breaking off. Terms are counted on the calendar as the law counts them: a year or
a month ends on the same day number, or on the last day of a shorter month (29 February plus one
year is 28 February); 42 days are 42 days.

What is destroyed is the client's whole file, not one provision. Visits, notes, intakes, plans
and attachments are not linked to a provision, so no record can be said to belong to one
provision only; keeping the file until its last provision's term has run keeps every record at
least as long as the law asks for any provision it might belong to. So the file is due when
every one of its provisions is past its destruction date, and then the latest date governs (its
category is the file's category in the destruction statement). A provision without an end date
is still running: the file is never due while one runs. A client without any provision (a file
opened but never enrolled, or whose enrollments were all deleted) has no term at all: such a
file is never destroyed automatically, it is listed for central office to review.

Also here: the three-month clock of an erasure request (Wmo 2015 and Jeugdwet files), and the
six-month term of login and device-contact data.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Protocol

from app.domain.errors import DomainError
from app.domain.reference import EnrollmentOutcome, Label, Scheme, retention_schedule


class RetentionScheduleError(DomainError):
    """The retention schedule (reference data) is incomplete or inconsistent."""

    def __init__(self, problem_nl: str, problem_en: str) -> None:
        super().__init__(
            "retention_schedule_invalid",
            f"De bewaartermijnen (retention.json) kloppen niet: {problem_nl}",
            f"The retention schedule (retention.json) is invalid: {problem_en}",
        )


@dataclass(frozen=True, slots=True)
class Term:
    """A retention term on the calendar: years and months first, then days."""

    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """The day the term has run from `start`: the same day number `years` and `months`
        later (the last day of the month where that month is shorter), then `days` on."""
        return add_months(start, self.years * 12 + self.months) + timedelta(days=self.days)

    def text(self, language: str = "nl") -> str:
        dutch = language.startswith("nl")
        parts = []
        for amount, one, many in (
            (self.years, ("jaar", "year"), ("jaar", "years")),
            (self.months, ("maand", "month"), ("maanden", "months")),
            (self.days, ("dag", "day"), ("dagen", "days")),
        ):
            if amount:
                word = (one if amount == 1 else many)[0 if dutch else 1]
                parts.append(f"{amount} {word}")
        return (" en " if dutch else " and ").join(parts)


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months (negative: back), kept within the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    label: Label
    term: Term
    start_event: Label
    reference: str

    def destroy_on(self, start: date) -> date:
        return self.term.after(start)


class Provision(Protocol):
    """What retention reads of an enrollment."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def outcome(self) -> EnrollmentOutcome: ...
    @property
    def end_date(self) -> date | None: ...


class FileStatus(StrEnum):
    # Every provision has ended; `destroy_on` is the latest of their destruction dates.
    SCHEDULED = "scheduled"
    # A provision is still running (no end date): not due, whatever the others say.
    RUNNING = "running"
    # No provision at all: never due automatically, listed for review.
    NO_PROVISION = "no_provision"


@dataclass(frozen=True, slots=True)
class ProvisionRetention:
    scheme: Scheme
    outcome: EnrollmentOutcome
    category: Category
    destroy_on: date | None  # None while the provision runs


@dataclass(frozen=True, slots=True)
class FileRetention:
    status: FileStatus
    destroy_on: date | None
    category: Category | None  # the governing provision's, once scheduled
    provisions: tuple[ProvisionRetention, ...]

    def due(self, today: date) -> bool:
        return self.destroy_on is not None and self.destroy_on <= today


@dataclass(frozen=True, slots=True)
class Schedule:
    """The retention schedule, checked."""

    source: str
    categories: Mapping[str, Category]
    granted: Mapping[Scheme, Category]
    by_outcome: Mapping[EnrollmentOutcome, Category]
    login_data: Category
    erasure_schemes: frozenset[Scheme]
    erasure_term: Term

    def category_of(self, provision: Provision) -> Category:
        if provision.outcome is EnrollmentOutcome.GRANTED:
            return self.granted[provision.scheme]
        return self.by_outcome[provision.outcome]

    def category(self, code: str) -> Category:
        found = self.categories.get(code)
        if found is None:
            raise RetentionScheduleError(
                f"onbekende categorie '{code}'.", f"unknown category '{code}'."
            )
        return found

    def provision(self, provision: Provision) -> ProvisionRetention:
        category = self.category_of(provision)
        end = provision.end_date
        return ProvisionRetention(
            scheme=provision.scheme,
            outcome=provision.outcome,
            category=category,
            destroy_on=category.destroy_on(end) if end is not None else None,
        )

    def file(self, provisions: Iterable[Provision]) -> FileRetention:
        """The file's destruction date: the latest of its provisions' (module docstring)."""
        each = tuple(self.provision(p) for p in provisions)
        if not each:
            return FileRetention(FileStatus.NO_PROVISION, None, None, each)
        if any(p.destroy_on is None for p in each):
            return FileRetention(FileStatus.RUNNING, None, None, each)
        order = list(self.categories)
        governing = max(
            each,
            key=lambda p: (p.destroy_on, -order.index(p.category.code)),
        )
        return FileRetention(FileStatus.SCHEDULED, governing.destroy_on, governing.category, each)

    def statutory_erasure(self, schemes: Iterable[Scheme]) -> bool:
        """Whether the file falls under the Wmo's and Jeugdwet's right to destruction on
        request (three months), going by the schemes it holds any enrollment in."""
        return not self.erasure_schemes.isdisjoint(schemes)

    def erasure_due(self, received: date) -> date:
        return self.erasure_term.after(received)

    def login_data_cutoff(self, today: date) -> date:
        """Login and device-contact data recorded before this day are past their term."""
        term = self.login_data.term
        return add_months(today, -(term.years * 12 + term.months)) - timedelta(days=term.days)


_UNITS = ("years", "months", "days")


def _term(data: Any, where: str) -> Term:
    if not isinstance(data, Mapping) or not data or set(data) - set(_UNITS):
        raise RetentionScheduleError(
            f"de termijn van {where} moet jaren, maanden en/of dagen noemen.",
            f"the term of {where} must name years, months and/or days.",
        )
    values = {unit: data.get(unit, 0) for unit in _UNITS}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values.values()) or (
        not any(values.values())
    ):
        raise RetentionScheduleError(
            f"de termijn van {where} moet een positief geheel aantal zijn.",
            f"the term of {where} must be a positive whole number.",
        )
    return Term(**values)


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RetentionScheduleError(f"{where} mist '{key}'.", f"{where} lacks '{key}'.")
    return value


def load_schedule(data: Any) -> Schedule:
    """Check and read a retention schedule (the shape of retention.json)."""
    if not isinstance(data, Mapping):
        raise RetentionScheduleError("het bestand is geen object.", "the file is not an object.")
    events: dict[str, Label] = {}
    for item in data.get("start_events") or ():
        code = _text(item, "code", "een startmoment")
        events[code] = Label(code, _text(item, "nl", code), _text(item, "en", code))
    categories: dict[str, Category] = {}
    for item in data.get("categories") or ():
        code = _text(item, "code", "een categorie")
        if code in categories:
            raise RetentionScheduleError(
                f"categorie '{code}' staat er twee keer in.", f"category '{code}' appears twice."
            )
        event = _text(item, "start_event", code)
        if event not in events:
            raise RetentionScheduleError(
                f"categorie '{code}' noemt een onbekend startmoment '{event}'.",
                f"category '{code}' names an unknown start event '{event}'.",
            )
        categories[code] = Category(
            code=code,
            label=Label(code, _text(item, "nl", code), _text(item, "en", code)),
            term=_term(item.get("term"), code),
            start_event=events[event],
            reference=_text(item, "reference", code),
        )

    def named(code: Any, where_nl: str, where_en: str) -> Category:
        if not isinstance(code, str) or code not in categories:
            raise RetentionScheduleError(
                f"{where_nl} noemt een onbekende categorie '{code}'.",
                f"{where_en} names an unknown category '{code}'.",
            )
        return categories[code]

    provisions = data.get("provisions")
    if not isinstance(provisions, Mapping):
        raise RetentionScheduleError("'provisions' ontbreekt.", "'provisions' is missing.")
    granted_codes = provisions.get("granted")
    if not isinstance(granted_codes, Mapping):
        raise RetentionScheduleError(
            "'provisions.granted' ontbreekt.", "'provisions.granted' is missing."
        )
    unknown = sorted(set(granted_codes) - {s.value for s in Scheme})
    if unknown:
        raise RetentionScheduleError(
            f"onbekende regeling '{unknown[0]}'.", f"unknown scheme '{unknown[0]}'."
        )
    granted: dict[Scheme, Category] = {}
    for scheme in Scheme:
        if scheme.value not in granted_codes:
            raise RetentionScheduleError(
                f"regeling '{scheme.value}' heeft geen categorie.",
                f"scheme '{scheme.value}' has no category.",
            )
        granted[scheme] = named(
            granted_codes[scheme.value], f"regeling '{scheme.value}'", f"scheme '{scheme.value}'"
        )
    by_outcome: dict[EnrollmentOutcome, Category] = {
        outcome: named(
            provisions.get(outcome.value), f"uitkomst '{outcome}'", f"outcome '{outcome}'"
        )
        for outcome in EnrollmentOutcome
        if outcome is not EnrollmentOutcome.GRANTED
    }
    erasure = data.get("erasure")
    if not isinstance(erasure, Mapping):
        raise RetentionScheduleError("'erasure' ontbreekt.", "'erasure' is missing.")
    try:
        erasure_schemes = frozenset(Scheme(str(code)) for code in erasure.get("schemes") or ())
    except ValueError as error:
        raise RetentionScheduleError(
            "'erasure.schemes' noemt een onbekende regeling.",
            "'erasure.schemes' names an unknown scheme.",
        ) from error
    return Schedule(
        source=_text(data, "source", "het bestand"),
        categories=categories,
        granted=granted,
        by_outcome=by_outcome,
        login_data=named(data.get("login_data"), "'login_data'", "'login_data'"),
        erasure_schemes=erasure_schemes,
        erasure_term=_term(erasure.get("term"), "erasure"),
    )


@cache
def schedule() -> Schedule:
    """The shipped schedule, checked once."""
    return load_schedule(retention_schedule())
