"""The demo's relationships and the people to try the duplicate check and search on.

Every demo family gets its relationships (each parent is the mother or father of each child; children are
siblings). The Porter family, on Maria Alvarez's caseload, has a William Porter born March 4, 1987: adding
"Bill Porter, born April 3, 1987" to another family finds him by nickname and by the swapped day and month.
Robert Quinn is known only to New Dawn, a Part 2 program: child welfare's duplicate check and search show
nobody for him, exactly as for a name nobody has.
"""

from datetime import date, timedelta
from itertools import combinations

from familybridge.agencies.models import Agency
from familybridge.demo.families import DemoContext
from familybridge.people import services as people_services
from familybridge.people.models import (
    Family,
    FamilyMember,
    LocalIdentifier,
    MemberRole,
    Person,
    Relationship,
    RelationshipKind,
    Sex,
)

PORTER_CASE_NUMBER = "CW-2025-09001"
QUINN_CLIENT_NUMBER = "ND-900001"


def load_people(ctx: DemoContext, new_dawn: Agency) -> None:
    _load_porter_family(ctx)
    _load_program_only_client(new_dawn)
    for family in Family.objects.filter(owner_agency=ctx.cw):
        _load_relationships(family)


def _load_porter_family(ctx: DemoContext) -> None:
    if Family.objects.filter(owner_agency=ctx.cw, case_number=PORTER_CASE_NUMBER).exists():
        return
    opened = ctx.today - timedelta(days=40)
    family = Family.objects.create(
        name="Porter family", owner_agency=ctx.cw, case_number=PORTER_CASE_NUMBER, opened_on=opened
    )
    people = [
        ("William", date(1987, 3, 4), Sex.MALE, MemberRole.PARENT),
        ("Jessica", date(1990, 11, 21), Sex.FEMALE, MemberRole.PARENT),
        ("Mason", date(2018, 6, 9), Sex.MALE, MemberRole.CHILD),
    ]
    for first_name, birth_date, sex, role in people:
        person = Person.objects.create(first_name=first_name, last_name="Porter", birth_date=birth_date, sex=sex)
        FamilyMember.objects.create(owner_agency=ctx.cw, subject=person, family=family, role=role)
        LocalIdentifier.objects.create(owner_agency=ctx.cw, subject=person, identifier=f"CW{person.pk:06d}")
    people_services.assign(ctx.supervisor, staff=ctx.caseworkers[0], family=family, on=opened)


def _load_program_only_client(new_dawn: Agency) -> None:
    if LocalIdentifier.unrestricted.filter(owner_agency=new_dawn, identifier=QUINN_CLIENT_NUMBER).exists():
        return
    person = Person.objects.create(first_name="Robert", last_name="Quinn", birth_date=date(1985, 8, 12), sex=Sex.MALE)
    LocalIdentifier.objects.create(owner_agency=new_dawn, subject=person, identifier=QUINN_CLIENT_NUMBER)


PARENT_KIND = {Sex.FEMALE: RelationshipKind.MOTHER, Sex.MALE: RelationshipKind.FATHER}


def _load_relationships(family: Family) -> None:
    if Relationship.unrestricted.filter(family=family).exists():
        return
    members = list(FamilyMember.unrestricted.filter(family=family).select_related("subject"))
    parents = [m.subject for m in members if m.role == MemberRole.PARENT]
    children = [m.subject for m in members if m.role == MemberRole.CHILD]
    relationships = [
        (parent, PARENT_KIND.get(parent.sex, RelationshipKind.PARENT), child)
        for parent in parents
        for child in children
    ]
    relationships += [(one, RelationshipKind.SIBLING, other) for one, other in combinations(children, 2)]
    if len(parents) == 2:
        relationships.append((parents[0], RelationshipKind.PARTNER, parents[1]))
    for subject, kind, relative in relationships:
        Relationship.objects.create(
            owner_agency=family.owner_agency, family=family, subject=subject, kind=kind, relative=relative
        )
