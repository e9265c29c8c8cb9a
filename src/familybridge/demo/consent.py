"""Demo legal bases: the partnership's data-sharing agreement, mothers' consents to share treatment
progress with the court and child welfare (a few revoked or expired), one subpart E court order, one
medical-emergency access and one pending restriction request."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, TreatmentEpisode
from familybridge.consent import services
from familybridge.consent.categories import Category
from familybridge.consent.models import (
    REVOCATION_STATEMENT,
    Agreement,
    Consent,
    ConsentKind,
    CourtOrder,
    EmergencyAccess,
    ExpiryEvent,
    RestrictionRequest,
    RevocationMethod,
)
from familybridge.consent.validation import ConsentTerms
from familybridge.demo.families import DemoContext
from familybridge.people.models import FamilyMember

AGREEMENT_NAME = "Cedar County Family Recovery Partnership data-sharing agreement"
SHARED_PROGRESS = [Category.SUD_ENROLLMENT, Category.SUD_ATTENDANCE, Category.SUD_TOXICOLOGY, Category.SUD_PROGRESS]


def load_consents(ctx: DemoContext, recorders: dict[int, User]) -> int:
    """Create what is missing; returns how many consents were created."""
    _agreement(ctx)
    _court_agreement(ctx)
    created = 0
    # The episodes of the families the demo builds, on the programs' counselors' caseloads; not those the
    # demo extract imports later, so that a second load finds nothing left to consent.
    counselors = ctx.counselors.values()
    built = FamilyMember.unrestricted.filter(family__assignments__staff__in=counselors).values("subject_id")
    episodes = TreatmentEpisode.unrestricted.filter(owner_agency__in=ctx.providers, subject_id__in=built)
    episodes = episodes.select_related("subject", "owner_agency")
    for index, episode in enumerate(episodes.order_by("pk")):
        if index % 6 == 5 or Consent.objects.filter(subject=episode.subject).exists():
            continue  # some mothers have not agreed to share; the rest already have theirs
        _consent(ctx, episode, index, recorders[ctx.providers.index(episode.owner_agency)])
        created += 1
    _court_order(ctx)
    _emergency_and_restriction(ctx)
    return created


def _administrator(agency: Agency) -> User:
    return User.objects.filter(agency=agency, staff_roles__role=Role.AGENCY_ADMIN).order_by("pk").first()


def _approved_by_every_party(agreement: Agreement) -> None:
    """Each party's administrator approves what is still waiting for it, as they would on the agreement's page."""
    approved = set(agreement.approvals.values_list("agency_id", flat=True))
    for party in agreement.parties.exclude(pk__in=approved).order_by("pk"):
        services.approve_agreement(agreement, party, by=_administrator(party))


def _agreement(ctx: DemoContext) -> None:
    agreement = Agreement.objects.filter(name=AGREEMENT_NAME).first() or services.record_agreement(
        name=AGREEMENT_NAME,
        parties=[ctx.cw, *ctx.providers, ctx.court],
        categories=[Category.CW_CASE, Category.COURT_CASE, Category.PERSON_IDENTITY],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING, Purpose.TREATMENT, Purpose.CARE_COORDINATION],
        starts_on=ctx.today - timedelta(days=3 * 365),
        ends_on=ctx.today + timedelta(days=2 * 365),
        recorded_by=_administrator(ctx.cw),
    )
    _approved_by_every_party(agreement)


COURT_AGREEMENT_NAME = "Child welfare and court information-sharing agreement"


def _court_agreement(ctx: DemoContext) -> None:
    """Child welfare and the court share the case record the court needs to decide (no Part 2 category)."""
    agreement = Agreement.objects.filter(name=COURT_AGREEMENT_NAME).first() or services.record_agreement(
        name=COURT_AGREEMENT_NAME,
        parties=[ctx.cw, ctx.court],
        categories=[Category.CW_ALLEGATION, Category.CW_PLACEMENT, Category.CW_CASE_PLAN, Category.COURT_ORDER],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING, Purpose.COURT_PROCEEDING],
        starts_on=ctx.today - timedelta(days=3 * 365),
        ends_on=ctx.today + timedelta(days=2 * 365),
        recorded_by=_administrator(ctx.court),
    )
    _approved_by_every_party(agreement)


def _consent(ctx: DemoContext, episode: TreatmentEpisode, index: int, recorder: User) -> Consent:
    signed_on = episode.admission_date
    expired = index % 9 == 4
    # Most run to a date well ahead; some end at discharge instead, while the mother is still in treatment.
    expires_on = signed_on + timedelta(days=60) if expired else ctx.today + timedelta(days=90 + index * 7 % 200)
    ends_at_discharge = episode.discharge_date is None and index % 2 == 0
    terms = ConsentTerms(
        subject=episode.subject,
        kind=ConsentKind.PURPOSE_SPECIFIC,
        disclosers=[episode.owner_agency],
        recipients=[ctx.court, ctx.cw],
        purposes=[Purpose.COURT_MONITORING, Purpose.CASE_PLANNING],
        categories=SHARED_PROGRESS,
        expires_on=expires_on,
        expires_on_event=ExpiryEvent.DISCHARGED if ends_at_discharge else "",
        signer_name=str(episode.subject),
        signed_at=timezone.make_aware(datetime.combine(signed_on, time(10, 30))),
        revocation_statement=REVOCATION_STATEMENT,
    )
    consent = services.record_consent(terms, recorded_by=recorder)
    revoke_on = signed_on + timedelta(days=45)
    if index % 8 == 2 and revoke_on < ctx.today:
        # The parent told her counselor she no longer wants the court to follow her treatment.
        services.revoke_consent(
            consent,
            by=recorder,
            at=timezone.make_aware(datetime.combine(revoke_on, time(15))),
            how=RevocationMethod.IN_PERSON,
            note="Told her counselor at the end of a group session",
        )
    return consent


def _court_order(ctx: DemoContext) -> None:
    case = CourtCase.unrestricted.filter(
        owner_agency=ctx.court, is_family_treatment_court=True, family__isnull=False
    ).first()
    if case is None:
        return
    mother = FamilyMember.unrestricted.filter(family=case.family, role="parent").select_related("subject").first()
    episode = TreatmentEpisode.unrestricted.filter(subject=mother.subject).first() if mother else None
    if episode is None or CourtOrder.objects.filter(case_number=case.docket_number).exists():
        return
    services.record_court_order(
        subject=mother.subject,
        court_name=ctx.court.name,
        case_number=case.docket_number,
        judge_name=str(ctx.judge),
        issued_on=ctx.today - timedelta(days=20),
        ends_on=ctx.today + timedelta(days=160),
        disclosers=[episode.owner_agency],
        recipients=[ctx.court],
        categories=[Category.SUD_ASSESSMENT, Category.SUD_TREATMENT_PLAN],
        purposes=[Purpose.COURT_PROCEEDING],
        recorded_by=ctx.judge,
    )


def _emergency_and_restriction(ctx: DemoContext) -> None:
    """One break-glass access by the second program's counselor to a client of the first, and a pending
    restriction request at the first program: what its clinical supervisor reviews."""
    first, second = ctx.providers
    episode = TreatmentEpisode.unrestricted.filter(owner_agency=first).select_related("subject").order_by("pk").first()
    if episode is None:
        return
    if not EmergencyAccess.objects.filter(program=first).exists():
        services.open_emergency_access(
            ctx.counselors[1],
            episode.subject,
            first,
            "Seen at the walk-in clinic with chest pain after a relapse; needs current medications and history.",
            on=ctx.today - timedelta(days=3),
        )
    if not RestrictionRequest.objects.filter(program=first).exists():
        services.request_restriction(
            subject=episode.subject,
            program=first,
            request="Please do not send my toxicology results to child welfare; the court may have them.",
            recorded_by=ctx.counselors[0],
            on=ctx.today - timedelta(days=2),
        )
