"""A round's report: the analysis of `familybridge practice analyze`, as it may be published (figures that
would give away a suppressed group withheld), labeled for people, with charts and its CSV and PDF exports; and
the CSV of a batch of the round's codes."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from familybridge.practice import charts, selectors
from familybridge.practice.analysis import MIN_GROUP, published_analysis, rounded
from familybridge.practice.elements import ELEMENT_BY_ID, Element
from familybridge.practice.models import AGREEMENT_SCALE, AssessmentRound, Item, RoundCode, System

AGENDA_CHART_ITEMS = 6


@dataclass(frozen=True)
class SystemColumn:
    code: str
    label: str
    respondents: int

    @property
    def suppressed(self) -> bool:
        return self.respondents < MIN_GROUP


@dataclass
class ItemRow:
    item: Item
    figures: dict[str, Any]
    cells: list[dict[str, Any] | None]  # aligned with the report's system columns; None = no answers
    rank: int | None = None
    previous_gap: float | None = None

    @property
    def overall_withheld(self) -> bool:
        """Answered, yet no overall mean: a group is suppressed and the overall would give it away."""
        return self.figures["n"] > 0 and self.figures["mean"] is None


@dataclass
class ElementRow:
    element: Element
    cells: list[dict[str, Any] | None]
    gap: float | None
    previous_gap: float | None = None


@dataclass
class RoundReport:
    round: AssessmentRound
    previous: AssessmentRound | None
    systems: list[SystemColumn]
    items: list[ItemRow]
    elements: list[ElementRow]
    agenda: list[ItemRow]
    analysis: dict[str, Any]
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return sum(column.respondents for column in self.systems)


def _element_gap(systems: dict[str, dict[str, Any]]) -> float | None:
    means = [group["mean"] for group in systems.values() if not group.get("suppressed")]
    return rounded(max(means) - min(means)) if len(means) >= 2 else None


def build_report(assessment_round: AssessmentRound, *, with_charts: bool = True) -> RoundReport:
    analysis = published_analysis(selectors.round_responses(assessment_round))
    counts = selectors.respondents_by_system(assessment_round)
    systems = [SystemColumn(code, label, counts[code]) for code, label in System.choices if code in counts]

    previous = selectors.previous_round(assessment_round)
    previous_analysis = published_analysis(selectors.round_responses(previous)) if previous else None

    items = []
    for item in assessment_round.instrument.items.all():
        figures = analysis["items"].get(item.code, {"n": 0, "mean": None, "sd": None, "systems": {}, "gap": None})
        row = ItemRow(item, figures, [figures["systems"].get(column.code) for column in systems])
        if previous_analysis and item.code in previous_analysis["items"]:
            row.previous_gap = previous_analysis["items"][item.code]["gap"]
        items.append(row)
    by_code = {row.item.code: row for row in items}
    agenda = [by_code[code] for code in analysis["agenda"] if code in by_code]
    for rank, row in enumerate(agenda, start=1):
        row.rank = rank

    elements = []
    for key, figures in analysis["elements"].items():
        row = ElementRow(
            ELEMENT_BY_ID[int(key)],
            [figures["systems"].get(column.code) for column in systems],
            _element_gap(figures["systems"]),
        )
        if previous_analysis and key in previous_analysis["elements"]:
            row.previous_gap = _element_gap(previous_analysis["elements"][key]["systems"])
        elements.append(row)

    report = RoundReport(assessment_round, previous, systems, items, elements, agenda, analysis)
    if with_charts and analysis["agenda"]:
        report.charts = _charts(report)
    return report


def _charts(report: RoundReport) -> dict[str, str]:
    labels = {column.code: column.label for column in report.systems if not column.suppressed}
    top = [row.item.code for row in report.agenda[:AGENDA_CHART_ITEMS]]
    distribution = selectors.score_distribution(report.round, top)
    score_label = dict(AGREEMENT_SCALE)
    distribution_rows = [
        {"item": code, "system": labels[system], "score": score, "answer": score_label[score], "n": n}
        for (code, system, score), n in sorted(distribution.items())
        if system in labels and report.analysis["items"][code]["systems"].get(system, {}).get("mean") is not None
    ]
    profile_rows = [
        {"element": row.element.id, "system": column.label, "mean": cell["mean"]}
        for row in report.elements
        for column, cell in zip(report.systems, row.cells, strict=True)
        if cell and not cell.get("suppressed")
    ]
    rendered = {}
    if distribution_rows:
        rendered["distribution"] = charts.svg_data_uri(charts.distribution_chart(distribution_rows))
    if profile_rows:
        rendered["profile"] = charts.svg_data_uri(charts.element_profile_chart(profile_rows))
    change_rows = [
        {"element": row.element.id, "round": label, "gap": gap}
        for row in report.elements
        if row.gap is not None and row.previous_gap is not None
        for label, gap in (("Last round", row.previous_gap), ("This round", row.gap))
    ]
    if change_rows:
        rendered["change"] = charts.svg_data_uri(charts.change_chart(change_rows))
    return rendered


def report_csv(report: RoundReport) -> str:
    """One row per item and per element; groups under 5, and the figures that would give them away,
    read "suppressed", never a figure."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["level", "id", "text", "element", "agenda_rank", "n", "mean", "sd"]
    for column in report.systems:
        header += [f"{column.code}_n", f"{column.code}_mean", f"{column.code}_sd"]
    header.append("gap")
    writer.writerow(header)

    def cells(groups: list[dict[str, Any] | None], with_sd: bool) -> list:
        values = []
        for group in groups:
            if group is None:
                values += ["", "", ""]
            elif group.get("suppressed"):
                values += [group["n"], "suppressed", "suppressed"]
            else:
                values += [group["n"], group["mean"], group.get("sd", "") if with_sd else ""]
        return values

    for row in report.items:
        f = row.figures
        overall = ["suppressed", "suppressed"] if row.overall_withheld else [f["mean"], f["sd"]]
        writer.writerow(
            ["item", row.item.code, row.item.text, row.item.element or "", row.rank or "", f["n"], *overall]
            + cells(row.cells, True)
            + [f["gap"]]
        )
    for row in report.elements:
        writer.writerow(
            ["element", row.element.id, row.element.name, row.element.id, "", "", "", ""]
            + cells(row.cells, False)
            + [row.gap]
        )
    return out.getvalue()


def codes_csv(codes: list[RoundCode], link: str) -> str:
    """A batch of codes for a mail merge or a label printer: the code and the link it opens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "link"])
    writer.writerows([code.display, link] for code in codes)
    return out.getvalue()


def report_pdf(report: RoundReport, base_url: str) -> bytes:
    html = render_to_string("practice/report_pdf.html", {"report": report})
    return HTML(string=html, base_url=base_url).write_pdf()
