"""Thin views: each reads through selectors (and so the policy point) and writes through services."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
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
from familybridge.audit.services import client_address, record_event
from familybridge.cases.charts import journey_chart
from familybridge.cases.selectors import family_clocks, family_involvement, family_summary
from familybridge.cases.timeline import SYSTEM_LABELS, family_timeline
from familybridge.consent.notices import OncePerPage
from familybridge.courts.selectors import reports_for_family
from familybridge.people import selectors as people_selectors
from familybridge.people.families import may_change_membership, may_open_families
from familybridge.people.forms import SearchForm
from familybridge.people.services import open_assignments_of
from familybridge.web import otp, throttle
from familybridge.web.forms import (
    ChangePasswordForm,
    DeactivateForm,
    LoginForm,
    NewPasswordForm,
    OneTimePasswordForm,
    ResetRequestForm,
    ResetSecondFactorForm,
    RolesForm,
    StaffForm,
)
from familybridge.web.pagination import paginate
from familybridge.worklists.selectors import worklist_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change of one's own password: this session stays signed in (`update_session_auth_hash`), and every
    other session of the account ends at its next request, since its stored hash no longer matches."""

    template_name = "web/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record_event("password_changed", self.request.user)
        messages.success(self.request, "Your password is changed. You are signed out everywhere else.")
        return response

    def form_invalid(self, form: ChangePasswordForm) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            record_event("password_change_failed", self.request.user, details={"reason": "wrong current password"})
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """"Forgot your password?": the same answer whatever the address, and a limit on how often it is asked."""

    template_name = "web/password_reset_form.html"
    form_class = ResetRequestForm
    subject_template_name = "web/password_reset_subject.txt"
    email_template_name = "web/password_reset_email.txt"
    success_url = reverse_lazy("web:password-reset-sent")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        if not throttle.reset_request_allowed(form.cleaned_data["email"], client_address(self.request)):
            record_event("password_reset_refused", details={"reason": "too many requests"})
            return render(self.request, "web/password_reset_form.html", {"form": form, "throttled": True}, status=429)
        response = super().form_valid(form)
        for user, sent in form.emailed:
            record_event("password_reset_requested", user, details={"emailed": sent})
        if not form.emailed:
            record_event("password_reset_requested", details={"emailed": "nothing: no active account has the address"})
        return response


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_sent.html"


# The reset token (from the session) whose account's second factor this browser passed.
RESET_SECOND_FACTOR_PASSED = "password_reset_second_factor_passed"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's single-use, expiring reset link, then the account's current one-time code, then the new password.

    Django moves the token from the address into the session on the first visit. A confirmed authenticator is
    required: an account without one is told to ask its administrator, since email alone never resets a password.
    """

    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("web:password-reset-complete")

    def dispatch(self, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(*args, **kwargs)
        # A good link is answered by a redirect (its token moves to the session); a bad one by the "invalid" page.
        if not self.validlink and response.status_code == 200:
            record_event("password_reset_failed", self.user, details={"reason": "link invalid, used or expired"})
        return response

    def get_user(self, uidb64: str) -> User | None:
        # A link sent before the account was deactivated no longer works.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def second_factor_passed(self) -> bool:
        token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)
        return token is not None and self.request.session.get(RESET_SECOND_FACTOR_PASSED) == token

    def get_form_class(self) -> type:
        return NewPasswordForm if self.second_factor_passed() else ResetSecondFactorForm

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.refuse_without_authenticator() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.refuse_without_authenticator() or super().post(request, *args, **kwargs)

    def refuse_without_authenticator(self) -> HttpResponse | None:
        if otp.has_confirmed_device(self.user):
            return None
        record_event("password_reset_failed", self.user, details={"reason": "no authenticator set up"})
        return render(self.request, self.template_name, {"validlink": True, "no_authenticator": True})

    def form_valid(self, form: ResetSecondFactorForm | NewPasswordForm) -> HttpResponse:
        session = self.request.session
        if isinstance(form, ResetSecondFactorForm):
            session[RESET_SECOND_FACTOR_PASSED] = session[INTERNAL_RESET_SESSION_TOKEN]
            record_event("password_reset_second_factor_passed", self.user)
            return redirect(self.request.path)
        session.pop(RESET_SECOND_FACTOR_PASSED, None)
        response = super().form_valid(form)
        record_event("password_reset_completed", self.user)
        return response

    def form_invalid(self, form: ResetSecondFactorForm | NewPasswordForm) -> HttpResponse:
        if isinstance(form, ResetSecondFactorForm):
            record_event("password_reset_failed", self.user, details={"reason": "wrong one-time code"})
        return super().form_invalid(form)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        return {**context, "second_factor_passed": self.validlink and self.second_factor_passed()}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"


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
    """The families the user may see, by name or case number, open or closed: a page at a time."""
    purpose = purpose_for(request)
    form = SearchForm(request.GET)
    context: dict = {"form": form, "may_open": may_open_families(request.user)}
    if form.is_valid():
        search = form.cleaned_data["q"].strip()
        status = form.cleaned_data["status"]
        families = people_selectors.families_visible_to(request.user, purpose, search=search)
        context["page"] = paginate(request, people_selectors.with_status(families, status).order_by("name", "pk"))
        details = {"query": search, "status": status}
    else:
        details = {"query": SearchForm.loggable(request.GET), "refused": True}
    record_event("search", object_type="people.family", purpose=purpose, details=details)
    template = "web/family_list.html#results" if request.htmx else "web/family_list.html"
    return render(request, template, context)


@login_required
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    record_event("view", family, purpose=purpose)
    today = timezone.localdate()
    involvement = family_involvement(request.user, family, purpose, on=today)
    clocks = family_clocks(request.user, family, purpose, on=today)
    context = {
        "family": family,
        "purpose": purpose,
        "purposes": [(p.value, p.label) for p in request.user.allowed_purposes],
        "members": people_selectors.family_members(request.user, family, purpose),
        "relationships": people_selectors.family_relationships(request.user, family, purpose),
        "may_change_membership": may_change_membership(request.user, family),
        "identifiers": people_selectors.local_identifiers(request.user, family, purpose),
        "involvement": involvement,
        "summary": family_summary(involvement, clocks, on=today),
        "clocks": clocks,
        "court_reports": reports_for_family(request.user, family, purpose),
        "redisclosure": OncePerPage(),
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
    today = timezone.localdate()
    timeline = family_timeline(request.user, family, purpose, system=system)
    # The chart marks deadlines, which only the ASFA clocks have: the treatment records the recovery clock reads
    # are not read (nor disclosed); nor is anything outside the one system shown.
    clocks = [] if system else family_clocks(request.user, family, purpose, on=today, recovery=False)
    context = {
        "family": family,
        "purpose": purpose,
        "system": system,
        "systems": SYSTEM_LABELS.items(),
        "timeline": timeline,
        "chart": journey_chart(timeline, clocks, today=today),
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
    status = request.GET.get("status", "")
    if status not in agency_selectors.STAFF_STATUSES:
        status = ""
    staff = agency_selectors.staff_of(agency, status=status)
    context = {
        "agency": agency,
        "page": paginate(request, staff),
        "status": status,
        "statuses": agency_selectors.STAFF_STATUSES.items(),
    }
    return render(request, "web/agency_staff.html", context)


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
            if "reactivate" in request.POST:
                agency_services.reactivate(request.user, staff)
                messages.success(request, f"{staff} can sign in again. Their former caseload stays where it went.")
                return redirect("web:agency-staff", slug=agency.slug)
            if form.is_valid():
                agency_services.set_roles(request.user, staff, form.cleaned_data["roles"])
                messages.success(request, f"Roles of {staff} saved.")
                return redirect("web:agency-staff", slug=agency.slug)
        except ValidationError as error:
            add_form_errors(form, error)
    context = {"agency": agency, "staff": staff, "form": form, "own_account": own_account}
    return render(request, "web/staff_edit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def staff_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Deactivation asks first, on its own page; a staff member's caseload goes to a named colleague."""
    agency = _administered_agency(request, slug)
    staff = get_object_or_404(User, pk=pk, agency=agency)
    if staff.pk == request.user.pk or not staff.is_active:
        return redirect("web:staff-edit", slug=agency.slug, pk=staff.pk)
    caseload = open_assignments_of(staff).count()
    colleagues = agency_selectors.colleagues_who_can_take_over(staff) if caseload else None
    form = DeactivateForm(request.POST or None, colleagues=colleagues, initial={"effective": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data.get("colleague")
        try:
            handed = agency_services.deactivate(
                request.user, staff, successor=successor, effective=form.cleaned_data.get("effective")
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            done = f"{staff} is deactivated and can no longer sign in."
            if handed:
                done += f" Their caseload ({agency_services.caseload_size(handed)}) is now {successor}'s."
            messages.success(request, done)
            return redirect("web:agency-staff", slug=agency.slug)
    context = {"agency": agency, "staff": staff, "form": form, "caseload": caseload, "colleagues": colleagues}
    return render(request, "web/staff_deactivate.html", context)


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
