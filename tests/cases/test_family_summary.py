"""The family page's lines at a glance and the journey chart: written only from what the viewer may see."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.charts import journey_chart, journey_rows
from familybridge.cases.models import (
    Attendance,
    ChildWelfareReport,
    CourtCase,
    CourtOrder,
    Hearing,
    PlacementSetting,
    RemovalEpisode,
    TreatmentEpisode,
)
from familybridge.cases.selectors import SummaryLine, family_clocks, family_involvement, family_summary
from familybridge.cases.timeline import family_timeline
from familybridge.consent import services as consent_services
from tests.conftest import sign_in
from tests.lists import assert_constant_queries

ON = date(2026, 3, 1)


@pytest.fixture
def journey(agencies, family):
    cw, sud, court = agencies["cw"], agencies["sud"], agencies["court"]
    mom, kid = family.people["mom"], family.people["kid"]
    ChildWelfareReport.objects.create(
        owner_agency=cw, subject=kid, family=family, report_date=date(2025, 1, 2), disposition="substantiated"
    )
    removal = RemovalEpisode.objects.create(owner_agency=cw, subject=kid, family=family, removal_date=date(2025, 1, 3))
    PlacementSetting.objects.create(
        owner_agency=cw,
        subject=kid,
        episode=removal,
        setting_start=date(2025, 1, 3),
        setting_end=date(2025, 6, 1),
        setting_type="foster",
    )
    PlacementSetting.objects.create(
        owner_agency=cw, subject=kid, episode=removal, setting_start=date(2025, 6, 1), setting_type="relative"
    )
    case = CourtCase.objects.create(owner_agency=court, subject=kid, family=family, docket_number="JD-1")
    Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=date(2025, 1, 5), hearing_type="shelter"
    )
    Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=date(2026, 3, 20), hearing_type="review"
    )
    CourtOrder.objects.create(
        owner_agency=court,
        subject=kid,
        court_case=case,
        order_date=date(2025, 2, 1),
        order_type="abuse_neglect_finding",
    )
    episode = TreatmentEpisode.objects.create(owner_agency=sud, subject=mom, admission_date=date(2025, 9, 2))
    Attendance.objects.create(owner_agency=sud, subject=mom, episode=episode, session_date=ON, status="attended")
    return case


def summary_lines(user, family, purpose: str) -> dict[str, SummaryLine]:
    involvement = family_involvement(user, family, purpose, on=ON)
    clocks = family_clocks(user, family, purpose, on=ON)
    return {line.system: line for line in family_summary(involvement, clocks, on=ON)}


def summary_of(user, family, purpose: str) -> dict[str, str]:
    return {system: line.text for system, line in summary_lines(user, family, purpose).items()}


def test_the_caseworker_reads_care_and_the_clocks_and_nothing_of_treatment(worker, family, journey):
    lines = summary_of(worker, family, Purpose.CASE_PLANNING)
    assert lines["child_welfare"] == "Sofia Rivera in care since Jan 3, 2025, relative home"
    # The mother's treatment is Part 2 and no consent reaches child welfare: not a word of it.
    assert lines["treatment"] == ""
    assert not any("Hope" in text or "Ana Rivera" in text for text in lines.values())
    # The court's records are not shared with child welfare here (no agreement): no hearing either.
    assert lines["court"] == ""
    # The most pressing deadline: the permanency hearing, nearing.
    assert lines["clocks"] == "Permanency hearing (Sofia Rivera): by Mar 4, 2026"


def test_consent_opens_the_treatment_line_only_as_far_as_it_reaches(worker, family, journey, consent_terms):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))
    lines = summary_of(worker, family, Purpose.CASE_PLANNING)
    # Enrollment, not attendance: no engagement signal.
    assert lines["treatment"] == "Ana Rivera in treatment since Sep 2, 2025 at Hope Recovery"


def test_the_judge_reads_the_next_hearing_and_nothing_of_care_or_treatment(
    agencies, family, journey, make_user, assign
):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    lines = summary_lines(judge, family, Purpose.COURT_MONITORING)
    assert lines["court"].text == "Next: review hearing on Mar 20, 2026, case JD-1"
    assert lines["child_welfare"].text == "" and lines["treatment"].text == ""
    # Child welfare's report, removal and two placements are counted; the Part 2 episode is not.
    assert (lines["child_welfare"].withheld, lines["treatment"].withheld) == (4, 0)


def test_the_counselor_reads_the_engagement_signal(counselor, family, journey):
    lines = summary_of(counselor, family, Purpose.TREATMENT)
    assert lines["treatment"] == "Ana Rivera in treatment since Sep 2, 2025 at Hope Recovery, attending"


def test_the_journey_chart_leaves_out_what_the_viewer_may_not_see(worker, counselor, family, journey):
    timeline = family_timeline(worker, family, Purpose.CASE_PLANNING)
    clocks = family_clocks(worker, family, Purpose.CASE_PLANNING, on=ON)
    rows = journey_rows(timeline, clocks, today=ON)
    assert {row["kind"] for row in rows.spans} == {"In care (removal)", "Placement"}
    # The hearings and orders are withheld from child welfare; the treatment episode is Part 2.
    assert rows.events == []
    assert [row["label"] for row in rows.deadlines] == ["Permanency hearing (Sofia)", "15 of 22 months (Sofia)"]
    chart = journey_chart(timeline, clocks, today=ON)
    assert chart.image.startswith("data:image/svg+xml;base64,")
    assert chart.deadlines == [
        "Permanency hearing for Sofia Rivera: by Mar 4, 2026",
        "15 of 22 months for Sofia Rivera: reaches 15 on Jun 3, 2026",
    ]

    program = journey_rows(family_timeline(counselor, family, Purpose.TREATMENT), [], today=ON)
    assert [row["kind"] for row in program.spans] == ["Treatment episode"]


def test_the_family_page_says_withheld_once_per_section(client, counselor, family, journey):
    sign_in(client, counselor)
    page = client.get(reverse("web:family-detail", args=[family.pk]), {"purpose": Purpose.TREATMENT}).content.decode()
    # Child welfare's report, removal and two placements are closed to the program: one line says so.
    assert page.count("4 records withheld — why") == 1
    assert "<strong>Withheld:</strong>" not in page


def test_the_family_page_shows_the_notice_once_and_links_to_it(client, worker, family, journey, consent_terms):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Ana Rivera in treatment since Sep 2, 2025 at Hope Recovery" in page
    assert page.count("42 CFR Part 2 — do not redisclose.") == 1
    assert page.count('id="redisclosure-notice"') == 1
    # The treatment line at a glance, the members known to the program and the treatment section link to it.
    assert page.count('href="#redisclosure-notice"') >= 2


def test_a_page_without_part2_information_shows_no_notice(client, worker, family, journey):
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Sofia Rivera in care since Jan 3, 2025" in page
    assert "do not redisclose" not in page.lower()


def add_history(family, agencies, count: int) -> None:
    cw, sud, court = agencies["cw"], agencies["sud"], agencies["court"]
    mom, kid = family.people["mom"], family.people["kid"]
    case = CourtCase.objects.create(owner_agency=court, subject=kid, family=family, docket_number=f"JD-{count}")
    today = timezone.localdate()
    for n in range(count):
        start = today - timedelta(days=400 - n)
        removal = RemovalEpisode.objects.create(owner_agency=cw, subject=kid, family=family, removal_date=start)
        PlacementSetting.objects.create(
            owner_agency=cw, subject=kid, episode=removal, setting_start=start, setting_type="foster"
        )
        Hearing.objects.create(
            owner_agency=court, subject=kid, court_case=case, hearing_date=start, hearing_type="review"
        )
        episode = TreatmentEpisode.objects.create(owner_agency=sud, subject=mom, admission_date=start)
        Attendance.objects.create(owner_agency=sud, subject=mom, episode=episode, session_date=today, status="attended")


@pytest.mark.parametrize("page", ["web:family-detail", "web:family-timeline"])
def test_the_family_pages_cost_the_same_queries_for_few_or_many_records(client, agencies, family, counselor, page):
    sign_in(client, counselor)
    url = reverse(page, args=[family.pk]) + f"?purpose={Purpose.TREATMENT}"
    assert_constant_queries(client, url, lambda count: add_history(family, agencies, count))
