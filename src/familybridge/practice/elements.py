"""The ten system linkage elements (2011 order) and the Matrix of Progress levels, in our own words."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Element:
    id: int
    name: str
    covers: str
    evidence: str


ELEMENTS = (
    Element(
        1,
        "Mission, Underlying Values, and Principles of Collaboration",
        "a shared mission and shared beliefs about addiction, recovery, parenting, child safety and timeliness",
        "oversight and steering committees meet; a signed MOU; the values inventory run and discussed, gaps closing",
    ),
    Element(
        2,
        "Screening and Assessment",
        "universal SUD screening where child welfare meets families, timely clinical assessment, screening of children",
        "share of cases screened; days from screen to assessment; assessments returned to child welfare and court",
    ),
    Element(
        3,
        "Engagement and Retention in Care",
        "timely access to treatment, engagement and retention of parents",
        "days from referral to treatment entry; share entering; length of stay; completion",
    ),
    Element(
        4,
        "Services to Children of Parents with Substance Use Disorders",
        "the needs of children of parents with SUD, from prenatal exposure onward",
        "share of children screened and connected to services; plans of safe care",
    ),
    Element(
        5,
        "Working with the Community and Supporting Families",
        "recovery community, housing, employment, family support and aftercare",
        "recovery supports in place when a case closes",
    ),
    Element(
        6,
        "Efficient Communication and Sharing Information Systems",
        "legal, ethical information sharing and linked data systems",
        "share of cases with a valid consent; timely progress reports; a linked data set exists",
    ),
    Element(
        7,
        "Budgeting and Program Sustainability",
        "a funding map, blended and braided funds and a sustainability plan",
        "a sustainability plan; share of services funded beyond grants",
    ),
    Element(
        8,
        "Training and Staff Development",
        "cross-system knowledge and a shared language",
        "share of each system's staff cross-trained",
    ),
    Element(
        9,
        "Working with Related Agencies",
        "mental health, domestic violence, TANF, housing, health, early childhood and tribes",
        "formal agreements; referral completion",
    ),
    Element(
        10,
        "Joint Accountability and Shared Outcomes",
        "outcomes every system owns, tracks and uses",
        "a shared outcome set adopted; a reporting cadence; decisions traced to data",
    ),
)
ELEMENT_BY_ID = {element.id: element for element in ELEMENTS}
ELEMENT_CHOICES = [(element.id, f"{element.id}. {element.name}") for element in ELEMENTS]


class Level(models.TextChoices):
    FUNDAMENTAL = "fundamental", "Fundamental"
    GOOD = "good", "Good"
    BEST = "best", "Best"


class Standing(models.TextChoices):
    NOT_YET = "not_yet", "Not yet fundamental"
    FUNDAMENTAL = "fundamental", "Fundamental"
    GOOD = "good", "Good"
    BEST = "best", "Best"


DEFAULT_BENCHMARKS = {
    Level.FUNDAMENTAL: "Partners acknowledge {covers} as a shared concern and have begun working on it together.",
    Level.GOOD: "Written protocols on {covers}, agreed by every partner, are in routine use by staff of each system.",
    Level.BEST: (
        "Joint work on {covers} is institutionalized and funded, driven by shared data and reviewed on a set cycle."
    ),
}


def default_benchmark(element_id: int, level: str) -> str:
    return DEFAULT_BENCHMARKS[level].format(covers=ELEMENT_BY_ID[element_id].covers)
