"""A family's screening scores over time, drawn server-side (Vega-Altair → SVG via vl-convert)."""

import base64
from collections.abc import Iterable

import altair as alt
import vl_convert

from familybridge.screening.models import ScreeningResult


def history_chart_data_uri(results: Iterable[ScreeningResult]) -> str | None:
    """An SVG data URI of each person's totals by instrument over time; None with fewer than two scores."""
    rows = [
        {
            "date": result.administered_on.isoformat(),
            "score": result.total,
            "instrument": result.instrument,
            "person": str(result.subject),
        }
        for result in results
        if result.total is not None
    ]
    if len(rows) < 2:
        return None
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title="Date screened"),
            y=alt.Y("score:Q", title="Total score"),
            color=alt.Color("instrument:N", title="Instrument"),
            strokeDash=alt.StrokeDash("person:N", title="Person"),
        )
        .properties(width=520, height=200)
    )
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
