from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from familybridge.audit.context import ReadsOfRequest, current_context, current_reads
from familybridge.audit.services import context_for_request, record_reads


class AuditContextMiddleware:
    """Makes the signed-in user and their address available to every audit event of the request, and
    writes one event of the records the policy point showed during it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_context.set(context_for_request(request))
        reads = ReadsOfRequest()
        reads_token = current_reads.set(reads)
        try:
            response = self.get_response(request)
            record_reads(reads)
            return response
        finally:
            current_reads.reset(reads_token)
            current_context.reset(token)
