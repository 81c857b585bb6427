from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("programs/<slug:slug>/reminders/", views.log, name="log"),
    path("programs/<slug:slug>/reminders/settings/", views.reminder_settings, name="settings"),
    path(
        "programs/<slug:slug>/reminders/send/<slug:kind>/",
        views.send_many,
        name="send_many",
    ),
    path(
        "programs/<slug:slug>/reminders/<int:reminder_id>/retry/",
        views.retry_delivery,
        name="retry",
    ),
    path(
        "programs/<slug:slug>/surveys/<int:participant_id>/remind/",
        views.send_survey_reminder,
        name="send_survey",
    ),
]
