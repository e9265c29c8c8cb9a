"""A caseworker corrects a report from the family page and voids a removal entered in error; the history keeps both."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Role
from familybridge.cases import services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_caseworker_corrects_a_report_and_voids_a_removal(page: Page, agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    kid = family.people["kid"]
    services.record_report(worker, family, subject=kid, report_date=date(2026, 2, 1), disposition="indicated")
    services.record_removal(worker, family, subject=kid, removal_date=date(2026, 2, 2))
    sign_in(page, worker.username, PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()

    page.get_by_role("link", name="Correct the report and finding about Sofia Rivera").click()
    expect(page.get_by_role("heading", name="Correct the report and finding about Sofia Rivera")).to_be_visible()
    expect(page.get_by_label("Finding")).to_have_value("indicated")
    assert_accessible(page)
    page.get_by_label("Finding").select_option("substantiated")
    page.get_by_role("button", name="Save the correction").click()
    # The reason is required: the form says so beside the field and keeps the change.
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Finding")).to_have_value("substantiated")
    page.get_by_label("Why is it corrected?").fill("The supervisor approved a substantiated finding.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Report and finding about Sofia Rivera corrected.")).to_be_visible()
    expect(page.get_by_text("report about Sofia Rivera, substantiated")).to_be_visible()

    page.get_by_role("link", name="History of the report and finding about Sofia Rivera").click()
    expect(page.get_by_role("heading", name="Version 1: Recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 2: Corrected")).to_be_visible()
    expect(page.get_by_text("reason: The supervisor approved a substantiated finding.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rivera family").first.click()

    page.get_by_role("link", name="Void the removal from home about Sofia Rivera").click()
    expect(page.get_by_role("heading", name="Void the removal from home about Sofia Rivera?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why was it entered in error?").fill("Entered for the wrong child.")
    page.get_by_role("button", name="Void this record").click()
    expect(page.get_by_text("Removal from home about Sofia Rivera voided as entered in error.")).to_be_visible()
    expect(page.locator(".voided-notice")).to_contain_text("Voided as entered in error")
    expect(page.locator(".voided-notice")).to_contain_text("Entered for the wrong child.")
    expect(page.get_by_role("heading", name="Version 2: Voided")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rivera family").first.click()
    expect(page.get_by_text("still in care")).to_have_count(0)

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_text("Removed from home")).to_have_count(0)
    expect(page.get_by_text("Report").first).to_be_visible()
