from django.urls import path

from familybridge.notes import views

app_name = "notes"

urlpatterns = [
    path("families/<int:family_pk>/contacts/", views.contact_log, name="contact-log"),
]
