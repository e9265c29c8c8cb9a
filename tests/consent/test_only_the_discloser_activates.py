"""Issue 10, findings 5 and 11b: only the disclosing agency makes a consent take effect, and an agreement
binds each party only once that party's administrator approved it."""

import re
from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import AgencyKind
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, TreatmentEpisode
from familybridge.consent import policy, services
from familybridge.consent.models import Agreement, Consent, Grant
from tests.conftest import sign_in


@pytest.fixture
def program_counselor(agencies, make_user):
    return make_user("counselor", agencies["sud"], Role.COUNSELOR)


def treatment_seen_by(user, episode) -> bool:
    shown = policy.read(user, TreatmentEpisode.objects.filter(pk=episode.pk), Purpose.CASE_PLANNING, disclose=False)
    return any(isinstance(item, TreatmentEpisode) for item in shown)


def test_finding5_a_consent_a_caseworker_records_opens_nothing_until_the_program_verifies_it(
    worker, program_counselor, agencies, episode, consent_terms
):
    consent = services.record_consent(consent_terms(recipients=[agencies["cw"]]), recorded_by=worker)
    assert consent.status_on(timezone.localdate()) == "not verified"
    assert not treatment_seen_by(worker, episode) and not consent.grants.exists()

    services.verify_consent(consent, agencies["sud"], by=program_counselor)
    assert treatment_seen_by(worker, episode)
    assert set(consent.grants.values_list("starts_on", flat=True)) == {timezone.localdate()}


def test_finding5_only_the_named_programs_counselors_and_supervisors_verify(worker, agencies, consent_terms, make_user):
    consent = services.record_consent(consent_terms(), recorded_by=worker)
    other_program = make_user("harbor", agencies["sud2"], Role.CLINICAL_SUPERVISOR)
    peer = make_user("peer", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    with pytest.raises(PermissionDenied):
        services.verify_consent(consent, agencies["sud"], by=other_program)
    with pytest.raises(PermissionDenied):
        services.verify_consent(consent, agencies["sud2"], by=other_program)  # not named as discloser
    with pytest.raises(PermissionDenied):
        services.verify_consent(consent, agencies["sud"], by=peer)
    with pytest.raises(PermissionDenied):
        services.verify_consent(consent, agencies["sud"], by=worker)  # the recorder cannot verify for the program
    assert not consent.grants.exists()


def test_a_consent_the_programs_own_counselor_records_is_in_effect_from_its_signature(
    worker, program_counselor, agencies, episode, consent_terms
):
    signed_on = date(2026, 1, 5)
    consent = services.record_consent(consent_terms(), recorded_by=program_counselor)
    assert consent.status_on(timezone.localdate()) == "active" and treatment_seen_by(worker, episode)
    assert set(consent.grants.values_list("starts_on", flat=True)) == {signed_on}


def test_grants_start_the_day_the_program_verifies(worker, program_counselor, agencies, consent_terms):
    consent = services.record_consent(consent_terms(), recorded_by=worker)
    verified_at = timezone.make_aware(datetime.combine(date(2026, 3, 2), time(9)))
    services.verify_consent(consent, agencies["sud"], by=program_counselor, at=verified_at)
    assert set(consent.grants.values_list("starts_on", flat=True)) == {date(2026, 3, 2)}


def test_finding5_each_agency_of_a_discloser_class_verifies_for_itself(worker, agencies, family, consent_terms):
    consent = services.record_consent(
        consent_terms(disclosers=[], discloser_class=AgencyKind.SUD_TREATMENT), recorded_by=worker
    )
    assert not consent.grants.exists()
    services.verify_consent(consent, agencies["sud"])
    assert set(consent.grants.values_list("discloser_id", flat=True)) == {agencies["sud"].pk}


def test_a_rejected_consent_opens_nothing_and_the_reason_stays_with_the_program(
    client, worker, program_counselor, agencies, family, consent_terms
):
    consent = services.record_consent(consent_terms(recipients=[agencies["cw"]]), recorded_by=worker)
    with pytest.raises(ValidationError):
        services.reject_consent(consent, agencies["sud"], reason=" ", by=program_counselor)
    services.reject_consent(consent, agencies["sud"], reason="No such client here", by=program_counselor)
    assert not consent.grants.exists() and consent.status_on(timezone.localdate()) == "not verified"
    sign_in(client, worker)
    page = client.get(reverse("consent:detail", args=[consent.pk])).content.decode()
    assert "Hope Recovery: not verified" in page and "No such client here" not in page and "rejected" not in page


def test_finding5_recording_reads_the_same_whether_or_not_the_person_is_a_client_of_the_program(
    client, worker, agencies, family
):
    """The mother is a client of Hope Recovery, the father is not: the recorder cannot tell them apart."""
    sign_in(client, worker)
    answers = {
        "kind": "purpose_specific",
        "disclosers": [agencies["sud"].pk],
        "categories": ["sud.enrollment"],
        "recipients": [agencies["cw"].pk],
        "purposes": ["case_planning"],
        "expires_on": "2027-06-30",
        "signer_relationship": "self",
    }
    pages = []
    for key in ("mom", "dad"):
        person = family.people[key]
        response = client.post(
            reverse("consent:new", args=[person.pk]), {**answers, "signer_name": str(person)}, follow=True
        )
        consent = Consent.objects.get(subject=person)
        page = response.content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
        text = text.replace(str(person), "NAME").replace(person.first_name, "FIRST")
        text = text.replace(f"/people/{person.pk}/", "/people/P/").replace(f"/{consent.pk}/", "/N/")
        pages.append(text.replace(f"Consent {consent.pk}", "Consent N"))
        assert "It opens nothing from Hope Recovery until that agency verifies it" in text
    assert pages[0] == pages[1]


def test_the_queue_lists_what_waits_for_the_program_and_verifying_takes_effect(
    client, worker, program_counselor, agencies, family, episode, consent_terms, make_user
):
    waiting = services.record_consent(consent_terms(), recorded_by=worker)
    services.record_consent(consent_terms(disclosers=[agencies["sud2"]]), recorded_by=worker)
    sign_in(client, program_counselor)
    queue = client.get(reverse("consent:verification-queue")).content.decode()
    assert "Ana Rivera" in queue and reverse("consent:verify", args=[waiting.pk]) in queue
    assert queue.count("Verify or reject") == 1  # the consent naming Harbor Treatment is Harbor's to answer

    url = reverse("consent:verify", args=[waiting.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "Say why your agency will not disclose" in response.content.decode() and not waiting.verifications.exists()
    response = client.post(url, {"decision": "verify"})
    assert response.url == reverse("consent:verification-queue") and treatment_seen_by(worker, episode)
    assert "Ana Rivera" not in client.get(response.url).content.decode()
    assert client.get(url).status_code == 404  # answered: no longer in the queue

    client.logout()
    sign_in(client, worker)
    assert client.get(reverse("consent:verification-queue")).status_code == 403


def test_anyone_may_revoke_a_consent_waiting_for_verification_and_it_leaves_the_queue(
    worker, program_counselor, agencies, consent_terms
):
    from familybridge.consent import selectors

    consent = services.record_consent(consent_terms(), recorded_by=worker)
    services.revoke_consent(consent, by=worker)
    assert not selectors.consents_awaiting_verification(program_counselor).exists()
    with pytest.raises(ValidationError):
        services.verify_consent(consent, agencies["sud"], by=program_counselor)


# Finding 11b: an agreement binds an agency only once that agency's administrator approved it.


@pytest.fixture
def docket(agencies, family):
    return CourtCase.objects.create(
        owner_agency=agencies["court"], subject=family.people["kid"], family=family, docket_number="JD-9"
    )


def docket_seen_by(user, docket) -> bool:
    shown = policy.read(user, CourtCase.objects.filter(pk=docket.pk), Purpose.CASE_PLANNING, disclose=False)
    return any(isinstance(item, CourtCase) for item in shown)


def court_agreement(recorded_by=None, **changes) -> Agreement:
    return services.record_agreement(
        name="Court and child welfare MOU",
        parties=changes.pop("parties"),
        categories=["court.case"],
        purposes=[Purpose.CASE_PLANNING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
        recorded_by=recorded_by,
        **changes,
    )


def test_finding11b_an_agreement_one_admin_records_opens_nothing_until_every_party_approves(
    worker, agencies, docket, make_user
):
    court_admin = make_user("courtadmin", agencies["court"], Role.AGENCY_ADMIN)
    cw_admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    agreement = court_agreement(court_admin, parties=[agencies["cw"], agencies["court"]])
    assert agreement.status_on(timezone.localdate()) == "waiting for approval"
    assert not docket_seen_by(worker, docket) and not agreement.grants.exists()

    services.approve_agreement(agreement, agencies["cw"], by=cw_admin)
    assert docket_seen_by(worker, docket)

    services.withdraw_agreement_approval(agreement, agencies["court"], by=court_admin)
    assert not docket_seen_by(worker, docket) and not Grant.objects.filter(agreement=agreement).exists()


def test_finding11b_an_admin_approves_for_their_own_agency_only(agencies, make_user):
    court_admin = make_user("courtadmin", agencies["court"], Role.AGENCY_ADMIN)
    outsider_admin = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    coordinator = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    agreement = court_agreement(coordinator, parties=[agencies["cw"], agencies["court"]])
    assert not agreement.approvals.exists()  # a coordinator records; only administrators approve
    for user, party in (
        (court_admin, agencies["cw"]),
        (outsider_admin, agencies["sud"]),
        (coordinator, agencies["cw"]),
    ):
        with pytest.raises(PermissionDenied):
            services.approve_agreement(agreement, party, by=user)
    services.approve_agreement(agreement, agencies["court"], by=court_admin)
    with pytest.raises(ValidationError):
        services.approve_agreement(agreement, agencies["court"], by=court_admin)
    assert not agreement.grants.exists()


def test_the_agreement_page_shows_each_partys_approval_and_approves_after_a_confirmation(
    client, worker, agencies, docket, make_user
):
    court_admin = make_user("courtadmin", agencies["court"], Role.AGENCY_ADMIN)
    cw_admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    agreement = court_agreement(court_admin, parties=[agencies["cw"], agencies["court"]])
    sign_in(client, cw_admin)
    page = client.get(reverse("consent:agreement", args=[agreement.pk])).content.decode()
    assert "Approved by Courtadmin Tester" in page and "Waiting for approval" in page
    assert "Approve for County Children&#x27;s Services" in page and "Approve for Family Court" not in page
    confirm = client.get(reverse("consent:agreement-approve", args=[agreement.pk])).content.decode()
    assert "By approving, you bind County Children&#x27;s Services" in confirm and not docket_seen_by(worker, docket)
    response = client.post(reverse("consent:agreement-approve", args=[agreement.pk]), follow=True)
    assert "Every party has approved: it is in effect as written." in response.content.decode()
    assert docket_seen_by(worker, docket)
    client.logout()
    sign_in(client, make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN))
    assert client.post(reverse("consent:agreement-approve", args=[agreement.pk])).status_code == 403
    assert client.post(reverse("consent:agreement-withdraw", args=[agreement.pk])).status_code == 403


def test_an_agreement_loaded_as_written_is_approved_by_the_parties_it_names(agencies, worker, docket):
    court_agreement(parties=[agencies["cw"], agencies["court"]], approving_parties=[agencies["cw"]])
    assert not docket_seen_by(worker, docket)
    court_agreement(parties=[agencies["cw"], agencies["court"]])
    assert docket_seen_by(worker, docket)


def queries_for_page(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_verification_queue_costs_the_same_queries_for_one_consent_or_many(
    client, worker, program_counselor, consent_terms
):
    services.record_consent(consent_terms(), recorded_by=worker)
    sign_in(client, program_counselor)
    url = reverse("consent:verification-queue")
    one = queries_for_page(client, url)
    for _ in range(5):
        services.record_consent(consent_terms(), recorded_by=worker)
    assert queries_for_page(client, url) == one
    assert client.get(url).content.decode().count("Verify or reject") == 6


def test_the_agreements_page_costs_the_same_queries_for_one_agreement_or_many(client, agencies, make_user):
    admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)

    def record(name: str) -> Agreement:
        return services.record_agreement(
            name=name,
            parties=[agencies["cw"], agencies["court"]],
            categories=["cw.case"],
            purposes=["court_monitoring"],
            starts_on=date(2026, 1, 1),
            ends_on=None,
            recorded_by=admin,
        )

    record("Agreement 0")
    sign_in(client, admin)
    url = reverse("consent:agreements")
    one = queries_for_page(client, url)
    for index in range(1, 6):
        record(f"Agreement {index}")
    assert queries_for_page(client, url) == one
    assert "Agreement 5" in client.get(url).content.decode()
