from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("familybridge.api.urls")),
    path("screening/", include("familybridge.screening.urls")),
    path("", include("familybridge.practice.urls")),
    path("consent/", include("familybridge.consent.urls")),
    path("", include("familybridge.messaging.urls")),
    path("", include("familybridge.courts.urls")),
    path("", include("familybridge.referrals.urls")),
    path("", include("familybridge.cases.urls")),
    path("intake/", include("familybridge.intake.urls")),
    path("", include("familybridge.notes.urls")),
    path("", include("familybridge.documents.urls")),
    path("", include("familybridge.people.urls")),
    path("", include("familybridge.people.assignment_urls")),
    path("", include("familybridge.agencies.urls")),
    path("outcomes/", include("familybridge.outcomes.urls")),
    path("", include("familybridge.web.urls")),
]
