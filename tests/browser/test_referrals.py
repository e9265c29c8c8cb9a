import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import services as consent_services
from familybridge.referrals import services as referral_services
from familybridge.referrals.models import ReferralStatus
from familybridge.screening import services as screening_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_refers_and_the_counselor_closes_the_loop(browser, live_server, agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    for user in (worker, counselor):
        assign(user, family)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="Refer to treatment").click()
    assert_accessible(page)
    page.get_by_label("Who is referred").select_option(label="Ana Rivera")
    page.get_by_label("Treatment provider").select_option(label="Hope Recovery")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Reason for referral").fill("Positive UNCOPE (3 of 6).")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "counselor", PASSWORD)
    page.get_by_role("link", name="Referrals").click()
    assert_accessible(page)
    page.get_by_role("link", name="referral of Ana Rivera").click()
    expect(page.get_by_role("heading", name="Referral of Ana Rivera to Hope Recovery")).to_be_visible()
    page.get_by_label("Next step").select_option("declined")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Say why the referral is declined")).to_be_visible()
    page.get_by_label("Next step").select_option("accepted")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Step recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Answered")).to_be_visible()
    expect(page.get_by_text("engagement: Referred")).to_be_visible()
    assert_accessible(page)
    context.close()


def test_the_referrer_follows_her_referral_through_admission(
    browser, live_server, agencies, family, worker, counselor, consent_terms
):
    """A caseworker refers from a positive screen; the program records each step to admission; under the mother's
    consent the caseworker sees each step on her list, on the family page and in her notifications."""
    consent_services.record_consent(consent_terms())
    screening_services.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="AUDIT",
        answers=[2, 2, 2, 1, 1, 0, 0, 0, 0, 0],
        purpose=Purpose.CASE_PLANNING,
    )

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    screening = page.get_by_role("region", name="Screening and assessment")
    expect(screening.get_by_text("Refer for a clinical assessment")).to_be_visible()
    screening.get_by_role("link", name=re.compile(r"^\w{3} \d+, \d{4}$")).click()
    page.get_by_role("link", name="Refer for assessment").click()
    page.get_by_label("Treatment provider").select_option(label="Hope Recovery")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral of Ana Rivera sent to Hope Recovery.")).to_be_visible()
    screening = page.get_by_role("region", name="Screening and assessment")
    expect(screening.get_by_role("link", name="Referred to Hope Recovery")).to_be_visible()
    expect(screening.get_by_text("Refer for a clinical assessment")).to_have_count(0)
    referrals = page.get_by_role("region", name="Referrals to treatment")
    expect(referrals.get_by_text("Received on")).to_be_visible()
    assert_accessible(page)
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "counselor", PASSWORD)
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="referral of Ana Rivera").click()
    for step in ("accepted", "assessment_scheduled", "assessed", "admitted"):
        page.get_by_label("Next step").select_option(step)
        if step == "assessment_scheduled":
            page.get_by_label("Assessment date").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="Record").click()
        expect(page.get_by_text("Step recorded.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_role("heading", name="Referrals sent")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Ana Rivera"))
    expect(row.get_by_text(re.compile("^Admitted on"))).to_be_visible()
    expect(row.get_by_role("cell", name="Admitted", exact=True)).to_be_visible()  # the engagement signal
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Notifications")).click()
    for step in ("accepted", "assessment scheduled", "assessed", "admitted"):
        expect(page.get_by_text(f"Referral of Ana Rivera to Hope Recovery: {step} on")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/families/{family.pk}/")
    referrals = page.get_by_role("region", name="Referrals to treatment")
    expect(referrals.get_by_text(re.compile("^Admitted on"))).to_be_visible()
    context.close()


def test_a_declined_referral_asks_the_referrer_for_the_next_action(
    page, agencies, family, worker, counselor, consent_terms
):
    consent_services.record_consent(consent_terms())
    referral = referral_services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate(),
        reason="Positive UNCOPE",
        family=family,
    )
    referral_services.record_step(counselor, referral, ReferralStatus.DECLINED, note="No openings")
    sign_in(page, "worker", PASSWORD)
    todo = page.get_by_role("region", name="To do")
    todo.get_by_role("link", name=re.compile("Declined by Hope Recovery on .* refer elsewhere or close")).click()
    expect(page.get_by_role("heading", name=re.compile("^Next: Declined by Hope Recovery"))).to_be_visible()
    expect(page.get_by_role("link", name="Refer to another program")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Close the follow-up").click()
    page.get_by_label("Why no other referral is needed").fill("Entered treatment out of county")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Follow-up closed.", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("Follow-up closed .* by Worker Tester: Entered treatment"))).to_be_visible()
