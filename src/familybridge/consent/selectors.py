"""Reads about consents, disclosures and why a record is visible, each bounded by the policy point."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from familybridge.agencies.models import Agency
from familybridge.audit.services import note_read
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.consent.models import (
    Agreement,
    AgreementApproval,
    BasisKind,
    Consent,
    ConsentVerification,
    CourtOrder,
    Disclosure,
    EmergencyAccess,
    Grant,
    RestrictionRequest,
    VerificationStatus,
)
from familybridge.dates import us_date, us_time
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, MemberRole, Person, ProtectedRecord


def person_visible_to(user: Any, person_id: int, purpose: str) -> Person:
    """The person, when the policy point lets the user see that they belong to a family or are known to an agency."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person.")
    for model in (FamilyMember, LocalIdentifier):
        if policy.permitted(user, model.objects.filter(subject=person), purpose).exists():
            return person
    raise Http404("No such person.")


def _involving(agency: Agency | None) -> Q:
    """Consents that name the agency (or its kind) as discloser or recipient, or that it recorded."""
    if agency is None:
        return Q(pk__in=[])
    return (
        Q(disclosers=agency)
        | Q(recipients=agency)
        | Q(recipient_staff__agency=agency)
        | Q(discloser_class=agency.kind)
        | Q(recipient_class=agency.kind)
        | Q(recorded_at_agency=agency)
    )


def consents_of(user: Any, person: Person) -> QuerySet[Consent]:
    """The person's consents that the user's agency is party to: others would reveal Part 2 treatment elsewhere."""
    ids = Consent.objects.filter(_involving(user.agency), subject=person).values("pk")
    return Consent.objects.filter(pk__in=ids).prefetch_related(
        "disclosers", "recipients", "recipient_staff", "verifications__agency"
    )


def consents_awaiting_verification(
    user: Any, on: date | None = None, *, since: date | None = None, until: date | None = None
) -> QuerySet[Consent]:
    """Signed consents in force that name the user's agency (or its kind) as discloser and it has not answered,
    first signed first; signed from `since` to `until` when given.

    The queue shows the consent's own terms only; it opens none of the person's records to the verifier.
    """
    agency = user.agency
    if agency is None:
        return Consent.objects.none()
    on = on or timezone.localdate()
    answered = ConsentVerification.objects.filter(consent=OuterRef("pk"), agency=agency)
    waiting = (
        Consent.objects.filter(Q(disclosers=agency) | Q(discloser_class=agency.kind), signed_at__isnull=False)
        .filter(revoked_at__isnull=True, ended_by_event_on__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .exclude(Exists(answered))
    )
    if since:
        waiting = waiting.filter(signed_at__date__gte=since)
    if until:
        waiting = waiting.filter(signed_at__date__lte=until)
    ids = waiting.values("pk")
    return (
        Consent.objects.filter(pk__in=ids)
        .select_related("subject", "recorded_by", "recorded_at_agency")
        .prefetch_related("disclosers", "recipients", "recipient_staff", "verifications")
        .order_by("signed_at", "pk")
    )


@dataclass(frozen=True)
class DiscloserState:
    agency: str
    state: str


def discloser_states(consent: Consent, viewer_agency: Agency | None) -> list[DiscloserState]:
    """Per disclosing agency, whether it verified; a rejection and its reason show to that agency alone.

    To everyone else a rejected consent reads "not verified", like one not yet answered: otherwise the
    answer would tell the recorder whether the person is known to the program.
    """
    answers = {v.agency_id: v for v in consent.verifications.all()}
    named = list(consent.disclosers.all())
    states = [DiscloserState(agency.name, _state(answers.get(agency.pk), agency, viewer_agency)) for agency in named]
    if consent.discloser_class:
        named_ids = {agency.pk for agency in named}
        for answer in answers.values():
            shown = answer.status == VerificationStatus.VERIFIED or answer.agency_id == getattr(
                viewer_agency, "pk", None
            )
            if answer.agency_id not in named_ids and shown:
                states.append(DiscloserState(answer.agency.name, _state(answer, answer.agency, viewer_agency)))
        kind = consent.get_discloser_class_display().lower()
        states.append(DiscloserState(f"Any other {kind} agency", "not verified: each verifies for itself"))
    return states


def _state(answer: ConsentVerification | None, agency: Agency, viewer_agency: Agency | None) -> str:
    if answer is not None and answer.status == VerificationStatus.VERIFIED:
        return f"verified on {us_date(answer.verified_on)}"
    if answer is not None and viewer_agency is not None and agency.pk == viewer_agency.pk:
        return f"rejected by your agency on {us_date(answer.verified_on)}: {answer.reason}"
    return "not verified: opens nothing from this agency"


def disclosers_not_verified(consent: Consent) -> str:
    """The disclosing agencies (or class) that have not verified the consent, as words; empty when none."""
    verified = set(consent.verifications.filter(status=VerificationStatus.VERIFIED).values_list("agency_id", flat=True))
    waiting = [agency.name for agency in consent.disclosers.all() if agency.pk not in verified]
    if consent.discloser_class:
        waiting.append(f"any {consent.get_discloser_class_display().lower()} agency")
    return ", ".join(waiting)


@dataclass(frozen=True)
class PartyApproval:
    party: Agency
    approval: AgreementApproval | None


def party_approvals(agreement: Agreement) -> list[PartyApproval]:
    """Each party of an agreement, with its administrator's approval or None while it waits."""
    approvals = {approval.agency_id: approval for approval in agreement.approvals.all()}
    return [PartyApproval(party, approvals.get(party.pk)) for party in agreement.parties.all()]


def court_orders_of(user: Any, person: Person) -> QuerySet[CourtOrder]:
    """The person's orders that name the user's agency or that it recorded: an order names a treatment program."""
    agency = user.agency_id
    if agency is None:
        return CourtOrder.objects.none()
    ids = CourtOrder.objects.filter(
        Q(disclosers=agency) | Q(recipients=agency) | Q(recorded_at_agency=agency), subject=person
    ).values("pk")
    return CourtOrder.objects.filter(pk__in=ids).prefetch_related("disclosers", "recipients")


def basis_opens_to_agency(
    discloser: Agency,
    recipient: Agency,
    subject: Person,
    category: str,
    purposes: Iterable[str],
    on: date | None = None,
) -> bool:
    """Whether a basis in force opens the discloser's records of the subject in this category to every staff
    member of the recipient agency (with need to know) for one of the purposes: the grant lookup the policy
    point makes for a viewer, asked for an agency before it is sent anything."""
    on = on or timezone.localdate()
    return (
        Grant.objects.filter(
            discloser=discloser,
            recipient_agency=recipient,
            subject=subject,
            category=category,
            purpose__in=list(purposes),
            recipient_user__isnull=True,
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exists()
    )


def partnership_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies of the partnerships the user's agency belongs to (itself included)."""
    return Agency.objects.filter(partnerships__agencies=user.agency_id).distinct().order_by("name")


def agreements_of(user: Any, *, party: Agency | None = None) -> QuerySet[Agreement]:
    """The agreements any agency of the user's partnerships is party to (that one agency, when given), by name."""
    ids = Agreement.objects.filter(parties__in=partnership_agencies(user)).values("pk")
    agreements = Agreement.objects.filter(pk__in=ids)
    if party is not None:
        agreements = agreements.filter(parties=party)
    return agreements.prefetch_related("parties", "approvals__approved_by").order_by("name", "pk")


def emergency_programs(user: Any) -> QuerySet[Agency]:
    """The Part 2 programs of the user's partnerships other than the user's own, whose records an emergency opens."""
    return partnership_agencies(user).filter(is_part2_program=True).exclude(pk=user.agency_id)


def emergency_log(user: Any, *, since: date | None = None, until: date | None = None) -> QuerySet[EmergencyAccess]:
    """Every medical-emergency access to the records of the user's own program (opened from `since` to `until`
    when given), newest first."""
    accesses = EmergencyAccess.objects.filter(program_id=user.agency_id)
    if since:
        accesses = accesses.filter(opened_at__date__gte=since)
    if until:
        accesses = accesses.filter(opened_at__date__lte=until)
    return accesses.select_related("user__agency", "subject").order_by("-opened_at", "-pk")


def restrictions_of(user: Any, person: Person) -> QuerySet[RestrictionRequest]:
    """The person's restriction requests to the user's own program: elsewhere they would reveal treatment."""
    return RestrictionRequest.objects.filter(subject=person, program_id=user.agency_id).prefetch_related(
        "restricted_recipients"
    )


def children_visible_to(user: Any, family: Family, purpose: str) -> QuerySet[Person]:
    """The family's children whose membership the policy point shows the user: whom a report can name."""
    members = policy.permitted(user, FamilyMember.objects.filter(family=family, role=MemberRole.CHILD), purpose)
    return Person.objects.filter(pk__in=members.values("subject_id")).order_by("first_name")


def consent_visible_to(user: Any, pk: int, purpose: str) -> Consent:
    """The consent, when the user may see its subject and it involves their agency.

    One answer for a consent that does not exist and one the user may not see, so that the page reveals
    neither the consent nor whether its subject is known here.
    """
    consent = Consent.objects.filter(pk=pk).select_related("subject").first()
    try:
        if consent is not None:
            person_visible_to(user, consent.subject_id, purpose)
    except Http404:
        consent = None
    if consent is None or not consents_of(user, consent.subject).filter(pk=pk).exists():
        raise Http404("No such consent.")
    # A consent is not a protected record, so the policy point does not see this read: audit it here.
    note_read(consent._meta.label_lower, [consent.pk], purpose)
    return consent


def accounting_of(
    user: Any,
    person: Person,
    *,
    since: date | None = None,
    until: date | None = None,
    recipient: Agency | None = None,
) -> QuerySet[Disclosure]:
    """The disclosures of the person's Part 2 records made by the user's own agency (its duty under §2.25),
    newest first; from `since` to `until` and to one recipient agency when given (the PDF has them all)."""
    disclosures = Disclosure.objects.filter(subject=person, discloser_id=user.agency_id)
    if since:
        disclosures = disclosures.filter(disclosed_at__date__gte=since)
    if until:
        disclosures = disclosures.filter(disclosed_at__date__lte=until)
    if recipient is not None:
        disclosures = disclosures.filter(recipient_agency=recipient)
    return disclosures.select_related(
        "recipient_agency", "recipient_user", "discloser", "court_order", "emergency"
    ).order_by("-disclosed_at", "-pk")


def protected_model(label: str) -> type[ProtectedRecord]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("No such kind of record.") from None
    if not issubclass(model, ProtectedRecord):
        raise Http404("No such kind of record.")
    return model


@dataclass(frozen=True)
class Explanation:
    record: Any
    basis: str
    basis_kind: str
    detail: str
    others: list
    derived_from: str = ""


def explain(user: Any, label: str, pk: int, purpose: str) -> Explanation:
    """Why the user can see a record; to its owner agency, also who else can see it and why.

    A record the user cannot see is not found: the question must not reveal a Part 2 record.
    """
    model = protected_model(label)
    records = model.objects.filter(pk=pk).select_related("owner_agency", "subject", "source_owner_agency")
    items = policy.read(user, records, purpose)
    record = next((item for item in items if not isinstance(item, policy.Withheld)), None)
    if record is None:
        raise Http404("No such record.")
    basis = record.policy_basis
    if basis.kind == policy.OWN_AGENCY:
        kind, label, detail = BasisKind.OWN_AGENCY, BasisKind.OWN_AGENCY.label, _own_agency_detail(user)
    elif basis.kind == policy.ORIGINATOR:
        # Not a legal basis of its own: the agency sees what it wrote itself, within its need to know.
        kind, label = policy.ORIGINATOR, "Your agency wrote it"
        detail = f"Your agency wrote this record and sent it to {record.owner_agency.name}, which holds it now."
    else:
        grant = Grant.objects.select_related("consent", "court_order", "agreement", "emergency").get(pk=basis.grant_id)
        kind, label, detail = grant.basis, BasisKind(grant.basis).label, describe_grant(grant)
    others = who_else_can_see(record) if record.owner_agency_id == user.agency_id else []
    return Explanation(record, label, kind, detail, others, _derived_from(record))


def _derived_from(record: ProtectedRecord) -> str:
    """A derived record opens only with its source: say which record that is."""
    if record.source_owner_agency_id is None:
        return ""
    source = f"{Category(record.source_category).label} held by {record.source_owner_agency.name}"
    return f"It is derived from {source}, so it is shown only to those who may also see that record."


def _own_agency_detail(user: Any) -> str:
    if user.sees_whole_agency:
        return "Your agency holds this record, and your role sees all of your agency's families."
    return "Your agency holds this record, and you are assigned to this person (your caseload, clients or docket)."


def describe_grant(grant: Grant) -> str:
    if grant.basis == BasisKind.CONSENT:
        consent = grant.consent
        until = f" until {us_date(consent.last_effective_day)}" if consent.last_effective_day else ""
        return f"Consent {consent.pk} signed by {consent.signer_name} on {us_date(consent.signed_on)}{until}."
    if grant.basis == BasisKind.COURT_ORDER:
        order = grant.court_order
        return (
            f"Order of {order.court_name}, case {order.case_number}, judge {order.judge_name}, "
            f"until {us_date(order.ends_on)}."
        )
    if grant.basis == BasisKind.AGREEMENT:
        return f"Interagency agreement “{grant.agreement.name}”."
    access = grant.emergency
    opened = timezone.localtime(access.opened_at)
    return f"Medical emergency access opened {us_date(opened)}, {us_time(opened)}: {access.reason}"


@dataclass(frozen=True)
class OtherViewer:
    agency: str
    staff: str
    purposes: list[str]
    basis: str
    detail: str


def who_else_can_see(record: Any, on: date | None = None) -> list[OtherViewer]:
    """For the owner: the agencies a basis opens this record to today, for which purposes, and why."""
    on = on or timezone.localdate()
    grants = (
        Grant.objects.filter(
            Q(subject_id=record.subject_id) | Q(subject__isnull=True),
            discloser_id=record.owner_agency_id,
            category=record.category,
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("recipient_agency", "recipient_user", "consent", "court_order", "agreement", "emergency")
        .order_by("recipient_agency__name", "rank", "purpose")
    )
    grouped: dict[tuple, OtherViewer] = {}
    for grant in grants:
        key = (grant.recipient_agency_id, grant.recipient_user_id, grant.basis, grant.basis_id)
        if key not in grouped:
            grouped[key] = OtherViewer(
                agency=grant.recipient_agency.name,
                staff=str(grant.recipient_user) if grant.recipient_user_id else "staff with need to know",
                purposes=[],
                basis=grant.get_basis_display(),
                detail=describe_grant(grant),
            )
        grouped[key].purposes.append(grant.get_purpose_display())
    return list(grouped.values())


def disclosures_under(consent: Consent) -> int:
    """How many lines of the accounting rest on this consent: they stay there whatever happens to it."""
    return Disclosure.objects.filter(consent=consent).count()
