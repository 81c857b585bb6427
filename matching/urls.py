from django.urls import path

from . import views

app_name = "matching"

MATCHING = "programs/<slug:slug>/matching/"

urlpatterns = [
    path("me/mentor-profile/", views.my_mentor_profile, name="my_mentor_profile"),
    path(
        "me/mentor-profile/confirm/",
        views.confirm_mentor_profile,
        name="confirm_mentor_profile",
    ),
    path("mentors/", views.mentor_database, name="mentor_database"),
    path("mentors/<int:user_id>/", views.mentor_detail, name="mentor_detail"),
    # The coordinator's matching board and its controls.
    path(MATCHING, views.board, name="board"),
    path(f"{MATCHING}run/", views.run, name="run"),
    path(f"{MATCHING}settings/", views.matching_settings, name="settings"),
    path(f"{MATCHING}publish/", views.publish, name="publish"),
    path(f"{MATCHING}exclude/", views.exclude, name="exclude"),
    path(f"{MATCHING}exclusions/<int:pk>/lift/", views.lift_exclusion, name="lift_exclusion"),
    path(f"{MATCHING}choose/", views.choose, name="choose"),
    path(f"{MATCHING}proposals/<int:pk>/lock/", views.lock, name="lock"),
    path(f"{MATCHING}proposals/<int:pk>/unlock/", views.unlock, name="unlock"),
    path(f"{MATCHING}proposals/<int:pk>/swap/", views.swap, name="swap"),
    path(f"{MATCHING}mentees/<int:participant_id>/", views.manual, name="manual"),
    path(f"{MATCHING}mentees/<int:participant_id>/priority/", views.priority, name="priority"),
    # A mentee's wishes about a mentor, keyed in from their paper survey.
    path(
        f"{MATCHING}mentees/<int:participant_id>/wishes/",
        views.key_in_wishes,
        name="key_in_wishes",
    ),
    # Members.
    path("programs/<slug:slug>/my-preferences/", views.my_preferences, name="my_preferences"),
    # ".../matches/<pk>/end/" (name "end") is sessions.urls.matching_patterns: ending a
    # match cancels its meetings, which matching cannot reach.
]
