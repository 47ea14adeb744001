"""What a field of refs.bib says, in Chicago form: years, dates, editions, pages.

Dates are written day month year ("10 March 1953"), as the edition writes
them everywhere else (Chicago 6.38 allows it). ``date`` is biblatex's ISO
date (``1953-03-10``); a BibTeX ``year`` and ``month`` serve where it is missing.
"""

from __future__ import annotations

import re

from pybtex.database import Entry

NO_DATE = "n.d."

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, 1)}
_MONTH_NUMBERS.update({name[:3].lower(): number for number, name in enumerate(MONTHS, 1)})

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


def _date_parts(entry: Entry, field: str = "date") -> tuple[str, int | None, int | None]:
    """(year, month, day) of ``date`` (or ``urldate``…), else of ``year`` and ``month``."""
    found = _ISO_DATE.fullmatch(entry.fields.get(field, "").strip())
    if found:
        year, month, day = found.groups()
        return year, int(month) if month else None, int(day) if day else None
    if field != "date":
        return "", None, None
    month = entry.fields.get("month", "").strip().lower()
    number = int(month) if month.isdigit() else _MONTH_NUMBERS.get(month[:3])
    return entry.fields.get("year", "").strip(), number, None


def year(entry: Entry) -> str:
    """The year of the author–date citation: "1993", or "n.d." (Chicago 15.44)."""
    return entry.fields.get("year", "").strip() or _date_parts(entry)[0] or NO_DATE


def full_date(entry: Entry, field: str = "date") -> str:
    """"10 March 1953", "August 1953", or "" where only a year is known. The
    day is tied to its month (a no-break space), as the book's dates are."""
    year_, month, day = _date_parts(entry, field)
    if not month or not 1 <= month <= 12:
        return ""
    month_year = " ".join(part for part in (MONTHS[month - 1], year_) if part)
    return f"{day}\u00a0{month_year}" if day else month_year


def edition(value: str) -> str:
    """"Third" or "3" → "3rd ed."; "Revised" → "Rev. ed." (Chicago 14.113)."""
    value = " ".join(value.split()).rstrip(".")
    number = ORDINAL_WORDS.get(value.lower()) or (int(value) if value.isdigit() else None)
    if number is None:
        return f"{value[:1].upper()}{value[1:]} ed." if value else ""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix} ed."


def page_range(value: str) -> str:
    """"681--690" → "681–90": inclusive numbers as Chicago 9.61 abbreviates
    them; a range that is not of two arabic numbers is kept, with an en dash."""
    parts = [part.strip() for part in re.split(r"\s*(?:-+|–|—)\s*", value.strip())]
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return "–".join(parts)
    first, last = parts
    if len(last) != len(first) or int(first) < 100 or int(first) % 100 == 0:
        return f"{first}–{last}"
    # Keep the changed digits, and at least two where the first number's
    # last two are 10 or more ("321–28", but "101–8").
    keep = len(last) - next((i for i, (a, b) in enumerate(zip(first, last)) if a != b), len(last))
    if int(first[-2:]) >= 10:
        keep = max(keep, 2)
    return f"{first}–{last[-keep:] if keep else last[-1:]}"
