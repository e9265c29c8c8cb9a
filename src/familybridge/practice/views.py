"""Thin views of the partnership's workspace: membership and coordinator checks (access.py), reads
through selectors, writes through services. The anonymous answer page takes no account at all."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.agencies.models import Partnership
from familybridge.agencies.selectors import partnerships_of
from familybridge.audit.services import record_event
from familybridge.practice import access, forms, selectors, services
from familybridge.practice.elements import ELEMENT_BY_ID, Level
from familybridge.practice.models import (
    AssessmentRound,
    Objective,
    ObjectiveStatus,
    ProtocolVersion,
    RoundCode,
    RoundStatus,
    Task,
    TaskStatus,
)
from familybridge.practice.report import build_report, codes_csv, report_csv, report_pdf
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.ensure_member(request.user, partnership)
    return partnership


def _context(request: HttpRequest, partnership: Partnership, section: str, **extra) -> dict:
    return {
        "partnership": partnership,
        "section": section,
        "is_coordinator": access.is_coordinator(request.user, partnership),
        **extra,
    }


def _save(form, write: Callable[[], object]) -> bool:
    """Run a service write for a valid form; its ValidationError becomes the form's errors."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        add_form_errors(form, error)
        return False
    return True


@login_required
def index(request: HttpRequest) -> HttpResponse:
    partnerships = list(partnerships_of(request.user))
    if len(partnerships) == 1:
        return redirect("practice:overview", slug=partnerships[0].slug)
    return render(request, "practice/index.html", {"partnerships": partnerships})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    today = timezone.localdate()
    context = _context(
        request,
        partnership,
        "matrix",
        matrix=selectors.matrix(partnership),
        open_rounds=selectors.rounds_of(partnership).filter(status=RoundStatus.OPEN),
        overdue=selectors.overdue_tasks(partnership, today).count(),
        pending_protocols=selectors.unacknowledged_versions(request.user, partnership),
    )
    return render(request, "practice/overview.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def element_edit(request: HttpRequest, slug: str, element: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    access.ensure_coordinator(request.user, partnership)
    if element not in ELEMENT_BY_ID:
        raise Http404
    row = selectors.matrix(partnership)[element - 1]
    texts = {level: text for (level, _), (_, text, _) in zip(Level.choices, row.benchmarks, strict=True)}
    standing = row.standing
    standing_form = forms.StandingForm(
        request.POST if request.POST.get("form") == "standing" else None,
        initial={"standing": standing.standing if standing else "", "evidence": standing.evidence if standing else ""},
    )
    benchmark_form = forms.BenchmarkForm(
        request.POST if request.POST.get("form") == "benchmarks" else None, initial_texts=texts
    )
    if request.method == "POST":
        if request.POST.get("form") == "standing":
            saved = _save(
                standing_form,
                lambda: services.set_standing(
                    request.user,
                    partnership,
                    element,
                    standing_form.cleaned_data["standing"],
                    standing_form.cleaned_data["evidence"],
                ),
            )
        else:

            def save_benchmarks() -> None:
                for level in Level.values:
                    services.save_benchmark(
                        request.user, partnership, element, level, benchmark_form.cleaned_data[level]
                    )

            saved = _save(benchmark_form, save_benchmarks)
        if saved:
            messages.success(request, f"Element {element} saved.")
            return redirect("practice:overview", slug=slug)
    context = _context(
        request, partnership, "matrix", row=row, standing_form=standing_form, benchmark_form=benchmark_form
    )
    return render(request, "practice/element_edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def rounds(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    services.ensure_builtins()
    instruments = selectors.instruments_for(partnership)
    form = forms.OpenRoundForm(request.POST or None, instruments=instruments)
    if request.method == "POST":
        access.ensure_coordinator(request.user, partnership)
        created = []
        if _save(
            form,
            lambda: created.append(
                services.open_round(
                    request.user,
                    partnership,
                    form.cleaned_data["instrument"],
                    form.cleaned_data["title"],
                    answering=form.cleaned_data["answering"],
                )
            ),
        ):
            if created[0].uses_codes:
                messages.success(request, "The round is open. Issue a code for each person you will ask to answer.")
            else:
                messages.success(request, "The round is open. Share its link with the staff of every member agency.")
            return redirect("practice:round", slug=slug, pk=created[0].pk)
    filters = forms.RoundFilterForm(request.GET)
    rounds_shown = selectors.rounds_of(partnership).filter(**filters.filters).order_by("-opened_on", "-pk")
    context = _context(
        request,
        partnership,
        "rounds",
        page=paginate(request, rounds_shown),
        filters=filters,
        instruments=instruments,
        form=form,
    )
    return render(request, "practice/rounds.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def instrument_new(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    access.ensure_coordinator(request.user, partnership)
    form = forms.InstrumentForm(request.POST or None)
    if request.method == "POST":
        created = []
        if _save(
            form, lambda: created.append(services.create_instrument(request.user, partnership, **form.cleaned_data))
        ):
            messages.success(request, f"{created[0].name} is ready: open a round of it below.")
            return redirect("practice:rounds", slug=slug)
    return render(request, "practice/instrument_form.html", _context(request, partnership, "rounds", form=form))


@login_required
def instrument_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    instrument = get_object_or_404(selectors.instruments_for(partnership), pk=pk)
    context = _context(request, partnership, "rounds", instrument=instrument, items=instrument.items.all())
    return render(request, "practice/instrument_detail.html", context)


def _round(request: HttpRequest, slug: str, pk: int) -> tuple[Partnership, AssessmentRound]:
    partnership = _partnership(request, slug)
    return partnership, get_object_or_404(
        AssessmentRound.objects.select_related("instrument"), pk=pk, partnership=partnership
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, assessment_round = _round(request, slug, pk)
    action = request.POST.get("action")
    import_form = forms.ImportForm(request.POST if action == "import" else None, request.FILES or None)
    codes_form = forms.IssueCodesForm(request.POST if action == "issue_codes" else None)
    if request.method == "POST":
        if action == "issue_codes":
            batches = []
            if _save(
                codes_form,
                lambda: batches.append(
                    services.issue_codes(request.user, assessment_round, codes_form.cleaned_data["count"])
                ),
            ):
                return redirect("practice:round-codes", slug=slug, pk=pk, batch=batches[0])
        elif action == "close":
            try:
                services.close_round(request.user, assessment_round)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "The round is closed and its results are frozen.")
            return redirect("practice:round", slug=slug, pk=pk)
    if action == "import":
        imported = []

        def import_file() -> None:
            try:
                text = import_form.cleaned_data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError("The file is not UTF-8 text (save it as CSV UTF-8).") from error
            imported.append(services.import_round_results(request.user, assessment_round, text))

        if _save(import_form, import_file):
            messages.success(request, f"{imported[0]} respondents imported.")
            return redirect("practice:round", slug=slug, pk=pk)
    context = _context(
        request,
        partnership,
        "rounds",
        round=assessment_round,
        respondents=assessment_round.respondents.count(),
        link=_respond_link(request, assessment_round),
        codes=selectors.code_summary(assessment_round),
        import_form=import_form,
        codes_form=codes_form,
    )
    return render(request, "practice/round_detail.html", context)


def _respond_link(request: HttpRequest, assessment_round: AssessmentRound) -> str:
    return request.build_absolute_uri(reverse("practice:respond", args=[assessment_round.token]))


def _batch(request: HttpRequest, slug: str, pk: int, batch: int) -> tuple[AssessmentRound, list[RoundCode]]:
    """A batch of the round's codes, for its coordinators only."""
    partnership, assessment_round = _round(request, slug, pk)
    access.ensure_coordinator(request.user, partnership)
    codes = list(selectors.batch_codes(assessment_round, batch))
    if not codes:
        raise Http404("No such batch of codes.")
    return assessment_round, codes


@login_required
def round_codes(request: HttpRequest, slug: str, pk: int, batch: int) -> HttpResponse:
    assessment_round, codes = _batch(request, slug, pk, batch)
    record_event("view", assessment_round, details={"page": "round codes", "batch": batch})
    context = _context(
        request,
        assessment_round.partnership,
        "rounds",
        round=assessment_round,
        batch=batch,
        codes=codes,
        link=_respond_link(request, assessment_round),
    )
    return render(request, "practice/round_codes.html", context)


@login_required
def round_codes_csv(request: HttpRequest, slug: str, pk: int, batch: int) -> HttpResponse:
    assessment_round, codes = _batch(request, slug, pk, batch)
    record_event("export", assessment_round, details={"format": "csv", "codes batch": batch})
    response = HttpResponse(
        codes_csv(codes, _respond_link(request, assessment_round)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{assessment_round.pk}-codes-{batch}.csv"'
    return response


def _closed_round_report(request: HttpRequest, slug: str, pk: int, *, with_charts: bool = True):
    partnership, assessment_round = _round(request, slug, pk)
    if assessment_round.is_open:
        raise Http404("The report is available once the round is closed.")
    return partnership, build_report(assessment_round, with_charts=with_charts)


@login_required
def round_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, report = _closed_round_report(request, slug, pk)
    record_event("view", report.round, details={"page": "round report"})
    return render(request, "practice/report.html", _context(request, partnership, "rounds", report=report))


@login_required
def round_report_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, report = _closed_round_report(request, slug, pk)
    record_event("export", report.round, details={"format": "pdf"})
    response = HttpResponse(report_pdf(report, request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="round-{report.round.pk}-report.pdf"'
    return response


@login_required
def round_report_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, report = _closed_round_report(request, slug, pk, with_charts=False)
    record_event("export", report.round, details={"format": "csv"})
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{report.round.pk}-report.csv"'
    return response


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The round's anonymous questionnaire. Nothing here reads or stores who is answering."""
    assessment_round = get_object_or_404(
        AssessmentRound.objects.select_related("instrument", "partnership"), token=token
    )
    items = assessment_round.instrument.items.all()
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        items=items,
        with_code=assessment_round.uses_codes,
    )
    if (
        request.method == "POST"
        and assessment_round.is_open
        and _save(
            form,
            lambda: services.submit_anonymous_answers(
                assessment_round,
                system=form.cleaned_data["system"],
                role=form.cleaned_data["role"],
                scores=form.scores(),
                code=form.cleaned_data.get("code", ""),
            ),
        )
    ):
        return redirect("practice:respond-thanks", token=token)
    return render(request, "practice/respond.html", {"round": assessment_round, "form": form})


def respond_thanks(request: HttpRequest, token: str) -> HttpResponse:
    assessment_round = get_object_or_404(AssessmentRound.objects.select_related("partnership"), token=token)
    return render(request, "practice/respond_thanks.html", {"round": assessment_round})


@require_http_methods(["GET", "POST"])
@login_required
def plans(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    closed_rounds = selectors.rounds_of(partnership).filter(status=RoundStatus.CLOSED)
    form = forms.ActionPlanForm(request.POST or None, rounds=closed_rounds)
    if request.method == "POST":
        created = []
        if _save(
            form, lambda: created.append(services.create_action_plan(request.user, partnership, **form.cleaned_data))
        ):
            return redirect("practice:plan", slug=slug, pk=created[0].pk)
    plans_shown = selectors.action_plans_of(partnership).order_by("-created_on", "-pk")
    context = _context(request, partnership, "plans", page=paginate(request, plans_shown), form=form)
    return render(request, "practice/plans.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_board(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    plan = get_object_or_404(selectors.action_plans_of(partnership), pk=pk)
    objective_form = forms.ObjectiveForm(
        request.POST if request.POST.get("form") == "objective" else None, prefix="objective"
    )
    task_form = forms.TaskForm(
        request.POST if request.POST.get("form") == "task" else None,
        objectives=plan.objectives.all(),
        agencies=partnership.agencies.all(),
        prefix="task",
    )
    if request.method == "POST":
        if request.POST.get("form") == "objective":
            saved = _save(
                objective_form, lambda: services.add_objective(request.user, plan, **objective_form.cleaned_data)
            )
        else:
            saved = _save(task_form, lambda: services.add_task(request.user, **task_form.cleaned_data))
        if saved:
            messages.success(request, "Added to the plan.")
            return redirect("practice:plan", slug=slug, pk=pk)
    objectives, columns, overdue = selectors.action_board(plan, timezone.localdate())
    context = _context(
        request,
        partnership,
        "plans",
        plan=plan,
        objectives=objectives,
        columns=columns,
        overdue=overdue,
        objective_form=objective_form,
        task_form=task_form,
        status_choices=TaskStatus.choices,
        objective_status_choices=ObjectiveStatus.choices,
    )
    template = "practice/plan_board.html#board" if request.htmx else "practice/plan_board.html"
    return render(request, template, context)


@require_POST
@login_required
def task_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    task = get_object_or_404(
        Task.objects.select_related("objective__plan__partnership"), pk=pk, objective__plan__partnership=partnership
    )
    form = forms.TaskStatusForm(request.POST)
    if form.is_valid():
        services.set_task_status(request.user, task, form.cleaned_data["status"])
        messages.success(request, f"“{task.text}” is now {task.get_status_display().lower()}.")
    plan = task.objective.plan
    if request.htmx:
        request.method = "GET"
        return plan_board(request, slug, plan.pk)
    return redirect("practice:plan", slug=slug, pk=plan.pk)


@require_POST
@login_required
def objective_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=pk, plan__partnership=partnership)
    try:
        services.set_objective_status(request.user, objective, request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("practice:plan", slug=slug, pk=objective.plan_id)


@require_http_methods(["GET", "POST"])
@login_required
def protocols(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    may_publish = access.may_publish_protocols(request.user, partnership)
    form = forms.ProtocolForm(request.POST or None)
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied
        published = []
        if _save(
            form, lambda: published.append(services.publish_protocol(request.user, partnership, **form.cleaned_data))
        ):
            messages.success(request, f"{published[0]} published.")
            return redirect("practice:protocol", slug=slug, pk=published[0].protocol_id)
    filters = forms.ProtocolFilterForm(request.GET, agencies=partnership.agencies.order_by("name"))
    protocols_shown = selectors.protocols_of(partnership).filter(**filters.filters).order_by("agency__name", "title")
    context = _context(
        request,
        partnership,
        "protocols",
        page=paginate(request, protocols_shown),
        filters=filters,
        pending=selectors.unacknowledged_versions(request.user, partnership),
        may_publish=may_publish,
        form=form,
    )
    return render(request, "practice/protocols.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def protocol_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    protocol = get_object_or_404(selectors.protocols_of(partnership), pk=pk)
    versions = list(protocol.versions.all())
    may_revise = (
        access.may_publish_protocols(request.user, partnership) and protocol.agency_id == request.user.agency_id
    )
    form = forms.ProtocolVersionForm(request.POST or None, initial={"body": versions[0].body if versions else ""})
    if request.method == "POST":
        if request.POST.get("action") == "acknowledge":
            version = get_object_or_404(ProtocolVersion, pk=request.POST.get("version"), protocol=protocol)
            try:
                services.acknowledge_protocol(request.user, version)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"You have acknowledged version {version.number} of {protocol.title}.")
            return redirect("practice:protocol", slug=slug, pk=pk)
        if not may_revise:
            raise PermissionDenied
        if _save(
            form,
            lambda: services.publish_protocol(
                request.user, partnership, title="", topic="", protocol=protocol, **form.cleaned_data
            ),
        ):
            messages.success(request, "The new version is published; partners will be asked to acknowledge it.")
            return redirect("practice:protocol", slug=slug, pk=pk)
    acknowledged = set(
        request.user.protocol_acknowledgements.filter(version__protocol=protocol).values_list("version_id", flat=True)
    )
    context = _context(
        request,
        partnership,
        "protocols",
        protocol=protocol,
        versions=versions,
        current=versions[0] if versions else None,
        acknowledged=acknowledged,
        may_acknowledge=protocol.agency_id != request.user.agency_id,
        may_revise=may_revise,
        form=form,
    )
    return render(request, "practice/protocol_detail.html", context)


@login_required
def protocol_coverage(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    access.ensure_coordinator(request.user, partnership)
    context = _context(request, partnership, "protocols", coverage=selectors.protocol_coverage(partnership))
    return render(request, "practice/protocol_coverage.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def training(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    services.ensure_builtins()
    is_coordinator = access.is_coordinator(request.user, partnership)
    courses = selectors.courses_for(partnership)
    staff = selectors.member_staff(partnership).order_by("last_name", "first_name") if is_coordinator else None
    completion_form = forms.CompletionForm(
        request.POST if request.POST.get("form") == "completion" else None, courses=courses, staff=staff
    )
    course_form = forms.CourseForm(request.POST if request.POST.get("form") == "course" else None)
    if request.method == "POST":
        if request.POST.get("form") == "course":
            saved = _save(
                course_form, lambda: services.add_course(request.user, partnership, **course_form.cleaned_data)
            )
        else:
            saved = _save(
                completion_form,
                lambda: services.record_completion(
                    request.user,
                    partnership,
                    completion_form.cleaned_data["course"],
                    completed_on=completion_form.cleaned_data["completed_on"],
                    staff=completion_form.cleaned_data.get("staff"),
                ),
            )
        if saved:
            messages.success(request, "Training recorded." if request.POST.get("form") != "course" else "Course added.")
            return redirect("practice:training", slug=slug)
    context = _context(
        request,
        partnership,
        "training",
        courses=courses,
        shares=selectors.trained_share_by_system(partnership),
        mine=selectors.completions_of(request.user),
        completion_form=completion_form,
        course_form=course_form,
    )
    return render(request, "practice/training.html", context)


@login_required
def training_staff(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    access.ensure_coordinator(request.user, partnership)
    filters = forms.AgencyFilterForm(request.GET, agencies=partnership.agencies.order_by("name"))
    staff = selectors.member_staff(partnership).filter(**filters.filters).order_by("agency__name", "last_name", "pk")
    page = paginate(request, staff)
    rows = selectors.staff_training(list(page.object_list))
    context = _context(request, partnership, "training", page=with_rows(page, rows), filters=filters)
    return render(request, "practice/training_staff.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def governance(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    committees = selectors.committees_of(partnership)
    form = forms.CommitteeForm(request.POST or None, committees=committees)
    if request.method == "POST":
        created = []
        if _save(
            form, lambda: created.append(services.create_committee(request.user, partnership, **form.cleaned_data))
        ):
            return redirect("practice:committee", slug=slug, pk=created[0].pk)
    context = _context(request, partnership, "governance", committees=committees, form=form)
    return render(request, "practice/governance.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def committee_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    committee = get_object_or_404(selectors.committees_of(partnership), pk=pk)
    member_form = forms.MemberForm(
        request.POST if request.POST.get("form") == "member" else None,
        staff=selectors.member_staff(partnership).order_by("agency__name", "last_name"),
    )
    meeting_form = forms.MeetingForm(request.POST if request.POST.get("form") == "meeting" else None)
    if request.method == "POST":
        if request.POST.get("form") == "member":
            saved = _save(
                member_form, lambda: services.add_committee_member(request.user, committee, **member_form.cleaned_data)
            )
        else:
            saved = _save(
                meeting_form,
                lambda: services.record_meeting(
                    request.user,
                    committee,
                    held_on=meeting_form.cleaned_data["held_on"],
                    notes=meeting_form.cleaned_data["notes"],
                    decisions_text=meeting_form.cleaned_data["decisions"],
                ),
            )
        if saved:
            messages.success(request, "Saved.")
            return redirect("practice:committee", slug=slug, pk=pk)
    members = list(committee.members.all())
    represented = {membership.user.agency_id for membership in members}
    context = _context(
        request,
        partnership,
        "governance",
        committee=committee,
        members=members,
        missing_agencies=[agency for agency in partnership.agencies.all() if agency.pk not in represented],
        member_form=member_form,
        meeting_form=meeting_form,
    )
    return render(request, "practice/committee_detail.html", context)
