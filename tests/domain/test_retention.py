"""Retention (issue #15): destruction dates on the calendar, the categories of provisions, the
file as the unit destroyed, and the checks on the schedule's reference data."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from app.domain.client import Enrollment
from app.domain.errors import ValidationError
from app.domain.reference import EnrollmentOutcome, Scheme, retention_schedule
from app.domain.retention import (
    FileStatus,
    RetentionScheduleError,
    Term,
    add_months,
    load_schedule,
    schedule,
)

GRANTED = EnrollmentOutcome.GRANTED
REFUSED = EnrollmentOutcome.REFUSED
BROKEN_OFF = EnrollmentOutcome.BROKEN_OFF


def provision(
    scheme: Scheme = Scheme.PARTICIPATIEWET,
    end: date | None = date(2015, 3, 31),
    outcome: EnrollmentOutcome = GRANTED,
) -> Enrollment:
    start = date(2010, 1, 1) if end is None else min(end, date(2010, 1, 1))
    return Enrollment(
        client_id="c",
        scheme=scheme,
        start_date=start,
        end_date=end,
        outcome=outcome,
        caseworker="k.dijkstra",
        consent_given=False,
    )


# ------------------------------------------------------------------------------ calendar


@pytest.mark.parametrize(
    ("start", "term", "expected"),
    [
        # A year from a leap day ends on 28 February; four years on it is 29 February again.
        (date(2024, 2, 29), Term(years=1), date(2025, 2, 28)),
        (date(2024, 2, 29), Term(years=4), date(2028, 2, 29)),
        (date(2024, 2, 29), Term(years=10), date(2034, 2, 28)),
        (date(2023, 2, 28), Term(years=1), date(2024, 2, 28)),
        # Months keep the day number, or the last day of a shorter month.
        (date(2025, 1, 31), Term(months=1), date(2025, 2, 28)),
        (date(2024, 1, 31), Term(months=1), date(2024, 2, 29)),
        (date(2025, 3, 31), Term(months=6), date(2025, 9, 30)),
        (date(2025, 8, 31), Term(months=6), date(2026, 2, 28)),
        (date(2025, 11, 30), Term(months=3), date(2026, 2, 28)),
        (date(2023, 11, 30), Term(months=3), date(2024, 2, 29)),
        (date(2025, 12, 31), Term(years=15), date(2040, 12, 31)),
        # 42 days are days, across a month end, a year end and a leap day.
        (date(2025, 12, 25), Term(days=42), date(2026, 2, 5)),
        (date(2024, 2, 1), Term(days=42), date(2024, 3, 14)),
        (date(2025, 2, 1), Term(days=42), date(2025, 3, 15)),
        (date(2024, 2, 29), Term(days=42), date(2024, 4, 11)),
    ],
)
def test_terms_are_counted_on_the_calendar(start: date, term: Term, expected: date) -> None:
    assert term.after(start) == expected


def test_months_go_back_too() -> None:
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)
    assert add_months(date(2024, 8, 29), -6) == date(2024, 2, 29)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_terms_read_as_words() -> None:
    assert Term(years=10).text("nl") == "10 jaar"
    assert Term(days=42).text("en") == "42 days"
    assert Term(months=1).text("en") == "1 month"
    assert Term(years=1, months=6).text("nl") == "1 jaar en 6 maanden"


# ---------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("scheme", "years"),
    [
        (Scheme.PARTICIPATIEWET, 10),
        (Scheme.WSW, 10),
        (Scheme.WAJONG, 10),
        (Scheme.INBURGERING, 10),
        (Scheme.KINDEROPVANG, 10),
        (Scheme.LEERPLICHT_RMC, 10),
        (Scheme.WMO, 15),
        (Scheme.JEUGD, 20),
    ],
)
def test_a_granted_provision_is_kept_by_its_scheme(scheme: Scheme, years: int) -> None:
    found = schedule().provision(provision(scheme, date(2015, 3, 31)))
    assert found.category.term == Term(years=years)
    assert found.destroy_on == date(2015 + years, 3, 31)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_a_refusal_and_a_broken_off_case_are_kept_by_their_outcome(scheme: Scheme) -> None:
    refused = schedule().provision(provision(scheme, date(2020, 2, 29), REFUSED))
    assert (refused.category.code, refused.destroy_on) == ("refused", date(2025, 2, 28))
    broken = schedule().provision(provision(scheme, date(2026, 10, 1), BROKEN_OFF))
    assert (broken.category.code, broken.destroy_on) == ("broken_off", date(2026, 11, 12))


def test_every_category_names_its_source_and_start_event() -> None:
    rules = schedule()
    assert "Selectielijst" in rules.source and "2020" in rules.source
    for category in rules.categories.values():
        assert category.reference and category.label.nl and category.label.en
        assert category.start_event.nl and category.start_event.en
    assert rules.login_data.term == Term(months=6)


# ------------------------------------------------------------------------ the whole file


def test_the_latest_provision_governs_the_file() -> None:
    file = schedule().file(
        [
            provision(Scheme.PARTICIPATIEWET, date(2012, 6, 30)),  # 2022-06-30
            provision(Scheme.WMO, date(2020, 1, 15), REFUSED),  # 2025-01-15
            provision(Scheme.INBURGERING, date(2014, 12, 31)),  # 2024-12-31
        ]
    )
    assert file.status is FileStatus.SCHEDULED
    assert file.destroy_on == date(2025, 1, 15)
    assert file.category is not None and file.category.code == "refused"
    assert not file.due(date(2025, 1, 14))
    assert file.due(date(2025, 1, 15))


def test_a_longer_term_keeps_the_file_past_a_shorter_one_that_ended_later() -> None:
    file = schedule().file(
        [
            provision(Scheme.WMO, date(2012, 1, 1)),  # 15 years: 2027-01-01
            provision(Scheme.PARTICIPATIEWET, date(2016, 1, 1)),  # 10 years: 2026-01-01
        ]
    )
    assert file.destroy_on == date(2027, 1, 1)
    assert file.category is not None and file.category.code == "wmo"
    assert not file.due(date(2026, 6, 1))


def test_a_running_provision_keeps_the_whole_file() -> None:
    file = schedule().file(
        [provision(Scheme.PARTICIPATIEWET, date(1990, 1, 1)), provision(Scheme.WMO, None)]
    )
    assert file.status is FileStatus.RUNNING
    assert file.destroy_on is None and not file.due(date(2100, 1, 1))


def test_a_file_without_a_provision_is_never_due_automatically() -> None:
    file = schedule().file([])
    assert file.status is FileStatus.NO_PROVISION
    assert not file.due(date(2100, 1, 1))


# ------------------------------------------------------------------------------- erasure


def test_erasure_has_a_three_month_clock_for_wmo_and_youth_files() -> None:
    rules = schedule()
    assert rules.erasure_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert rules.erasure_due(date(2027, 11, 30)) == date(2028, 2, 29)
    assert rules.statutory_erasure([Scheme.PARTICIPATIEWET, Scheme.WMO])
    assert rules.statutory_erasure([Scheme.JEUGD])
    assert not rules.statutory_erasure([Scheme.PARTICIPATIEWET, Scheme.WSW])
    assert not rules.statutory_erasure([])


def test_login_data_older_than_six_months_is_past_its_term() -> None:
    assert schedule().login_data_cutoff(date(2026, 8, 31)) == date(2026, 2, 28)


# ------------------------------------------------------------------------ the enrollment


def test_an_enrollment_keeps_its_outcome_and_an_old_one_was_granted() -> None:
    refused = provision(Scheme.WMO, date(2024, 5, 1), REFUSED)
    fields = refused.to_fields()
    assert fields["outcome"] == "refused"
    assert Enrollment.from_fields(refused.id, fields) == refused
    del fields["outcome"]  # as a device from before outcomes sends it
    assert Enrollment.from_fields(refused.id, fields).outcome is GRANTED
    assert REFUSED.label("nl") == "Afgewezen" and BROKEN_OFF.label("en") == "Broken off"


def test_a_refused_application_was_never_active_and_needs_its_date() -> None:
    refused = provision(Scheme.WMO, date(2024, 5, 1), REFUSED)
    assert not refused.active_on(date(2024, 1, 1))
    assert provision(Scheme.WMO, date(2024, 5, 1)).active_on(date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused_without:
        provision(Scheme.WMO, None, REFUSED)
    assert refused_without.value.code == "decision_date_required"


# ------------------------------------------------------------------ the reference data


def _shipped() -> dict[str, Any]:
    return copy.deepcopy(retention_schedule())


def _broken(change: Any) -> RetentionScheduleError:
    data = _shipped()
    change(data)
    with pytest.raises(RetentionScheduleError) as refused:
        load_schedule(data)
    assert refused.value.code == "retention_schedule_invalid"
    return refused.value


def test_a_scheme_without_a_category_is_refused_by_name() -> None:
    error = _broken(lambda d: d["provisions"]["granted"].pop("wmo"))
    assert "'wmo'" in error.message_nl and "'wmo'" in error.message_en


def test_an_unknown_category_is_refused_by_name() -> None:
    error = _broken(lambda d: d["provisions"]["granted"].update(jeugd="youth_care"))
    assert "'youth_care'" in error.message_en
    error = _broken(lambda d: d["provisions"].update(refused="weigering"))
    assert "'weigering'" in error.message_en
    _broken(lambda d: d.update(login_data="logins"))


def test_a_missing_category_is_refused() -> None:
    error = _broken(
        lambda d: d.update(categories=[c for c in d["categories"] if c["code"] != "youth"])
    )
    assert "'youth'" in error.message_en


@pytest.mark.parametrize(
    "term", [{}, {"years": 0}, {"years": -10}, {"weeks": 6}, {"days": 4.5}, {"years": True}, 10]
)
def test_a_term_must_be_a_positive_number_of_years_months_or_days(term: Any) -> None:
    _broken(lambda d: d["categories"][0].update(term=term))


def test_other_defects_of_the_schedule_are_refused() -> None:
    _broken(lambda d: d["provisions"]["granted"].update(bijstand="provision"))  # no such scheme
    _broken(lambda d: d["categories"][1].update(code=d["categories"][0]["code"]))  # twice
    _broken(lambda d: d["categories"][0].update(start_event="birthday"))
    _broken(lambda d: d["categories"][0].pop("reference"))
    _broken(lambda d: d["provisions"].pop("broken_off"))
    _broken(lambda d: d["erasure"].update(schemes=["wmo", "bijstand"]))
    _broken(lambda d: d.pop("erasure"))
    _broken(lambda d: d.pop("provisions"))


def test_the_shipped_schedule_is_valid() -> None:
    rules = load_schedule(_shipped())
    assert set(rules.granted) == set(Scheme)
    assert set(rules.by_outcome) == {REFUSED, BROKEN_OFF}
    assert rules.erasure_schemes == {Scheme.WMO, Scheme.JEUGD}
