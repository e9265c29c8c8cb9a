from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import ChildWelfareReport, TreatmentEpisode
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser


@pytest.fixture
def histories(agencies, family):
    ChildWelfareReport.objects.create(
        owner_agency=agencies["cw"],
        subject=family.people["kid"],
        family=family,
        report_date=date(2026, 1, 2),
        disposition="substantiated",
    )
    TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        admission_date=date(2026, 1, 20),
        level_of_care="2.1",
    )


def test_caseworker_signs_in_and_opens_a_family(page, agencies, family, histories, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(page, "worker", PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Worker")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Families").click()
    page.get_by_label("Search by family name or case number").fill("Riv")
    expect(page.get_by_role("link", name="Rivera family")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rivera family").click()

    expect(page.get_by_role("heading", name="Rivera family")).to_be_visible()
    expect(page.get_by_role("cell", name="Sofia Rivera")).to_be_visible()
    expect(page.get_by_text("report about Sofia Rivera, substantiated")).to_be_visible()
    # The mother's treatment at a Part 2 program has no basis here: nothing at all shows of it.
    expect(page.get_by_text("No treatment records you can see.")).to_be_visible()
    expect(page.get_by_text("Hope Recovery")).to_have_count(0)
    assert_accessible(page)


def test_counselor_passes_the_second_factor_and_sees_a_withheld_marker(
    page, agencies, family, histories, make_user, assign
):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    device = TOTPDevice.objects.create(user=counselor, name="phone", confirmed=True)
    sign_in(page, "counselor", PASSWORD, second_factor=False)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_now(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Rivera family").first.click()
    expect(page.get_by_text("Hope Recovery: admitted Jan 20, 2026", exact=False)).to_be_visible()
    # Child welfare's report is not Part 2: the counselor sees that it exists and, opening the line, why it is withheld.
    page.get_by_role("region", name="Child welfare").get_by_text("1 record withheld — why").click()
    expect(
        page.get_by_text("Child welfare reports and findings held by County Children's Services").first
    ).to_be_visible()
    assert_accessible(page)


def test_agency_admin_adds_a_staff_member(page, agencies, make_user):
    make_user("admin", agencies["cw"], Role.AGENCY_ADMIN)
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("Username").fill("newhire")
    page.get_by_label("First name").fill("New")
    page.get_by_label("Last name").fill("Hire")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Caseworker", exact=True).check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This password is too short")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill("a sufficiently long passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("can now sign in as newhire")).to_be_visible()
    expect(page.get_by_role("cell", name="newhire", exact=True)).to_be_visible()
    assert_accessible(page)
