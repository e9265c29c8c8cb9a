"""THE policy decision point: may this user, for this purpose, see these records?

Every read of information about a person goes through `permitted` (a queryset filter) or `read`
(the items, with a withheld marker for what the viewer may not see). Deny by default; set-based,
a constant number of queries whatever the number of records.

Legal bases, in the order DESIGN.md gives: own agency with need to know; consent; court order;
interagency agreement; medical emergency. This module answers from the bases; the bases
themselves are data in this app.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from familybridge.consent.categories import FIXED_REGIME, PART2_CATEGORIES, Category


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


def caseload_subjects(user: Any) -> QuerySet:
    """The people in the families on this user's open caseload."""
    from familybridge.people.models import FamilyMember

    return FamilyMember.objects.filter(family__assignments__staff=user, family__assignments__ended_on=None).values(
        "subject_id"
    )


def own_agency_condition(user: Any) -> Q:
    """Own agency, need to know: the caseload, or the whole agency for supervising roles."""
    if not user.is_authenticated or not user.agency_id or not user.works_cases:
        return Q(pk__in=[])
    own = Q(owner_agency_id=user.agency_id)
    if user.sees_whole_agency:
        return own
    return own & Q(subject_id__in=caseload_subjects(user))


def permitted_condition(user: Any, purpose: str, on: date | None = None) -> Q:
    """The condition a record must meet to be shown to this user for this purpose on this day."""
    return own_agency_condition(user)


def permitted(user: Any, queryset: QuerySet, purpose: str, *, on: date | None = None) -> QuerySet:
    """Only the records this user may see for this purpose: the filter every list is built on."""
    return queryset.filter(permitted_condition(user, purpose, on))


def _is_part2_expression() -> Q:
    part2_owner_categories = [c for c in Category if c not in FIXED_REGIME]
    return Q(category__in=PART2_CATEGORIES) | Q(
        owner_agency__is_part2_program=True, category__in=part2_owner_categories
    )


def read(
    user: Any, queryset: QuerySet, purpose: str, *, on: date | None = None, disclose: bool = True
) -> list[models.Model | Withheld]:
    """The records in order, each either itself or a Withheld marker; Part 2 denials leave no trace.

    One query, whatever the number of records.
    """
    annotated = queryset.annotate(
        _policy_permitted=Exists(
            queryset.model.objects.filter(pk=OuterRef("pk")).filter(permitted_condition(user, purpose, on))
        ),
        _policy_part2=models.ExpressionWrapper(_is_part2_expression(), output_field=models.BooleanField()),
        _policy_owner_name=models.F("owner_agency__name"),
    )
    items: list[models.Model | Withheld] = []
    for record in annotated:
        if record._policy_permitted:
            items.append(record)
        elif not record._policy_part2:
            items.append(
                Withheld(
                    category=record.category,
                    owner_agency=record._policy_owner_name,
                    subject_id=record.subject_id,
                    reason=denial_reason(user, record),
                )
            )
    return items


def denial_reason(user: Any, record: Any) -> str:
    if record.owner_agency_id == user.agency_id:
        return "This family is not on your caseload."
    category = Category(record.category).label
    return f"No consent, court order or agreement opens {category} from {record._policy_owner_name} to your agency."


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
