"""The consent app's lists: consents to verify, agreements, emergency accesses and the accounting of
disclosures, each paginated and filtered, each as cheap for many rows as for few."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Role
from familybridge.consent import services
from familybridge.consent.models import Disclosure, EmergencyAccess
from tests.conftest import sign_in
from tests.lists import assert_constant_queries, assert_paged


def test_consents_to_verify_are_paginated_and_filtered_by_the_day_signed(
    client, agencies, worker, consent_terms, make_user
):
    def record(count: int) -> None:
        for _ in range(count):
            services.record_consent(consent_terms(), recorded_by=worker)

    sign_in(client, make_user("verifier", agencies["sud"], Role.COUNSELOR))
    url = reverse("consent:verification-queue")
    record(30)
    assert_paged(client, url, 30)
    assert client.get(url, {"since": "2026-02-01"}).context["page"].paginator.count == 0  # all signed Jan 5


def test_the_agreements_page_is_paginated_and_filtered_by_party(client, agencies, make_user):
    admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    for index in range(30):
        services.record_agreement(
            name=f"Agreement {index:02d}",
            parties=[agencies["cw"], agencies["court"] if index % 2 else agencies["sud"]],
            categories=["cw.case"],
            purposes=["court_monitoring"],
            starts_on=date(2026, 1, 1),
            ends_on=None,
        )
    sign_in(client, admin)
    url = reverse("consent:agreements")
    assert_paged(client, url, 30)
    assert client.get(url, {"party": agencies["court"].pk}).context["page"].paginator.count == 15


def test_the_emergency_log_costs_the_same_for_2_or_12_accesses(client, agencies, family, make_user):
    clinician = make_user("er", agencies["sud2"], Role.COUNSELOR)
    supervisor = make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)

    def open_accesses(count: int) -> None:
        today = timezone.localdate()
        EmergencyAccess.objects.bulk_create(
            EmergencyAccess(
                user=clinician,
                subject=family.people["mom"],
                program=agencies["sud"],
                reason="Overdose in the waiting room",
                opened_on=today,
                ends_on=today + timedelta(days=1),
            )
            for _ in range(count)
        )

    sign_in(client, supervisor)
    url = reverse("consent:emergency-log")
    assert_constant_queries(client, url, open_accesses)
    open_accesses(18)
    assert_paged(client, url, 30)
    assert client.get(url, {"until": "2020-01-01"}).context["page"].paginator.count == 0


def test_the_accounting_costs_the_same_for_2_or_12_disclosures(client, agencies, family, counselor, worker):
    def disclose(count: int) -> None:
        Disclosure.objects.bulk_create(
            Disclosure(
                subject=family.people["mom"],
                discloser=agencies["sud"],
                recipient_agency=agencies["cw"] if n % 2 else agencies["court"],
                recipient_user=worker,
                purpose="case_planning",
                basis="agreement",
                categories=["sud.toxicology"],
                records=["cases.toxicologyresult:1"],
            )
            for n in range(count)
        )

    sign_in(client, counselor)
    url = reverse("consent:accounting", args=[family.people["mom"].pk])
    assert_constant_queries(client, url, disclose)
    disclose(18)
    assert_paged(client, url, 30)
    assert client.get(url, {"recipient": agencies["court"].pk}).context["page"].paginator.count == 15
    # The PDF is the whole accounting, whatever the page.
    assert client.get(reverse("consent:accounting-pdf", args=[family.people["mom"].pk])).status_code == 200
