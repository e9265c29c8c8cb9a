"""A family's journey at a glance: the summary lines as a caseworker and as a judge see them, one withheld line
per section, the Part 2 notice once; the journey chart with its lanes and clock deadlines, on screen and in print."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import CourtCase, Hearing, PlacementSetting, RemovalEpisode, TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.dates import us_date
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def journey(agencies, family, consent_terms):
    """Sofia in care for 400 days, her mother in treatment (her consent reaches the court and child welfare),
    a dependency case with a hearing behind and one ahead."""
    cw, sud, court = agencies["cw"], agencies["sud"], agencies["court"]
    mom, kid = family.people["mom"], family.people["kid"]
    today = timezone.localdate()
    removal = RemovalEpisode.objects.create(
        owner_agency=cw, subject=kid, family=family, removal_date=today - timedelta(days=400)
    )
    PlacementSetting.objects.create(
        owner_agency=cw, subject=kid, episode=removal, setting_start=removal.removal_date, setting_type="foster"
    )
    TreatmentEpisode.objects.create(owner_agency=sud, subject=mom, admission_date=today - timedelta(days=200))
    case = CourtCase.objects.create(owner_agency=court, subject=kid, family=family, docket_number="JD-7")
    Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=removal.removal_date, hearing_type="shelter"
    )
    ahead = Hearing.objects.create(
        owner_agency=court, subject=kid, court_case=case, hearing_date=today + timedelta(days=9), hearing_type="review"
    )
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))
    return {"removal": removal, "ahead": ahead}


def glance_line(page, label: str):
    return page.get_by_role("region", name="At a glance").locator(".glance-line", has_text=label)


def test_the_caseworker_scans_the_family_and_opens_the_one_withheld_line(
    page, agencies, family, journey, make_user, assign
):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()

    since = us_date(journey["removal"].removal_date)
    expect(glance_line(page, "Child welfare")).to_contain_text(
        f"Sofia Rivera in care since {since}, foster family home"
    )
    expect(glance_line(page, "Treatment")).to_contain_text("Ana Rivera in treatment since")
    expect(glance_line(page, "Court")).to_contain_text("Nothing you can see. 3 records withheld")
    expect(glance_line(page, "Clocks")).to_contain_text("Sofia Rivera")
    # The court's case and its two hearings are closed to child welfare: one line says so, not three boxes.
    court = page.get_by_role("region", name="Court", exact=True)
    expect(court.get_by_text("3 records withheld — why")).to_have_count(1)
    expect(page.get_by_text("Withheld:")).to_have_count(0)
    court.get_by_text("3 records withheld — why").click()
    expect(court.get_by_text("held by Family Court", exact=False).first).to_be_visible()
    # The mother's treatment is Part 2: the notice once, at the end of the page, linked where it applies.
    expect(page.get_by_role("complementary", name="Notice against redisclosure")).to_have_count(1)
    glance_line(page, "Treatment").get_by_role("link", name="Part 2 information: do not redisclose").click()
    expect(page.get_by_role("complementary", name="Notice against redisclosure")).to_be_in_viewport()
    assert_accessible(page)


def test_the_judge_sees_the_next_hearing_and_not_the_placement(page, agencies, family, journey, make_user, assign):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    sign_in(page, "judge", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()

    expect(glance_line(page, "Court")).to_contain_text(
        f"Next: review hearing on {us_date(journey['ahead'].hearing_date)}, case JD-7"
    )
    expect(glance_line(page, "Child welfare")).to_contain_text("Nothing you can see.")
    expect(glance_line(page, "Treatment")).to_contain_text("Ana Rivera in treatment since")
    expect(page.get_by_text("foster family home")).to_have_count(0)
    expect(page.get_by_role("complementary", name="Notice against redisclosure")).to_have_count(1)
    assert_accessible(page)


def test_the_journey_chart_shows_the_lanes_and_deadlines_and_prints(page, agencies, family, journey, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Rivera family").click()
    page.get_by_role("link", name="See the journey on a chart").click()
    expect(page.get_by_role("heading", name="Timeline of the Rivera family")).to_be_visible()

    chart = page.get_by_role("img", name="Chart of the family's journey")
    expect(chart).to_be_visible()
    svg = base64.b64decode(chart.get_attribute("src").split(",", 1)[1]).decode()
    for lane in ("Child welfare", "Treatment", "Court", "Clock deadlines"):
        assert f">{lane}<" in svg
    # The deadlines are in words beside the chart, not only drawn.
    figure = page.locator("figure.journey")
    expect(figure).to_contain_text("Permanency hearing for Sofia Rivera")
    expect(figure).to_contain_text("15 of 22 months for Sofia Rivera")
    expect(page.get_by_text("Removed from home")).to_be_visible()
    assert_accessible(page)

    # On a tablet held upright the chart fits the screen.
    page.set_viewport_size({"width": 768, "height": 1024})
    assert chart.bounding_box()["width"] <= 768

    page.emulate_media(media="print")
    expect(page.get_by_label("Show")).to_be_hidden()
    expect(chart).to_be_visible()
    assert page.pdf(landscape=True).startswith(b"%PDF")
