from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in user needs before the second factor: enrolling, verifying, leaving.
OPEN_BEFORE_SECOND_FACTOR = ("web:otp-verify", "web:otp-enroll", "web:logout")


class SecondFactorRequiredMiddleware:
    """Every signed-in account passes a one-time password before anything else: any staff member may be
    shown Part 2 records under a consent, and the API has no way in that skips this (session only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            open_paths = {reverse(name) for name in OPEN_BEFORE_SECOND_FACTOR}
            if request.path not in open_paths and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return HttpResponse("A second factor is required for this account.", status=403)
                return redirect("web:otp-verify")
        return self.get_response(request)
