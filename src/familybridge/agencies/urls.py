from django.urls import path

from familybridge.agencies import views

app_name = "agencies"

urlpatterns = [
    path("agencies/<slug:slug>/teams/", views.teams, name="teams"),
    path("agencies/<slug:slug>/teams/<int:pk>/", views.team_edit, name="team-edit"),
]
