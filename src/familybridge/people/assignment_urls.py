from django.urls import path

from familybridge.people import assignment_views as views

app_name = "assignments"

urlpatterns = [
    path("families/<int:pk>/assign/", views.family_assign, name="family-assign"),
    path("families/<int:pk>/assignments/<int:assignment_pk>/transfer/", views.family_transfer, name="family-transfer"),
    path("families/<int:pk>/close/", views.family_close, name="family-close"),
    path("court-cases/<int:pk>/judge/", views.court_case_judge, name="court-case-judge"),
    path("court-cases/<int:pk>/attorneys/new/", views.court_case_attorney, name="court-case-attorney"),
    path("court-cases/<int:pk>/close/", views.court_case_close, name="court-case-close"),
    path("attorney-assignments/<int:pk>/withdraw/", views.attorney_withdraw, name="attorney-withdraw"),
    path("caseloads/", views.team_caseloads, name="team-caseloads"),
    path("caseloads/<int:pk>/", views.worker_families, name="worker-families"),
    path("my-clients/", views.my_clients, name="my-clients"),
]
