"""A family's journey on one chart: a lane per system and the clocks' deadlines, drawn on the server
(Vega-Altair → SVG by vl-convert), from the timeline's records, which the policy point already filtered."""

from dataclasses import dataclass
from datetime import date

from familybridge.cases import models as m
from familybridge.cases.selectors import MemberClocks
from familybridge.cases.timeline import SYSTEM_LABELS, System, Timeline
from familybridge.dates import us_date

DEADLINES = "Clock deadlines"
LANES = [SYSTEM_LABELS[System.CHILD_WELFARE], SYSTEM_LABELS[System.TREATMENT], SYSTEM_LABELS[System.COURT], DEADLINES]
SPANS = ["In care (removal)", "Placement", "Treatment episode"]
EVENTS = ["Hearing", "Court order"]
# Colorblind-safe and dark enough on white; the list under the chart says the same in words.
COLORS = {
    "In care (removal)": "#9ecae1",
    "Placement": "#08519c",
    "Treatment episode": "#1b7837",
    "Hearing": "#5e3c99",
    "Court order": "#b35806",
    DEADLINES: "#b2182b",
}
WIDTH = 560
LANE_HEIGHT = 64
FONT_SIZE = 16


@dataclass(frozen=True)
class JourneyRows:
    """The chart's data: bars (spans), marks on the court's lane (events) and the clocks' deadlines."""

    spans: list[dict]
    events: list[dict]
    deadlines: list[dict]


def journey_rows(timeline: Timeline, clocks: list[MemberClocks], *, today: date) -> JourneyRows:
    """Only the timeline's entries, which the policy point let through, and the clocks computed from them."""
    return JourneyRows(_spans(timeline, today), _events(timeline), _deadlines(clocks))


@dataclass(frozen=True)
class JourneyChart:
    image: str  # an <img src> data URI
    description: str  # what the chart shows, for its alt text
    deadlines: list[str]  # each deadline marked, in words, for the text beside the chart


def _spans(timeline: Timeline, today: date) -> list[dict]:
    """Removals, placements and treatment episodes as bars from start to end (or today, when still going)."""
    records = {id(entry.record): entry.record for entry in timeline.entries}.values()
    rows = []
    for record in records:
        match record:
            case m.RemovalEpisode():
                kind, start, end = SPANS[0], record.removal_date, record.discharge_date
            case m.PlacementSetting():
                kind, start, end = SPANS[1], record.setting_start, record.setting_end
            case m.TreatmentEpisode():
                kind, start, end = SPANS[2], record.admission_date, record.discharge_date
            case _:
                continue
        lane = SYSTEM_LABELS[System.TREATMENT if kind == SPANS[2] else System.CHILD_WELFARE]
        rows.append({"lane": lane, "kind": kind, "start": start.isoformat(), "end": (end or today).isoformat()})
    return rows


def _events(timeline: Timeline) -> list[dict]:
    """Hearings and court orders as marks on the court's lane."""
    kinds = {m.Hearing: EVENTS[0], m.CourtOrder: EVENTS[1]}
    return [
        {"lane": SYSTEM_LABELS[System.COURT], "kind": kinds[type(entry.record)], "day": entry.day.isoformat()}
        for entry in timeline.entries
        if type(entry.record) in kinds
    ]


def _deadlines(clocks: list[MemberClocks]) -> list[dict]:
    return [
        {
            "lane": DEADLINES,
            "kind": DEADLINES,
            "day": clock.deadline.isoformat(),
            "label": f"{clock.name} ({member.name.split()[0]})",
            # Labels of deadlines close together alternate above and below their lane.
            "above": index % 2 == 0,
            "words": f"{clock.name} for {member.name}: {clock.deadline_label or 'by'} {us_date(clock.deadline)}",
        }
        for index, (member, clock) in enumerate(
            (member, clock) for member in clocks for clock in member.clocks if clock.deadline
        )
    ]


def journey_chart(timeline: Timeline, clocks: list[MemberClocks], *, today: date) -> JourneyChart | None:
    """The chart of what the viewer may see: None when none of its records or deadlines are visible."""
    import altair as alt

    from familybridge.practice.charts import svg_data_uri

    rows = journey_rows(timeline, clocks, today=today)
    spans, events, deadlines = rows.spans, rows.events, rows.deadlines
    if not (spans or events or deadlines):
        return None
    lanes = [lane for lane in LANES if lane != DEADLINES or deadlines]
    kinds = [kind for kind in [*SPANS, *EVENTS, DEADLINES] if kind != DEADLINES or deadlines]
    color = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=kinds, range=[COLORS[kind] for kind in kinds]),
        legend=alt.Legend(orient="bottom", columns=3, labelFontSize=FONT_SIZE, symbolSize=180, labelLimit=240),
    )
    y = alt.Y("lane:N", title=None, sort=lanes, scale=alt.Scale(domain=lanes), axis=alt.Axis(labelFontSize=FONT_SIZE))
    x_axis = alt.Axis(format="%b %Y", labelFontSize=FONT_SIZE, tickCount=6, labelOverlap=True, grid=True)
    x_scale = alt.Scale(padding=24)  # so a mark on the first or last day is drawn whole

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:T", title=None, axis=x_axis, scale=x_scale)

    layers = []
    if spans:
        bars = alt.Chart(alt.Data(values=spans)).encode(x=x("start"), x2="end:T", y=y, color=color)
        # The removal is drawn wide and pale, its placements narrow and dark on top of it.
        layers.append(bars.transform_filter(alt.datum.kind != SPANS[1]).mark_bar(size=36, cornerRadius=3))
        layers.append(
            bars.transform_filter(alt.datum.kind == SPANS[1]).mark_bar(size=14, stroke="#ffffff", strokeWidth=2)
        )
    if events:
        layers.append(
            alt.Chart(alt.Data(values=events))
            .mark_point(size=220, filled=True, opacity=1)
            .encode(
                x=x("day"),
                y=y,
                color=color,
                shape=alt.Shape("kind:N", scale=alt.Scale(domain=EVENTS, range=["circle", "square"]), legend=None),
            )
        )
    if deadlines:
        marks = alt.Chart(alt.Data(values=deadlines))
        layers.append(marks.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=COLORS[DEADLINES]).encode(x=x("day")))
        layers.append(
            marks.mark_point(shape="diamond", size=260, filled=True, opacity=1).encode(x=x("day"), y=y, color=color)
        )
        for above in (True, False):
            layers.append(
                marks.transform_filter(alt.datum.above == above)
                .mark_text(align="right", dx=-10, dy=-16 if above else 16, fontSize=FONT_SIZE - 1, color="#222222")
                .encode(x=x("day"), y=y, text="label:N")
            )
    layers.append(
        alt.Chart(alt.Data(values=[{"day": today.isoformat()}]))
        .mark_rule(color="#444444", strokeWidth=2)
        .encode(x=x("day"))
    )
    chart = alt.layer(*layers).properties(width=WIDTH, height=LANE_HEIGHT * len(lanes)).configure_view(stroke=None)
    description = (
        "Chart of the family's journey, one lane per system: "
        + ", ".join(lane.lower() for lane in lanes)
        + ". Today is the solid line. The same events are listed below, newest first."
    )
    return JourneyChart(svg_data_uri(chart), description, [row["words"] for row in deadlines])
