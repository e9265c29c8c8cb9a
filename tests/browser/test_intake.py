"""Intake in the browser: receiving a report (two children, one found by the duplicate check, and an alleged
perpetrator), screening it in with a supervisor's approval, recording the findings and opening a case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Role
from familybridge.intake import services
from familybridge.intake.models import IntakeReport
from familybridge.people.models import CaseloadAssignment
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.intake.conftest import PLANNING, receipt_about_new_children

pytestmark = pytest.mark.browser


def as_user(browser, live_server, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, username, PASSWORD)
    return page


def test_a_caseworker_receives_a_report_about_two_children_one_found_by_the_duplicate_check(page: Page, worker, family):
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", name="Intake")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Receive a report").click()
    assert_accessible(page)
    page.get_by_label("Who made the report").select_option(label="Medical personnel")
    page.get_by_label("Reporter's name (optional)").fill("Dr. Okoye")
    page.get_by_label("What the reporter said").fill("Sofia came to the clinic with a burn on her hand; her baby "
                                                    "brother looked underfed.")
    page.get_by_label("ZIP code").fill("6060")
    page.get_by_role("button", name="Continue to the children").click()
    expect(page.get_by_text("Enter a ZIP code of 5 digits (or 5 and 4, as 12345-6789).")).to_be_visible()
    page.get_by_label("ZIP code").fill("60601")
    page.get_by_role("button", name="Continue to the children").click()
    expect(page.get_by_role("heading", name="Children the report is about")).to_be_visible()
    assert_accessible(page)

    # Sofia is already known: typed as "Sophia", she is found and named, not recorded again.
    page.get_by_label("First name").fill("Sophia")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("Date of birth").fill("2019-02-03")
    page.get_by_role("button", name="Look for this person").click()
    expect(page.get_by_role("heading", name="Sofia Rivera")).to_be_visible()
    expect(page.get_by_text("Member of Rivera family (child).")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Name Sofia Rivera").click()
    expect(page.get_by_text("Sofia Rivera is named in the report as a child.")).to_be_visible()

    # Her brother is new.
    page.get_by_label("First name").fill("Mateo")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("Date of birth").fill("2025-08-14")
    page.get_by_role("button", name="Look for this person").click()
    expect(page.get_by_text("No one you may see looks like this person.")).to_be_visible()
    new_person = page.get_by_role("region", name="Name a new person")
    new_person.get_by_label("Sex").select_option("M")
    page.get_by_role("button", name="Name a new person").click()
    expect(page.get_by_text("Mateo Rivera (new) is named in the report as a child.")).to_be_visible()

    # The alleged perpetrator: the mother's partner, new, a caregiver in the household.
    page.get_by_role("radio", name="An alleged perpetrator").check()
    page.get_by_label("First name").fill("Carl")
    page.get_by_label("Last name").fill("Boyd")
    page.get_by_role("button", name="Look for this person").click()
    new_person = page.get_by_role("region", name="Name a new person")
    new_person.get_by_label("In the children's household").select_option("caregiver")
    page.get_by_role("button", name="Name a new person").click()
    expect(page.get_by_text("Carl Boyd (new) is named in the report as an alleged perpetrator.")).to_be_visible()

    allegations = page.get_by_role("region", name="What is alleged")
    allegations.get_by_label("Child").select_option(label="Sofia Rivera")
    allegations.get_by_label("Maltreatment alleged").select_option(label="Physical abuse")
    allegations.get_by_label("Alleged perpetrator").select_option(label="Carl Boyd")
    page.get_by_role("button", name="Add the allegation").click()
    expect(page.get_by_text("Allegation added.")).to_be_visible()
    page.get_by_role("button", name="Receive the report").click()
    expect(page.get_by_text("Add what is alleged about Mateo Rivera.")).to_be_visible()
    allegations = page.get_by_role("region", name="What is alleged")
    allegations.get_by_label("Child").select_option(label="Mateo Rivera")
    allegations.get_by_label("Maltreatment alleged").select_option(label="Neglect or deprivation of necessities")
    page.get_by_role("button", name="Add the allegation").click()
    re_report = page.get_by_role("radio", name="Rivera family (a re-report: the children are in this family)")
    expect(re_report).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Receive the report").click()

    report = IntakeReport.unrestricted.get()
    expect(page.get_by_role("heading", name=f"Report {report.pk}: Rivera family")).to_be_visible()
    expect(page.get_by_text(f"Report {report.pk} is received and awaits screening.")).to_be_visible()
    expect(page.get_by_text("Medical personnel: Dr. Okoye")).to_be_visible()
    expect(page.get_by_role("cell", name="Carl Boyd")).to_be_visible()
    assert_accessible(page)
    assert report.family_id == family.pk and report.subject == family.people["kid"]


@pytest.fixture
def intake_staff(agencies, make_user):
    return {
        "lin": make_user("lin", agencies["cw"], Role.CASEWORKER),
        "denise": make_user("denise", agencies["cw"], Role.CW_SUPERVISOR),
        "james": make_user("james", agencies["cw"], Role.CASEWORKER),
        "maria": make_user("maria", agencies["cw"], Role.CASEWORKER),
    }


def test_a_report_is_screened_in_and_the_supervisor_approves_and_assigns_the_investigator(
    browser, live_server, intake_staff
):
    report = services.receive_report(intake_staff["lin"], receipt_about_new_children(), purpose=PLANNING)
    page = as_user(browser, live_server, "lin")
    page.get_by_role("link", name="Intake").click()
    page.get_by_role("link", name=f"Report {report.pk}").click()
    expect(page.get_by_text("Awaiting screening. Next: screen the report, due")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Screen in").check()
    page.get_by_role("button", name="Propose the decision").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_role("radio", name="Screen in").check()
    reason = "The allegation meets the state's definition of abuse or neglect"
    page.get_by_label("Reason", exact=True).select_option(label=reason)
    page.get_by_label("Response (screen in)").select_option(label="Investigation")
    page.get_by_label("See the children (screen in)").select_option(label="Within 24 hours")
    page.get_by_role("button", name="Propose the decision").click()
    expect(page.get_by_text("The screening decision is proposed.")).to_be_visible()
    expect(page.get_by_text("The decision awaits a supervisor's approval.")).to_be_visible()
    page.context.close()

    page = as_user(browser, live_server, "denise")
    page.get_by_role("link", name="Intake").click()
    page.get_by_label("Show").select_option(label="Decisions awaiting approval")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Approve or send back the screening decision, due")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Report {report.pk}").click()
    page.get_by_role("link", name="Approve or send back the decision").click()
    expect(page.get_by_role("heading", name=f"Approve the screening of report {report.pk}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve: screen in").click()
    expect(page.get_by_text("Choose the worker who will investigate or assess the report.")).to_be_visible()
    page.get_by_label("Worker who investigates or assesses").select_option(label="James Tester")
    page.get_by_role("button", name="Approve: screen in").click()
    expect(page.get_by_text(f"Approved: report {report.pk} is screened in.")).to_be_visible()
    expect(page.get_by_text("Investigation or assessment under way.")).to_be_visible()
    assert_accessible(page)
    page.context.close()
    assert CaseloadAssignment.objects.open().get(about_id=report.pk).staff == intake_staff["james"]


def test_the_investigator_records_the_findings_and_the_supervisor_opens_a_case(browser, live_server, intake_staff):
    lin, denise, james = intake_staff["lin"], intake_staff["denise"], intake_staff["james"]
    report = services.receive_report(lin, receipt_about_new_children(), purpose=PLANNING)
    services.propose_screening(
        lin, report, decision="screen_in", reason="meets_definition", response_track="investigation", response_hours=24
    )
    services.approve_screening(denise, report, investigator=james)

    page = as_user(browser, live_server, "james")
    page.get_by_role("link", name="Intake").click()
    expect(page.get_by_text("See the children (first contact), due")).to_be_visible()
    page.get_by_role("link", name=f"Report {report.pk}").click()
    seen = timezone.localtime() - timedelta(minutes=10)
    page.get_by_label("With").select_option(label="Mia Lopez (child)")
    page.get_by_label("Day", exact=True).fill(seen.date().isoformat())
    page.get_by_label("Time", exact=True).fill(seen.strftime("%H:%M"))
    page.get_by_label("How").select_option(label="In person")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("The contact is recorded.")).to_be_visible()
    expect(page.get_by_text(": on time")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Physical abuse of Mia Lopez, by Carl Boyd").select_option(label="Substantiated")
    page.get_by_role("button", name="Record the findings").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Neglect or deprivation of necessities of Leo Lopez").select_option(label="Unsubstantiated")
    page.get_by_role("button", name="Record the findings").click()
    expect(page.get_by_text("The findings are recorded")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^Substantiated"))).to_be_visible()
    page.get_by_role("link", name="Lopez family").click()
    expect(page.get_by_text("report about Mia Lopez, substantiated")).to_be_visible()
    page.context.close()

    page = as_user(browser, live_server, "denise")
    page.goto(f"/intake/reports/{report.pk}/")
    page.get_by_role("link", name="Open a case").click()
    assert_accessible(page)
    page.get_by_label("Case number").fill("CW-2026-0901")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Ongoing caseworker").select_option(label="Maria Tester")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("The case of Lopez family is open; Maria Tester works it.")).to_be_visible()
    expect(page.get_by_text("Case opened on")).to_be_visible()
    assert_accessible(page)
    page.context.close()
    assert CaseloadAssignment.objects.open().get(family=report.family, about_id=None).staff == intake_staff["maria"]
