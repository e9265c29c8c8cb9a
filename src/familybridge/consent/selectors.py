"""Reads about consents, disclosures and why a record is visible, each bounded by the policy point."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from familybridge.agencies.models import Agency
from familybridge.audit.services import note_read
from familybridge.consent import policy
from familybridge.consent.models import (
    Agreement,
    BasisKind,
    Consent,
    CourtOrder,
    Disclosure,
    EmergencyAccess,
    Grant,
    RestrictionRequest,
)
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
    return Consent.objects.filter(pk__in=ids).prefetch_related("disclosers", "recipients", "recipient_staff")


def court_orders_of(user: Any, person: Person) -> QuerySet[CourtOrder]:
    """The person's orders that name the user's agency or that it recorded: an order names a treatment program."""
    agency = user.agency_id
    if agency is None:
        return CourtOrder.objects.none()
    ids = CourtOrder.objects.filter(
        Q(disclosers=agency) | Q(recipients=agency) | Q(recorded_at_agency=agency), subject=person
    ).values("pk")
    return CourtOrder.objects.filter(pk__in=ids).prefetch_related("disclosers", "recipients")


def partnership_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies of the partnerships the user's agency belongs to (itself included)."""
    return Agency.objects.filter(partnerships__agencies=user.agency_id).distinct().order_by("name")


def agreements_of(user: Any) -> QuerySet[Agreement]:
    """The agreements any agency of the user's partnerships is party to."""
    ids = Agreement.objects.filter(parties__in=partnership_agencies(user)).values("pk")
    return Agreement.objects.filter(pk__in=ids).prefetch_related("parties")


def emergency_programs(user: Any) -> QuerySet[Agency]:
    """The Part 2 programs of the user's partnerships other than the user's own, whose records an emergency opens."""
    return partnership_agencies(user).filter(is_part2_program=True).exclude(pk=user.agency_id)


def emergency_log(user: Any) -> QuerySet[EmergencyAccess]:
    """Every medical-emergency access to the records of the user's own program."""
    return EmergencyAccess.objects.filter(program_id=user.agency_id).select_related("user__agency", "subject")


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
    consent = Consent.objects.filter(pk=pk).select_related("subject").first()
    if consent is None:
        raise Http404("No such consent.")
    person_visible_to(user, consent.subject_id, purpose)
    if not consents_of(user, consent.subject).filter(pk=pk).exists():
        raise Http404("No such consent.")
    # A consent is not a protected record, so the policy point does not see this read: audit it here.
    note_read(consent._meta.label_lower, [consent.pk], purpose)
    return consent


def accounting_of(user: Any, person: Person) -> QuerySet[Disclosure]:
    """The disclosures of the person's Part 2 records made by the user's own agency (its duty under §2.25)."""
    return Disclosure.objects.filter(subject=person, discloser_id=user.agency_id).select_related(
        "recipient_agency", "recipient_user", "discloser", "court_order", "emergency"
    )


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


def explain(user: Any, label: str, pk: int, purpose: str) -> Explanation:
    """Why the user can see a record; to its owner agency, also who else can see it and why.

    A record the user cannot see is not found: the question must not reveal a Part 2 record.
    """
    model = protected_model(label)
    items = policy.read(user, model.objects.filter(pk=pk).select_related("owner_agency", "subject"), purpose)
    record = next((item for item in items if not isinstance(item, policy.Withheld)), None)
    if record is None:
        raise Http404("No such record.")
    basis = record.policy_basis
    if basis.kind == policy.OWN_AGENCY:
        kind, detail = BasisKind.OWN_AGENCY, _own_agency_detail(user)
    else:
        grant = Grant.objects.select_related("consent", "court_order", "agreement", "emergency").get(pk=basis.grant_id)
        kind, detail = grant.basis, describe_grant(grant)
    others = who_else_can_see(record) if record.owner_agency_id == user.agency_id else []
    return Explanation(record, BasisKind(kind).label, kind, detail, others)


def _own_agency_detail(user: Any) -> str:
    if user.sees_whole_agency:
        return "Your agency holds this record, and your role sees all of your agency's families."
    return "Your agency holds this record, and this family is on your caseload."


def describe_grant(grant: Grant) -> str:
    if grant.basis == BasisKind.CONSENT:
        consent = grant.consent
        until = f" until {consent.last_effective_day:%d %b %Y}" if consent.last_effective_day else ""
        return f"Consent {consent.pk} signed by {consent.signer_name} on {consent.signed_on:%d %b %Y}{until}."
    if grant.basis == BasisKind.COURT_ORDER:
        order = grant.court_order
        return (
            f"Order of {order.court_name}, case {order.case_number}, judge {order.judge_name}, "
            f"until {order.ends_on:%d %b %Y}."
        )
    if grant.basis == BasisKind.AGREEMENT:
        return f"Interagency agreement “{grant.agreement.name}”."
    access = grant.emergency
    return f"Medical emergency access opened {access.opened_at:%d %b %Y %H:%M}: {access.reason}"


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
