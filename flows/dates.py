"""Reading dates and hours the way mothers type them.

`12/03/2026`, `12-3-26`, `12 Maret 2026`, `3 minggu yang lalu`, `kemarin`,
`hamil 7 bulan`, `30 weeks`, `jam 7 malam`, `pagi aja`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2,
    "february": 2, "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5,
    "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12,
    "december": 12,
}
NUMBER_WORDS = {
    "se": 1, "satu": 1, "one": 1, "a": 1, "an": 1, "dua": 2, "two": 2, "tiga": 3, "three": 3,
    "empat": 4, "four": 4, "lima": 5, "five": 5, "enam": 6, "six": 6, "tujuh": 7, "seven": 7,
    "delapan": 8, "eight": 8, "sembilan": 9, "nine": 9, "sepuluh": 10, "ten": 10,
    "sebelas": 11, "eleven": 11, "duabelas": 12, "twelve": 12,
}
UNIT_DAYS = {
    "hari": 1, "hr": 1, "day": 1, "days": 1, "minggu": 7, "mgg": 7, "mg": 7, "pekan": 7,
    "week": 7, "weeks": 7, "wk": 7, "bulan": 30.44, "bln": 30.44, "bl": 30.44,
    "month": 30.44, "months": 30.44, "tahun": 365.25, "thn": 365.25, "year": 365.25,
}
_UNIT = "|".join(sorted(UNIT_DAYS, key=len, reverse=True))
_NUM = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"


def _number(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def _year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if year < 100 else year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _without_year(month: int, day: int, today: date, past: bool) -> date | None:
    """A day and month with no year: the nearest such date on the expected side of today."""
    this_year = _safe_date(today.year, month, day)
    if this_year is None:
        return None
    if past and this_year > today:
        return _safe_date(today.year - 1, month, day)
    if not past and this_year < today:
        return _safe_date(today.year + 1, month, day)
    return this_year


def _clean(raw: str) -> str:
    s = raw.lower().strip()
    return re.sub(r"(\D)\1{2,}", r"\1", s)


def parse_date(raw: str, today: date, *, past: bool) -> date | None:
    """A calendar date from a reply, or None. `past` says which side of today to expect."""
    s = _clean(raw)
    return _calendar(s, today, past) or _relative(s, today)


def _calendar(s: str, today: date, past: bool) -> date | None:
    """A day she named: `12/03/2026`, `12-3-26`, `12 Maret 2026`, `March 12`."""
    numeric = re.search(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?\b", s)
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", s)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    if numeric:
        day, month = int(numeric.group(1)), int(numeric.group(2))
        if numeric.group(3):
            return _safe_date(_year(numeric.group(3)), month, day)
        return _without_year(month, day, today, past)
    named = re.search(r"\b(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{2,4}))?\b", s)
    if named and named.group(2) in MONTHS:
        day, month = int(named.group(1)), MONTHS[named.group(2)]
        if named.group(3):
            return _safe_date(_year(named.group(3)), month, day)
        return _without_year(month, day, today, past)
    english = re.search(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?\b", s)
    if english and english.group(1) in MONTHS:
        day, month = int(english.group(2)), MONTHS[english.group(1)]
        if english.group(3):
            return _safe_date(int(english.group(3)), month, day)
        return _without_year(month, day, today, past)
    return None


_TODAY = (r"hari ini|hr ini|today|barusan|tadi|td (?:pagi|siang|sore|malam)|"
          r"(?:pagi|siang|sore) ini|this (?:morning|afternoon|evening)")
_YESTERDAY = r"kemarin|kmrn|kemaren|kmren|yesterday"
_DAYS_AGO = re.compile(rf"\b{_NUM}\s*-?\s*(hari|hr|days?)\b.*\b(lalu|yang lalu|yg lalu|yll|ago)\b")


def is_estimate(raw: str, today: date) -> bool:
    """True when a date came from an age or `3 minggu yang lalu`, not from a day she named
    (a date, today, yesterday, `3 hari yang lalu`): only then do we say "about"."""
    s = _clean(raw)
    if _calendar(s, today, True) is not None or _DAYS_AGO.search(s):
        return False
    if re.search(rf"\b{_NUM}\s*-?\s*({_UNIT})\b", s):  # weeks or months ago, an age
        return True
    return not re.search(rf"\b({_TODAY}|{_YESTERDAY})\b", s)


def _relative(s: str, today: date) -> date | None:
    if re.search(rf"\b({_TODAY})\b", s):
        return today
    if re.search(rf"\b({_YESTERDAY})\b", s):
        if re.search(r"\b(lusa)\b", s):
            return today - timedelta(days=2)
        return today - timedelta(days=1)
    ago = re.search(
        rf"\b{_NUM}\s*-?\s*({_UNIT})\b.*\b(lalu|yang lalu|yg lalu|yll|ago|kemarin|kmrn)\b"
        rf"|\bse({_UNIT})\b.*\b(lalu|ago)\b",
        s,
    )
    if ago:
        if ago.group(1):
            amount, unit = _number(ago.group(1)), ago.group(2)
        else:
            amount, unit = 1, ago.group(4)
        return today - timedelta(days=round(amount * UNIT_DAYS[unit]))
    return None


def parse_child_age(raw: str, today: date) -> date | None:
    """A birth date from an age: `umur 2 bulan`, `3 minggu`, `10 days old`."""
    s = raw.lower()
    age = re.search(rf"\b{_NUM}\s*-?\s*({_UNIT})\b", s)
    if not age:
        return None
    return today - timedelta(days=round(_number(age.group(1)) * UNIT_DAYS[age.group(2)]))


def parse_pregnancy_age(raw: str, today: date) -> date | None:
    """A due date from how far along she is: `hamil 7 bulan`, `30 minggu`, `28 weeks`."""
    s = raw.lower()
    found = re.search(rf"\b{_NUM}\s*-?\s*(minggu|mgg|mg|pekan|weeks?|wk|bulan|bln|bl|months?)\b", s)
    if not found:
        return None
    amount, unit = _number(found.group(1)), found.group(2)
    in_months = unit in ("bulan", "bln", "bl") or unit.startswith("month")
    weeks = amount * 4.33 if in_months else amount
    return today + timedelta(days=round(280 - weeks * 7))


_PARTS_OF_DAY = {
    "subuh": 6, "pagi": 8, "morning": 8, "siang": 12, "noon": 12, "sore": 16,
    "afternoon": 15, "petang": 18, "malam": 19, "evening": 19, "night": 20,
}
_ANY = re.compile(r"\b(terserah|bebas|kapan aja|kapan saja|any ?time|whenever|up to you|gpp)\b")


def parse_hour(raw: str) -> int | str | None:
    """An hour 0-23 from `8`, `jam 7 malam`, `19.00`, `pagi aja`; "any" for `terserah`."""
    s = raw.lower().strip()
    if _ANY.search(s):
        return "any"
    found = re.search(r"\b(\d{1,2})(?:\s*[.:]\s*(\d{2}))?\s*(am|pm|wib|wita|wit)?\b", s)
    part = next(
        (hour for word, hour in _PARTS_OF_DAY.items() if re.search(rf"\b{word}\b", s)), None
    )
    if found:
        hour = int(found.group(1))
        suffix = found.group(3)
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        elif part is not None and part >= 12 and hour < 12:
            hour += 12
        return hour if 0 <= hour <= 23 else None
    return part
