from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent.categories import Category
from familybridge.consent.services import record_agreement
from familybridge.messaging.models import Message
from familybridge.messaging.services import send_message
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.documents.conftest import PDF_BYTES

pytestmark = pytest.mark.browser


def share_with_the_court(agencies) -> None:
    record_agreement(
        name="Child welfare and court",
        parties=[agencies["cw"], agencies["court"]],
        categories=[Category.CW_CASE, Category.COURT_CASE],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_message_nobody_addressed_can_read_is_refused_and_a_partial_one_warned(
    page, agencies, family, worker, coordinator, counselor
):
    share_with_the_court(agencies)
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="Send a secure message").click()
    assert_accessible(page)
    # The category is child welfare's own, and treatment categories are not offered at all.
    category = page.get_by_label("What kind of information it holds")
    expect(category).to_have_value(Category.CW_CASE)
    expect(category.locator("option", has_text="SUD enrollment")).to_have_count(0)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("About").select_option(label="Ana Rivera")
    page.get_by_label("Hope Recovery", exact=True).check()
    page.get_by_label("Subject").fill("Family time")
    page.get_by_label("Message").fill("Visits go well; we propose unsupervised time.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Not sent: nobody you addressed could read this message")).to_be_visible()
    assert_accessible(page)
    assert not Message.unrestricted.exists()

    page.get_by_label("Family Court", exact=True).check()
    page.get_by_role("button", name="Preview").click()
    expect(
        page.get_by_text("Family Court: Coordinator Tester (Court coordinator) will be able to read it.")
    ).to_be_visible()
    expect(page.get_by_text("Warning: Hope Recovery will not be able to read it.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Message sent. Coordinator Tester (Court coordinator) can read it.")).to_be_visible()
    page.get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Sent").click()
    expect(page.get_by_role("link", name="Family time")).to_be_visible()
    assert_accessible(page)


def test_the_judge_and_the_coordinator_read_a_caseworkers_message_and_the_judge_replies_in_its_thread(
    page, agencies, family, worker, coordinator, assign, make_user
):
    share_with_the_court(agencies)
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    send_message(
        worker,
        family=family,
        about=family.people["mom"],
        category=Category.CW_CASE,
        recipient_agencies=[agencies["court"]],
        subject_line="Family time",
        body="Visits go well; we propose unsupervised time.",
    )
    sign_in(page, "judge", PASSWORD)
    messages = page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages")
    expect(messages).to_have_text("Messages 1 unread")
    messages.click()
    expect(page.get_by_role("link", name="Inbox (1 unread)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Family time").click()
    expect(page.get_by_text("Visits go well; we propose unsupervised time.")).to_be_visible()
    expect(messages).to_have_text("Messages")  # opening the thread read it
    assert_accessible(page)
    page.get_by_role("link", name="Reply").click()
    expect(page.get_by_label("County Children's Services", exact=True)).to_be_checked()
    page.get_by_label("Message").fill("Agreed; we will take it up at the review.")
    page.get_by_role("button", name="Preview").click()
    expect(
        page.get_by_text("County Children's Services: Worker Tester (Caseworker) will be able to read it.")
    ).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Message sent. Worker Tester (Caseworker) can read it.")).to_be_visible()
    expect(page.get_by_text("Agreed; we will take it up at the review.")).to_be_visible()
    sign_out(page)

    sign_in(page, "coordinator", PASSWORD)
    expect(messages).to_have_text("Messages 1 unread")
    messages.click()
    page.get_by_role("link", name="Family time").click()
    expect(page.get_by_text("Visits go well; we propose unsupervised time.")).to_be_visible()
    expect(page.get_by_text("Agreed; we will take it up at the review.")).to_be_visible()
    expect(messages).to_have_text("Messages")
    assert_accessible(page)


def test_the_sender_attaches_a_file_to_her_message_and_the_judge_opens_it(
    page, agencies, family, worker, coordinator, assign, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    share_with_the_court(agencies)
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    send_message(
        worker,
        family=family,
        about=family.people["mom"],
        category=Category.CW_CASE,
        recipient_agencies=[agencies["court"]],
        subject_line="Visit reports",
        body="The visit reports are attached.",
    )
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Sent").click()
    page.get_by_role("link", name="Visit reports").click()
    page.get_by_role("link", name="Attach a file").click()
    assert_accessible(page)
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("File").set_input_files(
        files=[{"name": "visits.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Kind of document").select_option(label="Other")
    page.get_by_label("Title").fill("Visit reports, October")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("“Visit reports, October” is attached to your message.")).to_be_visible()
    expect(page.get_by_role("link", name="Visit reports, October")).to_be_visible()
    sign_out(page)

    sign_in(page, "judge", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Visit reports").first.click()
    expect(page.get_by_role("link", name="Attach a file")).to_have_count(0)
    page.get_by_role("link", name="Visit reports, October").click()
    expect(page.get_by_role("heading", name="Visit reports, October")).to_be_visible()
    assert_accessible(page)
