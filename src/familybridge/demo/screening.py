"""Demo screens and clinical assessments: parents screened by their caseworker at intake and again
later, with varied results (negative, positive, flags, an observed impairment), and assessments by
the treatment programs' counselors for the parents in their care."""

import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied

from familybridge.agencies.roles import Purpose
from familybridge.demo.families import DemoContext
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, MemberRole
from familybridge.screening import services
from familybridge.screening.models import ClinicalAssessment, ScreeningResult

SEED = 20260404

# (instrument, canonical answers) pairs, from clearly negative to clearly positive.
INTAKE_SCREENS = [
    ("UNCOPE", [0, 0, 0, 0, 0, 0]),
    ("UNCOPE", [1, 0, 1, 0, 0, 1]),
    ("UNCOPE", [1, 1, 1, 1, 1, 1]),
    ("CAGE-AID", [0, 0, 0, 0]),
    ("CAGE-AID", [1, 1, 1, 0]),
    ("TAPS-1", [3, 0, 2, 0]),
    ("AUDIT-C", [3, 2, 2]),
    ("AUDIT", [3, 2, 3, 2, 1, 1, 2, 1, 0, 2]),
    ("DAST-10", [1, 1, 0, 1, 1, 1, 0, 0, 1, 0]),
]
FOLLOW_UP_SCREENS = [
    ("PHQ-9", [1, 1, 0, 1, 0, 0, 0, 0, 0]),
    ("PHQ-9", [2, 2, 2, 1, 1, 2, 1, 1, 1]),
    ("GAD-7", [2, 2, 1, 2, 1, 1, 1]),
    ("GAD-7", [0, 1, 0, 1, 0, 0, 0]),
    ("PC-PTSD-5", [1, 1, 1, 0, 1, 0]),
    ("PC-PTSD-5", [0, None, None, None, None, None]),
    ("AUDIT", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
]
ASSESSMENTS = [
    ("F11.20 Opioid use disorder, moderate", "otp", "Medication for opioid use disorder with weekly counseling."),
    ("F10.20 Alcohol use disorder, moderate", "2.1", "Intensive outpatient, three evenings a week; parenting group."),
    ("F15.20 Stimulant use disorder, severe", "3.5", "Residential treatment with the children at the family program."),
    ("F12.10 Cannabis use disorder, mild", "1", "Outpatient counseling every other week."),
]


def load_screening(ctx: DemoContext) -> int:
    """Screens for the demo families that have none yet; returns how many families were screened."""
    rng = random.Random(SEED)
    screened = 0
    families = Family.objects.filter(owner_agency=ctx.cw).prefetch_related("assignments__staff").order_by("pk")
    already = set(ScreeningResult.unrestricted.values_list("family_id", flat=True))
    for family in families:
        choice = random.Random(rng.random())
        if family.pk in already:
            continue
        caseworker = next((a.staff for a in family.assignments.all() if a.staff in ctx.caseworkers), None)
        if caseworker is None:
            continue
        if family.closed_on:
            # The family's caseload ended when its case closed; its supervisor enters the screens of the time.
            caseworker = ctx.supervisor
        parents = [m.subject for m in FamilyMember.unrestricted.filter(family=family, role=MemberRole.PARENT)]
        for parent in parents:
            _screen_over_time(choice, ctx, family, parent, caseworker)
        _assess(choice, ctx, family, parents)
        screened += 1
    return screened


def _screen_over_time(choice: random.Random, ctx: DemoContext, family: Family, parent, caseworker) -> None:
    day = family.opened_on + timedelta(days=choice.randint(0, 6))
    instrument, answers = choice.choice(INTAKE_SCREENS)
    observed = services.Observations(impaired_functioning=True, note="Slurred speech; unsteady at the door.")
    services.administer_screen(
        caseworker,
        family=family,
        subject=parent,
        instrument_id=instrument,
        answers=answers,
        purpose=Purpose.CASE_PLANNING,
        administered_on=day,
        observations=observed if choice.random() < 0.08 else services.Observations(),
    )
    for _ in range(choice.choice([0, 1, 2, 2])):
        day += timedelta(days=choice.randint(45, 120))
        if day > ctx.today:
            return
        instrument, answers = choice.choice(FOLLOW_UP_SCREENS)
        services.administer_screen(
            caseworker,
            family=family,
            subject=parent,
            instrument_id=instrument,
            answers=answers,
            purpose=Purpose.CASE_PLANNING,
            administered_on=day,
        )


def _assess(choice: random.Random, ctx: DemoContext, family: Family, parents: list) -> None:
    for index, provider in enumerate(ctx.providers):
        counselor = ctx.counselors[index]
        clients = LocalIdentifier.unrestricted.filter(owner_agency=provider, subject__in=parents)
        for identifier in clients.select_related("subject"):
            if ClinicalAssessment.unrestricted.filter(family=family, subject=identifier.subject).exists():
                continue
            diagnosis, level, recommendations = choice.choice(ASSESSMENTS)
            try:
                services.record_assessment(
                    counselor,
                    family=family,
                    subject=identifier.subject,
                    purpose=Purpose.TREATMENT,
                    assessed_on=min(family.opened_on + timedelta(days=choice.randint(8, 30)), ctx.today),
                    diagnosis=diagnosis,
                    asam_level=level,
                    recommendations=recommendations,
                )
            except PermissionDenied:
                continue
