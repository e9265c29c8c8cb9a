"""The home page's to-do list: each item reaches the people who should act on it, and no one else."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, ToxicologyResult, TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.consent.categories import Category
from familybridge.consent.models import Disclosure
from familybridge.messaging.models import CommunicationProtocol, ScheduledReport
from familybridge.people import services as people_services
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from familybridge.practice import services as practice_services
from familybridge.referrals import services as referral_services
from familybridge.referrals.models import Referral, ReferralStatus
from familybridge.screening import services as screening_services
from familybridge.worklists.selectors import Item, worklist_for
from tests.conftest import sign_in

TODAY = timezone.localdate()
SAFETY_PHQ9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]  # item 9, thoughts of self-harm, answered "several days"


def items(user, purpose: str, kind: str | None = None) -> list[Item]:
    found = worklist_for(user, purpose, today=TODAY).items
    return [item for item in found if kind is None or item.kind == kind]


def whats(user, purpose: str, kind: str) -> list[str]:
    return [f"{item.what} — {item.whom}" for item in items(user, purpose, kind)]


def share_court_records_with_child_welfare(agencies) -> None:
    """The partnership's agreement: the court's case records open to child welfare (approved by both)."""
    consent_services.record_agreement(
        name="Court records for casework",
        parties=[agencies["cw"], agencies["court"]],
        categories=[Category.COURT_CASE, Category.CW_PLACEMENT, Category.COURT_ORDER, Category.CW_CASE],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING],
        starts_on=date(2020, 1, 1),
        ends_on=None,
    )


@pytest.fixture
def court_case(agencies, family) -> CourtCase:
    return CourtCase.objects.create(
        owner_agency=agencies["court"], subject=family.people["kid"], family=family, docket_number="JD-1"
    )


@pytest.fixture
def judge(agencies, family, make_user, court_case):
    user = make_user("judge", agencies["court"], Role.JUDGE)
    people_services.assign(None, staff=user, family=family, about=court_case, on=date(2020, 1, 1))
    return user


def remove(agencies, family, *, days_ago: int) -> RemovalEpisode:
    """The child entered care long enough ago for the permanency hearing (12 months from entry) to be near or past."""
    return RemovalEpisode.objects.create(
        owner_agency=agencies["cw"],
        subject=family.people["kid"],
        family=family,
        removal_date=TODAY - timedelta(days=days_ago),
    )


def other_family(agencies, name: str = "Okafor family") -> Family:
    family = Family.objects.create(name=name, owner_agency=agencies["cw"], opened_on=date(2025, 1, 1))
    child = Person.objects.create(first_name="Ada", last_name=name.split()[0], birth_date=date(2020, 1, 1))
    FamilyMember.objects.create(owner_agency=agencies["cw"], subject=child, family=family, role=MemberRole.CHILD)
    return family


# Due dates in words, overdue standing out in text as well as color.


@pytest.mark.parametrize(
    ("due", "event", "words"),
    [
        (TODAY - timedelta(days=3), False, "Overdue by 3 days"),
        (TODAY - timedelta(days=1), False, "Overdue by 1 day"),
        (TODAY, False, "Due today"),
        (TODAY + timedelta(days=1), False, "Due tomorrow"),
        (TODAY, True, "Today"),
        (TODAY - timedelta(days=2), True, "Overdue by 2 days"),
    ],
)
def test_a_due_date_is_said_in_words(due, event, words):
    assert Item("Clock", "x", "y", due, "", event=event).due_words(TODAY) == words


def test_items_are_grouped_overdue_this_week_and_later(agencies, worker, family):
    remove(agencies, family, days_ago=700)
    groups = worklist_for(worker, Purpose.CASE_PLANNING, today=TODAY).groups
    assert [group.title for group in groups] == ["Overdue"]
    assert groups[0].rows[0].due_words.startswith("Overdue by ")


# Clocks: the caseworker's own families; a supervisor sees the team's, once overdue, with who works them.


def test_an_overdue_permanency_hearing_reaches_the_caseworker_and_not_another(agencies, worker, family, make_user):
    remove(agencies, family, days_ago=700)
    other = make_user("other", agencies["cw"], Role.CASEWORKER)
    people_services.assign(None, staff=other, family=other_family(agencies), on=date(2020, 1, 1))
    clocks = items(worker, Purpose.CASE_PLANNING, "Clock")
    assert "Permanency hearing due — Sofia Rivera, Rivera family" in [f"{i.what} — {i.whom}" for i in clocks]
    assert all(item.due < TODAY for item in clocks)
    assert items(other, Purpose.CASE_PLANNING, "Clock") == []


def test_a_supervisor_sees_the_teams_overdue_clocks_with_who_works_them(agencies, worker, family, make_user):
    remove(agencies, family, days_ago=700)
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    clocks = items(supervisor, Purpose.CASE_PLANNING, "Clock")
    assert clocks and all(item.team == "Team: Worker Tester" for item in clocks)


def test_a_supervisor_does_not_get_the_teams_items_that_are_not_overdue(agencies, worker, family, make_user):
    remove(agencies, family, days_ago=415)
    assert whats(worker, Purpose.CASE_PLANNING, "Clock") == ["Permanency hearing due — Sofia Rivera, Rivera family"]
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    assert items(supervisor, Purpose.CASE_PLANNING, "Clock") == []


# Referrals: the program's intake and the assigned counselor; never the referrer, never another program.


@pytest.fixture
def referral(agencies, family, worker):
    return referral_services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=TODAY - timedelta(days=10),
        reason="Positive UNCOPE",
        family=family,
    )


def test_a_referral_to_answer_reaches_the_assigned_counselor_overdue(agencies, family, make_user, referral):
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    supervisor = make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    people_services.assign(supervisor, staff=counselor, client=family.people["mom"], about=referral, on=TODAY)
    answer = items(counselor, Purpose.TREATMENT, "Referral")
    assert [(item.what, item.whom) for item in answer] == [("Accept or decline the referral", "Ana Rivera")]
    assert answer[0].due < TODAY and answer[0].link == reverse("referrals:detail", args=[referral.pk])
    # Not the program's other counselor, not the referring caseworker, not another program.
    assert items(make_user("other", agencies["sud"], Role.COUNSELOR), Purpose.TREATMENT) == []
    assert items(make_user("harbor", agencies["sud2"], Role.CLINICAL_SUPERVISOR), Purpose.TREATMENT) == []


def test_the_referrer_gets_no_referral_item(worker, referral):
    assert items(worker, Purpose.CASE_PLANNING, "Referral") == []
    assert items(worker, Purpose.CASE_PLANNING, "To assign") == []


def test_the_clinical_supervisor_assigns_an_unassigned_referral(agencies, make_user, referral):
    supervisor = make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    assert whats(supervisor, Purpose.TREATMENT, "To assign") == ["Assign a counselor — Ana Rivera"]
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    people_services.assign(supervisor, staff=counselor, client=referral.subject, about=referral, on=TODAY)
    assert items(supervisor, Purpose.TREATMENT, "To assign") == []


def test_accepted_and_scheduled_referrals_become_assessments(agencies, family, make_user, referral):
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    people_services.assign(None, staff=counselor, client=family.people["mom"], about=referral, on=TODAY)
    referral_services.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    assert whats(counselor, Purpose.TREATMENT, "Assessment to schedule") == ["Schedule the assessment — Ana Rivera"]
    day = TODAY + timedelta(days=2)
    referral_services.record_step(counselor, referral, ReferralStatus.ASSESSMENT_SCHEDULED, scheduled_for=day)
    [assessment] = items(counselor, Purpose.TREATMENT, "Assessment")
    assert (assessment.what, assessment.due, assessment.event) == ("Assessment", day, True)


def test_imported_referrals_without_steps_are_not_to_answer(agencies, family, make_user):
    Referral.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], referral_date=date(2019, 1, 1), source="self"
    )
    assert items(make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR), Purpose.TREATMENT) == []


# Reports owed to partners.


def test_a_scheduled_report_is_the_programs_to_send_and_part2_keeps_it_from_child_welfare(
    agencies, family, counselor, worker, monthly_protocol
):
    ScheduledReport.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        category=Category.SUD_PROGRESS,
        protocol=monthly_protocol,
        family=family,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        due_on=TODAY - timedelta(days=4),
    )
    [report] = items(counselor, Purpose.TREATMENT, "Report due")
    assert report.what == "Send the monthly treatment progress report for October 2026"
    assert report.due_words(TODAY) == "Overdue by 4 days"
    assert items(worker, Purpose.CASE_PLANNING, "Report due") == []


def test_a_court_report_is_due_before_a_review_hearing(agencies, family, worker, counselor, court_case):
    share_court_records_with_child_welfare(agencies)
    protocol = CommunicationProtocol.objects.create(
        partnership=agencies["cw"].partnerships.get(),
        decision_point="court_review",
        information="Case plan progress before each review hearing",
        category=Category.CW_CASE_PLAN,
        from_agency_kind="child_welfare",
        frequency="before_hearing",
        due_within_days=7,
        legal_basis="Agreement",
    )
    protocol.to_agencies.set([agencies["court"]])
    hearing = Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        court_case=court_case,
        hearing_date=TODAY + timedelta(days=5),
        hearing_type="review",
    )
    [report] = items(worker, Purpose.CASE_PLANNING, "Court report")
    assert report.due == hearing.hearing_date - timedelta(days=7) and report.due_words(TODAY) == "Overdue by 2 days"
    assert report.link == reverse("courts:prepare", args=[hearing.pk])
    # The protocol expects child welfare's report: the program is asked for none.
    assert items(counselor, Purpose.TREATMENT, "Court report") == []


# Hearings this week: the judge's docket; not another judge's.


def test_hearings_this_week_show_time_and_courtroom_to_the_judge_of_the_case(
    agencies, family, judge, court_case, make_user
):
    Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        court_case=court_case,
        hearing_date=TODAY + timedelta(days=2),
        hearing_time=time(9, 30),
        courtroom="Courtroom 2B",
        hearing_type="review",
    )
    [hearing] = items(judge, Purpose.COURT_MONITORING, "Hearing")
    assert hearing.detail == "9:30 AM, Courtroom 2B, case JD-1" and hearing.event
    assert hearing.link.startswith(reverse("courts:docket"))
    assert items(make_user("judge2", agencies["court"], Role.JUDGE), Purpose.COURT_MONITORING) == []


# Safety flags: the families the viewer works; a program's screen is Part 2.


def test_a_safety_flag_reaches_the_caseworker_and_not_a_program_without_a_basis(agencies, family, worker, counselor):
    screening_services.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="PHQ-9",
        answers=SAFETY_PHQ9,
        purpose=Purpose.CASE_PLANNING,
        administered_on=TODAY - timedelta(days=1),
    )
    [flag] = items(worker, Purpose.CASE_PLANNING, "Safety flag")
    assert flag.whom == "Ana Rivera, Rivera family" and "self-harm" in flag.detail
    assert flag.due_words(TODAY) in ("Due tomorrow", "Due today")  # within 24 hours of being raised
    assert items(counselor, Purpose.TREATMENT, "Safety flag") == []


def test_a_programs_safety_flag_never_reaches_child_welfare_without_consent(agencies, family, worker, counselor):
    screening_services.administer_screen(
        counselor,
        family=family,
        subject=family.people["mom"],
        instrument_id="PHQ-9",
        answers=SAFETY_PHQ9,
        purpose=Purpose.TREATMENT,
        administered_on=TODAY,
    )
    assert [i.whom for i in items(counselor, Purpose.TREATMENT, "Safety flag")] == ["Ana Rivera, Rivera family"]
    assert items(worker, Purpose.CASE_PLANNING, "Safety flag") == []


def test_a_flag_stays_on_the_list_however_old_until_its_follow_up_is_recorded(agencies, family, worker):
    result = screening_services.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="PHQ-9",
        answers=SAFETY_PHQ9,
        purpose=Purpose.CASE_PLANNING,
        administered_on=TODAY - timedelta(days=15),
    )
    assert len(items(worker, Purpose.CASE_PLANNING, "Safety flag")) == 1
    screening_services.record_follow_up(
        worker,
        result,
        purpose=Purpose.CASE_PLANNING,
        contacted="Ana Rivera, at home",
        contacted_at=timezone.now(),
        action="Safety plan made together.",
    )
    assert items(worker, Purpose.CASE_PLANNING, "Safety flag") == []


# Awaiting the agency: consents to verify, agreements to approve, the partnership's tasks.


def test_a_consent_waiting_for_verification_reaches_the_programs_verifier(
    agencies, family, worker, counselor, consent_terms
):
    consent_services.record_consent(consent_terms(), recorded_by=worker)
    [verify] = items(counselor, Purpose.TREATMENT, "To verify")
    assert verify.whom == "Ana Rivera, born Apr 1, 1990"
    assert items(worker, Purpose.CASE_PLANNING, "To verify") == []


def test_an_agreement_waits_for_each_partys_administrator(agencies, make_user):
    recorder = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    consent_services.record_agreement(
        name="Case plans for the court",
        parties=[agencies["cw"], agencies["court"]],
        categories=[Category.CW_CASE_PLAN],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=TODAY + timedelta(days=3),
        ends_on=None,
        recorded_by=recorder,
    )
    cw_admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    assert [i.what for i in items(cw_admin, Purpose.CASE_PLANNING, "To approve")] == [
        "Approve or decline the agreement “Case plans for the court”"
    ]
    assert items(make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN), Purpose.CASE_PLANNING) == []


def test_the_coordinator_gets_the_partnerships_overdue_tasks(agencies, make_user):
    coordinator = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    partnership = agencies["cw"].partnerships.get()
    plan = practice_services.create_action_plan(coordinator, partnership, title="Plan", based_on_round=None)
    objective = practice_services.add_objective(coordinator, plan, text="Faster intake", elements=[3], indicator="Days")
    overdue = TODAY - timedelta(days=5)
    practice_services.add_task(
        coordinator, objective, text="Reserve assessment slots", owner_agency=agencies["sud"], due_on=overdue
    )
    [task] = items(coordinator, Purpose.CASE_PLANNING, "Action plan")
    assert task.what == "Reserve assessment slots" and task.due_words(TODAY) == "Overdue by 5 days"
    assert items(make_user("analyst", agencies["cw"], Role.DATA_ANALYST), Purpose.EVALUATION) == []


# The page: overdue items stand out, and its cost does not grow with the list.


def test_the_home_page_lists_overdue_items_first_in_words(client, agencies, family, worker):
    remove(agencies, family, days_ago=700)
    sign_in(client, worker)
    page = client.get(reverse("web:home")).content.decode()
    assert "To do" in page and 'class="overdue"' in page and "Overdue by " in page
    assert page.index('id="todo-overdue"') < page.index("Permanency hearing due")


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_for_2_or_12_items(client, agencies, family, worker, court_case):
    share_court_records_with_child_welfare(agencies)
    sign_in(client, worker)

    def add_items(count: int) -> None:
        for _ in range(count):
            screening_services.administer_screen(
                worker,
                family=family,
                subject=family.people["mom"],
                instrument_id="PHQ-9",
                answers=SAFETY_PHQ9,
                purpose=Purpose.CASE_PLANNING,
                administered_on=TODAY,
            )
            Hearing.objects.create(
                owner_agency=agencies["court"],
                subject=family.people["kid"],
                court_case=court_case,
                hearing_date=TODAY + timedelta(days=1),
                hearing_type="review",
            )

    add_items(1)
    few = home_queries(client)
    add_items(5)
    assert home_queries(client) == few
    assert client.get(reverse("web:home")).content.decode().count("Follow up and record it") == 6


def test_the_list_discloses_no_treatment_record_it_does_not_show(agencies, family, worker, consent_terms):
    consent_services.record_consent(consent_terms())  # opens her enrollment and tests to child welfare
    remove(agencies, family, days_ago=700)
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=TODAY - timedelta(days=60)
    )
    ToxicologyResult.objects.create(
        owner_agency=agencies["sud"], subject=episode.subject, episode=episode, collected_on=TODAY, outcome="positive"
    )
    assert items(worker, Purpose.CASE_PLANNING, "Clock")
    assert not Disclosure.objects.exists()
