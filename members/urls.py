"""The members' pages keep the URL names they had (`accounts:home`, `programs:detail`...).

mentorship/urls.py joins `account_patterns` to accounts' patterns under the `accounts`
namespace and `program_patterns` after programs' patterns under `programs` (after, so
`programs/new/` still reaches the create page rather than a program called "new").
"""

from django.urls import path

from . import views

account_patterns = [
    path("me/", views.home, name="home"),
    path("me/forms/", views.forms, name="forms"),
    path("me/actions/<int:action_id>/", views.action_status, name="action_status"),
    path("me/profile/delete/", views.profile_delete, name="profile_delete"),
    path("me/data.<str:fmt>", views.download, name="download"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/delete/", views.account_delete, name="account_delete"),
]

program_patterns = [
    path("programs/<slug:slug>/", views.program_detail, name="detail"),
]
