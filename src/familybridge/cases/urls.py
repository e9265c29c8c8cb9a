from django.urls import path

from familybridge.cases import views

app_name = "cases"

urlpatterns = [
    path("families/<int:family_pk>/records/<slug:kind>/new/", views.new_record, name="new-record"),
]
