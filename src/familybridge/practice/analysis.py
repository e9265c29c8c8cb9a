"""Where partners disagree: the one analysis of assessment responses, for the command and the web report.

Input is a list of `Response` rows (one respondent's score on one item); output is the plain dict
that `familybridge practice analyze --json` prints. Rules:
- n is the number of distinct respondents with a score (for an element: with a score on any of its items);
- mean is over the answered scores; sd is the sample standard deviation (n - 1), null when n < 2;
- a system group with fewer than MIN_GROUP respondents is never broken out: {"n": n, "suppressed": true};
- what the partnership publishes (the report page, its CSV and PDF: `published`) includes no suppressed
  group's answers: an item's overall mean and sd are null when any of its groups is suppressed, and a
  system's element figure is {"n": n, "suppressed": true} when that system is suppressed on any item of
  the element. Otherwise the overall minus the shown groups, or the element minus the shown items, would
  give the hidden group's sum, and for a single respondent their exact answer. The command analyzes a
  responses file its user already holds, answers and all, so it prints the exact figures;
- gap is the highest minus the lowest mean among unsuppressed systems, null with fewer than two;
- the agenda lists the items that have a gap, by gap descending, then overall sd descending, then item id;
- every number is rounded half-up to 2 decimals as the last step, and the agenda sorts on the rounded
  figures, so items that show the same gap are ordered by the next key, as a reader would expect.
"""

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MIN_GROUP = 5
SCORE_RANGE = range(1, 6)
ELEMENT_RANGE = range(1, 11)
REQUIRED_COLUMNS = ("respondent_id", "system", "item_id", "score")
OPTIONAL_COLUMNS = ("element",)


class ResponsesFileError(ValueError):
    """The responses file cannot be analyzed; the message says where and why."""


@dataclass(frozen=True)
class Response:
    respondent_id: str
    system: str
    item_id: str
    score: int | None
    element: int | None = None


def rounded(value: float | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _summary(scores_by_respondent: dict[str, list[int]], *, with_sd: bool = True) -> dict[str, Any]:
    scores = [score for answered in scores_by_respondent.values() for score in answered]
    n = len(scores_by_respondent)
    summary: dict[str, Any] = {"n": n, "mean": rounded(statistics.fmean(scores)) if scores else None}
    if with_sd:
        summary["sd"] = rounded(statistics.stdev(scores)) if len(scores) >= 2 else None
    return summary


def _system_summaries(groups: dict[str, dict[str, list[int]]], *, with_sd: bool) -> dict[str, dict[str, Any]]:
    systems = {}
    for system in sorted(groups):
        respondents = groups[system]
        if len(respondents) < MIN_GROUP:
            systems[system] = {"n": len(respondents), "suppressed": True}
        else:
            systems[system] = _summary(respondents, with_sd=with_sd)
    return systems


def _unrounded_gap(groups: dict[str, dict[str, list[int]]]) -> float | None:
    means = [
        statistics.fmean([score for answered in respondents.values() for score in answered])
        for respondents in groups.values()
        if len(respondents) >= MIN_GROUP
    ]
    return max(means) - min(means) if len(means) >= 2 else None


def withhold_derivable_figures(
    items: dict[str, dict[str, Any]], elements: dict[str, dict[str, Any]], element_of: dict[str, int]
) -> None:
    """Complementary suppression, in place: withhold every published figure that pools a suppressed group.

    A hidden group is hidden only if no combination of what is shown recovers it. An item's overall
    pools all its groups, so it is withheld when any group is suppressed (with two or more hidden,
    their combined sum would still show, and all of them when they all gave the lowest or highest
    score). A system's element figure pools that system's answers to each item of the element, so it
    is withheld when the system is suppressed on any of them. What remains is computed from shown
    groups only, so changing a hidden group's answers changes nothing that is published.
    """
    for item_id, figures in items.items():
        hidden = [system for system, group in figures["systems"].items() if group.get("suppressed")]
        if not hidden:
            continue
        figures["mean"] = figures["sd"] = None
        element = element_of.get(item_id)
        if element is None:
            continue
        element_systems = elements[str(element)]["systems"]
        for system in hidden:
            element_systems[system] = {"n": element_systems[system]["n"], "suppressed": True}


def analyze(responses: Iterable[Response]) -> dict[str, Any]:
    """Per item and per element, each system's figures, the gap between systems, and the agenda."""
    return _analysis_and_elements(responses)[0]


def published_analysis(responses: Iterable[Response]) -> dict[str, Any]:
    """The analysis as the partnership may publish it (report page, CSV, PDF): every figure that pools a
    suppressed group withheld, and the agenda ordered on what is shown."""
    analysis, element_of = _analysis_and_elements(responses)
    withhold_derivable_figures(analysis["items"], analysis["elements"], element_of)
    analysis["agenda"] = _agenda(analysis["items"])
    return analysis


def _analysis_and_elements(responses: Iterable[Response]) -> tuple[dict[str, Any], dict[str, int]]:
    item_ids: set[str] = set()
    element_ids: set[int] = set()
    element_of: dict[str, int] = {}
    # item -> respondent -> scores, and item/element -> system -> respondent -> scores
    by_item: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_item_system: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    by_element_system: dict[int, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for response in responses:
        item_ids.add(response.item_id)
        if response.element is not None:
            element_ids.add(response.element)
            element_of[response.item_id] = response.element
        if response.score is None:
            continue
        by_item[response.item_id][response.respondent_id].append(response.score)
        by_item_system[response.item_id][response.system][response.respondent_id].append(response.score)
        if response.element is not None:
            by_element_system[response.element][response.system][response.respondent_id].append(response.score)

    items = {}
    for item_id in sorted(item_ids):
        groups = by_item_system.get(item_id, {})
        items[item_id] = {
            **_summary(by_item.get(item_id, {})),
            "systems": _system_summaries(groups, with_sd=True),
            "gap": rounded(_unrounded_gap(groups)),
        }
    elements = {
        str(element): {"systems": _system_summaries(by_element_system.get(element, {}), with_sd=False)}
        for element in sorted(element_ids)
    }
    return {"items": items, "elements": elements, "agenda": _agenda(items)}, element_of


def _agenda(items: dict[str, dict[str, Any]]) -> list[str]:
    with_gap = [item_id for item_id, figures in items.items() if figures["gap"] is not None]
    return sorted(with_gap, key=lambda item_id: (-items[item_id]["gap"], -(items[item_id]["sd"] or 0.0), item_id))



def _parse_int(value: str, allowed: range, what: str, line: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number not in allowed:
        raise ResponsesFileError(
            f"line {line}: {what} must be a whole number from {allowed.start} to {allowed.stop - 1}, not {value!r}."
        )
    return number


def read_responses(text: str) -> list[Response]:
    """Parse and check a responses CSV; any problem raises ResponsesFileError naming the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None:
        raise ResponsesFileError("The file is empty: expected a header row " + ", ".join(REQUIRED_COLUMNS) + ".")
    columns = [name.strip() for name in reader.fieldnames]
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise ResponsesFileError(
            f"Unknown column {', '.join(repr(n) for n in unknown)}: the columns are "
            f"{', '.join(REQUIRED_COLUMNS)} and optionally element."
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ResponsesFileError(f"Missing column {', '.join(missing)}.")
    if len(set(columns)) != len(columns):
        raise ResponsesFileError("A column appears twice in the header row.")
    reader.fieldnames = columns

    responses = []
    seen: set[tuple[str, str]] = set()
    system_of: dict[str, str] = {}
    element_of: dict[str, int | None] = {}
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise ResponsesFileError(f"line {line}: more values than columns.")
        values = {name: (value or "").strip() for name, value in row.items()}
        for name in ("respondent_id", "system", "item_id"):
            if not values[name]:
                raise ResponsesFileError(f"line {line}: {name} is empty.")
        respondent, system, item_id = values["respondent_id"], values["system"], values["item_id"]
        if (respondent, item_id) in seen:
            raise ResponsesFileError(f"line {line}: respondent {respondent!r} already has a row for item {item_id!r}.")
        seen.add((respondent, item_id))
        if system_of.setdefault(respondent, system) != system:
            raise ResponsesFileError(
                f"line {line}: respondent {respondent!r} is given as {system!r} here "
                f"and as {system_of[respondent]!r} earlier."
            )
        score = _parse_int(values["score"], SCORE_RANGE, "score", line) if values["score"] else None
        element = None
        if values.get("element"):
            element = _parse_int(values["element"], ELEMENT_RANGE, "element", line)
        if element_of.setdefault(item_id, element) != element:
            raise ResponsesFileError(
                f"line {line}: item {item_id!r} is given element {element} here and {element_of[item_id]} earlier."
            )
        responses.append(Response(respondent, system, item_id, score, element))
    return responses
