"""Reading a family's notes and contacts, only through the policy point.

What a viewer may not see is never placed among what they may: records withheld for a reason (another agency's
child welfare or court notes without a basis) are counted by category, agency and reason, without their dates,
order, type or writer, and a Part 2 program's notes that nothing opens leave no trace at all. Who took part in a
contact is one record per person, so a name is shown only where the policy point opens that person's part.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from familybridge.agencies.models import User
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.consent.withheld import WithheldGroup, group_withheld
from familybridge.notes.models import CaseNote, ContactLogEntry, ContactParticipant
from familybridge.people.models import Family, FamilyMember

NOTE, CONTACT = "note", "contact"


def _about_family(family: Family) -> dict[str, Any]:
    """Written on this family, about one of its members (a member whose membership was voided leaves with theirs)."""
    return {"family": family, "subject__in": FamilyMember.objects.filter(family=family).values("subject_id")}


def family_notes(family: Family) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(**_about_family(family)).select_related(
        "subject", "owner_agency", "recorded_by"
    )


def family_contacts(family: Family) -> QuerySet[ContactLogEntry]:
    """The family's contacts, each with how many people took part (names come from `with_participants`)."""
    taking_part = (
        ContactParticipant.objects.filter(contact=OuterRef("pk"), voided_at=None)
        .order_by()
        .values("contact")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        ContactLogEntry.objects.filter(**_about_family(family))
        .select_related("subject", "owner_agency", "recorded_by")
        .annotate(participant_count=Coalesce(Subquery(taking_part, output_field=IntegerField()), 0))
    )


def notes_and_contacts(user: User, family: Family, purpose: str) -> QuerySet:
    """The notes and contacts the user may see, newest first, as rows (kind, id, day, moment) to count and page
    through: one query for the count, one for a page, whatever the number of records."""
    notes = (
        policy.permitted(user, CaseNote.objects.filter(**_about_family(family)), purpose)
        .order_by()
        .annotate(entry=Value(NOTE), day=F("note_date"), moment=F("created_at"))
        .values_list("pk", "entry", "day", "moment")
    )
    contacts = (
        policy.permitted(user, ContactLogEntry.objects.filter(**_about_family(family)), purpose)
        .order_by()
        .annotate(entry=Value(CONTACT), day=TruncDate("occurred_at"), moment=F("occurred_at"))
        .values_list("pk", "entry", "day", "moment")
    )
    return notes.union(contacts, all=True).order_by("-day", "-moment", "-entry", "-pk")


def read_entries(user: User, family: Family, purpose: str, rows: list[tuple]) -> list[CaseNote | ContactLogEntry]:
    """The records of a page of `notes_and_contacts`, in its order, read through the policy point (which audits the
    read and accounts for any Part 2 record of another agency), with who took part in each contact."""
    wanted = {NOTE: [row[0] for row in rows if row[1] == NOTE], CONTACT: [row[0] for row in rows if row[1] == CONTACT]}
    notes = {n.pk: n for n in policy.permitted(user, family_notes(family).filter(pk__in=wanted[NOTE]), purpose)}
    contacts = list(policy.permitted(user, family_contacts(family).filter(pk__in=wanted[CONTACT]), purpose))
    with_participants(user, contacts, purpose)
    by_kind = {NOTE: notes, CONTACT: {c.pk: c for c in contacts}}
    return [by_kind[entry][pk] for pk, entry, *_ in rows if pk in by_kind[entry]]


def _withheld(user: User, queryset: QuerySet, purpose: str) -> list[Withheld]:
    """The markers of the records in the queryset that the user may not see but may know of (not Part 2)."""
    shown = policy.permitted(user, queryset, purpose).values("pk")
    return [item for item in policy.read(user, queryset.exclude(pk__in=shown), purpose) if isinstance(item, Withheld)]


def withheld(user: User, family: Family, purpose: str, *, contacts_only: bool = False) -> list[WithheldGroup]:
    """The family's notes and contacts (or only its contacts) that the user may not see but may know of, counted by
    category, agency and reason; a Part 2 program's that nothing opens are not counted. The same whatever a list
    is filtered by: a filter applied to them would tell their type, dates or writer."""
    markers = _withheld(user, ContactLogEntry.objects.filter(**_about_family(family)), purpose)
    if not contacts_only:
        markers += _withheld(user, CaseNote.objects.filter(**_about_family(family)), purpose)
    return group_withheld(markers)


def with_participants(user: User, contacts: list[ContactLogEntry], purpose: str) -> None:
    """Each contact gets `participant_names` (the people the policy point opens the part of, to the user) and
    `other_participants` (how many more took part, said only of a contact that is not Part 2: a Part 2 program's
    contact shows only what is opened, so nothing hints at whom else the program knows)."""
    rows = ContactParticipant.objects.filter(contact__in=[c.pk for c in contacts]).select_related("subject")
    names: dict[int, list[str]] = {}
    for row in policy.permitted(user, rows, purpose):
        names.setdefault(row.contact_id, []).append(str(row.subject))
    for contact in contacts:
        contact.participant_names = names.get(contact.pk, [])
        others = contact.participant_count - len(contact.participant_names)
        contact.other_participants = 0 if contact.policy_part2 else others


@dataclass(frozen=True)
class ContactFilters:
    contact_type: str = ""
    since: date | None = None
    until: date | None = None
    author: User | None = None


def contact_log(user: User, family: Family, purpose: str, filters: ContactFilters) -> QuerySet[ContactLogEntry]:
    """The family's contacts the user may see, newest first, filtered: a queryset to page through (records it
    returns are read through the policy point; add names with `with_participants`)."""
    contacts = family_contacts(family)
    if filters.contact_type:
        contacts = contacts.filter(contact_type=filters.contact_type)
    if filters.since:
        contacts = contacts.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        contacts = contacts.filter(occurred_at__date__lte=filters.until)
    if filters.author:
        contacts = contacts.filter(recorded_by=filters.author)
    return policy.permitted(user, contacts, purpose).order_by("-occurred_at", "-pk")


def contact_authors(user: User, family: Family, purpose: str) -> QuerySet[User]:
    """Who wrote the family's contacts that the user may see: the contact log's "written by" choices."""
    shown = policy.permitted(user, ContactLogEntry.objects.filter(**_about_family(family)), purpose)
    return User.objects.filter(pk__in=shown.values("recorded_by_id"))
