"""The demo's bases are verified and approved the way staff would do it, and a second load changes nothing."""

from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.roles import Role
from familybridge.consent.models import Agreement, AgreementApproval, Consent, ConsentVerification
from familybridge.demo.worklists import WAITING_AGREEMENT


def test_the_demo_loads_its_consents_verified_and_its_agreements_approved_by_each_partys_admin(db):
    call_command("demo", no_serve=True)
    consents = Consent.objects.prefetch_related("disclosers", "verifications__decided_by")
    assert consents.exists()
    for consent in consents:
        verifiers = {v.agency_id: v.decided_by for v in consent.verifications.all() if v.status == "verified"}
        assert set(verifiers) == {agency.pk for agency in consent.disclosers.all()}
        assert all(user is not None and user.agency_id == agency for agency, user in verifiers.items())
    # One agreement waits for both administrators' approval, so that their to-do lists have it.
    waiting = Agreement.objects.get(name=WAITING_AGREEMENT)
    assert waiting.status_on(timezone.localdate()) == "waiting for approval" and not waiting.approvals.exists()
    agreements = Agreement.objects.exclude(pk=waiting.pk).prefetch_related("parties", "approvals__approved_by")
    assert agreements.count() == 2
    for agreement in agreements:
        assert agreement.status_on(timezone.localdate()) == "active" and agreement.grants.exists()
        approvers = {a.agency_id: a.approved_by for a in agreement.approvals.all()}
        assert set(approvers) == {party.pk for party in agreement.parties.all()}
        assert all(
            user.agency_id == agency and Role.AGENCY_ADMIN in user.role_codes for agency, user in approvers.items()
        )

    counts = (ConsentVerification.objects.count(), AgreementApproval.objects.count())
    call_command("demo", no_serve=True)
    assert (ConsentVerification.objects.count(), AgreementApproval.objects.count()) == counts
