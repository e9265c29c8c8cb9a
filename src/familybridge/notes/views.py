"""The contact log page of a family: thin, over notes.selectors (the policy point). Notes and contacts are written,
corrected and voided through the family page's record views (cases.views), like every record kind."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from familybridge.audit.services import record_event
from familybridge.notes import selectors
from familybridge.notes.forms import ContactLogFilterForm
from familybridge.notes.models import ContactType
from familybridge.people import selectors as people_selectors
from familybridge.web.pagination import paginate
from familybridge.web.views import purpose_for


@login_required
def contact_log(request: HttpRequest, family_pk: int) -> HttpResponse:
    """The family's contacts the user may see, filtered by type, days and writer, a page at a time; `print=1` lays
    out every contact the filters match for printing."""
    user, purpose = request.user, purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(user, purpose), pk=family_pk)
    form = ContactLogFilterForm(request.GET, authors=selectors.contact_authors(user, family, purpose))
    filters = selectors.ContactFilters(**form.cleaned_data) if form.is_valid() else selectors.ContactFilters()
    contacts = selectors.contact_log(user, family, purpose, filters)
    printing = request.GET.get("print") == "1"
    page = None if printing else paginate(request, contacts)
    shown = list(contacts) if printing else list(page)
    selectors.with_participants(user, shown, purpose)
    record_event(
        "view_contact_log",
        family,
        purpose=purpose,
        details={
            "type": filters.contact_type,
            "since": str(filters.since or ""),
            "until": str(filters.until or ""),
            "author": filters.author.pk if filters.author else None,
            "print": printing,
        },
    )
    print_query, back_query = request.GET.copy(), request.GET.copy()
    print_query["print"] = "1"
    print_query.pop("page", None)
    back_query.pop("print", None)
    context = {
        "family": family,
        "purpose": purpose,
        "form": form,
        "filters": filters,
        "contacts": shown,
        "page": page,
        "printing": printing,
        "print_query": print_query.urlencode(),
        "back_query": back_query.urlencode(),
        "type_label": ContactType(filters.contact_type).label if filters.contact_type else "",
        "printed_at": timezone.localtime(),
        "withheld": selectors.withheld(user, family, purpose, contacts_only=True),
    }
    return render(request, "notes/contact_log.html", context)
