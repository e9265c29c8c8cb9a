"""Search across what the user may see: families and people, by name, birth date, case number (child welfare's),
docket number (the court's) and any agency's identifier for a person.

Every match is made through the policy point: a family is a candidate only when `families_visible_to` gives it,
a person only when `known_people` does, and a docket number or identifier matches only when the policy point
opens that record to the user. Like the duplicate check, nothing another agency's Part 2 program holds makes a
person or a family match. Docket numbers live in `cases`, so this module (not people.selectors) imports it.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from familybridge.agencies.models import User
from familybridge.cases.models import CourtCase
from familybridge.consent import policy
from familybridge.people import matching
from familybridge.people.models import Family, FamilyMember, Person
from familybridge.people.selectors import (
    families_visible_to,
    identity_records,
    known_people,
    part2_of_another_agency,
    people_with_identifier,
    with_status,
)

# Words of a name query that are compared; more say nothing a person would type.
MAX_WORDS = 5
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y")


@dataclass(frozen=True)
class Query:
    """What was typed, read as text and, when it is one, as a birth date (with day and month swapped too)."""

    text: str
    birth_dates: tuple[date, ...] = ()

    @property
    def words(self) -> list[str]:
        return [word for word in re.split(r"[\s,]+", self.text) if word][:MAX_WORDS]


def parse_query(text: str) -> Query:
    text = text.strip()
    for date_format in DATE_FORMATS:
        try:
            day = datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
        return Query(text, tuple(matching.birth_dates_to_try(day)))
    return Query(text)


def _name_matches(words: list[str]) -> Q:
    """Every word is in the first or last name, or sounds like either (a nickname of the first name counts);
    a word with digits in it is a number, not a name, and is not compared by sound."""
    condition = Q()
    for word in words:
        either = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        if any(char.isdigit() for char in word):
            condition &= either
            continue
        first_keys = matching.first_name_keys(word)
        if first_keys:
            either |= Q(first_name_key__in=first_keys)
        last_key = matching.name_key(word)
        if last_key:
            either |= Q(last_name_key=last_key)
        condition &= either
    return condition


def _dockets(user: User, purpose: str, text: str) -> QuerySet:
    """The court cases whose docket number contains the text, as far as the policy point opens them."""
    cases = CourtCase.objects.filter(docket_number__icontains=text).exclude(part2_of_another_agency(user))
    return policy.permitted(user, cases, purpose)


def _person_matches(user: User, purpose: str, query: Query) -> Q:
    """The person themselves matches: by birth date, or by name or an identifier the user may see."""
    if query.birth_dates:
        return Q(birth_date__in=query.birth_dates)
    return _name_matches(query.words) | Q(pk__in=people_with_identifier(user, purpose, query.text))


def matching_people(user: User, purpose: str, query: Query, status: str = "") -> QuerySet[Person]:
    """The people the user may know of who match, or who are the subject of a docket or a member of a family
    whose number matches; with a status, only those in an open (or closed) family the user may see."""
    condition = _person_matches(user, purpose, query)
    if not query.birth_dates:
        members = identity_records(user, purpose, FamilyMember)
        condition |= Q(pk__in=members.filter(family__case_number__icontains=query.text).values("subject_id")) | Q(
            pk__in=_dockets(user, purpose, query.text).values("subject_id")
        )
    people = known_people(user, purpose).filter(condition)
    if status:
        families = with_status(families_visible_to(user, purpose), status)
        in_families = identity_records(user, purpose, FamilyMember).filter(family__in=families.values("pk"))
        people = people.filter(pk__in=in_families.values("subject_id"))
    return people.order_by("last_name", "first_name", "birth_date", "pk")


def matching_families(user: User, purpose: str, query: Query, status: str = "") -> QuerySet[Family]:
    """The families the user may see that match by name, case number or docket number, or that have a member
    the user may know of who matches."""
    members = identity_records(user, purpose, FamilyMember)
    with_matching_member = members.filter(
        subject__in=known_people(user, purpose).filter(_person_matches(user, purpose, query)).values("pk")
    ).values("family_id")
    condition = Q(pk__in=with_matching_member)
    if not query.birth_dates:
        condition |= (
            Q(name__icontains=query.text)
            | Q(case_number__icontains=query.text)
            | Q(pk__in=_dockets(user, purpose, query.text).values("family_id"))
        )
    families = with_status(families_visible_to(user, purpose), status).filter(condition)
    return families.order_by("name", "pk")
