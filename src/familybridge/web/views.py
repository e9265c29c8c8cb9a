"""Thin views: each reads through selectors (and so the policy point) and writes through services."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.agencies import selectors as agency_selectors
from familybridge.agencies import services as agency_services
from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.cases.selectors import family_clocks, family_involvement
from familybridge.cases.timeline import SYSTEM_LABELS, family_timeline
from familybridge.courts.selectors import reports_for_family
from familybridge.people import selectors as people_selectors
from familybridge.web import otp
from familybridge.web.forms import LoginForm, OneTimePasswordForm, RolesForm, StaffForm
from familybridge.worklists.selectors import worklist_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def purpose_for(request: HttpRequest) -> str:
    """The purpose the user states for this look (`?purpose=`), or their role's usual one.

    Only a purpose of the user's own roles (`roles.PURPOSES_BY_ROLE`) may be stated: any other is refused
    with 403, so an attorney cannot read for case planning by editing the address. Those who read for no
    purpose (administrators, coordinators) get case planning, which the policy point denies them.
    """
    user = request.user
    requested = request.GET.get("purpose", "")
    if not requested:
        return user.default_purpose or Purpose.CASE_PLANNING
    if requested not in user.allowed_purposes:
        record_event("denied", user, details={"purpose": requested[:40]})
        stated = Purpose(requested).label.lower() if requested in Purpose.values else "that purpose"
        yours = ", ".join(Purpose(p).label.lower() for p in user.allowed_purposes) or "no purpose"
        raise PermissionDenied(f"Your role does not read for {stated}. You read for: {yours}.")
    return requested


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address when it stays on this site (as Django's login does), otherwise the default."""
    requested = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        requested, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return requested
    return default


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect("web:home")
    devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    if not devices.exists():
        return redirect("web:otp-enroll")
    form = OneTimePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record_event("second_factor_passed", request.user)
            return redirect(safe_next(request, "web:home"))
        record_event("second_factor_failed", request.user)
        form.add_error("token", "That code is not right, or has expired. Try the current one.")
    return render(request, "web/otp_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def otp_enroll(request: HttpRequest) -> HttpResponse:
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect("web:otp-verify")
    device = otp.pending_device(request.user)
    form = OneTimePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.confirm_device(device, form.cleaned_data["token"]):
            otp_login(request, device)
            record_event("second_factor_enrolled", request.user)
            messages.success(request, "Your authenticator app is set up.")
            return redirect("web:home")
        form.add_error("token", "That code does not match. Check the time on your phone and try the current code.")
    context = {"form": form, "secret": otp.secret_base32(device), "qr_svg": otp.qr_data_uri(device)}
    return render(request, "web/otp_enroll.html", context)


HOME_CASELOAD_SHOWN = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's to-do list with due dates (worklists), then the families the user works and their partnership."""
    user = request.user
    purpose = purpose_for(request)
    caseload = people_selectors.caseload_families(user).order_by("name")
    context = {
        "worklist": worklist_for(user, purpose, today=timezone.localdate()),
        "caseload": caseload[:HOME_CASELOAD_SHOWN],
        "caseload_count": caseload.count(),
        "partnerships": agency_selectors.partnerships_of(user),
        "administered": agency_selectors.agencies_administered_by(user),
    }
    return render(request, "web/home.html", context)


@login_required
def family_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    purpose = purpose_for(request)
    families = people_selectors.families_visible_to(request.user, purpose, search=search)
    record_event("search", object_type="people.family", purpose=purpose, details={"query": search})
    template = "web/family_list.html#results" if request.htmx else "web/family_list.html"
    return render(request, template, {"families": families[:200], "search": search})


@login_required
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    record_event("view", family, purpose=purpose)
    context = {
        "family": family,
        "purpose": purpose,
        "purposes": [(p.value, p.label) for p in request.user.allowed_purposes],
        "members": people_selectors.family_members(request.user, family, purpose),
        "identifiers": people_selectors.local_identifiers(request.user, family, purpose),
        "involvement": family_involvement(request.user, family, purpose),
        "clocks": family_clocks(request.user, family, purpose, on=timezone.localdate()),
        "court_reports": reports_for_family(request.user, family, purpose),
    }
    return render(request, "web/family_detail.html", context)


@login_required
def family_timeline_page(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    system = request.GET.get("system", "")
    if system not in SYSTEM_LABELS:
        system = ""
    record_event("view_timeline", family, purpose=purpose, details={"system": system})
    context = {
        "family": family,
        "purpose": purpose,
        "system": system,
        "systems": SYSTEM_LABELS.items(),
        "timeline": family_timeline(request.user, family, purpose, system=system),
    }
    template = "web/family_timeline.html#entries" if request.htmx else "web/family_timeline.html"
    return render(request, template, context)


def _administered_agency(request: HttpRequest, slug: str) -> Agency:
    agency = get_object_or_404(Agency, slug=slug)
    try:
        agency_services.ensure_can_manage(request.user, agency)
    except PermissionDenied:
        record_event("denied", agency, details={"page": "staff administration"})
        raise
    return agency


@login_required
def agency_staff(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _administered_agency(request, slug)
    return render(request, "web/agency_staff.html", {"agency": agency, "staff": agency_selectors.staff_of(agency)})


@require_http_methods(["GET", "POST"])
@login_required
def staff_create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _administered_agency(request, slug)
    form = StaffForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            staff = agency_services.create_staff(request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"{staff} can now sign in as {staff.username}.")
            return redirect("web:agency-staff", slug=agency.slug)
    return render(request, "web/staff_form.html", {"agency": agency, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def staff_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agency = _administered_agency(request, slug)
    staff = get_object_or_404(User, pk=pk, agency=agency)
    form = RolesForm(request.POST or None, agency=agency, initial={"roles": sorted(staff.role_codes)})
    own_account = staff.pk == request.user.pk
    if request.method == "POST":
        try:
            if "active" in request.POST:
                agency_services.set_active(request.user, staff, request.POST["active"] == "1")
                messages.success(request, f"{staff} is now {'active' if staff.is_active else 'deactivated'}.")
                return redirect("web:agency-staff", slug=agency.slug)
            if form.is_valid():
                agency_services.set_roles(request.user, staff, form.cleaned_data["roles"])
                messages.success(request, f"Roles of {staff} saved.")
                return redirect("web:agency-staff", slug=agency.slug)
        except ValidationError as error:
            add_form_errors(form, error)
    context = {"agency": agency, "staff": staff, "form": form, "own_account": own_account}
    return render(request, "web/staff_edit.html", context)


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
