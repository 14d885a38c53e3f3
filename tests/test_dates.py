"""Dates and hours as mothers type them."""

from __future__ import annotations

from datetime import date

import pytest

from flows.dates import is_estimate, parse_child_age, parse_date, parse_hour, parse_pregnancy_age

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("typed", "expected"), [
    ("12/03/2026", date(2026, 3, 12)),
    ("12-3-26", date(2026, 3, 12)),
    ("12.03.2026", date(2026, 3, 12)),
    ("12 Maret 2026", date(2026, 3, 12)),
    ("tgl 5 agustus 2026", date(2026, 8, 5)),
    ("March 12, 2026", date(2026, 3, 12)),
    ("3 minggu yang lalu", date(2026, 11, 7)),
    ("3 minggu yg lalu", date(2026, 11, 7)),
    ("dua minggu lalu", date(2026, 11, 14)),
    ("seminggu lalu", date(2026, 11, 21)),
    ("2 hari lalu", date(2026, 11, 26)),
    ("kemarin", date(2026, 11, 27)),
    ("lahir hari ini", TODAY),
    ("3 weeks ago", date(2026, 11, 7)),
    ("12 nov", date(2026, 11, 12)),
])
def test_birth_dates_in_the_forms_mothers_type(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY, past=True) == expected


@pytest.mark.parametrize(("typed", "expected", "estimate"), [
    # "kemarin" after a day of the month is "the 3rd just gone", not yesterday
    ("lahirnya tgl 3 kemarin", date(2026, 11, 3), False),
    ("tgl 3", date(2026, 11, 3), False),
    ("tanggal 30", date(2026, 10, 30), False),
    ("tgl 3 bulan ini", date(2026, 11, 3), False),
    ("tgl 31", date(2026, 10, 31), False),  # not "3 bulan": three months
    ("tgl 20 bulan lalu", date(2026, 10, 20), False),
    ("senin kemarin", date(2026, 11, 23), False),  # the 28th is a Saturday
    ("hari minggu lalu", date(2026, 11, 22), False),
    ("2 minggu kemarin", date(2026, 11, 14), True),
    ("minggu lalu", date(2026, 11, 21), True),
    ("bulan kemarin", date(2026, 10, 29), True),
    ("lahir bulan oktober", date(2026, 10, 15), True),
])
def test_birth_dates_in_informal_words(typed: str, expected: date, estimate: bool) -> None:
    assert parse_date(typed, TODAY, past=True) == expected
    assert is_estimate(typed, TODAY) is estimate


@pytest.mark.parametrize(("typed", "expected"), [
    ("1,5 bulan", date(2026, 10, 13)),  # was read as 5 months
    ("1.5 bulan", date(2026, 10, 13)),  # not 1 May
    ("sebulan setengah", date(2026, 10, 13)),
    ("2 minggu setengah", date(2026, 11, 10)),
    ("3 mingguan", date(2026, 11, 7)),
])
def test_ages_with_a_half_or_about(typed: str, expected: date) -> None:
    assert parse_child_age(typed, TODAY) == expected


def test_a_due_month_without_a_day_is_read_as_about_its_middle_or_its_end() -> None:
    assert parse_date("hpl januari", TODAY, past=False) == date(2027, 1, 15)
    assert parse_date("akhir januari", TODAY, past=False) == date(2027, 1, 25)
    assert parse_date("awal februari 2027", TODAY, past=False) == date(2027, 2, 5)
    assert is_estimate("hpl januari", TODAY)
    assert parse_date("due end of january", TODAY, past=False) == date(2027, 1, 25)
    assert parse_pregnancy_age("7 bulanan", TODAY) == date(2027, 2, 4)


@pytest.mark.parametrize("typed", ["kapan ya", "31/02/2026", "besok pagi", "", "🙂"])
def test_what_is_not_a_date_is_none(typed: str) -> None:
    assert parse_date(typed, TODAY, past=True) is None


def test_a_day_and_month_without_a_year_falls_on_the_expected_side_of_today() -> None:
    assert parse_date("12/12", TODAY, past=True) == date(2025, 12, 12)
    assert parse_date("12/01", TODAY, past=False) == date(2027, 1, 12)


def test_how_far_along_gives_a_due_date() -> None:
    assert parse_pregnancy_age("hamil 7 bulan", TODAY) == date(2027, 2, 4)
    assert parse_pregnancy_age("usia kandungan 30 minggu", TODAY) == date(2027, 2, 6)
    assert parse_pregnancy_age("28 weeks", TODAY) == date(2027, 2, 20)
    assert parse_pregnancy_age("belum tahu", TODAY) is None


def test_a_child_age_gives_a_birth_date() -> None:
    assert parse_child_age("umur 2 bulan", TODAY) == date(2026, 9, 28)
    assert parse_child_age("10 days old", TODAY) == date(2026, 11, 18)


@pytest.mark.parametrize(("typed", "hour"), [
    ("8", 8), ("19", 19), ("jam 7 malam", 19), ("pagi aja", 8), ("19.00", 19), ("7pm", 19),
    ("siang", 12), ("sore", 16), ("terserah", "any"), ("bebas kapan aja", "any"), ("25", None),
    ("hmm", None),
    # as they are typed in a chat
    ("malem", 19), ("jm 7 mlm", 19), ("jam 7 malem", 19), ("pagi2", 8), ("jam brp aja", "any"),
    ("jam 12 malam", 0), ("abis maghrib", 19), ("habis isya", 20), ("ba'da ashar", 17),
    ("gak tau bun", "any"), ("bingung", "any"), ("evenings", 19), ("mornings please", 8),
])
def test_hours(typed: str, hour: int | str | None) -> None:
    assert parse_hour(typed) == hour
