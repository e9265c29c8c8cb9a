"""The joint outcomes dashboard, its CSV export, the partnership's targets and the cohort drill-down."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from familybridge.audit.services import record_event
from familybridge.dates import us_date
from familybridge.outcomes import selectors, services
from familybridge.outcomes.charts import trend_chart
from familybridge.outcomes.engine import Period, load_outcome_data
from familybridge.outcomes.forms import CohortFilterForm, TargetsForm
from familybridge.outcomes.indicators import BY_CODE
from familybridge.outcomes.selectors import quarter_label
from familybridge.web.pagination import paginate, with_rows

# Periods the engine computes: a day outside these years in an edited address is a bad request, not a crash.
EARLIEST_END, LATEST_END = date(1900, 1, 1), date(2199, 12, 31)


def _chosen_end(request: HttpRequest) -> date | None:
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        return None
    if not EARLIEST_END <= end <= LATEST_END:
        raise BadRequest(f"Choose a period end between {us_date(EARLIEST_END)} and {us_date(LATEST_END)}.")
    return end


def _chart_description(row) -> str:
    points = [
        f"{quarter_label(day)}: {'withheld' if f.value is None else f'{f.value}{row.indicator.scale.unit}'}"
        for day, f in row.trend
    ]
    target = f" Target {row.target}{row.indicator.scale.unit}." if row.target is not None else ""
    return f"Trend of {row.indicator.code}, 12 months to each quarter end. " + "; ".join(points) + "." + target


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_see_aggregates(request.user)
    partnership = selectors.partnership_for(request.user, request.GET.get("partnership"))
    board = selectors.dashboard(request.user, partnership, _chosen_end(request))
    record_event(
        "view",
        partnership,
        purpose="evaluation",
        details={"page": "outcomes dashboard", "period_end": board.period.end.isoformat()},
    )
    charts = {
        (row.indicator.code, row.group): (
            trend_chart(
                [(quarter_label(day), f.value) for day, f in row.trend], row.target, row.indicator.scale.unit.strip()
            ),
            _chart_description(row),
        )
        for row in board.rows
    }
    context = {
        "board": board,
        "rows": [(row, *charts[(row.indicator.code, row.group)]) for row in board.rows],
        "may_set_targets": services.may_set_targets(request.user, partnership),
        "may_drill_down": request.user.works_cases,
    }
    return render(request, "outcomes/dashboard.html", context)


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_see_aggregates(request.user)
    partnership = selectors.partnership_for(request.user, request.GET.get("partnership"))
    board = selectors.dashboard(request.user, partnership, _chosen_end(request), for_export=True)
    record_event("export", partnership, purpose="evaluation", details={"period_end": board.period.end.isoformat()})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{partnership.slug}-{board.period.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["indicator", "group", "name", "period_start", "period_end", "numerator", "denominator", "value", "unit"]
        + ["median_days", "target", "met"]
    )
    for row in board.rows:
        for day, figure in row.trend:
            period = Period.twelve_months_to(day)
            latest = day == board.period.end
            writer.writerow(
                [row.indicator.code, row.group, row.label, period.start, period.end, figure.numerator]
                + [figure.denominator, "" if figure.value is None else figure.value, row.indicator.scale.unit.strip()]
                + ["" if figure.median_days is None else figure.median_days]
                + ["" if row.target is None else row.target, "" if not latest or row.met is None else row.met]
            )
    return response


@require_http_methods(["GET", "POST"])
@login_required
def targets(request: HttpRequest) -> HttpResponse:
    partnership = selectors.partnership_for(request.user, request.GET.get("partnership"))
    if not services.may_set_targets(request.user, partnership):
        raise PermissionDenied("Only the partnership's coordinators set its outcome targets.")
    form = TargetsForm(request.POST or None, initial=selectors.targets_of(partnership))
    if request.method == "POST" and form.is_valid():
        services.set_targets(request.user, partnership, form.cleaned_data)
        messages.success(request, f"Targets of {partnership.name} saved.")
        return redirect("outcomes:dashboard")
    return render(request, "outcomes/targets.html", {"form": form, "partnership": partnership})


@login_required
def cohort(request: HttpRequest, code: str) -> HttpResponse:
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise Http404("No such indicator.")
    selectors.ensure_may_see_aggregates(request.user)
    data = load_outcome_data()
    latest = selectors.quarter_end_on_or_before(data.latest_date or date.today())
    end = _chosen_end(request) or latest
    period = Period.twelve_months_to(end)
    filters = CohortFilterForm(
        request.GET,
        agencies=selectors.partnership_for(request.user).agencies.order_by("name"),
        shows_counted=indicator.code in selectors.NUMERATOR_FROM_THE_RECORD,
    )
    found = selectors.cohort(request.user, indicator, period, data=data, **filters.filters)
    page = paginate(request, found.records)
    rows = selectors.cohort_rows(request.user, indicator, found, list(page.object_list))
    purpose = selectors.drill_down_purpose(request.user)
    record_event(
        "view_cohort",
        object_type="outcomes.indicator",
        object_id=code,
        purpose=purpose,
        details={"period_end": end.isoformat(), "records_shown": len(rows)},
    )
    context = {
        "indicator": indicator,
        "period": period,
        "page": with_rows(page, rows),
        "rows": rows,
        "cohort": found,
        "filters": filters,
        "record": indicator.record,
    }
    return render(request, "outcomes/cohort.html", context)
