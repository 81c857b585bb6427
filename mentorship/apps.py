from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SuperuserAdminConfig(AdminConfig):
    default_site = "mentorship.admin.SuperuserAdminSite"


class MentorshipConfig(AppConfig):
    name = "mentorship"
    label = "mentorship"
    verbose_name = _("Mentorship")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
