from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from familybridge.agencies import selectors as agency_selectors
from familybridge.agencies.models import AgencyKind
from familybridge.audit.services import record_event
from familybridge.consent import policy
from familybridge.consent.selectors import partnership_agencies
from familybridge.dates import us_date
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from familybridge.referrals import selectors, services
from familybridge.referrals.fhir import referral_bundle
from familybridge.referrals.forms import CloseFollowUpForm, ReferralForm, StepForm, WorklistFilterForm
from familybridge.referrals.models import NEXT_STEPS, Referral
from familybridge.web.confirmation import confirmed_change
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors, purpose_for


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The program's referrals, a page at a time, filtered by status, date, referring agency and worker; for staff
    of the agencies that refer (child welfare, the court), the referrals they sent."""
    if request.user.agency_kind != AgencyKind.SUD_TREATMENT:
        return sent(request)
    purpose = purpose_for(request)
    today = timezone.localdate()
    user = request.user
    filters = WorklistFilterForm(
        request.GET,
        agencies=partnership_agencies(user).exclude(pk=user.agency_id),
        workers=agency_selectors.case_staff_of(user.agency_id),
    )
    page = paginate(request, selectors.worklist(user, purpose, today=today, **filters.filters))
    views = selectors.referral_views(user, list(page.object_list), purpose, today=today)
    record_event("view_referrals", purpose=purpose, details={"filters": sorted(filters.filters)})
    return render(request, "referrals/worklist.html", {"page": with_rows(page, views), "filters": filters})


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """The referrals the user sent (a supervisor: and her team), each with its current step, days against the
    partnership's targets and the engagement signal, as far as the policy point lets her see the program's
    records; a declined or not-engaged one says what to do next."""
    purpose = purpose_for(request)
    today = timezone.localdate()
    page = paginate(request, selectors.sent(request.user, purpose))
    views = selectors.referral_views(request.user, list(page.object_list), purpose, today=today)
    signals = selectors.engagement_signals(request.user, views, purpose, today=today)
    rows = [(view, selectors.SIGNAL_LABELS[signals[view.referral.pk]]) for view in views]
    record_event("view_referrals_sent", purpose=purpose)
    context = {
        "page": with_rows(page, rows),
        "team": request.user.sees_whole_agency,
        "hides_steps": any(not view.shares_steps for view in views),
    }
    return render(request, "referrals/sent.html", context)


def _visible_referral(request: HttpRequest, pk: int, purpose: str) -> Referral:
    referrals = Referral.objects.select_related("subject", "owner_agency", "referring_agency")
    return get_object_or_404(policy.permitted(request.user, referrals, purpose), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    referral = _visible_referral(request, pk, purpose)
    today = timezone.localdate()
    view = selectors.referral_view(request.user, referral, purpose, today=today)
    is_provider = request.user.agency_id == referral.owner_agency_id
    form = StepForm(request.POST or None, allowed=NEXT_STEPS[view.status]) if is_provider else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_step(request.user, referral, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "Step recorded.")
            return redirect("referrals:detail", pk=referral.pk)
    record_event("view", referral, purpose=purpose)
    context = {
        "view": view,
        "form": form,
        "is_referrer": selectors.is_referrer(request.user, referral),
        "signal": selectors.SIGNAL_LABELS[
            selectors.engagement_signals(request.user, [view], purpose, today=today)[referral.pk]
        ],
        # the way back to the family, only where the user may see that family (its name is child welfare's)
        "family_member": policy.permitted(
            request.user,
            FamilyMember.objects.filter(
                subject=referral.subject, family__in=people_selectors.families_visible_to(request.user, purpose)
            ),
            purpose,
        )
        .select_related("family")
        .first(),
    }
    return render(request, "referrals/detail.html", context)


@login_required
def fhir_export(request: HttpRequest, pk: int) -> JsonResponse:
    purpose = purpose_for(request)
    referral = _visible_referral(request, pk, purpose)
    view = selectors.referral_view(request.user, referral, purpose, today=timezone.localdate())
    record_event("export_fhir", referral, purpose=purpose)
    return JsonResponse(referral_bundle(view))


@require_http_methods(["GET", "POST"])
@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a parent of the family to a treatment program."""
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    visible = people_selectors.visible_member_ids(request.user, family, purpose)
    parents = Person.objects.filter(
        pk__in=FamilyMember.objects.filter(family=family).exclude(role=MemberRole.CHILD).values("subject_id"),
    ).filter(pk__in=visible)
    providers = services.treatment_providers_for(request.user)
    initial = {"referral_date": timezone.localdate()}
    follows = _followed_up(request, family, purpose)
    if follows is not None:
        # A referral elsewhere: the same parent, to another program.
        parents = parents.filter(pk=follows.subject_id)
        providers = [provider for provider in providers if provider.pk != follows.owner_agency_id]
        initial["reason"] = follows.reason
    form = ReferralForm(request.POST or None, providers=providers, people=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_referral(
                request.user,
                subject=parents.get(pk=form.cleaned_data["subject"]),
                provider=next(p for p in providers if str(p.pk) == form.cleaned_data["provider"]),
                referral_date=form.cleaned_data["referral_date"],
                reason=form.cleaned_data["reason"],
                family=family,
                follows=follows,
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, "Referral sent. What comes back depends on the parent's consent.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "referrals/refer.html", {"family": family, "form": form, "follows": follows})


def _followed_up(request: HttpRequest, family: Family, purpose: str) -> Referral | None:
    """The declined or not-engaged referral of the family that a referral elsewhere follows (`?follows=`), as
    far as the user may see it."""
    pk = request.GET.get("follows", "")
    if not pk.isdigit():
        return None
    referrals = Referral.objects.filter(family=family).select_related("owner_agency")
    return get_object_or_404(policy.permitted(request.user, referrals, purpose), pk=int(pk))


@require_http_methods(["GET", "POST"])
@login_required
def close_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The referrer closes the follow-up of a declined or not-engaged referral without referring elsewhere."""
    purpose = purpose_for(request)
    referral = _visible_referral(request, pk, purpose)
    if not selectors.is_referrer(request.user, referral):
        raise PermissionDenied("Only the referring agency's staff close the follow-up of its referral.")
    back = reverse("referrals:detail", args=[referral.pk])
    program = referral.owner_agency.name
    return confirmed_change(
        request,
        CloseFollowUpForm(request.POST or None),
        title=f"Close the follow-up of the referral of {referral.subject} to {program}",
        intro="Close it when the parent needs no other referral. Refer elsewhere instead when they still do.",
        describe=lambda data: [
            f"The follow-up of the referral of {us_date(referral.referral_date)} to {program} is closed, in your "
            "name and with today's date: it leaves your worklist."
        ],
        change=lambda data: services.close_follow_up(request.user, referral, note=data["note"], purpose=purpose),
        done=lambda closed: "Follow-up closed.",
        back=back,
        back_label="The referral",
        context={},
    )
