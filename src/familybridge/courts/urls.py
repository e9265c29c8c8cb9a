from django.urls import path

from familybridge.courts import views

app_name = "courts"

urlpatterns = [
    path("hearings/<int:pk>/report/", views.prepare, name="prepare"),
    path("court-reports/<int:pk>/draft/", views.edit_draft, name="draft"),
    path("court-reports/<int:pk>/preview/", views.preview, name="preview"),
    path("court-reports/<int:pk>/sign-off/", views.sign_off, name="sign-off"),
    path("court-reports/<int:pk>/file/", views.file, name="file"),
    path("court-reports/<int:pk>/amend/", views.amend, name="amend"),
    path("court-reports/<int:pk>/", views.court_view, name="report"),
    path("court-reports/<int:pk>/pdf/", views.court_pdf, name="report-pdf"),
    path("docket/", views.docket_page, name="docket"),
    path("docket/pdf/", views.docket_pdf, name="docket-pdf"),
    path("hearings/<int:pk>/outcome/", views.hearing_outcome, name="hearing-outcome"),
]
