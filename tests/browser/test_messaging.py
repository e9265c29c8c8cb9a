import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.consent.categories import Category
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_sends_a_secure_message_and_reads_the_inbox(page, agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="Send a secure message").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("About").select_option(label="Ana Rivera")
    page.get_by_label("What kind of information it holds").select_option(Category.CW_CASE_PLAN)
    page.get_by_label("Family Court").check()
    page.get_by_label("Subject").fill("Family time")
    page.get_by_label("Message").fill("Visits go well; we propose unsupervised time.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", name="Family time")).to_be_visible()
    expect(page.get_by_text("Visits go well; we propose unsupervised time.")).to_be_visible()
    assert_accessible(page)
