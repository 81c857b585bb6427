from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("me/profile/", views.profile, name="profile"),
    path("me/reminders/", views.reminders, name="reminders"),
    path("me/two-step/", views.mfa_required, name="mfa_required"),
]
