"""Calendar arithmetic shared by the clocks and the outcome indicators."""

import calendar
from datetime import date, datetime


def add_months(day: date, months: int) -> date:
    """The same calendar day `months` later (or earlier); the month's last day when it does not exist.

    February 29 plus 12 months is February 28; August 31 minus 6 months is February 28 (or 29).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Completed years on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def us_date(day: date, *, weekday: bool = False, year: bool = True) -> str:
    """A day written the US way, for people: "Mar 3, 2026" ("Tue, Mar 3" with weekday=True, year=False)."""
    written = f"{day:%b} {day.day}" + (f", {day.year}" if year else "")
    return f"{day:%a}, {written}" if weekday else written


def us_time(moment: datetime) -> str:
    """A time of day on a 12-hour clock, as US readers expect: "2:05 PM"."""
    return f"{moment.hour % 12 or 12}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"
