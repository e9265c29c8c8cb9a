from django.urls import path

from familybridge.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export"),
    path("targets/", views.targets, name="targets"),
    path("<str:code>/", views.cohort, name="cohort"),
]
