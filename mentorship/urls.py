from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin's own log-in is replaced by allauth's, so MFA and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("programs.urls")),
    path("", include("intake.urls")),
    path("", include("matching.urls")),
    path("", include("surveys.urls")),
    path("", include("evaluation.urls")),
    path("", include("sessions.urls")),
    path("", include("mentorship.printing_urls")),
    path("", include("reminders.urls")),
    path("", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]
