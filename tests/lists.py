"""What every list page owes its users: a constant cost whatever its length, and nothing cut off unsaid."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response.content  # noqa: B018 (a streaming or lazy response is read too)
    return len(queries)


def assert_constant_queries(client, url: str, add_rows: Callable[[int], object]) -> None:
    """The page costs the same queries for 2 rows as for 12 (after a first look fills Django's caches, such as
    the content types')."""
    add_rows(2)
    page_queries(client, url)
    few = page_queries(client, url)
    add_rows(10)
    assert page_queries(client, url) == few, "the page's queries grow with its rows"


def assert_paged(client, url: str, total: int) -> None:
    """The first page says how many there are in all and links to the next; the last page shows the rest."""
    first = client.get(url).content.decode()
    assert f"Showing 1–25 of {total}" in first and 'rel="next"' in first
    joiner = "&" if "?" in url else "?"
    last = client.get(f"{url}{joiner}page=2").content.decode()
    assert f"Showing 26–{total} of {total}" in last and 'rel="prev"' in last
