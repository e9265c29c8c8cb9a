"""A court coordinator uploads a court order to a family; the caseworker, whom the court's agreement shares court
orders with, reads it and downloads it, and is told what else the court holds that is not open to her."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Purpose
from familybridge.consent import services as consent_services
from familybridge.documents import services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.documents.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def court_agreements(agencies):
    """The court knows the family's members (the child welfare case) and shares its orders with child welfare."""
    for name, categories in (("Case file to the court", ["cw.case"]), ("Court orders", ["court.order"])):
        consent_services.record_agreement(
            name=name,
            parties=[agencies["cw"], agencies["court"]],
            categories=categories,
            purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING],
            starts_on=date(2026, 1, 1),
            ends_on=None,
        )


def test_a_court_order_uploaded_by_the_court_is_read_by_the_caseworker_as_far_as_the_policy_point_allows(
    page: Page, family, worker, coordinator, court_agreements
):
    # The court's docket notes are the court's alone: no agreement opens its court case to child welfare.
    services.store_document(
        coordinator,
        uploaded_file=upload("docket.pdf"),
        family=family,
        subject=family.people["kid"],
        kind="other",
        title="Docket notes",
        category="court.case",
    )
    sign_in(page, coordinator.username, PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    documents = page.locator("section.documents")
    documents.get_by_role("link", name="Upload a document").click()
    expect(page.get_by_role("heading", name="Upload a document")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("About").select_option(label="Sofia Rivera")
    page.get_by_label("Kind of document").select_option(label="Court order")
    page.get_by_label("Title").fill("Order after review hearing")
    # A file that is not what it says is refused, and the form says why.
    page.get_by_label("File").set_input_files(
        files=[{"name": "order.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a" + b"\x00" * 64}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("This file is a GIF file. Upload a PDF, PNG, JPEG or plain text file")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("File").set_input_files(
        files=[{"name": "order.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“Order after review hearing” uploaded for Sofia Rivera.")).to_be_visible()
    expect(page.get_by_role("heading", name="Order after review hearing")).to_be_visible()
    expect(page.get_by_text("Court order", exact=True).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, worker.username, PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    documents = page.locator("section.documents")
    expect(documents.get_by_role("link", name="Order after review hearing")).to_be_visible()
    expect(documents.get_by_text("Docket notes")).to_have_count(0)
    expect(documents.locator(".withheld")).to_contain_text("Court case held by Family Court")
    assert_accessible(page)
    documents.get_by_role("link", name="Order after review hearing").click()
    expect(page.get_by_role("heading", name="Order after review hearing")).to_be_visible()
    expect(page.get_by_text("Family Court", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "order.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF_BYTES
