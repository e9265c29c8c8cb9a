from django.urls import path

from familybridge.api import views

app_name = "api"

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("families/", views.FamilyListView.as_view(), name="family-list"),
]
