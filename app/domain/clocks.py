"""Statutory terms ("wettelijke termijnen") of the intake: when the municipality must have done
something, and whether it did so in time.

A term runs from the day after the event (Awb), and its end follows the Algemene termijnenwet
(Atw): it never ends on a Saturday, Sunday or public holiday, and a term of three days or more
holds at least two days that are none of those. Dates only: these terms are counted in days, so a
time of day or a time zone never enters into them. The terms themselves (weeks, legal source) are
reference data, resources/reference/statutory_terms.json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from app.domain.formatting import date_text
from app.domain.reference import statutory_terms

__all__ = [
    "DUE_SOON_DAYS",
    "TERMS",
    "Clock",
    "ClockKind",
    "ClockState",
    "ClockTerm",
    "describe",
    "due_text",
    "easter_sunday",
    "intake_clocks",
    "is_working_day",
    "most_urgent",
    "public_holidays",
    "term_end",
]

# A running clock with this many days left or fewer is shown as due soon: a working week to act.
DUE_SOON_DAYS = 5

_DAY = timedelta(days=1)
_SATURDAY, _SUNDAY = 5, 6


# ---------------------------------------------------------------------------------- calendar


def easter_sunday(year: int) -> date:
    """Western Easter Sunday, by the Anonymous Gregorian (Meeus/Jones/Butcher) algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _royal_birthday(year: int) -> date:
    # Never celebrated on a Sunday: it moves to the Saturday before. Koninginnedag followed this
    # rule from 1980; older years are not modelled, as no intake term reaches back that far.
    day = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    return day - _DAY if day.weekday() == _SUNDAY else day


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The "algemeen erkende feestdagen" of art. 3 lid 1 Algemene termijnenwet in `year`.

    Easter Sunday and Whit Sunday are left out because they are Sundays anyway. Good Friday is
    not in the Atw, and neither is a day the government names under art. 3 lid 2."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),  # Nieuwjaarsdag
            easter + timedelta(days=1),  # tweede Paasdag
            _royal_birthday(year),  # Koningsdag (Koninginnedag before 2014)
            date(year, 5, 5),  # Bevrijdingsdag: the Atw names it every year, not only lustra
            easter + timedelta(days=39),  # Hemelvaartsdag
            easter + timedelta(days=50),  # tweede Pinksterdag
            date(year, 12, 25),  # eerste Kerstdag
            date(year, 12, 26),  # tweede Kerstdag
        }
    )


def is_working_day(day: date) -> bool:
    """Whether `day` is not a Saturday, Sunday or public holiday: the Atw's ordinary day."""
    return day.weekday() < _SATURDAY and day not in public_holidays(day.year)


def _next_working_day(day: date) -> date:
    day += _DAY
    while not is_working_day(day):
        day += _DAY
    return day


def _working_days(after: date, through: date, *, enough: int) -> int:
    """Working days in (after, through], counted no further than `enough` (a six-week term
    need not walk all its days to know it holds two)."""
    count, day = 0, after + _DAY
    while day <= through and count < enough:
        count += is_working_day(day)
        day += _DAY
    return count


def term_end(start: date, *, weeks: int = 0, days: int = 0) -> date:
    """The last day of a term of `weeks` and `days` counted from an event on `start`.

    The term starts the day after the event, so six weeks from Monday 1 June 2026 end on Monday
    13 July 2026. Then the Algemene termijnenwet: a term ending on a Saturday, Sunday or public
    holiday runs through the next day that is none of those (art. 1), and a term of three days or
    more is extended until it holds two such days (art. 2). A term shorter than a day raises
    ValueError."""
    length = timedelta(weeks=weeks, days=days)
    if length < _DAY:
        raise ValueError(f"a term lasts at least one day, not {length}")
    end = start + length
    # Art. 1 for every term counted in days: the Atw's exceptions (terms in hours, terms counted
    # back from a moment) are not terms these clocks count. Art. 2 itself says "ten minste drie
    # dagen", so a term of one or two days only moves off a weekend or holiday.
    if not is_working_day(end):
        end = _next_working_day(end)
    if length.days >= 3:
        while _working_days(start, end, enough=2) < 2:
            end = _next_working_day(end)
    return end


# ------------------------------------------------------------------------------------ terms


class ClockKind(StrEnum):
    WMO_ONDERZOEK = "wmo_onderzoek"  # the assessment after a Wmo melding
    WMO_BESCHIKKING = "wmo_beschikking"  # the decision on a Wmo aanvraag
    PW_BESLISSING = "pw_beslissing"  # the decision on a Participatiewet aanvraag

    def label(self, language: str = "nl") -> str:
        label_nl, label_en = TERMS[self].labels
        return label_nl if language.startswith("nl") else label_en


@dataclass(frozen=True, slots=True)
class ClockTerm:
    weeks: int
    source: str  # the legal source as a caseworker would cite it; always Dutch
    labels: tuple[str, str]  # (Dutch, English)
    start: tuple[str, str] = ("", "")  # the event it runs from: ("aanvraag", "application")
    stop: tuple[str, str] = ("", "")  # the event that stops it: ("besluit", "decision")


def _pair(item: dict[str, Any]) -> tuple[str, str]:
    return str(item["nl"]), str(item["en"])


def _load_terms() -> dict[ClockKind, ClockTerm]:
    """The terms from reference data (a change in the law is a change of data, not of code),
    checked: every clock has exactly one term of at least a week."""
    terms: dict[ClockKind, ClockTerm] = {}
    for item in statutory_terms()["terms"]:
        kind = ClockKind(item["key"])
        weeks = int(item["weeks"])
        if kind in terms or weeks < 1:
            raise ValueError(f"statutory_terms.json: bad or repeated term {kind.value!r}")
        terms[kind] = ClockTerm(
            weeks=weeks,
            source=str(item["source"]),
            labels=_pair(item),
            start=_pair(item["start"]),
            stop=_pair(item["stop"]),
        )
    if set(terms) != set(ClockKind):
        raise ValueError("statutory_terms.json: every clock needs a term")
    # In the order of ClockKind, which `intake_clocks` keeps.
    return {kind: terms[kind] for kind in ClockKind}


TERMS: dict[ClockKind, ClockTerm] = _load_terms()


# ----------------------------------------------------------------------------------- clocks


class ClockState(StrEnum):
    RUNNING = "running"
    DUE_SOON = "due_soon"  # running, at most DUE_SOON_DAYS days left
    OVERDUE = "overdue"  # running, past its due day
    MET = "met"  # stopped on or before its due day
    LATE = "late"  # stopped after its due day


@dataclass(frozen=True, slots=True)
class Clock:
    kind: ClockKind
    started: date
    due: date
    stopped: date | None = None

    @classmethod
    def of(cls, kind: ClockKind, started: date, stopped: date | None = None) -> Clock:
        """The clock of `kind` for an event on `started`, its due day from the statutory term."""
        return cls(kind, started, term_end(started, weeks=TERMS[kind].weeks), stopped)

    @property
    def running(self) -> bool:
        return self.stopped is None

    @property
    def met(self) -> bool:
        return self.stopped is not None and self.stopped <= self.due

    def days_left(self, today: date) -> int:
        """Days from `today` to the due day, negative once past it. A stopped clock no longer
        moves: it counts from its stop day, so it says by how much the term was met or missed."""
        return (self.due - (self.stopped or today)).days

    def overdue(self, today: date) -> bool:
        return self.running and today > self.due

    def state(self, today: date) -> ClockState:
        if self.stopped is not None:
            return ClockState.MET if self.met else ClockState.LATE
        left = self.days_left(today)
        if left < 0:
            return ClockState.OVERDUE
        return ClockState.DUE_SOON if left <= DUE_SOON_DAYS else ClockState.RUNNING


def _earliest(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def intake_clocks(
    *,
    wmo_melding: date | None,
    wmo_report_given: date | None,
    wmo_aanvraag: date | None,
    pw_aanvraag: date | None,
    decided: date | None,
) -> tuple[Clock, ...]:
    """The statutory clocks of one intake, in the order of TERMS; a clock without its start
    date is absent.

    The Wmo assessment runs from the melding until the written report is given to the client,
    or until `decided` if that comes first. The Wmo and Participatiewet decision clocks run from
    their aanvraag until `decided`. Veldwerk keeps no decision record of its own: `decided` is the
    day the intake was approved, the nearest the app knows to the day of the beschikking."""
    starts = (
        (ClockKind.WMO_ONDERZOEK, wmo_melding, _earliest(wmo_report_given, decided)),
        (ClockKind.WMO_BESCHIKKING, wmo_aanvraag, decided),
        (ClockKind.PW_BESLISSING, pw_aanvraag, decided),
    )
    return tuple(
        Clock.of(kind, started, stopped) for kind, started, stopped in starts if started is not None
    )


def most_urgent(clocks: Iterable[Clock], today: date) -> Clock | None:
    """The running clock with the fewest days left, so the most overdue one first; the first of
    equals. None when no clock runs."""
    running = [clock for clock in clocks if clock.running]
    return min(running, key=lambda clock: clock.days_left(today)) if running else None


# ------------------------------------------------------------------------------------- text


def _days(count: int, dutch: bool) -> str:
    if dutch:
        return f"{count} {'dag' if count == 1 else 'dagen'}"
    return f"{count} {'day' if count == 1 else 'days'}"


def describe(clock: Clock, today: date, language: str = "nl") -> str:
    """A short line for screens: "Wmo-onderzoek: nog 12 dagen" / "Wmo assessment: 12 days left"."""
    dutch = language.startswith("nl")
    if clock.stopped is not None:
        stop = date_text(clock.stopped)
        if clock.met:
            status = f"op tijd ({stop})" if dutch else f"met ({stop})"
        else:
            status = f"te laat afgerond ({stop})" if dutch else f"completed late ({stop})"
    else:
        left = clock.days_left(today)
        if left > 0:
            status = f"nog {_days(left, dutch)}" if dutch else f"{_days(left, dutch)} left"
        elif left == 0:
            status = "vandaag" if dutch else "due today"
        else:
            status = f"{_days(-left, dutch)} {'te laat' if dutch else 'overdue'}"
    return f"{clock.kind.label(language)}: {status}"


def due_text(clock: Clock, language: str = "nl") -> str:
    """The due day: "uiterlijk 13-07-2026" / "due 13-07-2026"."""
    due = date_text(clock.due)
    return f"uiterlijk {due}" if language.startswith("nl") else f"due {due}"
