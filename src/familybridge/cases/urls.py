from django.urls import path

from familybridge.cases import views

app_name = "cases"

urlpatterns = [
    path("families/<int:family_pk>/records/<slug:kind>/new/", views.new_record, name="new-record"),
    path("families/<int:family_pk>/records/<slug:kind>/<int:pk>/correct/", views.correct_record, name="correct-record"),
    path("families/<int:family_pk>/records/<slug:kind>/<int:pk>/void/", views.void_record, name="void-record"),
    path("families/<int:family_pk>/records/<slug:kind>/<int:pk>/history/", views.record_history, name="record-history"),
]
