"""A counselor drafts a monthly report from the progress summary, edits it, previews it and sends it after
confirming what goes to whom; the sent report can no longer be edited."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import ProgressSummary, TreatmentEpisode
from familybridge.consent.services import record_consent
from familybridge.messaging.models import Message
from familybridge.messaging.reminders import run_reminders
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_counselor_drafts_edits_previews_and_sends_a_monthly_report(
    page, agencies, family, make_user, assign, monthly_protocol, consent_terms, worker
):
    # The mother's consent lets the program tell child welfare how treatment goes; nothing opens it to the court.
    record_consent(consent_terms(categories=["sud.progress"], recipients=[agencies["cw"]]))
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    mom = family.people["mom"]
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2025, 1, 5)
    )
    today = timezone.localdate()
    run_reminders(today)
    ProgressSummary.objects.create(
        owner_agency=agencies["sud"],
        subject=mom,
        episode=episode,
        period_start=today.replace(day=1),
        period_end=today,
        summary="Engaged in every group.",
    )

    sign_in(page, "counselor", PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Draft Monthly treatment progress report for Ana Rivera").click()
    expect(page.get_by_role("heading", name="No draft yet")).to_be_visible()
    expect(page.get_by_role("heading", name="Who receives it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Draft from the progress summary").click()

    # The draft opens for editing; an empty text is refused and nothing is saved
    expect(page.get_by_text("Draft written from the progress summary.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Report text").fill("   ")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("Report text").fill("Engaged in every group; two negative tests this month.")
    page.get_by_role("button", name="Save draft").click()

    # The preview shows the text as recipients will read it, to whom, under which category
    expect(page.get_by_text("Draft saved. Nothing is sent until you confirm.")).to_be_visible()
    expect(page.get_by_role("heading", name="Preview: what recipients will read")).to_be_visible()
    expect(page.get_by_text("Engaged in every group; two negative tests this month.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=re.compile("^Family Court$"))).to_be_visible()
    expect(page.get_by_text("Category: SUD progress", exact=False)).to_be_visible()
    expect(
        page.get_by_text("County Children's Services: Worker Tester (Caseworker) will be able to read it.")
    ).to_be_visible()
    expect(page.get_by_text("Warning: Family Court will not be able to read it.", exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send…").click()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    expect(page.get_by_text("goes to County Children's Services, Family Court", exact=False)).to_be_visible()
    expect(page.get_by_text("Warning: Family Court will not be able to read it.", exact=False)).to_be_visible()
    assert not Message.unrestricted.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("Sent: Monthly treatment progress report")).to_be_visible()
    expect(page.get_by_role("heading", name="What was sent")).to_be_visible()
    expect(page.get_by_text("Sent by Counselor Tester", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Edit the draft")).to_have_count(0)
    assert Message.unrestricted.get().body == "Engaged in every group; two negative tests this month."
    assert_accessible(page)
