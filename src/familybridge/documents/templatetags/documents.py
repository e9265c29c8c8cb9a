"""The family page's "Documents" section and a record's attachments, read through documents.selectors."""

from django import template

from familybridge.documents import selectors, services
from familybridge.people.models import Family, ProtectedRecord
from familybridge.web.pagination import paginate

register = template.Library()

PAGE_PREFIX = "documents_"


@register.simple_tag(takes_context=True)
def family_documents(context: template.Context, family: Family, purpose: str) -> dict:
    """A page of the family's documents the user may see, those withheld counted, and whether they may upload."""
    request = context["request"]
    page = paginate(request, selectors.shown_family_documents(request.user, family, purpose), prefix=PAGE_PREFIX)
    return {
        "page": page,
        "items": list(page),
        "withheld": selectors.withheld_family_documents(request.user, family, purpose),
        "may_upload": services.DOCUMENT_KIND.writable_by(request.user),
    }


@register.inclusion_tag("documents/_attachments.html", takes_context=True)
def attachments(context: template.Context, family_or_record: Family | ProtectedRecord, purpose: str) -> dict:
    """The documents of a family or a record as the viewer may see them, each withheld one said so."""
    request = context["request"]
    return {
        "items": selectors.documents_for(request.user, family_or_record, purpose),
        "purpose": purpose,
        "user": request.user,
    }
