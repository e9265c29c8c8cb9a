"""Finding 10a: pages that read person data write an audit event of what they read, without the view
doing anything: the policy point notes what it shows, the audit middleware writes one event per request."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.cases.models import CourtCase, Hearing, TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.messaging.models import Notification, ScheduledReport
from tests.conftest import sign_in


def read_events(user) -> list[dict]:
    return [e.details["records"] for e in AuditEvent.objects.filter(action="read", actor_id=user.pk)]


@pytest.fixture
def consented(consent_terms):
    return consent_services.record_consent(consent_terms())


def test_finding_10a_why_can_i_see_this_is_audited(client, worker, family, agencies, consented):
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 9)
    )
    sign_in(client, worker)
    url = reverse("consent:why", args=["cases.treatmentepisode", episode.pk])
    assert client.get(url, {"purpose": "case_planning"}).status_code == 200
    assert read_events(worker) == [{"cases.treatmentepisode": [str(episode.pk)]}]


def test_finding_10a_the_reports_page_is_audited(client, worker, family, agencies, monthly_protocol):
    report = ScheduledReport.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        category=monthly_protocol.category,
        protocol=monthly_protocol,
        family=family,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        due_on=date(2026, 2, 10),
    )
    counselor_of_the_program = worker.__class__.objects.create_user(
        username="counselor", password="a-long-test-password-42", agency=agencies["sud"]
    )
    counselor_of_the_program.staff_roles.create(role=Role.CLINICAL_SUPERVISOR)
    sign_in(client, counselor_of_the_program)
    assert client.get(reverse("messaging:reports")).status_code == 200
    assert {"messaging.scheduledreport": [str(report.pk)]} in read_events(counselor_of_the_program)


def test_finding_10a_consent_detail_is_audited(client, worker, consented):
    sign_in(client, worker)
    assert client.get(reverse("consent:detail", args=[consented.pk])).status_code == 200
    assert {"consent.consent": [str(consented.pk)]} in read_events(worker)


def test_finding_10a_home_is_audited(client, family, agencies, make_user, assign):
    coordinator = make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR)
    assign(coordinator, family)
    kid = family.people["kid"]
    case = CourtCase.objects.create(owner_agency=agencies["court"], subject=kid, family=family, docket_number="JD-3")
    hearing = Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=kid,
        court_case=case,
        hearing_date=timezone.localdate() + timedelta(days=3),
        hearing_type="review",
    )
    sign_in(client, coordinator)
    assert client.get(reverse("web:home")).status_code == 200
    assert read_events(coordinator) == [{"cases.hearing": [str(hearing.pk)]}]


def test_finding_10a_notifications_are_audited(client, worker):
    note = Notification.objects.create(
        recipient=worker, kind="message", text="A message about Ana Rivera", dedupe_key="m1"
    )
    sign_in(client, worker)
    assert client.get(reverse("messaging:notifications")).status_code == 200
    assert read_events(worker) == [{"messaging.notification": [str(note.pk)]}]


def test_a_page_that_reads_nothing_writes_no_read_event(client, worker):
    sign_in(client, worker)
    client.get(reverse("messaging:notifications"))
    assert read_events(worker) == []
