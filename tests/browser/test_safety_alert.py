"""The safety alert from a parent's own device: she answers PHQ-9 through the one-time link and sees 988; her
caseworker sees the alert and the worklist item, records the follow-up, and the item leaves the worklist."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose
from familybridge.screening import services
from familybridge.screening.models import SafetyFollowUp
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_parents_answer_to_item_9_alerts_her_caseworker_who_records_the_follow_up(page, worker, family):
    _, token = services.create_invitation(
        worker, family=family, subject=family.people["mom"], instrument_id="PHQ-9", purpose=Purpose.CASE_PLANNING
    )

    # The parent, on her own phone.
    page.set_viewport_size(PHONE)
    page.goto(f"/screening/take/{token}/")
    expect(page.get_by_text("Hello Ana")).to_be_visible()
    items = page.locator("fieldset.item")
    for index in range(items.count()):
        items.nth(index).get_by_label("Several days").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you, Ana")).to_be_visible()
    crisis = page.get_by_role("alert")
    expect(crisis).to_contain_text("Call or text 988")
    expect(crisis).to_contain_text("Call 911")
    expect(page.get_by_role("link", name="988lifeline.org")).to_be_visible()
    assert_accessible(page)

    # Her caseworker, at her desk.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, "worker", PASSWORD)
    todo = page.get_by_role("region", name="To do")
    expect(todo.get_by_role("link", name="Follow up and record it: PHQ-9", exact=False)).to_be_visible()
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    notice = page.get_by_role("link", name=re.compile("^Safety flag on the screen Ana Rivera answered"))
    expect(notice).to_be_visible()
    assert_accessible(page)
    notice.click()
    expect(page.get_by_role("heading", name="Follow-up of the safety flag")).to_be_visible()
    expect(page.get_by_text("Awaiting follow-up", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record the follow-up").click()
    assert_accessible(page)

    # Nothing filled in: every missing field is named, nothing is saved.
    page.get_by_label("When").fill("")
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("Say who was contacted, e.g.", exact=False)).to_be_visible()
    expect(page.get_by_text("Say what was done.")).to_be_visible()
    assert not SafetyFollowUp.unrestricted.exists()
    assert_accessible(page)

    page.get_by_label("Who was contacted").fill("Ana Rivera, by phone")
    page.get_by_label("When").fill(_now_for_input())
    page.get_by_label("What was done").fill("Talked it through and made a safety plan; her sister stays tonight.")
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("Follow-up of the safety flag for Ana Rivera recorded.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Followed up on .* by Worker Tester"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the Rivera family").click()
    expect(page.get_by_role("region", name="Safety flags")).to_contain_text("Followed up on")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Follow up and record it: PHQ-9", exact=False)).to_have_count(0)
    assert_accessible(page)


def _now_for_input() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
