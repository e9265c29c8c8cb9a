from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from familybridge.audit.context import current_context
from familybridge.audit.services import context_for_request


class AuditContextMiddleware:
    """Makes the signed-in user and their address available to every audit event of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_context.set(context_for_request(request))
        try:
            return self.get_response(request)
        finally:
            current_context.reset(token)
