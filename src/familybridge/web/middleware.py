from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of any page, PDF or API answer: each may hold a person's information.

    Static files never reach this middleware (WhiteNoise answers them first), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class RejectNulBytesMiddleware:
    """An address holding a NUL byte is a bad request: PostgreSQL cannot compare text with one, and no page needs it.

    Forms refuse NUL bytes themselves (Django's fields validate it); this covers the path and the query string.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parameters = (part for key, values in request.GET.lists() for part in (key, *values))
        if "\x00" in request.path or any("\x00" in part for part in parameters):
            raise BadRequest("The address holds a character no page accepts.")
        return self.get_response(request)
