from django.urls import path

from familybridge.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("receive/", views.receive, name="receive"),
    path("receive/people/", views.receive_people, name="receive-people"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/screening/", views.propose, name="propose"),
    path("reports/<int:pk>/review/", views.review, name="review"),
    path("reports/<int:pk>/contacts/", views.contact, name="contact"),
    path("reports/<int:pk>/findings/", views.findings, name="findings"),
    path("reports/<int:pk>/open-case/", views.open_case, name="open-case"),
    path("reports/<int:pk>/close/", views.close, name="close"),
]
