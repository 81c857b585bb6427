from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("coordinate/", views.coordinator_home, name="coordinator_home"),
    path("programs/<slug:slug>/", views.detail, name="detail"),
    path("programs/<slug:slug>/people/", views.participants, name="participants"),
]
