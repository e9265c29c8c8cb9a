"""The home to-do list (a caseworker, a counselor) and the hearing docket (a judge): clicked through, with axe."""

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode
from familybridge.people import services as people_services
from familybridge.referrals import services as referral_services
from familybridge.screening import services as screening_services
from familybridge.screening.models import ScreeningResult
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_caseworker_sees_overdue_items_first_and_acts_on_a_safety_flag(page, agencies, family, worker):
    today = timezone.localdate()
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=today - timedelta(700)
    )
    flagged = screening_services.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="PHQ-9",
        answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
        purpose=Purpose.CASE_PLANNING,
        administered_on=today - timedelta(days=2),
    )
    # Raised two days ago and never followed up: a day past its 24 hours.
    ScreeningResult.unrestricted.filter(pk=flagged.pk).update(created_at=timezone.now() - timedelta(days=2))
    sign_in(page, "worker", PASSWORD)
    todo = page.get_by_role("region", name="To do")
    expect(todo.get_by_role("heading", name="Overdue")).to_be_visible()
    expect(todo.get_by_text("Overdue by 1 day", exact=True)).to_be_visible()
    expect(todo.get_by_role("link", name="Permanency hearing due")).to_be_visible()
    assert_accessible(page)
    todo.get_by_role("link", name=re.compile("Follow up and record it")).click()
    expect(page.get_by_text("Thoughts of death or self-harm", exact=False).first).to_be_visible()


def test_a_counselor_answers_an_overdue_referral_from_her_list(page, agencies, family, worker, make_user):
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    referral = referral_services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate() - timedelta(days=10),
        reason="Positive UNCOPE",
        family=family,
    )
    mom = family.people["mom"]
    people_services.assign(None, staff=counselor, client=mom, about=referral, on=referral.referral_date)
    sign_in(page, "rosa", PASSWORD)
    todo = page.get_by_role("region", name="To do")
    expect(todo.get_by_text(re.compile(r"^Overdue by \d+ days$"))).to_be_visible()
    assert_accessible(page)
    todo.get_by_role("link", name=re.compile("Accept or decline the referral")).click()
    expect(page.get_by_role("heading", name="Referral of Ana Rivera to Hope Recovery")).to_be_visible()
    page.get_by_label("Next step").select_option("accepted")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Step recorded.")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    todo = page.get_by_role("region", name="To do")
    expect(todo.get_by_role("link", name=re.compile("Schedule the assessment"))).to_be_visible()


def test_a_judge_works_her_docket_by_day_and_week_and_prints_it(page, agencies, family, make_user):
    court = agencies["court"]
    judge = make_user("judge", court, Role.JUDGE)
    case = CourtCase.objects.create(
        owner_agency=court, subject=family.people["kid"], family=family, docket_number="JD-4242"
    )
    people_services.assign(None, staff=judge, family=family, about=case, on=date(2020, 1, 1))
    today = timezone.localdate()
    Hearing.objects.create(
        owner_agency=court,
        subject=case.subject,
        court_case=case,
        hearing_date=today,
        hearing_time=time(9, 30),
        courtroom="Courtroom 2B",
        hearing_type="review",
    )
    next_week = today + timedelta(days=7)
    Hearing.objects.create(
        owner_agency=court, subject=case.subject, court_case=case, hearing_date=next_week, hearing_type="ftc"
    )
    sign_in(page, "judge", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Docket").click()
    expect(page.get_by_role("heading", name=re.compile("^Docket for "))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("JD-4242"))
    expect(row).to_contain_text("9:30 AM")
    expect(row).to_contain_text("Courtroom 2B")
    assert_accessible(page)

    page.get_by_role("link", name="Week view").click()
    expect(page.get_by_role("heading", name=re.compile("^Docket for the week of"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Next week").click()
    expect(page.get_by_role("cell", name="Family treatment court hearing", exact=True)).to_be_visible()
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("row", name=re.compile("JD-4242"))).to_contain_text("Review hearing")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF, one day per page").click()
    assert download.value.suggested_filename.startswith("docket-week-")

    page.get_by_role("link", name="Day view").click()
    page.get_by_role("link", name=re.compile("Record the outcome of the review hearing")).click()
    assert_accessible(page)
    page.get_by_label("Outcome").select_option("held")
    page.get_by_label("Note").fill("Next review in 90 days.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Outcome recorded for the review hearing in case JD-4242.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("JD-4242"))).to_contain_text("Next review in 90 days.")
