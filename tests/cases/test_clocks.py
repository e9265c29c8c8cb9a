"""Every rule of the four clocks, on hand-worked dates."""

from datetime import date, timedelta

from familybridge.cases.clocks import (
    CareEpisode,
    ChildFacts,
    Level,
    Period,
    TreatmentFacts,
    asfa_clocks,
    date_reaching_15_of_22,
    days_in_care_of_recent_22_months,
    developmental_clock,
    foster_care_entry_date,
    recovery_clock,
    time_in_care,
)
from familybridge.dates import add_months


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2021, 8, 31), -6) == date(2021, 2, 28)
    assert add_months(date(2020, 8, 31), -6) == date(2020, 2, 29)
    assert add_months(date(2026, 1, 15), 22) == date(2027, 11, 15)


def test_entry_is_60_days_after_removal_without_a_finding():
    assert foster_care_entry_date(date(2026, 1, 1), None) == date(2026, 3, 2)


def test_entry_is_the_finding_when_it_comes_first():
    assert foster_care_entry_date(date(2026, 1, 1), date(2026, 2, 10)) == date(2026, 2, 10)


def test_entry_is_60_days_after_removal_when_the_finding_comes_later():
    assert foster_care_entry_date(date(2026, 1, 1), date(2026, 5, 1)) == date(2026, 3, 2)


def test_days_in_care_count_from_entry_not_removal():
    episode = CareEpisode(removal_date=date(2026, 1, 1), first_finding_date=date(2026, 1, 31))
    # 31 January to 9 February inclusive
    assert days_in_care_of_recent_22_months([episode], date(2026, 2, 9)) == 10


def test_trial_home_visits_and_runaway_periods_do_not_count():
    episode = CareEpisode(
        removal_date=date(2025, 1, 1),
        first_finding_date=date(2025, 1, 1),
        not_counted=(Period(date(2025, 3, 1), date(2025, 3, 11)), Period(date(2025, 4, 1), date(2025, 4, 6))),
    )
    as_of = date(2025, 4, 30)
    assert days_in_care_of_recent_22_months([episode], as_of) == (as_of - date(2025, 1, 1)).days + 1 - 10 - 5


def test_only_the_most_recent_22_months_count():
    old = CareEpisode(date(2022, 1, 1), date(2023, 1, 1), first_finding_date=date(2022, 1, 1))
    recent = CareEpisode(date(2025, 6, 1), first_finding_date=date(2025, 6, 1))
    as_of = date(2025, 6, 30)
    # the 22-month window starts 30 Aug 2023: nothing of the old episode is in it
    assert days_in_care_of_recent_22_months([old, recent], as_of) == 30


def test_separate_episodes_add_up():
    first = CareEpisode(date(2025, 1, 1), date(2025, 3, 1), first_finding_date=date(2025, 1, 1))
    second = CareEpisode(date(2025, 6, 1), first_finding_date=date(2025, 6, 1))
    assert days_in_care_of_recent_22_months([first, second], date(2025, 6, 10)) == 59 + 10


def test_15_months_is_reached_on_day_457():
    episode = CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))
    reached = date_reaching_15_of_22([episode], date(2025, 1, 1))
    assert reached == date(2025, 1, 1) + timedelta(days=456)
    assert days_in_care_of_recent_22_months([episode], reached) == 457


def test_a_trial_home_visit_postpones_the_15_month_date():
    plain = CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))
    visit = CareEpisode(
        date(2025, 1, 1),
        first_finding_date=date(2025, 1, 1),
        not_counted=(Period(date(2025, 5, 1), date(2025, 5, 31)),),
    )
    as_of = date(2025, 1, 1)
    assert date_reaching_15_of_22([visit], as_of) - date_reaching_15_of_22([plain], as_of) == timedelta(days=30)


def test_no_15_month_date_for_a_child_out_of_care_below_the_threshold():
    episode = CareEpisode(date(2025, 1, 1), date(2025, 6, 1), first_finding_date=date(2025, 1, 1))
    assert date_reaching_15_of_22([episode], date(2025, 7, 1)) is None


def _clock(child: ChildFacts, as_of: date, name: str):
    return next(c for c in asfa_clocks(child, as_of) if c.name == name)


def test_permanency_hearing_due_12_months_after_entry():
    child = ChildFacts(date(2020, 1, 1), [CareEpisode(date(2025, 2, 28), first_finding_date=date(2025, 3, 1))])
    clock = _clock(child, date(2025, 6, 1), "Permanency hearing")
    assert clock.deadline == date(2026, 3, 1) and clock.level == Level.OK


def test_permanency_hearing_warns_within_60_days_and_is_overdue_after():
    child = ChildFacts(date(2020, 1, 1), [CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))])
    assert _clock(child, date(2025, 11, 1), "Permanency hearing").level == Level.OK  # 61 days left
    assert _clock(child, date(2025, 11, 2), "Permanency hearing").level == Level.WARNING  # 60 days left
    overdue = _clock(child, date(2026, 1, 11), "Permanency hearing")
    assert overdue.level == Level.DUE and overdue.headline == "Overdue by 10 days"


def test_a_held_permanency_hearing_restarts_the_12_months():
    child = ChildFacts(
        date(2020, 1, 1),
        [CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))],
        permanency_hearings=[date(2025, 12, 15)],
    )
    assert _clock(child, date(2026, 1, 11), "Permanency hearing").deadline == date(2026, 12, 15)


def test_15_of_22_warns_at_12_months_and_is_due_at_15():
    child = ChildFacts(date(2020, 1, 1), [CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))])
    assert _clock(child, date(2025, 12, 30), "15 of 22 months").level == Level.OK  # 364 days
    assert _clock(child, date(2025, 12, 31), "15 of 22 months").level == Level.WARNING  # 365 days
    due = _clock(child, date(2026, 4, 2), "15 of 22 months")  # 457 days
    assert due.level == Level.DUE and "petition" in due.detail


def test_time_in_care_reads_as_words_a_caseworker_takes_in_at_a_glance():
    # days under a month; completed months after, with a decimal only when not whole (14.99 is not yet 15)
    assert [time_in_care(d) for d in (0, 1, 24, 31, 364, 365, 456, 457, 500)] == [
        "No time", "1 day", "24 days", "1 month", "11.9 months", "12 months", "14.9 months", "15 months", "16.4 months"
    ]


def test_15_of_22_says_the_time_in_care_and_the_day_it_reaches_15_in_words():
    child = ChildFacts(date(2020, 1, 1), [CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))])
    early = _clock(child, date(2025, 1, 24), "15 of 22 months")  # Jan 1 to 24 inclusive
    assert early.headline == "24 days in care in the last 22 months"
    assert (early.deadline_label, early.deadline) == ("reaches 15 on", date(2026, 4, 2))
    assert early.detail.startswith("At 15 months, if the child stays in care, ASFA asks the agency to file")
    nearing = _clock(child, date(2026, 1, 20), "15 of 22 months")
    assert nearing.headline == "12.6 months in care in the last 22 months"
    permanency = _clock(child, date(2025, 12, 31), "Permanency hearing")
    assert (permanency.headline, permanency.deadline_label) == ("Due in 1 day", "by")


def test_a_documented_exception_keeps_15_of_22_from_being_due():
    episodes = [CareEpisode(date(2025, 1, 1), first_finding_date=date(2025, 1, 1))]
    for child in (
        ChildFacts(date(2020, 1, 1), episodes, tpr_exception="A compelling reason is documented"),
        ChildFacts(date(2020, 1, 1), episodes, placed_with_relative=True),
    ):
        clock = _clock(child, date(2026, 6, 1), "15 of 22 months")
        assert clock.level == Level.WARNING and "Exception documented" in clock.detail


def test_a_child_never_in_care_has_no_asfa_clock():
    assert asfa_clocks(ChildFacts(date(2020, 1, 1)), date(2026, 1, 1)) == []


def test_recovery_counts_from_admission_or_the_last_positive_test():
    treatment = TreatmentFacts(date(2026, 1, 1), positive_tests=[date(2026, 1, 20), date(2025, 12, 1)])
    clock = recovery_clock(treatment, date(2026, 3, 1))
    assert clock.headline == "59 days in treatment, 40 days in recovery"
    assert recovery_clock(TreatmentFacts(date(2026, 1, 1)), date(2026, 1, 31)).headline.endswith("30 days in recovery")


def test_no_recovery_clock_after_discharge():
    assert recovery_clock(TreatmentFacts(date(2026, 1, 1), date(2026, 2, 1)), date(2026, 3, 1)) is None


def test_developmental_stage_by_age():
    assert developmental_clock(date(2025, 11, 26), date(2026, 11, 25)).headline == "Infant, 11 months"
    assert developmental_clock(date(2024, 11, 25), date(2026, 11, 25)).headline == "Toddler, 2 years"
    assert developmental_clock(date(2021, 1, 1), date(2026, 11, 25)).headline == "Preschool, 5 years"
    assert developmental_clock(date(2014, 1, 1), date(2026, 11, 25)).headline == "School age, 12 years"
    assert developmental_clock(date(2010, 1, 1), date(2026, 11, 25)).headline == "Adolescent, 16 years"
