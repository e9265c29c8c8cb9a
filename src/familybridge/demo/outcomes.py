"""Joint outcomes for the demo: a modest synthetic extract of the demo agencies' systems, and targets.

The extract is written from a fixed seed and imported through the same path as any agency extract,
so the dashboard shows meaningful figures; the partnership's coordinator sets its targets.
"""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from familybridge.agencies.models import Partnership, User
from familybridge.outcomes.importing import import_extract
from familybridge.outcomes.services import set_targets
from familybridge.outcomes.synth import write_synthetic_extract
from familybridge.people.models import LocalIdentifier

SEED = 20261125
FAMILY_COUNT = 300
FIRST_PERSON = "C00000001"  # the synthetic extract's first child welfare person
TARGETS = {
    "P1": Decimal("40.0"),
    "P2": Decimal("45.0"),
    "P3": Decimal("35.0"),
    "P4": Decimal("8.0"),
    "P5": Decimal("4.12"),
    "P6": Decimal("9.07"),
    "P7": Decimal("9.1"),
    "T1": Decimal("70.0"),
    "T2": Decimal("50.0"),
    "T3": Decimal("50.0"),
    "J1": Decimal("30.0"),
    "J2": Decimal("45.0"),
    "J3": Decimal("75.0"),
}


def load_outcomes(partnership: Partnership, coordinator: User) -> bool:
    """Import the demo extract unless it is there already, and set the targets; whether it imported."""
    imported = False
    if not LocalIdentifier.unrestricted.filter(owner_agency__slug="cedar-dcfs", identifier=FIRST_PERSON).exists():
        with tempfile.TemporaryDirectory(prefix="familybridge-demo-extract-") as folder:
            write_synthetic_extract(Path(folder), families=FAMILY_COUNT, seed=SEED, through=timezone.localdate())
            import_extract(
                Path(folder),
                partnership_slug=partnership.slug,
                agency_slugs={"cw": "cedar-dcfs", "sud": "new-dawn", "court": "cedar-court"},
            )
        imported = True
    set_targets(coordinator, partnership, TARGETS)
    return imported
