import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_missing_page_says_so_plainly_and_leads_home(page, agencies, make_user):
    make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "worker", PASSWORD)
    response = page.goto("/families/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", name="Welcome, Worker")).to_be_visible()


def test_a_server_error_says_so_plainly_and_shows_nothing_of_the_code(page, settings):
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    response = page.goto("/failing-page/")
    assert response.status == 500
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    expect(page.get_by_text("RuntimeError")).to_have_count(0)
    assert_accessible(page)


def test_a_refused_page_says_so_plainly(page, agencies, make_user):
    make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "worker", PASSWORD)
    response = page.goto(f"/agencies/{agencies['sud'].slug}/staff/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    assert_accessible(page)
