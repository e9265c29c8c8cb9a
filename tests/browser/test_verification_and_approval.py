"""The verification queue and approving an agreement, clicked through, each page checked with axe."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from familybridge.agencies.roles import Role
from familybridge.consent import services
from familybridge.consent.models import Agreement, ConsentVerification
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_counselor_verifies_a_consent_child_welfare_recorded(page: Page, agencies, family, consent_terms, make_user):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    consent = services.record_consent(consent_terms(recipients=[agencies["cw"]]), recorded_by=worker)
    counselor = make_user("hope", agencies["sud"], Role.COUNSELOR)
    sign_in(page, counselor.username, PASSWORD)
    page.get_by_role("link", name="Consents to verify").click()
    expect(page.get_by_role("heading", name="Consents waiting for your verification")).to_be_visible()
    expect(page.get_by_role("cell", name="Worker Tester County Children's Services")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Verify or reject the consent of Ana Rivera").click()
    expect(page.get_by_role("heading", name="Verify the consent of Ana Rivera")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reject the consent").click()
    expect(page.get_by_text("Say why your agency will not disclose under this consent.").first).to_be_visible()
    assert_accessible(page)
    assert not ConsentVerification.objects.exists()
    page.get_by_role("button", name="Verify the consent for Hope Recovery").click()
    expect(page.get_by_text(f"Consent {consent.pk} is verified: Hope Recovery now shares under it.")).to_be_visible()
    expect(page.get_by_role("cell", name="No consents are waiting for your verification.")).to_be_visible()
    assert_accessible(page)
    assert consent.grants.exists()


def test_a_counselor_rejects_a_consent_with_a_reason(page: Page, agencies, family, consent_terms, make_user):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    consent = services.record_consent(consent_terms(), recorded_by=worker)
    sign_in(page, make_user("hope", agencies["sud"], Role.CLINICAL_SUPERVISOR).username, PASSWORD)
    page.goto(f"/consent/{consent.pk}/verify/")
    page.get_by_label("Why will your agency not disclose under this consent?").fill("She signed no consent with us")
    page.get_by_role("button", name="Reject the consent").click()
    expect(
        page.get_by_text(f"Consent {consent.pk} is rejected: Hope Recovery shares nothing under it.")
    ).to_be_visible()
    assert ConsentVerification.objects.get().reason == "She signed no consent with us" and not consent.grants.exists()


def test_an_administrator_approves_an_agreement_for_their_agency(page: Page, agencies, make_user):
    court_admin = make_user("courtadmin", agencies["court"], Role.AGENCY_ADMIN)
    agreement = services.record_agreement(
        name="Court and child welfare MOU",
        parties=[agencies["cw"], agencies["court"]],
        categories=["court.case"],
        purposes=["case_planning"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
        recorded_by=court_admin,
    )
    cw_admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    sign_in(page, cw_admin.username, PASSWORD)
    page.get_by_role("link", name="Agreements").click()
    expect(page.get_by_role("cell", name="Waiting for approval")).to_be_visible()
    page.get_by_role("link", name="Court and child welfare MOU").click()
    expect(page.get_by_role("cell", name="Approved by Courtadmin Tester")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Approve for County Children's Services").click()
    expect(page.get_by_text("By approving, you bind County Children's Services")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve for County Children's Services").click()
    expect(page.get_by_text("Every party has approved: it is in effect as written.")).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    assert_accessible(page)
    assert Agreement.objects.get().grants.exists()
    page.get_by_role("button", name="Withdraw the approval of County Children's Services").click()
    expect(page.get_by_text("withdrew its approval: the agreement opens nothing from now on.")).to_be_visible()
    assert not agreement.grants.exists()
