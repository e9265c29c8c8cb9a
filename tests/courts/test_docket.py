"""The hearing docket: a judge's cases, the coordinator's whole court, a day or a week, printable; outcomes."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import services as cases_services
from familybridge.cases.models import CourtCase, Hearing, HearingOutcome
from familybridge.consent import services as consent_services
from familybridge.consent.categories import Category
from familybridge.courts.selectors import docket
from familybridge.courts.views import week_of
from familybridge.people import services as people_services
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from tests.conftest import sign_in

MONDAY = date(2026, 12, 7)


@pytest.fixture
def court(agencies):
    return agencies["court"]


def court_case(court, family, docket_number: str, child: Person | None = None) -> CourtCase:
    return CourtCase.objects.create(
        owner_agency=court, subject=child or family.people["kid"], family=family, docket_number=docket_number
    )


def on_docket(judge, case: CourtCase) -> None:
    people_services.assign(None, staff=judge, family=case.family, about=case, on=date(2020, 1, 1))


def hearing(case: CourtCase, day: date, at: time | None = None, courtroom: str = "", kind: str = "review") -> Hearing:
    return Hearing.objects.create(
        owner_agency=case.owner_agency,
        subject=case.subject,
        court_case=case,
        hearing_date=day,
        hearing_time=at,
        courtroom=courtroom,
        hearing_type=kind,
    )


@pytest.fixture
def judges(court, make_user):
    return make_user("okafor", court, Role.JUDGE), make_user("bell", court, Role.JUDGE)


@pytest.fixture
def cases(agencies, court, family, judges):
    """The Rivera case on Judge Okafor's docket, another family's on Judge Bell's."""
    other = Family.objects.create(name="Bell family", owner_agency=agencies["cw"], opened_on=date(2025, 1, 1))
    child = Person.objects.create(first_name="Maya", last_name="Bell", birth_date=date(2021, 5, 5))
    FamilyMember.objects.create(owner_agency=agencies["cw"], subject=child, family=other, role=MemberRole.CHILD)
    rivera, bell = court_case(court, family, "JD-100"), court_case(court, other, "JD-200", child)
    on_docket(judges[0], rivera)
    on_docket(judges[1], bell)
    return rivera, bell


def numbers(days) -> list[str]:
    return [entry.hearing.court_case.docket_number for day in days for entry in day.entries]


def test_a_judge_sees_only_her_docket_and_the_coordinator_the_whole_court(court, judges, cases, coordinator):
    hearing(cases[0], MONDAY, time(9))
    hearing(cases[1], MONDAY, time(10))
    okafor, bell = judges
    assert numbers(docket(okafor, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)) == ["JD-100"]
    assert numbers(docket(bell, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)) == ["JD-200"]
    # A judge cannot look at another's docket by asking for it.
    assert numbers(docket(okafor, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY, judge=bell)) == ["JD-100"]
    everything = docket(coordinator, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)
    assert numbers(everything) == ["JD-100", "JD-200"]
    one_judge = docket(coordinator, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY, judge=bell)
    assert numbers(one_judge) == ["JD-200"]


def test_the_docket_shows_the_judge_who_had_the_case_on_the_hearing_day(court, judges, cases, coordinator):
    okafor, bell = judges
    assignment = cases[0].assignments.get(staff=okafor)
    people_services.transfer(None, assignment, to=bell, on=MONDAY + timedelta(days=1))
    hearing(cases[0], MONDAY)
    hearing(cases[0], MONDAY + timedelta(days=2))
    week = docket(coordinator, Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY + timedelta(days=6))
    assert [entry.judge for day in week for entry in day.entries] == ["Okafor Tester", "Bell Tester"]


def test_cases_are_called_in_order_of_time_and_untimed_ones_last(court, judges, cases):
    hearing(cases[0], MONDAY)
    hearing(cases[0], MONDAY, time(13, 30), "Courtroom 2A", kind="ftc")
    hearing(cases[0], MONDAY, time(9), "Courtroom 2A")
    [day] = docket(judges[0], Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)
    assert [e.hearing.hearing_time for e in day.entries] == [time(9), time(13, 30), None]


def test_parties_and_counsel_as_far_as_the_court_may_see(agencies, court, family, judges, cases, make_user):
    attorney = make_user("reyes", court, Role.ATTORNEY)
    people_services.assign(
        None, staff=attorney, family=family, about=cases[0], represents=family.people["mom"], on=date(2020, 1, 1)
    )
    hearing(cases[0], MONDAY)
    [entry] = docket(judges[0], Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)[0].entries
    # Without a basis the court does not see child welfare's record of who is in the family.
    assert entry.parties == [] and entry.counsel == ["Reyes Tester (attorney)"]
    consent_services.record_agreement(
        name="Family membership for the court",
        parties=[agencies["cw"], court],
        categories=[Category.CW_CASE],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2020, 1, 1),
        ends_on=None,
    )
    [entry] = docket(judges[0], Purpose.COURT_MONITORING, start=MONDAY, end=MONDAY)[0].entries
    assert "Sofia Rivera (the child in this case)" in entry.parties and "Ana Rivera (parent)" in entry.parties
    assert entry.counsel == ["Reyes Tester for Ana Rivera"]


def test_a_week_runs_monday_to_sunday_and_shows_a_weekend_day_only_with_a_hearing(client, court, judges, cases):
    assert week_of(date(2026, 12, 10)) == (MONDAY, date(2026, 12, 13))
    hearing(cases[0], date(2026, 12, 6))  # the Sunday before: another week
    hearing(cases[0], date(2026, 12, 13), time(10))  # this week's Sunday
    hearing(cases[0], date(2026, 12, 14))  # next Monday
    sign_in(client, judges[0])
    page = client.get(reverse("courts:docket"), {"view": "week", "date": "2026-12-10"})
    days = [day.day for day in page.context["docket"].days]
    assert days == [MONDAY + timedelta(days=n) for n in (0, 1, 2, 3, 4, 6)]
    assert [e.hearing.hearing_date for d in page.context["docket"].days for e in d.entries] == [date(2026, 12, 13)]
    body = page.content.decode()
    assert "Docket for the week of December 7 to December 13, 2026" in body and "No hearings set." in body


def test_the_day_view_shows_one_day_with_the_way_to_the_days_around_it(client, court, judges, cases):
    hearing(cases[0], MONDAY, time(9, 30), "Courtroom 2B")
    hearing(cases[0], MONDAY + timedelta(days=1), time(9, 30))
    sign_in(client, judges[0])
    page = client.get(reverse("courts:docket"), {"date": "2026-12-07"})
    body = page.content.decode()
    assert "Docket for Monday, December 7, 2026" in body and "9:30 AM" in body and "Courtroom 2B" in body
    assert numbers(page.context["docket"].days) == ["JD-100"]
    assert page.context["previous"].endswith("date=2026-12-06") and page.context["next"].endswith("date=2026-12-08")


def test_a_bad_date_is_said_next_to_the_field_and_today_shown(client, judges):
    sign_in(client, judges[0])
    page = client.get(reverse("courts:docket"), {"date": "2026-13-45"})
    assert page.status_code == 200 and "Enter a valid date." in page.content.decode()
    assert page.context["docket"].day == timezone.localdate()


def test_only_the_courts_judges_and_coordinator_keep_the_docket(client, agencies, court, make_user, worker):
    sign_in(client, worker)
    assert client.get(reverse("courts:docket")).status_code == 403
    sign_in(client, make_user("reyes", court, Role.ATTORNEY))
    assert client.get(reverse("courts:docket")).status_code == 403


def test_the_docket_prints_as_a_pdf(client, court, judges, cases):
    hearing(cases[0], MONDAY, time(9), "Courtroom 2A")
    hearing(cases[0], MONDAY + timedelta(days=1), time(9))
    sign_in(client, judges[0])
    response = client.get(reverse("courts:docket-pdf"), {"view": "week", "date": "2026-12-07"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="docket-week-2026-12-07.pdf"' in response["Content-Disposition"]


def docket_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_docket_costs_the_same_queries_for_2_or_12_hearings(client, agencies, court, coordinator, judges, cases):
    sign_in(client, coordinator)
    url = f"{reverse('courts:docket')}?view=week&date=2026-12-07"
    for case in cases:
        hearing(case, MONDAY, time(9))
    few = docket_queries(client, url)
    for index in range(10):
        hearing(cases[index % 2], MONDAY + timedelta(days=index % 5), time(10))
    assert docket_queries(client, url) == few
    assert len(numbers(client.get(url).context["docket"].days)) == 12


# Outcomes, recorded from the docket.


def test_the_judge_records_that_a_hearing_was_held(client, court, judges, cases):
    held = hearing(cases[0], timezone.localdate() - timedelta(days=1))
    sign_in(client, judges[0])
    url = reverse("courts:hearing-outcome", args=[held.pk])
    response = client.post(url, {"outcome": "held", "note": "Next review in 90 days.", "next": "/docket/"})
    assert response.status_code == 302 and response["Location"] == "/docket/"
    held.refresh_from_db()
    assert (held.outcome, held.outcome_note) == (HearingOutcome.HELD, "Next review in 90 days.")


def test_a_hearing_is_not_held_before_its_day_and_a_continuance_says_why(client, court, judges, cases):
    later = hearing(cases[0], timezone.localdate() + timedelta(days=3))
    sign_in(client, judges[0])
    url = reverse("courts:hearing-outcome", args=[later.pk])
    body = client.post(url, {"outcome": "held"}).content.decode()
    assert "A hearing is held on its day" in body
    body = client.post(url, {"outcome": "continued"}).content.decode()
    assert "Say to when, or why, the hearing was continued." in body
    later.refresh_from_db()
    assert later.outcome == ""
    assert client.post(url, {"outcome": "vacated", "note": "Agreed order"}).status_code == 302


def test_another_judge_cannot_record_the_outcome_of_a_hearing_not_on_her_docket(client, court, judges, cases):
    held = hearing(cases[0], timezone.localdate())
    with pytest.raises(PermissionDenied):
        cases_services.record_hearing_outcome(judges[1], held, outcome="held")
    sign_in(client, judges[1])
    assert client.get(reverse("courts:hearing-outcome", args=[held.pk])).status_code == 404
    with pytest.raises(ValidationError):
        cases_services.record_hearing_outcome(judges[0], held, outcome="postponed")


# The "Hearing" record form takes the time and the courtroom.


def test_a_hearing_is_set_at_a_time_in_a_courtroom(client, court, family, coordinator, cases):
    sign_in(client, coordinator)
    url = reverse("cases:new-record", args=[family.pk, "hearing"])
    response = client.post(
        url,
        {
            "court_case": cases[0].pk,
            "hearing_type": "review",
            "hearing_date": "2026-12-08",
            "hearing_time": "09:30",
            "courtroom": " Courtroom 2B ",
        },
    )
    assert response.status_code == 302
    saved = Hearing.unrestricted.get(court_case=cases[0])
    assert (saved.hearing_time, saved.courtroom) == (time(9, 30), "Courtroom 2B")
    bad_time = {"court_case": cases[0].pk, "hearing_type": "review", "hearing_date": "2026-12-08"} | {
        "hearing_time": "25:99"
    }
    assert "Enter a valid time." in client.post(url, bad_time).content.decode()
