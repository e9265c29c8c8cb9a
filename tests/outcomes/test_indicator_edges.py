"""Each indicator at its edges, on small hand-made extracts (indicators.md, Conventions)."""

import json
from datetime import date

from django.core.management import call_command

from familybridge.outcomes.engine import Period, compute
from familybridge.outcomes.importing import import_extract
from tests.outcomes.extracts import children, figures_for, write_extract


def test_stays_under_8_days_are_excluded_including_open_ones_measured_to_the_day_after_period_end(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("A", "2015-01-01"), ("B", "2015-01-01"), ("C", "2015-01-01"), ("D", "2015-01-01")),
        cw_removals=[
            ("EA", "A", "2021-01-01", "2021-01-08", "reunification"),  # 7 days: excluded
            ("EB", "B", "2021-01-01", "2021-01-09", "reunification"),  # 8 days
            ("EC", "C", "2021-09-24", "", ""),  # open, 7 days to 1 October: excluded
            ("ED", "D", "2021-09-23", "", ""),  # open, 8 days
        ],
    )
    assert (figures["P1"].numerator, figures["P1"].denominator) == (1, 2)
    assert figures["P6"].denominator == 16


def test_18th_birthdays_end_the_cohort_permanency_and_the_days_counted(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("E", "2003-06-15"), ("F", "2003-02-20"), ("G", "2003-08-01")),
        cw_removals=[
            ("EE", "E", "2021-06-14", "2021-07-01", "reunification"),  # 17 at removal, 18 at discharge
            ("EF", "F", "2021-02-20", "2021-06-01", "reunification"),  # 18 on the removal day: not in the cohort
            ("EG", "G", "2021-01-01", "2021-07-31", "reunification"),  # reunified the day before turning 18
        ],
    )
    assert figures["P1"].as_json() == {"numerator": 1, "denominator": 2, "value": 50.0}
    # E's days in care stop at the 18th birthday (one day); G's run to discharge (211 days).
    assert figures["P5"].denominator == 212


def test_29_february_within_12_months_and_18th_birthday(db, tmp_path):
    folder = write_extract(
        tmp_path / "leap",
        people=children(("H", "2010-01-01"), ("I", "2010-01-01"), ("K", "2004-02-29"), ("L", "2004-02-29")),
        cw_removals=[
            ("EH", "H", "2020-02-29", "2021-02-28", "reunification"),  # within 12 months: 28 February
            ("EI", "I", "2020-02-29", "2021-03-01", "reunification"),  # a day late
            ("EK", "K", "2020-10-01", "2022-02-28", "reunification"),  # still 17 on 28 February 2022
            ("EL", "L", "2020-10-01", "2022-03-01", "reunification"),  # 18 on 1 March 2022
        ],
    )
    import_extract(folder, partnership_slug="leap")
    assert compute(Period(date(2019, 10, 1), date(2020, 9, 30)))["P1"].as_json() == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }
    assert compute(Period(date(2021, 10, 1), date(2022, 9, 30)))["P2"].as_json() == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }


def test_recurrence_needs_more_than_14_days_and_at_most_12_months(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(*[(name, "2015-01-01") for name in ("M", "N", "O", "Q", "R")]),
        cw_reports=[
            ("RM1", "M", "2021-01-01", "substantiated"),
            ("RM2", "M", "2021-01-15", "substantiated"),  # 14 days: not recurrence
            ("RN1", "N", "2021-01-01", "substantiated"),
            ("RN2", "N", "2021-01-16", "indicated"),  # 15 days: recurrence
            ("RO1", "O", "2021-01-01", "substantiated"),
            ("RO2", "O", "2022-01-01", "substantiated"),  # exactly 12 months: recurrence
            ("RQ1", "Q", "2021-01-01", "substantiated"),
            ("RQ2", "Q", "2022-01-02", "substantiated"),  # a day more: not
            ("RR1", "R", "2021-02-01", "substantiated"),
            ("RR2", "R", "2021-03-01", "unsubstantiated"),  # not a victim report
            ("RX", "R", "2020-09-01", "unsubstantiated"),
        ],
    )
    assert figures["P7"].as_json() == {"numerator": 2, "denominator": 5, "value": 40.0}


def test_trial_home_visits_and_runaways_are_not_moves(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("T", "2012-01-01")),
        cw_removals=[("ET", "T", "2021-01-01", "", "")],
        cw_placements=[
            ("ET", "2021-01-01", "2021-03-01", "foster"),
            ("ET", "2021-03-01", "2021-04-01", "trial_home_visit"),
            ("ET", "2021-04-01", "2021-05-01", "foster"),  # back from the visit: a move
            ("ET", "2021-05-01", "2021-05-10", "runaway"),
            ("ET", "2021-05-10", "", "group"),  # a move
        ],
    )
    assert figures["P5"].as_json() == {"numerator": 2, "denominator": 273, "value": 7.33}


def test_maltreatment_in_care_counts_reports_more_than_7_days_after_removal_on_days_in_care(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("W", "2012-01-01")),
        cw_removals=[("EW", "W", "2021-01-01", "2021-06-01", "reunification")],
        cw_reports=[
            ("R0", "W", "2020-12-31", "substantiated"),  # before care
            ("R7", "W", "2021-01-08", "substantiated"),  # 7 days after removal
            ("R8", "W", "2021-01-09", "substantiated"),  # 8 days after: counts
            ("RD", "W", "2021-06-01", "substantiated"),  # discharge day: no longer in care
        ],
    )
    assert figures["P6"].as_json() == {"numerator": 1, "denominator": 151, "value": 662.25}


def test_in_care_12_to_23_and_24_or_more_months_on_period_start(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(*[(name, "2012-01-01") for name in ("X1", "X2", "X3", "X4", "X5")]),
        cw_removals=[
            ("E1", "X1", "2019-10-01", "", ""),  # exactly 12 months before: P2, still open
            ("E2", "X2", "2019-10-02", "", ""),  # under 12 months: neither
            ("E3", "X3", "2018-10-01", "2021-09-30", "adoption"),  # 24 months: P3, permanency on period_end
            ("E4", "X4", "2018-10-02", "2021-10-01", "reunification"),  # P2, permanency after period_end
            ("E5", "X5", "2019-05-01", "2020-10-01", "reunification"),  # discharged on period_start: not in care
        ],
    )
    assert figures["P2"].as_json() == {"numerator": 0, "denominator": 2, "value": 0.0}
    assert figures["P3"].as_json() == {"numerator": 1, "denominator": 1, "value": 100.0}


TREATMENT_PEOPLE = [("sud", f"U{i}", "Pat", "Test", "1990-01-01", "F", "") for i in range(1, 7)]
REFERRALS = [
    ("Q1", "U1", "2021-01-01", "child_welfare"),
    ("Q2", "U2", "2021-01-01", "court"),
    ("Q3", "U3", "2021-01-01", "self"),
    ("Q4", "U4", "2020-09-30", "other"),  # before the period
    ("Q5", "U5", "2021-03-01", "child_welfare"),
]
ADMISSIONS = [
    ("A1", "U1", "2021-01-15", "2021-04-15", "completed", "2.1"),  # 14 days after referral; 90 days
    ("A2", "U2", "2021-01-16", "2021-04-15", "left", "1"),  # 15 days after referral; 89 days
    ("A5b", "U5", "2021-02-01", "2021-02-20", "left", "1"),  # before the referral
    ("A5", "U5", "2021-03-01", "", "", "3.5"),  # the referral day; open
    ("A6", "U6", "2021-09-30", "", "", "3.5"),  # fewer than 90 days before as_of
]


def test_treatment_access_retention_and_completion(db, tmp_path):
    figures = figures_for(
        tmp_path,
        as_of=date(2021, 12, 28),
        people=TREATMENT_PEOPLE,
        sud_referrals=REFERRALS,
        sud_admissions=ADMISSIONS,
    )
    assert figures["T1"].as_json() == {"numerator": 2, "denominator": 4, "value": 50.0, "median_days": 14}
    assert figures["T2"].as_json() == {"numerator": 2, "denominator": 4, "value": 50.0}
    assert figures["T3"].as_json() == {"numerator": 1, "denominator": 3, "value": 33.3}


def test_as_of_defaults_to_the_latest_date_in_the_data(db, tmp_path):
    figures = figures_for(tmp_path, people=TREATMENT_PEOPLE, sud_referrals=REFERRALS, sud_admissions=ADMISSIONS)
    # The latest date is A6's admission, 30 September 2021: only admissions to 2 July 2021 count.
    assert figures["T2"].denominator == 4


JOINT_PEOPLE = [
    *children(("P", "1990-01-01"), ("K1", "2015-01-01"), ("P2", "1991-01-01"), ("K2", "2016-01-01")),
    ("sud", "SP", "Pat", "Test", "1990-01-01", "F", ""),
    ("sud", "SP2", "Pam", "Test", "1991-01-01", "F", ""),
]
JOINT_FILES = {
    "people": JOINT_PEOPLE,
    "family_members": [("F1", "P", "parent"), ("F1", "K1", "child"), ("F2", "P2", "parent"), ("F2", "K2", "child")],
    "cw_removals": [
        ("EK1", "K1", "2021-08-31", "2022-03-01", "reunification"),
        ("EK2", "K2", "2021-08-31", "2022-03-01", "reunification"),
    ],
    "sud_admissions": [
        # Open on 28 February 2021, six months before 31 August 2021: counts for K1.
        ("AP", "SP", "2020-10-01", "2021-02-28", "completed", "2.1"),
        ("AP2", "SP2", "2020-10-01", "2021-02-27", "completed", "2.1"),  # a day short: K2 is among the others
        ("AP2b", "SP2", "2021-11-29", "", "", "1"),
    ],
    "sud_referrals": [
        ("QP", "SP", "2021-07-02", "child_welfare"),  # 60 days before removal, never admitted after it
        ("QP2a", "SP2", "2021-06-30", "child_welfare"),  # 62 days before: outside the window
        ("QP2", "SP2", "2021-10-30", "child_welfare"),  # 60 days after; admitted 30 days later
    ],
}


def test_joint_indicators_follow_the_crosswalk(db, tmp_path):
    figures = figures_for(tmp_path, links=[("sud", "SP", "P"), ("sud", "SP2", "P2")], **JOINT_FILES)
    assert figures["J1"].as_json() == {"numerator": 2, "denominator": 2, "value": 100.0}
    assert figures["J2"].as_json() == {
        "with_completed_treatment": {"numerator": 1, "denominator": 1, "value": 100.0},
        "others": {"numerator": 1, "denominator": 1, "value": 100.0},
    }
    assert figures["J3"].as_json() == {"numerator": 1, "denominator": 2, "value": 50.0}


def test_without_links_joint_indicators_report_only_what_is_linked(db, tmp_path):
    figures = figures_for(tmp_path, **JOINT_FILES)
    assert figures["J2"].as_json() == {
        "with_completed_treatment": {"numerator": 0, "denominator": 0, "value": None},
        "others": {"numerator": 2, "denominator": 2, "value": 100.0},
    }
    assert figures["J3"].as_json() == {"numerator": 0, "denominator": 0, "value": None}


def test_outcomes_command_prints_every_indicator_in_the_documented_shape(db, tmp_path, capsys):
    write_extract(tmp_path, people=TREATMENT_PEOPLE, sud_referrals=REFERRALS, sud_admissions=ADMISSIONS)
    call_command("import", "extract", str(tmp_path), "--partnership", "shape")
    capsys.readouterr()
    call_command("outcomes", "--start", "2020-10-01", "--end", "2021-09-30", "--as-of", "2021-12-28", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "T1", "T2", "T3", "J1", "J2", "J3"]
    assert printed["P1"] == {"numerator": 0, "denominator": 0, "value": None}
    assert printed["T1"] == {"numerator": 2, "denominator": 4, "value": 50.0, "median_days": 14}
    assert set(printed["J2"]) == {"with_completed_treatment", "others"}
