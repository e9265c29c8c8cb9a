from django.urls import path

from familybridge.screening import views

app_name = "screening"

urlpatterns = [
    path("families/<int:family_pk>/start/", views.start, name="start"),
    path(
        "families/<int:family_pk>/people/<int:person_pk>/<str:instrument_id>/",
        views.administer,
        name="administer",
    ),
    path(
        "families/<int:family_pk>/people/<int:person_pk>/<str:instrument_id>/link/",
        views.send_link,
        name="send-link",
    ),
    path("families/<int:family_pk>/assessment/", views.record_assessment, name="record-assessment"),
    path("results/<int:pk>/", views.result, name="result"),
    path("results/<int:pk>/refer/", views.refer, name="refer"),
    path("results/<int:pk>/follow-up/", views.follow_up, name="follow-up"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<str:instrument_id>.json", views.instrument_export, name="export"),
    path("settings/", views.partnership_settings, name="settings"),
    path("take/<str:token>/", views.take, name="take"),
]
