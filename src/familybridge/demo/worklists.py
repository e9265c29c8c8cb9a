"""What makes each demo role's to-do list worth opening: a referral waiting too long for an answer, one
waiting in the intake for a counselor, a recent screen with a safety flag, an agreement waiting for the
administrators' approval. Loading twice adds nothing."""

from datetime import timedelta

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Purpose
from familybridge.consent import services as consent_services
from familybridge.consent.categories import Category
from familybridge.consent.models import Agreement
from familybridge.demo.families import DemoContext
from familybridge.people import services as people_services
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from familybridge.people.selectors import caseload_families
from familybridge.referrals import services as referral_services
from familybridge.referrals.models import Referral
from familybridge.screening import services as screening_services
from familybridge.screening.models import ScreeningResult

OVERDUE_REASON = "Positive CAGE-AID at the home visit; the father asked for help with his drinking."
NEW_REASON = "Positive UNCOPE at the family team meeting; ready to start treatment."
WAITING_AGREEMENT = "Case plan updates for family treatment court staffings"
# PHQ-9 with item 9 ("thoughts that you would be better off dead") answered "several days": a safety flag.
PHQ9_WITH_SAFETY_FLAG = [2, 2, 1, 2, 1, 2, 1, 1, 1]


def load_worklist_items(ctx: DemoContext, peer: User, coordinator: User) -> None:
    caseworker = ctx.caseworkers[0]
    families = list(caseload_families(caseworker, ctx.today).filter(closed_on=None).order_by("pk"))
    program, counselor = ctx.providers[0], ctx.counselors[0]
    supervisor = ctx.clinical_supervisors[program.slug]
    unreferred = [(family, parent) for family in families for parent in _parents_not_referred(family, program)]
    if not Referral.unrestricted.filter(reason=OVERDUE_REASON).exists() and unreferred:
        # Sent a week ago and still not answered: overdue for the counselor and the peer recovery specialist.
        family, parent = unreferred[0]
        referral = referral_services.create_referral(
            caseworker,
            subject=parent,
            provider=program,
            referral_date=ctx.today - timedelta(days=7),
            reason=OVERDUE_REASON,
            family=family,
        )
        for staff in (counselor, peer):
            people_services.assign(
                supervisor, staff=staff, client=parent, family=family, about=referral, on=referral.referral_date
            )
    if not Referral.unrestricted.filter(reason=NEW_REASON).exists() and len(unreferred) > 1:
        # Sent today: waiting in the program's intake for the clinical supervisor to assign a counselor.
        family, parent = unreferred[-1]
        referral_services.create_referral(
            caseworker, subject=parent, provider=program, referral_date=ctx.today, reason=NEW_REASON, family=family
        )
    recent = ScreeningResult.unrestricted.filter(
        instrument="PHQ-9", family__in=families, administered_on__gte=ctx.today - timedelta(days=14)
    )
    if families and not recent.exists():
        family = families[0]
        parent = FamilyMember.unrestricted.filter(family=family, role=MemberRole.PARENT).order_by("pk").first()
        screening_services.administer_screen(
            caseworker,
            family=family,
            subject=parent.subject,
            instrument_id="PHQ-9",
            answers=PHQ9_WITH_SAFETY_FLAG,
            purpose=Purpose.CASE_PLANNING,
            administered_on=ctx.today - timedelta(days=2),
        )
    if not Agreement.objects.filter(name=WAITING_AGREEMENT).exists():
        # Recorded by the partnership coordinator, who approves for no one: both administrators have it to do.
        consent_services.record_agreement(
            name=WAITING_AGREEMENT,
            parties=[ctx.cw, ctx.court],
            categories=[Category.CW_CASE_PLAN],
            purposes=[Purpose.CARE_COORDINATION],
            starts_on=ctx.today + timedelta(days=5),
            ends_on=ctx.today + timedelta(days=2 * 365),
            recorded_by=coordinator,
        )


def _parents_not_referred(family: Family, program: Agency) -> list[Person]:
    parents = FamilyMember.unrestricted.filter(family=family, role=MemberRole.PARENT).values("subject_id")
    referred = Referral.unrestricted.filter(owner_agency=program).values("subject_id")
    return list(Person.objects.filter(pk__in=parents).exclude(pk__in=referred).order_by("pk"))
