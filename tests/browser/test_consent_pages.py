from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import services
from familybridge.consent.models import Consent
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_caseworker_records_a_consent_with_the_parent_on_a_tablet_then_revokes_it_with_confirmation(
    browser, live_server, agencies, family, make_user, assign
):
    TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 20)
    )
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 820, "height": 1180}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, "worker", PASSWORD)
    page.goto("/families/")
    page.get_by_role("link", name="Rivera family").click()
    expect(page.get_by_text("No treatment records you can see.")).to_be_visible()
    page.get_by_role("link", name="Consents of Ana Rivera").click()
    expect(page.get_by_role("heading", name="Consents of Ana Rivera")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a new consent with Ana").click()
    page.get_by_label("For named purposes", exact=False).check()
    page.get_by_role("group", name="2. Who may share the information?").get_by_label("Hope Recovery").check()
    page.get_by_label("SUD enrollment").check()
    page.get_by_role("group", name="4. Who may receive it?").get_by_label("County Children's Services").check()
    page.get_by_label("To plan my family's child welfare case").check()
    page.get_by_label("6. Until what date?").fill("2027-06-30")
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text("Missing: the signature (the signer's typed name).").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("8. Type your full name to sign").fill("Ana Rivera")
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text("It opens nothing from Hope Recovery until that agency verifies it")).to_be_visible()
    expect(page.get_by_text("Hope Recovery: not verified")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF copy for Ana")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/families/{family.pk}/")
    expect(page.get_by_text("No treatment records you can see.")).to_be_visible()

    # The program verifies it from its queue; from then on child welfare sees what it names.
    counselor = make_user("hope", agencies["sud"], Role.COUNSELOR)
    services.verify_consent(Consent.objects.get(), agencies["sud"], by=counselor)
    page.goto(f"/families/{family.pk}/")
    expect(page.get_by_text("Hope Recovery: admitted Jan 20, 2026")).to_be_visible()
    expect(page.get_by_label("Notice against redisclosure")).to_be_visible()
    page.get_by_role("link", name="Why can I see this? SUD enrollment about Ana Rivera").click()
    expect(page.get_by_role("heading", name="Consent")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/consent/people/{family.people['mom'].pk}/")
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    page.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke consent")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # how the parent asked is required
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    page.get_by_label("In person, orally").check()
    page.get_by_label("Note (optional; required for another way)").fill("Told me at the home visit")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("no longer sees SUD enrollment from Hope Recovery").first).to_be_visible()
    expect(page.get_by_text("stay in Ana Rivera's accounting of disclosures", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Nothing more is shared under it from now on.")).to_be_visible()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Consent {Consent.objects.get().pk}").click()
    expect(page.get_by_text("the person asked in person, orally (Told me at the home visit)")).to_be_visible()
    page.goto(f"/consent/people/{family.people['mom'].pk}/")
    page.get_by_role("link", name="Accounting of disclosures").click()
    expect(page.get_by_role("heading", name="Accounting of disclosures: Ana Rivera")).to_be_visible()
    assert_accessible(page)
    context.close()
