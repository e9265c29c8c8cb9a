"""Intake's records are corrected and voided like any record (cases.corrections), under intake's rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from familybridge.cases import corrections
from familybridge.cases.models import ChildWelfareReport
from familybridge.cases.services import kind_of
from familybridge.intake import services
from familybridge.intake.models import Allegation, IntakeReport, InvestigationContact, ScreeningDecision
from familybridge.people.models import CaseloadAssignment, FamilyStage
from tests.conftest import sign_in
from tests.intake.conftest import PLANNING


def shown(user, record, *, include_voided=False):
    return corrections.record_of_family(
        user, record.report.family if hasattr(record, "report") else record.family, kind_of(record), record.pk,
        PLANNING, include_voided=include_voided,
    )


def test_the_receiver_corrects_the_reports_details_and_the_history_keeps_the_original(received, intake_worker):
    report = shown(intake_worker, received)
    corrections.correct_record(
        intake_worker, report.family, report, {"zip_code": "60602"}, "The reporter gave the new address."
    )
    assert IntakeReport.unrestricted.get(pk=received.pk).zip_code == "60602"
    history = corrections.versions(shown(intake_worker, received))
    assert [v.action for v in history] == ["Recorded", "Corrected"]
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(intake_worker, report.family, report, {"zip_code": "6"}, "Typo.")
    assert error.value.message_dict == {"zip_code": ["Enter a ZIP code of 5 digits (or 5 and 4, as 12345-6789)."]}


def test_a_report_entered_in_error_is_voided_with_its_records_and_its_intake_family_closed(
    received, intake_worker, investigator
):
    services.propose_screening(intake_worker, received, decision="screen_out", reason="not_maltreatment")
    with pytest.raises(PermissionDenied):
        corrections.void_record(investigator, received.family, received, "Entered twice.")
    corrections.void_record(intake_worker, received.family, shown(intake_worker, received), "Entered twice.")
    assert not IntakeReport.unrestricted.filter(pk=received.pk).exists()
    assert not Allegation.unrestricted.filter(report_id=received.pk).exists()
    assert not ScreeningDecision.unrestricted.filter(report_id=received.pk).exists()
    family = received.family
    family.refresh_from_db()
    assert family.stage == FamilyStage.CLOSED
    assert not CaseloadAssignment.objects.open().filter(family=family).exists()


def test_a_screened_in_report_is_closed_not_voided(screened_in, supervisor):
    with pytest.raises(ValidationError, match="voided only while it is being screened"):
        corrections.void_record(supervisor, screened_in.family, shown(supervisor, screened_in), "Wrong family.")


def _findings(report, investigator, finding="substantiated"):
    mia = Allegation.unrestricted.filter(report=report).order_by("pk").first().subject
    services.record_contact(investigator, report, person_id=mia.pk, contacted_at=timezone.now(), method="in_person")
    services.record_findings(
        investigator, report, findings={a.pk: finding for a in Allegation.unrestricted.filter(report=report)}
    )


def test_a_corrected_finding_changes_the_childs_report_and_finding(screened_in, investigator, supervisor):
    _findings(screened_in, investigator)
    allegation = Allegation.unrestricted.filter(report=screened_in).order_by("pk").first()
    child_report = ChildWelfareReport.unrestricted.get(pk=allegation.child_welfare_report_id)
    assert child_report.disposition == "substantiated"
    record = shown(supervisor, allegation)
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(supervisor, record.report.family, record, {"finding": "services_needed"}, "x")
    assert error.value.message_dict == {"finding": ["Choose a finding of the report's investigation."]}
    corrections.correct_record(
        supervisor, record.report.family, record, {"finding": "unsubstantiated"}, "Overturned on review."
    )
    child_report.refresh_from_db()
    assert child_report.disposition == "unsubstantiated"
    assert [v.action for v in corrections.versions(shown(supervisor, child_report))] == ["Recorded", "Corrected"]
    with pytest.raises(ValidationError, match="correct the finding instead"):
        corrections.void_record(supervisor, record.report.family, shown(supervisor, allegation), "Wrong child.")


def test_a_voided_contact_is_no_longer_the_response(screened_in, investigator):
    report = screened_in
    mia = Allegation.unrestricted.filter(report=report).order_by("pk").first().subject
    contact = services.record_contact(
        investigator, report, person_id=mia.pk, contacted_at=timezone.now(), method="in_person"
    )
    assert IntakeReport.unrestricted.get(pk=report.pk).first_contact_at == contact.contacted_at
    corrections.void_record(investigator, report.family, shown(investigator, contact), "Entered on the wrong report.")
    assert IntakeReport.unrestricted.get(pk=report.pk).first_contact_at is None
    assert not InvestigationContact.unrestricted.filter(report=report).exists()


def test_the_findings_contact_cannot_be_voided_after_the_findings(screened_in, investigator):
    _findings(screened_in, investigator)
    contact = InvestigationContact.unrestricted.get(report=screened_in)
    with pytest.raises(ValidationError, match="The findings rest on this contact"):
        corrections.void_record(investigator, screened_in.family, shown(investigator, contact), "Mistake.")


def test_the_report_page_offers_its_writer_to_correct_it(client, received, intake_worker):
    sign_in(client, intake_worker)
    page = client.get(reverse("intake:report", args=[received.pk])).content.decode()
    correct = reverse("cases:correct-record", args=[received.family_id, "intake-report", received.pk])
    assert correct in page
    response = client.get(correct)
    assert response.status_code == 200 and "What the reporter said" in response.content.decode()
