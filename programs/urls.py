from django.urls import path

from .views import activity, invitations, overview, setup

app_name = "programs"

urlpatterns = [
    path("programs/", overview.program_list, name="list"),
    path("programs/new/", setup.create, name="create"),
    path("programs/<slug:slug>/people/", overview.participants, name="participants"),
    path("programs/<slug:slug>/edit/", setup.edit, name="edit"),
    path("programs/<slug:slug>/status/", setup.change_status, name="change_status"),
    path(
        "programs/<slug:slug>/invitations/<int:pk>/withdraw/",
        invitations.withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<int:pk>/accept/", invitations.accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", invitations.decline, name="invitation_decline"),
]

# The activity log (programs/activity.py).
urlpatterns += [
    path("programs/<slug:slug>/activity/", activity.activity, name="activity"),
    path("programs/<slug:slug>/activity.csv", activity.activity_csv, name="activity_csv"),
]
