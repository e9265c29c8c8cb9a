"""Writing referrals and the provider's steps through the closed loop."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind, User
from familybridge.agencies.roles import CASE_ROLES, Purpose, Role
from familybridge.cases.models import TreatmentEpisode
from familybridge.cases.services import RecordKind, register_kind
from familybridge.consent import selectors as consent_selectors
from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.services import notify_those_who_may_see
from familybridge.people import services as people_services
from familybridge.people.models import AssignmentEnd, CaseloadAssignment, Family, Person, ProtectedRecord
from familybridge.referrals.models import NEXT_STEPS, Referral, ReferralSource, ReferralStatus, ReferralStep
from familybridge.referrals.selectors import OPEN_LOOP, current_status, open_intake_assignments

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


def active_staff_in_role(program_id: int | None, role: str) -> QuerySet[User]:
    return User.objects.filter(agency_id=program_id, is_active=True, staff_roles__role=role).order_by(
        "last_name", "first_name"
    )


@transaction.atomic
def assign_from_intake(
    by: User, referral: Referral, *, counselor: User, peer: User | None = None, note: str = ""
) -> list[CaseloadAssignment]:
    """The program's clinical supervisor takes a referral in: a counselor (and, where the program has them, a peer
    recovery specialist) works the referred client from today. The assignment is what opens the client to them;
    each is notified with only what they may now see."""
    if by.agency_id != referral.owner_agency_id:
        raise PermissionDenied("Only the receiving program's supervisors assign its referrals.")
    if current_status(_steps(referral)) not in OPEN_LOOP:
        raise ValidationError("This referral's loop is closed: there is no one to assign.")
    if open_intake_assignments().filter(about_id=referral.pk).exists():
        raise ValidationError("Someone already works this referral.")
    if not active_staff_in_role(referral.owner_agency_id, Role.COUNSELOR).filter(pk=counselor.pk).exists():
        raise ValidationError({"counselor": "Choose a counselor of your program."})
    if peer is not None and not active_staff_in_role(referral.owner_agency_id, Role.PEER_RECOVERY_SPECIALIST).filter(
        pk=peer.pk
    ).exists():
        raise ValidationError({"peer": "Choose a peer recovery specialist of your program."})
    today = timezone.localdate()
    assignments = []
    for staff, capacity in ((counselor, Role.COUNSELOR), (peer, Role.PEER_RECOVERY_SPECIALIST)):
        if staff is None:
            continue
        assignment = people_services.assign(
            by,
            staff=staff,
            client=referral.subject,
            family=referral.family,
            about=referral,
            capacity=capacity,
            on=today,
            note=note,
        )
        assignments.append(assignment)
    _notify_assigned(assignments, referral)
    return assignments


def _notify_assigned(assignments: list[CaseloadAssignment], referral: Referral) -> None:
    """Tell each assigned staff member, in the words of what the assignment now opens to them: the client's name
    and the referral's date (the program's own record), nothing of the referrer's family."""
    for assignment in assignments:
        text = (
            f"You are assigned to {referral.subject} as {assignment.get_capacity_display().lower()}: referral of "
            f"{us_date(referral.referral_date)}."
        )
        notify_those_who_may_see(
            referral,
            [assignment.staff],
            lambda user: user.default_purpose,
            NotificationKind.ASSIGNED,
            text,
            link=reverse("referrals:detail", args=[referral.pk]),
            dedupe_key=f"assigned:{assignment.pk}",
        )
