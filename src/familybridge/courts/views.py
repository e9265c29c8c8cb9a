from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from weasyprint import HTML

from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.cases import services as cases_services
from familybridge.cases.models import Hearing
from familybridge.consent import policy
from familybridge.courts.forms import DAY, WEEK, DocketForm, HearingOutcomeForm
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import (
    DocketDay,
    compile_for_author,
    compile_for_court,
    docket,
    judges_of,
    may_see_docket,
    sees_whole_docket,
)
from familybridge.courts.services import send_court_report
from familybridge.web.views import add_form_errors, purpose_for, safe_next

REPORT_PURPOSES = [
    (Purpose.COURT_PROCEEDING, Purpose.COURT_PROCEEDING.label),
    (Purpose.COURT_MONITORING, Purpose.COURT_MONITORING.label),
]


def _report_purpose(request: HttpRequest) -> str:
    chosen = request.POST.get("purpose") or request.GET.get("purpose")
    return chosen if chosen in dict(REPORT_PURPOSES) else Purpose.COURT_PROCEEDING


@require_http_methods(["GET", "POST"])
@login_required
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's preview of exactly what the court will see, and the button that sends it."""
    purpose = _report_purpose(request)
    own_purpose = request.user.default_purpose or Purpose.CASE_PLANNING
    hearing = get_object_or_404(
        policy.permitted(request.user, Hearing.objects.select_related("court_case__family", "subject"), own_purpose),
        pk=pk,
    )
    if request.method == "POST":
        try:
            report = send_court_report(request.user, hearing, purpose)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "The report was filed with the court. It holds only what the preview showed.")
            return redirect("web:family-detail", pk=report.hearing.court_case.family_id)
    compiled = compile_for_author(request.user, hearing, purpose)
    record_event("preview_court_report", hearing, purpose=purpose)
    context = {"report": compiled, "purpose": purpose, "purposes": REPORT_PURPOSES, "preview": True}
    return render(request, "courts/report.html", context)


def _readable_report(request: HttpRequest, pk: int) -> CourtReport:
    """A report is read for the purpose it was filed for: the consent that let the author send it covers that one."""
    reports = CourtReport.objects.select_related("hearing__court_case__family", "author", "subject")
    readable = CourtReport.objects.none()
    for purpose, _ in REPORT_PURPOSES:
        readable |= policy.permitted(request.user, reports.filter(purpose=purpose), purpose)
    return get_object_or_404(readable, pk=pk)


@login_required
def court_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _readable_report(request, pk)
    compiled = compile_for_court(request.user, report)
    record_event("view_court_report", report, purpose=report.purpose)
    return render(request, "courts/report.html", {"report": compiled, "sent": report, "preview": False})


@login_required
def court_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _readable_report(request, pk)
    compiled = compile_for_court(request.user, report)
    record_event("export_court_report_pdf", report, purpose=report.purpose)
    html = render_to_string("courts/report_pdf.html", {"report": compiled, "sent": report}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="court-report-{report.pk}.pdf"'
    return response


def _docket_user(request: HttpRequest) -> Any:
    if not may_see_docket(request.user):
        record_event("denied", details={"page": "hearing docket"})
        raise PermissionDenied("Only the court's judges and court coordinators keep the hearing docket.")
    return request.user


@dataclass(frozen=True)
class DocketView:
    """What the docket page shows: the days, the way to the days before and after, and the choices made."""

    form: DocketForm
    view: str
    day: date
    judge: Any
    days: list[DocketDay]

    @property
    def title(self) -> str:
        if self.view == DAY:
            return f"Docket for {self.day:%A, %B} {self.day.day}, {self.day.year}"
        first, last = self.days[0].day, self.days[-1].day
        return f"Docket for the week of {first:%B} {first.day} to {last:%B} {last.day}, {last.year}"


def _docket_view(request: HttpRequest) -> DocketView:
    user = _docket_user(request)
    whole_court = sees_whole_docket(user)
    form = DocketForm(request.GET, judges=list(judges_of(user)) if whole_court else None)
    chosen = form.filters
    view, day, judge = chosen.get("view", DAY), chosen.get("date", timezone.localdate()), chosen.get("judge")
    start, end = (day, day) if view == DAY else week_of(day)
    found = {d.day: d for d in docket(user, purpose_for(request), start=start, end=end, judge=judge)}
    days = [
        found.get(start + timedelta(days=offset), DocketDay(start + timedelta(days=offset), []))
        for offset in range((end - start).days + 1)
    ]
    if view == WEEK:
        # Courts sit on weekdays: a weekend day shows only when a hearing is set on it.
        days = [d for d in days if d.day.weekday() < 5 or d.entries]
    return DocketView(form, view, day, judge, days)


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the day's week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _docket_address(view: str, day: date, judge: Any) -> str:
    query = {"view": view, "date": day.isoformat(), **({"judge": judge.pk} if judge else {})}
    return f"{reverse('courts:docket')}?{urlencode(query)}"


@login_required
def docket_page(request: HttpRequest) -> HttpResponse:
    """The hearing docket a day or a week at a time, with the way to the days before and after and to print."""
    shown = _docket_view(request)
    step = timedelta(days=1 if shown.view == DAY else 7)
    record_event("view_docket", details={"view": shown.view, "date": shown.day.isoformat()})
    context = {
        "docket": shown,
        "previous": _docket_address(shown.view, shown.day - step, shown.judge),
        "next": _docket_address(shown.view, shown.day + step, shown.judge),
        "today": _docket_address(shown.view, timezone.localdate(), shown.judge),
        "day_view": _docket_address(DAY, shown.day, shown.judge),
        "week_view": _docket_address(WEEK, shown.day, shown.judge),
        "pdf": f"{reverse('courts:docket-pdf')}?{request.GET.urlencode()}",
        "here": request.get_full_path(),
        "may_record_outcomes": cases_services.RECORD_KINDS["hearing"].writable_by(request.user),
    }
    return render(request, "courts/docket.html", context)


@login_required
def docket_pdf(request: HttpRequest) -> HttpResponse:
    """The same docket as a PDF, one day per page, for the bench and the clerk."""
    shown = _docket_view(request)
    record_event("export_docket_pdf", details={"view": shown.view, "date": shown.day.isoformat()})
    html = render_to_string("courts/docket_pdf.html", {"docket": shown}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="docket-{shown.view}-{shown.day.isoformat()}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def hearing_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what became of a hearing on the docket: held, continued or vacated, with a short note."""
    user = _docket_user(request)
    purpose = purpose_for(request)
    hearings = Hearing.objects.filter(owner_agency=user.agency_id).select_related("court_case", "subject")
    hearing = get_object_or_404(policy.permitted(user, hearings, purpose), pk=pk)
    back = safe_next(request, _docket_address(DAY, hearing.hearing_date, None))
    initial = {"outcome": hearing.outcome, "note": hearing.outcome_note}
    form = HearingOutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cases_services.record_hearing_outcome(user, hearing, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            kind = hearing.get_hearing_type_display().lower()
            messages.success(request, f"Outcome recorded for the {kind} in case {hearing.court_case}.")
            return redirect(back)
    return render(request, "courts/hearing_outcome.html", {"hearing": hearing, "form": form, "back": back})
