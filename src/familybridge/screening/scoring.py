"""Scoring an answered instrument: the one engine the pages, the services and `familybridge score` share.

Answers come in the canonical positional form of docs/reference/screening-instruments.md: one entry per item
in printed order; a choice item is the zero-based index of the option as printed (yes/no: 0 = no,
1 = yes); a numeric item is the number; an item not asked (skip logic) is null. The scorer maps an
index to points through the instrument's data, so reverse keying is never the caller's job.
"""

from dataclasses import dataclass, field
from typing import Any

from familybridge.screening.instruments import EnableWhen, Instrument, Item, Option

SEXES = ("female", "male")
OLDER_ADULT_AFTER_AGE = 65


class AnswerError(ValueError):
    """The answers do not fit the instrument; the message names the item and what is wrong."""


@dataclass(frozen=True)
class Score:
    instrument: str
    version: str
    total: int | None
    band: str | None
    band_display: str | None
    positive: bool
    flags: list[str]
    points: dict[str, int | None]  # per item; None when the item was not asked
    positive_items: list[str]  # items that make the screen positive on their own (TAPS-1's substances)
    cutoffs_used: dict[str, int]
    variant: str | None
    sex: str | None
    answers: list[Any] = field(default_factory=list)  # canonical, with null for every item not asked

    def as_cli_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "total": self.total,
            "band": self.band,
            "positive": self.positive,
            "flags": self.flags,
        }


def resolve_cutoffs(
    instrument: Instrument,
    *,
    sex: str | None = None,
    age: int | None = None,
    overrides: dict[str, dict[str, int]] | None = None,
) -> dict[str, int]:
    """Each cut-off's value for this person: the partnership's setting, else the instrument's default."""
    resolved = {}
    for name, cutoff in instrument.cutoffs.items():
        values = {**cutoff.values, **(overrides or {}).get(name, {})}
        if age is not None and age > OLDER_ADULT_AFTER_AGE and "older_adult" in values:
            key = "older_adult"
        elif sex in SEXES and sex in values:
            key = sex
        else:
            key = "default"
        resolved[name] = values[key]
    return resolved


def enabled(item: Item, given: dict[str, Any]) -> bool:
    """FHIR enableWhen: whether the item is asked, given the answers to the items before it."""
    if not item.enable_when:
        return True
    results = [_condition_holds(condition, given) for condition in item.enable_when]
    return any(results) if item.enable_behavior == "any" else all(results)


def _condition_holds(condition: EnableWhen, given: dict[str, Any]) -> bool:
    answered = condition.question in given
    if condition.operator == "exists":
        return answered == bool(condition.answer)
    if not answered:
        return False
    value = given[condition.question]
    if isinstance(value, Option):
        system, code = condition.answer
        same = value.code == code and (not system or not value.system or value.system == system)
        return same if condition.operator == "=" else not same if condition.operator == "!=" else False
    comparisons = {
        "=": value == condition.answer,
        "!=": value != condition.answer,
        ">": value > condition.answer,
        "<": value < condition.answer,
        ">=": value >= condition.answer,
        "<=": value <= condition.answer,
    }
    return comparisons[condition.operator]


def item_name(item: Item, position: int) -> str:
    return f"Item {position}" if item.link_id == str(position) else f"Item {position} ({item.link_id})"


def checked_answer(item: Item, position: int, answer: Any) -> Any:
    """The answer as the item's value (an option, a yes/no or a number); AnswerError when it does not fit."""
    where = item_name(item, position)
    if isinstance(answer, bool) or (answer is not None and not isinstance(answer, int | float)):
        raise AnswerError(f"{where}: {answer!r} is not an answer; give a number or null.")
    if isinstance(answer, float):
        if answer != int(answer):
            raise AnswerError(f"{where}: {answer!r} is not a whole number.")
        answer = int(answer)
    if item.type == "choice":
        if not 0 <= answer < len(item.options):
            raise AnswerError(
                f"{where}: option index {answer} is out of range; this item has options 0 to {len(item.options) - 1}."
            )
        return item.options[answer]
    if answer < (item.minimum if item.minimum is not None else 0):
        raise AnswerError(f"{where}: {answer} is below the smallest allowed value.")
    if item.maximum is not None and answer > item.maximum:
        raise AnswerError(f"{where}: {answer} is above the largest allowed value, {item.maximum}.")
    return answer


def asked_items(instrument: Instrument, answers: list[Any]) -> list[Item]:
    """The items asked given the answers so far (skip logic applied in order); answers may be partial."""
    given: dict[str, Any] = {}
    asked = []
    for position, item in enumerate(instrument.items, start=1):
        if not enabled(item, given):
            continue
        asked.append(item)
        answer = answers[position - 1] if position <= len(answers) else None
        if answer is not None:
            given[item.link_id] = checked_answer(item, position, answer)
    return asked


def _item_points(instrument: Instrument, item: Item, value: Any, variant: str | None) -> int:
    if isinstance(value, Option):
        return value.points or 0
    rule = instrument.item_rules.get(item.link_id)
    if rule is None:
        return 0
    threshold = rule["at_least"]
    if isinstance(threshold, dict):
        threshold = threshold[variant]
    return int(rule["points"]) if value >= threshold else 0


def score(
    instrument: Instrument,
    answers: list[Any],
    *,
    sex: str | None = None,
    age: int | None = None,
    variant: str | None = None,
    cutoff_overrides: dict[str, dict[str, int]] | None = None,
) -> Score:
    """Total, band, positive and flags for one set of canonical answers, or AnswerError."""
    if not isinstance(answers, list):
        raise AnswerError("Answers must be a JSON list, one entry per item.")
    if len(answers) != len(instrument.items):
        raise AnswerError(
            f"{instrument.id} has {len(instrument.items)} items in canonical order; {len(answers)} answers were given."
        )
    if sex is not None and sex not in SEXES:
        raise AnswerError(f"Sex must be one of {', '.join(SEXES)}.")
    if instrument.variants:
        variant = variant or instrument.default_variant
        if variant not in instrument.variants:
            raise AnswerError(f"{instrument.id} variant must be one of {', '.join(instrument.variants)}.")
    else:
        variant = None

    given: dict[str, Any] = {}
    points: dict[str, int | None] = {}
    canonical: list[Any] = []
    for position, (item, answer) in enumerate(zip(instrument.items, answers, strict=True), start=1):
        value = None if answer is None else checked_answer(item, position, answer)
        if not enabled(item, given):
            # An item not asked counts for nothing, whatever was passed for it.
            points[item.link_id] = None
            canonical.append(None)
            continue
        if value is None:
            raise AnswerError(
                f"{item_name(item, position)} was asked and has no answer; null is only for items not asked."
            )
        given[item.link_id] = value
        points[item.link_id] = _item_points(instrument, item, value, variant)
        canonical.append(item.options.index(value) if isinstance(value, Option) else value)

    cutoffs = resolve_cutoffs(instrument, sex=sex, age=age, overrides=cutoff_overrides)
    asked_points = [p for p in points.values() if p is not None]
    total = sum(asked_points) if instrument.has_total else None

    band = band_display = None
    if total is not None and instrument.bands:
        lower_bounds = [(cutoffs[b.lower] if isinstance(b.lower, str) else b.lower, b) for b in instrument.bands]
        for lower, candidate in sorted(lower_bounds, key=lambda pair: pair[0]):
            if total >= lower:
                band, band_display = candidate.code, candidate.display

    rule = instrument.positive_rule
    positive_items: list[str] = []
    if "total_at_least" in rule:
        positive = total is not None and total >= cutoffs[rule["total_at_least"]]
    else:
        positive_items = [link_id for link_id, p in points.items() if p is not None and p >= rule["any_item_at_least"]]
        positive = bool(positive_items)

    flags = []
    for flag in instrument.flags:
        if flag.code not in flags and any((points.get(i) or 0) >= flag.points_at_least for i in flag.items):
            flags.append(flag.code)

    return Score(
        instrument=instrument.id,
        version=instrument.version,
        total=total,
        band=band,
        band_display=band_display,
        positive=positive,
        flags=flags,
        points=points,
        positive_items=positive_items,
        cutoffs_used=cutoffs,
        variant=variant,
        sex=sex,
        answers=canonical,
    )
