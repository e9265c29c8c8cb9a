from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.cases import services as cases_services
from familybridge.cases.models import Hearing
from familybridge.consent import policy
from familybridge.courts import services
from familybridge.courts.forms import (
    DAY,
    REPORT_PURPOSES,
    WEEK,
    DocketForm,
    FileReportForm,
    HearingOutcomeForm,
    ReportDraftForm,
)
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import (
    CompiledReport,
    DocketDay,
    compile_for_author,
    docket,
    draft_of,
    filed_reports,
    judges_of,
    may_see_docket,
    read_filed,
    sees_whole_docket,
    verify_filed_copy,
)
from familybridge.web.confirmation import confirmed_change
from familybridge.web.views import add_form_errors, purpose_for, safe_next

# Writing a report: a draft the author edits and previews, signs off, then files after confirming.


def _hearing_for_author(request: HttpRequest, pk: int) -> Hearing:
    own_purpose = request.user.default_purpose or Purpose.CASE_PLANNING
    hearings = Hearing.objects.select_related("court_case__family", "subject")
    return get_object_or_404(policy.permitted(request.user, hearings, own_purpose), pk=pk)


def _own_draft(request: HttpRequest, pk: int) -> CourtReport:
    """The user's own draft: a draft is its author's alone until it is filed."""
    drafts = CourtReport.objects.filter(author=request.user, sent_at=None).select_related(
        "hearing__court_case__family", "hearing__subject", "author__agency", "amends", "signed_off_by"
    )
    own_purpose = request.user.default_purpose or Purpose.CASE_PLANNING
    return get_object_or_404(policy.permitted(request.user, drafts, own_purpose), pk=pk)


def _draft_page(
    request: HttpRequest, form: ReportDraftForm, hearing: Hearing, draft: CourtReport | None
) -> HttpResponse:
    amends = draft.amends if draft else None
    context = {
        "title": "Edit the court report" if draft else "Write a court report",
        "form": form,
        "hearing": hearing,
        "amends": amends,
        "version": draft.version if draft else 1,
        "back": reverse("courts:preview", args=[draft.pk]) if draft else family_address(hearing),
    }
    return render(request, "courts/draft.html", context)


def family_address(hearing: Hearing) -> str:
    return reverse("web:family-detail", args=[hearing.court_case.family_id])


@require_http_methods(["GET", "POST"])
@login_required
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a report for a hearing, or go on with the draft already started."""
    hearing = _hearing_for_author(request, pk)
    draft = draft_of(request.user, hearing)
    if draft is not None:
        return redirect("courts:draft", pk=draft.pk)
    form = ReportDraftForm(request.POST or None, initial={"purpose": Purpose.COURT_PROCEEDING})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.start_report(request.user, hearing, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(form, ValidationError(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Draft saved. Nothing is filed until you sign it off and file it.")
            return redirect("courts:preview", pk=report.pk)
    return _draft_page(request, form, hearing, None)


@require_http_methods(["GET", "POST"])
@login_required
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    initial = {"purpose": draft.purpose, "narrative": draft.narrative, "recommendations": draft.recommendations}
    form = ReportDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_draft(request.user, draft, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "Draft saved.")
            return redirect("courts:preview", pk=draft.pk)
    return _draft_page(request, form, draft.hearing, draft)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's preview of exactly what the court will see, the narrative and what is left out and why."""
    try:
        draft = _own_draft(request, pk)
    except Http404:
        return redirect("courts:report", pk=pk)  # filed since: the filed copy
    compiled = compile_for_author(request.user, draft.hearing, draft.purpose)
    record_event("preview_court_report", draft, purpose=draft.purpose)
    context = {"report": compiled, "sections": compiled.sections, "document": draft, "preview": True}
    return render(request, "courts/report.html", context)


@require_http_methods(["POST"])
@login_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    try:
        services.sign_off(request.user, draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courts:draft", pk=draft.pk)
    messages.success(request, "Signed off. File it with the court when you are ready.")
    return redirect("courts:preview", pk=draft.pk)


@require_http_methods(["GET", "POST"])
@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """Filing, confirmed: what will be filed, to whom, and that it never changes after."""
    draft = _own_draft(request, pk)

    def what_will_be_filed(data: dict) -> list[str]:
        compiled = compile_for_author(request.user, draft.hearing, draft.purpose)
        return filing_summary(draft, compiled)

    return confirmed_change(
        request,
        FileReportForm(request.POST if request.method == "POST" else None),  # it has no fields to fill
        title="File the report with the court",
        intro="Filing sends the court the report as the preview shows it.",
        describe=what_will_be_filed,
        change=lambda data: services.file_report(request.user, draft),
        done=lambda report: f"Filed with the court. Content hash (SHA-256): {report.content_hash}.",
        back=reverse("courts:preview", args=[draft.pk]),
        back_label="The preview",
        context={"family": draft.hearing.court_case.family},
        submit="Continue",
    )


def filing_summary(draft: CourtReport, compiled: CompiledReport) -> list[str]:
    """The confirmation page's lines: to whom, what, and what filing does."""
    hearing = compiled.hearing
    reader = compiled.court_reader
    whom = (
        f"{reader} ({reader.agency.name})" if reader else "nobody yet: no judge or court coordinator works the family"
    )
    sections = [f"{s.title.lower()} ({len(s.parts)})" for s in compiled.sections if s.parts]
    lines = [
        f"Filed with {whom}, for {draft.purpose_label.lower()}, for the {hearing.get_hearing_type_display().lower()} "
        f"on {hearing.hearing_date:%B} {hearing.hearing_date.day}, {hearing.hearing_date.year} in case "
        f"{hearing.court_case.docket_number}.",
        "What will be filed: your narrative and recommendations, signed off by "
        f"{draft.signed_off_by or 'nobody yet'}, and {compiled.line_count} compiled lines"
        + (f": {', '.join(sections)}." if sections else "."),
    ]
    if compiled.has_part2:
        lines.append("It holds 42 CFR Part 2 information: the filed copy carries the notice against redisclosure.")
    if draft.amends_id:
        lines.append(
            f"It is version {draft.version} and amends version {draft.amends.version} filed on "
            f"{draft.amends.sent_at:%B} {draft.amends.sent_at.day}, {draft.amends.sent_at.year}; both stay in the file."
        )
    lines.append(
        "Once filed it never changes: the court keeps the HTML and PDF exactly as filed, with their SHA-256 hash. "
        "A later reader sees it as far as they may see each part then. To correct it, file an amended version."
    )
    return lines


@require_http_methods(["POST"])
@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    report = _readable_report(request, pk)
    try:
        draft = services.amend_report(request.user, report)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("courts:report", pk=report.pk)
    messages.success(
        request, f"Version {draft.version} started from version {report.version}. Edit it, sign it off and file it."
    )
    return redirect("courts:draft", pk=draft.pk)


# Reading a filed report: the frozen copy, as far as the reader may see each part now.


def reading_purpose(user: User, report_purpose: str) -> str:
    """A report is read for the purpose it was filed for (the consent that let the author send it covers that
    one) by those who read for it, the court; anyone else (the author's agency) reads it for their own purpose."""
    return report_purpose if report_purpose in user.allowed_purposes else user.default_purpose or report_purpose


def _readable_report(request: HttpRequest, pk: int) -> CourtReport:
    reports = CourtReport.objects.select_related(
        "hearing__court_case__family", "hearing__subject", "author__agency", "amends", "signed_off_by", "filed_for"
    )
    readable = CourtReport.objects.none()
    for purpose, _ in REPORT_PURPOSES:
        readable |= filed_reports(request.user, reports.filter(purpose=purpose), reading_purpose(request.user, purpose))
    return get_object_or_404(readable, pk=pk)


@login_required
def court_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = _readable_report(request, pk)
    except Http404:
        return redirect("courts:preview", pk=_own_draft(request, pk).pk)
    filed = read_filed(request.user, report, reading_purpose(request.user, report.purpose))
    record_event("view_court_report", report, purpose=report.purpose, details={"complete": filed.complete})
    context = {
        "report": filed,
        "sections": filed.sections,
        "document": report,
        "filed": filed,
        "verified": verify_filed_copy(report),
        "may_amend": report.author_id == request.user.pk and filed.superseded_by is None,
        "preview": False,
    }
    return render(request, "courts/report.html", context)


@login_required
def court_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The filed PDF, to a reader who may see all of it; anyone else reads the page, which says why."""
    report = _readable_report(request, pk)
    purpose = reading_purpose(request.user, report.purpose)
    if not report.content_hash or not read_filed(request.user, report, purpose).complete:
        messages.info(request, "The filed PDF holds parts you may not see now: this page shows what you may.")
        return redirect("courts:report", pk=report.pk)
    record_event("export_court_report_pdf", report, purpose=report.purpose)
    response = HttpResponse(bytes(report.filed_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="court-report-{report.pk}-v{report.version}.pdf"'
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
    from weasyprint import HTML

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
