"""Finding 14, as a property: no combination of published figures recovers a suppressed group's answers.

Hypothesis builds rounds with small groups, skipped answers and items in shared elements. Two things
must hold for every one of them: no published overall or element figure pools a hidden group (so the
differencing overall_n x overall_mean - sum of the shown groups' n x mean is never available), and
giving the hidden respondents any other answers changes nothing the analysis publishes.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from familybridge.practice.analysis import MIN_GROUP, Response, published_analysis

SYSTEMS = ("child_welfare", "treatment", "court", "other")
ITEMS = ("A", "B", "C", "D")
SCORES = st.integers(min_value=1, max_value=5)


@st.composite
def rounds(draw: st.DrawFn) -> list[Response]:
    element_of = {item: draw(st.sampled_from([None, 1, 2])) for item in ITEMS}
    responses = []
    for system in SYSTEMS:
        for number in range(draw(st.integers(min_value=0, max_value=MIN_GROUP + 3))):
            for item in ITEMS:
                score = draw(st.none() | SCORES)
                responses.append(Response(f"{system}-{number}", system, item, score, element_of[item]))
    return responses


def hidden_cells(result: dict) -> set[tuple[str, str]]:
    return {
        (item_id, system)
        for item_id, figures in result["items"].items()
        for system, group in figures["systems"].items()
        if group.get("suppressed")
    }


@settings(max_examples=150, deadline=None)
@given(responses=rounds())
def test_no_published_total_pools_a_hidden_group(responses):
    result = published_analysis(responses)
    element_of = {row.item_id: row.element for row in responses}
    for item_id, system in hidden_cells(result):
        figures = result["items"][item_id]
        # The overall minus the shown groups would be this group's sum: there must be no overall to use.
        assert figures["mean"] is None and figures["sd"] is None
        element = element_of[item_id]
        if element is not None:
            assert result["elements"][str(element)]["systems"][system].get("suppressed")


@settings(max_examples=150, deadline=None)
@given(responses=rounds(), data=st.data())
def test_other_answers_from_the_hidden_respondents_change_nothing_published(responses, data):
    result = published_analysis(responses)
    hidden = hidden_cells(result)
    other_answers = [
        Response(row.respondent_id, row.system, row.item_id, data.draw(SCORES), row.element)
        if row.score is not None and (row.item_id, row.system) in hidden
        else row
        for row in responses
    ]
    assert published_analysis(other_answers) == result
