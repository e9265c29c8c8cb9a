"""A family treatment court coordinator records a response and names the drug test it answers (Part 2 follows it)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import models as m
from familybridge.consent import services as consent_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_record_keeping import TABLET, open_add_record
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_coordinator_records_a_response_to_a_drug_test(page, agencies, family, make_user, assign, consent_terms):
    page.set_viewport_size(TABLET)
    mom = family.people["mom"]
    court_case = m.CourtCase.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        family=family,
        docket_number="FTC-26-2",
        filed_on=date(2026, 1, 10),
        is_family_treatment_court=True,
    )
    episode = m.TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 20)
    )
    test = m.ToxicologyResult.objects.create(
        owner_agency=agencies["sud"], subject=mom, episode=episode, collected_on=date(2026, 2, 2), outcome="positive"
    )
    consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case", "court.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    consent_services.record_consent(consent_terms(recipients=[agencies["court"]], categories=["sud.toxicology"]))
    coordinator = make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR)
    assign(coordinator, family)
    sign_in(page, coordinator.username, PASSWORD)

    open_add_record(page, "Incentive or sanction")
    page.get_by_label("Court case").select_option(str(court_case.pk))
    page.get_by_label("Parent").select_option(str(mom.pk))
    page.get_by_label("Response", exact=True).select_option("therapeutic")
    page.get_by_label("Description").fill("Added individual counseling after a positive test.")
    page.get_by_role("button", name="Save").click()
    # Without the record it responds to, nothing is saved and the field says what to choose.
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert not m.FtcResponse.unrestricted.exists()
    assert_accessible(page)

    page.get_by_label("Responds to").select_option(f"cases.toxicologyresult:{test.pk}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Incentive or sanction recorded for Ana Rivera.")).to_be_visible()
    response = m.FtcResponse.unrestricted.get()
    assert (response.source_category, response.source_owner_agency) == ("sud.toxicology", agencies["sud"])

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_text("Therapeutic adjustment — Ana Rivera: Added individual counseling")).to_be_visible()
    expect(page.get_by_text("42 CFR Part 2").first).to_be_visible()
    assert_accessible(page)
