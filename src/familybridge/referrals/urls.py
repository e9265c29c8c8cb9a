from django.urls import path

from familybridge.referrals import intake_views, views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.worklist, name="worklist"),
    path("referrals/sent/", views.sent, name="sent"),
    path("referrals/intake/", intake_views.intake_queue, name="intake-queue"),
    path("referrals/intake/<int:pk>/assign/", intake_views.intake_assign, name="intake-assign"),
    path("referrals/<int:pk>/", views.detail, name="detail"),
    path("referrals/<int:pk>/close-follow-up/", views.close_follow_up, name="close-follow-up"),
    path("referrals/<int:pk>/fhir/", views.fhir_export, name="fhir"),
    path("families/<int:pk>/refer/", views.refer, name="refer"),
]
