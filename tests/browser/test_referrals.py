import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
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
