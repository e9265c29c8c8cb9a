"""The worked examples of indicators.md, period 2020-10-01 … 2021-09-30, to the unit."""

from datetime import date

from django.utils import timezone

from familybridge.audit.services import audited_update
from familybridge.cases.models import RemovalEpisode
from familybridge.outcomes.engine import Period, compute
from tests.outcomes.extracts import WORKED_PERIOD, children, figures_for

P1_CHILDREN = children(
    ("C1", "2015-01-01"),
    ("C2", "2014-01-01"),
    ("C3", "2002-09-01"),
    ("C4", "2019-01-01"),
    ("C5", "2004-01-01"),
    ("C6", "2016-05-05"),
    ("C7", "2017-07-07"),
    ("C8", "2012-02-02"),
    ("C9", "2010-03-03"),
    ("C10", "2013-04-04"),
)
P1_REMOVALS = [
    ("E1", "C1", "2020-11-01", "2021-06-01", "reunification"),
    ("E2", "C2", "2020-12-01", "2020-12-05", "reunification"),
    ("E3", "C3", "2020-10-15", "2021-03-01", "reunification"),
    ("E4", "C4", "2021-03-01", "2022-03-05", "adoption"),
    ("E5", "C5", "2021-05-01", "2021-09-01", "transfer"),
    ("E6", "C6", "2021-02-01", "2021-08-01", "relative"),
    ("E7", "C7", "2021-01-10", "2021-04-10", "guardianship"),
    ("E8", "C8", "2021-07-01", "", ""),
    ("E9", "C9", "2021-04-01", "2021-04-20", "transfer"),
    ("E10", "C10", "2020-09-15", "2021-02-01", "reunification"),
]


def test_p1_worked_example(db, tmp_path):
    figures = figures_for(tmp_path, people=P1_CHILDREN, cw_removals=P1_REMOVALS)
    assert figures["P1"].as_json() == {"numerator": 3, "denominator": 7, "value": 42.9}


def test_p4_worked_example(db, tmp_path):
    reentries = [("E11", "C1", "2022-03-01", "", ""), ("E12", "C6", "2022-09-15", "", "")]
    figures = figures_for(tmp_path, people=P1_CHILDREN, cw_removals=P1_REMOVALS + reentries)
    assert figures["P4"].as_json() == {"numerator": 1, "denominator": 3, "value": 33.3}
    # The re-entries began after the period: they do not join its entry cohort.
    assert figures["P1"].denominator == 7


def test_p5_worked_example(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("S1", "2012-01-01"), ("S2", "2013-01-01"), ("S3", "2014-01-01")),
        cw_removals=[
            ("ES1", "S1", "2021-01-01", "", ""),
            ("ES2", "S2", "2021-05-01", "2021-08-29", "reunification"),
            ("ES3", "S3", "2021-02-10", "2021-02-15", "reunification"),
        ],
        cw_placements=[
            ("ES1", "2021-01-01", "2021-03-01", "foster"),
            ("ES1", "2021-03-01", "2021-06-01", "foster"),
            ("ES1", "2021-06-01", "", "relative"),
            ("ES2", "2021-05-01", "2021-08-29", "foster"),
            ("ES3", "2021-02-10", "2021-02-12", "foster"),
            ("ES3", "2021-02-12", "2021-02-15", "group"),
        ],
    )
    assert figures["P5"].as_json() == {"numerator": 2, "denominator": 393, "value": 5.09}


def test_p7_worked_example(db, tmp_path):
    figures = figures_for(
        tmp_path,
        people=children(("V1", "2015-01-01"), ("V2", "2015-01-01"), ("V3", "2015-01-01"), ("V4", "2002-06-01")),
        cw_reports=[
            ("R1", "V1", "2020-11-01", "substantiated"),
            ("R2", "V1", "2020-11-10", "substantiated"),
            ("R3", "V2", "2021-01-15", "indicated"),
            ("R4", "V2", "2021-10-01", "substantiated"),
            ("R5", "V3", "2021-03-01", "substantiated"),
            ("R6", "V4", "2021-01-10", "substantiated"),
            ("R7", "V4", "2021-06-10", "substantiated"),
        ],
    )
    assert figures["P7"].as_json() == {"numerator": 1, "denominator": 3, "value": 33.3}


def test_a_period_is_twelve_months_to_its_last_day():
    assert Period(date(2020, 10, 1), date(2021, 9, 30)) == WORKED_PERIOD
    assert Period.twelve_months_to(date(2024, 2, 29)) == Period(date(2023, 3, 1), date(2024, 2, 29))


def test_p1_worked_example_with_a_removal_voided_as_entered_in_error(db, tmp_path):
    """E1 (C1, reunified within the year) voided: the cohort loses it and its exit, 2 of 6."""
    figures_for(tmp_path, people=P1_CHILDREN, cw_removals=P1_REMOVALS)
    audited_update(RemovalEpisode.unrestricted.filter(source_id="E1"), voided_at=timezone.now())
    assert compute(WORKED_PERIOD, None)["P1"].as_json() == {"numerator": 2, "denominator": 6, "value": 33.3}
