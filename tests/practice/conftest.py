"""A partnership with a coordinator and a closed values-inventory round, built through the services."""

import pytest

from familybridge.agencies.models import Partnership
from familybridge.agencies.roles import Role
from familybridge.practice import services
from familybridge.practice.models import Answering, Instrument

# Per system, each respondent's score on V01 and V02 (V01: the systems disagree; V02: they agree).
ROUND_SCORES = {
    "child_welfare": [(5, 3), (5, 3), (4, 3), (4, 3), (5, 3)],
    "treatment": [(2, 3), (2, 3), (3, 3), (1, 3), (2, 3)],
    "court": [(3, 4), (4, 4)],
}


@pytest.fixture
def partnership(agencies) -> Partnership:
    return Partnership.objects.get(slug="test")


@pytest.fixture
def coordinator(agencies, make_user):
    return make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)


@pytest.fixture
def values_inventory(db) -> Instrument:
    services.ensure_builtins()
    return Instrument.objects.get(code="values-inventory")


def answer_round(assessment_round, scores=ROUND_SCORES) -> None:
    """Each respondent answers once; in a round answered by codes, with a code of its own."""
    respondents = sum(len(answers) for answers in scores.values())
    codes = iter([""] * respondents)
    if assessment_round.uses_codes:
        batch = services.issue_codes(assessment_round.opened_by, assessment_round, respondents)
        codes = iter(assessment_round.codes.filter(batch=batch).values_list("code", flat=True))
    for system, answers in scores.items():
        for v01, v02 in answers:
            services.submit_anonymous_answers(
                assessment_round, system=system, role="frontline", scores={"V01": v01, "V02": v02}, code=next(codes)
            )


@pytest.fixture
def open_round(partnership, coordinator, values_inventory):
    return services.open_round(coordinator, partnership, values_inventory, "Values inventory, spring")


@pytest.fixture
def open_link_round(partnership, coordinator, values_inventory):
    return services.open_round(
        coordinator, partnership, values_inventory, "Values inventory, open link", answering=Answering.LINK
    )


@pytest.fixture
def closed_round(open_round, coordinator):
    answer_round(open_round)
    services.close_round(coordinator, open_round)
    open_round.refresh_from_db()
    return open_round
