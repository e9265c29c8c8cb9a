"""The round report's charts: Vega-Altair specifications rendered to SVG on the server by vl-convert."""

import base64

import altair as alt
import vl_convert

from familybridge.practice.models import AGREEMENT_SCALE

SCORE_LABELS = [label for _, label in AGREEMENT_SCALE]
# Colorblind-safe diverging colors from disagreement to agreement, dark enough on white.
SCORE_COLORS = ["#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac"]
WIDTH = 520


def svg_data_uri(chart: alt.TopLevelMixin) -> str:
    """An `<img src>` for the chart: the CSP allows data: images, and WeasyPrint renders them in PDFs."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def distribution_chart(rows: list[dict]) -> alt.Chart:
    """Share of each system's answers at each point of the scale, per statement (rows: item, system, score, n)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("n:Q", stack="normalize", title="Share of answers", axis=alt.Axis(format="%")),
            y=alt.Y("system:N", title=None),
            row=alt.Row("item:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=160)),
            color=alt.Color(
                "answer:N",
                title="Answer",
                sort=SCORE_LABELS,
                scale=alt.Scale(domain=SCORE_LABELS, range=SCORE_COLORS),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("score:Q"),
        )
        .properties(width=WIDTH - 180, height=alt.Step(16))
    )


def element_profile_chart(rows: list[dict]) -> alt.Chart:
    """Each system's mean per element (rows: element, system, mean)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True))
        .encode(
            x=alt.X("element:O", title="Element", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("mean:Q", title="Mean (1 strongly disagree – 5 strongly agree)", scale=alt.Scale(domain=[1, 5])),
            color=alt.Color("system:N", title="System", legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("system:N", title="System"),
        )
        .properties(width=WIDTH, height=260)
    )


def change_chart(rows: list[dict]) -> alt.Chart:
    """The gap between systems per element, last round beside this one (rows: element, round, gap)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("element:O", title="Element", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("round:N", sort=["Last round", "This round"]),
            y=alt.Y("gap:Q", title="Gap between systems (points)"),
            color=alt.Color(
                "round:N",
                title=None,
                sort=["Last round", "This round"],
                scale=alt.Scale(range=["#9e9e9e", "#0b5cad"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=WIDTH, height=240)
    )
