"""The joint outcome indicators (docs/reference/joint-outcome-indicators.md): names, scales, directions."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class Scale(Enum):
    PERCENT = (100, Decimal("0.1"), "%")
    PER_1000_DAYS = (1000, Decimal("0.01"), " per 1,000 days")
    PER_100000_DAYS = (100000, Decimal("0.01"), " per 100,000 days")

    def __init__(self, multiplier: int, places: Decimal, unit: str) -> None:
        self.multiplier, self.places, self.unit = multiplier, places, unit

    def value(self, numerator: int, denominator: int) -> Decimal | None:
        """The rate, rounded half up as the definitions say; None when the denominator is 0."""
        if not denominator:
            return None
        exact = Decimal(numerator * self.multiplier) / Decimal(denominator)
        return exact.quantize(self.places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    area: str
    scale: Scale
    higher_is_better: bool
    record: str  # the model each cohort row is: drill-down reads it through the policy point
    numerator_label: str = "children"
    denominator_label: str = "children"


INDICATORS = (
    Indicator(
        "P1",
        "Permanency in 12 months for children entering care",
        "Child welfare",
        Scale.PERCENT,
        True,
        "cases.removalepisode",
    ),
    Indicator(
        "P2",
        "Permanency in 12 months, in care 12–23 months",
        "Child welfare",
        Scale.PERCENT,
        True,
        "cases.removalepisode",
    ),
    Indicator(
        "P3",
        "Permanency in 12 months, in care 24 months or more",
        "Child welfare",
        Scale.PERCENT,
        True,
        "cases.removalepisode",
    ),
    Indicator(
        "P4", "Re-entry to foster care in 12 months", "Child welfare", Scale.PERCENT, False, "cases.removalepisode"
    ),
    Indicator(
        "P5",
        "Placement stability (moves per 1,000 days in care)",
        "Child welfare",
        Scale.PER_1000_DAYS,
        False,
        "cases.removalepisode",
        "moves",
        "days in care",
    ),
    Indicator(
        "P6",
        "Maltreatment in care (victimizations per 100,000 days)",
        "Child welfare",
        Scale.PER_100000_DAYS,
        False,
        "cases.removalepisode",
        "victimizations",
        "days in care",
    ),
    Indicator("P7", "Recurrence of maltreatment", "Child welfare", Scale.PERCENT, False, "cases.childwelfarereport"),
    Indicator(
        "T1",
        "Timely access to treatment (admitted within 14 days of referral)",
        "Treatment",
        Scale.PERCENT,
        True,
        "referrals.referral",
        "referrals",
        "referrals",
    ),
    Indicator(
        "T2",
        "Retention in treatment (90 days)",
        "Treatment",
        Scale.PERCENT,
        True,
        "cases.treatmentepisode",
        "admissions",
        "admissions",
    ),
    Indicator(
        "T3",
        "Treatment completion",
        "Treatment",
        Scale.PERCENT,
        True,
        "cases.treatmentepisode",
        "discharges",
        "discharges",
    ),
    Indicator("J1", "Reunification in 12 months", "Joint", Scale.PERCENT, True, "cases.removalepisode"),
    Indicator(
        "J2",
        "Reunification in 12 months, by parent's treatment",
        "Joint",
        Scale.PERCENT,
        True,
        "cases.removalepisode",
    ),
    Indicator(
        "J3",
        "Parents referred to treatment who entered it (within 30 days)",
        "Joint",
        Scale.PERCENT,
        True,
        "referrals.referral",
        "parents",
        "parents",
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
CODES = tuple(BY_CODE)

# J2 reports J1's cohort in two groups.
J2_GROUPS = ("with_completed_treatment", "others")
J2_GROUP_LABELS = {"with_completed_treatment": "parent completed treatment", "others": "all other children"}
