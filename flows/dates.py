"""Reading dates and hours the way mothers type them.

`12/03/2026`, `12-3-26`, `12 Maret 2026`, `tgl 3 kemarin`, `senin kemarin`,
`3 minggu yang lalu`, `1,5 bulan`, `sebulan setengah`, `kemarin`, `hamil 7 bulan`,
`hpl akhir januari`, `30 weeks`, `jam 7 malem`, `pagi aja`, `abis maghrib`.
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
# `3 mingguan`, `7 bulanan`: "about", the same amount
_UNIT = "(?:" + "|".join(sorted(UNIT_DAYS, key=len, reverse=True)) + ")(?=an\\b|\\b)"
_NUM = r"(\d{1,3}(?:[.,]\d)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# full month names only: a month alone (`hpl januari`) is read, an abbreviation alone is not
_FULL_MONTHS = {name: n for name, n in MONTHS.items() if len(name) > 3 or name == "mei"}
_WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5,
             "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
             "friday": 4, "saturday": 5, "sunday": 6}
_AGO = r"(?:lalu|yang lalu|yg lalu|yll|ago|kemarin|kmrn|kemaren|kmren)"


def _number(token: str) -> float:
    if token[0].isdigit():
        return float(token.replace(",", "."))
    return NUMBER_WORDS[token]


def _unit_days(unit: str) -> float:
    return UNIT_DAYS[unit[:-2] if unit not in UNIT_DAYS and unit.endswith("an") else unit]


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


_HALF_UNIT = r"(hari|minggu|mgg|pekan|bulan|bln|tahun|thn)"


def _clean(raw: str) -> str:
    s = raw.lower().strip()
    s = re.sub(r"(\D)\1{2,}", r"\1", s)
    s = re.sub(r"jum'?at", "jumat", s)
    # "and a half": `sebulan setengah`, `2 minggu setengah`, `satu setengah bulan`
    s = re.sub(rf"\bse{_HALF_UNIT}\s+setengah\b", r"1.5 \1", s)
    s = re.sub(rf"\b(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s+{_HALF_UNIT}\s+setengah\b",
               lambda m: f"{_number(m.group(1)) + 0.5:g} {m.group(2)}", s)
    s = re.sub(rf"\b(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s+setengah\s+{_HALF_UNIT}\b",
               lambda m: f"{_number(m.group(1)) + 0.5:g} {m.group(2)}", s)
    return re.sub(rf"\bsetengah\s+{_HALF_UNIT}\b", r"0.5 \1", s)


def parse_date(raw: str, today: date, *, past: bool) -> date | None:
    """A calendar date from a reply, or None. `past` says which side of today to expect."""
    s = _clean(raw)
    return _calendar(s, today, past) or _relative(s, today) or _month_only(s, today, past)


def _calendar(s: str, today: date, past: bool) -> date | None:
    """A day she named: `12/03/2026`, `12-3-26`, `12 Maret 2026`, `March 12`, `tgl 3`,
    `senin kemarin`."""
    numeric = re.search(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?\b"
                        rf"(?!\s*{_UNIT})", s)  # `1.5 bulan` is an age, not 1 May
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
    return _day_of_month(s, today, past) or _weekday(s, today, past)


def _day_of_month(s: str, today: date, past: bool) -> date | None:
    """`tgl 3`, `tanggal 3 kemarin` (the 3rd just gone), `tgl 3 bulan ini`, `tgl 3 bulan lalu`."""
    found = re.search(r"\b(?:tgl|tanggal|tangal|tg)\.?\s*(\d{1,2})\b", s)
    if not found:
        return None
    day = int(found.group(1))
    rest = s[found.end():]
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    if re.match(rf"\s*(?:bulan|bln)\s+{_AGO}\b", rest):
        return _safe_date(last_month.year, last_month.month, day)
    if re.match(r"\s*(?:bulan|bln)\s+ini\b", rest):
        return _safe_date(this_month.year, this_month.month, day)
    if re.match(r"\s*(?:bulan|bln|minggu|mgg|hari|hr|tahun|thn)\b", rest):
        return None  # `tgl 3 bulan 11` and the like: not a day we can be sure of
    # no month: the nearest such day on the expected side of today (the 30th, said on the
    # 28th of a month for a birth, is last month's)
    month = this_month
    for _ in range(3):
        found_day = _safe_date(month.year, month.month, day)
        if found_day is not None and (found_day <= today if past else found_day >= today):
            return found_day
        month = (month - timedelta(days=1)).replace(day=1) if past \
            else (month + timedelta(days=32)).replace(day=1)
    return None


def _weekday(s: str, today: date, past: bool) -> date | None:
    """`senin kemarin`, `hari minggu lalu`, `jumat`: the nearest such day (a week back when it
    is today's and she said `kemarin`/`lalu`)."""
    found = re.search(r"\b(?:hari\s+(minggu)|(" + "|".join(_WEEKDAYS) + r"))\b", s)
    if not found:
        return None
    weekday = 6 if found.group(1) else _WEEKDAYS[found.group(2)]
    ago = bool(re.search(rf"\b{_AGO}\b", s[found.end():]))
    if past:
        back = (today.weekday() - weekday) % 7 or (7 if ago else 0)
        return today - timedelta(days=back)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _month_only(s: str, today: date, past: bool) -> date | None:
    """A month with no day (`hpl januari`, `akhir januari`, `lahir bulan oktober`): about its
    middle, its 5th (`awal`) or its 25th (`akhir`), on the expected side of today."""
    found = re.search(r"\b(?:(awal|akhir|pertengahan|tengah|early|late|mid|end of|"
                      r"beginning of|start of|middle of)\s+)?(?:bulan\s+|bln\s+)?("
                      + "|".join(_FULL_MONTHS) + r")\b(?:\s+(\d{4}))?", s)
    if not found:
        return None
    day = {"awal": 5, "early": 5, "beginning of": 5, "start of": 5, "akhir": 25, "late": 25,
           "end of": 25}.get(found.group(1) or "", 15)
    month = _FULL_MONTHS[found.group(2)]
    if found.group(3):
        return _safe_date(int(found.group(3)), month, day)
    if month == today.month:  # this month: the estimate never falls on the wrong side of today
        this = today.replace(day=day)
        return min(this, today) if past else max(this, today)
    return _without_year(month, day, today, past)


_TODAY = (r"hari ini|hr ini|today|barusan|tadi|td (?:pagi|siang|sore|malam)|"
          r"(?:pagi|siang|sore) ini|this (?:morning|afternoon|evening)")
_YESTERDAY = r"kemarin|kmrn|kemaren|kmren|yesterday"
_DAYS_AGO = re.compile(rf"\b{_NUM}\s*-?\s*(hari|hr|days?)\b.*\b(lalu|yang lalu|yg lalu|yll|ago)\b")
# `minggu lalu`, `bulan kemarin`: about one of them ago
_LAST_UNIT = re.compile(rf"(?<!\bhari )\b(minggu|mgg|pekan|bulan|bln|week|month)\s+{_AGO}\b"
                        r"|\blast (week|month)\b")


def is_estimate(raw: str, today: date) -> bool:
    """True when a date came from an age or `3 minggu yang lalu`, not from a day she named
    (a date, today, yesterday, `3 hari yang lalu`): only then do we say "about"."""
    s = _clean(raw)
    if _calendar(s, today, True) is not None or _DAYS_AGO.search(s):
        return False
    if re.search(rf"\b{_NUM}\s*-?\s*({_UNIT})", s):  # weeks or months ago, an age
        return True
    if _LAST_UNIT.search(s) or _month_only(s, today, True) is not None:
        return True
    return not re.search(rf"\b({_TODAY}|{_YESTERDAY})\b", s)


def _relative(s: str, today: date) -> date | None:
    # an amount ago first: `2 minggu kemarin` is two weeks, not yesterday
    ago = re.search(
        rf"\b{_NUM}\s*-?\s*({_UNIT})(?:an)?\b.*\b(lalu|yang lalu|yg lalu|yll|ago|kemarin|kmrn)\b"
        rf"|\bse({_UNIT})\b.*\b(lalu|ago)\b",
        s,
    )
    if ago:
        if ago.group(1):
            amount, unit = _number(ago.group(1)), ago.group(2)
        else:
            amount, unit = 1, ago.group(4)
        return today - timedelta(days=round(amount * _unit_days(unit)))
    last = _LAST_UNIT.search(s)
    if last:
        unit = {"week": "minggu", "month": "bulan"}.get(last.group(1) or last.group(2) or "",
                                                        last.group(1) or "minggu")
        return today - timedelta(days=round(_unit_days(unit)))
    if re.search(rf"\b({_TODAY})\b", s):
        return today
    if re.search(rf"\b({_YESTERDAY})\b", s):
        if re.search(r"\b(lusa)\b", s):
            return today - timedelta(days=2)
        return today - timedelta(days=1)
    return None


def parse_child_age(raw: str, today: date) -> date | None:
    """A birth date from an age: `umur 2 bulan`, `3 minggu`, `10 days old`."""
    s = _clean(raw)
    age = re.search(rf"\b{_NUM}\s*-?\s*({_UNIT})(?:an)?\b", s)
    if not age:
        return None
    return today - timedelta(days=round(_number(age.group(1)) * _unit_days(age.group(2))))


def parse_pregnancy_age(raw: str, today: date) -> date | None:
    """A due date from how far along she is: `hamil 7 bulan`, `30 minggu`, `28 weeks`."""
    s = _clean(raw)
    found = re.search(rf"\b{_NUM}\s*-?\s*(minggu|mgg|mg|pekan|weeks?|wk|bulan|bln|bl|months?)"
                      r"(?:an)?\b", s)
    if not found:
        return None
    amount, unit = _number(found.group(1)), found.group(2)
    in_months = unit in ("bulan", "bln", "bl") or unit.startswith("month")
    weeks = amount * 4.33 if in_months else amount
    return today + timedelta(days=round(280 - weeks * 7))


_PARTS_OF_DAY = {
    "subuh": 6, "pagi": 8, "morning": 8, "siang": 12, "noon": 12, "sore": 16,
    "afternoon": 15, "petang": 18, "malam": 19, "malem": 19, "mlm": 19, "evening": 19,
    "night": 20,
    # the prayer times many mothers plan their day by (WIB, roughly): `abis maghrib`
    "dzuhur": 13, "zuhur": 13, "duhur": 13, "lohor": 13, "ashar": 16, "asar": 16,
    "maghrib": 18, "magrib": 18, "isya": 19, "isyak": 19,
}
_AFTER = re.compile(r"\b(abis|habis|setelah|sesudah|ba'?da|bada|after)\s+$")
_ANY = re.compile(r"\b(terserah|bebas|kapan aja|kapan saja|kapanpun|kapan pun|any ?time|whenever|"
                  r"up to you|gpp|jam (berapa|brp) (aja|saja|pun)|sembarang|apa aja|"
                  r"(tidak|tdk|gak|ga|gk|nggak|enggak) (tahu|tau)|gatau|bingung|don'?t know|"
                  r"not sure|doesn'?t matter)\b")


def _part_of_day(s: str) -> int | None:
    """The hour a word for a time of day stands for (`pagi2`, `abis maghrib`)."""
    for word, hour in _PARTS_OF_DAY.items():
        found = re.search(rf"(?<![a-z]){word}s?(?![a-z])", s)  # (`evenings`)
        if found:
            after = hour >= 13 and _AFTER.search(s[:found.start()]) is not None
            return hour + 1 if after else hour
    return None


def parse_hour(raw: str) -> int | str | None:
    """An hour 0-23 from `8`, `jam 7 malam`, `19.00`, `pagi aja`; "any" for `terserah`."""
    s = raw.lower().strip()
    if _ANY.search(s):
        return "any"
    found = re.search(r"\b(\d{1,2})(?:\s*[.:]\s*(\d{2}))?\s*(am|pm|wib|wita|wit)?\b", s)
    part = _part_of_day(s)
    if found:
        hour = int(found.group(1))
        suffix = found.group(3)
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        elif part is not None and part >= 18 and hour == 12:
            hour = 0  # `jam 12 malam` is midnight
        elif part is not None and part >= 12 and hour < 12:
            hour += 12
        return hour if 0 <= hour <= 23 else None
    return part
