from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import urls as accounts_urls
from dashboard import urls as dashboard_urls
from intake import urls as intake_urls
from matching import urls as matching_urls
from members import urls as members_urls
from members import views as members_views
from programs import urls as programs_urls
from sessions import urls as sessions_urls

from . import views

# The admin's own log-in is replaced by allauth's, so MFA and rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)


def joined(*modules_or_lists, namespace: str):
    """One namespace from several apps' patterns (the members' pages keep their old names)."""
    patterns = []
    for found in modules_or_lists:
        patterns += getattr(found, "urlpatterns", found)
    return include((patterns, namespace))


urlpatterns = [
    path("", members_views.site_home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", joined(accounts_urls, members_urls.account_patterns, namespace="accounts")),
    path(
        "",
        joined(
            programs_urls,
            members_urls.program_patterns,
            dashboard_urls.program_patterns,
            namespace="programs",
        ),
    ),
    path("", joined(intake_urls, dashboard_urls.intake_patterns, namespace="intake")),
    path("", joined(matching_urls, sessions_urls.matching_patterns, namespace="matching")),
    path("", include("surveys.urls")),
    path("", include("evaluation.urls")),
    path("", include("sessions.urls")),
    path("", include("printing.urls")),
    path("", include("reminders.urls")),
    path("", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]
