"""Assigning work in the browser: a supervisor's family assignments and team caseloads, a program's intake queue
and the counselor who receives the referral, the court's docket and attorneys, the administrator's teams."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.models import Team, TeamMembership
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import services as case_services
from familybridge.cases.models import RemovalEpisode
from familybridge.consent import services as consent_services
from familybridge.dates import us_date
from familybridge.people import services
from familybridge.people.models import CaseloadAssignment
from familybridge.referrals.models import Referral, ReferralStep
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_supervisor_assigns_and_transfers_a_family(page, agencies, family, make_user):
    make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    make_user("maria", agencies["cw"], Role.CASEWORKER)
    make_user("james", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "denise", PASSWORD)
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name="Rivera family").click()
    expect(page.get_by_role("heading", name="Assigned staff")).to_be_visible()
    expect(page.get_by_text("No one you may know of is assigned to this family now.")).to_be_visible()

    page.get_by_role("link", name="Assign a caseworker").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Caseworker").select_option(label="Maria Tester")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Maria Tester works the Rivera family from today.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Maria Tester works the Rivera family from today.")).to_be_visible()
    expect(page.get_by_role("cell", name="Maria Tester · County Children's Services")).to_be_visible()

    page.get_by_role("link", name="Transfer the family from Maria Tester").click()
    page.get_by_label("Transfer to").select_option(label="James Tester")
    effective = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Effective date").fill(effective.isoformat())
    page.get_by_label("Note (optional)").fill("Maria moves to intake.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Maria Tester stops working the Rivera family")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("The Rivera family goes to James Tester")).to_be_visible()
    expect(page.get_by_text("starts then")).to_be_visible()
    assert_accessible(page)


def test_a_clinical_supervisor_assigns_a_referral_and_the_counselor_receives_it(
    browser, live_server, agencies, family, make_user
):
    make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    rosa = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    make_user("tasha", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    referral = Referral.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        family=family,
        referring_agency=agencies["cw"],
        referral_date=timezone.localdate() - timedelta(days=2),
        source="child_welfare",
        reason="Positive UNCOPE (3 of 6).",
    )
    ReferralStep.objects.create(
        owner_agency=agencies["sud"],
        subject=referral.subject,
        referral=referral,
        status="received",
        occurred_at=timezone.now(),
    )

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "ben", PASSWORD)
    page.get_by_role("link", name="Intake queue").click()
    expect(page.get_by_role("cell", name="Ana Rivera", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Assign the referral of Ana Rivera").click()
    assert_accessible(page)
    page.get_by_label("Counselor").select_option(label="Rosa Tester")
    page.get_by_label("Peer recovery specialist (optional)").select_option(label="Tasha Tester")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Rosa Tester and Tasha Tester now work with Ana Rivera.")).to_be_visible()
    expect(page.get_by_text("No referrals are waiting.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "rosa", PASSWORD)
    page.get_by_role("link", name="Notifications 1 unread").click()
    notice = page.get_by_role("link", name="You are assigned to Ana Rivera as counselor")
    expect(notice).to_be_visible()
    assert_accessible(page)
    notice.click()
    expect(page.get_by_role("heading", name="Referral of Ana Rivera to Hope Recovery")).to_be_visible()
    page.get_by_role("link", name="Referrals").click()
    expect(page.get_by_role("link", name="referral of Ana Rivera")).to_be_visible()
    page.get_by_role("link", name="My clients").click()
    expect(page.get_by_role("cell", name="Ana Rivera", exact=True)).to_be_visible()
    expect(page.get_by_text("Showing 1 of 1")).to_be_visible()
    assert_accessible(page)
    context.close()
    assert CaseloadAssignment.objects.filter(staff=rosa, client=family.people["mom"]).exists()


def test_the_team_caseloads_page_and_a_transfer_from_it(page, agencies, family, make_user):
    supervisor = make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    james = make_user("james", agencies["cw"], Role.CASEWORKER)
    team = Team.objects.create(agency=agencies["cw"], name="Ongoing", supervisor=supervisor)
    for worker in (maria, james):
        TeamMembership.objects.create(team=team, user=worker)
    services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=date(2025, 1, 2)
    )

    sign_in(page, "denise", PASSWORD)
    page.get_by_role("link", name="Team caseloads").click()
    expect(page.get_by_role("heading", name="My team's caseloads")).to_be_visible()
    expect(page.get_by_role("img", name="Bar chart of each caseworker's open families")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Maria Tester").click()
    expect(page.get_by_role("link", name="Rivera family")).to_be_visible()
    expect(page.get_by_text("Nearing its deadline", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Show").select_option(label="Opened in the last 30 days")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No open families on Maria Tester's caseload match.")).to_be_visible()
    page.get_by_label("Show").select_option(label="All open families")
    page.get_by_role("button", name="Filter").click()
    page.get_by_label("Transfer the Rivera family").check()
    page.get_by_label("Transfer to").select_option(label="James Tester")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The Rivera family goes from Maria Tester to James Tester from today.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("1 family goes to James Tester.")).to_be_visible()
    expect(page.get_by_text("No open families on Maria Tester's caseload match.")).to_be_visible()


def test_the_court_assigns_an_attorney_who_withdraws_and_closes_the_case(page, agencies, family, make_user):
    coordinator = make_user("carl", agencies["court"], Role.COURT_COORDINATOR)
    judge = make_user("okafor", agencies["court"], Role.JUDGE)
    make_user("marsh", agencies["court"], Role.JUDGE)
    make_user("reyes", agencies["court"], Role.ATTORNEY)
    consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    case_services.open_court_case(
        coordinator, family, subject=family.people["kid"], docket_number="JD-1", filed_on=date(2026, 2, 2), judge=judge
    )

    sign_in(page, "carl", PASSWORD)
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="Assign a judge to case JD-1").click()
    expect(page.get_by_text("Now on Judge Okafor Tester's docket.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Judge").select_option(label="Marsh Tester")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Judge Okafor Tester no longer hears it from today.")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Case JD-1 is on Judge Marsh Tester's docket from today.")).to_be_visible()

    page.get_by_role("link", name="Assign an attorney in case JD-1").click()
    page.get_by_label("Attorney").select_option(label="Reyes Tester")
    page.get_by_label("Party represented").select_option(label="Ana Rivera")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Reyes Tester represents Ana Rivera from today.")).to_be_visible()

    page.get_by_role("link", name="Withdraw Reyes Tester from case JD-1").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Consents of Ana Rivera that end when representation ends end that day.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Reyes Tester no longer represents Ana Rivera from today.")).to_be_visible()

    page.get_by_role("link", name="Close case JD-1").click()
    page.get_by_label("Reason").select_option(label="Reunification: jurisdiction terminated")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Marsh Tester (judge) stops working it that day.")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Case JD-1 is closed.")).to_be_visible()
    expect(page.get_by_text("closed " + us_date(timezone.localdate()))).to_be_visible()
    assert_accessible(page)


def test_a_cw_supervisor_closes_the_family_case(page, agencies, family, make_user):
    supervisor = make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    services.assign(supervisor, staff=maria, family=family, on=date(2026, 1, 5))
    sign_in(page, "denise", PASSWORD)
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Reason").select_option(label="Children reunified with their family")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Maria Tester stops working the family")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("The Rivera family case is closed.")).to_be_visible()
    expect(page.get_by_text("(children reunified with their family)")).to_be_visible()
    page.get_by_text("History of assignments (1)").click()
    expect(page.get_by_role("cell", name="Case closed")).to_be_visible()


def test_an_administrator_builds_a_team(page, agencies, make_user):
    make_user("paul", agencies["cw"], Role.AGENCY_ADMIN)
    make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    make_user("maria", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "paul", PASSWORD)
    page.get_by_role("link", name="Teams").click()
    expect(page.get_by_role("cell", name="No teams yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create the team").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Team name").fill("Ongoing services")
    page.get_by_label("Supervisor").select_option(label="Denise Tester")
    page.get_by_role("button", name="Create the team").click()
    expect(page.get_by_text("Team Ongoing services created. Add its members.")).to_be_visible()
    page.get_by_label("Maria Tester").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the team").click()
    expect(page.get_by_role("cell", name="Maria Tester")).to_be_visible()
