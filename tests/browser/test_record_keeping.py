"""Staff add their own agency's records from the family page, on a tablet, and see them on the timeline."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import models as m
from familybridge.consent import services as consent_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def open_add_record(page: Page, label: str) -> None:
    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_text("Add a record").click()
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=label)).to_be_visible()


def today_iso() -> str:
    return timezone.localdate().isoformat()


def test_counselor_records_a_toxicology_result_and_attendance(page, agencies, family, make_user, assign):
    page.set_viewport_size(TABLET)
    episode = m.TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 20)
    )
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    sign_in(page, counselor.username, PASSWORD)

    page.get_by_role("link", name="Rivera family").first.click()
    page.get_by_text("Add a record").click()
    menu = page.get_by_role("list", name="Kinds of record you can add")
    expect(menu.get_by_role("link", name="Toxicology result")).to_be_visible()
    expect(menu.get_by_role("link", name="Hearing")).to_have_count(0)
    expect(menu.get_by_role("link", name="Family time visit")).to_have_count(0)
    assert_accessible(page)

    menu.get_by_role("link", name="Toxicology result").click()
    page.get_by_label("Treatment episode").select_option(str(episode.pk))
    page.get_by_label("Result").select_option("positive")
    page.get_by_role("button", name="Save").click()
    # A positive result without its substances is refused, with the reason beside the field.
    expect(page.get_by_text("Name the substances detected in a positive test.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Substances").fill("fentanyl")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Toxicology result recorded for Ana Rivera.")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("Add a record").click()
    page.get_by_role("link", name="Session attendance").click()
    page.get_by_label("Treatment episode").select_option(str(episode.pk))
    page.get_by_label("Session date").fill("2026-02-03")
    page.get_by_label("Kind of session").fill("individual")
    page.get_by_label("Attendance").select_option("attended")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Session attendance recorded for Ana Rivera.")).to_be_visible()

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_text("Drug test — Ana Rivera: Positive: fentanyl")).to_be_visible()
    expect(page.get_by_text("Session — Ana Rivera: Attended")).to_be_visible()
    assert_accessible(page)


def test_court_coordinator_records_a_hearing_and_an_order(page, agencies, family, make_user, assign):
    page.set_viewport_size(TABLET)
    court_case = m.CourtCase.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        family=family,
        docket_number="JD-26-7",
        filed_on=date(2026, 1, 10),
    )
    consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case", "court.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    coordinator = make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR)
    assign(coordinator, family)
    sign_in(page, coordinator.username, PASSWORD)

    open_add_record(page, "Hearing")
    page.get_by_label("Court case").select_option(str(court_case.pk))
    page.get_by_label("Hearing", exact=True).select_option("review")
    page.get_by_label("Date").fill("2026-03-12")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Hearing recorded for Sofia Rivera.")).to_be_visible()

    page.get_by_text("Add a record").click()
    page.get_by_role("link", name="Court order").click()
    page.get_by_label("Court case").select_option(str(court_case.pk))
    page.get_by_label("Order", exact=True).select_option("reasonable_efforts")
    page.get_by_label("Date of the order").fill("2026-01-05")
    page.get_by_label("Summary").fill("The agency made reasonable efforts to prevent removal.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("An order cannot be before the petition (Jan 10, 2026).")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the order").fill("2026-03-12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Court order recorded for Sofia Rivera.")).to_be_visible()

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_text("Review hearing — Sofia Rivera")).to_be_visible()
    expect(page.get_by_text("Reasonable efforts finding — Sofia Rivera")).to_be_visible()
    assert_accessible(page)


def test_caseworker_records_a_placement_change_and_a_visit(page, agencies, family, make_user, assign):
    page.set_viewport_size(TABLET)
    removal = m.RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=date(2026, 2, 1)
    )
    first = m.PlacementSetting.objects.create(
        owner_agency=agencies["cw"],
        subject=family.people["kid"],
        episode=removal,
        setting_start=date(2026, 2, 1),
        setting_type="foster",
    )
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(page, "worker", PASSWORD)

    open_add_record(page, "Placement change")
    page.get_by_label("Child in care").select_option(str(removal.pk))
    page.get_by_label("Setting").select_option("relative")
    page.get_by_label("From").fill("2026-03-02")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Placement change recorded for Sofia Rivera.")).to_be_visible()
    first.refresh_from_db()
    assert first.setting_end == date(2026, 3, 2)

    page.get_by_text("Add a record").click()
    page.get_by_role("link", name="Family time visit").click()
    page.get_by_label("Child").select_option(str(family.people["kid"].pk))
    page.get_by_label("Parent", exact=True).select_option(str(family.people["dad"].pk))
    page.get_by_label("Date of the visit").fill(today_iso())
    page.get_by_label("The parent attended").check()
    page.get_by_label("Note").fill("Played at the park; warm goodbye.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Family time visit recorded for Sofia Rivera.")).to_be_visible()

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_text("Placement — Sofia Rivera: Relative home")).to_be_visible()
    expect(page.get_by_text("Family time — Sofia Rivera: with Luis Rivera, attended")).to_be_visible()
    assert_accessible(page)
