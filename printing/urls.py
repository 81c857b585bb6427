from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("forms/", views.index, name="index"),
    path("forms/record/", views.record, name="record"),
    path("forms/<slug:key>.pdf", views.blank, name="blank"),
    path("programs/<slug:slug>/forms/<slug:key>.pdf", views.program_blank, name="program_blank"),
    path("programs/<slug:slug>/packet/", views.packet, name="packet"),
    path("programs/<slug:slug>/packet/<int:pk>.pdf", views.packet_download, name="packet_download"),
]
