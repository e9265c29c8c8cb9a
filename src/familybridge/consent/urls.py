from django.urls import path

from familybridge.consent import views

app_name = "consent"

urlpatterns = [
    path("people/<int:person_id>/", views.person_consents, name="person"),
    path("people/<int:person_id>/new/", views.consent_new, name="new"),
    path("people/<int:person_id>/fhir/", views.person_consents_fhir, name="person-fhir"),
    path("people/<int:person_id>/disclosures/", views.accounting, name="accounting"),
    path("people/<int:person_id>/disclosures/pdf/", views.accounting_pdf, name="accounting-pdf"),
    path("<int:pk>/", views.consent_detail, name="detail"),
    path("<int:pk>/pdf/", views.consent_pdf, name="pdf"),
    path("<int:pk>/fhir/", views.consent_fhir, name="fhir"),
    path("<int:pk>/revoke/", views.consent_revoke, name="revoke"),
    path("why/<str:label>/<int:pk>/", views.why, name="why"),
]
