"""The consent pages as staff use them, through the test client."""

from datetime import date

from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.consent.models import Consent
from familybridge.consent.templatetags.consent_tags import REDISCLOSURE_NOTICE
from tests.conftest import sign_in

NOTICE_START = REDISCLOSURE_NOTICE[:60]


def test_family_page_shows_consented_treatment_with_the_notice_and_why(client, worker, family, episode, consented):
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Hope Recovery: admitted Jan 20, 2026" in page and NOTICE_START in page
    why_url = reverse("consent:why", args=["cases.treatmentepisode", episode.pk])
    assert why_url in page
    why = client.get(why_url + "?purpose=case_planning").content.decode()
    assert f"Consent {consented.pk} signed by Ana Rivera" in why and NOTICE_START in why


def test_revoking_after_confirmation_hides_the_treatment_from_then_on(client, worker, family, episode, consented):
    sign_in(client, worker)
    mom = family.people["mom"]
    listing = client.get(reverse("consent:person", args=[mom.pk])).content.decode()
    assert "<title>Consents of Ana Rivera · familybridge</title>" in listing
    assert "Active" in listing and "Revoke" in listing
    url = reverse("consent:revoke", args=[consented.pk])
    # how the parent asked is required; "another way" needs a note; nothing is revoked before confirming
    assert "This field is required." in client.post(url).content.decode()
    assert "Say how the person asked to revoke." in client.post(url, {"how": "other"}).content.decode()
    confirm = client.post(url, {"how": "by_phone", "note": "Called the front desk"}).content.decode()
    assert "Family Court no longer sees" in confirm and "stay in Ana Rivera&#x27;s accounting of disclosures" in confirm
    consented.refresh_from_db()
    assert consented.revoked_at is None
    response = client.post(url, {"how": "by_phone", "note": "Called the front desk", "confirm": "1"})
    assert response.url == reverse("consent:person", args=[mom.pk])
    assert "Revoked" in client.get(response.url).content.decode()
    consented.refresh_from_db()
    assert (consented.revoked_by, consented.revocation_method, consented.revocation_note) == (
        worker,
        "by_phone",
        "Called the front desk",
    )
    detail = client.get(reverse("consent:detail", args=[consented.pk])).content.decode()
    assert "the person asked by phone (Called the front desk); recorded by" in detail
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Hope Recovery" not in page and NOTICE_START not in page
    assert client.get(reverse("consent:why", args=["cases.treatmentepisode", episode.pk])).status_code == 404


def test_the_form_names_a_missing_element_and_saves_nothing_then_signs(client, worker, agencies, family):
    sign_in(client, worker)
    mom = family.people["mom"]
    url = reverse("consent:new", args=[mom.pk])
    answers = {
        "kind": "purpose_specific",
        "disclosers": [agencies["sud"].pk],
        "categories": ["sud.attendance"],
        "recipients": [agencies["cw"].pk],
        "purposes": ["case_planning"],
        "expires_on": "2027-06-30",
        "signer_relationship": "self",
        "signer_name": "",
    }
    response = client.post(url, answers)
    assert "Missing: the signature" in response.content.decode() and not Consent.objects.exists()
    response = client.post(url, {**answers, "signer_name": "Ana Rivera"})
    consent = Consent.objects.get()
    assert response.url == reverse("consent:detail", args=[consent.pk]) and consent.signed_at is not None
    assert consent.recorded_by == worker
    pdf = client.get(reverse("consent:pdf", args=[consent.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bundle = client.get(reverse("consent:person-fhir", args=[mom.pk])).json()
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["status"] == "proposed"


def test_accounting_of_disclosures_lists_who_received_what_as_a_page_and_pdf(
    client, agencies, family, episode, consented, make_user, assign
):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    sign_in(client, judge)
    client.get(reverse("web:family-detail", args=[family.pk]) + "?purpose=court_monitoring")
    client.logout()
    program = make_user("clinic", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    sign_in(client, program)
    page = client.get(reverse("consent:accounting", args=[family.people["mom"].pk])).content.decode()
    assert "Judge Tester, Family Court" in page and "SUD enrollment" in page and f"Consent {consented.pk}" in page
    pdf = client.get(reverse("consent:accounting-pdf", args=[family.people["mom"].pk]))
    assert pdf.content.startswith(b"%PDF")


def test_owner_sees_who_else_can_see_a_record(client, agencies, family, episode, consented, make_user, assign):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    sign_in(client, counselor)
    page = client.get(reverse("consent:why", args=["cases.treatmentepisode", episode.pk])).content.decode()
    assert "you are assigned to this person" in page
    assert "Family Court" in page and "County Children&#x27;s Services" in page and "Court monitoring" in page


def test_a_person_outside_need_to_know_is_not_found(client, agencies, family, make_user):
    stranger = make_user("stranger", agencies["cw"], Role.CASEWORKER)
    sign_in(client, stranger)
    assert client.get(reverse("consent:person", args=[family.people["mom"].pk])).status_code == 404
    assert client.get(reverse("consent:why", args=["agencies.user", 1])).status_code == 404


def test_consent_list_shows_only_consents_naming_the_viewers_agency(client, worker, family, consent_terms, agencies):
    from familybridge.consent import services

    services.record_consent(consent_terms(recipients=[agencies["court"]], expires_on=date(2027, 1, 31)))
    sign_in(client, worker)
    page = client.get(reverse("consent:person", args=[family.people["mom"].pk])).content.decode()
    assert "No consents your agency is party to." in page
