"""Statutory terms of the intake: public holidays, the Algemene termijnenwet, the intake clocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.clocks import (
    DUE_SOON_DAYS,
    TERMS,
    Clock,
    ClockKind,
    ClockState,
    describe,
    due_text,
    easter_sunday,
    intake_clocks,
    is_working_day,
    most_urgent,
    public_holidays,
    term_end,
)

SUNDAY = 6


def _working_days(after: date, through: date) -> int:
    days = (after + timedelta(days=n) for n in range(1, (through - after).days + 1))
    return sum(is_working_day(day) for day in days)


# ---------------------------------------------------------------------------------- holidays


def test_holidays_of_2026() -> None:
    assert public_holidays(2026) == {
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 6),  # tweede Paasdag
        date(2026, 4, 27),  # Koningsdag, a Monday
        date(2026, 5, 5),  # Bevrijdingsdag, a Tuesday
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 25),  # tweede Pinksterdag
        date(2026, 12, 25),  # eerste Kerstdag, a Friday
        date(2026, 12, 26),  # tweede Kerstdag, a Saturday
    }


def test_good_friday_is_no_holiday_under_the_atw() -> None:
    good_friday = easter_sunday(2026) - timedelta(days=2)
    assert good_friday not in public_holidays(2026)
    assert is_working_day(good_friday)


@pytest.mark.parametrize(
    "easter",
    [date(2019, 4, 21), date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)],
)
def test_easter(easter: date) -> None:
    assert easter_sunday(easter.year) == easter


@given(st.integers(min_value=1900, max_value=2200))
def test_moveable_feasts_fall_on_their_weekdays(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == SUNDAY
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)
    holidays = public_holidays(year)
    assert easter + timedelta(days=1) in holidays  # a Monday
    assert easter + timedelta(days=39) in holidays  # a Thursday
    assert easter + timedelta(days=50) in holidays  # a Monday
    assert easter not in holidays  # a Sunday anyway


@pytest.mark.parametrize("year", [2014, 2025, 2026, 2031, 2036])
def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday(year: int) -> None:
    birthday = date(year, 4, 27)
    expected = birthday - timedelta(days=1) if birthday.weekday() == SUNDAY else birthday
    assert expected in public_holidays(year)
    assert ({birthday, birthday - timedelta(days=1)} & public_holidays(year)) == {expected}


def test_koningsdag_2025_and_2031_are_on_26_april() -> None:
    assert date(2025, 4, 26) in public_holidays(2025)
    assert date(2031, 4, 26) in public_holidays(2031)


def test_koninginnedag_before_2014() -> None:
    assert date(2013, 4, 30) in public_holidays(2013)
    assert date(2013, 4, 27) not in public_holidays(2013)
    # 30 April 2006 was a Sunday: celebrated on Saturday the 29th.
    assert date(2006, 4, 30).weekday() == SUNDAY
    assert date(2006, 4, 29) in public_holidays(2006)


def test_working_days() -> None:
    assert is_working_day(date(2026, 6, 5))  # Friday
    assert not is_working_day(date(2026, 6, 6))  # Saturday
    assert not is_working_day(date(2026, 6, 7))  # Sunday
    assert not is_working_day(date(2026, 5, 5))  # Bevrijdingsdag on a Tuesday


# ------------------------------------------------------------------------------------- terms


def test_term_starts_the_day_after_the_event() -> None:
    # Wmo onderzoek: six weeks from Monday 1 June 2026 end on Monday 13 July 2026.
    assert term_end(date(2026, 6, 1), weeks=6) == date(2026, 7, 13)


@pytest.mark.parametrize(
    ("start", "weeks", "end"),
    [
        (date(2026, 6, 6), 1, date(2026, 6, 15)),  # ends on Saturday -> Monday
        (date(2026, 6, 7), 1, date(2026, 6, 15)),  # ends on Sunday -> Monday
        (date(2026, 4, 20), 1, date(2026, 4, 28)),  # Koningsdag, Monday -> Tuesday
        (date(2026, 4, 28), 1, date(2026, 5, 6)),  # 5 mei, Tuesday -> Wednesday
        (date(2026, 3, 30), 1, date(2026, 4, 7)),  # tweede Paasdag -> Tuesday
        (date(2026, 5, 7), 1, date(2026, 5, 15)),  # Hemelvaartsdag -> Friday
        (date(2026, 12, 18), 1, date(2026, 12, 28)),  # Christmas Friday, then Sat, Sun
        (date(2026, 12, 11), 2, date(2026, 12, 28)),  # two weeks from Friday 11 December
    ],
)
def test_art_1_a_term_never_ends_on_a_day_off(start: date, weeks: int, end: date) -> None:
    assert term_end(start, weeks=weeks) == end


def test_art_2_over_christmas() -> None:
    # Three days from Thursday 23 December 2027 end on Sunday 26 December (tweede Kerstdag).
    start = date(2027, 12, 23)
    assert start + timedelta(days=3) == date(2027, 12, 26)
    end = term_end(start, days=3)
    assert end == date(2027, 12, 27)
    assert _working_days(start, end) == 2  # Friday 24 and Monday 27


def test_art_2_extends_past_the_first_working_day() -> None:
    # Three days from Friday 5 June 2026 end on Monday 8 June: a working day, but the only one.
    assert term_end(date(2026, 6, 5), days=3) == date(2026, 6, 9)


@pytest.mark.parametrize("days", [1, 2])
def test_terms_under_three_days_only_move_off_a_day_off(days: int) -> None:
    # From Friday 5 June 2026 they end on the weekend; Monday holds a single working day.
    end = term_end(date(2026, 6, 5), days=days)
    assert end == date(2026, 6, 8)
    assert _working_days(date(2026, 6, 5), end) == 1


def test_weeks_and_days_add_up() -> None:
    assert term_end(date(2026, 6, 1), weeks=1, days=2) == date(2026, 6, 10)


@pytest.mark.parametrize(("weeks", "days"), [(0, 0), (0, -1), (-1, 3)])
def test_a_term_lasts_at_least_a_day(weeks: int, days: int) -> None:
    with pytest.raises(ValueError):
        term_end(date(2026, 6, 1), weeks=weeks, days=days)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=1, max_value=120),
)
def test_term_end_properties(start: date, length: int) -> None:
    end = term_end(start, days=length)
    earliest = start + timedelta(days=length)
    assert end >= earliest
    assert is_working_day(end)
    if length >= 3:
        assert _working_days(start, end) >= 2
    # Never longer than the Atw needs: any earlier day would break art. 1 or art. 2.
    if end > earliest:
        before = end - timedelta(days=1)
        assert not is_working_day(before) or (length >= 3 and _working_days(start, before) < 2)


# ------------------------------------------------------------------------------------ clocks


def test_terms_table() -> None:
    assert {kind: term.weeks for kind, term in TERMS.items()} == {
        ClockKind.WMO_ONDERZOEK: 6,
        ClockKind.WMO_BESCHIKKING: 2,
        ClockKind.PW_BESLISSING: 8,
    }
    assert TERMS[ClockKind.WMO_ONDERZOEK].source == "art. 2.3.2 lid 1 Wmo 2015"
    assert ClockKind.PW_BESLISSING.label() == "Beslissing Participatiewet"
    assert ClockKind.WMO_BESCHIKKING.label("en") == "Wmo decision"
    assert ClockKind("wmo_onderzoek") is ClockKind.WMO_ONDERZOEK


def test_intake_clocks_all_three() -> None:
    onderzoek, beschikking, beslissing = intake_clocks(
        wmo_melding=date(2026, 6, 1),
        wmo_report_given=date(2026, 7, 1),
        wmo_aanvraag=date(2026, 7, 2),
        pw_aanvraag=date(2026, 6, 1),
        decided=date(2026, 7, 10),
    )
    assert onderzoek == Clock(
        ClockKind.WMO_ONDERZOEK, date(2026, 6, 1), date(2026, 7, 13), date(2026, 7, 1)
    )
    assert beschikking == Clock(
        ClockKind.WMO_BESCHIKKING, date(2026, 7, 2), date(2026, 7, 16), date(2026, 7, 10)
    )
    assert beslissing == Clock(
        ClockKind.PW_BESLISSING, date(2026, 6, 1), date(2026, 7, 27), date(2026, 7, 10)
    )


def test_onderzoek_stops_at_the_decision_when_that_comes_first() -> None:
    (onderzoek,) = intake_clocks(
        wmo_melding=date(2026, 6, 1),
        wmo_report_given=date(2026, 7, 20),
        wmo_aanvraag=None,
        pw_aanvraag=None,
        decided=date(2026, 7, 10),
    )
    assert onderzoek.stopped == date(2026, 7, 10)
    (without_report,) = intake_clocks(
        wmo_melding=date(2026, 6, 1),
        wmo_report_given=None,
        wmo_aanvraag=None,
        pw_aanvraag=None,
        decided=date(2026, 7, 10),
    )
    assert without_report.stopped == date(2026, 7, 10)


def test_intake_clocks_run_until_stopped_and_are_absent_without_a_start() -> None:
    clocks = intake_clocks(
        wmo_melding=None,
        wmo_report_given=date(2026, 7, 1),
        wmo_aanvraag=date(2026, 7, 2),
        pw_aanvraag=None,
        decided=None,
    )
    assert [clock.kind for clock in clocks] == [ClockKind.WMO_BESCHIKKING]
    assert clocks[0].running
    none = intake_clocks(
        wmo_melding=None, wmo_report_given=None, wmo_aanvraag=None, pw_aanvraag=None, decided=None
    )
    assert none == ()


def _running(due: date, kind: ClockKind = ClockKind.WMO_ONDERZOEK) -> Clock:
    return Clock(kind, due - timedelta(weeks=6), due)


DUE = date(2026, 7, 13)


@pytest.mark.parametrize(
    ("today", "left", "state"),
    [
        (DUE - timedelta(days=DUE_SOON_DAYS + 1), DUE_SOON_DAYS + 1, ClockState.RUNNING),
        (DUE - timedelta(days=DUE_SOON_DAYS), DUE_SOON_DAYS, ClockState.DUE_SOON),
        (DUE, 0, ClockState.DUE_SOON),
        (DUE + timedelta(days=1), -1, ClockState.OVERDUE),
    ],
)
def test_running_states(today: date, left: int, state: ClockState) -> None:
    clock = _running(DUE)
    assert clock.running and not clock.met
    assert clock.days_left(today) == left
    assert clock.state(today) is state
    assert clock.overdue(today) is (state is ClockState.OVERDUE)


@pytest.mark.parametrize(
    ("stopped", "state"),
    [
        (DUE - timedelta(days=12), ClockState.MET),
        (DUE, ClockState.MET),
        (DUE + timedelta(days=1), ClockState.LATE),
    ],
)
def test_stopped_states(stopped: date, state: ClockState) -> None:
    clock = Clock(ClockKind.WMO_ONDERZOEK, date(2026, 6, 1), DUE, stopped)
    later = DUE + timedelta(days=30)
    assert not clock.running
    assert clock.met is (state is ClockState.MET)
    assert clock.state(later) is state
    assert not clock.overdue(later)
    # A stopped clock counts from its stop day, whatever today is.
    assert clock.days_left(later) == (DUE - stopped).days


def test_most_urgent() -> None:
    today = date(2026, 7, 1)
    soon = _running(today + timedelta(days=3), ClockKind.WMO_BESCHIKKING)
    later = _running(today + timedelta(days=20), ClockKind.PW_BESLISSING)
    overdue = _running(today - timedelta(days=2))
    stopped = Clock(ClockKind.WMO_ONDERZOEK, date(2026, 5, 1), date(2026, 6, 12), today)
    assert most_urgent([later, soon], today) == soon
    assert most_urgent([later, soon, overdue, stopped], today) == overdue
    assert most_urgent(iter([stopped, later]), today) == later
    assert most_urgent([stopped], today) is None
    assert most_urgent([], today) is None


# -------------------------------------------------------------------------------------- text

TODAY = date(2026, 7, 1)


@pytest.mark.parametrize(
    ("left", "dutch", "english"),
    [
        (12, "Wmo-onderzoek: nog 12 dagen", "Wmo assessment: 12 days left"),
        (1, "Wmo-onderzoek: nog 1 dag", "Wmo assessment: 1 day left"),
        (0, "Wmo-onderzoek: vandaag", "Wmo assessment: due today"),
        (-1, "Wmo-onderzoek: 1 dag te laat", "Wmo assessment: 1 day overdue"),
        (-3, "Wmo-onderzoek: 3 dagen te laat", "Wmo assessment: 3 days overdue"),
    ],
)
def test_describe_running(left: int, dutch: str, english: str) -> None:
    clock = _running(TODAY + timedelta(days=left))
    assert describe(clock, TODAY) == dutch
    assert describe(clock, TODAY, "nl_NL") == dutch
    assert describe(clock, TODAY, "en") == english


def test_describe_stopped() -> None:
    met = Clock(ClockKind.WMO_ONDERZOEK, date(2026, 6, 1), DUE, date(2026, 7, 1))
    late = Clock(ClockKind.PW_BESLISSING, date(2026, 5, 1), date(2026, 6, 26), date(2026, 7, 3))
    assert describe(met, TODAY) == "Wmo-onderzoek: op tijd (01-07-2026)"
    assert describe(met, TODAY, "en") == "Wmo assessment: met (01-07-2026)"
    assert describe(late, TODAY) == "Beslissing Participatiewet: te laat afgerond (03-07-2026)"
    assert describe(late, TODAY, "en") == "Participation Act decision: completed late (03-07-2026)"


def test_due_text() -> None:
    clock = Clock.of(ClockKind.WMO_ONDERZOEK, date(2026, 6, 1))
    assert due_text(clock) == "uiterlijk 13-07-2026"
    assert due_text(clock, "en") == "due 13-07-2026"
