"""Court orders, agreements, emergency access, restriction requests and child-abuse reports, clicked through."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import ChildWelfareReport, TreatmentEpisode
from familybridge.consent import services
from familybridge.consent.models import RestrictionRequest
from familybridge.people.models import LocalIdentifier
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def episode(agencies, family):
    return TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 20)
    )


def open_consents_from_the_family_page(page: Page, family) -> None:
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name=family.name).click()
    page.get_by_role("link", name="Consents of Ana Rivera").click()
    expect(page.get_by_role("heading", name="Consents of Ana Rivera")).to_be_visible()


def test_a_judge_records_a_court_order_and_it_explains_the_record(page, agencies, family, episode, make_user, assign):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    LocalIdentifier.objects.create(owner_agency=agencies["court"], subject=family.people["mom"], identifier="JD-1")
    sign_in(page, judge.username, PASSWORD)
    open_consents_from_the_family_page(page, family)
    page.get_by_role("link", name="Record a court order").click()
    assert_accessible(page)
    page.get_by_label("Case number").fill("JD-2026-14")
    page.get_by_label("Judge", exact=True).fill("Hon. M. Okafor")
    page.get_by_label("Date of the order").fill("2026-02-01")
    page.get_by_role("group", name="Who must disclose").get_by_label("Hope Recovery").check()
    page.get_by_role("group", name="Who may receive").get_by_label("Family Court").check()
    page.get_by_role("group", name="What information").get_by_label("SUD enrollment").check()
    page.get_by_role("group", name="For what purposes").get_by_label("Court monitoring").check()
    page.get_by_label("The order ends on").fill("2026-01-15")
    page.get_by_role("button", name="Record the order").click()
    expect(page.get_by_text("The order would end before it is issued.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The order ends on").fill("2027-02-01")
    page.get_by_role("button", name="Record the order").click()
    expect(page.get_by_text("It opens only what it names")).to_be_visible()
    expect(page.get_by_role("cell", name="Family Court, case JD-2026-14", exact=False)).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Why can I see this? SUD enrollment about Ana Rivera").click()
    expect(page.get_by_role("heading", name="Court order")).to_be_visible()
    expect(page.get_by_text("Order of Family Court, case JD-2026-14, judge Hon. M. Okafor")).to_be_visible()
    assert_accessible(page)


def test_a_coordinator_records_an_agreement_without_part2_information(page, agencies, make_user):
    make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    sign_in(page, "coord", PASSWORD)
    page.get_by_role("link", name="Agreements").click()
    expect(page.get_by_text("No agreements among your partnership's agencies.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record an agreement").click()
    page.get_by_label("Name of the agreement").fill("Child welfare and court MOU")
    parties = page.get_by_role("group", name="Parties (at least two)")
    parties.get_by_label("County Children's Services").check()
    parties.get_by_label("Family Court").check()
    shared = page.get_by_role("group", name="What information it shares")
    shared.get_by_label("Court case").check()
    shared.get_by_label("SUD toxicology results").check()
    page.get_by_role("group", name="For what purposes").get_by_label("Case planning").check()
    page.get_by_label("In effect from").fill("2026-01-01")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_text("An agreement cannot open Part 2 information").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="What information it shares").get_by_label("SUD toxicology results").uncheck()
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_text("It takes effect when an administrator of every party has approved it")).to_be_visible()
    expect(page.get_by_role("heading", name="Child welfare and court MOU")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for approval")).to_have_count(2)
    assert_accessible(page)


def test_a_counselor_opens_emergency_access_and_the_program_reviews_it(
    page, agencies, family, episode, make_user, assign
):
    counselor = make_user("harbor", agencies["sud2"], Role.COUNSELOR)
    assign(counselor, family)
    LocalIdentifier.objects.create(owner_agency=agencies["sud2"], subject=family.people["mom"], identifier="HB-7")
    supervisor = make_user("hopesup", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    sign_in(page, counselor.username, PASSWORD)
    open_consents_from_the_family_page(page, family)
    page.get_by_role("link", name="Medical emergency access").click()
    expect(page.get_by_text("the program is notified at once", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Treatment program whose records you need").select_option(label="Hope Recovery")
    page.get_by_role("button", name="Open emergency access").click()
    expect(page.get_by_text("Say what the medical emergency is.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is the medical emergency?").fill("Found unresponsive, suspected overdose")
    page.get_by_role("button", name="Open emergency access").click()
    expect(page.get_by_text("Read them with the purpose “Medical emergency”")).to_be_visible()
    expect(page.get_by_label("Purpose of this look")).to_have_value("medical_emergency")
    expect(page.get_by_text("Hope Recovery: admitted Jan 20, 2026")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Purpose of this look").select_option(label="Treatment")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_text("Hope Recovery: admitted Jan 20, 2026")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, supervisor.username, PASSWORD)
    page.get_by_role("link", name="Emergency accesses").click()
    expect(page.get_by_role("cell", name="Found unresponsive, suspected overdose")).to_be_visible()
    expect(page.get_by_role("cell", name="Harbor Tester (Harbor Treatment)")).to_be_visible()
    assert_accessible(page)


def test_program_staff_record_and_decide_a_restriction_request(page, agencies, family, make_user, assign):
    counselor = make_user("hope", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    sign_in(page, counselor.username, PASSWORD)
    page.goto(f"/consent/people/{family.people['mom'].pk}/")
    page.get_by_role("link", name="Record a restriction request").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("Say what the person asks not to be disclosed.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What does the person ask you not to disclose, and to whom?").fill(
        "No toxicology results to child welfare"
    )
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("cell", name="No toxicology results to child welfare")).to_be_visible()
    page.get_by_role("link", name="Decide").click()
    assert_accessible(page)
    page.get_by_label("Agree to the restriction").check()
    page.get_by_role("group", name="Agreed: not to these recipients").get_by_label("County Children's Services").check()
    page.get_by_role("group", name="Agreed: not this information").get_by_label("SUD toxicology results").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The request is agreed.")).to_be_visible()
    expect(page.get_by_text("Not to: County Children's Services; SUD toxicology results")).to_be_visible()
    assert_accessible(page)
    assert RestrictionRequest.objects.get().status == "agreed"


def test_a_counselor_files_a_child_abuse_report_from_the_family_page(page, agencies, family, make_user, assign):
    services.record_agreement(
        name="Family membership for treatment",
        parties=[agencies["cw"], agencies["sud"]],
        categories=["cw.case"],
        purposes=["treatment"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    counselor = make_user("hope", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    sign_in(page, counselor.username, PASSWORD)
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name=family.name).click()
    page.get_by_role("link", name="Report suspected abuse or neglect").click()
    expect(page.get_by_text("Only the report goes")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Which child").select_option(label="Sofia Rivera")
    page.get_by_role("button", name="File the report").click()
    expect(page.get_by_text("Describe what makes you suspect abuse or neglect.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What makes you suspect abuse or neglect?").fill("Sofia said she is left alone overnight")
    page.get_by_role("button", name="File the report").click()
    expect(page.get_by_text("Your report is filed with County Children's Services.")).to_be_visible()
    assert_accessible(page)
    report = ChildWelfareReport.unrestricted.get()
    assert report.subject == family.people["kid"] and report.owner_agency == agencies["cw"]
