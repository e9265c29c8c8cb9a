from django.urls import path

from familybridge.messaging import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/sent/", views.sent, name="sent"),
    path("messages/<int:pk>/", views.thread, name="thread"),
    path("messages/<int:pk>/attach/", views.attach, name="attach"),
    path("messages/<int:pk>/reply/", views.reply, name="reply"),
    path("families/<int:pk>/messages/new/", views.compose, name="compose"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/draft/", views.report_draft, name="report-draft"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/send/", views.report_send, name="report-send"),
]
