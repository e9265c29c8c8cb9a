from django.urls import path

from familybridge.people import views

app_name = "people"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("families/new/", views.open_family, name="open-family"),
    path("families/<int:pk>/members/new/", views.add_member, name="add-member"),
    path("families/<int:pk>/relationships/new/", views.add_relationship, name="add-relationship"),
]
