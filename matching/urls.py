from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("me/mentor-profile/", views.my_mentor_profile, name="my_mentor_profile"),
    path(
        "me/mentor-profile/confirm/",
        views.confirm_mentor_profile,
        name="confirm_mentor_profile",
    ),
    path("mentors/", views.mentor_database, name="mentor_database"),
    path("mentors/<int:user_id>/", views.mentor_detail, name="mentor_detail"),
]
