"""The team caseloads chart: each caseworker's families beside each other, drawn on the server (Vega-Altair → SVG)."""

import altair as alt

from familybridge.cases.caseloads import WorkerLoad
from familybridge.practice.charts import svg_data_uri

MEASURES = ["Open families", "Children in care", "Clock nearing its deadline"]
# Color-blind-safe and dark enough on white; the table beside the chart carries the same numbers.
COLORS = ["#0b5cad", "#67a9cf", "#b2182b"]


def workload_chart(loads: list[WorkerLoad]) -> str:
    """An `<img src>` of the workload of each worker: open families, children in care, clocks nearing."""
    rows = [
        {"worker": str(load.worker), "measure": measure, "count": count}
        for load in loads
        for measure, count in zip(
            MEASURES, (load.open_families, load.children_in_care, load.clocks_nearing), strict=True
        )
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title="Number", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("worker:N", title=None),
            yOffset=alt.YOffset("measure:N", sort=MEASURES),
            color=alt.Color(
                "measure:N",
                title=None,
                sort=MEASURES,
                scale=alt.Scale(domain=MEASURES, range=COLORS),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=460, height=alt.Step(12))
    )
    return svg_data_uri(chart)
