"""Writing referrals and the provider's steps through the closed loop."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind, User
from familybridge.agencies.roles import CASE_ROLES, Purpose
from familybridge.cases.models import TreatmentEpisode
from familybridge.cases.services import RecordKind, register_kind
from familybridge.consent import selectors as consent_selectors
from familybridge.consent.categories import Category
from familybridge.people import services as people_services
from familybridge.people.models import AssignmentEnd, Family, Person, ProtectedRecord
from familybridge.referrals.models import NEXT_STEPS, Referral, ReferralSource, ReferralStatus, ReferralStep
from familybridge.referrals.selectors import current_status

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


def create_referral(
    user: User,
    *,
    subject: Person,
    provider: Agency,
    referral_date: date,
    reason: str,
    family: Family | None = None,
) -> Referral:
    """Refer a person to a treatment program on behalf of the user's agency, from the family the user works.

    The referral belongs to the receiving program (that someone was referred is Part 2 information);
    it arrives at once, so its first step, received, is recorded with it. It lands in the program's intake
    queue, where a clinical supervisor assigns a counselor to the client.
    """
    if not user.agency_id or not user.works_cases:
        raise PermissionDenied("Only staff who work cases can refer.")
    if provider.kind != AgencyKind.SUD_TREATMENT or provider not in treatment_providers_for(user):
        raise ValidationError({"provider": "Choose a treatment provider in your partnership."})
    checked = _referral_rules(user, None, {"referral_date": referral_date, "reason": reason}, None)
    if family is not None and not people_services.is_member(family, subject):
        raise ValidationError({"subject": f"{subject} is not a member of the {family}."})
    _check_basis_to_refer(user.agency, provider, subject)
    with transaction.atomic():
        referral = Referral.objects.create(
            owner_agency=provider,
            subject=subject,
            family=family,
            referring_agency=user.agency,
            recorded_by=user,
            source=SOURCE_OF_AGENCY_KIND.get(user.agency.kind, ReferralSource.OTHER),
            **checked,
        )
        ReferralStep.objects.create(
            owner_agency=provider,
            subject=subject,
            referral=referral,
            status=ReferralStatus.RECEIVED,
            occurred_at=timezone.now(),
            recorded_by=user,
        )
    return referral


def _referral_rules(
    user: User, family: Family | None, values: dict[str, Any], record: ProtectedRecord | None
) -> dict[str, Any]:
    """What the referrer states: why, and when. The program and the person are corrected by a new referral."""
    if not values["reason"].strip():
        raise ValidationError({"reason": "Say why the parent is referred."})
    if values["referral_date"] > timezone.localdate():
        raise ValidationError({"referral_date": "A referral cannot be dated in the future."})
    return {"referral_date": values["referral_date"], "reason": values["reason"].strip()}


def _referral_void_check(referral: ProtectedRecord) -> None:
    """The referrer voids a referral entered in error with its received step, before the program acts on it."""
    acted = ReferralStep.unrestricted.filter(referral=referral).exclude(status=ReferralStatus.RECEIVED)
    if acted.exists():
        raise ValidationError(
            f"{referral.owner_agency} has recorded steps on this referral: ask the program to void them first."
        )


# A referral from one program tells the other that the person is its client: that needs a basis that opens
# at least the program's enrollment record to the receiving program, for treatment or care coordination.
REFERRAL_CATEGORY = Category.SUD_ENROLLMENT
REFERRAL_PURPOSES = (Purpose.TREATMENT, Purpose.CARE_COORDINATION)


def _check_basis_to_refer(referrer: Agency, provider: Agency, subject: Person) -> None:
    if not referrer.is_part2_program or provider.pk == referrer.pk:
        return
    if not consent_selectors.basis_opens_to_agency(referrer, provider, subject, REFERRAL_CATEGORY, REFERRAL_PURPOSES):
        raise ValidationError(
            {
                "provider": f"Referring {subject} to {provider} tells {provider} that they are a client of "
                f"{referrer}, which is Part 2 information. Record first {subject.first_name}'s consent "
                f"(verified by {referrer}) or a court order letting {referrer} share SUD enrollment with "
                f"{provider} for treatment or care coordination. Nothing was sent."
            }
        )


@transaction.atomic
def record_step(
    user: User,
    referral: Referral,
    status: str,
    *,
    note: str = "",
    scheduled_for: date | None = None,
    level_of_care: str = "",
) -> ReferralStep:
    """The provider records the next step; admission opens the treatment episode."""
    if user.agency_id != referral.owner_agency_id or not user.works_cases:
        raise PermissionDenied("Only the receiving program's staff record a referral's steps.")
    now = current_status(_steps(referral))
    if status not in NEXT_STEPS[now]:
        allowed = ", ".join(ReferralStatus(s).label.lower() for s in NEXT_STEPS[now]) or "nothing: the loop is closed"
        raise ValidationError({"status": f"After {ReferralStatus(now).label.lower()} comes {allowed}."})
    checked = _step_rules(user, None, {"status": status, "note": note, "scheduled_for": scheduled_for}, None)
    step = ReferralStep.objects.create(
        owner_agency=referral.owner_agency,
        subject=referral.subject,
        referral=referral,
        status=status,
        occurred_at=timezone.now(),
        recorded_by=user,
        **checked,
    )
    if status in (ReferralStatus.DECLINED, ReferralStatus.NOT_ENGAGED):
        people_services.end_assignments(
            referral.assignments.open(), on=timezone.localdate(), reason=AssignmentEnd.REFERRAL_CLOSED
        )
    if status == ReferralStatus.ADMITTED:
        TreatmentEpisode.objects.create(
            owner_agency=referral.owner_agency,
            subject=referral.subject,
            admission_date=timezone.localdate(),
            level_of_care=level_of_care,
            recorded_by=user,
        )
    return step


def _steps(referral: Referral) -> list[ReferralStep]:
    """The referral's steps not voided, in order: the loop's current state."""
    return list(ReferralStep.unrestricted.filter(referral=referral).order_by("occurred_at", "pk"))


def _step_rules(
    user: User, family: Family | None, values: dict[str, Any], record: ProtectedRecord | None
) -> dict[str, Any]:
    note = values.get("note", "").strip()
    if values["status"] == ReferralStatus.DECLINED and not note:
        raise ValidationError({"note": "Say why the referral is declined, so the referrer can act on it."})
    if values["status"] == ReferralStatus.ASSESSMENT_SCHEDULED and values.get("scheduled_for") is None:
        raise ValidationError({"scheduled_for": "Give the assessment date."})
    return {"note": note, "scheduled_for": values.get("scheduled_for")}


def _step_void_check(step: ProtectedRecord) -> None:
    """A step entered in error is voided from the latest back, so the loop stays a sequence; the received
    step goes only with the referral (voided by its referrer). An admission's treatment episode is voided
    on its own, from the family page."""
    if step.status == ReferralStatus.RECEIVED:
        raise ValidationError("The received step goes with the referral: the referrer voids the referral.")
    if _steps(step.referral)[-1].pk != step.pk:
        raise ValidationError("Void the later steps of this referral first.")


register_kind(
    RecordKind(
        "referral",
        "Referral to treatment",
        None,
        CASE_ROLES,
        create_referral,
        Referral,
        ("referral_date", "reason"),
        _referral_rules,
        voids_with=("steps",),
        void_check=_referral_void_check,
        in_add_menu=False,
    )
)
register_kind(
    RecordKind(
        "referral-step",
        "Referral step",
        None,
        CASE_ROLES,
        record_step,
        ReferralStep,
        ("note", "scheduled_for"),
        _step_rules,
        void_check=_step_void_check,
        in_add_menu=False,
    )
)
