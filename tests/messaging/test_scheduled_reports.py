"""A scheduled report is drafted from the progress summary, edited, previewed and sent once, with confirmation."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.cases.models import ProgressSummary, TreatmentEpisode
from familybridge.consent.services import record_consent
from familybridge.messaging import services
from familybridge.messaging.models import Message, ScheduledReport
from tests.conftest import sign_in

DUE = date(2026, 3, 5)


@pytest.fixture
def report(agencies, family, monthly_protocol, consent_terms, worker) -> ScheduledReport:
    # Someone must be able to read it once sent: the family's caseworker, under the mother's consent.
    record_consent(consent_terms(categories=["sud.progress"]))
    TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 5)
    )
    services.produce_scheduled_reports(DUE)
    return ScheduledReport.unrestricted.get()


@pytest.fixture
def summary(agencies, family, report) -> ProgressSummary:
    return ProgressSummary.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        episode=TreatmentEpisode.unrestricted.get(),
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        summary="Engaged; all tests negative.",
        recommendations="Step down to outpatient.",
    )


def test_a_draft_is_built_from_the_summary_and_derived_from_it(counselor, report, summary):
    services.draft_scheduled_report(counselor, report)
    report.refresh_from_db()
    assert report.draft_body == "Engaged; all tests negative.\n\nRecommendations: Step down to outpatient."
    assert report.drafted_by == counselor and report.drafted_at is not None
    assert report.summary == summary and report.source_record == f"cases.progresssummary:{summary.pk}"
    assert not Message.unrestricted.exists()  # a draft sends nothing
    with pytest.raises(ValidationError, match="already has a draft"):
        services.draft_scheduled_report(counselor, report)


def test_an_edit_is_saved_as_the_draft_and_audited(counselor, report, summary):
    services.draft_scheduled_report(counselor, report)
    services.edit_scheduled_report(counselor, report, body="  Engaged in every group.  ")
    report.refresh_from_db()
    assert report.draft_body == "Engaged in every group." and report.edited_by == counselor
    assert AuditEvent.objects.filter(action="scheduled_report_edited", object_id=str(report.pk)).exists()
    with pytest.raises(ValidationError) as error:
        services.edit_scheduled_report(counselor, report, body="   ")
    assert error.value.message_dict == {"body": ["Write the report's text: an empty report is not saved or sent."]}
    report.refresh_from_db()
    assert report.draft_body == "Engaged in every group."


def test_the_edited_text_is_sent_once_and_then_frozen(agencies, counselor, report, summary):
    with pytest.raises(ValidationError, match="Draft the report and preview it"):
        services.send_scheduled_report(counselor, report, on=DUE)
    services.draft_scheduled_report(counselor, report)
    services.edit_scheduled_report(counselor, report, body="Engaged in every group.")
    message = services.send_scheduled_report(counselor, report, on=DUE)
    report.refresh_from_db()
    assert (report.sent_on, report.sent_by, report.message) == (DUE, counselor, message)
    assert report.sent_at is not None
    assert (
        message.body == "Engaged in every group."
        and message.subject_line == "Monthly treatment progress report, February 2026"
    )
    assert set(message.recipient_agencies.all()) == {agencies["cw"], agencies["court"]}
    assert message.source_record == f"cases.progresssummary:{summary.pk}"  # derived from the summary
    for change in (
        lambda: services.edit_scheduled_report(counselor, report, body="Changed afterwards."),
        lambda: services.send_scheduled_report(counselor, report, on=DUE),
    ):
        with pytest.raises(ValidationError, match="a sent report cannot be changed"):
            change()
    assert Message.unrestricted.count() == 1


def test_only_the_owing_agency_writes_it(agencies, make_user, report, summary, counselor):
    worker = make_user("cw-writer", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.draft_scheduled_report(worker, report)
    services.draft_scheduled_report(counselor, report)
    with pytest.raises(PermissionDenied):
        services.send_scheduled_report(worker, report, on=DUE)


def test_a_send_that_fails_leaves_nothing_half_saved(agencies, counselor, report, summary, monthly_protocol):
    services.draft_scheduled_report(counselor, report)
    monthly_protocol.to_agencies.set([agencies["sud"]])  # no partner left to send to
    with pytest.raises(ValidationError, match="at least one partner agency"):
        services.send_scheduled_report(counselor, report, on=DUE)
    report.refresh_from_db()
    assert (report.sent_on, report.sent_by, report.message) == (None, None, None)
    assert not Message.unrestricted.exists()


def test_the_page_sends_only_after_confirmation(client, counselor, report, summary):
    sign_in(client, counselor)
    client.post(reverse("messaging:report-draft", args=[report.pk]))
    url = reverse("messaging:report-send", args=[report.pk])
    page = client.post(url).content.decode()
    assert "What will change" in page and "Family Court" in page and "Engaged; all tests negative." in page
    assert not Message.unrestricted.exists()
    client.post(url, {"confirm": "1"})
    report.refresh_from_db()
    assert report.sent_by == counselor and Message.unrestricted.count() == 1
    response = client.post(reverse("messaging:report-edit", args=[report.pk]), {"body": "Later."}, follow=True)
    assert "a sent report cannot be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.message.body.startswith("Engaged")
    sent = client.get(reverse("messaging:report", args=[report.pk])).content.decode()
    assert "What was sent" in sent and "Engaged; all tests negative." in sent and "Edit the draft" not in sent


def test_another_agency_cannot_open_the_draft(client, agencies, make_user, report, summary, counselor):
    services.draft_scheduled_report(counselor, report)
    clinical = make_user("other-program", agencies["cw"], Role.CW_SUPERVISOR)
    sign_in(client, clinical)
    assert client.get(reverse("messaging:report", args=[report.pk])).status_code in (403, 404)
