"""Trend charts a steering committee reads at a glance: Vega-Altair, rendered to SVG on the server."""

import base64
import hashlib
import json
from decimal import Decimal

import altair as alt
import vl_convert
from django.core.cache import cache

ACCENT = "#0b5cad"
TARGET = "#1e6b34"


def trend_chart(points: list[tuple[str, Decimal | None]], target: Decimal | None, unit: str) -> str:
    """A line over the rolling periods (withheld figures leave a gap) with the target as a dashed rule.

    Returns a data: URI of the SVG, for an <img> (the CSP allows data: images, not inline styles).
    """
    values = [{"period": label, "value": None if value is None else float(value)} for label, value in points]
    spec = _spec(values, None if target is None else float(target), unit)
    key = "outcomes-chart-" + hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        svg = vl_convert.vegalite_to_svg(spec)
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        cache.set(key, uri, 3600)
    return uri


def _spec(values: list[dict], target: float | None, unit: str) -> dict:
    order = [v["period"] for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("period:O", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=10)),
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
    )
    layers = [base.mark_line(color=ACCENT, strokeWidth=2.5), base.mark_point(color=ACCENT, filled=True, size=45)]
    if target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": target}])).mark_rule(
            color=TARGET, strokeDash=[6, 4], strokeWidth=2
        )
        layers.append(rule.encode(y="target:Q"))
    return alt.layer(*layers).properties(width=300, height=120).configure_view(stroke=None).to_dict()
