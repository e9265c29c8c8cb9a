"""Assignments are the need-to-know boundary: who assigns, transfers with an effective date, and what ends them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import ChildWelfareReport, ToxicologyResult, TreatmentEpisode
from familybridge.consent import policy
from familybridge.people import selectors, services
from familybridge.people.models import AssignmentEnd, CaseloadAssignment


@pytest.fixture
def report(agencies, family) -> ChildWelfareReport:
    return ChildWelfareReport.objects.create(
        owner_agency=agencies["cw"],
        subject=family.people["kid"],
        family=family,
        report_date=date(2026, 1, 2),
        disposition="substantiated",
    )


def sees(user, queryset, purpose, on: date | None = None) -> bool:
    return policy.permitted(user, queryset, purpose, on=on).exists()


def test_a_supervisor_assigns_a_family_and_only_the_assigned_caseworker_sees_it(agencies, family, report, make_user):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    james = make_user("james", agencies["cw"], Role.CASEWORKER)
    assignment = services.assign(supervisor, staff=maria, family=family, on=timezone.localdate())
    assert (assignment.capacity, assignment.assigned_by) == (Role.CASEWORKER, supervisor)
    reports = ChildWelfareReport.objects.all()
    assert sees(maria, reports, Purpose.CASE_PLANNING)
    assert not sees(james, reports, Purpose.CASE_PLANNING)
    assert list(selectors.caseload_families(maria)) == [family]


def test_only_a_supervisor_of_the_same_agency_assigns(agencies, family, make_user):
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    james = make_user("james", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.assign(james, staff=maria, family=family, on=timezone.localdate())
    court_coordinator = make_user("cc", agencies["court"], Role.COURT_COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.assign(court_coordinator, staff=maria, family=family, on=timezone.localdate())
    assert not CaseloadAssignment.objects.exists()


def test_a_second_open_assignment_of_the_same_family_is_refused(agencies, family, make_user):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="already works"):
        services.assign(supervisor, staff=maria, family=family, on=date(2026, 2, 5))


def test_a_transfer_takes_effect_on_its_day_and_keeps_the_history(agencies, family, report, make_user):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    james = make_user("james", agencies["cw"], Role.CASEWORKER)
    first = services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    effective = timezone.localdate() + timedelta(days=7)
    second = services.transfer(supervisor, first, to=james, on=effective, note="Maria moves to intake.")
    reports = ChildWelfareReport.objects.all()
    # Until the effective day, Maria still works the family; from it, James does.
    assert sees(maria, reports, Purpose.CASE_PLANNING) and not sees(james, reports, Purpose.CASE_PLANNING)
    assert sees(james, reports, Purpose.CASE_PLANNING, on=effective)
    assert not sees(maria, reports, Purpose.CASE_PLANNING, on=effective)
    history = list(selectors.assignments_of_family(family))
    assert history == [second, first]
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason, first.ended_by) == (effective, AssignmentEnd.TRANSFERRED, supervisor)
    assert (second.assigned_on, second.assigned_by) == (effective, supervisor)


def test_a_transfer_goes_to_a_colleague_of_the_same_agency(agencies, family, make_user):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    first = services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.transfer(supervisor, first, to=counselor, on=date(2026, 3, 1))
    first.refresh_from_db()
    assert first.ended_on is None


def test_a_counselor_assigned_a_client_sees_that_client_not_the_whole_family(agencies, family, make_user):
    clinical_supervisor = make_user("cs", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    mom, dad = family.people["mom"], family.people["dad"]
    tests = [
        ToxicologyResult.objects.create(
            owner_agency=agencies["sud"],
            subject=person,
            episode=TreatmentEpisode.objects.create(
                owner_agency=agencies["sud"], subject=person, admission_date=date(2026, 1, 10)
            ),
            collected_on=date(2026, 1, 20),
            outcome="negative",
        )
        for person in (mom, dad)
    ]
    services.assign(clinical_supervisor, staff=counselor, client=mom, family=family, on=date(2026, 1, 10))
    visible = list(policy.permitted(counselor, ToxicologyResult.objects.all(), Purpose.TREATMENT))
    assert visible == [tests[0]]
    # The family page opens to the counselor through the client; its other members stay out of sight.
    assert family in selectors.families_visible_to(counselor, Purpose.TREATMENT)
    assert selectors.visible_member_ids(counselor, family, Purpose.TREATMENT) == {mom.pk}


def test_a_client_must_be_a_member_of_the_family_named(agencies, family, make_user):
    from familybridge.people.models import Person

    clinical_supervisor = make_user("cs", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    stranger = Person.objects.create(first_name="Nora", last_name="Quill", birth_date=date(1985, 5, 5))
    with pytest.raises(ValidationError, match="not a member"):
        services.assign(clinical_supervisor, staff=counselor, client=stranger, family=family, on=date(2026, 1, 10))


def test_discharge_ends_the_programs_assignments_to_the_client(agencies, family, make_user):
    clinical_supervisor = make_user("cs", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    peer = make_user("peer", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    mom = family.people["mom"]
    for staff in (counselor, peer):
        services.assign(clinical_supervisor, staff=staff, client=mom, family=family, on=date(2026, 1, 10))
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 10)
    )
    episodes = TreatmentEpisode.objects.all()
    assert sees(counselor, episodes, Purpose.TREATMENT)
    episode.discharge_date = date(2026, 5, 1)
    episode.discharge_reason = "completed"
    episode.save()
    ended = CaseloadAssignment.objects.filter(client=mom)
    assert {(a.staff_id, a.ended_on, a.end_reason) for a in ended} == {
        (counselor.pk, date(2026, 5, 1), AssignmentEnd.DISCHARGED),
        (peer.pk, date(2026, 5, 1), AssignmentEnd.DISCHARGED),
    }
    assert not sees(counselor, episodes, Purpose.TREATMENT)
    assert sees(clinical_supervisor, episodes, Purpose.TREATMENT)


def test_closing_a_case_ends_the_caseload_and_the_consents_that_end_with_it(
    agencies, family, report, make_user, consent_terms
):
    from familybridge.consent import services as consent_services
    from familybridge.consent.models import Consent, SubjectEvent

    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    consent = consent_services.record_consent(consent_terms(expires_on=None, expires_on_event="case_closed"))
    family.closed_on = date(2026, 11, 30)
    family.save()
    assignment = CaseloadAssignment.objects.get(staff=maria)
    assert (assignment.ended_on, assignment.end_reason) == (date(2026, 11, 30), AssignmentEnd.CASE_CLOSED)
    assert not sees(maria, ChildWelfareReport.objects.all(), Purpose.CASE_PLANNING)
    assert SubjectEvent.objects.filter(subject=family.people["mom"], kind="case_closed").exists()
    assert Consent.objects.get(pk=consent.pk).ended_by_event_on == date(2026, 11, 30)


def test_a_judge_sees_the_cases_on_her_docket_only(agencies, family, make_user):
    from familybridge.cases.models import CourtCase

    coordinator = make_user("cc", agencies["court"], Role.COURT_COORDINATOR)
    okafor = make_user("okafor", agencies["court"], Role.JUDGE)
    lee = make_user("lee", agencies["court"], Role.JUDGE)
    case = CourtCase.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        family=family,
        docket_number="JD-1",
        filed_on=date(2026, 1, 6),
    )
    cases = CourtCase.objects.all()
    assert not sees(okafor, cases, Purpose.COURT_MONITORING)
    assert sees(coordinator, cases, Purpose.COURT_MONITORING)
    services.assign(coordinator, staff=okafor, family=family, about=case, on=date(2026, 1, 6))
    assert sees(okafor, cases, Purpose.COURT_MONITORING)
    assert not sees(lee, cases, Purpose.COURT_MONITORING)
    assert list(case.assignments.in_effect(timezone.localdate()).values_list("staff_id", flat=True)) == [okafor.pk]


def test_a_declined_referral_ends_the_intake_assignment(agencies, family, make_user):
    from familybridge.referrals import services as referral_services

    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    clinical_supervisor = make_user("cs", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    mom = family.people["mom"]
    referral = referral_services.create_referral(
        worker, subject=mom, provider=agencies["sud"], referral_date=timezone.localdate(), reason="Positive screen.",
        family=family,
    )
    assert referral.family == family
    services.assign(
        clinical_supervisor, staff=counselor, client=mom, family=family, about=referral, on=timezone.localdate()
    )
    referral_services.record_step(clinical_supervisor, referral, "declined", note="Needs residential care.")
    assignment = CaseloadAssignment.objects.get(staff=counselor)
    assert assignment.end_reason == AssignmentEnd.REFERRAL_CLOSED


def test_a_referral_names_a_member_of_the_family_it_comes_from(agencies, family, make_user):
    from familybridge.people.models import Person
    from familybridge.referrals import services as referral_services

    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    stranger = Person.objects.create(first_name="Nora", last_name="Quill", birth_date=date(1985, 5, 5))
    with pytest.raises(ValidationError, match="not a member"):
        referral_services.create_referral(
            worker, subject=stranger, provider=agencies["sud"], referral_date=timezone.localdate(),
            reason="Positive screen.", family=family,
        )


def test_a_leaving_caseworkers_caseload_is_handed_to_a_named_colleague(agencies, family, make_user):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    admin = make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    james = make_user("james", agencies["cw"], Role.CASEWORKER)
    services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    handed = services.hand_over_caseload(admin, maria, to=james, on=date(2026, 12, 1))
    assert [(a.staff, a.family, a.assigned_on, a.assigned_by) for a in handed] == [
        (james, family, date(2026, 12, 1), admin)
    ]
    old = CaseloadAssignment.objects.get(staff=maria)
    assert (old.ended_on, old.end_reason, old.ended_by) == (date(2026, 12, 1), AssignmentEnd.DEACTIVATED, admin)
    with pytest.raises(ValidationError):
        judge = make_user("judge", agencies["court"], Role.JUDGE)
        services.hand_over_caseload(admin, james, to=judge, on=date(2026, 12, 2))
