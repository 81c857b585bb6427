from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("me/forms/", views.forms, name="forms"),
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/delete/", views.profile_delete, name="profile_delete"),
    path("me/reminders/", views.reminders, name="reminders"),
    path("me/data.<str:fmt>", views.download, name="download"),
    path("me/two-step/", views.mfa_required, name="mfa_required"),
]
