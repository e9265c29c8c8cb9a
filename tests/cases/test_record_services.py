"""Recording records day to day: each agency only its own kind, about its own family's members."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import models as m
from familybridge.cases import services
from familybridge.consent import policy
from familybridge.consent import services as consent_services
from familybridge.consent.models import Consent, ExpiryEvent, SubjectEvent
from familybridge.people.models import Family, FamilyMember, MemberRole, Person


@pytest.fixture
def coordinator(agencies, family, make_user, assign):
    user = make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR)
    assign(user, family)
    # As in the demo partnership: the court knows who is in the family under the interagency agreement.
    consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    return user


@pytest.fixture
def removal(agencies, family):
    return m.RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=date(2026, 2, 1)
    )


@pytest.fixture
def episode(agencies, family):
    return m.TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 2, 10)
    )


@pytest.fixture
def court_case(agencies, family):
    return m.CourtCase.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        family=family,
        docket_number="JD-26-1",
        filed_on=date(2026, 2, 2),
        is_family_treatment_court=True,
    )


def message_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# Who may write what


@pytest.mark.parametrize(
    "roles, agency, expected",
    [
        ((Role.CASEWORKER,), "cw", {"removal", "placement", "visit", "permanency-plan"}),
        ((Role.COUNSELOR,), "sud", {"admission", "attendance", "toxicology", "discharge"}),
        ((Role.PEER_RECOVERY_SPECIALIST,), "sud", {"attendance"}),
        ((Role.COURT_COORDINATOR,), "court", {"hearing", "order", "ftc-phase", "ftc-response"}),
        ((Role.ATTORNEY,), "court", set()),
        ((Role.DATA_ANALYST,), "cw", set()),
    ],
)
def test_each_role_may_write_only_its_agencys_kinds(agencies, make_user, roles, agency, expected):
    user = make_user("someone", agencies[agency], *roles)
    writable = {kind.slug for kind in services.writable_kinds(user)}
    assert expected <= writable
    # Kinds of no one agency (case notes, contacts, referrals) are each agency's own when it writes them.
    kinds_of_other_agencies = {
        k.slug for k in services.RECORD_KINDS.values() if k.agency_kind not in (agencies[agency].kind, None)
    }
    assert not writable & kinds_of_other_agencies
    if not expected:
        assert writable == set()


def test_peer_recovery_specialist_records_attendance_but_not_a_toxicology_result(
    agencies, family, episode, make_user, assign
):
    peer = make_user("peer", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    assign(peer, family)
    services.record_attendance(peer, family, episode=episode, session_date=date(2026, 3, 2), status="attended")
    with pytest.raises(PermissionDenied):
        services.record_toxicology(peer, family, episode=episode, collected_on=date(2026, 3, 2), outcome="negative")
    assert m.ToxicologyResult.unrestricted.count() == 0


def test_a_treatment_agency_that_is_not_a_part2_program_records_no_treatment(agencies, family, make_user, assign):
    agencies["sud2"].is_part2_program = False
    agencies["sud2"].save()
    counselor = make_user("other", agencies["sud2"], Role.COUNSELOR)
    assign(counselor, family)
    assert services.writable_kinds(counselor) == []


def test_a_caseworker_cannot_record_a_toxicology_result(worker, family, episode):
    with pytest.raises(PermissionDenied, match="Only SUD treatment program staff"):
        services.record_toxicology(worker, family, episode=episode, collected_on=date(2026, 3, 1), outcome="negative")
    assert m.ToxicologyResult.unrestricted.count() == 0


def test_a_counselor_cannot_record_a_hearing(counselor, family, court_case):
    with pytest.raises(PermissionDenied):
        services.record_hearing(
            counselor, family, court_case=court_case, hearing_date=date(2026, 3, 1), hearing_type="review"
        )
    assert m.Hearing.unrestricted.count() == 0


def test_a_court_coordinator_cannot_record_a_removal(coordinator, family):
    with pytest.raises(PermissionDenied):
        services.record_removal(coordinator, family, subject=family.people["kid"], removal_date=date(2026, 3, 1))
    assert m.RemovalEpisode.unrestricted.count() == 0


def test_a_family_not_open_to_the_user_is_refused(agencies, family, make_user):
    stranger = make_user("stranger", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied, match="not open to you"):
        services.record_removal(stranger, family, subject=family.people["kid"], removal_date=date(2026, 3, 1))
    assert m.RemovalEpisode.unrestricted.count() == 0


# Whose episode, which person


def test_another_programs_episode_is_refused(agencies, family, make_user, assign):
    other_program_episode = m.TreatmentEpisode.objects.create(
        owner_agency=agencies["sud2"], subject=family.people["mom"], admission_date=date(2026, 2, 1)
    )
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    with pytest.raises(ValidationError) as error:
        services.record_toxicology(
            counselor, family, episode=other_program_episode, collected_on=date(2026, 3, 1), outcome="negative"
        )
    assert "your agency's treatment episodes" in message_of(error.value, "episode")
    assert m.ToxicologyResult.unrestricted.count() == 0


def test_an_episode_of_someone_outside_the_family_is_refused(agencies, counselor, family):
    outsider = Person.objects.create(first_name="Zed", last_name="Else")
    foreign = m.TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=outsider, admission_date=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError):
        services.record_attendance(counselor, family, episode=foreign, session_date=date(2026, 3, 1), status="attended")
    assert m.Attendance.unrestricted.count() == 0


def test_another_courts_case_is_refused(agencies, family, coordinator):
    other_court = type(agencies["court"]).objects.create(name="Other Court", slug="other-court", kind="court")
    theirs = m.CourtCase.objects.create(
        owner_agency=other_court, subject=family.people["kid"], family=family, docket_number="X-1"
    )
    with pytest.raises(ValidationError) as error:
        services.record_court_order(
            coordinator, family, court_case=theirs, order_date=date(2026, 3, 1), order_type="other"
        )
    assert "your agency's court cases" in message_of(error.value, "court_case")


def test_a_non_member_cannot_be_removed(worker, family):
    outsider = Person.objects.create(first_name="Zed", last_name="Else")
    with pytest.raises(ValidationError) as error:
        services.record_removal(worker, family, subject=outsider, removal_date=date(2026, 3, 1))
    assert message_of(error.value, "subject") == "Choose a child of the Rivera family."


def test_a_parent_is_not_removed_and_a_child_is_not_admitted(worker, counselor, family):
    with pytest.raises(ValidationError, match="Choose a child"):
        services.record_removal(worker, family, subject=family.people["mom"], removal_date=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="Choose a parent"):
        services.admit_to_treatment(counselor, family, subject=family.people["kid"], admission_date=date(2026, 3, 1))
    assert not m.RemovalEpisode.unrestricted.exists() and not m.TreatmentEpisode.unrestricted.exists()


def test_a_visit_needs_a_child_and_a_parent_of_the_family(worker, family):
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            worker,
            family,
            subject=family.people["kid"],
            parent=family.people["kid"],
            visit_date=date(2026, 3, 1),
            attended=True,
        )
    assert message_of(error.value, "parent") == "Choose a parent of the Rivera family."
    visit = services.record_visit(
        worker,
        family,
        subject=family.people["kid"],
        parent=family.people["dad"],
        visit_date=date(2026, 3, 1),
        attended=True,
    )
    assert visit.owner_agency == worker.agency and visit.category == "cw.case_plan"


def test_a_member_of_another_family_is_refused(agencies, worker, family):
    other = Family.objects.create(name="Other family", owner_agency=agencies["cw"], opened_on=date(2026, 1, 1))
    child = Person.objects.create(first_name="Kim", last_name="Other")
    FamilyMember.objects.create(owner_agency=agencies["cw"], subject=child, family=other, role=MemberRole.CHILD)
    with pytest.raises(ValidationError):
        services.record_permanency_plan(worker, family, subject=child, goal="reunification", set_on=date(2026, 3, 1))
    assert not m.PermanencyPlan.unrestricted.exists()


# Dates


def test_no_future_collection_date(counselor, family, episode):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.record_toxicology(counselor, family, episode=episode, collected_on=tomorrow, outcome="negative")
    assert message_of(error.value, "collected_on") == "The collection date cannot be in the future."
    assert m.ToxicologyResult.unrestricted.count() == 0


def test_no_test_before_admission(counselor, family, episode):
    with pytest.raises(ValidationError) as error:
        services.record_toxicology(
            counselor, family, episode=episode, collected_on=date(2026, 2, 9), outcome="negative"
        )
    assert message_of(error.value, "collected_on") == "The collection date cannot be before admission (Feb 10, 2026)."


def test_a_positive_test_names_its_substances(counselor, family, episode):
    with pytest.raises(ValidationError, match="Name the substances"):
        services.record_toxicology(
            counselor, family, episode=episode, collected_on=date(2026, 3, 1), outcome="positive"
        )
    result = services.record_toxicology(
        counselor, family, episode=episode, collected_on=date(2026, 3, 1), outcome="positive", substances="fentanyl"
    )
    assert result.owner_agency == counselor.agency and result.subject == episode.subject
    assert result.category == "sud.toxicology"


def test_no_discharge_before_admission(counselor, family, episode):
    with pytest.raises(ValidationError) as error:
        services.discharge_from_treatment(
            counselor, family, episode=episode, discharge_date=date(2026, 2, 1), discharge_reason="completed"
        )
    assert message_of(error.value, "discharge_date") == "Discharge cannot be before admission (Feb 10, 2026)."
    episode.refresh_from_db()
    assert episode.discharge_date is None and not m.DischargeSummary.unrestricted.exists()


def test_no_discharge_from_care_before_removal(worker, family, removal):
    with pytest.raises(ValidationError) as error:
        services.discharge_removal(
            worker, family, episode=removal, discharge_date=date(2026, 1, 15), discharge_reason="reunification"
        )
    assert message_of(error.value, "discharge_date") == "Discharge cannot be before removal (Feb 1, 2026)."
    removal.refresh_from_db()
    assert removal.discharge_date is None


def test_a_placement_falls_within_its_episode(worker, family, removal):
    with pytest.raises(ValidationError) as error:
        services.record_placement(
            worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 1, 20)
        )
    assert message_of(error.value, "setting_start") == "A placement cannot start before removal (Feb 1, 2026)."
    removal.discharge_date, removal.discharge_reason = date(2026, 4, 1), "reunification"
    removal.save()
    with pytest.raises(ValidationError, match="within the episode"):
        services.record_placement(
            worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 4, 2)
        )
    assert not m.PlacementSetting.unrestricted.exists()


def test_a_placement_change_ends_the_setting_before_it(worker, family, removal):
    first = services.record_placement(
        worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 2, 1)
    )
    second = services.record_placement(
        worker, family, episode=removal, setting_type="relative", setting_start=date(2026, 3, 15)
    )
    first.refresh_from_db()
    assert first.setting_end == date(2026, 3, 15) and second.setting_end is None
    assert second.subject == family.people["kid"] and second.owner_agency == worker.agency


def test_discharge_from_care_sets_its_date_and_reason_and_ends_the_placement(worker, family, removal):
    setting = services.record_placement(
        worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 2, 1)
    )
    services.discharge_removal(
        worker, family, episode=removal, discharge_date=date(2026, 5, 1), discharge_reason="reunification"
    )
    removal.refresh_from_db()
    setting.refresh_from_db()
    assert (removal.discharge_date, removal.discharge_reason) == (date(2026, 5, 1), "reunification")
    assert setting.setting_end == date(2026, 5, 1)
    with pytest.raises(ValidationError, match="already discharged"):
        services.discharge_removal(
            worker, family, episode=removal, discharge_date=date(2026, 5, 2), discharge_reason="other"
        )


def test_a_child_already_in_care_is_not_removed_again(worker, family, removal):
    with pytest.raises(ValidationError, match="already in care"):
        services.record_removal(worker, family, subject=family.people["kid"], removal_date=date(2026, 3, 1))
    assert m.RemovalEpisode.unrestricted.count() == 1


def test_an_order_is_not_before_the_petition(coordinator, family, court_case):
    with pytest.raises(ValidationError) as error:
        services.record_court_order(
            coordinator, family, court_case=court_case, order_date=date(2026, 2, 1), order_type="other"
        )
    assert message_of(error.value, "order_date") == "An order cannot be before the petition (Feb 2, 2026)."


def test_a_hearing_may_be_set_for_the_future(coordinator, family, court_case):
    in_a_month = timezone.localdate() + timedelta(days=30)
    hearing = services.record_hearing(
        coordinator, family, court_case=court_case, hearing_date=in_a_month, hearing_type="review"
    )
    assert hearing.subject == family.people["kid"] and hearing.owner_agency == coordinator.agency


def test_family_treatment_court_records_are_about_a_parent(
    agencies, coordinator, family, court_case, episode, consent_terms
):
    assert (
        services.record_ftc_phase(
            coordinator,
            family,
            court_case=court_case,
            subject=family.people["mom"],
            phase=2,
            started_on=date(2026, 3, 1),
        ).subject
        == family.people["mom"]
    )
    with pytest.raises(ValidationError, match="Choose a parent"):
        services.record_ftc_phase(
            coordinator,
            family,
            court_case=court_case,
            subject=family.people["kid"],
            phase=1,
            started_on=date(2026, 3, 1),
        )
    test = m.ToxicologyResult.objects.create(
        owner_agency=episode.owner_agency,
        subject=episode.subject,
        episode=episode,
        collected_on=date(2026, 2, 20),
        outcome="negative",
    )
    about_the_test = {
        "court_case": court_case,
        "subject": family.people["mom"],
        "response_date": date(2026, 3, 1),
        "kind": "incentive",
        "description": "Gift card for 30 days of negative tests",
    }
    with pytest.raises(ValidationError, match="test result, session or treatment episode"):
        services.record_ftc_response(coordinator, family, **about_the_test, responds_to=test)
    consent_services.record_consent(consent_terms(recipients=[agencies["court"]], purposes=["court_monitoring"]))
    response = services.record_ftc_response(coordinator, family, **about_the_test, responds_to=test)
    assert response.category == "court.order"
    assert (response.source_owner_agency, response.source_category) == (agencies["sud"], "sud.toxicology")


# Treatment discharge


def test_treatment_discharge_creates_its_summary_and_ends_consents_that_end_at_discharge(
    agencies, family, counselor, episode, consent_terms, make_user, assign
):
    consent = consent_services.record_consent(consent_terms(expires_on=None, expires_on_event=ExpiryEvent.DISCHARGED))
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    later = date(2026, 6, 1)
    assert policy.permitted(judge, m.TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=later).exists()

    summary = services.discharge_from_treatment(
        counselor,
        family,
        episode=episode,
        discharge_date=date(2026, 5, 20),
        discharge_reason="completed",
        recommendations="Continue outpatient aftercare",
    )

    episode.refresh_from_db()
    assert (episode.discharge_date, episode.discharge_reason) == (date(2026, 5, 20), "completed")
    assert (summary.category, summary.subject, summary.owner_agency) == (
        "sud.discharge",
        episode.subject,
        agencies["sud"],
    )
    assert summary.reason == "completed" and summary.recommendations == "Continue outpatient aftercare"
    consent.refresh_from_db()
    assert consent.ended_by_event_on == date(2026, 5, 20)
    assert SubjectEvent.objects.filter(kind=ExpiryEvent.DISCHARGED).count() == 1
    assert not policy.permitted(judge, m.TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=later).exists()


def test_a_discharged_episode_is_not_discharged_twice(counselor, family, episode):
    services.discharge_from_treatment(
        counselor, family, episode=episode, discharge_date=date(2026, 5, 20), discharge_reason="completed"
    )
    with pytest.raises(ValidationError, match="already discharged"):
        services.discharge_from_treatment(
            counselor, family, episode=episode, discharge_date=date(2026, 5, 21), discharge_reason="left"
        )
    assert m.DischargeSummary.unrestricted.count() == 1


def test_nothing_is_half_saved_when_the_summary_cannot_be_written(counselor, family, episode):
    # A summary already exists (an imported one): the discharge fails at the summary, and the episode stays open.
    m.DischargeSummary.objects.create(
        owner_agency=episode.owner_agency,
        subject=episode.subject,
        episode=episode,
        discharged_on=date(2026, 5, 1),
        reason="other",
    )
    with pytest.raises(IntegrityError):
        services.discharge_from_treatment(
            counselor, family, episode=episode, discharge_date=date(2026, 5, 20), discharge_reason="completed"
        )
    episode.refresh_from_db()
    assert episode.discharge_date is None
    assert not SubjectEvent.objects.exists()
    assert Consent.objects.filter(ended_by_event_on__isnull=False).count() == 0


def test_family_treatment_court_records_need_a_family_treatment_court_case(coordinator, family, court_case):
    court_case.is_family_treatment_court = False
    court_case.save()
    with pytest.raises(ValidationError) as error:
        services.record_ftc_phase(
            coordinator,
            family,
            court_case=court_case,
            subject=family.people["mom"],
            phase=1,
            started_on=date(2026, 3, 1),
        )
    assert message_of(error.value, "court_case") == "Choose a family treatment court case."
    assert not m.FtcPhase.unrestricted.exists()


def test_a_judge_records_an_order_owned_by_the_court(agencies, family, court_case, make_user, assign):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    order = services.record_court_order(
        judge, family, court_case=court_case, order_date=date(2026, 3, 1), order_type="disposition"
    )
    assert (order.owner_agency, order.subject, order.category) == (
        agencies["court"],
        family.people["kid"],
        "court.order",
    )


# Reports and petitions


def test_a_caseworker_records_a_report_and_its_finding(worker, family):
    report = services.record_report(
        worker,
        family,
        subject=family.people["kid"],
        report_date=date(2026, 1, 3),
        disposition="substantiated",
        summary="Neglect reported by the hospital.",
    )
    assert (report.category, report.owner_agency, report.family) == ("cw.allegation", worker.agency, family)
    with pytest.raises(ValidationError) as refused:
        services.record_report(
            worker, family, subject=family.people["mom"], report_date=date(2026, 1, 3), disposition="substantiated"
        )
    assert "subject" in refused.value.message_dict
    assert m.ChildWelfareReport.unrestricted.count() == 1


def test_the_court_opens_a_dependency_case_once_on_a_judges_docket(agencies, coordinator, family, make_user):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    case = services.open_court_case(
        coordinator,
        family,
        subject=family.people["kid"],
        docket_number=" JD-26-9 ",
        filed_on=date(2026, 2, 2),
        judge=judge,
    )
    assert (case.docket_number, case.category, case.owner_agency) == ("JD-26-9", "court.case", coordinator.agency)
    docket = case.assignments.get()
    assert (docket.staff, docket.capacity, docket.assigned_on, docket.assigned_by) == (
        judge,
        Role.JUDGE,
        date(2026, 2, 2),
        coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        services.open_court_case(
            coordinator,
            family,
            subject=family.people["kid"],
            docket_number="JD-26-9",
            filed_on=date(2026, 2, 2),
            judge=judge,
        )
    assert "already open" in message_of(refused.value, "docket_number")
    with pytest.raises(ValidationError) as future:
        services.open_court_case(
            coordinator,
            family,
            subject=family.people["kid"],
            docket_number="JD-26-10",
            filed_on=timezone.localdate() + timedelta(days=1),
            judge=judge,
        )
    assert "filed_on" in future.value.message_dict


def test_a_court_case_needs_a_judge_of_the_court(agencies, coordinator, family, make_user):
    attorney = make_user("attorney", agencies["court"], Role.ATTORNEY)
    other_court = Agency.objects.create(name="Other Court", slug="other-court", kind=AgencyKind.COURT)
    elsewhere = make_user("elsewhere", other_court, Role.JUDGE)
    for not_a_judge_here in (attorney, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.open_court_case(
                coordinator,
                family,
                subject=family.people["kid"],
                docket_number="JD-1",
                filed_on=date(2026, 2, 2),
                judge=not_a_judge_here,
            )
        assert "judge of your court" in message_of(refused.value, "judge")
    assert not m.CourtCase.unrestricted.exists()


def test_a_caseworker_cannot_open_a_court_case(agencies, worker, family, make_user):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    with pytest.raises(PermissionDenied):
        services.open_court_case(
            worker, family, subject=family.people["kid"], docket_number="X", filed_on=date(2026, 2, 2), judge=judge
        )
