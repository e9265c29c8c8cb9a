from django.contrib.auth import views as auth_views
from django.urls import path

from familybridge.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path(
        "password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"
    ),
    path("second-factor/", views.otp_verify, name="otp-verify"),
    path("second-factor/enroll/", views.otp_enroll, name="otp-enroll"),
    path("families/", views.family_list, name="family-list"),
    path("families/<int:pk>/", views.family_detail, name="family-detail"),
    path("families/<int:pk>/timeline/", views.family_timeline_page, name="family-timeline"),
    path("agencies/<slug:slug>/staff/", views.agency_staff, name="agency-staff"),
    path("agencies/<slug:slug>/staff/new/", views.staff_create, name="staff-create"),
    path("agencies/<slug:slug>/staff/<int:pk>/", views.staff_edit, name="staff-edit"),
    path("agencies/<slug:slug>/staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff-deactivate"),
]
