"""The family page's "Notes and contacts" section reads its page of records here, through notes.selectors."""

from django import template

from familybridge.notes import selectors
from familybridge.people.models import Family
from familybridge.web.pagination import paginate

register = template.Library()

PAGE_PREFIX = "notes_"


@register.simple_tag(takes_context=True)
def family_notes(context: template.Context, family: Family, purpose: str) -> dict:
    request = context["request"]
    page = paginate(request, selectors.notes_and_contacts(request.user, family, purpose), prefix=PAGE_PREFIX)
    return {
        "page": page,
        "entries": selectors.read_entries(request.user, family, purpose, list(page)),
        "withheld": selectors.withheld(request.user, family, purpose),
    }
