"""Administering screens on a tablet-sized page, seeing the result, the next step and the history."""

from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.referrals.models import Referral
from familybridge.screening import services
from familybridge.screening.models import ScreeningResult
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def open_family(page, family):
    page.set_viewport_size(TABLET)
    sign_in(page, "worker", PASSWORD)
    page.goto(f"/families/{family.pk}/")


def test_oral_screen_one_item_at_a_time_with_an_observation_shows_the_urgent_protocol(page, worker, family):
    open_family(page, family)
    page.get_by_label("Person").select_option(label="Luis Rivera")
    page.get_by_label("Instrument").select_option(label="UNCOPE (oral)")
    page.get_by_role("button", name="Start a screen").click()
    expect(page.get_by_text("Question 1 of 6")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    page.get_by_role("button", name="No").click()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    for answer in ("Yes", "No", "No", "No", "No"):
        page.get_by_role("button", name=answer, exact=True).click()
    expect(page.get_by_role("heading", name="Check the answers")).to_be_visible()
    page.get_by_label("Signs of withdrawal").check()
    assert_accessible(page)
    page.get_by_role("button", name="Score the screen").click()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Follow the urgent protocol now")).to_be_visible()
    expect(alert).to_contain_text("observed withdrawal")
    expect(page.get_by_text("Total")).to_be_visible()
    expect(page.locator(".verdict")).to_have_text("Positive")
    assert_accessible(page)


def test_self_report_form_skip_logic_result_and_referral(page, worker, family):
    open_family(page, family)
    page.get_by_label("Person").select_option(label="Ana Rivera")
    page.get_by_label("Instrument").select_option(label="PC-PTSD-5 (Primary Care PTSD Screen for DSM-5) (oral)")
    page.get_by_role("button", name="Start a screen").click()
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("Question 2 of 6")).to_be_visible()
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="No").click()
    # A no to the trauma question skips the five others.
    expect(page.get_by_role("heading", name="Check the answers")).to_be_visible()
    page.get_by_role("button", name="Score the screen").click()
    expect(page.locator(".verdict")).to_have_text("Negative")
    expect(page.get_by_text("No further action from this screen")).to_be_visible()

    page.goto(f"/families/{family.pk}/")
    page.get_by_label("Person").select_option(label="Ana Rivera")
    page.get_by_label("Instrument").select_option(label="PHQ-9 (Patient Health Questionnaire)")
    page.get_by_role("button", name="Start a screen").click()
    for number in range(1, 10):
        group = page.get_by_role("group", name=f"{number}. Over the last 2 weeks")
        group.get_by_label("More than half the days" if number < 9 else "Not at all").check()
    assert_accessible(page)
    page.get_by_role("button", name="Score the screen").click()
    expect(page.locator(".verdict")).to_have_text("Positive")
    expect(page.get_by_text("16 of 27")).to_be_visible()
    expect(page.get_by_text("Moderately severe")).to_be_visible()
    page.get_by_role("link", name="Refer for assessment").click()
    expect(page.get_by_label("Reason for referral")).to_contain_text("PHQ-9 (Patient Health Questionnaire) on")
    assert_accessible(page)
    page.get_by_label("Treatment provider").select_option(label="Hope Recovery")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral of Ana Rivera sent to Hope Recovery.")).to_be_visible()
    assert Referral.unrestricted.get().subject == family.people["mom"]

    history = page.get_by_role("table", name="Screening history")
    expect(history.get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("img", name="Chart of screening totals over time", exact=False)).to_be_visible()
    assert_accessible(page)


def test_counselor_records_a_clinical_assessment(page, agencies, family, make_user, assign):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    sign_in(page, "counselor", PASSWORD)
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Record a clinical assessment").click()
    assert_accessible(page)
    page.get_by_label("Parent or caregiver assessed").select_option(label="Ana Rivera")
    page.get_by_label("Diagnosis").fill("F10.20 Alcohol use disorder, moderate")
    page.get_by_label("ASAM level of care").select_option(label="2.1 Intensive outpatient")
    page.get_by_label("Recommendations").fill("Intensive outpatient three evenings a week.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Clinical assessment of Ana Rivera recorded.")).to_be_visible()
    expect(page.get_by_text("ASAM 2.1 Intensive outpatient", exact=False)).to_be_visible()
    assert_accessible(page)


def test_coordinator_changes_a_cutoff_and_a_parent_answers_through_a_link(page, agencies, family, make_user, worker):
    make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    sign_in(page, "coord", PASSWORD)
    page.get_by_role("link", name="Screening settings").click()
    assert_accessible(page)
    page.get_by_label("PC-PTSD-5 (Primary Care PTSD Screen for DSM-5) positive cut-off (default)").fill("4")
    page.get_by_label("PC-PTSD-5 (Primary Care PTSD Screen for DSM-5) positive cut-off (default)").press("Enter")
    expect(page.get_by_text("Cut-off of PC-PTSD-5 saved.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Instruments").click()
    expect(page.get_by_role("link", name="EPDS JSON")).to_be_visible()
    assert_accessible(page)

    _, token = services.create_invitation(
        worker, family=family, subject=family.people["mom"], instrument_id="EPDS", purpose=Purpose.CASE_PLANNING
    )
    page.context.clear_cookies()
    page.goto(f"/screening/take/{token}/")
    expect(page.get_by_text("Hello Ana")).to_be_visible()
    assert_accessible(page)
    for number in range(1, 11):
        page.get_by_role("group", name=f"{number}. Item {number}:").get_by_label("Fourth response as printed").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you, Ana")).to_be_visible()
    assert ScreeningResult.unrestricted.get(family=family).total == 9
    assert date.today() >= ScreeningResult.unrestricted.get(family=family).administered_on
