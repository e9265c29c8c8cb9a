"""Issue 10, finding 11a: a program refers its own client to another program only under a basis that lets it
tell the other program the person is its client."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import services as consent_services
from familybridge.referrals import services
from familybridge.referrals.models import Referral
from tests.conftest import sign_in


@pytest.fixture
def hope_counselor(agencies, family, make_user, assign):
    user = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(user, family)
    return user


def refer(user, agencies, family) -> Referral:
    return services.create_referral(
        user,
        subject=family.people["mom"],
        provider=agencies["sud2"],
        referral_date=timezone.localdate(),
        reason="Needs residential care we do not offer",
    )


def consent_to_tell_harbor(consent_terms, agencies, **changes):
    terms = {"recipients": [agencies["sud2"]], "purposes": [Purpose.TREATMENT], "categories": ["sud.enrollment"]}
    return consent_terms(kind="tpo", **{**terms, **changes})


def test_finding11a_a_program_cannot_refer_its_client_to_another_program_without_consent(
    hope_counselor, agencies, family
):
    with pytest.raises(ValidationError) as refused:
        refer(hope_counselor, agencies, family)
    message = " ".join(refused.value.message_dict["provider"])
    assert "consent (verified by Hope Recovery) or a court order" in message
    assert "SUD enrollment with Harbor Treatment for treatment or care coordination" in message
    assert not Referral.unrestricted.exists()


def test_a_program_refers_its_client_under_a_consent_it_verified(hope_counselor, agencies, family, consent_terms):
    consent_services.record_consent(consent_to_tell_harbor(consent_terms, agencies), recorded_by=hope_counselor)
    referral = refer(hope_counselor, agencies, family)
    assert referral.owner_agency == agencies["sud2"] and referral.referring_agency == agencies["sud"]


def test_a_consent_the_program_has_not_verified_does_not_let_it_refer(
    hope_counselor, agencies, family, consent_terms, make_user, assign
):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    consent_services.record_consent(consent_to_tell_harbor(consent_terms, agencies), recorded_by=worker)
    with pytest.raises(ValidationError):
        refer(hope_counselor, agencies, family)


def test_a_consent_for_other_information_or_purposes_does_not_let_it_refer(
    hope_counselor, agencies, family, consent_terms
):
    consent_services.record_consent(
        consent_terms(recipients=[agencies["sud2"]], purposes=[Purpose.CASE_PLANNING], categories=["sud.enrollment"]),
        recorded_by=hope_counselor,
    )
    consent_services.record_consent(
        consent_to_tell_harbor(consent_terms, agencies, categories=["sud.toxicology"]), recorded_by=hope_counselor
    )
    with pytest.raises(ValidationError):
        refer(hope_counselor, agencies, family)


def test_a_court_order_is_a_basis_to_refer(hope_counselor, agencies, family):
    consent_services.record_court_order(
        subject=family.people["mom"],
        court_name="Family Court",
        case_number="JD-2",
        judge_name="Judge",
        issued_on=date(2026, 1, 1),
        ends_on=timezone.localdate(),
        disclosers=[agencies["sud"]],
        recipients=[agencies["sud2"]],
        categories=["sud.enrollment"],
        purposes=[Purpose.CARE_COORDINATION],
    )
    assert refer(hope_counselor, agencies, family).owner_agency == agencies["sud2"]


def test_child_welfare_refers_without_a_consent_its_own_information(agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    assert refer(worker, agencies, family).referring_agency == agencies["cw"]


def test_the_referral_page_refuses_a_programs_referral_without_a_basis_and_names_what_is_missing(
    client, hope_counselor, agencies, family
):
    consent_services.record_agreement(
        name="Family membership for treatment",
        parties=[agencies["cw"], agencies["sud"]],
        categories=["cw.case"],
        purposes=["treatment"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    sign_in(client, hope_counselor)
    answers = {
        "subject": family.people["mom"].pk,
        "provider": agencies["sud2"].pk,
        "referral_date": timezone.localdate().isoformat(),
        "reason": "Needs residential care",
    }
    response = client.post(reverse("referrals:refer", args=[family.pk]), answers)
    page = response.content.decode()
    assert response.status_code == 200 and "Record first Ana&#x27;s consent (verified by Hope Recovery)" in page
    assert not Referral.unrestricted.exists()
