from django.urls import path

from familybridge.practice import views

app_name = "practice"

urlpatterns = [
    path("partnership/", views.index, name="index"),
    path("partnership/<slug:slug>/", views.overview, name="overview"),
    path("partnership/<slug:slug>/elements/<int:element>/", views.element_edit, name="element"),
    path("partnership/<slug:slug>/rounds/", views.rounds, name="rounds"),
    path("partnership/<slug:slug>/instruments/new/", views.instrument_new, name="instrument-new"),
    path("partnership/<slug:slug>/instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("partnership/<slug:slug>/rounds/<int:pk>/", views.round_detail, name="round"),
    path("partnership/<slug:slug>/rounds/<int:pk>/codes/<int:batch>/", views.round_codes, name="round-codes"),
    path(
        "partnership/<slug:slug>/rounds/<int:pk>/codes/<int:batch>.csv", views.round_codes_csv, name="round-codes-csv"
    ),
    path("partnership/<slug:slug>/rounds/<int:pk>/report/", views.round_report, name="report"),
    path("partnership/<slug:slug>/rounds/<int:pk>/report.pdf", views.round_report_pdf, name="report-pdf"),
    path("partnership/<slug:slug>/rounds/<int:pk>/report.csv", views.round_report_csv, name="report-csv"),
    path("partnership/<slug:slug>/plans/", views.plans, name="plans"),
    path("partnership/<slug:slug>/plans/<int:pk>/", views.plan_board, name="plan"),
    path("partnership/<slug:slug>/tasks/<int:pk>/status/", views.task_status, name="task-status"),
    path("partnership/<slug:slug>/objectives/<int:pk>/status/", views.objective_status, name="objective-status"),
    path("partnership/<slug:slug>/protocols/", views.protocols, name="protocols"),
    path("partnership/<slug:slug>/protocols/coverage/", views.protocol_coverage, name="protocol-coverage"),
    path("partnership/<slug:slug>/protocols/<int:pk>/", views.protocol_detail, name="protocol"),
    path("partnership/<slug:slug>/training/", views.training, name="training"),
    path("partnership/<slug:slug>/training/staff/", views.training_staff, name="training-staff"),
    path("partnership/<slug:slug>/governance/", views.governance, name="governance"),
    path("partnership/<slug:slug>/governance/<int:pk>/", views.committee_detail, name="committee"),
    path("respond/<str:token>/", views.respond, name="respond"),
    path("respond/<str:token>/thanks/", views.respond_thanks, name="respond-thanks"),
]
