"""Who sees an intake report: the policy point, need to know by assignment, and the reporter's identity."""

import html
from datetime import date

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import policy
from familybridge.consent import services as consent_services
from familybridge.intake import selectors, services
from familybridge.intake.models import Allegation, IntakeReport, InvestigationContact, ScreeningDecision
from familybridge.people.protected import ReadWithoutPolicy
from tests.conftest import sign_in
from tests.intake.conftest import PLANNING


def sees(user, model, purpose=PLANNING) -> bool:
    return policy.permitted(user, model.objects.all(), purpose).exists()


def test_a_report_is_read_only_through_the_policy_point(received):
    with pytest.raises(ReadWithoutPolicy):
        list(IntakeReport.objects.all())


def test_a_caseworker_not_assigned_does_not_see_the_report_the_receiver_and_then_the_investigator_do(
    received, intake_worker, investigator, supervisor
):
    # The receiver works the family while the report is screened; the caseworker who will investigate does not yet.
    assert sees(intake_worker, IntakeReport) and sees(intake_worker, Allegation)
    assert not sees(investigator, IntakeReport) and not sees(investigator, Allegation)
    assert sees(supervisor, IntakeReport)
    services.propose_screening(
        intake_worker, received, decision="screen_in", reason="meets_definition", response_track="investigation",
        response_hours=24,
    )
    assert sees(intake_worker, ScreeningDecision) and not sees(investigator, ScreeningDecision)
    services.approve_screening(supervisor, received, investigator=investigator)
    # The investigator's assignment about the report opens the family to her; the receiver's intake work ended.
    assert sees(investigator, IntakeReport) and sees(investigator, Allegation)
    assert not sees(intake_worker, IntakeReport)


def test_a_partner_agency_never_sees_a_report_without_a_basis(received, agencies, make_user, supervisor):
    report = received
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    coordinator = make_user("coord", agencies["court"], Role.COURT_COORDINATOR)
    clinical = make_user("clin", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    for user, purpose in (
        (judge, Purpose.COURT_MONITORING),
        (coordinator, Purpose.COURT_MONITORING),
        (clinical, Purpose.TREATMENT),
    ):
        for model in (IntakeReport, Allegation, ScreeningDecision, InvestigationContact):
            assert not sees(user, model, purpose), (user, model)
        assert selectors.reports_visible_to(user, purpose).filter(pk=report.pk).first() is None


def test_a_partner_opened_to_reports_by_an_agreement_never_sees_the_reporter(
    client, received, agencies, make_user, intake_worker
):
    coordinator = make_user("coord", agencies["court"], Role.COURT_COORDINATOR)
    consent_services.record_agreement(
        name="Court sees child welfare reports",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.allegation"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    report = selectors.reports_visible_to(coordinator, Purpose.COURT_MONITORING).get(pk=received.pk)
    assert not selectors.shows_reporter(coordinator, report)
    assert selectors.shows_reporter(intake_worker, report)
    url = reverse("intake:report", args=[received.pk]) + "?purpose=court_monitoring"
    page = html.unescape(sign_in(client, coordinator).get(url).content.decode())
    assert "Education personnel" in page and "three days running" in page
    assert "Ms. Patel" not in page and "555-0100" not in page
    assert "the reporter's name and contact are kept for the child welfare staff of County Children's Services" in page
    own = sign_in(client, intake_worker).get(reverse("intake:report", args=[received.pk])).content.decode()
    assert "Ms. Patel" in own and "555-0100" in own
