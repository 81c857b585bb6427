from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("programs/<slug:slug>/apply/<str:role>/", views.apply, name="apply"),
    path(
        "programs/<slug:slug>/my-applications/<int:pk>/",
        views.my_application,
        name="my_application",
    ),
    path(
        "programs/<slug:slug>/my-applications/<int:pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("programs/<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("programs/<slug:slug>/applications/", views.review, name="review"),
    path("programs/<slug:slug>/applications/paper/", views.key_in, name="key_in"),
    path("programs/<slug:slug>/applications/<int:pk>/", views.review_detail, name="review_detail"),
    # ".../applications/<pk>/decide/" and ".../applications/decide/" (names "decide" and
    # "decide_many") are dashboard.urls.intake_patterns: accepting invites to sessions.
    path("programs/<slug:slug>/nominations/", views.nominations, name="nominations"),
]
