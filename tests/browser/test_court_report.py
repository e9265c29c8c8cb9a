from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, ToxicologyResult, TreatmentEpisode
from familybridge.consent import services as consent_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_off_and_file(page: Page) -> None:
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("Signed off by Worker Tester on").first).to_be_visible()
    page.get_by_role("button", name="File with the court…").click()
    expect(page.get_by_role("heading", name="File the report with the court")).to_be_visible()
    expect(page.get_by_text("Filed with Judge Tester (Family Court)")).to_be_visible()
    expect(page.get_by_text("Once filed it never changes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Filed with the court. Content hash (SHA-256):")).to_be_visible()


def test_a_filed_report_is_frozen_read_after_a_revocation_and_amended(
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
    to_the_court = consent_services.record_consent(
        consent_terms(
            kind="proceedings", purposes=["court_proceeding"], recipients=[court], categories=["sud.toxicology"]
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

    # The caseworker drafts, previews, signs off, confirms and files.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_role("link", name="Prepare a court report for the review hearing on Dec 1, 2026").click()
    expect(page.get_by_role("heading", name="Write a court report")).to_be_visible()
    page.get_by_label("Narrative").fill("Ana has kept every appointment since January.")
    page.get_by_label("Recommendations").fill("Begin unsupervised visits.")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft and preview").click()
    expect(page.get_by_role("heading", name="Preview: exactly what the court will see")).to_be_visible()
    expect(page.get_by_text("Ana has kept every appointment since January.")).to_be_visible()
    expect(page.get_by_role("cell", name="Removed from home")).to_be_visible()
    expect(page.get_by_role("cell", name="Drug test")).to_be_visible()
    expect(page.get_by_text("42 CFR Part 2 — do not redisclose.").first).to_be_visible()
    assert_accessible(page)
    sign_off_and_file(page)
    filed_hash = page.locator("code.hash").inner_text()
    assert len(filed_hash) == 64
    context.close()

    # The judge reads the filed copy.
    context = browser.new_context(base_url=live_server.url)
    judge_page = context.new_page()
    sign_in(judge_page, "judge", PASSWORD)
    judge_page.get_by_role("link", name="Rivera family").first.click()
    judge_page.get_by_role("link", name="Report for Review hearing on Dec 1, 2026").click()
    expect(judge_page.get_by_role("heading", name="Report for the review hearing on December 1, 2026")).to_be_visible()
    expect(judge_page.get_by_role("cell", name="Drug test")).to_be_visible()
    expect(judge_page.locator("code.hash")).to_have_text(filed_hash)
    expect(judge_page.get_by_role("link", name="Download the filed PDF")).to_be_visible()
    assert_accessible(judge_page)

    # The mother revokes her consent: the judge no longer sees the test; the filed copy is the same.
    consent_services.revoke_consent(to_the_court)
    judge_page.reload()
    expect(judge_page.get_by_role("cell", name="Drug test")).to_have_count(0)
    expect(judge_page.get_by_role("cell", name="Removed from home")).to_be_visible()
    expect(judge_page.get_by_text("1 line filed in this section is not shown to you")).to_be_visible()
    expect(judge_page.locator("code.hash")).to_have_text(filed_hash)
    expect(judge_page.get_by_text("the filed PDF, which holds all of it, is not offered to you")).to_be_visible()
    expect(judge_page.get_by_role("link", name="Download the filed PDF")).to_have_count(0)
    assert_accessible(judge_page)
    context.close()

    # The caseworker files an amended version.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_role("link", name="Report for Review hearing on Dec 1, 2026").click()
    page.get_by_role("button", name="File an amended version").click()
    expect(page.get_by_text("This draft is version 2")).to_be_visible()
    page.get_by_label("Narrative").fill("Ana has kept every appointment; she asked that her test results stay private.")
    page.get_by_role("button", name="Save draft and preview").click()
    sign_off_and_file(page)
    expect(page.get_by_text("Version 2, amends version 1 filed on").first).to_be_visible()
    assert page.locator("code.hash").inner_text() != filed_hash
    assert_accessible(page)
    context.close()
