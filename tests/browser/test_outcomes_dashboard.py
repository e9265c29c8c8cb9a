import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.outcomes.importing import import_extract
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.outcomes.extracts import write_extract
from tests.outcomes.test_worked_examples import P1_CHILDREN, P1_REMOVALS

pytestmark = pytest.mark.browser


@pytest.fixture
def worked(agencies, tmp_path):
    import_extract(
        write_extract(tmp_path, people=P1_CHILDREN, cw_removals=P1_REMOVALS),
        partnership_slug="test",
        agency_slugs={"cw": "cw", "sud": "hope", "court": "court"},
    )


def test_coordinator_reads_the_dashboard_and_sets_a_target(page, agencies, make_user, worked):
    make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    sign_in(page, "coord", PASSWORD)
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Joint outcomes")).to_be_visible()
    page.get_by_label("Twelve months to").select_option("2021-09-30")
    page.get_by_role("button", name="Show").click()
    p1 = page.get_by_role("article", name="P1 Permanency in 12 months for children entering care")
    expect(p1.get_by_text("<11 children of <11 children")).to_be_visible()
    assert "Trend of P1" in p1.get_by_role("img").get_attribute("alt")
    assert_accessible(page)

    page.get_by_role("link", name="Set targets").click()
    page.get_by_label("P1 Permanency in 12 months for children entering care").fill("40")
    assert_accessible(page)
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("Targets of Test Partnership saved.")).to_be_visible()
    expect(page.get_by_text("Target: at least 40.00%").first).to_be_visible()
    assert_accessible(page)


def test_supervisor_drills_down_to_the_children_behind_a_figure(page, agencies, make_user, worked):
    make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    sign_in(page, "super", PASSWORD)
    page.goto("/outcomes/?end=2021-09-30")
    p1 = page.get_by_role("article", name="P1 Permanency in 12 months for children entering care")
    # A supervisor sees aggregates with small cells suppressed, like any partner.
    expect(p1.get_by_text("<11 children of <11 children")).to_be_visible()
    p1.get_by_role("link", name="Records behind P1").click()
    expect(page.get_by_role("heading", name="P1 Permanency in 12 months for children entering care")).to_be_visible()
    expect(page.get_by_role("cell", name="C1 Test", exact=True)).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(8)
    assert_accessible(page)
