"""Assigning work from the pages: a family's caseworker, a court case's judge and attorneys, closing a case, a
supervisor's team caseloads and a counselor's clients. Thin views over people.services and cases.services; every
change is shown for confirmation first."""

from collections.abc import Callable
from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from familybridge.agencies import selectors as agency_selectors
from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.audit.services import record_event
from familybridge.cases import caseloads
from familybridge.cases import services as case_services
from familybridge.cases.models import CourtCase
from familybridge.consent import policy
from familybridge.people import selectors as people_selectors
from familybridge.people import services
from familybridge.people.assignment_forms import (
    AssignStaffForm,
    AttorneyForm,
    CloseCaseForm,
    CloseCourtCaseForm,
    EffectiveDateForm,
    TransferCaseloadForm,
)
from familybridge.people.charts import workload_chart
from familybridge.people.models import CaseClosure, CaseloadAssignment, Family, Person
from familybridge.referrals.models import Referral
from familybridge.web.confirmation import confirmed_change
from familybridge.web.pagination import paginate
from familybridge.web.views import purpose_for


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _from(day: date) -> str:
    return "from today" if day == timezone.localdate() else f"from {_day(day)}"


def _denied(target: Model | None, page: str) -> PermissionDenied:
    record_event("denied", target, details={"page": page})
    return PermissionDenied("Only a supervisor of the agency assigns this work.")


# Child welfare: a family's caseworker


def _managed_family(request: HttpRequest, pk: int) -> tuple[Family, str]:
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    if not services.may_manage_family(request.user, family):
        raise _denied(family, "assign a family")
    return family, purpose


def _caseworkers(agency_id: int | None) -> QuerySet[User]:
    return User.objects.filter(agency_id=agency_id, is_active=True, staff_roles__role=Role.CASEWORKER).order_by(
        "last_name", "first_name"
    )


@require_http_methods(["GET", "POST"])
@login_required
def family_assign(request: HttpRequest, pk: int) -> HttpResponse:
    family, _ = _managed_family(request, pk)
    form = AssignStaffForm(request.POST or None, staff=_caseworkers(family.owner_agency_id))
    back = reverse("web:family-detail", args=[family.pk])
    return confirmed_change(
        request,
        form,
        title=f"Assign a caseworker to the {family}",
        describe=lambda d: [f"{d['staff']} works the {family} {_from(d['on'])}."],
        change=lambda d: services.assign(request.user, staff=d["staff"], family=family, on=d["on"], note=d["note"]),
        done=lambda a: f"{a.staff} works the {family} {_from(a.assigned_on)}.",
        back=back,
        context={"family": family},
    )


@require_http_methods(["GET", "POST"])
@login_required
def family_transfer(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    family, _ = _managed_family(request, pk)
    assignment = get_object_or_404(
        caseloads.family_caseload_assignments(family).open().select_related("staff"), pk=assignment_pk
    )
    colleagues = _caseworkers(family.owner_agency_id).exclude(pk=assignment.staff_id)
    form = AssignStaffForm(request.POST or None, staff=colleagues, label="Transfer to")
    return confirmed_change(
        request,
        form,
        title=f"Transfer the {family} from {assignment.staff}",
        intro=f"{assignment.staff} has worked the {family} since {_day(assignment.assigned_on)}.",
        describe=lambda d: [
            f"{assignment.staff} stops working the {family} {_from(d['on'])}.",
            f"{d['staff']} works it {_from(d['on'])}.",
        ],
        change=lambda d: services.transfer(request.user, assignment, to=d["staff"], on=d["on"], note=d["note"]),
        done=lambda a: f"The {family} goes to {a.staff} {_from(a.assigned_on)}.",
        back=reverse("web:family-detail", args=[family.pk]),
        context={"family": family},
    )


@require_http_methods(["GET", "POST"])
@login_required
def family_close(request: HttpRequest, pk: int) -> HttpResponse:
    family, _ = _managed_family(request, pk)
    form = CloseCaseForm(request.POST or None)
    working = caseloads.family_caseload_assignments(family).open().select_related("staff")

    def describe(d: dict) -> list[str]:
        ending = [f"{a.staff} stops working the family on {_day(d['on_day'])}." for a in working]
        return [
            f"The {family} case closes on {_day(d['closed_on'])}: {CaseClosure(d['reason']).label.lower()}.",
            *ending,
            "Consents that end when the case closes end that day.",
        ]

    return confirmed_change(
        request,
        form,
        title=f"Close the {family} case",
        intro="Closing the case ends the caseworkers' assignments and the consents that end with the case.",
        describe=lambda d: describe({**d, "on_day": d["closed_on"]}),
        change=lambda d: services.close_family_case(request.user, family, on=d["closed_on"], reason=d["reason"]),
        done=lambda f: f"The {family} case is closed.",
        back=reverse("web:family-detail", args=[family.pk]),
        context={"family": family},
    )


# Court: the judge's docket and the parties' attorneys


def _court_case(request: HttpRequest, pk: int, may: Callable[[User, CourtCase], bool]) -> CourtCase:
    purpose = purpose_for(request)
    cases = CourtCase.objects.select_related("family", "subject", "owner_agency")
    court_case = get_object_or_404(policy.permitted(request.user, cases, purpose), pk=pk)
    if court_case.family is None or not may(request.user, court_case):
        raise _denied(court_case, "court case assignments")
    return court_case


@require_http_methods(["GET", "POST"])
@login_required
def court_case_judge(request: HttpRequest, pk: int) -> HttpResponse:
    court_case = _court_case(request, pk, case_services.may_manage_court_case)
    current = case_services.docket_assignment(court_case)
    judges = case_services.judges_of(court_case.owner_agency_id)
    if current is not None:
        judges = judges.exclude(pk=current.staff_id)
    form = AssignStaffForm(request.POST or None, staff=judges, label="Judge")

    def describe(d: dict) -> list[str]:
        stops = [f"Judge {current.staff} no longer hears it {_from(d['on'])}."] if current else []
        return [*stops, f"Case {court_case.docket_number} is on Judge {d['staff']}'s docket {_from(d['on'])}."]

    return confirmed_change(
        request,
        form,
        title=f"Assign case {court_case.docket_number} to a judge",
        intro=f"Now on Judge {current.staff}'s docket." if current else "The case is on no judge's docket.",
        describe=describe,
        change=lambda d: case_services.reassign_judge(
            request.user, court_case, judge=d["staff"], on=d["on"], note=d["note"]
        ),
        done=lambda a: f"Case {court_case.docket_number} is on Judge {a.staff}'s docket {_from(a.assigned_on)}.",
        back=reverse("web:family-detail", args=[court_case.family_id]),
        context={"family": court_case.family},
    )


@require_http_methods(["GET", "POST"])
@login_required
def court_case_attorney(request: HttpRequest, pk: int) -> HttpResponse:
    court_case = _court_case(request, pk, case_services.may_manage_court_case)
    purpose = purpose_for(request)
    parties = Person.objects.filter(
        pk__in=people_selectors.visible_member_ids(request.user, court_case.family, purpose)
    )
    form = AttorneyForm(
        request.POST or None, staff=case_services.attorneys_of(court_case.owner_agency_id), parties=parties
    )
    return confirmed_change(
        request,
        form,
        title=f"Assign an attorney in case {court_case.docket_number}",
        describe=lambda d: [f"{d['staff']} represents {d['represents']} in case {court_case.docket_number} "
                            f"{_from(d['on'])}."],
        change=lambda d: case_services.assign_attorney(
            request.user, court_case, attorney=d["staff"], represents=d["represents"], on=d["on"], note=d["note"]
        ),
        done=lambda a: f"{a.staff} represents {a.represents} {_from(a.assigned_on)}.",
        back=reverse("web:family-detail", args=[court_case.family_id]),
        context={"family": court_case.family},
    )


@require_http_methods(["GET", "POST"])
@login_required
def attorney_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        CaseloadAssignment.objects.open()
        .filter(capacity=Role.ATTORNEY, about_type=ContentType.objects.get_for_model(CourtCase))
        .select_related("staff", "represents"),
        pk=pk,
    )
    court_case = _court_case(request, assignment.about_id, case_services.may_manage_court_case)
    form = EffectiveDateForm(request.POST or None)
    return confirmed_change(
        request,
        form,
        title=f"{assignment.staff} withdraws from case {court_case.docket_number}",
        intro=f"{assignment.staff} has represented {assignment.represents} since {_day(assignment.assigned_on)}.",
        describe=lambda d: [
            f"{assignment.staff} stops representing {assignment.represents} {_from(d['on'])}.",
            f"Consents of {assignment.represents} that end when representation ends end that day.",
        ],
        change=lambda d: services.withdraw_attorney(request.user, assignment, on=d["on"], note=d["note"]),
        done=lambda a: f"{a.staff} no longer represents {a.represents} {_from(a.ended_on)}.",
        back=reverse("web:family-detail", args=[court_case.family_id]),
        context={"family": court_case.family},
    )


@require_http_methods(["GET", "POST"])
@login_required
def court_case_close(request: HttpRequest, pk: int) -> HttpResponse:
    court_case = _court_case(request, pk, case_services.may_close_court_case)
    form = CloseCourtCaseForm(request.POST or None)
    working = list(court_case.assignments.open().select_related("staff"))

    def describe(d: dict) -> list[str]:
        return [
            f"Case {court_case.docket_number} closes on {_day(d['closed_on'])}.",
            *(f"{a.staff} ({a.get_capacity_display().lower()}) stops working it that day." for a in working),
        ]

    return confirmed_change(
        request,
        form,
        title=f"Close case {court_case.docket_number}",
        intro="Closing the case ends the judge's and the attorneys' assignments to it.",
        describe=describe,
        change=lambda d: case_services.close_court_case(
            request.user, court_case, on=d["closed_on"], reason=d["reason"]
        ),
        done=lambda c: f"Case {court_case.docket_number} is closed.",
        back=reverse("web:family-detail", args=[court_case.family_id]),
        context={"family": court_case.family},
    )


# A supervisor's team caseloads


def _supervisor(request: HttpRequest) -> User:
    user = request.user
    if not user.has_role(Role.CW_SUPERVISOR):
        raise _denied(None, "team caseloads")
    return user


@login_required
def team_caseloads(request: HttpRequest) -> HttpResponse:
    supervisor = _supervisor(request)
    purpose = purpose_for(request)
    workers = list(agency_selectors.supervised_caseworkers(supervisor))
    loads = caseloads.team_caseloads(supervisor, workers, purpose, today=timezone.localdate())
    teams = list(supervisor.teams_led.all())
    record_event("view_caseloads", purpose=purpose)
    context = {
        "loads": loads,
        "teams": teams,
        "chart": workload_chart(loads) if loads else "",
        "recent_days": caseloads.RECENT_DAYS,
    }
    return render(request, "assignments/team_caseloads.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def worker_families(request: HttpRequest, pk: int) -> HttpResponse:
    supervisor = _supervisor(request)
    purpose = purpose_for(request)
    worker = get_object_or_404(agency_selectors.supervised_caseworkers(supervisor), pk=pk)
    today = timezone.localdate()
    search = request.GET.get("q", "").strip()
    show = request.GET.get("show", "")
    if show not in caseloads.FAMILY_FILTERS:
        show = ""
    rows = caseloads.worker_caseload(supervisor, worker, purpose, today=today, search=search, show=show)
    page = paginate(request, rows)
    colleagues = _caseworkers(supervisor.agency_id).exclude(pk=worker.pk)
    form = TransferCaseloadForm(
        request.POST or None,
        assignments=caseloads.caseload_assignments([worker], today).select_related("family"),
        colleagues=colleagues,
    )
    record_event("view_caseload", worker, purpose=purpose, details={"query": search, "show": show})
    if request.method == "POST":

        def transfer_all(d: dict) -> list[CaseloadAssignment]:
            return [
                services.transfer(supervisor, a, to=d["staff"], on=d["on"], note=d["note"]) for a in d["assignments"]
            ]

        return confirmed_change(
            request,
            form,
            title=f"Transfer families from {worker}",
            describe=lambda d: [
                f"The {a.family} goes from {worker} to {d['staff']} {_from(d['on'])}." for a in d["assignments"]
            ],
            change=transfer_all,
            done=lambda moved: f"{len(moved)} {'family goes' if len(moved) == 1 else 'families go'} to "
            f"{moved[0].staff}.",
            back=reverse("assignments:worker-families", args=[worker.pk]),
            context={"worker": worker},
        )
    context = {
        "worker": worker,
        "page": page,
        "search": search,
        "show": show,
        "filters": caseloads.FAMILY_FILTERS.items(),
        "form": form,
        "query": urlencode({"q": search, "show": show}),
    }
    return render(request, "assignments/worker_families.html", context)


# A program's counselor or peer recovery specialist: their clients


@login_required
def my_clients(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.COUNSELOR, Role.PEER_RECOVERY_SPECIALIST):
        raise _denied(None, "my clients")
    today = timezone.localdate()
    page = paginate(request, caseloads.my_clients(user, today=today))
    record_event("view_clients")
    referral_type = ContentType.objects.get_for_model(Referral).pk
    return render(request, "assignments/my_clients.html", {"page": page, "today": today, "referral": referral_type})
