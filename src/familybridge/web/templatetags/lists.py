"""The one pagination control every list page uses: `{% pagination page "referrals" %}`."""

from django import template
from django.core.paginator import Page

from familybridge.web.pagination import DEFAULT_PAGE_SIZE, PAGE_SIZES

register = template.Library()


@register.inclusion_tag("web/_pagination.html", takes_context=True)
def pagination(context: template.Context, page: Page, label: str) -> dict:
    """How many rows there are in all, which of them this page shows, the way to the others, and the page size.

    The other parameters of the address (the filters) are kept in every link and in the page-size form.
    """
    request = context["request"]
    prefix = getattr(page, "prefix", "")
    page_param, size_param = f"{prefix}page", f"{prefix}size"

    def query_for(number: int) -> str:
        query = request.GET.copy()
        query[page_param] = str(number)
        return query.urlencode()

    kept = [
        (key, value) for key, values in request.GET.lists() if key not in (page_param, size_param) for value in values
    ]
    paginator = page.paginator
    return {
        "page": page,
        "label": label,
        "count": paginator.count,
        "previous_query": query_for(page.previous_page_number()) if page.has_previous() else "",
        "next_query": query_for(page.next_page_number()) if page.has_next() else "",
        "kept": kept,
        "size_param": size_param,
        "size": paginator.per_page,
        "sizes": PAGE_SIZES,
        "offer_sizes": paginator.count > PAGE_SIZES[0] or paginator.per_page != DEFAULT_PAGE_SIZE,
    }
