"""Every instrument's scoring, derived from the published rules in docs/reference/screening-instruments.md."""

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from hypothesis import given
from hypothesis import strategies as st

from familybridge.screening.instruments import built_in, find_built_in
from familybridge.screening.scoring import AnswerError, score

BUILT_IN = [
    "UNCOPE",
    "CAGE-AID",
    "AUDIT",
    "AUDIT-C",
    "DAST-10",
    "CRAFFT-2.1",
    "TWEAK",
    "T-ACE",
    "TAPS-1",
    "PHQ-9",
    "PHQ-2",
    "GAD-7",
    "EPDS",
    "PC-PTSD-5",
]


def run(instrument_id, answers, **kwargs):
    return score(find_built_in(instrument_id), answers, **kwargs)


def test_all_fourteen_instruments_are_built_in_and_valid_fhir():
    assert sorted(built_in()) == sorted(BUILT_IN)
    for instrument in built_in().values():
        Questionnaire.model_validate(instrument.resource)
        assert instrument.citation and instrument.copyright and instrument.publisher


@pytest.mark.parametrize("instrument_id", ["DAST-10", "CRAFFT-2.1", "EPDS"])
def test_licensed_instruments_ship_item_numbers_and_neutral_labels_only(instrument_id):
    instrument = find_built_in(instrument_id)
    assert not instrument.item_text_included
    assert all("?" not in item.text for item in instrument.items)
    assert all(len(item.text) < 70 for item in instrument.items)


def test_loinc_codes_where_they_exist():
    codes = {i.id: ([c for c, _ in i.codes], i.total_loinc) for i in built_in().values()}
    assert codes["AUDIT"] == ([], "75624-7")
    assert codes["AUDIT-C"] == (["72109-2"], "75626-2")
    assert codes["DAST-10"][0] == ["82666-9"]
    assert codes["PHQ-9"] == (["44249-1"], "44261-6")
    assert codes["PHQ-2"][0] == ["55757-9"]
    assert codes["GAD-7"][1] == "70274-6"
    assert codes["EPDS"][0] == ["71354-5"]


# UNCOPE and CAGE-AID: one point per yes.
@pytest.mark.parametrize(("yeses", "positive"), [(0, False), (1, False), (2, True), (6, True)])
def test_uncope_positive_at_two(yeses, positive):
    result = run("UNCOPE", [1] * yeses + [0] * (6 - yeses))
    assert (result.total, result.positive, result.band, result.flags) == (yeses, positive, None, [])


@pytest.mark.parametrize(("yeses", "positive"), [(0, False), (1, True), (4, True)])
def test_cage_aid_positive_at_one(yeses, positive):
    result = run("CAGE-AID", [1] * yeses + [0] * (4 - yeses))
    assert (result.total, result.positive) == (yeses, positive)


# AUDIT: items 1-8 score 0-4 by option; items 9-10 score 0/2/4; zones I-IV.
@pytest.mark.parametrize(
    ("total", "zone", "positive"),
    [
        (0, "I", False),
        (7, "I", False),
        (8, "II", True),
        (15, "II", True),
        (16, "III", True),
        (19, "III", True),
        (20, "IV", True),
        (32, "IV", True),
    ],
)
def test_audit_zones_and_cutoff(total, zone, positive):
    answers = [0] * 10
    remaining = total
    for index in range(8):
        answers[index] = min(4, remaining)
        remaining -= answers[index]
    result = run("AUDIT", answers)
    assert (result.total, result.band, result.positive) == (total, zone, positive)


def test_audit_items_nine_and_ten_score_zero_two_four_and_escalate_on_four():
    assert run("AUDIT", [0] * 8 + [1, 0]).total == 2
    assert run("AUDIT", [0] * 8 + [1, 1]).flags == []
    result = run("AUDIT", [0] * 8 + [0, 2])
    assert (result.total, result.positive, result.flags) == (4, False, ["escalate"])
    assert run("AUDIT", [0] * 8 + [2, 2]).total == 8


def test_audit_cutoff_is_seven_for_women_and_adults_over_65():
    seven = [4, 3] + [0] * 8
    assert not run("AUDIT", seven).positive
    assert not run("AUDIT", seven, sex="male").positive
    assert run("AUDIT", seven, sex="female").positive
    assert run("AUDIT", seven, sex="male", age=66).positive
    assert not run("AUDIT", seven, sex="male", age=65).positive


def test_audit_c_cutoff_depends_on_sex():
    three, four = [1, 1, 1], [2, 1, 1]
    assert run("AUDIT-C", three, sex="female").positive
    assert not run("AUDIT-C", three, sex="male").positive
    assert run("AUDIT-C", four, sex="male").positive
    assert run("AUDIT-C", [4, 4, 4], sex="male").total == 12
    assert not run("AUDIT-C", [1, 1, 0], sex="female").positive


# DAST-10: one per yes, except item 3 where NO scores 1.
def test_dast_item_three_is_reverse_keyed():
    assert run("DAST-10", [0] * 10).total == 1
    assert run("DAST-10", [0, 0, 1] + [0] * 7).total == 0
    assert run("DAST-10", [1] * 10).total == 9
    assert run("DAST-10", [1, 1, 0] + [1] * 7).total == 10


@pytest.mark.parametrize(
    ("total", "band", "positive"),
    [
        (0, "none", False),
        (1, "low", False),
        (2, "low", False),
        (3, "moderate", True),
        (5, "moderate", True),
        (6, "substantial", True),
        (8, "substantial", True),
        (9, "severe", True),
        (10, "severe", True),
    ],
)
def test_dast_bands(total, band, positive):
    # Item 3 answered "no" scores the first point; the other yeses make up the rest.
    others = [1] * (total - 1) + [0] * (10 - total) if total else [0] * 9
    answers = others[:2] + [0 if total else 1] + others[2:]
    result = run("DAST-10", answers)
    assert (result.total, result.band, result.positive) == (total, band, positive)


# CRAFFT 2.1: Part A days; Part B one per yes; only CAR when Part A is all 0.
def test_crafft_only_car_is_asked_when_part_a_is_all_zero():
    result = run("CRAFFT-2.1", [0, 0, 0, 1, None, None, None, None, None])
    assert (result.total, result.positive, result.flags) == (1, False, ["car"])
    with pytest.raises(AnswerError, match="was asked"):
        run("CRAFFT-2.1", [0, 3, 0, 1, None, None, None, None, None])


def test_crafft_answers_to_items_not_asked_count_for_nothing():
    assert run("CRAFFT-2.1", [0, 0, 0, 0, 1, 1, 1, 1, 1]).total == 0


@pytest.mark.parametrize(("yeses", "positive"), [(0, False), (1, False), (2, True), (6, True)])
def test_crafft_part_b_positive_at_two(yeses, positive):
    part_b = [0] * 6
    for index in range(yeses):
        part_b[5 - index] = 1
    result = run("CRAFFT-2.1", [5, 0, 0, *part_b])
    assert (result.total, result.positive) == (yeses, positive)
    assert result.flags == (["car"] if yeses == 6 else [])


# TWEAK: tolerance 2 at >= 3 (high) or >= 6 (hold); worried 2; others 1.
@pytest.mark.parametrize(
    ("drinks", "variant", "points"), [(2, "high", 0), (3, "high", 2), (5, "hold", 0), (6, "hold", 2)]
)
def test_tweak_tolerance_by_variant(drinks, variant, points):
    result = run("TWEAK", [drinks, 0, 0, 0, 0], variant=variant)
    assert (result.total, result.positive) == (points, points >= 2)


def test_tweak_defaults_to_the_high_question_and_worried_scores_two():
    assert run("TWEAK", [3, 0, 0, 0, 0]).total == 2
    assert run("TWEAK", [0, 1, 0, 0, 0]).positive
    assert not run("TWEAK", [0, 0, 0, 0, 1]).positive
    assert run("TWEAK", [10, 1, 1, 1, 1]).total == 7


def test_t_ace_tolerance_and_cutoff():
    assert run("T-ACE", [2, 1, 0, 0]).total == 1
    assert not run("T-ACE", [2, 1, 0, 0]).positive
    assert run("T-ACE", [3, 0, 0, 0]).positive
    assert run("T-ACE", [3, 1, 1, 1]).total == 5


# TAPS-1: positive for each substance not "never".
def test_taps_positive_per_substance_without_a_total():
    negative = run("TAPS-1", [0, 0, 0, 0])
    assert (negative.total, negative.positive) == (None, False)
    result = run("TAPS-1", [0, 1, 0, 4])
    assert (result.total, result.band, result.positive, result.positive_items) == (
        None,
        None,
        True,
        ["alcohol", "prescription"],
    )


# PHQ-9: bands, positive at 10, safety when item 9 > 0 whatever the total.
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none-minimal"),
        (4, "none-minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total, band):
    answers = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
    answers[8] = total - sum(answers[:8])
    result = run("PHQ-9", answers)
    assert (result.total, result.band, result.positive) == (total, band, total >= 10)


def test_phq9_safety_flag_whatever_the_total():
    result = run("PHQ-9", [0] * 8 + [1])
    assert (result.total, result.positive, result.flags) == (1, False, ["safety"])
    assert run("PHQ-9", [3] * 8 + [0]).flags == []


def test_phq2_positive_at_three():
    assert not run("PHQ-2", [1, 1]).positive
    assert run("PHQ-2", [2, 1]).positive
    assert run("PHQ-2", [3, 3]).total == 6


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total, band):
    answers = [min(3, max(0, total - 3 * i)) for i in range(7)]
    result = run("GAD-7", answers)
    assert (result.total, result.band, result.positive) == (total, band, total >= 10)


# EPDS: items 1, 2, 4 index = points; 3, 5-10 points = 3 - index; safety when item 10 scores > 0.
def test_epds_reverse_keyed_items():
    least_severe_answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 3]
    assert run("EPDS", least_severe_answers).total == 0
    most_severe_answers = [3, 3, 0, 3, 0, 0, 0, 0, 0, 0]
    result = run("EPDS", most_severe_answers)
    assert (result.total, result.band, result.positive, result.flags) == (30, "probable-depression", True, ["safety"])


@pytest.mark.parametrize(
    ("total", "band"),
    [(9, "below-threshold"), (10, "possible-depression"), (12, "possible-depression"), (13, "probable-depression")],
)
def test_epds_bands(total, band):
    points = [min(3, max(0, total - 3 * i)) for i in range(10)]  # item 10 filled last: no safety flag
    answers = [p if i in (0, 1, 3) else 3 - p for i, p in enumerate(points)]
    result = run("EPDS", answers)
    assert (result.total, result.band, result.positive, result.flags) == (total, band, total >= 13, [])


def test_epds_safety_when_item_ten_scores_above_zero():
    answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]
    result = run("EPDS", answers)
    assert (result.total, result.flags) == (1, ["safety"])


def test_epds_probable_band_follows_a_configured_cutoff():
    # Items 1, 2 and 4 at 3 points and item 3 at 3 points (index 0): 12.
    result = run("EPDS", [3, 3, 0, 3, 3, 3, 3, 3, 3, 3], cutoff_overrides={"positive": {"default": 12}})
    assert (result.total, result.band, result.positive) == (12, "probable-depression", True)
    assert run("EPDS", [3, 3, 0, 3, 3, 3, 3, 3, 3, 3]).band == "possible-depression"


# PC-PTSD-5: the five asked only after yes to the gate.
def test_pc_ptsd5_gate_and_cutoff():
    assert run("PC-PTSD-5", [0, None, None, None, None, None]).total == 0
    assert not run("PC-PTSD-5", [1, 1, 1, 0, 0, 0]).positive
    result = run("PC-PTSD-5", [1, 1, 1, 1, 0, 0])
    assert (result.total, result.positive) == (3, True)
    with pytest.raises(AnswerError, match="was asked"):
        run("PC-PTSD-5", [1, None, None, None, None, None])


def test_configurable_cutoff_changes_positive():
    assert not run("PC-PTSD-5", [1, 1, 1, 1, 0, 0], cutoff_overrides={"positive": {"default": 4}}).positive


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("PHQ-9", [0] * 8, "9 items"),
        ("PHQ-9", [0] * 8 + [4], "out of range"),
        ("AUDIT", [0] * 8 + [3, 0], "out of range"),
        ("UNCOPE", [0, 0, 0, 0, 0, -1], "out of range"),
        ("UNCOPE", [0, 0, 0, 0, 0, True], "not an answer"),
        ("CRAFFT-2.1", [-1, 0, 0, 0, None, None, None, None, None], "below"),
        ("PHQ-2", [0, None], "was asked"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(instrument_id, answers, message):
    with pytest.raises(AnswerError, match=message):
        run(instrument_id, answers)


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_phq9_total_is_the_sum_of_indexes(answers):
    result = run("PHQ-9", answers)
    assert result.total == sum(answers)
    assert result.positive == (sum(answers) >= 10)
    assert ("safety" in result.flags) == (answers[8] > 0)


@given(st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_epds_total_mirrors_the_reverse_keyed_items(answers):
    expected = sum(a if i in (0, 1, 3) else 3 - a for i, a in enumerate(answers))
    result = run("EPDS", answers)
    assert result.total == expected
    assert ("safety" in result.flags) == (answers[9] < 3)


@given(st.lists(st.integers(0, 4), min_size=8, max_size=8), st.integers(0, 2), st.integers(0, 2))
def test_audit_total_range_and_escalation(first_eight, nine, ten):
    result = run("AUDIT", [*first_eight, nine, ten])
    assert result.total == sum(first_eight) + 2 * nine + 2 * ten
    assert 0 <= result.total <= 40
    assert ("escalate" in result.flags) == (nine == 2 or ten == 2)


def test_the_exported_questionnaire_is_the_data_scored():
    instrument = find_built_in("AUDIT")
    assert json.loads(instrument.to_json()) == instrument.resource
