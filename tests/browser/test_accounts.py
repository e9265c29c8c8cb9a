import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser


def test_a_judge_enrolls_an_authenticator_at_first_sign_in(page, agencies, make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    make_user("judge", agencies["court"], Role.JUDGE)
    sign_in(page, "judge", PASSWORD, second_factor=False)
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code holding your authenticator key")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Six-digit code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("That code does not match.")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="judge", confirmed=False)
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_now(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome, Judge")).to_be_visible()


def test_an_agency_admin_changes_roles_and_deactivates_an_account(page, agencies, make_user):
    make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="Edit worker").click()
    expect(page.get_by_role("heading", name="Worker Tester")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Child welfare supervisor").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles of Worker Tester saved.")).to_be_visible()
    assert User.objects.get(username="worker").role_codes == {Role.CASEWORKER, Role.CW_SUPERVISOR}
    page.get_by_role("link", name="Edit worker").click()
    page.get_by_role("link", name="Deactivate account").click()  # deactivation asks first, on its own page
    expect(page.get_by_role("heading", name="Deactivate Worker Tester?")).to_be_visible()
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_role("cell", name="Deactivated")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.get(username="worker").is_active


def test_an_admin_hands_a_departing_caseworkers_families_to_a_colleague(
    page, agencies, family, worker, make_user, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    make_user("colleague", agencies["cw"], Role.CASEWORKER)
    make_user("analyst", agencies["cw"], Role.DATA_ANALYST)
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="Edit worker").click()
    page.get_by_role("link", name="Deactivate account").click()
    expect(page.get_by_text("works 1 family or client")).to_be_visible()
    successor = page.get_by_label("Colleague who takes over the caseload")
    expect(successor.locator("option")).to_have_text(["Choose a colleague", "Colleague Tester (Caseworker)"])
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert User.objects.get(username="worker").is_active
    successor.select_option(label="Colleague Tester (Caseworker)")
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("Their caseload (1 family or client) is now Colleague Tester's.")).to_be_visible()
    page.get_by_label("Show").select_option("deactivated")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Showing 1 of 1")).to_be_visible()
    expect(page.get_by_role("cell", name="Deactivated")).to_be_visible()
    assert_accessible(page)
    taken_over = User.objects.get(username="colleague").assignments.filter(ended_on=None)
    assert list(taken_over.values_list("family", flat=True)) == [family.pk]

    page.get_by_role("link", name="Edit worker").click()
    page.get_by_role("button", name="Reactivate account").click()
    expect(page.get_by_text("Worker Tester can sign in again.")).to_be_visible()
    assert not User.objects.get(username="worker").assignments.filter(ended_on=None).exists()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "colleague", PASSWORD)
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_text("Worker Tester's caseload is now yours from")).to_be_visible()


def test_an_admin_is_offered_only_his_agencys_roles_and_not_his_own(page, agencies, make_user):
    """Issue 10, finding 6, in the browser: the form offers child welfare's roles only, and an
    administrator's own account shows his roles without a way to change them."""
    make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="Add a staff member").click()
    expect(page.get_by_label("Caseworker")).to_be_visible()
    expect(page.get_by_label("Counselor")).to_have_count(0)
    expect(page.get_by_label("Judge")).to_have_count(0)
    expect(page.get_by_text("Only the roles that fit this kind of agency (Child welfare) are offered.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Edit admin").click()
    expect(page.get_by_text("You cannot change your own roles.")).to_be_visible()
    expect(page.get_by_role("button", name="Save roles")).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate account")).to_have_count(0)
    assert_accessible(page)
