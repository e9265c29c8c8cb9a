"""Reads for screening: instruments in force for a partnership, and results through the policy point."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from familybridge.agencies.models import Agency, Partnership
from familybridge.consent import policy
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, MemberRole, Person
from familybridge.people.selectors import family_members
from familybridge.screening import instruments
from familybridge.screening.instruments import Instrument
from familybridge.screening.models import (
    DEFAULT_URGENT_PROTOCOL,
    ClinicalAssessment,
    CutoffSetting,
    ImportedInstrument,
    PartnershipScreeningSettings,
    ScreeningInvitation,
    ScreeningResult,
)

SCREENED_ROLES = (MemberRole.PARENT, MemberRole.CAREGIVER)


def partnership_of(agency: Agency | None) -> Partnership | None:
    """The partnership whose screening settings apply to an agency's screens (its first, by name)."""
    if agency is None:
        return None
    return agency.partnerships.order_by("name").first()


def instruments_for(partnership: Partnership | None) -> dict[str, Instrument]:
    """Instruments in force: the built-in ones, each replaced by the partnership's latest import of it."""
    available = dict(instruments.built_in())
    if partnership is not None:
        seen = set()
        for imported in ImportedInstrument.objects.filter(partnership=partnership):
            if imported.instrument not in seen:
                seen.add(imported.instrument)
                available[imported.instrument] = instruments.parse(imported.questionnaire)
    return available


def instrument_for(partnership: Partnership | None, instrument_id: str) -> Instrument | None:
    return instruments_for(partnership).get(instrument_id)


def cutoff_overrides(partnership: Partnership | None, instrument_id: str) -> dict[str, dict[str, int]]:
    """The partnership's cut-off settings for one instrument: {cut-off name: {applies_to: value}}."""
    if partnership is None:
        return {}
    overrides: dict[str, dict[str, int]] = {}
    for setting in CutoffSetting.objects.filter(partnership=partnership, instrument=instrument_id):
        overrides.setdefault(setting.name, {})[setting.applies_to] = setting.value
    return overrides


def urgent_protocol(partnership: Partnership | None) -> str:
    if partnership is None:
        return DEFAULT_URGENT_PROTOCOL
    settings = PartnershipScreeningSettings.objects.filter(partnership=partnership).first()
    return settings.urgent_protocol if settings else DEFAULT_URGENT_PROTOCOL


def screenable_people(user: Any, family: Family, purpose: str) -> list[Person]:
    """The family's parents and caregivers this user may screen or assess: those whose membership the
    policy point shows them, and their own agency's clients (a program knows its clients from its own
    records, e.g. its client number, even where the child welfare case is closed to it)."""
    visible = [
        item.subject
        for item in family_members(user, family, purpose)
        if isinstance(item, FamilyMember) and item.role in SCREENED_ROLES
    ]
    own_clients = policy.permitted(user, LocalIdentifier.objects.filter(owner_agency_id=user.agency_id), purpose)
    adults = FamilyMember.objects.filter(family=family, role__in=SCREENED_ROLES).values("subject_id")
    known = Person.objects.filter(pk__in=own_clients.values("subject_id")).filter(pk__in=adults)
    people = {person.pk: person for person in visible}
    people.update({person.pk: person for person in known if person.pk not in people})
    return sorted(people.values(), key=lambda person: (person.last_name, person.first_name))


def _family_subjects(family: Family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


@dataclass
class FamilyScreening:
    """What the family page shows of screening: results and assessments, as far as the viewer may see."""

    results: list
    assessments: list
    chart_results: list[ScreeningResult]


def family_screening(user: Any, family: Family, purpose: str) -> FamilyScreening:
    subjects = _family_subjects(family)
    results = policy.read(
        user,
        ScreeningResult.objects.filter(family=family, subject__in=subjects).select_related("subject", "owner_agency"),
        purpose,
    )
    assessments = policy.read(
        user,
        ClinicalAssessment.objects.filter(family=family, subject__in=subjects).select_related(
            "subject", "owner_agency", "assessed_by"
        ),
        purpose,
    )
    shown = [item for item in results if isinstance(item, ScreeningResult)]
    return FamilyScreening(results=results, assessments=assessments, chart_results=shown)


def result_visible_to(user: Any, pk: int, purpose: str) -> ScreeningResult | None:
    """One result, only when the policy point lets the user see it."""
    queryset = ScreeningResult.objects.select_related("subject", "family", "owner_agency", "administered_by")
    return policy.permitted(user, queryset, purpose).filter(pk=pk).first()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitation(token: str) -> ScreeningInvitation | None:
    """The invitation behind a one-time link, while unused and unexpired (no sign-in: the token is the key)."""
    return (
        ScreeningInvitation.unrestricted.select_related("subject", "family", "owner_agency", "created_by")
        .filter(token_hash=token_hash(token), used_at=None, expires_at__gt=timezone.now())
        .first()
    )
