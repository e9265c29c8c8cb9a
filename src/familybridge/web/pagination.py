"""Every list is paginated the same way: `?page=` and `?size=`, "Showing 1–25 of 203", previous and next.

A policy-bound queryset pages like any other: counting it is a check, and only the page's rows are read
(and accounted for). Nothing is cut off without saying so: the partial names how many there are in all.
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]


def page_size(request: HttpRequest, prefix: str = "") -> int:
    """The rows per page the user chose (one of PAGE_SIZES), else the default."""
    try:
        size = int(request.GET.get(f"{prefix}size", ""))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def paginate(request: HttpRequest, items: Sequence[Any] | Any, *, prefix: str = "") -> Page:
    """The page of `items` (a queryset or a list) the request asks for; a page out of range shows the last one.

    `prefix` names the parameters (`{prefix}page`, `{prefix}size`) when a page holds two lists.
    """
    page = Paginator(items, page_size(request, prefix)).get_page(request.GET.get(f"{prefix}page"))
    page.prefix = prefix
    return page


def with_rows(page: Page, rows: list[Any]) -> Page:
    """The page with its rows replaced by what the view built from them (one row per item, same order)."""
    page.object_list = rows
    return page
