"""The family and people pages: search, opening a family, adding members (after the duplicate check) and
recording relationships. Thin: reads through people.selectors and people.search (the policy point), writes
through people.families."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.people import families as family_services
from familybridge.people import search as people_search
from familybridge.people import selectors
from familybridge.people.forms import (
    LinkMemberForm,
    NewPersonForm,
    OpenFamilyForm,
    PersonCheckForm,
    RelationshipForm,
    SearchForm,
)
from familybridge.people.models import Family
from familybridge.web.pagination import paginate
from familybridge.web.views import add_form_errors, purpose_for


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One search over the families and people the user may see; each list paginated on its own."""
    purpose = purpose_for(request)
    form = SearchForm(request.GET)
    context: dict = {"form": form, "purpose_label": Purpose(purpose).label}
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = people_search.parse_query(form.cleaned_data["q"])
        status = form.cleaned_data["status"]
        families = paginate(
            request, people_search.matching_families(request.user, purpose, query, status), prefix="families_"
        )
        people = paginate(
            request, people_search.matching_people(request.user, purpose, query, status), prefix="people_"
        )
        shown = list(people)
        memberships = selectors.memberships_of(request.user, purpose, shown)
        for person in shown:
            person.visible_memberships = memberships.get(person.pk, [])
        context.update(searched=True, families=families, people=people)
    record_event(
        "search",
        object_type="people.person",
        purpose=purpose,
        details={"query": SearchForm.loggable(request.GET), "status": form.cleaned_data.get("status", "")}
        if form.is_valid()
        else {"query": SearchForm.loggable(request.GET), "refused": True},
    )
    return render(request, "people/search.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def open_family(request: HttpRequest) -> HttpResponse:
    if not family_services.may_open_families(request.user):
        record_event("denied", details={"page": "open a family"})
        raise PermissionDenied("Only caseworkers and supervisors of a child welfare agency open families.")
    form = OpenFamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family = family_services.open_family(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"{family} is open. Add its members.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "people/open_family.html", {"form": form})


def _family_to_change(request: HttpRequest, pk: int, purpose: str) -> Family:
    family = get_object_or_404(selectors.families_visible_to(request.user, purpose), pk=pk)
    if not family_services.may_change_membership(request.user, family):
        record_event("denied", family, details={"page": "change the family's members"})
        raise PermissionDenied(
            "Only child welfare staff of the family's agency who work this family change who is in it."
        )
    return family


@require_http_methods(["GET", "POST"])
@login_required
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a member: who is it (name, birth date, identifier)? → the people the user may already know who look
    like them → link one of them, or add a new person once none of them is the one."""
    purpose = purpose_for(request)
    family = _family_to_change(request, pk, purpose)
    action = request.POST.get("action", "")
    # The person typed comes from the check (and is carried along by the links), or from the new-person form.
    check_form = PersonCheckForm(request.POST if action in {"check", "link"} else None)
    new_form = NewPersonForm(request.POST if action == "create" else None, prefix="new")
    link_form = LinkMemberForm(request.POST if action == "link" else None)
    context = {"family": family, "check_form": check_form, "new_form": new_form, "link_form": link_form}
    typed_in = new_form if action == "create" else check_form
    if not action or not typed_in.is_valid():
        # A new-person form with errors is shown again with them; the check is run again once it is complete.
        context["adding_new"] = action == "create"
        return render(request, "people/add_member.html", context)

    typed = typed_in.typed()
    candidates = selectors.likely_duplicates(request.user, purpose, typed)
    if action == "check":
        record_event(
            "search",
            object_type="people.person",
            purpose=purpose,
            details={"check": "duplicates", "query": f"{typed.first_name} {typed.last_name}", "born": typed.birth_date},
        )
        context["new_form"] = NewPersonForm(initial={**check_form.cleaned_data}, prefix="new")
    elif action == "link" and link_form.is_valid():
        try:
            member = family_services.link_member(
                request.user,
                family,
                person_id=link_form.cleaned_data["person"],
                role=link_form.cleaned_data["role"],
                purpose=purpose,
            )
        except ValidationError as error:
            add_form_errors(link_form, error)
        else:
            messages.success(request, f"{member.subject} added to {family} as a {member.get_role_display().lower()}.")
            return redirect("web:family-detail", pk=family.pk)
    elif action == "create":
        context["check_form"] = PersonCheckForm.holding(typed)
        data = new_form.cleaned_data
        if new_form.confirms_none_of(candidates):
            try:
                member = family_services.add_new_member(
                    request.user,
                    family,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    role=data["role"],
                    agency_identifier=data["agency_identifier"],
                )
            except ValidationError as error:
                add_form_errors(new_form, error)
            else:
                messages.success(
                    request, f"{member.subject} added to {family} as a {member.get_role_display().lower()}."
                )
                return redirect("web:family-detail", pk=family.pk)
    already_here = {c.person.pk for c in candidates if any(m.family_id == family.pk for m in c.memberships)}
    context.update(checked=True, adding_new=True, candidates=candidates, already_here=already_here)
    return render(request, "people/add_member.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def add_relationship(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = _family_to_change(request, pk, purpose)
    members = [
        (member.subject_id, f"{member.subject} ({member.get_role_display().lower()})")
        for member in selectors.visible_members_of_families(request.user, [family.pk], purpose)
    ]
    form = RelationshipForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            relationship = family_services.record_relationship(
                request.user, family, person_id=data["person"], kind=data["kind"], relative_id=data["relative"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Recorded: {relationship}.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "people/relationship_form.html", {"family": family, "form": form})
