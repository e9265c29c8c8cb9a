"""The disagreement analysis, on small examples whose figures were worked out by hand."""

import pytest

from familybridge.practice.analysis import Response, ResponsesFileError, analyze, published_analysis, read_responses


def answers(system: str, item_id: str, scores: list[int | None], *, element: int | None = None, start: int = 0):
    return [
        Response(f"{system}-{start + i}", system, item_id, score, element) for i, score in enumerate(scores, start=1)
    ]


@pytest.fixture
def round_responses() -> list[Response]:
    rows = []
    rows += answers("cw", "Q1", [5, 5, 4, 4, 5], element=1) + answers("cw", "Q2", [3] * 5, element=1)
    rows += answers("tx", "Q1", [2, 2, 3, 1, 2], element=1) + answers("tx", "Q2", [3] * 5, element=1)
    rows += answers("court", "Q1", [3, 4, 5], element=1) + answers("court", "Q2", [None] * 3, element=1)
    rows += answers("cw", "Q3", [5] * 5, element=2) + answers("tx", "Q3", [2, 3, 2, 3, 2], element=2)
    rows += answers("cw", "Q4", [5] * 5, element=2) + answers("tx", "Q4", [2, 3, 2, 3, 2], element=2)
    return rows


def test_each_systems_mean_and_spread_and_the_gap(round_responses):
    q1 = analyze(round_responses)["items"]["Q1"]
    # cw: 5,5,4,4,5 -> mean 4.6, squares of deviations 1.2 / 4 -> sd 0.5477
    assert q1["systems"]["cw"] == {"n": 5, "mean": 4.6, "sd": 0.55}
    # tx: 2,2,3,1,2 -> mean 2.0, 2 / 4 -> sd 0.7071
    assert q1["systems"]["tx"] == {"n": 5, "mean": 2.0, "sd": 0.71}
    # 13 respondents, sum 45 -> 3.4615; sum of squares 179 - 45²/13 = 23.23, / 12 -> sd 1.3914
    assert (q1["n"], q1["mean"], q1["sd"]) == (13, 3.46, 1.39)
    assert q1["gap"] == 2.6


def test_groups_under_five_are_never_broken_out(round_responses):
    result = analyze(round_responses)
    assert result["items"]["Q1"]["systems"]["court"] == {"n": 3, "suppressed": True}
    assert result["elements"]["1"]["systems"]["court"] == {"n": 3, "suppressed": True}


def test_empty_scores_are_skipped_answers(round_responses):
    q2 = analyze(round_responses)["items"]["Q2"]
    assert (q2["n"], q2["mean"], q2["sd"]) == (10, 3.0, 0.0)
    assert set(q2["systems"]) == {"cw", "tx"}
    assert q2["gap"] == 0.0


def test_element_figures_pool_every_answered_score_of_its_items(round_responses):
    elements = analyze(round_responses)["elements"]
    # cw on element 1: Q1 5,5,4,4,5 and Q2 3 x5 -> 38 / 10; tx: 10 + 15 -> 25 / 10
    assert elements["1"]["systems"]["cw"] == {"n": 5, "mean": 3.8}
    assert elements["1"]["systems"]["tx"] == {"n": 5, "mean": 2.5}
    assert elements["2"]["systems"] == {"cw": {"n": 5, "mean": 5.0}, "tx": {"n": 5, "mean": 2.4}}


def test_agenda_breaks_ties_on_gap_by_spread_then_item_id(round_responses):
    result = analyze(round_responses)
    # Q1, Q3 and Q4 all show a gap of 2.60. Q3 and Q4 (overall sd 1.42) spread more than Q1 (1.39);
    # Q3 and Q4 are identical, so the item id decides. Q2 has a gap of 0 and comes last.
    assert [result["items"][i]["gap"] for i in ("Q1", "Q3", "Q4")] == [2.6, 2.6, 2.6]
    assert result["items"]["Q3"]["sd"] == 1.42
    assert result["agenda"] == ["Q3", "Q4", "Q1", "Q2"]


def test_no_gap_without_two_unsuppressed_systems():
    rows = answers("cw", "A", [1, 2, 3, 4, 5]) + answers("court", "A", [5, 5]) + [Response("x", "tx", "B", 4)]
    result = analyze(rows)
    assert result["items"]["A"]["gap"] is None
    assert result["items"]["B"] == {
        "n": 1,
        "mean": 4.0,
        "sd": None,
        "systems": {"tx": {"n": 1, "suppressed": True}},
        "gap": None,
    }
    assert result["agenda"] == []
    assert result["elements"] == {}


def test_numbers_are_rounded_half_up_to_two_decimals():
    # 17 / 8 = 2.125 exactly: a reader rounds it to 2.13.
    rows = answers("cw", "A", [2, 2, 2, 2, 2, 2, 2, 3])
    assert analyze(rows)["items"]["A"]["mean"] == 2.13


def test_the_analysis_of_a_file_matches_the_rows_it_holds():
    text = "respondent_id,system,item_id,score,element\nr1,cw,A,4,3\nr1,cw,B,,3\nr2,court,A,1,3\n"
    assert read_responses(text) == [
        Response("r1", "cw", "A", 4, 3),
        Response("r1", "cw", "B", None, 3),
        Response("r2", "court", "A", 1, 3),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("respondent_id,system,item_id,score,agency\n", "Unknown column 'agency'"),
        ("respondent_id,system,score\n", "Missing column item_id"),
        ("respondent_id,system,item_id,score\nr1,cw,A,6\n", "line 2: score must be a whole number from 1 to 5"),
        ("respondent_id,system,item_id,score\nr1,cw,A,2.5\n", "line 2: score must be a whole number"),
        ("respondent_id,system,item_id,score\nr1,cw,A,2\nr1,cw,A,3\n", "line 3: respondent 'r1' already has a row"),
        ("respondent_id,system,item_id,score,element\nr1,cw,A,2,11\n", "element must be a whole number from 1 to 10"),
        ("respondent_id,system,item_id,score\nr1,cw,A,2\nr1,tx,B,3\n", "is given as 'tx' here"),
        ("", "The file is empty"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ResponsesFileError, match=message):
        read_responses(text)



def test_the_overall_figures_pool_every_respondent_when_no_group_is_hidden(round_responses):
    without_court = [row for row in round_responses if row.system != "court"]
    q1 = analyze(without_court)["items"]["Q1"]
    # 10 respondents, sum 33 -> 3.3; sum of squares 129 - 33²/10 = 20.1, / 9 -> sd 1.4944
    assert (q1["n"], q1["mean"], q1["sd"]) == (10, 3.3, 1.49)


def test_overall_figures_are_withheld_when_a_group_is_suppressed(round_responses):
    # Finding 14: with the court's three answers inside a published overall, 13 x overall mean minus
    # the two shown systems' sums gave the court's sum. The count stays; the mean and spread go.
    q1 = published_analysis(round_responses)["items"]["Q1"]
    assert (q1["n"], q1["mean"], q1["sd"]) == (13, None, None)
    assert q1["systems"]["court"] == {"n": 3, "suppressed": True}


def test_a_systems_element_figure_is_withheld_when_it_is_hidden_on_one_of_the_items():
    # Court: 5 answered A, 2 answered B. Court's element mean with A's shown figures would give B's sum.
    rows = answers("cw", "A", [4] * 5, element=6) + answers("cw", "B", [4] * 5, element=6)
    rows += answers("court", "A", [2, 3, 2, 3, 2], element=6) + answers("court", "B", [5, 5], element=6)
    result = published_analysis(rows)
    assert result["items"]["A"]["systems"]["court"] == {"n": 5, "mean": 2.4, "sd": 0.55}
    assert result["items"]["B"]["systems"]["court"] == {"n": 2, "suppressed": True}
    assert result["elements"]["6"]["systems"] == {"court": {"n": 5, "suppressed": True}, "cw": {"n": 5, "mean": 4.0}}


def test_the_published_agenda_and_shown_figures_match_the_exact_analysis(round_responses):
    exact, shown = analyze(round_responses), published_analysis(round_responses)
    # What is shown of each unsuppressed group, and every gap, is the command's exact figure.
    for item_id, figures in shown["items"].items():
        assert figures["gap"] == exact["items"][item_id]["gap"]
        assert figures["systems"] == exact["items"][item_id]["systems"]
    assert set(shown["agenda"]) == set(exact["agenda"])
