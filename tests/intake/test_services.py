"""Intake's workflow, step by step: each transition, and each refusal a worker or supervisor would meet."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from familybridge.cases.models import ChildWelfareReport
from familybridge.intake import services
from familybridge.intake.models import (
    Allegation,
    IntakeReport,
    InvestigationContact,
    MaltreatmentType,
    ReportStatus,
    ScreeningDecision,
)
from familybridge.intake.services import AllegationEntry, ReportPerson
from familybridge.people.matching import Typed
from familybridge.people.models import (
    AssignmentEnd,
    CaseloadAssignment,
    Family,
    FamilyMember,
    FamilyStage,
    LocalIdentifier,
    Person,
)
from familybridge.people.selectors import likely_duplicates
from tests.intake.conftest import PLANNING, details, new_child, receipt_about_new_children


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- receiving --------------------------------------------------------------------------------------------------


def test_a_report_about_children_nobody_knows_opens_a_family_at_intake_worked_by_its_receiver(received, intake_worker):
    family = received.family
    assert (family.name, family.stage, family.case_number, family.case_opened_on) == (
        "Lopez family",
        FamilyStage.INTAKE,
        "",
        None,
    )
    assert family.opened_on == timezone.localdate(received.received_at)
    members = FamilyMember.unrestricted.filter(family=family).order_by("pk")
    assert [(str(m.subject), m.role) for m in members] == [
        ("Mia Lopez", "child"),
        ("Leo Lopez", "child"),
        ("Carl Boyd", "caregiver"),
    ]
    assert received.status == ReportStatus.AWAITING_SCREENING
    assert str(received.subject) == "Mia Lopez"
    assert received.screening_due_at == received.received_at + timedelta(hours=24)
    allegations = Allegation.unrestricted.filter(report=received).order_by("pk")
    assert [(str(a.subject), a.maltreatment_type, str(a.perpetrator or "")) for a in allegations] == [
        ("Mia Lopez", "physical_abuse", "Carl Boyd"),
        ("Leo Lopez", "neglect", ""),
    ]
    # The receiver works the family (an assignment through people.services) until screening is decided.
    assert received.intake_assignment.staff == intake_worker
    assert received.intake_assignment.family == family and received.intake_assignment.ended_on is None


def test_a_re_report_attaches_to_the_family_the_child_is_in_and_links_her_not_a_copy(family, worker):
    sofia = family.people["kid"]
    people_before = Person.objects.count()
    receipt = receipt_about_new_children(
        children=[ReportPerson(key="c1", name="Sofia Rivera", role="child", person_id=sofia.pk)],
        perpetrators=[],
        allegations=[AllegationEntry("c1", MaltreatmentType.MEDICAL_NEGLECT, "")],
        family_id=family.pk,
    )
    report = services.receive_report(worker, receipt, purpose=PLANNING)
    assert report.family == family and report.subject == sofia
    assert Person.objects.count() == people_before
    assert FamilyMember.unrestricted.filter(subject=sofia).count() == 1
    assert Family.objects.count() == 1
    # She already works the Rivera family: no second assignment for the intake.
    assert report.intake_assignment is None


def test_a_family_offered_for_a_re_report_is_one_the_children_are_in(family, worker, intake_worker):
    sofia = family.people["kid"]
    assert list(services.families_of_children(worker, PLANNING, [sofia.pk])) == [family]
    # The intake worker does not work the Rivera family: she is offered no family of Sofia's, nor can she name one.
    assert list(services.families_of_children(intake_worker, PLANNING, [sofia.pk])) == []
    receipt = receipt_about_new_children(family_id=family.pk)
    with pytest.raises(ValidationError) as error:
        services.receive_report(intake_worker, receipt, purpose=PLANNING)
    assert messages_of(error.value) == {"family": ["Choose one of the families listed, or a new family."]}


def test_a_part2_client_unknown_to_child_welfare_looks_like_nobody_at_intake(agencies, intake_worker, worker):
    quinn = Person.objects.create(first_name="Robert", last_name="Quinn", birth_date=date(1985, 8, 12), sex="M")
    LocalIdentifier.objects.create(owner_agency=agencies["sud"], subject=quinn, identifier="TX-900")
    assert likely_duplicates(intake_worker, PLANNING, Typed("Robert", "Quinn", date(1985, 8, 12))) == []
    assert likely_duplicates(intake_worker, PLANNING, Typed("Rob", "Quinn", None, "TX-900")) == []

    def naming(person_id: int) -> dict:
        receipt = receipt_about_new_children(
            perpetrators=[ReportPerson(key="p1", name="Robert Quinn", role="parent", person_id=person_id)]
        )
        with pytest.raises(ValidationError) as error:
            services.receive_report(intake_worker, receipt, purpose=PLANNING)
        return messages_of(error.value)

    # Naming him by his id is refused in the very words used for an id nobody has.
    assert naming(quinn.pk) == {"perpetrators": [
        "Look for Robert Quinn again: choose one of the people listed, or add a new person."
    ]}
    assert naming(10**9) == naming(quinn.pk)
    assert not IntakeReport.unrestricted.exists()


def test_receiving_refuses_what_is_missing_and_saves_nothing(intake_worker):
    cases = [
        (receipt_about_new_children(children=[]), {"children": ["Add at least one child the report is about."]}),
        (
            receipt_about_new_children(allegations=[AllegationEntry("c1", MaltreatmentType.PHYSICAL_ABUSE, "p1")]),
            {"allegations": ["Add what is alleged about Leo Lopez."]},
        ),
        (
            receipt_about_new_children(details=details(narrative="  ")),
            {"narrative": ["Enter what the reporter said."]},
        ),
        (
            receipt_about_new_children(details=details(zip_code="6060")),
            {"zip_code": ["Enter a ZIP code of 5 digits (or 5 and 4, as 12345-6789)."]},
        ),
        (
            receipt_about_new_children(details=details(received_at=timezone.now() + timedelta(hours=3))),
            {"received_at": ["The report cannot have been received in the future."]},
        ),
        (
            receipt_about_new_children(children=[new_child("c1", "Mia", born=timezone.localdate() + timedelta(1)),
                                                 new_child("c2", "Leo")]),
            {"children": ["Mia Lopez: The birth date cannot be in the future."]},
        ),
    ]
    for receipt, expected in cases:
        with pytest.raises(ValidationError) as error:
            services.receive_report(intake_worker, receipt, purpose=PLANNING)
        assert messages_of(error.value) == expected
    assert (IntakeReport.unrestricted.count(), Family.objects.count(), Person.objects.count()) == (0, 0, 0)
    assert not CaseloadAssignment.objects.exists()


def test_only_child_welfare_staff_receive_reports(agencies, make_user):
    judge = make_user("judge", agencies["court"], "judge")
    with pytest.raises(PermissionDenied):
        services.receive_report(judge, receipt_about_new_children(), purpose=PLANNING)


# --- screening --------------------------------------------------------------------------------------------------


def test_a_decision_needs_a_reason_and_a_screen_in_its_response(received, intake_worker):
    propose = services.propose_screening
    with pytest.raises(ValidationError) as error:
        propose(intake_worker, received, decision="screen_in", reason="")
    assert messages_of(error.value) == {"reason": ["Choose the reason to screen the report in."]}
    with pytest.raises(ValidationError) as error:
        propose(intake_worker, received, decision="screen_out", reason="meets_definition")
    assert messages_of(error.value) == {"reason": ["Choose the reason to screen the report out."]}
    with pytest.raises(ValidationError) as error:
        propose(intake_worker, received, decision="screen_out", reason="other_out", note=" ")
    assert messages_of(error.value) == {"note": ["Say in words why, since the reason is “other”."]}
    with pytest.raises(ValidationError) as error:
        propose(
            intake_worker, received, decision="screen_in", reason="meets_definition", response_track="investigation"
        )
    assert messages_of(error.value) == {"response_hours": ["Choose how soon the children must be seen."]}
    assert not ScreeningDecision.unrestricted.exists()


def test_a_caseworker_does_not_approve_and_a_supervisor_never_her_own_proposal(
    received, intake_worker, supervisor, second_supervisor, investigator
):
    services.propose_screening(supervisor, received, decision="screen_out", reason="not_maltreatment")
    with pytest.raises(PermissionDenied):
        services.approve_screening(intake_worker, received)
    with pytest.raises(PermissionDenied, match="another supervisor approves it"):
        services.approve_screening(supervisor, received)
    services.approve_screening(second_supervisor, received)
    assert IntakeReport.unrestricted.get(pk=received.pk).status == ReportStatus.CLOSED


def test_screening_in_assigns_the_investigator_and_ends_the_intake_assignment(
    screened_in, intake_worker, investigator, supervisor
):
    report = screened_in
    assert report.status == ReportStatus.RESPONDING
    assert report.response_due_at == report.received_at + timedelta(hours=24)
    assert report.findings_due_on == timezone.localdate(report.received_at) + timedelta(days=30)
    [investigation] = services.investigator_assignments(report)
    assert (investigation.staff, investigation.family, investigation.about, investigation.assigned_by) == (
        investigator,
        report.family,
        report,
        supervisor,
    )
    intake = CaseloadAssignment.objects.get(pk=report.intake_assignment_id)
    assert (intake.staff, intake.end_reason, intake.ended_on) == (
        intake_worker,
        AssignmentEnd.INTAKE_DONE,
        timezone.localdate(),
    )
    decision = ScreeningDecision.unrestricted.get(report=report)
    assert (decision.review, decision.reviewed_by) == ("approved", supervisor)


def test_approving_a_screen_in_needs_an_investigator_of_the_agency(received, intake_worker, supervisor, counselor):
    services.propose_screening(
        intake_worker, received, decision="screen_in", reason="risk_of_harm", response_track="family_assessment",
        response_hours=72,
    )
    with pytest.raises(ValidationError) as error:
        services.approve_screening(supervisor, received)
    assert messages_of(error.value) == {
        "investigator": ["Choose the worker who will investigate or assess the report."]
    }
    with pytest.raises(ValidationError) as error:
        services.approve_screening(supervisor, received, investigator=counselor)
    assert messages_of(error.value) == {"investigator": ["Choose a caseworker of County Children's Services."]}
    assert IntakeReport.unrestricted.get(pk=received.pk).status == ReportStatus.AWAITING_APPROVAL


def test_a_decision_sent_back_says_why_and_the_report_awaits_screening_again(received, intake_worker, supervisor):
    services.propose_screening(intake_worker, received, decision="screen_out", reason="cannot_locate")
    with pytest.raises(ValidationError) as error:
        services.send_back(supervisor, received, note="")
    assert messages_of(error.value) == {"review_note": ["Say what should change before the decision can be approved."]}
    services.send_back(supervisor, received, note="The school has the address: call them.")
    report = IntakeReport.unrestricted.get(pk=received.pk)
    assert report.status == ReportStatus.AWAITING_SCREENING
    decision = ScreeningDecision.unrestricted.get(report=report)
    assert (decision.review, decision.review_note) == ("sent_back", "The school has the address: call them.")
    # A new decision may be proposed; the one sent back stays as history.
    services.propose_screening(intake_worker, report, decision="screen_out", reason="other_jurisdiction")
    assert ScreeningDecision.unrestricted.filter(report=report).count() == 2


def test_screening_out_closes_the_report_and_the_family_opened_only_for_it(received, intake_worker, supervisor):
    services.propose_screening(intake_worker, received, decision="screen_out", reason="community_services",
                               note="Food bank and family resource center.")
    services.approve_screening(supervisor, received)
    report = IntakeReport.unrestricted.select_related("family").get(pk=received.pk)
    assert (report.status, report.close_reason, report.closed_on) == ("closed", "screened_out", timezone.localdate())
    assert report.close_note.endswith("(referred): Food bank and family resource center.")
    assert (report.family.stage, report.family.closed_on) == (FamilyStage.CLOSED, timezone.localdate())
    assert not CaseloadAssignment.objects.open().filter(family=report.family).exists()
    with pytest.raises(ValidationError, match="already closed"):
        services.close_report(supervisor, report, reason="other", note="again", on=timezone.localdate())


def test_screening_out_a_re_report_leaves_the_familys_open_case_alone(family, worker, supervisor):
    receipt = receipt_about_new_children(
        children=[ReportPerson(key="c1", name="Sofia Rivera", role="child", person_id=family.people["kid"].pk)],
        perpetrators=[],
        allegations=[AllegationEntry("c1", MaltreatmentType.NEGLECT, "")],
        family_id=family.pk,
    )
    report = services.receive_report(worker, receipt, purpose=PLANNING)
    services.propose_screening(worker, report, decision="screen_out", reason="already_open")
    services.approve_screening(supervisor, report)
    family.refresh_from_db()
    assert (family.stage, family.closed_on) == (FamilyStage.OPEN_CASE, None)
    assert CaseloadAssignment.objects.open().filter(family=family, staff=worker).exists()


# --- investigation, findings, outcome ----------------------------------------------------------------------------


def test_findings_before_screening_in_are_refused(received, supervisor):
    allegation = Allegation.unrestricted.filter(report=received).first()
    with pytest.raises(ValidationError) as error:
        services.record_findings(supervisor, received, findings={allegation.pk: "substantiated"})
    assert messages_of(error.value) == {
        "__all__": ["Findings are recorded once the report is screened in and the children seen."]
    }


def _child(report: IntakeReport, first_name: str) -> Person:
    return Person.objects.get(first_name=first_name, pk__in=Allegation.unrestricted.filter(report=report).values(
        "subject_id"))


def test_the_first_in_person_contact_with_a_child_is_the_response_on_time_or_late(screened_in, investigator, make_user,
                                                                                 agencies):
    report = screened_in
    mia = _child(report, "Mia")
    carl = Person.objects.get(first_name="Carl")
    outsider = make_user("other", agencies["cw"], "caseworker")
    with pytest.raises(PermissionDenied):
        services.record_contact(outsider, report, person_id=mia.pk, contacted_at=timezone.now(), method="in_person")
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            investigator, report, person_id=mia.pk, contacted_at=report.received_at - timedelta(minutes=1),
            method="in_person",
        )
    assert list(messages_of(error.value)) == ["contacted_at"]
    # A phone call with the perpetrator is a contact, not the response.
    services.record_contact(investigator, report, person_id=carl.pk, contacted_at=timezone.now(), method="phone")
    assert IntakeReport.unrestricted.get(pk=report.pk).first_contact_at is None
    seen = report.received_at + timedelta(hours=1)
    services.record_contact(investigator, report, person_id=mia.pk, contacted_at=seen, method="in_person")
    report = IntakeReport.unrestricted.get(pk=report.pk)
    assert (report.first_contact_at, report.response_words) == (seen, "on time")
    assert InvestigationContact.unrestricted.filter(report=report).count() == 2
    report.first_contact_at = report.response_due_at + timedelta(hours=5)
    assert report.response_words == "late by 5 hours"


def _see_children(report: IntakeReport, by) -> None:
    services.record_contact(
        by, report, person_id=_child(report, "Mia").pk, contacted_at=timezone.now(), method="in_person"
    )


def test_findings_write_each_childs_report_and_finding_for_the_rest_of_the_product(screened_in, investigator):
    report = screened_in
    allegations = list(Allegation.unrestricted.filter(report=report).order_by("pk"))
    with pytest.raises(ValidationError, match="first in-person contact"):
        services.record_findings(investigator, report, findings={a.pk: "substantiated" for a in allegations})
    _see_children(report, investigator)
    with pytest.raises(ValidationError) as error:
        services.record_findings(investigator, report, findings={allegations[0].pk: "services_needed"})
    assert messages_of(error.value) == {
        f"finding_{allegations[0].pk}": ["Choose the finding."],
        f"finding_{allegations[1].pk}": ["Choose the finding."],
    }
    written = services.record_findings(
        investigator, report, findings={allegations[0].pk: "indicated", allegations[1].pk: "unsubstantiated"}
    )
    received_on = timezone.localdate(report.received_at)
    rows = ChildWelfareReport.unrestricted.filter(pk__in=[r.pk for r in written]).order_by("pk")
    assert [(str(r.subject), r.report_date, r.disposition, r.family_id) for r in rows] == [
        ("Mia Lopez", received_on, "indicated", report.family_id),
        ("Leo Lopez", received_on, "unsubstantiated", report.family_id),
    ]
    assert IntakeReport.unrestricted.get(pk=report.pk).status == ReportStatus.FINDINGS_RECORDED
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_findings(investigator, report, findings={a.pk: "indicated" for a in allegations})


def test_a_childs_report_takes_her_most_serious_finding(received, intake_worker, supervisor, investigator):
    receipt = receipt_about_new_children(
        children=[new_child("c1", "Ava", "Stone")],
        perpetrators=[],
        allegations=[
            AllegationEntry("c1", MaltreatmentType.NEGLECT, ""),
            AllegationEntry("c1", MaltreatmentType.PHYSICAL_ABUSE, ""),
        ],
        family_name="Stone family",
    )
    report = services.receive_report(intake_worker, receipt, purpose=PLANNING)
    services.propose_screening(intake_worker, report, decision="screen_in", reason="meets_definition",
                               response_track="investigation", response_hours=72)
    services.approve_screening(supervisor, report, investigator=investigator)
    ava = Person.objects.get(first_name="Ava")
    services.record_contact(investigator, report, person_id=ava.pk, contacted_at=timezone.now(), method="in_person")
    neglect, abuse = Allegation.unrestricted.filter(report=report).order_by("pk")
    [written] = services.record_findings(
        investigator, report, findings={neglect.pk: "unsubstantiated", abuse.pk: "substantiated"}
    )
    assert written.disposition == "substantiated"


def test_a_case_opened_from_the_report_hands_the_family_to_the_ongoing_caseworker(
    screened_in, investigator, supervisor, agencies, make_user
):
    report = screened_in
    _see_children(report, investigator)
    services.record_findings(
        investigator, report, findings={a.pk: "substantiated" for a in Allegation.unrestricted.filter(report=report)}
    )
    ongoing = make_user("maria", agencies["cw"], "caseworker")
    with pytest.raises(PermissionDenied):
        services.open_case(investigator, report, case_number="CW-2026-7", opened_on=timezone.localdate(),
                           caseworker=ongoing)
    with pytest.raises(ValidationError) as error:
        services.open_case(supervisor, report, case_number="", opened_on=timezone.localdate(), caseworker=ongoing)
    assert messages_of(error.value) == {"case_number": ["Enter the case number."]}
    family = services.open_case(
        supervisor, report, case_number="CW-2026-7", opened_on=timezone.localdate(), caseworker=ongoing
    )
    assert (family.stage, family.case_number, family.case_opened_on) == (
        FamilyStage.OPEN_CASE,
        "CW-2026-7",
        timezone.localdate(),
    )
    investigation = CaseloadAssignment.objects.get(about_id=report.pk, staff=investigator)
    assert investigation.end_reason == AssignmentEnd.TRANSFERRED
    assert CaseloadAssignment.objects.open().get(family=family, about_id=None).staff == ongoing
    report = IntakeReport.unrestricted.get(pk=report.pk)
    assert (report.status, report.case_opened_on) == (ReportStatus.CASE_OPENED, timezone.localdate())
    with pytest.raises(ValidationError, match="A case was opened from this report"):
        services.open_case(supervisor, report, case_number="CW-2026-8", opened_on=timezone.localdate(),
                           caseworker=ongoing)
    with pytest.raises(ValidationError, match="close the family's case instead"):
        services.close_report(supervisor, report, reason="other", note="x", on=timezone.localdate())


def test_a_report_closed_after_its_findings_closes_its_intake_family_once(screened_in, investigator, supervisor):
    report = screened_in
    with pytest.raises(ValidationError, match="once its findings are recorded"):
        services.close_report(supervisor, report, reason="no_services_needed", on=timezone.localdate())
    _see_children(report, investigator)
    services.record_findings(
        investigator, report, findings={a.pk: "unsubstantiated" for a in Allegation.unrestricted.filter(report=report)}
    )
    with pytest.raises(ValidationError) as error:
        services.close_report(supervisor, report, reason="other", note="", on=timezone.localdate())
    assert messages_of(error.value) == {"note": ["Say in words why, since the reason is “other”."]}
    services.close_report(supervisor, report, reason="no_services_needed", on=timezone.localdate())
    report = IntakeReport.unrestricted.select_related("family").get(pk=report.pk)
    assert (report.status, report.family.stage) == (ReportStatus.CLOSED, FamilyStage.CLOSED)
    assert not services.investigator_assignments(report).exists()
    with pytest.raises(ValidationError) as error:
        services.close_report(supervisor, report, reason="no_services_needed", on=timezone.localdate())
    assert messages_of(error.value) == {"__all__": [f"This report was already closed on {report.closed_on:%b} "
                                                    f"{report.closed_on.day}, {report.closed_on.year}."]}


def test_a_receiver_screening_two_reports_of_a_family_works_it_until_both_are_screened(
    received, intake_worker, supervisor
):
    mia = _child(received, "Mia")
    second = services.receive_report(
        intake_worker,
        receipt_about_new_children(
            children=[ReportPerson(key="c1", name="Mia Lopez", role="child", person_id=mia.pk)],
            perpetrators=[],
            allegations=[AllegationEntry("c1", MaltreatmentType.SEXUAL_ABUSE, "")],
            family_id=received.family_id,
        ),
        purpose=PLANNING,
    )
    assert second.intake_assignment_id == received.intake_assignment_id
    services.propose_screening(intake_worker, received, decision="screen_out", reason="already_open")
    services.approve_screening(supervisor, received)
    # The family stays open and hers while the second report is screened.
    assert CaseloadAssignment.objects.open().filter(pk=second.intake_assignment_id).exists()
    assert Family.objects.get(pk=received.family_id).closed_on is None
    services.propose_screening(intake_worker, second, decision="screen_out", reason="not_maltreatment")
    services.approve_screening(supervisor, second)
    assert not CaseloadAssignment.objects.open().filter(pk=second.intake_assignment_id).exists()
    assert Family.objects.get(pk=received.family_id).stage == FamilyStage.CLOSED
