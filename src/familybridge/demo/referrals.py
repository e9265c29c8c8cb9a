"""The referrer's view of the demo: Maria Alvarez (the demo caseworker) follows a referral in progress that she
sent from a positive screen, and one that Harbor Treatment declined, which waits for her next action. Each
mother consented to her program telling child welfare of her enrollment, so Maria sees the program's steps and
was notified of each. Loading twice adds nothing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Purpose
from familybridge.consent import services as consent_services
from familybridge.consent.categories import Category
from familybridge.consent.models import REVOCATION_STATEMENT, ConsentKind
from familybridge.consent.validation import ConsentTerms
from familybridge.demo.families import DemoContext
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from familybridge.people.selectors import caseload_families
from familybridge.referrals import services as referral_services
from familybridge.referrals.models import Referral, ReferralStatus, ReferralStep
from familybridge.screening import services as screening_services

IN_PROGRESS_REASON = "Positive AUDIT (total 12) at the home visit; she asked for help with her drinking."
DECLINED_REASON = "Positive UNCOPE at the family team meeting; needs intensive outpatient near the bus line."
DECLINED_NOTE = "No intensive outpatient openings for six weeks; New Dawn has openings now"
# AUDIT answers with a total of 12: a positive screen (zone II), referred for a clinical assessment.
POSITIVE_AUDIT = [2, 2, 2, 2, 1, 1, 1, 1, 0, 0]


def load_referrals(ctx: DemoContext) -> None:
    caseworker = ctx.caseworkers[0]
    new_dawn, harbor = ctx.providers
    parents = _parents_never_referred(caseworker, ctx)
    if not Referral.unrestricted.filter(reason=IN_PROGRESS_REASON).exists() and parents:
        family, parent = parents.pop(0)
        _in_progress(ctx, caseworker, family, parent, new_dawn, ctx.counselors[0])
    if not Referral.unrestricted.filter(reason=DECLINED_REASON).exists() and parents:
        family, parent = parents.pop(0)
        _declined(ctx, caseworker, family, parent, harbor, ctx.counselors[1])


def _parents_never_referred(caseworker: User, ctx: DemoContext) -> list[tuple[Family, Person]]:
    """Parents in the caseworker's open families whom nobody has referred yet, one per family."""
    families = caseload_families(caseworker, ctx.today).filter(closed_on=None).order_by("pk")
    referred = Referral.unrestricted.values("subject_id")
    found: dict[int, tuple[Family, Person]] = {}
    members = (
        FamilyMember.unrestricted.filter(family__in=families, role=MemberRole.PARENT)
        .exclude(subject_id__in=referred)
        .select_related("family", "subject")
        .order_by("family_id", "pk")
    )
    for member in members:
        found.setdefault(member.family_id, (member.family, member.subject))
    return list(found.values())


def _consent_to_tell_child_welfare(ctx: DemoContext, parent: Person, program: Agency, recorder: User) -> None:
    """The mother lets her program tell child welfare of her enrollment (the referral's steps) for case planning."""
    signed_on = ctx.today - timedelta(days=6)
    consent_services.record_consent(
        ConsentTerms(
            subject=parent,
            kind=ConsentKind.PURPOSE_SPECIFIC,
            disclosers=[program],
            recipients=[ctx.cw],
            purposes=[Purpose.CASE_PLANNING],
            categories=[Category.SUD_ENROLLMENT],
            expires_on=ctx.today + timedelta(days=365),
            signer_name=str(parent),
            signed_at=timezone.make_aware(datetime.combine(signed_on, time(9, 30))),
            revocation_statement=REVOCATION_STATEMENT,
        ),
        recorded_by=recorder,
    )


def _dated(step: ReferralStep, days_ago: int) -> None:
    """A step dated the day it happened in the demo's story (the services stamp it now)."""
    when = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(11)))
    ReferralStep.unrestricted.filter(pk=step.pk).update(occurred_at=when)


def _refer(caseworker: User, days_ago: int, **values: object) -> Referral:
    referral = referral_services.create_referral(
        caseworker, referral_date=timezone.localdate() - timedelta(days=days_ago), **values
    )
    _dated(ReferralStep.unrestricted.get(referral=referral), days_ago)
    return referral


def _record_step_on(counselor: User, referral: Referral, status: str, days_ago: int, **details: object) -> None:
    """The program records a step through the service (so the referrer is notified), dated when it happened."""
    _dated(referral_services.record_step(counselor, referral, status, **details), days_ago)


def _in_progress(
    ctx: DemoContext, caseworker: User, family: Family, parent: Person, program: Agency, counselor: User
) -> None:
    """Screened six days ago, referred from the screen five days ago, taken in by the program's intake, accepted
    and the assessment scheduled."""
    screen = screening_services.administer_screen(
        caseworker,
        family=family,
        subject=parent,
        instrument_id="AUDIT",
        answers=POSITIVE_AUDIT,
        purpose=Purpose.CASE_PLANNING,
        administered_on=ctx.today - timedelta(days=6),
    )
    _consent_to_tell_child_welfare(ctx, parent, program, counselor)
    referral = _refer(
        caseworker,
        5,
        subject=parent,
        provider=program,
        reason=IN_PROGRESS_REASON,
        family=family,
        screening_result=screen,
    )
    referral_services.assign_from_intake(ctx.clinical_supervisors[program.slug], referral, counselor=counselor)
    _record_step_on(counselor, referral, ReferralStatus.ACCEPTED, 4)
    _record_step_on(
        counselor, referral, ReferralStatus.ASSESSMENT_SCHEDULED, 3, scheduled_for=ctx.today + timedelta(days=2)
    )


def _declined(
    ctx: DemoContext, caseworker: User, family: Family, parent: Person, program: Agency, counselor: User
) -> None:
    """Referred six days ago and declined three days ago: Maria's worklist asks her to refer elsewhere or close."""
    _consent_to_tell_child_welfare(ctx, parent, program, counselor)
    referral = _refer(
        caseworker,
        6,
        subject=parent,
        provider=program,
        reason=DECLINED_REASON,
        family=family,
    )
    _record_step_on(counselor, referral, ReferralStatus.DECLINED, 3, note=DECLINED_NOTE)
