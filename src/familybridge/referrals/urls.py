from django.urls import path

from familybridge.referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.worklist, name="worklist"),
    path("referrals/<int:pk>/", views.detail, name="detail"),
    path("referrals/<int:pk>/fhir/", views.fhir_export, name="fhir"),
    path("families/<int:pk>/refer/", views.refer, name="refer"),
]
