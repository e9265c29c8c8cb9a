"""THE policy decision point: may this user, for this purpose, see these records?

Every read of information about a person goes through `permitted` (a queryset filter) or `read`
(the items, with a withheld marker for what the viewer may not see). Deny by default; set-based,
a constant number of queries whatever the number of records.

Legal bases, in the order docs/reference/legal-bases.md gives: own agency with need to know; consent; court order;
interagency agreement (non-Part-2 categories only); medical emergency. The bases are data in this
app (models.py); grants.py flattens each into `Grant` rows, so every answer here is one indexed
EXISTS subquery on that table. Across agencies a basis opens records to the recipient agency,
and within it only to the staff with need to know (caseload, or a supervising role).
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from familybridge.agencies.roles import Purpose
from familybridge.audit.services import note_read
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.consent.notices import REDISCLOSURE_NOTICE

if TYPE_CHECKING:
    from familybridge.agencies.models import User


@dataclass(frozen=True)
class Withheld:
    """Stands in for a record the viewer may not see, with the reason, so they know whom to ask."""

    category: str
    owner_agency: str
    subject_id: int
    reason: str

    @property
    def category_label(self) -> str:
        return Category(self.category).label


OWN_AGENCY = "own_agency"


@dataclass(frozen=True)
class Basis:
    """What opened a record to a viewer: own agency, or the grant of a consent, order, agreement or emergency."""

    kind: str
    grant_id: int | None = None


def caseload_subjects(user: Any, on: date) -> tuple[QuerySet, QuerySet]:
    """The people the user works on a day, by assignment, as two id subqueries: everyone in the families on
    their caseload or docket, and their own clients (a program's counselor works the parent, not the family)."""
    from familybridge.people.models import CaseloadAssignment, FamilyMember

    assignments = CaseloadAssignment.objects.filter(staff=user).in_effect(on)
    in_families = FamilyMember.objects.filter(
        family__in=assignments.filter(client=None).exclude(family=None).values("family_id")
    ).values("subject_id")
    return in_families, assignments.exclude(client=None).values("client_id")


def _subject_known(user: Any, on: date, field: str = "subject") -> Q:
    """`field` (the record's subject, or its source's) is someone the user works on the day."""
    in_families, clients = caseload_subjects(user, on)
    return Q(**{f"{field}_id__in": in_families}) | Q(**{f"{field}_id__in": clients})


def need_to_know(user: Any, on: date) -> Q:
    """Inside the viewer's agency, and for what a basis opens to it: the people they are assigned to on the day,
    or all for supervising roles."""
    if user.sees_whole_agency:
        return Q()
    return _subject_known(user, on)


def _reads_records(user: Any) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.works_cases)


def reads_for(user: Any, purpose: str) -> bool:
    """Whether the user works cases and reads for this purpose: only their roles' purposes (`PURPOSES_BY_ROLE`)."""
    return _reads_records(user) and purpose in user.allowed_purposes


# The outer record's own policy triple, or (with SOURCE) the triple of the record it is derived from.
OWN, SOURCE = "", "source_"


def matching_grants(user: Any, purpose: str, on: date, triple: str = OWN) -> QuerySet:
    """The grants (flattened consents, orders, agreements, emergencies) that open the outer record to the user,
    or with `triple=SOURCE` the record it is derived from."""
    from familybridge.consent.models import Grant

    return (
        Grant.objects.filter(
            recipient_agency_id=user.agency_id,
            purpose=purpose,
            discloser_id=OuterRef(f"{triple}owner_agency_id"),
            category=OuterRef(f"{triple}category"),
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(recipient_user__isnull=True) | Q(recipient_user_id=user.pk))
    )


def _opened_by_a_grant(grants: QuerySet, triple: str = OWN) -> Q:
    """Grants for this subject, or for every subject (agreements): two EXISTS, each an index lookup."""
    return Q(Exists(grants.filter(subject_id=OuterRef(f"{triple}subject_id")))) | Q(
        Exists(grants.filter(subject__isnull=True))
    )


def _emergency_applies(user: Any, purpose: str) -> bool:
    return purpose == Purpose.MEDICAL_EMERGENCY and user.is_medical_personnel


ORIGINATOR = "originator"


def originator_condition(user: Any, model: type | None) -> Q | None:
    """The agency that wrote a record another agency now holds (the referrer of a referral the program owns)
    sees that record: it is telling itself what it said. Models name the field in `originating_agency_field`."""
    field = getattr(model, "originating_agency_field", None)
    return Q(**{f"{field}_id": user.agency_id}) if field else None


def permitted_condition(user: Any, purpose: str, on: date | None = None, model: type | None = None) -> Q:
    """The condition a record must meet to be shown to this user for this purpose on this day.

    Own agency (or the agency that originated the record) or a legal basis for the user's agency,
    within need to know; or the user's own medical-emergency access, which needs no caseload.
    Nothing else: deny by default, and for a purpose the user's roles do not read for.
    """
    if not reads_for(user, purpose):
        return Q(pk__in=[])
    from familybridge.consent.models import BasisKind

    on = on or timezone.localdate()
    grants = matching_grants(user, purpose, on)
    own = Q(owner_agency_id=user.agency_id)
    originated = originator_condition(user, model)
    if originated is not None:
        own |= originated
    condition = need_to_know(user, on) & (own | _opened_by_a_grant(grants))
    if _emergency_applies(user, purpose):
        condition |= Exists(grants.filter(basis=BasisKind.EMERGENCY, subject_id=OuterRef("subject_id")))
    return condition & source_condition(user, purpose, on)


def source_condition(user: Any, purpose: str, on: date) -> Q:
    """A derived record is shown only to those who may also see its source: the same bases evaluated on
    the source's triple (its owner, category and subject). True for a record derived from nothing."""
    from familybridge.consent.models import BasisKind

    grants = matching_grants(user, purpose, on, SOURCE)
    source_need_to_know = Q() if user.sees_whole_agency else _subject_known(user, on, "source_subject")
    condition = Q(source_owner_agency__isnull=True) | source_need_to_know & (
        Q(source_owner_agency_id=user.agency_id) | _opened_by_a_grant(grants, SOURCE)
    )
    if _emergency_applies(user, purpose):
        condition |= Exists(grants.filter(basis=BasisKind.EMERGENCY, subject_id=OuterRef("source_subject_id")))
    return condition


def kept(queryset: QuerySet, include_voided: bool = False) -> QuerySet:
    """The records not voided as entered in error: voided records leave every read unless the caller is a
    record's history page (`include_voided=True`), which shows them struck through."""
    return queryset if include_voided else queryset.filter(voided_at=None)


def permitted(
    user: Any, queryset: QuerySet, purpose: str, *, on: date | None = None, include_voided: bool = False
) -> QuerySet:
    """Only the records this user may see for this purpose: the filter every list is built on.

    Voided records are left out; only a record's history page passes `include_voided=True`.
    The queryset is bound to the viewer and purpose: turning it into records (iterating, `get`, `first`)
    annotates each with `policy_basis` and `policy_part2`, attaches the §2.32 notice to Part 2 records
    and writes the accounting of disclosures for Part 2 records of other agencies, in one insert.
    `.exists()`, `.count()`, `.values()` for ids and use as a subquery are checks and disclose nothing.
    """
    on = on or timezone.localdate()
    filtered = kept(queryset, include_voided).filter(permitted_condition(user, purpose, on, queryset.model))
    return filtered.bound_to(PolicyRead(user, purpose, on))


def _is_part2_expression() -> Q:
    """categories.is_part2 as a condition: a sud.* category, a Part 2 program's record whatever its category,
    or a record derived from either."""
    return (
        Q(category__in=PART2_CATEGORIES)
        | Q(owner_agency__is_part2_program=True)
        | Q(source_category__in=PART2_CATEGORIES)
        | Q(source_owner_agency__is_part2_program=True)
    )


def _annotate(user: Any, queryset: QuerySet, purpose: str, on: date) -> QuerySet:
    from familybridge.consent.models import BASIS_RANK, BasisKind

    annotations: dict[str, Any] = {
        "_policy_part2": models.ExpressionWrapper(_is_part2_expression(), output_field=models.BooleanField()),
        "_policy_owner_name": models.F("owner_agency__name"),
    }
    if _reads_records(user):
        annotations["_policy_source"] = models.ExpressionWrapper(
            source_condition(user, purpose, on), output_field=models.BooleanField()
        )
        grants = matching_grants(user, purpose, on).order_by("rank", "pk").values("pk")
        for_subject = grants.filter(subject_id=OuterRef("subject_id"))
        agreement_rank = BASIS_RANK[BasisKind.AGREEMENT]
        # The first basis in the legal order: consent or order, else an agreement, else an emergency.
        first_grant = Coalesce(
            Subquery(for_subject.filter(rank__lt=agreement_rank)[:1]),
            Subquery(grants.filter(subject__isnull=True)[:1]),
            Subquery(for_subject[:1]),
            output_field=models.BigIntegerField(),
        )
        annotations["_policy_need_to_know"] = (
            models.Value(True)
            if user.sees_whole_agency
            else models.ExpressionWrapper(need_to_know(user, on), output_field=models.BooleanField())
        )
        originated = originator_condition(user, queryset.model)
        annotations["_policy_originator"] = (
            models.ExpressionWrapper(originated, output_field=models.BooleanField())
            if originated is not None
            else models.Value(False)
        )
        annotations["_policy_grant"] = models.Case(
            models.When(owner_agency_id=user.agency_id, then=models.Value(None)),
            default=first_grant,
            output_field=models.BigIntegerField(),
        )
        if _emergency_applies(user, purpose):
            emergency = matching_grants(user, purpose, on).filter(
                basis=BasisKind.EMERGENCY, subject_id=OuterRef("subject_id")
            )
            emergency = emergency.values("pk")[:1]
            annotations["_policy_emergency"] = Subquery(emergency, output_field=models.BigIntegerField())
    return queryset.annotate(**annotations)


def _basis_of(user: Any, record: Any) -> Basis | None:
    """The first basis, in the legal order, that opens an annotated record to the user; None when none does."""
    from familybridge.consent.models import BasisKind

    if not _reads_records(user) or not record._policy_source:
        return None
    if record._policy_need_to_know:
        if record.owner_agency_id == user.agency_id:
            return Basis(OWN_AGENCY)
        if record._policy_originator:
            return Basis(ORIGINATOR)
        if record._policy_grant is not None:
            return Basis("grant", record._policy_grant)
    emergency = getattr(record, "_policy_emergency", None)
    if emergency is not None:
        return Basis(BasisKind.EMERGENCY, emergency)
    return None


@dataclass(frozen=True)
class PolicyRead:
    """A read by one viewer for one purpose on one day: what `permitted` binds a queryset to."""

    viewer: "User"
    purpose: str
    on: date
    disclose: bool = True

    def annotated(self, queryset: QuerySet) -> list[models.Model]:
        """The queryset's records, each annotated with what the policy knows of it for this viewer."""
        return list(_annotate(self.viewer, queryset.unbound(), self.purpose, self.on))

    def attach(self, record: models.Model, basis: Basis) -> None:
        record.policy_basis = basis
        record.policy_part2 = record._policy_part2
        # §2.32: every Part 2 record disclosed to another agency carries the notice against redisclosure.
        disclosed = record._policy_part2 and record.owner_agency_id != self.viewer.agency_id
        record.redisclosure_notice = REDISCLOSURE_NOTICE if disclosed else ""

    def shown(self, records: list[models.Model]) -> None:
        """These records are shown to the viewer: audit the read, and account for the Part 2 ones read
        across agencies. A check (`disclose=False`) shows nothing to anyone and records neither."""
        if not self.disclose or not records:
            return
        note_read(records[0]._meta.label_lower, (r.pk for r in records), self.purpose)
        across = [r for r in records if r._policy_part2 and r.owner_agency_id != self.viewer.agency_id]
        if across:
            record_disclosures(self.viewer, across, self.purpose)

    def evaluate(self, queryset: QuerySet) -> list[models.Model]:
        records = []
        for record in self.annotated(queryset):
            basis = _basis_of(self.viewer, record)
            # The filter already required a basis; a record the annotation finds none for is not shown.
            if basis is not None:
                self.attach(record, basis)
                records.append(record)
        self.shown(records)
        return records


def read(
    user: Any,
    queryset: QuerySet,
    purpose: str,
    *,
    on: date | None = None,
    disclose: bool = True,
    include_voided: bool = False,
) -> list[models.Model | Withheld]:
    """The records in order, each either itself or a Withheld marker; Part 2 denials leave no trace.

    Each permitted record is annotated and accounted for as `permitted` does for its records. The
    caller that only checks what someone else could see, and shows it to no one, passes `disclose=False`.
    A constant number of queries, whatever the number of records.
    """
    binding = PolicyRead(user, purpose, on or timezone.localdate(), disclose)
    items: list[models.Model | Withheld] = []
    shown = []
    purpose_allowed = reads_for(user, purpose)
    for record in binding.annotated(kept(queryset, include_voided)):
        basis = _basis_of(user, record) if purpose_allowed else None
        if basis is not None:
            binding.attach(record, basis)
            items.append(record)
            shown.append(record)
        elif not record._policy_part2:
            items.append(
                Withheld(
                    category=record.category,
                    owner_agency=record._policy_owner_name,
                    subject_id=record.subject_id,
                    reason=denial_reason(user, record, purpose),
                )
            )
    binding.shown(shown)
    return items


def record_disclosures(user: Any, records: list[models.Model], purpose: str) -> None:
    """Write the accounting lines for Part 2 records read across agencies: one insert, grouped by basis.

    Only the policy point calls this, for the records a read shows (each with `policy_basis`); one
    query fetches their grants.
    """
    from familybridge.consent.models import Disclosure, Grant

    grant_ids = {r.policy_basis.grant_id for r in records if r.policy_basis.grant_id is not None}
    grants = {g.pk: g for g in Grant.objects.filter(pk__in=grant_ids)}
    groups: dict[tuple, Disclosure] = {}
    now = timezone.now()
    for record in records:
        grant = grants.get(record.policy_basis.grant_id)
        if grant is None:
            continue
        key = (record.owner_agency_id, record.subject_id, grant.basis, grant.basis_id)
        disclosure = groups.get(key)
        if disclosure is None:
            disclosure = groups[key] = Disclosure(
                disclosed_at=now,
                subject_id=record.subject_id,
                discloser_id=record.owner_agency_id,
                recipient_agency_id=user.agency_id,
                recipient_user_id=user.pk,
                purpose=purpose,
                basis=grant.basis,
                consent_id=grant.consent_id,
                court_order_id=grant.court_order_id,
                emergency_id=grant.emergency_id,
                categories=[],
                records=[],
            )
        if record.category not in disclosure.categories:
            disclosure.categories.append(record.category)
        disclosure.records.append(f"{record._meta.label_lower}:{record.pk}")
    Disclosure.objects.bulk_create(groups.values())


def denial_reason(user: Any, record: Any, purpose: str = "") -> str:
    if _reads_records(user) and purpose not in user.allowed_purposes:
        stated = Purpose(purpose).label.lower() if purpose in Purpose.values else "this purpose"
        return f"Your role does not read for {stated}."
    if not getattr(record, "_policy_source", True):
        return "It is derived from another record, which is not open to you for this purpose."
    if record.owner_agency_id == user.agency_id:
        return "This family is not on your caseload."
    category = Category(record.category).label
    if getattr(record, "_policy_grant", None) is not None:
        owner = record._policy_owner_name
        return f"{owner} shares {category} with your agency, but this family is not on your caseload."
    for_purpose = f" for {Purpose(purpose).label.lower()}" if purpose in Purpose.values else ""
    return (
        f"No consent, court order or agreement opens {category} from {record._policy_owner_name} "
        f"to your agency{for_purpose}."
    )


# De-identified aggregates (counts, rates) may be shared for evaluation without consent, with cells
# from 1 to 10 suppressed for anyone who may not see the people behind them.
AGGREGATE_ROLES = frozenset(
    {"data_analyst", "partnership_coordinator", "cw_supervisor", "clinical_supervisor", "court_coordinator", "judge"}
)
SMALL_CELL_MAX = 10


def may_see_aggregates(user: Any) -> bool:
    """Whether the user may see de-identified joint outcome figures (for evaluation)."""
    return bool(user.is_authenticated and (user.is_superuser or user.role_codes & AGGREGATE_ROLES))


def sees_exact_small_cells(user: Any) -> bool:
    """Data analysts work on exact figures; every other viewer sees counts of 1 to 10 as "<11"."""
    return bool(user.is_authenticated and "data_analyst" in user.role_codes)


def suppress_small_cell(count: int | None, user: Any) -> int | str | None:
    """A count as this viewer may see it."""
    if count is None or sees_exact_small_cells(user) or not 1 <= count <= SMALL_CELL_MAX:
        return count
    return "<11"
