"""Every list is paginated and says where the reader is ("Showing 1–25 of 344"): nothing is cut off silently."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


@dataclass(frozen=True)
class Pagination:
    page: Page
    previous_url: str
    next_url: str

    @property
    def summary(self) -> str:
        count = self.page.paginator.count
        if not count:
            return ""
        first, last = self.page.start_index(), self.page.end_index()
        return f"Showing {first} of {count}" if first == last else f"Showing {first}–{last} of {count}"


def paginate(request: HttpRequest, queryset: QuerySet, *, param: str = "page", per_page: int = PER_PAGE) -> Pagination:
    """The requested page of the queryset (the last one for a number past the end, the first for no number),
    with links to the pages before and after that keep the request's other parameters (search, filters)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))

    def url_of(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    return Pagination(
        page=page,
        previous_url=url_of(page.previous_page_number()) if page.has_previous() else "",
        next_url=url_of(page.next_page_number()) if page.has_next() else "",
    )
