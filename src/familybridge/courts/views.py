from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods
from weasyprint import HTML

from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.cases.models import Hearing
from familybridge.consent import policy
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import compile_for_author, compile_for_court
from familybridge.courts.services import send_court_report

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
