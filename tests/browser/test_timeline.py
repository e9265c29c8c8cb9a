from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import ChildWelfareReport, PlacementSetting, RemovalEpisode
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_reads_the_clocks_and_filters_the_timeline(page, agencies, family, make_user, assign):
    cw, kid = agencies["cw"], family.people["kid"]
    ChildWelfareReport.objects.create(
        owner_agency=cw, subject=kid, family=family, report_date=date(2025, 1, 2), disposition="substantiated"
    )
    episode = RemovalEpisode.objects.create(owner_agency=cw, subject=kid, family=family, removal_date=date(2025, 1, 3))
    PlacementSetting.objects.create(
        owner_agency=cw, subject=kid, episode=episode, setting_start=date(2025, 1, 3), setting_type="foster"
    )
    worker = make_user("worker", cw, Role.CASEWORKER)
    assign(worker, family)

    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    clocks = page.get_by_role("region", name="Clocks")
    expect(clocks.get_by_text("15 of 22 months")).to_be_visible()
    expect(clocks.get_by_text("Action due").first).to_be_visible()  # in care since January 2025
    assert_accessible(page)

    page.get_by_role("link", name="Timeline across the three systems").click()
    expect(page.get_by_role("heading", name="Timeline of the Rivera family")).to_be_visible()
    expect(page.get_by_text("Removed from home")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Show").select_option("court")
    expect(page.get_by_text("No events you can see.")).to_be_visible()
    page.get_by_label("Show").select_option("child_welfare")
    expect(page.get_by_text("Report — Sofia Rivera: Substantiated")).to_be_visible()
    assert_accessible(page)
