"""How long each step of a referral took, against the partnership's targets."""

from dataclasses import dataclass
from datetime import date, timedelta


def business_days_between(start: date, end: date) -> int:
    """Weekdays after start up to and including end (holidays are not known to familybridge)."""
    days = (end - start).days
    whole_weeks, rest = divmod(max(days, 0), 7)
    extra = sum(1 for offset in range(1, rest + 1) if (start + timedelta(days=offset)).weekday() < 5)
    return whole_weeks * 5 + extra


def add_business_days(start: date, days: int) -> date:
    """The day `days` weekdays after start: the last day a target in business days is met
    (`business_days_between(start, it) == days`)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


@dataclass(frozen=True)
class Timeliness:
    step: str
    elapsed: str
    target: str
    met: bool | None  # None while the step has not happened and the target has not passed


def measure(
    referral_date: date,
    *,
    responded_on: date | None,
    assessed_on: date | None,
    admitted_on: date | None,
    today: date,
    respond_business_days: int,
    assess_days: int,
    admit_days: int,
) -> list[Timeliness]:
    lines = []
    response_end = responded_on or today
    response_days = business_days_between(referral_date, response_end)
    lines.append(
        Timeliness(
            "Answered",
            f"{response_days} business days" + ("" if responded_on else " so far"),
            f"{respond_business_days} business days",
            response_days <= respond_business_days if responded_on or response_days > respond_business_days else None,
        )
    )
    for step, happened, target in (("Assessed", assessed_on, assess_days), ("Admitted", admitted_on, admit_days)):
        days = ((happened or today) - referral_date).days
        lines.append(
            Timeliness(
                step,
                f"{days} days" + ("" if happened else " so far"),
                f"{target} days",
                days <= target if happened or days > target else None,
            )
        )
    return lines
