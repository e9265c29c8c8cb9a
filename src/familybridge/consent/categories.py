"""The fixed taxonomy of information categories and the legal regime of each.

See docs/reference/information-categories.md. A record keeps its category wherever it is copied,
summarized or reported.
"""

from django.db import models


class Category(models.TextChoices):
    SUD_ENROLLMENT = "sud.enrollment", "SUD enrollment"
    SUD_ATTENDANCE = "sud.attendance", "SUD attendance"
    SUD_TOXICOLOGY = "sud.toxicology", "SUD toxicology results"
    SUD_ASSESSMENT = "sud.assessment", "SUD assessment"
    SUD_TREATMENT_PLAN = "sud.treatment_plan", "SUD treatment plan"
    SUD_PROGRESS = "sud.progress", "SUD progress"
    SUD_DISCHARGE = "sud.discharge", "SUD discharge"
    SUD_COUNSELING_NOTES = "sud.counseling_notes", "SUD counseling notes"
    SCREENING_RESULT = "screening.result", "Screening result"
    CW_CASE = "cw.case", "Child welfare case"
    CW_ALLEGATION = "cw.allegation", "Child welfare reports and findings"
    CW_PLACEMENT = "cw.placement", "Child placement"
    CW_CASE_PLAN = "cw.case_plan", "Child welfare case plan"
    COURT_CASE = "court.case", "Court case"
    COURT_ORDER = "court.order", "Court order"
    HEALTH_MENTAL_HEALTH = "health.mental_health", "Mental health"
    PERSON_IDENTITY = "person.identity", "Identity"


class Regime(models.TextChoices):
    PART2 = "part2", "42 CFR Part 2"
    CW_CONFIDENTIAL = "cw_confidential", "Child welfare confidential"
    COURT_RECORD = "court_record", "Court record"
    HIPAA_PHI = "hipaa_phi", "HIPAA protected health information"


PART2_CATEGORIES = frozenset(c for c in Category if c.value.startswith("sud."))

# Counseling notes open only under a consent of their own, and never go into a report or export.
SEPARATE_CONSENT_CATEGORIES = frozenset({Category.SUD_COUNSELING_NOTES})

FIXED_REGIME = {
    **{c: Regime.PART2 for c in PART2_CATEGORIES},
    Category.CW_CASE: Regime.CW_CONFIDENTIAL,
    Category.CW_ALLEGATION: Regime.CW_CONFIDENTIAL,
    Category.CW_PLACEMENT: Regime.CW_CONFIDENTIAL,
    Category.CW_CASE_PLAN: Regime.CW_CONFIDENTIAL,
    Category.COURT_CASE: Regime.COURT_RECORD,
    Category.COURT_ORDER: Regime.COURT_RECORD,
    Category.HEALTH_MENTAL_HEALTH: Regime.HIPAA_PHI,
}

REGIME_OF_AGENCY_KIND = {
    "child_welfare": Regime.CW_CONFIDENTIAL,
    "court": Regime.COURT_RECORD,
    "health": Regime.HIPAA_PHI,
    "sud_treatment": Regime.HIPAA_PHI,
    "community": Regime.CW_CONFIDENTIAL,
}


def regime(category: str, owner_is_part2_program: bool, owner_kind: str) -> Regime:
    """The regime that governs a record: Part 2 for a Part 2 program's records and the sud.* categories,
    else fixed by category, else the owner's."""
    if is_part2(category, owner_is_part2_program):
        return Regime.PART2
    if category in FIXED_REGIME:
        return FIXED_REGIME[category]
    return REGIME_OF_AGENCY_KIND[owner_kind]


def is_part2(
    category: str, owner_is_part2_program: bool, source_category: str = "", source_owner_is_part2_program: bool = False
) -> bool:
    """Part 2 follows the information, not its label: the sud.* categories, anything a Part 2 program
    holds (a program's message filed as cw.case is still the program's record), and anything derived
    from such a record (a court's response to a test result). See docs/reference/part2-provenance.md."""
    return (
        category in PART2_CATEGORIES
        or owner_is_part2_program
        or source_category in PART2_CATEGORIES
        or source_owner_is_part2_program
    )
