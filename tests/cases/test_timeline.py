from datetime import date

import pytest
from django.template.loader import render_to_string

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import (
    ChildWelfareReport,
    CourtCase,
    CourtOrder,
    Hearing,
    PlacementSetting,
    RemovalEpisode,
    ToxicologyResult,
    TreatmentEpisode,
)
from familybridge.cases.selectors import family_clocks
from familybridge.cases.timeline import System, family_timeline
from familybridge.people.models import LocalIdentifier


@pytest.fixture
def history(agencies, family):
    cw, sud, court = agencies["cw"], agencies["sud"], agencies["court"]
    mom, kid = family.people["mom"], family.people["kid"]
    ChildWelfareReport.objects.create(
        owner_agency=cw, subject=kid, family=family, report_date=date(2025, 1, 2), disposition="substantiated"
    )
    episode = RemovalEpisode.objects.create(owner_agency=cw, subject=kid, family=family, removal_date=date(2025, 1, 3))
    PlacementSetting.objects.create(
        owner_agency=cw, subject=kid, episode=episode, setting_start=date(2025, 1, 3), setting_type="foster"
    )
    case = CourtCase.objects.create(owner_agency=court, subject=kid, family=family, docket_number="JD-1")
    Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=date(2025, 1, 5), hearing_type="shelter"
    )
    CourtOrder.objects.create(
        owner_agency=court,
        subject=kid,
        court_case=case,
        order_date=date(2025, 2, 1),
        order_type="abuse_neglect_finding",
    )
    treatment = TreatmentEpisode.objects.create(owner_agency=sud, subject=mom, admission_date=date(2025, 1, 20))
    ToxicologyResult.objects.create(
        owner_agency=sud,
        subject=mom,
        episode=treatment,
        collected_on=date(2025, 2, 3),
        outcome="positive",
        substances="fentanyl",
    )


def test_caseworker_timeline_holds_child_welfare_events_and_withholds_court_records(
    agencies, family, history, make_user, assign
):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    timeline = family_timeline(worker, family, Purpose.CASE_PLANNING)
    assert [(e.day, e.title) for e in timeline.entries] == [
        (date(2025, 1, 3), "Removed from home"),
        (date(2025, 1, 3), "Placement"),
        (date(2025, 1, 2), "Report"),
    ]
    assert all(e.system == System.CHILD_WELFARE for e in timeline.entries)
    # court records are not Part 2: their existence shows, withheld, with the reason
    assert [(g.category_label, g.owner_agency, g.count) for g in timeline.withheld] == [
        ("Court case", "Family Court", 2),
        ("Court order", "Family Court", 1),
    ]
    # the mother's treatment is Part 2: not a trace of it
    assert not any("Hope" in g.owner_agency for g in timeline.withheld)


def test_counselor_timeline_shows_own_program_events_only(agencies, family, history, make_user, assign):
    counselor = make_user("c", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    timeline = family_timeline(counselor, family, Purpose.TREATMENT)
    assert [(e.title, e.detail) for e in timeline.entries] == [
        ("Drug test", "Positive: fentanyl"),
        ("Admitted to treatment", "Hope Recovery"),
    ]


def test_timeline_filters_by_system(agencies, family, history, make_user, assign):
    supervisor = make_user("s", agencies["court"], Role.COURT_COORDINATOR)
    timeline = family_timeline(supervisor, family, Purpose.COURT_MONITORING, system=System.COURT)
    assert {e.title for e in timeline.entries} == {
        "Petition filed",
        "Shelter hearing",
        "Finding of abuse or neglect (adjudication)",
    }


def test_clocks_use_only_what_the_viewer_may_see(agencies, family, history, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    clocks = {m.name: m for m in family_clocks(worker, family, Purpose.CASE_PLANNING, on=date(2025, 6, 1))}
    kid_clocks = {c.name: c for c in clocks["Sofia Rivera"].clocks}
    # the court's finding (1 Feb) is not visible to child welfare here: entry is 60 days after removal
    assert kid_clocks["Permanency hearing"].deadline == date(2026, 3, 4)
    assert "Ana Rivera" not in clocks  # her recovery clock comes from Part 2 records


def test_the_clocks_card_puts_time_in_care_and_its_dates_in_words(agencies, family, history, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    # entry Mar 4, 2025 (60 days after removal, the finding is the court's); 457 days in care on Jun 3, 2026
    clocks = family_clocks(worker, family, Purpose.CASE_PLANNING, on=date(2026, 3, 4))
    card = " ".join(render_to_string("web/_clocks.html", {"clocks": clocks}).split())
    reaches = 'reaches 15 on <time datetime="2026-06-03">Jun 3, 2026</time>'
    assert f"12 months in care in the last 22 months ({reaches})" in card
    assert 'Due today (by <time datetime="2026-03-04">Mar 4, 2026</time>)' in card
    assert "of the most recent" not in card and "12.0" not in card


def test_court_without_child_welfare_records_sees_no_asfa_clock(agencies, family, history, make_user):
    LocalIdentifier.objects.create(owner_agency=agencies["court"], subject=family.people["kid"], identifier="JV-1")
    coordinator = make_user("cc", agencies["court"], Role.COURT_COORDINATOR)
    clocks = family_clocks(coordinator, family, Purpose.COURT_MONITORING, on=date(2025, 6, 1))
    assert [(m.name, [c.name for c in m.clocks]) for m in clocks] == [("Sofia Rivera", ["Development"])]


def test_counselor_sees_the_recovery_clock(agencies, family, history, make_user, assign):
    counselor = make_user("c", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    clocks = family_clocks(counselor, family, Purpose.TREATMENT, on=date(2025, 3, 1))
    recovery = [c for m in clocks for c in m.clocks if c.name == "Recovery"]
    assert [c.headline for c in recovery] == ["40 days in treatment, 26 days in recovery"]
