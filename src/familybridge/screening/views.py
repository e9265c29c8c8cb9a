"""Thin views over the screening services and selectors."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Role
from familybridge.audit.services import record_event
from familybridge.dates import us_date
from familybridge.people.models import Family, Person
from familybridge.people.selectors import families_visible_to
from familybridge.referrals import selectors as referral_selectors
from familybridge.referrals import services as referral_services
from familybridge.screening import selectors, services
from familybridge.screening.forms import AssessmentForm, FollowUpForm, ImportForm, ReferralForm, UrgentProtocolForm
from familybridge.screening.instruments import Instrument, Item
from familybridge.screening.models import NextStep, ScreeningResult
from familybridge.screening.scoring import SEXES, AnswerError, asked_items, checked_answer
from familybridge.web.views import add_form_errors, purpose_for


def _visible_family(request: HttpRequest, pk: int, purpose: str) -> Family:
    return get_object_or_404(families_visible_to(request.user, purpose), pk=pk)


def _screenable_person(request: HttpRequest, family: Family, person_pk: int, purpose: str) -> Person:
    for person in selectors.screenable_people(request.user, family, purpose):
        if person.pk == person_pk:
            return person
    raise Http404("No such parent or caregiver in this family.")


def _posted_answers(data: Any, instrument: Instrument) -> tuple[list[Any], list[str]]:
    """Answers from the form fields a-<linkId>, in canonical order, and any that are not numbers."""
    answers, errors = [], []
    for item in instrument.items:
        raw = (data.get(f"a-{item.link_id}") or "").strip()
        if raw == "":
            answers.append(None)
            continue
        try:
            answers.append(int(raw))
        except ValueError:
            errors.append(f"{instrument.item_text(item, None)}: enter a whole number.")
            answers.append(None)
    return answers, errors


def _without_invalid_answers(instrument: Instrument, answers: list[Any], errors: list[str]) -> list[Any]:
    """Each answer that does not fit its item is cleared with a message; the others are kept."""
    kept = []
    for position, (item, answer) in enumerate(zip(instrument.items, answers, strict=True), start=1):
        if answer is not None:
            try:
                checked_answer(item, position, answer)
            except AnswerError as error:
                errors.append(str(error))
                answer = None
        kept.append(answer)
    return kept


def _observations(data: Any) -> services.Observations:
    return services.Observations(
        intoxication=bool(data.get("obs_intoxication")),
        withdrawal=bool(data.get("obs_withdrawal")),
        impaired_functioning=bool(data.get("obs_impaired")),
        note=data.get("obs_note", ""),
    )


def _needs_sex(instrument: Instrument, person: Person) -> bool:
    sex_specific = any(set(SEXES) & set(c.values) for c in instrument.cutoffs.values())
    return sex_specific and services.scoring_sex(person) is None


@require_http_methods(["GET"])
@login_required
def start(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The family page's "Start a screen" form lands here and goes on to the chosen instrument."""
    purpose = purpose_for(request)
    family = _visible_family(request, family_pk, purpose)
    try:
        person_pk = int(request.GET.get("person", ""))
    except ValueError:
        raise Http404("Choose a person to screen.") from None
    person = _screenable_person(request, family, person_pk, purpose)
    instrument_id = request.GET.get("instrument", "")
    if selectors.instrument_for(selectors.partnership_of(request.user.agency), instrument_id) is None:
        raise Http404("No such instrument.")
    return redirect("screening:administer", family_pk=family.pk, person_pk=person.pk, instrument_id=instrument_id)


@require_http_methods(["GET", "POST"])
@login_required
def administer(request: HttpRequest, family_pk: int, person_pk: int, instrument_id: str) -> HttpResponse:
    """Oral screens one item at a time (one tap per answer); self-report forms as one page."""
    purpose = purpose_for(request)
    family = _visible_family(request, family_pk, purpose)
    person = _screenable_person(request, family, person_pk, purpose)
    if not request.user.has_role(*services.SCREENING_ROLES):
        raise PermissionDenied("Your role does not administer screens.")
    instrument = selectors.instrument_for(selectors.partnership_of(request.user.agency), instrument_id)
    if instrument is None:
        raise Http404("No such instrument.")
    data = request.POST if request.method == "POST" else {}
    answers, errors = _posted_answers(data, instrument)
    variant = data.get("variant") or instrument.default_variant
    sex = data.get("sex") if data.get("sex") in SEXES else None
    action = data.get("action", "")

    if action == "save" and not errors:
        try:
            result = services.administer_screen(
                request.user,
                family=family,
                subject=person,
                instrument_id=instrument.id,
                answers=answers,
                purpose=purpose,
                sex=sex,
                variant=variant,
                observations=_observations(data),
            )
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            return redirect("screening:result", pk=result.pk)

    answers = _without_invalid_answers(instrument, answers, errors)
    asked = asked_items(instrument, answers)
    answer_of = dict(zip(instrument.item_ids, answers, strict=True))
    if instrument.one_item_at_a_time and action == "back":
        answered = [item for item in asked if answer_of[item.link_id] is not None]
        if answered:
            answer_of[answered[-1].link_id] = None
            asked = asked_items(instrument, [answer_of[i] for i in instrument.item_ids])
    current: Item | None = None
    if instrument.one_item_at_a_time:
        current = next((item for item in asked if answer_of[item.link_id] is None), None)
    context = {
        "family": family,
        "person": person,
        "purpose": purpose,
        "instrument": instrument,
        "variant": variant,
        "sex": sex,
        "needs_sex": _needs_sex(instrument, person),
        "asked": [(item, instrument.item_text(item, variant), answer_of[item.link_id]) for item in asked],
        "answered_hidden": [(item.link_id, answer_of[item.link_id]) for item in asked if item is not current],
        "current": current,
        "current_text": instrument.item_text(current, variant) if current else "",
        "position": asked.index(current) + 1 if current else len(asked),
        "count": len(asked),
        "errors": errors,
        "observations": _observations(data),
        "can_send_link": not instrument.one_item_at_a_time,
    }
    template = "screening/administer.html#items" if request.htmx else "screening/administer.html"
    return render(request, template, context)


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    screening_result = selectors.result_visible_to(request.user, pk, purpose)
    if screening_result is None:
        raise Http404("No such screening result.")
    record_event("view", screening_result, purpose=purpose)
    instrument = selectors.instruments_for(selectors.partnership_of(screening_result.owner_agency)).get(
        screening_result.instrument
    )
    context = {
        "result": screening_result,
        "instrument": instrument,
        "urgent_protocol": selectors.urgent_protocol(selectors.partnership_of(screening_result.owner_agency)),
        "answers": _answer_rows(screening_result),
        "flag_labels": _flag_labels(instrument, screening_result),
        "may_refer": screening_result.next_step != NextStep.NONE and request.user.works_cases,
        "referral": referral_selectors.of_screen(request.user, screening_result, purpose),
        "safety": _safety_context(request, screening_result, purpose),
    }
    return render(request, "screening/result.html", context)


def _safety_context(request: HttpRequest, screening_result: ScreeningResult, purpose: str) -> dict[str, Any] | None:
    """A safety flag's follow-up as the viewer may see it, and whether they may record one."""
    if screening_result.next_step != NextStep.URGENT:
        return None
    follow_up = selectors.follow_ups_of(request.user, [screening_result.pk], purpose).get(screening_result.pk)
    return {
        "follow_up": follow_up,
        "overdue": follow_up is None and selectors.overdue(screening_result),
        "due_at": screening_result.created_at + selectors.FOLLOW_UP_WITHIN,
        "may_record": follow_up is None and request.user.has_role(*services.SCREENING_ROLES),
    }


@require_http_methods(["GET", "POST"])
@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what was done about a safety flag: who was contacted, when, and what was done."""
    purpose = purpose_for(request)
    screening_result = selectors.result_visible_to(request.user, pk, purpose)
    if screening_result is None or screening_result.next_step != NextStep.URGENT:
        raise Http404("No such safety flag.")
    if not request.user.has_role(*services.SCREENING_ROLES):
        raise PermissionDenied("Only staff who screen parents record the follow-up of a safety flag.")
    form = FollowUpForm(request.POST or None, initial={"contacted_at": timezone.localtime().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_follow_up(request.user, screening_result, purpose=purpose, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Follow-up of the safety flag for {screening_result.subject} recorded.")
            return redirect("screening:result", pk=screening_result.pk)
    context = {
        "title": f"Record the follow-up: {screening_result.subject}",
        "intro": (
            f"The {screening_result.instrument_title} of {us_date(screening_result.administered_on)} raised a safety "
            "flag. Say who was contacted, when, and what was done; the flag then leaves the worklists."
        ),
        "form": form,
        "back": reverse("screening:result", args=[screening_result.pk]),
        "back_label": "Back to the result",
        "submit": "Record the follow-up",
    }
    return render(request, "web/change_form.html", context)


def _answer_rows(screening_result: ScreeningResult) -> list[tuple[str, str]]:
    rows = []
    for item in screening_result.questionnaire_response.get("item", []):
        answer = item["answer"][0]
        shown = answer["valueCoding"]["display"] if "valueCoding" in answer else str(answer.get("valueInteger"))
        rows.append((item.get("text", item["linkId"]), shown))
    return rows


def _flag_labels(instrument: Instrument | None, screening_result: ScreeningResult) -> list[str]:
    displays = {flag.code: flag.display for flag in instrument.flags} if instrument else {}
    return [f"{code}: {displays.get(code, code)}" for code in screening_result.flags]


def _referral_reason(screening_result: ScreeningResult) -> str:
    score = f"total {screening_result.total}" if screening_result.total is not None else "no total"
    band = f", {screening_result.band_display}" if screening_result.band_display else ""
    verdict = "positive" if screening_result.positive else "negative"
    flags = f"; flags: {', '.join(screening_result.flags)}" if screening_result.flags else ""
    observed = f"; observed {', '.join(screening_result.observed)}" if screening_result.observed else ""
    return (
        f"{screening_result.instrument_title} on {us_date(screening_result.administered_on)}: {verdict} "
        f"({score}{band}{flags}{observed}). Please complete a clinical assessment."
    )


@require_http_methods(["GET", "POST"])
@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral for assessment, prefilled from a screen."""
    purpose = purpose_for(request)
    screening_result = selectors.result_visible_to(request.user, pk, purpose)
    if screening_result is None:
        raise Http404("No such screening result.")
    providers = referral_services.treatment_providers_for(request.user)
    initial = {"referral_date": timezone.localdate(), "reason": _referral_reason(screening_result)}
    form = ReferralForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_services.create_referral(
                request.user,
                subject=screening_result.subject,
                provider=get_object_or_404(Agency, pk=form.cleaned_data["provider"]),
                referral_date=form.cleaned_data["referral_date"],
                reason=form.cleaned_data["reason"],
                family=screening_result.family,
                screening_result=screening_result,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Referral of {screening_result.subject} sent to {referral.owner_agency.name}.")
            return redirect("web:family-detail", pk=screening_result.family_id)
    context = {
        "result": screening_result,
        "form": form,
        "referral": referral_selectors.of_screen(request.user, screening_result, purpose),
    }
    return render(request, "screening/refer.html", context)


@require_POST
@login_required
def send_link(request: HttpRequest, family_pk: int, person_pk: int, instrument_id: str) -> HttpResponse:
    """Create a one-time link for the parent's own device and show it once."""
    purpose = purpose_for(request)
    family = _visible_family(request, family_pk, purpose)
    person = _screenable_person(request, family, person_pk, purpose)
    try:
        invitation, token = services.create_invitation(
            request.user, family=family, subject=person, instrument_id=instrument_id, purpose=purpose
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("web:family-detail", pk=family.pk)
    link = request.build_absolute_uri(reverse("screening:take", kwargs={"token": token}))
    return render(
        request,
        "screening/link.html",
        {"family": family, "person": person, "invitation": invitation, "link": link, "instrument_id": instrument_id},
    )


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, token: str) -> HttpResponse:
    """The parent's own device: the one-time link is the only key, and it opens only this form."""
    invitation = selectors.open_invitation(token)
    if invitation is None:
        return render(request, "screening/take_closed.html", status=410)
    instrument = selectors.instrument_for(selectors.partnership_of(invitation.owner_agency), invitation.instrument)
    answers, errors = _posted_answers(request.POST, instrument) if request.method == "POST" else ([], [])
    if request.method == "POST" and request.POST.get("action") == "save" and not errors:
        try:
            answered = services.complete_invitation(token, answers)
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            done = {"first_name": invitation.subject.first_name, "flagged": "safety" in answered.flags}
            return render(request, "screening/take_done.html", done)
    try:
        asked = asked_items(instrument, answers)
    except AnswerError as error:
        errors.append(str(error))
        answers, asked = [], asked_items(instrument, [])
    answer_of = dict(zip(instrument.item_ids, answers, strict=False))
    context = {
        "first_name": invitation.subject.first_name,
        "instrument": instrument,
        "asked": [(item, instrument.item_text(item, None), answer_of.get(item.link_id)) for item in asked],
        "errors": errors,
    }
    template = "screening/take.html#items" if request.htmx else "screening/take.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@login_required
def record_assessment(request: HttpRequest, family_pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = _visible_family(request, family_pk, purpose)
    if not request.user.has_role(*services.ASSESSMENT_ROLES):
        raise PermissionDenied("Only counselors and clinical supervisors record clinical assessments.")
    people = selectors.screenable_people(request.user, family, purpose)
    form = AssessmentForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        subject = next(person for person in people if str(person.pk) == form.cleaned_data["subject"])
        try:
            services.record_assessment(
                request.user,
                family=family,
                subject=subject,
                purpose=purpose,
                assessed_on=form.cleaned_data["assessed_on"],
                diagnosis=form.cleaned_data["diagnosis"],
                asam_level=form.cleaned_data["asam_level"],
                recommendations=form.cleaned_data["recommendations"],
            )
        except ValidationError as error:
            for field, field_errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field, field_errors)
        else:
            messages.success(request, f"Clinical assessment of {subject} recorded.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "screening/assessment_form.html", {"family": family, "form": form})


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    partnership = selectors.partnership_of(request.user.agency)
    return render(
        request,
        "screening/instruments.html",
        {"instruments": selectors.instruments_for(partnership).values(), "partnership": partnership},
    )


@login_required
def instrument_export(request: HttpRequest, instrument_id: str) -> HttpResponse:
    instrument = selectors.instrument_for(selectors.partnership_of(request.user.agency), instrument_id)
    if instrument is None:
        raise Http404("No such instrument.")
    response = HttpResponse(instrument.to_json(), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="{instrument.id.lower()}-v{instrument.version}.json"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def partnership_settings(request: HttpRequest) -> HttpResponse:
    """The coordinator changes configurable cut-offs and the urgent protocol, and imports instruments."""
    if not request.user.has_role(Role.PARTNERSHIP_COORDINATOR):
        raise PermissionDenied("Only partnership coordinators change screening settings.")
    partnership = selectors.partnership_of(request.user.agency)
    if partnership is None:
        raise Http404("Your agency is in no partnership.")
    protocol_form = UrgentProtocolForm(initial={"urgent_protocol": selectors.urgent_protocol(partnership)})
    import_form = ImportForm()
    if request.method == "POST":
        form_name = request.POST.get("form")
        try:
            if form_name == "cutoff":
                value = request.POST.get("value", "")
                if not value.strip().isdigit():
                    raise ValidationError("A cut-off is a whole number.")
                services.set_cutoff(
                    request.user,
                    partnership,
                    instrument_id=request.POST.get("instrument", ""),
                    name=request.POST.get("name", ""),
                    applies_to=request.POST.get("applies_to", ""),
                    value=int(value),
                )
                messages.success(request, f"Cut-off of {request.POST.get('instrument')} saved.")
                return redirect("screening:settings")
            if form_name == "protocol":
                protocol_form = UrgentProtocolForm(request.POST)
                if protocol_form.is_valid():
                    services.set_urgent_protocol(
                        request.user, partnership, protocol_form.cleaned_data["urgent_protocol"]
                    )
                    messages.success(request, "Urgent protocol saved.")
                    return redirect("screening:settings")
            if form_name == "import":
                import_form = ImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    imported = services.import_instrument(
                        request.user, partnership, import_form.cleaned_data["questionnaire"].read()
                    )
                    messages.success(request, f"{imported.title} version {imported.version} imported.")
                    return redirect("screening:settings")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    instruments = selectors.instruments_for(partnership)
    cutoff_rows = []
    for instrument in instruments.values():
        overrides = selectors.cutoff_overrides(partnership, instrument.id)
        for cutoff in instrument.configurable_cutoffs:
            for applies_to, default in cutoff.values.items():
                current = overrides.get(cutoff.name, {}).get(applies_to, default)
                cutoff_rows.append((instrument, cutoff, applies_to, default, current))
    context = {
        "partnership": partnership,
        "cutoff_rows": cutoff_rows,
        "protocol_form": protocol_form,
        "import_form": import_form,
    }
    return render(request, "screening/settings.html", context)
