"""Flatten each legal basis into `Grant` rows, so the policy point asks one indexed EXISTS question.

Every change to a basis (signing, revocation, an ending event, an agreed restriction, an agency
becoming a Part 2 program) calls `sync_*` for it: the rows are derived, never edited by hand.
"""

from collections.abc import Iterable

from django.db import transaction

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Purpose
from familybridge.audit.services import audited_bulk_create
from familybridge.consent.categories import SEPARATE_CONSENT_CATEGORIES, Category, is_part2
from familybridge.consent.models import (
    BASIS_RANK,
    Agreement,
    BasisKind,
    Consent,
    CourtOrder,
    EmergencyAccess,
    Grant,
    RestrictionRequest,
    VerificationStatus,
)
from familybridge.consent.validation import missing_elements_of

# What a medical emergency opens: everything the program holds but counseling notes.
EMERGENCY_CATEGORIES = [c for c in Category if c not in SEPARATE_CONSENT_CATEGORIES]


def _agencies(named: Iterable[Agency], kind: str) -> list[Agency]:
    agencies = {agency.pk: agency for agency in named}
    if kind:
        agencies.update({agency.pk: agency for agency in Agency.objects.filter(kind=kind)})
    return list(agencies.values())


def discloser_agencies(consent: Consent) -> list[Agency]:
    """The agencies a consent lets disclose: those it names, and each agency of its discloser class."""
    return _agencies(consent.disclosers.all(), consent.discloser_class)


def _restricted(subject_id: int) -> set[tuple[int, int | None, str | None]]:
    """(program, recipient or None for all, category or None for all) the subject's agreed restrictions hold."""
    blocked = set()
    agreed = RestrictionRequest.objects.filter(subject_id=subject_id, status=RestrictionRequest.Status.AGREED)
    for restriction in agreed.prefetch_related("restricted_recipients"):
        recipients = [a.pk for a in restriction.restricted_recipients.all()] or [None]
        categories = restriction.restricted_categories or [None]
        blocked.update((restriction.program_id, r, c) for r in recipients for c in categories)
    return blocked


def _is_blocked(blocked: set, discloser: int, recipient: int, category: str) -> bool:
    return any(key in blocked for key in ((discloser, r, c) for r in (recipient, None) for c in (category, None)))


@transaction.atomic
def sync_consent(consent: Consent) -> None:
    consent.grants.all().delete()
    if missing_elements_of(consent):
        return  # an incomplete consent (e.g. unsigned) opens nothing
    signed, ends = consent.signed_on, consent.last_effective_day
    if ends is not None and ends < signed:
        return
    # Only a disclosing agency that verified the consent discloses under it, from the day it verified.
    verified_on = {v.agency_id: v.verified_on for v in consent.verifications.filter(status=VerificationStatus.VERIFIED)}
    blocked = _restricted(consent.subject_id)
    disclosers = [
        (discloser, max(signed, verified_on[discloser.pk]))
        for discloser in discloser_agencies(consent)
        if discloser.pk in verified_on
    ]
    recipients = [(agency.pk, None) for agency in _agencies(consent.recipients.all(), consent.recipient_class)]
    recipients += [(staff.agency_id, staff.pk) for staff in consent.recipient_staff.all() if staff.agency_id]
    audited_bulk_create(
        Grant(
            basis=BasisKind.CONSENT,
            rank=BASIS_RANK[BasisKind.CONSENT],
            consent=consent,
            subject_id=consent.subject_id,
            discloser=discloser,
            recipient_agency_id=agency_id,
            recipient_user_id=user_id,
            category=category,
            purpose=purpose,
            starts_on=starts,
            ends_on=ends,
        )
        for discloser, starts in disclosers
        if ends is None or starts <= ends
        for agency_id, user_id in recipients
        if agency_id != discloser.pk
        for category in consent.categories
        if not _is_blocked(blocked, discloser.pk, agency_id, category)
        for purpose in consent.purposes
    )


@transaction.atomic
def sync_court_order(order: CourtOrder) -> None:
    order.grants.all().delete()
    recipients = list(order.recipients.all())
    audited_bulk_create(
        Grant(
            basis=BasisKind.COURT_ORDER,
            rank=BASIS_RANK[BasisKind.COURT_ORDER],
            court_order=order,
            subject_id=order.subject_id,
            discloser=discloser,
            recipient_agency=recipient,
            category=category,
            purpose=purpose,
            starts_on=order.issued_on,
            ends_on=order.ends_on,
        )
        for discloser in order.disclosers.all()
        for recipient in recipients
        if recipient.pk != discloser.pk
        for category in order.categories
        if category not in SEPARATE_CONSENT_CATEGORIES
        for purpose in order.purposes
    )


@transaction.atomic
def sync_agreement(agreement: Agreement) -> None:
    """An agreement opens, for every subject, the categories that are not Part 2 where its discloser holds them.

    Only once an administrator of every party approved it: no agency is bound by another's signature.
    """
    agreement.grants.all().delete()
    parties = list(agreement.parties.all())
    approved = set(agreement.approvals.values_list("agency_id", flat=True))
    if any(party.pk not in approved for party in parties):
        return
    audited_bulk_create(
        Grant(
            basis=BasisKind.AGREEMENT,
            rank=BASIS_RANK[BasisKind.AGREEMENT],
            agreement=agreement,
            subject=None,
            discloser=discloser,
            recipient_agency=recipient,
            category=category,
            purpose=purpose,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
        )
        for discloser in parties
        for recipient in parties
        if recipient.pk != discloser.pk
        for category in agreement.categories
        if not is_part2(category, discloser.is_part2_program)
        for purpose in agreement.purposes
    )


@transaction.atomic
def sync_emergency(access: EmergencyAccess) -> None:
    access.grants.all().delete()
    audited_bulk_create(
        Grant(
            basis=BasisKind.EMERGENCY,
            rank=BASIS_RANK[BasisKind.EMERGENCY],
            emergency=access,
            subject_id=access.subject_id,
            discloser_id=access.program_id,
            recipient_agency_id=access.user.agency_id,
            recipient_user_id=access.user_id,
            category=category,
            purpose=Purpose.MEDICAL_EMERGENCY,
            starts_on=access.opened_on,
            ends_on=access.ends_on,
        )
        for category in EMERGENCY_CATEGORIES
    )


def sync_subject(subject_id: int) -> None:
    """Rebuild the grants of every consent of a subject (after a restriction or an ending event)."""
    for consent in Consent.objects.filter(subject_id=subject_id):
        sync_consent(consent)


def sync_agency(agency: Agency) -> None:
    """Rebuild what depends on an agency's kind or Part 2 status: its agreements and class consents."""
    for agreement in Agreement.objects.filter(parties=agency):
        sync_agreement(agreement)
    for consent in Consent.objects.filter(discloser_class=agency.kind) | Consent.objects.filter(
        recipient_class=agency.kind
    ):
        sync_consent(consent)
