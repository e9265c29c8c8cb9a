"""Calendar arithmetic shared by the clocks and the outcome indicators."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same calendar day `months` later (or earlier); the month's last day when it does not exist.

    29 February plus 12 months is 28 February; 31 August minus 6 months is 28 (or 29) February.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Completed years on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
