from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.consent import policy
from familybridge.consent.categories import PART2_CATEGORIES
from familybridge.people import matching
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, LocalIdentifier, Person, Relationship


def caseload_families(user: Any, on: date | None = None) -> QuerySet[Family]:
    """The families the user works today (or on a day): on their caseload or docket, or where a client of theirs
    is a member through the referral that brought them."""
    on = on or timezone.localdate()
    assignments = CaseloadAssignment.objects.filter(staff=user).in_effect(on)
    return Family.objects.filter(pk__in=assignments.values("family_id"))


def families_visible_to(user: Any, purpose: str, *, search: str = "") -> QuerySet[Family]:
    """Families the user works, or whose membership the policy point opens to them, or (for those who see their
    whole agency) their agency's own families, even one just opened with no members yet."""
    members = policy.permitted(user, FamilyMember.objects.all(), purpose)
    whole_agency = user.sees_whole_agency and policy.reads_for(user, purpose)
    own_families = Q(owner_agency_id=user.agency_id) if whole_agency else Q(pk__in=[])
    families = Family.objects.filter(
        Q(pk__in=caseload_families(user).values("pk")) | Q(pk__in=members.values("family_id")) | own_families
    )
    if search:
        families = families.filter(Q(name__icontains=search) | Q(case_number__icontains=search))
    return families.order_by("name")


def assignments_of_family(family: Family) -> QuerySet[CaseloadAssignment]:
    """Who works and worked the family, newest first: its assignment history (staff names, not records)."""
    return CaseloadAssignment.objects.filter(family=family).select_related(
        "staff", "staff__agency", "client", "represents", "assigned_by", "ended_by"
    )


def family_members(user: Any, family: Family, purpose: str, on: date | None = None) -> list:
    queryset = (
        FamilyMember.objects.filter(family=family).select_related("subject").order_by("role", "subject__birth_date")
    )
    return policy.read(user, queryset, purpose, on=on)


def local_identifiers(user: Any, family: Family, purpose: str) -> list:
    queryset = LocalIdentifier.objects.filter(
        subject__in=FamilyMember.objects.filter(family=family).values("subject_id")
    ).select_related("subject", "owner_agency")
    return policy.read(user, queryset, purpose)


def visible_member_ids(user: Any, family: Family, purpose: str) -> set[int]:
    """The family's members whom the viewer may know of: by the membership record or their own agency's
    identifier for the person (a counselor knows their client even where the child welfare case is closed
    to them)."""
    members = FamilyMember.objects.filter(family=family)
    by_membership = policy.permitted(user, members, purpose).values_list("subject_id", flat=True)
    by_identifier = policy.permitted(
        user, LocalIdentifier.objects.filter(subject__in=members.values("subject_id")), purpose
    ).values_list("subject_id", flat=True)
    return set(by_membership) | set(by_identifier)


def visible_members(user: Any, family: Family, purpose: str) -> QuerySet[FamilyMember]:
    """The membership rows (person and role) of the members the viewer may know of (`visible_member_ids`)."""
    return FamilyMember.unrestricted.filter(
        family=family, subject_id__in=visible_member_ids(user, family, purpose)
    ).select_related("subject")


# Finding people: the duplicate check before a person is added, and search.


def part2_of_another_agency(user: User) -> Q:
    """Records whose Part 2 status comes from an agency other than the user's: a program's identifiers, or what
    is derived from a program's records. They never tell search or the duplicate check that someone exists,
    even where a consent would open them: a person known only to a Part 2 program looks like nobody."""
    held = (Q(owner_agency__is_part2_program=True) | Q(category__in=PART2_CATEGORIES)) & ~Q(
        owner_agency_id=user.agency_id
    )
    derived = (Q(source_owner_agency__is_part2_program=True) | Q(source_category__in=PART2_CATEGORIES)) & ~Q(
        source_owner_agency_id=user.agency_id
    )
    return held | derived


def identity_records(user: User, purpose: str, model: type[FamilyMember | LocalIdentifier]) -> QuerySet:
    """The membership or identifier records the policy point opens to the user that may show who a person is."""
    return policy.permitted(user, model.objects.exclude(part2_of_another_agency(user)), purpose)


def known_people(user: User, purpose: str) -> QuerySet[Person]:
    """The people the user may know of: those about whom the policy point opens to them, for the purpose, a
    membership in a family or an agency's identifier (their own agency's within need to know, or another
    agency's under a consent, order or agreement) — never through another agency's Part 2 records.

    Correlated EXISTS, so the database checks only the people another condition (a name key, a birth date)
    has already picked, by the (subject, owner, category) index, instead of listing a whole agency's people."""
    members = identity_records(user, purpose, FamilyMember).filter(subject_id=OuterRef("pk"))
    identifiers = identity_records(user, purpose, LocalIdentifier).filter(subject_id=OuterRef("pk"))
    return Person.objects.filter(Exists(members) | Exists(identifiers))


def people_with_identifier(user: User, purpose: str, identifier: str) -> QuerySet:
    """The ids of people whom an identifier the user may see names, whichever agency gave it, in any case
    (an index on the upper-cased number serves it)."""
    identifier = identifier.strip()
    identifiers = identity_records(user, purpose, LocalIdentifier)
    if not identifier:
        return identifiers.none().values("subject_id")
    return identifiers.filter(identifier__iexact=identifier).values("subject_id")


@dataclass(frozen=True)
class Candidate:
    """A person already recorded who may be the one being added, with what the user may see of them."""

    person: Person
    likeness: matching.Likeness
    memberships: list[FamilyMember]
    identifiers: list[LocalIdentifier]


CANDIDATES_SHOWN = 10


def likely_duplicates(user: User, purpose: str, typed: matching.Typed) -> list[Candidate]:
    """The people the user may know of who look like the one typed, most likely first (at most
    CANDIDATES_SHOWN), each with a score and the reasons.

    Candidates are found in SQL by indexed keys — the birth date (or with day and month swapped) with either
    name sounding alike, both names sounding alike (the first name or any of its nicknames), or the
    identifier — and only then scored. Everyone else, including whoever is known only to a Part 2 program,
    is left out by the same query, so such a person leaves no trace in what the page shows.
    """
    first_keys = matching.first_name_keys(typed.first_name)
    last_key = matching.name_key(typed.last_name)
    by_name = Q(first_name_key__in=first_keys) if first_keys else Q(pk__in=[])
    by_last_name = Q(last_name_key=last_key) if last_key else Q(pk__in=[])
    block = by_name & by_last_name
    dates = matching.birth_dates_to_try(typed.birth_date)
    if dates:
        block |= Q(birth_date__in=dates) & (by_name | by_last_name)
    with_identifier = set()
    if typed.identifier:
        with_identifier = {row["subject_id"] for row in people_with_identifier(user, purpose, typed.identifier)}
        block |= Q(pk__in=with_identifier)
    scored = []
    for person in known_people(user, purpose).filter(block):
        likeness = matching.likeness(
            typed, person.first_name, person.last_name, person.birth_date, same_identifier=person.pk in with_identifier
        )
        if likeness.shown:
            scored.append((person, likeness))
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].last_name, pair[0].first_name, pair[0].pk))
    scored = scored[:CANDIDATES_SHOWN]
    ids = [person.pk for person, _ in scored]
    memberships = _by_subject(
        identity_records(user, purpose, FamilyMember).filter(subject_id__in=ids).select_related("family")
    )
    identifiers = _by_subject(
        identity_records(user, purpose, LocalIdentifier).filter(subject_id__in=ids).select_related("owner_agency")
    )
    return [
        Candidate(person, likeness, memberships.get(person.pk, []), identifiers.get(person.pk, []))
        for person, likeness in scored
    ]


def _by_subject(records: QuerySet) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record.subject_id, []).append(record)
    return grouped


def memberships_of(user: User, purpose: str, people: list[Person]) -> dict[int, list[FamilyMember]]:
    """Each person's memberships in families that the policy point opens to the user (one read for the page)."""
    records = identity_records(user, purpose, FamilyMember).filter(subject__in=[p.pk for p in people])
    return _by_subject(records.select_related("family").order_by("family__name"))


def family_relationships(user: User, family: Family, purpose: str) -> list:
    """The family's relationships as the policy point shows them: each record or a Withheld marker. A
    relationship to a member the viewer may not know of is shown without naming that member."""
    records = policy.read(
        user, Relationship.objects.filter(family=family).select_related("subject", "relative"), purpose
    )
    known = visible_member_ids(user, family, purpose)
    for record in records:
        if isinstance(record, Relationship):
            record.relative_known = record.relative_id in known
    return records


def with_status(families: QuerySet[Family], status: str) -> QuerySet[Family]:
    """Open families (not closed), closed ones, or all (any other status)."""
    if status == "open":
        return families.filter(closed_on=None)
    if status == "closed":
        return families.exclude(closed_on=None)
    return families
