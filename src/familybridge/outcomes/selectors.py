"""Reads of the outcomes area: the dashboard's figures as a viewer may see them, and the cohort behind one.

Aggregates are shown only to those who may see them (`policy.may_see_aggregates`), with counts of
1 to 10 shown as "<11" to everyone but analysts (`policy.suppress_small_cell`) and always in exports.
The cohort behind a figure is a list of records, read through `policy.permitted` like any other list.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from familybridge.agencies.models import Partnership
from familybridge.agencies.roles import Purpose
from familybridge.cases.models import TreatmentEpisode
from familybridge.cases.selectors import visible_discharge_summaries
from familybridge.consent import policy
from familybridge.outcomes.engine import Figure, OutcomeData, Period, load_outcome_data
from familybridge.outcomes.indicators import INDICATORS, J2_GROUP_LABELS, J2_GROUPS, Indicator
from familybridge.outcomes.models import OutcomeTarget

TREND_QUARTERS = 8
COHORT_LIMIT = 20000
SUPPRESSED = "<11"
# Indicators whose cohort row shows whether it counted: only where the record itself says so,
# so a drill-down never reveals another record (a parent's treatment, an admission elsewhere).
NUMERATOR_FROM_THE_RECORD = frozenset({"P1", "P2", "P3", "T2", "T3", "J1"})
# Indicators counted from a treatment episode's discharge reason, which is the discharge summary's content.
DISCHARGE_INDICATORS = frozenset({"T3"})


# --- periods -------------------------------------------------------------------------------------
def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end_on_or_before(day: date) -> date:
    end = _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
    if end == day:
        return end
    return _month_end(day.year - 1, 12) if day.month <= 3 else _month_end(day.year, (day.month - 1) // 3 * 3)


def previous_quarter_ends(end: date, count: int) -> list[date]:
    """`count` quarter ends, the last being `end` (itself a quarter end), oldest first."""
    ends = [end]
    for _ in range(count - 1):
        year, month = ends[-1].year, ends[-1].month - 3
        ends.append(_month_end(year - 1, month + 12) if month <= 0 else _month_end(year, month))
    return ends[::-1]


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


# --- the dashboard ---------------------------------------------------------------------------------
@dataclass
class ShownFigure:
    """A figure as this viewer may see it: counts may be "<11", and a value that would reveal one is withheld."""

    numerator: int | str
    denominator: int | str
    value: Decimal | None
    median_days: float | None = None

    @property
    def withheld(self) -> bool:
        return SUPPRESSED in (self.numerator, self.denominator)


@dataclass
class IndicatorRow:
    indicator: Indicator
    group: str  # J2's group, else ""
    figure: ShownFigure
    trend: list[tuple[date, ShownFigure]]
    target: Decimal | None

    @property
    def group_label(self) -> str:
        return J2_GROUP_LABELS[self.group] if self.group else ""

    @property
    def label(self) -> str:
        if self.group:
            return f"{self.indicator.name} — {self.group_label}"
        return self.indicator.name

    @property
    def met(self) -> bool | None:
        value = self.figure.value
        if self.target is None or value is None:
            return None
        return value >= self.target if self.indicator.higher_is_better else value <= self.target


@dataclass
class Dashboard:
    partnership: Partnership
    period: Period
    quarter_ends: list[date]
    rows: list[IndicatorRow]
    choices: list[date]
    exact: bool


def shown(figure: Figure, viewer: Any) -> ShownFigure:
    numerator = policy.suppress_small_cell(figure.numerator, viewer)
    denominator = policy.suppress_small_cell(figure.denominator, viewer)
    result = ShownFigure(numerator, denominator, figure.value, figure.median_days if figure.reports_median else None)
    if result.withheld:
        result.value, result.median_days = None, None
    return result


def _withhold(figure: ShownFigure) -> ShownFigure:
    return ShownFigure(SUPPRESSED, SUPPRESSED, None)


def shown_figures(figures: dict[str, Figure], viewer: Any) -> dict[tuple[str, str], ShownFigure]:
    """Every indicator (and J2 group) as the viewer may see it, keyed by (code, group)."""
    result = {}
    for code, figure in figures.items():
        if figure.groups:
            groups = {group: shown(figure.groups[group], viewer) for group in J2_GROUPS}
            # J1 is the two groups' sum: one withheld group would be revealed by the other.
            if any(g.withheld for g in groups.values()):
                groups = {group: _withhold(g) for group, g in groups.items()}
            result.update(((code, group), g) for group, g in groups.items())
        else:
            result[(code, "")] = shown(figure, viewer)
    return result


def ensure_may_see_aggregates(user: Any) -> None:
    if not policy.may_see_aggregates(user):
        raise PermissionDenied("Joint outcome figures are for partnership coordinators, analysts and supervisors.")


def targets_of(partnership: Partnership) -> dict[str, Decimal]:
    return dict(OutcomeTarget.objects.filter(partnership=partnership).values_list("indicator", "target"))


def dashboard(
    user: Any, partnership: Partnership, end: date | None = None, *, for_export: bool = False, data: OutcomeData = None
) -> Dashboard:
    """Each indicator for the 12 months to `end` (a quarter end), with its trend over eight quarters."""
    ensure_may_see_aggregates(user)
    data = data or load_outcome_data()
    latest = quarter_end_on_or_before(data.latest_date or date.today())
    choices = previous_quarter_ends(latest, 12)[::-1]
    end = end if end in choices else latest
    quarter_ends = previous_quarter_ends(end, TREND_QUARTERS)
    periods = [Period.twelve_months_to(day) for day in quarter_ends]
    all_figures = data.figures(periods)
    # Exports may travel beyond the viewer: they always show small cells as "<11".
    viewer = AnonymousUser() if for_export else user
    shown_by_period = [shown_figures(figures, viewer) for figures in all_figures]
    targets = targets_of(partnership)
    rows = []
    for indicator in INDICATORS:
        for group in J2_GROUPS if indicator.code == "J2" else ("",):
            key = (indicator.code, group)
            trend = [(day, shown_by_period[i][key]) for i, day in enumerate(quarter_ends)]
            target = targets.get(indicator.code) if group in ("", "with_completed_treatment") else None
            rows.append(IndicatorRow(indicator, group, trend[-1][1], trend, target))
    exact = not for_export and policy.sees_exact_small_cells(user)
    return Dashboard(partnership, periods[-1], quarter_ends, rows, choices, exact)


def partnership_for(user: Any, slug: str | None = None) -> Partnership:
    """The partnership whose outcomes the user looks at: theirs (or the one named, if theirs)."""
    partnerships = (
        Partnership.objects.all() if user.is_superuser else Partnership.objects.filter(agencies=user.agency_id)
    )
    partnerships = partnerships.order_by("name")
    chosen = partnerships.filter(slug=slug).first() if slug else partnerships.first()
    if chosen is None:
        raise PermissionDenied("You are not part of a partnership.")
    return chosen


# --- the cohort behind a figure ---------------------------------------------------------------------
@dataclass
class CohortRow:
    record: Any
    counted: bool | None  # None when the record itself does not say
    discharge_reason: str = ""  # a treatment episode's, only from a discharge summary the viewer may see

    @property
    def redisclosure_notice(self) -> str:
        return self.record.redisclosure_notice


def drill_down_purpose(user: Any) -> str:
    return user.default_purpose or Purpose.EVALUATION


@dataclass
class Cohort:
    """The records behind one figure that the user may see: a bound queryset to page, and what the engine says of
    each. `total` is how many records the figure counts; past COHORT_LIMIT only the first are looked up."""

    records: QuerySet
    counted: dict[int, bool]
    total: int
    shows_counted: bool

    @property
    def limited(self) -> bool:
        return self.total > COHORT_LIMIT


def cohort(
    user: Any,
    indicator: Indicator,
    period: Period,
    *,
    data: OutcomeData = None,
    counted: bool | None = None,
    held_by: Any = None,
) -> Cohort:
    """The records behind one figure that this user may see, through the policy point, by person; only those
    counted (or not) in the numerator, or held by one agency, when asked."""
    data = data or load_outcome_data()
    members = data.cohort(indicator.code, period)
    in_numerator = {record_id: numerator for record_id, _, numerator in members[:COHORT_LIMIT]}
    wanted = [pk for pk, numerator in in_numerator.items() if counted is None or numerator == counted]
    model = apps.get_model(indicator.record)
    records = model.objects.filter(pk__in=wanted).select_related("subject", "owner_agency")
    if held_by is not None:
        records = records.filter(owner_agency=held_by)
    bound = policy.permitted(user, records, drill_down_purpose(user)).order_by(
        "subject__last_name", "subject__first_name", "pk"
    )
    return Cohort(bound, in_numerator, len(members), indicator.code in NUMERATOR_FROM_THE_RECORD)


def cohort_rows(user: Any, indicator: Indicator, found: Cohort, records: list) -> list[CohortRow]:
    """A page of the cohort's records as the drill-down lists them."""
    model = apps.get_model(indicator.record)
    if model is not TreatmentEpisode:
        return [CohortRow(record, found.counted[record.pk] if found.shows_counted else None) for record in records]
    # Why an episode ended (and so whether it counts as completed) is discharge content: only from the summary.
    summaries = visible_discharge_summaries(user, [r.pk for r in records], drill_down_purpose(user))
    rows = []
    for record in records:
        summary = summaries.get(record.pk)
        says = found.shows_counted and (indicator.code not in DISCHARGE_INDICATORS or summary is not None)
        reason = summary.get_reason_display() if summary else ""
        rows.append(CohortRow(record, found.counted[record.pk] if says else None, reason))
    return rows
