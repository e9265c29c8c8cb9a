from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, ToxicologyResult, TreatmentEpisode
from familybridge.consent import services as consent_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_previews_and_files_a_report_the_judge_reads(
    browser, live_server, agencies, family, make_user, assign, consent_terms
):
    cw, court, sud = agencies["cw"], agencies["court"], agencies["sud"]
    kid, mom = family.people["kid"], family.people["mom"]
    RemovalEpisode.objects.create(owner_agency=cw, subject=kid, family=family, removal_date=date(2026, 1, 3))
    episode = TreatmentEpisode.objects.create(owner_agency=sud, subject=mom, admission_date=date(2026, 1, 9))
    ToxicologyResult.objects.create(
        owner_agency=sud, subject=mom, episode=episode, collected_on=date(2026, 1, 16), outcome="negative"
    )
    case = CourtCase.objects.create(owner_agency=court, subject=kid, family=family, docket_number="JD-7")
    Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=date(2026, 12, 1), hearing_type="review"
    )
    consent_services.record_agreement(
        name="CW and court",
        parties=[cw, court],
        categories=["cw.placement", "court.case"],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_PROCEEDING, Purpose.COURT_MONITORING],
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            purposes=["court_proceeding"],
            recipients=[court, cw],
            categories=["sud.toxicology"],
        )
    )
    # The caseworker reads the test for case planning (child welfare's purposes); the court for the proceeding.
    consent_services.record_consent(
        consent_terms(recipients=[cw], purposes=["case_planning"], categories=["sud.toxicology"])
    )
    worker = make_user("worker", cw, Role.CASEWORKER)
    judge = make_user("judge", court, Role.JUDGE)
    for user in (worker, judge):
        assign(user, family)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_role("link", name="Prepare a court report for the review hearing on Dec 1, 2026").click()
    expect(page.get_by_role("heading", name="Preview: exactly what the court will see")).to_be_visible()
    expect(page.get_by_role("cell", name="Removed from home")).to_be_visible()
    expect(page.get_by_role("cell", name="Drug test")).to_be_visible()
    expect(page.get_by_text("42 CFR Part 2 — do not redisclose.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="File this report with the court").click()
    expect(page.get_by_text("The report was filed with the court.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "judge", PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_role("link", name="Report for Review hearing on Dec 1, 2026").click()
    expect(page.get_by_role("heading", name="Report for the review hearing on December 1, 2026")).to_be_visible()
    expect(page.get_by_role("cell", name="Drug test")).to_be_visible()
    expect(page.get_by_role("link", name="Download as PDF")).to_be_visible()
    assert_accessible(page)
    context.close()
