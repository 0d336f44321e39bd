"""How values are written for people: Dutch dates, local times, names, masked BSNs, sizes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.formatting import (
    capitalised,
    date_text,
    first_line,
    full_name,
    masked_bsn,
    mid_sentence,
    moment_text,
    size_text,
    sort_name,
    time_text,
)
from app.domain.local_time import ZONE


def test_dates() -> None:
    assert date_text(date(2026, 11, 22)) == "22-11-2026"
    assert date_text("2026-11-22") == "22-11-2026"
    assert date_text(None) == ""
    # A moment's day is its day in the Netherlands: 23:30 UTC on 21 November is the 22nd there.
    assert date_text(datetime(2026, 11, 21, 23, 30, tzinfo=UTC)) == "22-11-2026"
    with pytest.raises(ValueError):
        date_text("22 november")


def test_times_are_local_whatever_zone_they_come_in() -> None:
    summer = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
    winter = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert time_text(summer) == "14:05"
    assert time_text(winter) == "14:05"
    assert moment_text(winter) == "22-11-2026 14:05"
    other = winter.astimezone(timezone(timedelta(hours=-5)))
    assert moment_text(other) == "22-11-2026 14:05"
    assert time_text(None) == "" and moment_text(None) == ""


def test_moments_from_iso_strings() -> None:
    assert moment_text("2026-11-22T13:05:00+00:00") == "22-11-2026 14:05"
    # Stored times are UTC: a naive ISO string is read as UTC ...
    assert moment_text("2026-11-22T13:05:00") == "22-11-2026 14:05"
    # ... while a naive datetime object is taken to be local already.
    assert moment_text(datetime(2026, 11, 22, 14, 5)) == "22-11-2026 14:05"
    with pytest.raises(ValueError):
        moment_text("gisteren")


def test_another_zone_can_be_asked_for() -> None:
    moment = datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert moment_text(moment, zone=UTC) == "22-11-2026 13:05"
    assert moment_text(moment, zone=ZONE) == "22-11-2026 14:05"


def test_names_in_dutch_order() -> None:
    assert full_name(first_names="Jan Pieter", name_prefix="de", surname="Vries") == "Jan de Vries"
    assert full_name(initials="J.", name_prefix="de", surname="Vries") == "J. de Vries"
    assert full_name(surname="Mulder") == "Mulder"
    assert full_name(first_names="ijsbrand", name_prefix="Van der", surname="Meer") == (
        "IJsbrand van der Meer"
    )
    # The surname is kept as registered.
    assert full_name(first_names="Hedy", surname="d'Ancona") == "Hedy d'Ancona"
    assert sort_name(first_names="Jan", name_prefix="de", surname="Vries") == "Vries, Jan de"
    assert sort_name(initials="T.H.", surname="Mulder") == "Mulder, T.H."
    assert sort_name(surname="Mulder") == "Mulder"


def test_capitals() -> None:
    assert capitalised("ijsbrand") == "IJsbrand"
    assert capitalised("Ijmuiden") == "IJmuiden"
    assert capitalised("concept") == "Concept"
    assert capitalised("") == ""
    assert mid_sentence("Postcode") == "postcode"
    assert mid_sentence("BSN") == "BSN"
    assert mid_sentence("IJsselmeer") == "ijsselmeer"
    assert mid_sentence("") == ""


def test_bsn_is_masked_but_for_the_last_three_digits() -> None:
    assert masked_bsn("123456782") == "******782"
    assert masked_bsn("") == "" and masked_bsn(None) == ""


def test_sizes() -> None:
    assert size_text(512) == "512 bytes"
    assert size_text(4 * 1024) == "4 kB"
    assert size_text(int(1.5 * 1024 * 1024)) == "1,5 MB"
    assert size_text(int(1.5 * 1024 * 1024), "en") == "1.5 MB"
    assert size_text(25 * 1024 * 1024) == "25 MB"
    assert size_text(int(1.2 * 1024**3)) == "1,2 GB"


def test_first_line() -> None:
    assert first_line("  Eerste regel\ntweede") == "Eerste regel"
    assert first_line("") == ""
    long = "a" * 100
    assert first_line(long, 10) == "a" * 9 + "…"
