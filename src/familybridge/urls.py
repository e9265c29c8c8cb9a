from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("familybridge.api.urls")),
    path("outcomes/", include("familybridge.outcomes.urls")),
    path("", include("familybridge.web.urls")),
]
