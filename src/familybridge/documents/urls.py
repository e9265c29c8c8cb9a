from django.urls import path

from familybridge.documents import views

app_name = "documents"

urlpatterns = [
    path("families/<int:family_pk>/documents/new/", views.upload, name="upload"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/download/", views.download, name="download"),
]
