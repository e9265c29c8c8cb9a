"""Assigning work through the pages and the services built on people.services: a family's caseworker, a program's
intake, a court's docket and attorneys, closing a case, teams and their caseloads."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies import services as agency_services
from familybridge.agencies.models import Team
from familybridge.agencies.roles import Purpose, Role
from familybridge.audit.models import AuditEvent
from familybridge.cases import services as case_services
from familybridge.cases.models import CourtCase, RemovalEpisode, TreatmentEpisode
from familybridge.consent import policy
from familybridge.consent import services as consent_services
from familybridge.consent.models import ExpiryEvent, SubjectEvent
from familybridge.messaging.models import Notification, NotificationKind
from familybridge.people import services
from familybridge.people.models import AssignmentEnd, CaseloadAssignment, LocalIdentifier
from familybridge.referrals import selectors as referral_selectors
from familybridge.referrals import services as referral_services
from familybridge.referrals.models import Referral, ReferralStatus, ReferralStep
from tests.conftest import sign_in

TODAY = timezone.localdate


@pytest.fixture
def cw_staff(agencies, make_user):
    return {
        "sup": make_user("denise", agencies["cw"], Role.CW_SUPERVISOR),
        "maria": make_user("maria", agencies["cw"], Role.CASEWORKER),
        "james": make_user("james", agencies["cw"], Role.CASEWORKER),
    }


@pytest.fixture
def program_staff(agencies, make_user):
    return {
        "clin": make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR),
        "rosa": make_user("rosa", agencies["sud"], Role.COUNSELOR),
        "tasha": make_user("tasha", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST),
    }


@pytest.fixture
def court_staff(agencies, make_user):
    return {
        "coord": make_user("carl", agencies["court"], Role.COURT_COORDINATOR),
        "okafor": make_user("okafor", agencies["court"], Role.JUDGE),
        "marsh": make_user("marsh", agencies["court"], Role.JUDGE),
        "reyes": make_user("reyes", agencies["court"], Role.ATTORNEY),
    }


def refer(agencies, family, *, provider="sud", days_ago: int = 2, status: str = "") -> Referral:
    referral = Referral.objects.create(
        owner_agency=agencies[provider],
        subject=family.people["mom"],
        family=family,
        referring_agency=agencies["cw"],
        referral_date=TODAY() - timedelta(days=days_ago),
        source="child_welfare",
        reason="Positive screen.",
    )
    for step in [ReferralStatus.RECEIVED, *([status] if status else [])]:
        ReferralStep.objects.create(
            owner_agency=referral.owner_agency,
            subject=referral.subject,
            referral=referral,
            status=step,
            occurred_at=timezone.now(),
        )
    return referral


def sees(user, queryset, purpose, on: date | None = None) -> bool:
    return policy.permitted(user, queryset, purpose, on=on).exists()


# Child welfare: the family page's forms, with a confirmation before anything changes


def test_a_supervisor_assigns_then_transfers_a_family_with_an_effective_date_through_the_page(client, family, cw_staff):
    sign_in(client, cw_staff["sup"])
    url = reverse("assignments:family-assign", args=[family.pk])
    form = {"staff": cw_staff["maria"].pk, "on": TODAY().isoformat(), "note": "New case."}
    preview = client.post(url, form)
    assert b"What will change" in preview.content
    assert b"Maria Tester works the Rivera family from today" in preview.content
    assert not CaseloadAssignment.objects.exists()
    client.post(url, {**form, "confirm": "1"})
    first = CaseloadAssignment.objects.get()
    assert (first.staff, first.assigned_by, first.note) == (cw_staff["maria"], cw_staff["sup"], "New case.")

    effective = TODAY() + timedelta(days=7)
    url = reverse("assignments:family-transfer", args=[family.pk, first.pk])
    form = {"staff": cw_staff["james"].pk, "on": effective.isoformat(), "note": "Maria moves to intake."}
    preview = client.post(url, form)
    assert b"Maria Tester stops working the Rivera family from" in preview.content
    client.post(url, {**form, "confirm": "1"})
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason) == (effective, AssignmentEnd.TRANSFERRED)
    second = CaseloadAssignment.objects.exclude(pk=first.pk).get()
    assert (second.staff, second.assigned_on) == (cw_staff["james"], effective)

    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Assigned staff" in page and "James Tester" in page and "starts then" in page


def test_a_bad_choice_is_shown_next_to_the_field_before_confirmation(client, family, cw_staff):
    sign_in(client, cw_staff["sup"])
    services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=TODAY())
    url = reverse("assignments:family-assign", args=[family.pk])
    response = client.post(url, {"staff": cw_staff["maria"].pk, "on": TODAY().isoformat()})
    assert b"already works" in response.content and b"What will change" not in response.content
    assert CaseloadAssignment.objects.count() == 1


def test_a_caseworker_gets_no_assignment_forms(client, family, cw_staff):
    services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=TODAY())
    sign_in(client, cw_staff["maria"])
    assert client.get(reverse("assignments:family-assign", args=[family.pk])).status_code == 403
    assert client.get(reverse("assignments:family-close", args=[family.pk])).status_code == 403
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Maria Tester" in page and "Assign a caseworker" not in page


def test_closing_a_child_welfare_case_ends_the_caseload_and_the_consents_that_end_with_it(
    client, agencies, family, cw_staff, consent_terms
):
    consent = consent_services.record_consent(consent_terms(expires_on=None, expires_on_event=ExpiryEvent.CASE_CLOSED))
    assignment = services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=date(2026, 1, 5))
    sign_in(client, cw_staff["sup"])
    url = reverse("assignments:family-close", args=[family.pk])
    form = {"closed_on": TODAY().isoformat(), "reason": "reunified"}
    preview = client.post(url, form)
    assert b"Maria Tester stops working the family" in preview.content
    family.refresh_from_db()
    assert family.closed_on is None
    client.post(url, {**form, "confirm": "1"})
    family.refresh_from_db()
    assignment.refresh_from_db()
    consent.refresh_from_db()
    assert (family.closed_on, family.closed_reason) == (TODAY(), "reunified")
    assert (assignment.ended_on, assignment.end_reason) == (TODAY(), AssignmentEnd.CASE_CLOSED)
    assert consent.ended_by_event_on == TODAY()
    assert SubjectEvent.objects.filter(kind=ExpiryEvent.CASE_CLOSED).count() == 3
    closing = AuditEvent.objects.get(action="case_closed", object_id=str(family.pk))  # who closed it, and when
    assert (closing.actor_id, closing.details["closed_by"]) == (cw_staff["sup"].pk, cw_staff["sup"].username)


def test_a_case_cannot_close_before_it_opened_nor_twice(family, cw_staff):
    with pytest.raises(ValidationError, match="opened"):
        services.close_family_case(cw_staff["sup"], family, on=date(2025, 1, 1), reason="reunified")
    services.close_family_case(cw_staff["sup"], family, on=TODAY(), reason="reunified")
    with pytest.raises(ValidationError, match="already closed"):
        services.close_family_case(cw_staff["sup"], family, on=TODAY(), reason="reunified")
    with pytest.raises(PermissionDenied):
        services.close_family_case(cw_staff["maria"], family, on=TODAY(), reason="reunified")


def test_the_panel_shows_no_other_programs_assignment(client, agencies, family, cw_staff, program_staff):
    """That a counselor works the mother says she is the program's client: child welfare is not told."""
    referral = refer(agencies, family)
    referral_services.assign_from_intake(program_staff["clin"], referral, counselor=program_staff["rosa"])
    services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=TODAY())
    sign_in(client, cw_staff["sup"])
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Maria Tester" in page and "Rosa Tester" not in page


# A program's intake queue


def test_the_intake_queue_holds_the_programs_open_referrals_that_no_one_works(agencies, family, program_staff):
    waiting = refer(agencies, family, days_ago=3)
    accepted = refer(agencies, family, days_ago=2, status=ReferralStatus.ACCEPTED)
    refer(agencies, family, status=ReferralStatus.DECLINED)
    elsewhere = refer(agencies, family, provider="sud2")
    taken = refer(agencies, family, days_ago=1)
    referral_services.assign_from_intake(program_staff["clin"], taken, counselor=program_staff["rosa"])
    queue = list(referral_selectors.intake_queue(program_staff["clin"], Purpose.TREATMENT))
    assert queue == [waiting, accepted]
    assert elsewhere not in queue


def test_a_counselor_sees_the_referral_only_once_assigned_and_is_told(
    client, agencies, family, program_staff, django_capture_on_commit_callbacks
):
    referral = refer(agencies, family)
    rosa, tasha = program_staff["rosa"], program_staff["tasha"]
    rosa.email = "rosa@example.org"
    rosa.save(update_fields=["email"])
    one = Referral.objects.filter(pk=referral.pk)
    assert not sees(rosa, one, Purpose.TREATMENT) and not sees(tasha, one, Purpose.TREATMENT)
    sign_in(client, rosa)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assigned = referral_services.assign_from_intake(
            program_staff["clin"], referral, counselor=rosa, peer=tasha, note="Spanish speaker."
        )
    assert [(a.staff, a.capacity, a.client, a.family, a.about) for a in assigned] == [
        (rosa, Role.COUNSELOR, family.people["mom"], family, referral),
        (tasha, Role.PEER_RECOVERY_SPECIALIST, family.people["mom"], family, referral),
    ]
    assert sees(rosa, one, Purpose.TREATMENT) and sees(tasha, one, Purpose.TREATMENT)
    # The client only: the counselor is not opened the child or the other parent.
    others = LocalIdentifier.objects.exclude(subject=family.people["mom"])
    assert not sees(rosa, others, Purpose.TREATMENT)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert b"referral of Ana Rivera" in client.get(reverse("referrals:worklist")).content
    assert b"Ana Rivera" in client.get(reverse("assignments:my-clients")).content

    notice = Notification.objects.get(recipient=rosa)
    assert notice.kind == NotificationKind.ASSIGNED and "Ana Rivera" in notice.text
    assert "Rivera family" not in notice.text and notice.link == reverse("referrals:detail", args=[referral.pk])
    assert Notification.objects.filter(recipient=tasha).count() == 1
    assert [(m.to, "Ana Rivera" in m.subject) for m in mail.outbox] == [(["rosa@example.org"], True)]


def test_only_the_programs_clinical_supervisor_assigns_from_intake(client, agencies, family, program_staff, make_user):
    referral = refer(agencies, family)
    with pytest.raises(PermissionDenied):
        referral_services.assign_from_intake(program_staff["rosa"], referral, counselor=program_staff["rosa"])
    other = make_user("victor", agencies["sud2"], Role.CLINICAL_SUPERVISOR)
    with pytest.raises(PermissionDenied):
        referral_services.assign_from_intake(other, referral, counselor=program_staff["rosa"])
    sign_in(client, program_staff["rosa"])
    assert client.get(reverse("referrals:intake-queue")).status_code == 403
    assert not CaseloadAssignment.objects.exists()


def test_a_referral_is_assigned_once_and_only_to_the_programs_counselors(agencies, family, program_staff, make_user):
    referral = refer(agencies, family)
    elsewhere = make_user("ellen", agencies["sud2"], Role.COUNSELOR)
    with pytest.raises(ValidationError, match="counselor of your program"):
        referral_services.assign_from_intake(program_staff["clin"], referral, counselor=elsewhere)
    with pytest.raises(ValidationError, match="counselor of your program"):
        referral_services.assign_from_intake(program_staff["clin"], referral, counselor=program_staff["tasha"])
    referral_services.assign_from_intake(program_staff["clin"], referral, counselor=program_staff["rosa"])
    with pytest.raises(ValidationError, match="already works"):
        referral_services.assign_from_intake(program_staff["clin"], referral, counselor=program_staff["rosa"])


def test_a_discharge_recorded_on_the_page_ends_the_counselors_assignment(client, agencies, family, program_staff):
    referral = refer(agencies, family, days_ago=40)
    [assignment] = referral_services.assign_from_intake(
        program_staff["clin"], referral, counselor=program_staff["rosa"]
    )
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=TODAY() - timedelta(days=30)
    )
    sign_in(client, program_staff["rosa"])
    url = reverse("cases:new-record", args=[family.pk, "discharge"])
    response = client.post(
        url, {"episode": episode.pk, "discharge_date": TODAY().isoformat(), "discharge_reason": "completed"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.ended_on, assignment.end_reason) == (TODAY(), AssignmentEnd.DISCHARGED)
    assert not sees(program_staff["rosa"], Referral.objects.all(), Purpose.TREATMENT, on=TODAY() + timedelta(days=1))


# Court: the docket, the attorneys, closing a case


@pytest.fixture
def court_case(agencies, family, court_staff):
    # As in the demo partnership: the court knows who is in the family under the interagency agreement.
    consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    return case_services.open_court_case(
        court_staff["coord"],
        family,
        subject=family.people["kid"],
        docket_number="JD-1",
        filed_on=date(2026, 2, 2),
        judge=court_staff["okafor"],
    )


def test_a_judge_sees_the_docket_only_and_a_reassignment_moves_it_on_its_day(family, court_staff, court_case):
    okafor, marsh = court_staff["okafor"], court_staff["marsh"]
    cases = CourtCase.objects.all()
    assert sees(okafor, cases, Purpose.COURT_MONITORING) and not sees(marsh, cases, Purpose.COURT_MONITORING)
    effective = TODAY() + timedelta(days=3)
    case_services.reassign_judge(court_staff["coord"], court_case, judge=marsh, on=effective, note="Recusal.")
    assert sees(okafor, cases, Purpose.COURT_MONITORING)
    assert sees(marsh, cases, Purpose.COURT_MONITORING, on=effective)
    assert not sees(okafor, cases, Purpose.COURT_MONITORING, on=effective)
    with pytest.raises(ValidationError, match="not a judge|judge of your court"):
        case_services.reassign_judge(court_staff["coord"], court_case, judge=court_staff["reyes"], on=effective)
    with pytest.raises(PermissionDenied):
        case_services.reassign_judge(okafor, court_case, judge=marsh, on=effective)


def test_an_attorneys_withdrawal_ends_the_representation_and_the_consents_that_end_with_it(
    client, agencies, family, court_staff, court_case, consent_terms
):
    mom = family.people["mom"]
    consent = consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            recipients=[agencies["court"]],
            purposes=["court_proceeding"],
            expires_on=None,
            expires_on_event=ExpiryEvent.REPRESENTATION_ENDED,
        )
    )
    sign_in(client, court_staff["coord"])
    url = reverse("assignments:court-case-attorney", args=[court_case.pk])
    form = {"staff": court_staff["reyes"].pk, "represents": mom.pk, "on": "2026-02-03"}
    client.post(url, {**form, "confirm": "1"})
    representation = CaseloadAssignment.objects.get(capacity=Role.ATTORNEY)
    assert (representation.represents, representation.about) == (mom, court_case)
    refer(agencies, family)
    treatment = Referral.objects.all()
    assert sees(court_staff["reyes"], treatment, Purpose.COURT_PROCEEDING)

    withdraw = reverse("assignments:attorney-withdraw", args=[representation.pk])
    preview = client.post(withdraw, {"on": TODAY().isoformat()})
    assert b"Consents of Ana Rivera that end when representation ends" in preview.content
    client.post(withdraw, {"on": TODAY().isoformat(), "confirm": "1"})
    representation.refresh_from_db()
    consent.refresh_from_db()
    assert (representation.ended_on, representation.end_reason) == (TODAY(), AssignmentEnd.WITHDREW)
    assert consent.ended_by_event_on == TODAY()
    assert SubjectEvent.objects.get(kind=ExpiryEvent.REPRESENTATION_ENDED).subject == mom
    assert not sees(court_staff["reyes"], treatment, Purpose.COURT_PROCEEDING, on=TODAY() + timedelta(days=1))


def test_an_attorney_represents_a_member_of_the_family(agencies, family, court_staff, court_case):
    from familybridge.people.models import Person

    stranger = Person.objects.create(first_name="Not", last_name="Related")
    with pytest.raises(ValidationError, match="party represented"):
        case_services.assign_attorney(
            court_staff["coord"], court_case, attorney=court_staff["reyes"], represents=stranger, on=TODAY()
        )
    with pytest.raises(ValidationError, match="attorney of your court"):
        case_services.assign_attorney(
            court_staff["coord"], court_case, attorney=court_staff["marsh"], represents=family.people["mom"], on=TODAY()
        )


def test_closing_a_court_case_ends_its_judge_and_attorneys(client, family, court_staff, court_case):
    case_services.assign_attorney(
        court_staff["coord"], court_case, attorney=court_staff["reyes"], represents=family.people["mom"], on=TODAY()
    )
    with pytest.raises(PermissionDenied):
        case_services.close_court_case(court_staff["marsh"], court_case, on=TODAY(), reason="reunification")
    sign_in(client, court_staff["okafor"])
    url = reverse("assignments:court-case-close", args=[court_case.pk])
    form = {"closed_on": TODAY().isoformat(), "reason": "reunification"}
    preview = client.post(url, form)
    assert b"Reyes Tester (attorney) stops working it that day" in preview.content
    client.post(url, {**form, "confirm": "1"})
    court_case.refresh_from_db()
    assert (court_case.closed_on, court_case.closed_reason) == (TODAY(), "reunification")
    ended = CaseloadAssignment.objects.filter(about_id=court_case.pk)
    assert {(a.ended_on, a.end_reason) for a in ended} == {(TODAY(), AssignmentEnd.CASE_CLOSED)}
    assert ended.count() == 2
    with pytest.raises(ValidationError, match="already closed"):
        case_services.close_court_case(court_staff["coord"], court_case, on=TODAY(), reason="reunification")


def test_the_court_panel_shows_its_actions_to_the_coordinator_only(client, family, court_staff, court_case):
    sign_in(client, court_staff["coord"])
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Assign a judge" in page and "Okafor Tester" in page
    sign_in(client, court_staff["okafor"])
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Assign a judge" not in page and "Close case JD-1" in page
    assert client.get(reverse("assignments:court-case-judge", args=[court_case.pk])).status_code == 403


# Teams and their caseloads


def test_an_administrator_makes_a_team_and_its_supervisor_sees_its_caseloads(
    client, agencies, family, cw_staff, make_user
):
    admin = make_user("paul", agencies["cw"], Role.AGENCY_ADMIN)
    lin = make_user("lin", agencies["cw"], Role.CASEWORKER)
    sign_in(client, admin)
    response = client.post(
        reverse("agencies:teams", args=["cw"]), {"name": "Ongoing", "supervisor": cw_staff["sup"].pk}
    )
    team = Team.objects.get()
    assert response.status_code == 302 and team.supervisor == cw_staff["sup"]
    client.post(
        reverse("agencies:team-edit", args=["cw", team.pk]),
        {"name": "Ongoing", "supervisor": cw_staff["sup"].pk, "members": [cw_staff["maria"].pk, cw_staff["james"].pk]},
    )
    assert {m.user for m in team.memberships.all()} == {cw_staff["maria"], cw_staff["james"]}
    services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=TODAY())
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"],
        subject=family.people["kid"],
        family=family,
        removal_date=TODAY() - timedelta(days=400),
    )

    sign_in(client, cw_staff["sup"])
    page = client.get(reverse("assignments:team-caseloads"))
    loads = {load.worker: load for load in page.context["loads"]}
    assert set(loads) == {cw_staff["maria"], cw_staff["james"]} and lin not in loads
    maria = loads[cw_staff["maria"]]
    assert (maria.open_families, maria.children_in_care, maria.opened_recently, maria.clocks_nearing) == (1, 1, 0, 1)
    families = client.get(reverse("assignments:worker-families", args=[cw_staff["maria"].pk]) + "?show=clock")
    assert b"Rivera family" in families.content and b"Showing 1 of 1" in families.content


def test_a_team_is_managed_by_its_own_agencys_administrator_only(agencies, cw_staff, make_user):
    other_admin = make_user("nina", agencies["sud"], Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        agency_services.create_team(other_admin, agencies["cw"], name="Ongoing", supervisor=None)
    admin = make_user("paul", agencies["cw"], Role.AGENCY_ADMIN)
    with pytest.raises(ValidationError, match="supervisor"):
        agency_services.create_team(admin, agencies["cw"], name="Ongoing", supervisor=cw_staff["maria"])


def test_transfers_from_a_workers_families_list(client, family, cw_staff):
    first = services.assign(cw_staff["sup"], staff=cw_staff["maria"], family=family, on=date(2026, 1, 5))
    sign_in(client, cw_staff["sup"])
    url = reverse("assignments:worker-families", args=[cw_staff["maria"].pk])
    form = {"assignments": [first.pk], "staff": cw_staff["james"].pk, "on": TODAY().isoformat()}
    preview = client.post(url, form)
    assert b"The Rivera family goes from Maria Tester to James Tester from today" in preview.content
    client.post(url, {**form, "confirm": "1"})
    first.refresh_from_db()
    assert first.ended_on == TODAY()
    assert CaseloadAssignment.objects.filter(staff=cw_staff["james"], family=family).exists()
