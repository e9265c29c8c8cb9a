"""The site's own addresses plus one page that fails, for testing what a server error shows."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from familybridge.urls import urlpatterns as site_urlpatterns

SECRET_IN_A_LOCAL_VARIABLE = "Ana Rivera, toxicology positive"


def failing_page(request: HttpRequest) -> HttpResponse:
    grant_rows = [SECRET_IN_A_LOCAL_VARIABLE]  # what a debug page would list among the local variables
    raise RuntimeError(f"Could not render {len(grant_rows)} rows")


urlpatterns = [path("failing-page/", failing_page), *site_urlpatterns]
