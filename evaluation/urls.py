from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path(
        "programs/<slug:slug>/matches/<int:match_id>/feedback/",
        views.feedback,
        name="feedback",
    ),
    path(
        "programs/<slug:slug>/matches/<int:match_id>/feedback/<int:feedback_id>.pdf",
        views.feedback_pdf,
        name="feedback_pdf",
    ),
    path("programs/<slug:slug>/evaluation/", views.evaluate, name="evaluate"),
    path("programs/<slug:slug>/evaluation/window/", views.window, name="window"),
    path("programs/<slug:slug>/close-out/", views.overview, name="overview"),
    path("programs/<slug:slug>/report/", views.report, name="report"),
    path("programs/<slug:slug>/report.csv", views.report_csv, name="report_csv"),
    path("programs/<slug:slug>/outcomes/", views.outcomes, name="outcomes"),
    path(
        "programs/<slug:slug>/outcomes/<int:participant_id>/",
        views.participant_outcomes,
        name="participant_outcomes",
    ),
    path("programs/<slug:slug>/my-roles/", views.my_roles, name="my_roles"),
    path(
        "programs/<slug:slug>/my-roles/no-change/",
        views.roles_no_change,
        name="roles_no_change",
    ),
    path("programs/<slug:slug>/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("programs/<slug:slug>/my-testimonial/", views.my_testimonial, name="my_testimonial"),
    path(
        "programs/<slug:slug>/my-testimonial/withdraw/",
        views.testimonial_withdraw,
        name="testimonial_withdraw",
    ),
    path("programs/<slug:slug>/testimonials/", views.testimonials, name="testimonials"),
    path(
        "programs/<slug:slug>/testimonials/<int:pk>/review/",
        views.testimonial_review,
        name="testimonial_review",
    ),
]
