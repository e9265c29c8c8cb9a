"""Writing referrals. The closed-loop workflow (acceptance, engagement signals) builds on this."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from familybridge.agencies.models import Agency, AgencyKind, User
from familybridge.people.models import Person
from familybridge.referrals.models import Referral, ReferralSource

SOURCE_OF_AGENCY_KIND = {AgencyKind.CHILD_WELFARE: ReferralSource.CHILD_WELFARE, AgencyKind.COURT: ReferralSource.COURT}


def treatment_providers_for(user: User) -> list[Agency]:
    """The SUD treatment programs in the user's partnerships: where a referral can go."""
    if not user.agency_id:
        return []
    return list(
        Agency.objects.filter(kind=AgencyKind.SUD_TREATMENT, partnerships__agencies=user.agency_id)
        .distinct()
        .order_by("name")
    )


def create_referral(user: User, *, subject: Person, provider: Agency, referral_date: date, reason: str) -> Referral:
    """Refer a person to a treatment program on behalf of the user's agency.

    The referral belongs to the receiving program (that someone was referred is Part 2 information).
    """
    if not user.agency_id or not user.works_cases:
        raise PermissionDenied("Only staff who work cases can refer.")
    if provider.kind != AgencyKind.SUD_TREATMENT or provider not in treatment_providers_for(user):
        raise ValidationError({"provider": "Choose a treatment provider in your partnership."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the parent is referred."})
    with transaction.atomic():
        return Referral.objects.create(
            owner_agency=provider,
            subject=subject,
            referring_agency=user.agency,
            referral_date=referral_date,
            source=SOURCE_OF_AGENCY_KIND.get(user.agency.kind, ReferralSource.OTHER),
            reason=reason.strip(),
        )
