from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("programs/<slug:slug>/my-survey/", views.mine, name="mine"),
    path("programs/<slug:slug>/surveys/", views.completion, name="completion"),
    path("programs/<slug:slug>/surveys/<int:participant_id>/", views.detail, name="detail"),
    path(
        "programs/<slug:slug>/surveys/<int:participant_id>/key-in/",
        views.key_in,
        name="key_in",
    ),
    path(
        "programs/<slug:slug>/surveys/<int:participant_id>/survey.pdf",
        views.survey_pdf,
        name="pdf",
    ),
    path(
        "programs/<slug:slug>/surveys/<int:participant_id>/reopen/",
        views.reopen,
        name="reopen",
    ),
]
