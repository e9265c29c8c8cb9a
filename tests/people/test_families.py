"""Opening a family, adding its members and recording relationships (people.families)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import policy
from familybridge.people import families as services
from familybridge.people import selectors
from familybridge.people.models import (
    CaseloadAssignment,
    FamilyMember,
    LocalIdentifier,
    Person,
    Relationship,
    RelationshipKind,
)
from familybridge.people.protected import ReadWithoutPolicy

PLANNING = Purpose.CASE_PLANNING


@pytest.fixture
def supervisor(agencies, make_user):
    return make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)


def test_a_caseworker_who_opens_a_family_has_it_on_their_caseload_from_that_day(agencies, make_user):
    caseworker = make_user("newhire", agencies["cw"], Role.CASEWORKER)
    opened = timezone.localdate() - timedelta(days=3)
    family = services.open_family(caseworker, name="  Morales family ", case_number="CW-77", opened_on=opened)
    assert (family.name, family.case_number, family.owner_agency) == ("Morales family", "CW-77", agencies["cw"])
    assignment = CaseloadAssignment.objects.get(family=family)
    assert (assignment.staff, assignment.assigned_on, assignment.ended_on) == (caseworker, opened, None)
    assert selectors.families_visible_to(caseworker, PLANNING).filter(pk=family.pk).exists()


def test_a_supervisor_opens_a_family_without_taking_it_on(supervisor):
    family = services.open_family(supervisor, name="Morales family", opened_on=timezone.localdate())
    assert not CaseloadAssignment.objects.filter(family=family).exists()
    assert selectors.families_visible_to(supervisor, PLANNING).filter(pk=family.pk).exists()


def test_a_case_number_is_used_once_per_agency(family, worker):
    with pytest.raises(ValidationError) as error:
        services.open_family(worker, name="Another family", case_number="CW-1", opened_on=date(2026, 1, 6))
    assert error.value.message_dict == {"case_number": ["Case number CW-1 is already used at your agency."]}


def test_opening_refuses_a_day_in_the_future_and_a_blank_name(worker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.open_family(worker, name="Morales family", opened_on=tomorrow)
    assert error.value.message_dict == {"opened_on": ["The day the case opened cannot be in the future."]}
    with pytest.raises(ValidationError) as error:
        services.open_family(worker, name="   ", opened_on=timezone.localdate())
    assert error.value.message_dict == {"name": ["Enter the family's name."]}


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.JUDGE])
def test_only_child_welfare_staff_open_families(agencies, make_user, role):
    agency = agencies["sud"] if role == Role.COUNSELOR else agencies["court"]
    with pytest.raises(PermissionDenied):
        services.open_family(make_user("other", agency, role), name="Morales family", opened_on=date(2026, 1, 6))


def test_a_new_member_is_created_with_the_agencys_number(family, worker):
    member = services.add_new_member(
        worker, family, first_name="Mateo", last_name="Rivera", birth_date=date(2021, 5, 6), sex="M", role="child",
        agency_identifier="CW-mateo",
    )
    assert member.subject.first_name_key == "MT" and member.owner_agency_id == family.owner_agency_id
    assert LocalIdentifier.unrestricted.get(subject=member.subject).identifier == "CW-mateo"


def test_a_new_member_keeps_the_agencys_numbers_unique_and_nothing_is_half_saved(family, worker):
    people = Person.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_new_member(
            worker, family, first_name="Mateo", last_name="Rivera", birth_date=None, role="child",
            agency_identifier="CW-kid",
        )
    assert error.value.messages == ["Number CW-kid is already used at your agency for another person."]
    assert Person.objects.count() == people


def test_linking_adds_the_same_person_to_a_second_family(family, worker):
    second = services.open_family(worker, name="Rivera-Lopez family", opened_on=date(2026, 2, 1))
    dad = family.people["dad"]
    member = services.link_member(worker, second, person_id=dad.pk, role="parent", purpose=PLANNING)
    assert member.subject == dad
    assert FamilyMember.unrestricted.filter(subject=dad).count() == 2
    with pytest.raises(ValidationError) as error:
        services.link_member(worker, second, person_id=dad.pk, role="parent", purpose=PLANNING)
    assert error.value.messages == ["Luis Rivera is already a member of Rivera-Lopez family."]


def test_only_staff_who_work_the_family_change_its_members(family, agencies, make_user, counselor):
    other_caseworker = make_user("other", agencies["cw"], Role.CASEWORKER)
    for user in (other_caseworker, counselor):
        with pytest.raises(PermissionDenied):
            services.add_new_member(user, family, first_name="A", last_name="B", birth_date=None, role="child")


def test_a_closed_family_keeps_its_members(family, worker):
    family.closed_on = date(2026, 3, 1)
    family.save()
    with pytest.raises(ValidationError) as error:
        services.add_new_member(worker, family, first_name="A", last_name="B", birth_date=None, role="child")
    assert error.value.messages == ["Rivera family was closed on Mar 1, 2026; its members no longer change."]


def relate(user, family, person, kind, relative):
    return services.record_relationship(
        user, family, person_id=family.people[person].pk, kind=kind, relative_id=family.people[relative].pk
    )


def test_a_relationship_reads_as_a_sentence(family, worker):
    mother = relate(worker, family, "mom", RelationshipKind.MOTHER, "kid")
    assert str(mother) == "Ana Rivera is the mother of Sofia Rivera"
    partners = relate(worker, family, "mom", RelationshipKind.PARTNER, "dad")
    assert str(partners) == "Ana Rivera and Luis Rivera are partners"


@pytest.mark.parametrize(
    "first, then, message",
    [
        (None, ("mom", "mother", "mom"), {"relative": ["Choose two different people."]}),
        (("mom", "mother", "kid"), ("mom", "mother", "kid"),
         {"__all__": ["That Ana Rivera and Sofia Rivera are related this way is already recorded."]}),
        (("mom", "partner", "dad"), ("dad", "partner", "mom"),
         {"__all__": ["That Luis Rivera and Ana Rivera are related this way is already recorded."]}),
        (("dad", "grandparent", "mom"), ("mom", "parent", "dad"),
         {"kind": ["Luis Rivera is recorded as the grandparent of Ana Rivera; a person cannot be both."]}),
        (None, ("kid", "mother", "mom"),
         {"kind": ["Sofia Rivera was born on or after Ana Rivera's birth date, so cannot be their mother. "
                   "Check the order of the two people or their birth dates."]}),
    ],
)
def test_a_relationship_is_checked_before_it_is_recorded(family, worker, first, then, message):
    if first:
        relate(worker, family, *first)
    with pytest.raises(ValidationError) as error:
        relate(worker, family, *then)
    assert error.value.message_dict == message


def test_a_relationship_is_between_members_of_the_family(family, worker):
    stranger = Person.objects.create(first_name="Pat", last_name="Stone", birth_date=date(1960, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.record_relationship(
            worker, family, person_id=stranger.pk, kind="grandparent", relative_id=family.people["kid"].pk
        )
    assert error.value.message_dict == {"person": ["Choose a member of Rivera family."]}


def test_relationships_are_read_through_the_policy_point(family, worker, counselor):
    relate(worker, family, "mom", RelationshipKind.MOTHER, "kid")
    with pytest.raises(ReadWithoutPolicy):
        list(Relationship.objects.all())
    [seen] = selectors.family_relationships(worker, family, PLANNING)
    assert seen.relative_known and seen.policy_basis.kind == policy.OWN_AGENCY
    # Child welfare's case is closed to the program without a consent: a withheld marker, with the reason.
    [withheld] = selectors.family_relationships(counselor, family, Purpose.TREATMENT)
    assert isinstance(withheld, policy.Withheld) and withheld.category == "cw.case"
