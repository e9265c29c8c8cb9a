"""The four clocks (docs/reference/saferr-and-clocks.md): ASFA permanency timelines, the pace of recovery and the
child's developmental timeline, computed from plain facts so every rule can be tested on its own.

Conventions (documented in docs/tasks/family-timeline-and-clocks.md):
- Days in care count from the date the child is considered to have entered foster care: the earlier
  of the first judicial finding of abuse or neglect and 60 days after removal.
- Trial home visits and runaway periods do not count.
- A month of cumulative time in care is 365/12 days: 12 months is 365 days, 15 months 457 days.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from familybridge.dates import add_months, age_on, us_date

MONTH_DAYS = 365 / 12
ENTRY_AFTER_REMOVAL_DAYS = 60
TPR_MONTHS = 15
LOOKBACK_MONTHS = 22
PERMANENCY_HEARING_MONTHS = 12
WARN_BEFORE_HEARING_DAYS = 60
WARN_AT_MONTHS_IN_CARE = 12


def months_to_days(months: int) -> int:
    return math.ceil(months * MONTH_DAYS)


@dataclass(frozen=True)
class Period:
    """Days from start up to, not including, end (None: still going)."""

    start: date
    end: date | None = None

    def days_within(self, window_start: date, window_end_exclusive: date) -> int:
        start = max(self.start, window_start)
        end = min(self.end or window_end_exclusive, window_end_exclusive)
        return max((end - start).days, 0)


@dataclass(frozen=True)
class CareEpisode:
    """One removal episode as the ASFA clock needs it."""

    removal_date: date
    discharge_date: date | None = None
    first_finding_date: date | None = None
    not_counted: tuple[Period, ...] = ()  # trial home visits and runaway periods

    @property
    def entry_date(self) -> date:
        return foster_care_entry_date(self.removal_date, self.first_finding_date)

    def days_in_care(self, window_start: date, window_end_exclusive: date) -> int:
        counted = Period(self.entry_date, self.discharge_date).days_within(window_start, window_end_exclusive)
        excluded = sum(
            p.days_within(max(window_start, self.entry_date), window_end_exclusive) for p in self.not_counted
        )
        return max(counted - excluded, 0)


def foster_care_entry_date(removal_date: date, first_finding_date: date | None) -> date:
    """The earlier of the first judicial finding of abuse or neglect and 60 days after removal."""
    sixty_days_after = removal_date + timedelta(days=ENTRY_AFTER_REMOVAL_DAYS)
    if first_finding_date is None:
        return sixty_days_after
    return min(first_finding_date, sixty_days_after)


def days_in_care_of_recent_22_months(episodes: list[CareEpisode], as_of: date) -> int:
    """Days in care, counted as ASFA counts them, within the 22 months ending on as_of (inclusive)."""
    window_start = add_months(as_of, -LOOKBACK_MONTHS)
    window_end = as_of + timedelta(days=1)
    return sum(episode.days_in_care(window_start, window_end) for episode in episodes)


def date_reaching_15_of_22(episodes: list[CareEpisode], as_of: date) -> date | None:
    """The first day from as_of on when the child will have been in care 15 of the most recent 22
    months, if the current episode goes on; None when the child is not in care and has not reached it."""
    threshold = months_to_days(TPR_MONTHS)
    in_care = any(e.discharge_date is None for e in episodes)
    horizon = add_months(as_of, LOOKBACK_MONTHS) if in_care else as_of
    day = as_of
    while day <= horizon:
        days = days_in_care_of_recent_22_months(episodes, day)
        if days >= threshold:
            return day
        # A day adds at most one day in care, so no day before this one can reach the threshold.
        day += timedelta(days=threshold - days)
    return None


def date_reached_15_of_22(episodes: list[CareEpisode], as_of: date) -> date:
    """The day a child who is at 15 of the most recent 22 months on as_of first reached it, in the run of days
    up to as_of that all stayed at or above it."""
    threshold = months_to_days(TPR_MONTHS)
    day = as_of
    while True:
        surplus = days_in_care_of_recent_22_months(episodes, day) - threshold
        if surplus > 0:
            # A day back changes the count by at most one, so the days in between stay at or above it.
            day -= timedelta(days=surplus)
        elif days_in_care_of_recent_22_months(episodes, day - timedelta(days=1)) < threshold:
            return day
        else:
            day -= timedelta(days=1)


PERMANENCY_HEARING = "Permanency hearing"
FIFTEEN_OF_22 = "15 of 22 months"


class Level:
    OK = "ok"
    WARNING = "warning"
    DUE = "due"


@dataclass(frozen=True)
class Clock:
    name: str
    level: str
    headline: str
    deadline: date | None = None
    detail: str = ""
    deadline_label: str = ""  # words before the deadline's date on the page: "by", "reaches 15 on"


@dataclass(frozen=True)
class ChildFacts:
    birth_date: date | None
    episodes: list[CareEpisode] = field(default_factory=list)
    permanency_hearings: list[date] = field(default_factory=list)
    tpr_exception: str = ""  # a TprException label, or "" when none is documented
    placed_with_relative: bool = False


def asfa_clocks(child: ChildFacts, as_of: date) -> list[Clock]:
    """The 12-month permanency hearing and the 15-of-22-months clock of a child who has been in care."""
    if not child.episodes:
        return []
    clocks = []
    current = next((e for e in child.episodes if e.discharge_date is None), None)
    if current is not None:
        clocks.append(permanency_hearing_clock(current, child.permanency_hearings, as_of))
    clocks.append(fifteen_of_twenty_two_clock(child, as_of))
    return clocks


def permanency_hearing_clock(episode: CareEpisode, hearings: list[date], as_of: date) -> Clock:
    """A permanency hearing within 12 months of entry into foster care, and every 12 months after."""
    held = sorted(d for d in hearings if d >= episode.removal_date and d <= as_of)
    due = add_months(held[-1] if held else episode.entry_date, PERMANENCY_HEARING_MONTHS)
    days_left = (due - as_of).days
    if days_left < 0:
        return Clock(PERMANENCY_HEARING, Level.DUE, f"Overdue by {_days(-days_left)}", due, deadline_label="was due")
    level = Level.WARNING if days_left <= WARN_BEFORE_HEARING_DAYS else Level.OK
    headline = f"Due in {_days(days_left)}" if days_left else "Due today"
    since = "the last permanency hearing" if held else f"entry into foster care on {us_date(episode.entry_date)}"
    return Clock(PERMANENCY_HEARING, level, headline, due, f"12 months from {since}.", deadline_label="by")


TPR_DUE = "A petition to terminate parental rights is due now: ASFA asks for one unless an exception is documented."
TPR_AHEAD = (
    "At 15 months, if the child stays in care, ASFA asks the agency to file to terminate parental rights "
    "unless an exception applies."
)


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def time_in_care(days: int) -> str:
    """Days in care in words: days under a month, else completed months, to one decimal only when not whole."""
    if days * 12 < 365:
        return "No time" if days == 0 else _days(days)
    tenths = days * 120 // 365  # completed tenths of a month, so 14.99 months never reads as 15
    months = str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
    return "1 month" if months == "1" else f"{months} months"


def fifteen_of_twenty_two_clock(child: ChildFacts, as_of: date) -> Clock:
    days = days_in_care_of_recent_22_months(child.episodes, as_of)
    exception = child.tpr_exception or ("The child is placed with a relative" if child.placed_with_relative else "")
    documented = f"Exception documented: {exception}." if exception else ""
    headline = f"{time_in_care(days)} in care in the last 22 months"
    reached = days >= months_to_days(TPR_MONTHS)
    reached_on = (date_reached_15_of_22 if reached else date_reaching_15_of_22)(child.episodes, as_of)
    if reached:
        if exception:
            return Clock(FIFTEEN_OF_22, Level.WARNING, headline, reached_on, documented, "15 reached by")
        return Clock(FIFTEEN_OF_22, Level.DUE, headline, reached_on, TPR_DUE, "15 reached by")
    detail = f"{TPR_AHEAD if reached_on else ''} {documented}".strip()
    level = Level.WARNING if days >= months_to_days(WARN_AT_MONTHS_IN_CARE) else Level.OK
    return Clock(FIFTEEN_OF_22, level, headline, reached_on, detail, "reaches 15 on")


@dataclass(frozen=True)
class TreatmentFacts:
    admission_date: date
    discharge_date: date | None = None
    positive_tests: list[date] = field(default_factory=list)


def recovery_clock(treatment: TreatmentFacts, as_of: date) -> Clock | None:
    """Days in the current treatment episode, and days since the last positive test (or admission)."""
    if treatment.discharge_date is not None and treatment.discharge_date < as_of:
        return None
    in_treatment = (as_of - treatment.admission_date).days
    positives = [d for d in treatment.positive_tests if treatment.admission_date <= d <= as_of]
    recovery_start = max(positives) if positives else treatment.admission_date
    in_recovery = (as_of - recovery_start).days
    since = "the last positive test" if positives else "admission"
    return Clock(
        "Recovery",
        Level.OK,
        f"{_days(in_treatment)} in treatment, {_days(in_recovery)} in recovery",
        detail=f"Recovery counted from {since}. Relapse is common early in recovery; it calls for a response, "
        "not an ending.",
    )


DEVELOPMENTAL_STAGES = [
    (1, "Infant", "Attachment forms now: frequent, consistent family time matters most."),
    (3, "Toddler", "Early attachment and language; separations are felt keenly."),
    (6, "Preschool", "School readiness and early relationships."),
    (13, "School age", "School stability and friendships."),
    (18, "Adolescent", "Identity, school and preparing for adulthood."),
]


def developmental_clock(birth_date: date, as_of: date) -> Clock:
    age = age_on(birth_date, as_of)
    for upper, stage, note in DEVELOPMENTAL_STAGES:
        if age < upper:
            months = (as_of.year - birth_date.year) * 12 + as_of.month - birth_date.month - (as_of.day < birth_date.day)
            shown = f"{months} months" if age < 2 else f"{age} years"
            return Clock("Development", Level.OK, f"{stage}, {shown}", detail=note)
    return Clock("Development", Level.OK, f"Adult, {age} years")
