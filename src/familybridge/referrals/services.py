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
from familybridge.audit.services import record_event
from familybridge.cases.models import DischargeSummary, TreatmentEpisode
from familybridge.cases.services import RecordKind, register_kind
from familybridge.consent import selectors as consent_selectors
from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.services import notify_those_who_may_see
from familybridge.people import services as people_services
from familybridge.people.models import AssignmentEnd, CaseloadAssignment, Family, Person, ProtectedRecord
from familybridge.referrals.models import NEXT_STEPS, Referral, ReferralSource, ReferralStatus, ReferralStep
from familybridge.referrals.selectors import (
    NEEDS_NEXT_ACTION,
    OPEN_LOOP,
    current_status,
    open_intake_assignments,
    referral_view,
)
from familybridge.screening.models import ScreeningResult

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
    screening_result: ScreeningResult | None = None,
    follows: Referral | None = None,
) -> Referral:
    """Refer a person to a treatment program on behalf of the user's agency, from the family the user works.

    The referral belongs to the receiving program (that someone was referred is Part 2 information);
    it arrives at once, so its first step, received, is recorded with it. It lands in the program's intake
    queue, where a clinical supervisor assigns a counselor to the client. A referral from a screen is marked on
    that screen, and a screen is referred once by each agency; a referral elsewhere after a decline or a client
    who did not engage `follows` that referral, which closes its follow-up.
    """
    if not user.agency_id or not user.works_cases:
        raise PermissionDenied("Only staff who work cases can refer.")
    if provider.kind != AgencyKind.SUD_TREATMENT or provider not in treatment_providers_for(user):
        raise ValidationError({"provider": "Choose a treatment provider in your partnership."})
    checked = _referral_rules(user, None, {"referral_date": referral_date, "reason": reason}, None)
    if family is not None and not people_services.is_member(family, subject):
        raise ValidationError({"subject": f"{subject} is not a member of the {family}."})
    if screening_result is not None:
        _check_screen_not_referred(user, screening_result, subject)
    if follows is not None:
        _check_follow_up(user, follows, subject, provider)
    _check_basis_to_refer(user.agency, provider, subject)
    with transaction.atomic():
        referral = Referral.objects.create(
            owner_agency=provider,
            subject=subject,
            family=family,
            referring_agency=user.agency,
            recorded_by=user,
            source=SOURCE_OF_AGENCY_KIND.get(user.agency.kind, ReferralSource.OTHER),
            screening_result=screening_result,
            follows=follows,
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


def _check_screen_not_referred(user: User, screening_result: ScreeningResult, subject: Person) -> None:
    """A screen leads to one referral from each agency: a second would send the parent to two intakes."""
    if screening_result.subject_id != subject.pk:
        raise ValidationError({"subject": f"The screen is about {screening_result.subject}, not {subject}."})
    earlier = (
        Referral.unrestricted.filter(screening_result=screening_result, referring_agency=user.agency_id)
        .select_related("owner_agency")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            f"This screen was already referred to {earlier.owner_agency.name} on {us_date(earlier.referral_date)}. "
            "Follow that referral; if the program declines it, refer elsewhere from the referral's page. "
            "Nothing was sent."
        )


def _check_follow_up(user: User, follows: Referral, subject: Person, provider: Agency) -> None:
    """A referral elsewhere follows a referral of the same person the user's agency sent, which the program
    declined or the person did not engage with, and which nobody has followed up yet."""
    if follows.referring_agency_id != user.agency_id or follows.subject_id != subject.pk:
        raise ValidationError({"subject": "A referral elsewhere follows your agency's referral of the same person."})
    if follows.follow_up_closed_at is not None or Referral.unrestricted.filter(follows=follows).exists():
        raise ValidationError("That referral has been followed up already. Nothing was sent.")
    _check_awaits_next_action(user, follows)
    if provider.pk == follows.owner_agency_id:
        raise ValidationError({"provider": f"Choose a program other than {provider.name}, which answered already."})


def _check_awaits_next_action(user: User, referral: Referral, purpose: str | None = None) -> None:
    """The program's answer is one the user may see (for the purpose, by default her role's) and asks for her
    next action: nobody acts on, or learns from a refusal, a step that is not open to her."""
    purpose = purpose or user.default_purpose or ""
    if not referral_view(user, referral, purpose, today=timezone.localdate()).next_action:
        raise ValidationError(
            "As far as you may see, the program has not declined this referral and the client has not "
            "disengaged: there is nothing to follow up yet."
        )


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
    _notify_referrer(referral, step, _step_words(referral, step), dedupe_key=f"referral-step:{step.pk}")
    return step


def _step_words(referral: Referral, step: ReferralStep) -> str:
    """A step in the words its notice uses: written from the step alone, which the referrer sees only under a
    consent or order letting her agency see the program's enrollment information."""
    words = f"Referral of {referral.subject} to {referral.owner_agency.name}: {step.get_status_display().lower()}"
    words += f" on {us_date(timezone.localdate(step.occurred_at))}"
    if step.scheduled_for:
        words += f", assessment on {us_date(step.scheduled_for)}"
    if step.note:
        words += f" ({step.note})"
    if step.status in NEEDS_NEXT_ACTION:
        words += ". Refer elsewhere or close the follow-up."
    return words


def _notify_referrer(referral: Referral, record: ProtectedRecord, text: str, *, dedupe_key: str) -> None:
    """Tell the staff member who sent the referral, and nobody else, in the app and by email: only when she may
    see the program's record itself (the policy point decides), so a notice never tells more than she may read."""
    referrer = referral.recorded_by
    if referrer is None or not referrer.is_active or referrer.agency_id != referral.referring_agency_id:
        return
    notify_those_who_may_see(
        record,
        [referrer],
        lambda user: user.default_purpose,
        NotificationKind.REFERRAL_STEP,
        text[:300],
        link=reverse("referrals:detail", args=[referral.pk]),
        dedupe_key=dedupe_key,
    )


def notify_discharge(summary: DischargeSummary) -> None:
    """A discharge from the episode a referral's admission opened tells that referral's referrer, as far as she
    may see the discharge summary (sud.discharge): when and why the program discharged her client."""
    episode = summary.episode
    admitted = ReferralStep.unrestricted.filter(
        status=ReferralStatus.ADMITTED, occurred_at__date__lte=episode.admission_date
    ).values("referral_id")
    referral = (
        Referral.unrestricted.filter(
            pk__in=admitted,
            owner_agency=episode.owner_agency_id,
            subject=episode.subject_id,
            referral_date__lte=episode.admission_date,
        )
        .select_related("recorded_by", "owner_agency", "subject")
        .order_by("-referral_date", "-pk")
        .first()
    )
    if referral is None:
        return
    text = (
        f"{referral.subject} was discharged from {referral.owner_agency.name} on {us_date(summary.discharged_on)}: "
        f"{summary.get_reason_display().lower()}."
    )
    _notify_referrer(referral, summary, text, dedupe_key=f"referral-discharge:{summary.pk}")


@transaction.atomic
def close_follow_up(user: User, referral: Referral, *, note: str, purpose: str | None = None) -> Referral:
    """The referrer closes the follow-up of a referral the program declined or the client did not engage with,
    without referring elsewhere: who closed it, when and why are kept on the referral and in the audit log."""
    if not user.agency_id or user.agency_id != referral.referring_agency_id or not user.works_cases:
        raise PermissionDenied("Only the referring agency's staff close the follow-up of its referral.")
    if referral.follow_up_closed_at is not None:
        raise ValidationError("The follow-up of this referral is closed already.")
    if Referral.unrestricted.filter(follows=referral).exists():
        raise ValidationError("This referral was followed by a referral elsewhere: its follow-up is closed.")
    _check_awaits_next_action(user, referral, purpose)
    if not note.strip():
        raise ValidationError({"note": "Say why no other referral is needed (for example, treated elsewhere)."})
    referral.follow_up_closed_at = timezone.now()
    referral.follow_up_closed_by = user
    referral.follow_up_note = note.strip()
    referral.save(update_fields=["follow_up_closed_at", "follow_up_closed_by", "follow_up_note", "updated_at"])
    record_event("close_referral_follow_up", referral, details={"note": referral.follow_up_note})
    return referral


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
    if (
        peer is not None
        and not active_staff_in_role(referral.owner_agency_id, Role.PEER_RECOVERY_SPECIALIST)
        .filter(pk=peer.pk)
        .exists()
    ):
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
