"""A caseworker writes a case note and logs a home visit with two participants from the family page, and reads the
contact log; a court coordinator without a basis is told what is withheld and why, and learns nothing of the
treatment program's note."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.notes import services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def add_a_record(page: Page, kind: str) -> None:
    page.get_by_text("Add a record").click()
    page.get_by_role("link", name=kind, exact=True).click()
    expect(page.get_by_role("heading", name=kind)).to_be_visible()


def test_a_caseworker_writes_a_note_and_logs_a_home_visit_a_partner_without_a_basis_sees_them_withheld(
    page: Page, family, worker, counselor, coordinator
):
    services.write_case_note(
        counselor,
        family,
        subject=family.people["mom"],
        note_date=date(2026, 3, 1),
        category="sud.progress",
        title="Engaged in group",
        narrative="Ana attended all three groups this week.",
    )
    sign_in(page, worker.username, PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    notes = page.locator("section.notes")
    expect(notes.get_by_text("No notes or contacts you can see.")).to_be_visible()

    add_a_record(page, "Case note")
    assert_accessible(page)
    page.get_by_label("About").select_option(label="Sofia Rivera")
    page.get_by_label("Date").fill("2026-03-02")
    page.get_by_label("Title").fill("Safety plan reviewed")
    page.get_by_role("button", name="Save").click()
    # The note is required: the form says so beside the field and keeps what was typed.
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Safety plan reviewed")
    page.get_by_label("Note", exact=True).fill("Reviewed the safety plan with Ana; she agreed to daily check-ins.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Case note recorded for Sofia Rivera.")).to_be_visible()
    expect(notes.get_by_role("heading", name="Safety plan reviewed")).to_be_visible()

    add_a_record(page, "Contact log entry")
    page.get_by_label("Filed under").select_option(label="Sofia Rivera")
    page.get_by_label("Date and time").fill("2026-03-03T10:30")
    page.get_by_label("Type of contact").select_option(label="Home visit")
    page.get_by_label("Ana Rivera").check()
    page.get_by_label("Sofia Rivera").check()
    page.get_by_label("Location").fill("Family home")
    page.get_by_label("What happened").fill("Sofia showed me her room; the home was clean and stocked.")
    page.get_by_role("button", name="Save").click()
    # A home visit says whether the child was seen.
    expect(page.get_by_text("Say whether the child was seen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Was the child seen?").select_option(label="Yes")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact log entry recorded for Sofia Rivera.")).to_be_visible()
    visit = notes.locator("article.contact")
    expect(visit.get_by_role("heading")).to_have_text("Home visit, Mar 3, 2026, 10:30 AM")
    expect(visit).to_contain_text("Who took part: Ana Rivera, Sofia Rivera")
    expect(visit).to_contain_text("Child seen: yes")
    expect(notes.get_by_text("Engaged in group")).to_have_count(0)
    assert_accessible(page)

    notes.get_by_role("link", name="Open the contact log").click()
    expect(page.get_by_role("heading", name="Contact log of the Rivera family")).to_be_visible()
    expect(page.get_by_role("cell", name="Ana Rivera, Sofia Rivera")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Type").select_option(label="Phone call")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No contacts you can see match these filters.")).to_be_visible()
    page.get_by_label("Type").select_option(label="Home visit")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_text("1 contact (home visit). Printed")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, coordinator.username, PASSWORD)
    page.goto(f"/families/{family.pk}/")
    notes = page.locator("section.notes")
    expect(notes.locator(".withheld")).to_have_text(
        "Withheld: 2 notes or contacts of Child welfare case held by County Children's Services. No consent, court "
        "order or agreement opens Child welfare case from County Children's Services to your agency for court "
        "monitoring."
    )
    expect(notes.get_by_text("No notes or contacts you can see.")).to_be_visible()
    expect(notes).not_to_contain_text("Hope Recovery")
    expect(notes).not_to_contain_text("Safety plan reviewed")
    assert_accessible(page)
    notes.get_by_role("link", name="Open the contact log").click()
    expect(page.locator(".withheld")).to_contain_text("Withheld: 1 contact of Child welfare case")
    expect(page.get_by_text("No contacts you can see.")).to_be_visible()
    assert_accessible(page)
