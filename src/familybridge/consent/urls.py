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
    path("verify/", views.verification_queue, name="verification-queue"),
    path("<int:pk>/verify/", views.consent_verify, name="verify"),
    path("why/<str:label>/<int:pk>/", views.why, name="why"),
    path("people/<int:person_id>/court-orders/new/", views.court_order_new, name="court-order-new"),
    path("people/<int:person_id>/emergency/", views.emergency_new, name="emergency-new"),
    path("people/<int:person_id>/restrictions/new/", views.restriction_new, name="restriction-new"),
    path("restrictions/<int:pk>/decide/", views.restriction_decide, name="restriction-decide"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/approve/", views.agreement_approve, name="agreement-approve"),
    path("agreements/<int:pk>/withdraw/", views.agreement_withdraw, name="agreement-withdraw"),
    path("emergencies/", views.emergency_log, name="emergency-log"),
    path("families/<int:family_id>/abuse-report/", views.child_abuse_report, name="abuse-report"),
]
