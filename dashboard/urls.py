from django.urls import path

from . import decisions, list_views, views

app_name = "dashboard"

urlpatterns = [
    path("coordinate/", views.home, name="home"),
    path("programs/<slug:slug>/dashboard/", views.program_dashboard, name="program"),
    path("programs/<slug:slug>/retention/", views.retention_preview, name="retention"),
    path("coordinate/lists/<slug:kind>/", list_views.list_view, name="list"),
    path("coordinate/lists/<slug:kind>/export.csv", list_views.list_csv, name="list_csv"),
]

# Joined to programs' patterns under the `programs` namespace (mentorship/urls.py): the copy
# page kept its name when it moved here to copy the other apps' settings too.
program_patterns = [
    path("programs/<slug:slug>/copy/", views.program_copy, name="copy"),
]

# Joined to intake's patterns under the `intake` namespace (mentorship/urls.py): deciding an
# application moved here to invite the new participant to the program's gatherings too.
intake_patterns = [
    path("programs/<slug:slug>/applications/<int:pk>/decide/", decisions.decide, name="decide"),
    path("programs/<slug:slug>/applications/decide/", decisions.decide_many, name="decide_many"),
]
